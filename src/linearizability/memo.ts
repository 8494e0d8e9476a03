// The search's memory: the linearised set as a bitset with a Zobrist hash, and the memo of
// configurations seen (Lowe 2017; Horn & Kroening 2015), kept compact and under a byte bound.
//
// A configuration is (linearised completed operations, spec state, linearised pending
// operations). The memo stores each one as a few 32-bit words in one growing arena (no object per
// entry): the part of the linearised set's bitset that identifies it (see LinearisedSet.window),
// the interned state's id and the pending bitset; a hash table of chains over the arena finds
// candidates. Its size in bytes is charged to a MemoryMeter shared by every partition of a check,
// and the memo refuses to grow past the meter's bound: the check then ends `unknown`, not with a
// V8 heap crash.

/** Bytes the memos (and interned states) of one check may use, and how many they use now. */
export interface MemoryMeter {
  readonly maxBytes: number;
  usedBytes: number;
}

/** Deterministic 32-bit random words for Zobrist hashing of the linearised set. */
function zobristWords(count: number, seed: number): Int32Array {
  const words = new Int32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    words[i] = t ^ (t >>> 14);
  }
  return words;
}

export class Bitset {
  readonly words: Uint32Array;
  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }
  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }
  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
  }
  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }
}

/**
 * The linearised completed operations, by position in call order, with a Zobrist hash. Every
 * operation below `low` is in the set, and none at or beyond `reach[low]` (one called after
 * operation `low` returned cannot be linearised before it), so the bitset words between those two
 * positions identify the set exactly: the memo stores those few words, not the whole bitset.
 */
export class LinearisedSet {
  private readonly bits: Bitset;
  low = 0;
  hash = 0;
  private readonly zobrist: Int32Array;

  constructor(
    private readonly size: number,
    /** reach[p]: how many operations were called by the time operation p returned. */
    private readonly reach: Int32Array,
  ) {
    this.bits = new Bitset(size);
    this.zobrist = zobristWords(size, 0x1234567);
  }

  add(i: number): void {
    this.bits.set(i);
    this.hash ^= this.zobrist[i];
    while (this.low < this.size && this.bits.has(this.low)) this.low++;
  }

  remove(i: number): void {
    this.bits.clear(i);
    this.hash ^= this.zobrist[i];
    if (i < this.low) this.low = i;
  }

  /** The bitset's words; `windowStart()` to `windowEnd()` identify the set (with `low`). */
  get words(): Uint32Array {
    return this.bits.words;
  }

  windowStart(): number {
    return this.low >>> 5;
  }

  windowEnd(): number {
    return this.low >= this.size ? this.low >>> 5 : (this.reach[this.low] + 31) >>> 5;
  }
}

/** `add`'s answers. */
export const MEMO_ADDED = 1;
export const MEMO_SEEN = 0;
export const MEMO_FULL = -1;

/** Entry layout in the arena: next entry in the chain (offset + 1, 0 = none), hash, low, state, window length, then the window and pending words. */
const HEADER_WORDS = 5;
/** Small at first: many histories are tiny (a model's property may check one per state). */
const INITIAL_ARENA_WORDS = 1 << 8;
const INITIAL_BUCKETS = 1 << 6;
const BYTES_PER_WORD = 4;

/** The configurations seen by one partition's search. */
export class ConfigurationMemo {
  private arena = new Uint32Array(INITIAL_ARENA_WORDS);
  private arenaUsed = 0;
  private buckets = new Int32Array(INITIAL_BUCKETS);
  private entryCount = 0;

  constructor(
    /** Words of the pending bitset (0 when the partition has no pending operation). */
    private readonly pendingWords: number,
    private readonly meter: MemoryMeter,
  ) {
    meter.usedBytes += this.bytes;
  }

  get size(): number {
    return this.entryCount;
  }

  /** Bytes held by the arena and the table (what is charged to the meter). */
  get bytes(): number {
    return (this.arena.length + this.buckets.length) * BYTES_PER_WORD;
  }

  /** Gives the memory back to the meter (the partition is decided). */
  release(): void {
    this.meter.usedBytes -= this.bytes;
    this.arena = new Uint32Array(0);
    this.buckets = new Int32Array(0);
  }

  /**
   * Records the configuration, unless one with the same linearised set and state and a subset of
   * its pending operations was seen already (MEMO_SEEN: prune), or recording it would pass the
   * memory bound (MEMO_FULL).
   */
  add(set: LinearisedSet, state: number, pending: Uint32Array): number {
    const hash = (set.hash ^ Math.imul(state + 1, 0x9e3779b1)) | 0;
    const low = set.low;
    const words = set.words;
    const start = set.windowStart();
    const windowLength = set.windowEnd() - start;
    const arena = this.arena;
    const slot = hash & (this.buckets.length - 1);
    for (let at = this.buckets[slot]; at !== 0; at = arena[at - 1]) {
      const o = at - 1;
      if ((arena[o + 1] | 0) !== hash || arena[o + 2] !== low || arena[o + 3] !== state || arena[o + 4] !== windowLength) continue;
      if (this.sameWindowAndSubset(o + HEADER_WORDS, words, start, windowLength, pending)) return MEMO_SEEN;
    }
    const length = HEADER_WORDS + windowLength + this.pendingWords;
    if (!this.reserve(length)) return MEMO_FULL;
    if (this.entryCount + 1 > this.buckets.length && !this.rehash()) return MEMO_FULL;
    const o = this.arenaUsed;
    const a = this.arena;
    const home = hash & (this.buckets.length - 1); // the table may have grown
    a[o] = this.buckets[home];
    a[o + 1] = hash;
    a[o + 2] = low;
    a[o + 3] = state;
    a[o + 4] = windowLength;
    for (let i = 0; i < windowLength; i++) a[o + HEADER_WORDS + i] = words[start + i];
    for (let i = 0; i < this.pendingWords; i++) a[o + HEADER_WORDS + windowLength + i] = pending[i];
    this.buckets[home] = o + 1;
    this.arenaUsed += length;
    this.entryCount++;
    return MEMO_ADDED;
  }

  private sameWindowAndSubset(at: number, words: Uint32Array, start: number, windowLength: number, pending: Uint32Array): boolean {
    const a = this.arena;
    for (let i = 0; i < windowLength; i++) if (a[at + i] !== words[start + i]) return false;
    const p = at + windowLength;
    for (let i = 0; i < this.pendingWords; i++) if ((a[p + i] & ~pending[i]) !== 0) return false;
    return true;
  }

  /** Room for `words` more arena words, growing within the meter's bound. */
  private reserve(words: number): boolean {
    if (this.arenaUsed + words <= this.arena.length) return true;
    const room = Math.floor((this.meter.maxBytes - this.meter.usedBytes) / BYTES_PER_WORD);
    const grown = Math.min(this.arena.length * 2, this.arena.length + room);
    if (grown < this.arenaUsed + words) return false;
    const arena = new Uint32Array(grown);
    arena.set(this.arena.subarray(0, this.arenaUsed));
    this.meter.usedBytes += (grown - this.arena.length) * BYTES_PER_WORD;
    this.arena = arena;
    return true;
  }

  /** Doubles the table (the chains are rebuilt from the arena). */
  private rehash(): boolean {
    const size = this.buckets.length * 2;
    if (this.meter.usedBytes + (size - this.buckets.length) * BYTES_PER_WORD > this.meter.maxBytes) return false;
    this.meter.usedBytes += (size - this.buckets.length) * BYTES_PER_WORD;
    const buckets = new Int32Array(size);
    const a = this.arena;
    for (let o = 0; o < this.arenaUsed; o += HEADER_WORDS + a[o + 4] + this.pendingWords) {
      const slot = a[o + 1] & (size - 1);
      a[o] = buckets[slot];
      buckets[slot] = o + 1;
    }
    this.buckets = buckets;
    return true;
  }
}
