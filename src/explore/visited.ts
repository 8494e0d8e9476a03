// The visited set: 64-bit fingerprints in one Uint32Array (lo, hi interleaved), open addressing
// with linear probing. Capacity grows by 1.5x at load 0.75, so the table stays between 0.5 and 0.75
// full: 10.7 to 16 bytes per state. Slots map to the capacity by multiply-shift (any capacity works).
// An optional value lane keeps one uint32 per fingerprint (bounded DFS stores the depth there).

const MAX_LOAD = 0.75;
const GROWTH = 1.5;

export class FingerprintSet {
  private slots: Uint32Array;
  private values: Uint32Array | null;
  private capacity: number;
  private count = 0;
  private limit: number;
  /** Slot of the last `add` or `find` (valid until the next insertion). */
  lastSlot = -1;

  constructor(initialCapacity = 1 << 16, withValues = false) {
    this.capacity = initialCapacity;
    this.slots = new Uint32Array(initialCapacity * 2);
    this.values = withValues ? new Uint32Array(initialCapacity) : null;
    this.limit = Math.floor(initialCapacity * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  bytes(): number {
    return this.slots.byteLength + (this.values ? this.values.byteLength : 0);
  }

  /** Insert; true when the fingerprint was not present. The all-zero fingerprint marks empty slots. */
  add(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) lo = 1;
    if (this.count >= this.limit) this.grow();
    const slots = this.slots;
    const cap = this.capacity;
    let i = Math.floor(((lo >>> 0) * cap) / 4294967296);
    for (;;) {
      const sl = slots[2 * i];
      const sh = slots[2 * i + 1];
      if (sl === 0 && sh === 0) {
        slots[2 * i] = lo;
        slots[2 * i + 1] = hi;
        this.count++;
        this.lastSlot = i;
        return true;
      }
      if (sl === lo >>> 0 && sh === hi >>> 0) {
        this.lastSlot = i;
        return false;
      }
      if (++i === cap) i = 0;
    }
  }

  has(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) lo = 1;
    const cap = this.capacity;
    let i = Math.floor(((lo >>> 0) * cap) / 4294967296);
    for (;;) {
      const sl = this.slots[2 * i];
      const sh = this.slots[2 * i + 1];
      if (sl === 0 && sh === 0) return false;
      if (sl === lo >>> 0 && sh === hi >>> 0) {
        this.lastSlot = i;
        return true;
      }
      if (++i === cap) i = 0;
    }
  }

  /** Every fingerprint as (lo, hi) pairs, except those `skip` holds (checkpoints list a shard's slice). */
  list(skip: FingerprintSet | null = null): Uint32Array {
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

  /** Value stored with the fingerprint at `lastSlot`. */
  getValue(): number {
    return this.values ? this.values[this.lastSlot] : 0;
  }

  setValue(value: number): void {
    if (this.values) this.values[this.lastSlot] = value;
  }

  /** Rehash into a table 1.5x larger: a tight loop (entries are known distinct, no compare). */
  private grow(): void {
    const oldSlots = this.slots;
    const oldValues = this.values;
    const oldCap = this.capacity;
    const cap = Math.ceil(oldCap * GROWTH);
    const slots = new Uint32Array(cap * 2);
    const values = oldValues ? new Uint32Array(cap) : null;
    for (let j = 0; j < oldCap; j++) {
      const lo = oldSlots[2 * j];
      const hi = oldSlots[2 * j + 1];
      if (lo === 0 && hi === 0) continue;
      let i = Math.floor((lo * cap) / 4294967296);
      while (slots[2 * i] !== 0 || slots[2 * i + 1] !== 0) if (++i === cap) i = 0;
      slots[2 * i] = lo;
      slots[2 * i + 1] = hi;
      if (values) values[i] = oldValues![j];
    }
    this.slots = slots;
    this.values = values;
    this.capacity = cap;
    this.limit = Math.floor(cap * MAX_LOAD);
  }
}

/**
 * Probability that some state was hidden by a fingerprint collision, as TLC estimates it for
 * 64-bit fingerprints: roughly distinct * (generated - distinct) / 2^64.
 */
export function collisionProbability(distinct: number, generated: number): number {
  return (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
}
