// One shard's slice of the visited set for the level engine (parallel BFS, checkpoints): 64-bit
// fingerprints in one Uint32Array (lo, hi interleaved), open addressing with linear probing, as
// visited.ts, plus what a checkpoint needs: listing every fingerprint and loading a list back.
// Slots come from `lo`; the owning shard comes from `hi` (ownerOf), so the two stay independent.

const MAX_LOAD = 0.75;
const GROWTH = 1.5;

/** The shard (0..shards-1) that owns a fingerprint: multiply-shift of the high lane. */
export function ownerOf(hi: number, shards: number): number {
  return Math.floor(((hi >>> 0) * shards) / 4294967296);
}

export class ShardFingerprints {
  private slots: Uint32Array;
  private capacity: number;
  private count = 0;
  private limit: number;

  constructor(initialCapacity = 1 << 16) {
    this.capacity = initialCapacity;
    this.slots = new Uint32Array(initialCapacity * 2);
    this.limit = Math.floor(initialCapacity * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  bytes(): number {
    return this.slots.byteLength;
  }

  /** Insert; true when the fingerprint was not present. The all-zero fingerprint marks empty slots. */
  add(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) lo = 1;
    if (this.count >= this.limit) this.grow();
    const slots = this.slots;
    const cap = this.capacity;
    lo >>>= 0;
    hi >>>= 0;
    let i = Math.floor((lo * cap) / 4294967296);
    for (;;) {
      const sl = slots[2 * i];
      const sh = slots[2 * i + 1];
      if (sl === 0 && sh === 0) {
        slots[2 * i] = lo;
        slots[2 * i + 1] = hi;
        this.count++;
        return true;
      }
      if (sl === lo && sh === hi) return false;
      if (++i === cap) i = 0;
    }
  }

  has(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) lo = 1;
    const slots = this.slots;
    const cap = this.capacity;
    lo >>>= 0;
    hi >>>= 0;
    let i = Math.floor((lo * cap) / 4294967296);
    for (;;) {
      const sl = slots[2 * i];
      const sh = slots[2 * i + 1];
      if (sl === 0 && sh === 0) return false;
      if (sl === lo && sh === hi) return true;
      if (++i === cap) i = 0;
    }
  }

  /** Every fingerprint as (lo, hi) pairs, except those `skip` holds (a level not yet committed). */
  list(skip: ShardFingerprints | null = null): Uint32Array {
    const out = new Uint32Array(2 * (this.count - (skip ? skip.size : 0)));
    let n = 0;
    const slots = this.slots;
    for (let j = 0; j < this.capacity; j++) {
      const lo = slots[2 * j];
      const hi = slots[2 * j + 1];
      if (lo === 0 && hi === 0) continue;
      if (skip && skip.has(lo, hi)) continue;
      out[n++] = lo;
      out[n++] = hi;
    }
    if (n !== out.length) throw new Error(`fingerprint list: expected ${out.length / 2} entries, found ${n / 2}`);
    return out;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldCap = this.capacity;
    const cap = Math.ceil(oldCap * GROWTH);
    const slots = new Uint32Array(cap * 2);
    for (let j = 0; j < oldCap; j++) {
      const lo = oldSlots[2 * j];
      const hi = oldSlots[2 * j + 1];
      if (lo === 0 && hi === 0) continue;
      let i = Math.floor((lo * cap) / 4294967296);
      while (slots[2 * i] !== 0 || slots[2 * i + 1] !== 0) if (++i === cap) i = 0;
      slots[2 * i] = lo;
      slots[2 * i + 1] = hi;
    }
    this.slots = slots;
    this.capacity = cap;
    this.limit = Math.floor(cap * MAX_LOAD);
  }
}
