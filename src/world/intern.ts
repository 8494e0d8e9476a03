// Hash-consing for the actor world: every distinct value a handler returns (a durable or volatile
// state, a message) and every distinct tuple of ids (a node slot, an envelope) gets a small integer
// id the first time it is seen, with a 64-bit content hash computed once. Interning is exact: a
// hash match is confirmed by structural equality (the equality `canonical` defines), so two
// different values never share an id. Content hashes (not ids) feed fingerprints, so fingerprints
// do not depend on the order in which values were first met.
import { grown } from '../util/grow.ts';
import { deepFreeze, sameValue } from '../util/canonical.ts';
import { finalMix, mixWord, type Fingerprint } from '../util/hash.ts';
import { structuralHash } from '../util/structural-hash.ts';

/** Start of the open-addressing tables; they double at load 1/2. */
const TABLE_SLOTS_INITIAL = 1 << 10;

/**
 * Values by structural content. `intern(v)` returns v's id; `values[id]` is the first value seen
 * with that content (deep-frozen: the engine hands it to handlers and properties, which must not
 * mutate it), `hashLo/hashHi[id]` its structural hash.
 */
export class ValueTable<T> {
  readonly values: T[] = [];
  hashLo = new Uint32Array(TABLE_SLOTS_INITIAL);
  hashHi = new Uint32Array(TABLE_SLOTS_INITIAL);
  /** Open addressing on hashLo: id + 1 per slot, 0 when empty. */
  private slots = new Int32Array(TABLE_SLOTS_INITIAL);
  private readonly fp: Fingerprint = { lo: 0, hi: 0 };

  get size(): number {
    return this.values.length;
  }

  intern(value: T): number {
    structuralHash(value, this.fp);
    const lo = this.fp.lo >>> 0;
    const hi = this.fp.hi >>> 0;
    const mask = this.slots.length - 1;
    let i = lo & mask;
    for (;;) {
      const entry = this.slots[i];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashLo[id] === lo && this.hashHi[id] === hi && sameValue(this.values[id], value)) return id;
      i = (i + 1) & mask;
    }
    const id = this.values.length;
    this.values.push(deepFreeze(value));
    if (id === this.hashLo.length) {
      this.hashLo = grown(this.hashLo);
      this.hashHi = grown(this.hashHi);
    }
    this.hashLo[id] = lo;
    this.hashHi[id] = hi;
    this.slots[i] = id + 1;
    if (2 * this.values.length > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.values.length; id++) {
      let i = this.hashLo[id] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    this.slots = slots;
  }
}

/**
 * Fixed-width tuples of 32-bit words (node slots, envelopes, worlds' node parts): `intern` returns
 * the tuple's id, exact (the words are compared). `words` holds tuple `id` at `id * width`.
 */
export class TupleTable {
  words: Uint32Array;
  private slots = new Int32Array(TABLE_SLOTS_INITIAL);
  private count = 0;

  constructor(readonly width: number) {
    this.words = new Uint32Array(width * TABLE_SLOTS_INITIAL);
  }

  get size(): number {
    return this.count;
  }

  /** The id of the tuple `source[at .. at + width)`, new or not. */
  intern(source: ArrayLike<number>, at = 0): number {
    const w = this.width;
    const h = tupleHash(source, at, w);
    const mask = this.slots.length - 1;
    const words = this.words;
    let i = h & mask;
    for (;;) {
      const entry = this.slots[i];
      if (entry === 0) break;
      const base = (entry - 1) * w;
      let k = 0;
      while (k < w && words[base + k] === source[at + k] >>> 0) k++;
      if (k === w) return entry - 1;
      i = (i + 1) & mask;
    }
    const id = this.count++;
    if ((id + 1) * w > this.words.length) this.words = grown(this.words);
    for (let k = 0; k < w; k++) this.words[id * w + k] = source[at + k];
    this.slots[i] = id + 1;
    if (2 * this.count > this.slots.length) this.rehash();
    return id;
  }

  bytes(): number {
    return this.words.byteLength + this.slots.byteLength;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let i = tupleHash(this.words, id * this.width, this.width) & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    this.slots = slots;
  }
}

function tupleHash(source: ArrayLike<number>, at: number, width: number): number {
  let h = 0x2f0b3c1d ^ width;
  for (let k = 0; k < width; k++) h = mixWord(h, source[at + k]);
  return finalMix(h);
}

