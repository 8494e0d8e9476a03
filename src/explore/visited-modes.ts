// Visited sets past RAM (`visited: 'compact' | 'bitstate'`), beside the default FingerprintSet.
//
// - CompactSet keeps the same 64-bit fingerprints in 6 bytes a slot: 2^q buckets of 8 slots, the
//   bucket chosen by the top q bits of `hi` (q >= 16), the slot holding `lo` (uint32) and the low 16
//   bits of `hi` (uint16). The top 16 bits of `hi` are implied by the bucket, so the whole
//   fingerprint is kept (a doubling takes the next bucket bit from the stored bits) and two states
//   collide exactly when their 64-bit fingerprints do: the missed-state probability is TLC's. A full
//   bucket sends the fingerprint to a small exact overflow set. The table doubles at load 0.9, so
//   it holds 6.7 bytes a state at the top of that range and 13.3 just after a doubling.
// - BitstateSet is Spin's supertrace: 2^bits bits and k = 3 bit positions per fingerprint (double
//   hashing); a fingerprint whose k bits are all set counts as visited, so states may be missed.
import { finalMix } from '../util/hash.ts';
import { FingerprintSet } from './visited.ts';

export type VisitedMode = 'exact' | 'compact' | 'bitstate';
export const VISITED_MODES: readonly VisitedMode[] = ['exact', 'compact', 'bitstate'];

/** What a search needs of its visited set. */
export interface VisitedSet {
  readonly size: number;
  add(lo: number, hi: number): boolean;
  bytes(): number;
}

const BUCKET_SLOTS = 8;
const COMPACT_MAX_LOAD = 0.9;
const COMPACT_BITS_MIN = 16;

export class CompactSet implements VisitedSet {
  private bits = COMPACT_BITS_MIN;
  private los: Uint32Array;
  private his: Uint16Array;
  private count = 0;
  private readonly overflow = new FingerprintSet(1 << 10);

  constructor() {
    this.los = new Uint32Array(BUCKET_SLOTS << this.bits);
    this.his = new Uint16Array(BUCKET_SLOTS << this.bits);
  }

  get size(): number {
    return this.count + this.overflow.size;
  }

  bytes(): number {
    return this.los.byteLength + this.his.byteLength + this.overflow.bytes();
  }

  add(lo: number, hi: number): boolean {
    // A bijective remix (so still the whole fingerprint): symmetric fingerprints' top bits are not uniform.
    hi = (hi ^ finalMix(lo)) >>> 0;
    lo = (lo ^ finalMix(hi)) >>> 0;
    if (lo === 0 && (hi & 0xffff) === 0) lo = 1;
    if (this.count >= COMPACT_MAX_LOAD * this.los.length) this.grow();
    const h16 = hi & 0xffff;
    const start = (hi >>> (32 - this.bits)) * BUCKET_SLOTS;
    const los = this.los;
    const his = this.his;
    for (let i = start, end = start + BUCKET_SLOTS; i < end; i++) {
      const l = los[i];
      const h = his[i];
      if (l === 0 && h === 0) {
        // Put in the overflow while this bucket was full, before a doubling made room here.
        if (this.overflow.size > 0 && this.overflow.has(lo, hi)) return false;
        los[i] = lo;
        his[i] = h16;
        this.count++;
        return true;
      }
      if (l === lo && h === h16) return false;
    }
    return this.overflow.add(lo, hi);
  }

  /** Double the buckets: each entry goes to bucket 2b or 2b+1 by the next bit of `hi`, which is stored. */
  private grow(): void {
    const bits = this.bits + 1;
    const oldLos = this.los;
    const oldHis = this.his;
    const los = new Uint32Array(BUCKET_SLOTS << bits);
    const his = new Uint16Array(BUCKET_SLOTS << bits);
    const nextBit = 32 - bits;
    for (let b = 0, buckets = 1 << this.bits; b < buckets; b++) {
      let fillLow = 2 * b * BUCKET_SLOTS;
      let fillHigh = fillLow + BUCKET_SLOTS;
      for (let i = b * BUCKET_SLOTS, end = i + BUCKET_SLOTS; i < end; i++) {
        const l = oldLos[i];
        const h = oldHis[i];
        if (l === 0 && h === 0) break;
        const at = (h >>> nextBit) & 1 ? fillHigh++ : fillLow++;
        los[at] = l;
        his[at] = h;
      }
    }
    this.los = los;
    this.his = his;
    this.bits = bits;
  }
}

/** Bit positions set per state (Spin's default for -k). */
export const BITSTATE_HASHES = 3;
export const BITSTATE_BITS_MIN = 10;
export const BITSTATE_BITS_MAX = 36;

export class BitstateSet implements VisitedSet {
  private readonly words: Int32Array;
  private readonly mask: number;
  private readonly high: number;
  private count = 0;

  /** 2^bits bits; `seed` varies the bit positions (each swarm search its own). */
  constructor(
    readonly bits: number,
    private readonly seed = 0,
  ) {
    if (!Number.isInteger(bits) || bits < BITSTATE_BITS_MIN || bits > BITSTATE_BITS_MAX) throw new RangeError(`bitstate bits must be ${BITSTATE_BITS_MIN} to ${BITSTATE_BITS_MAX}`);
    this.words = new Int32Array(2 ** (bits - 5));
    this.mask = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
    this.high = bits > 32 ? 2 ** (bits - 32) - 1 : 0;
  }

  get size(): number {
    return this.count;
  }

  bytes(): number {
    return this.words.byteLength;
  }

  add(lo: number, hi: number): boolean {
    const a = finalMix(lo ^ this.seed ^ finalMix(hi));
    const b = (finalMix(hi ^ a) | 1) >>> 0;
    let fresh = false;
    for (let i = 0; i < BITSTATE_HASHES; i++) {
      const low = (a + Math.imul(i, b)) & this.mask;
      const top = this.high === 0 ? 0 : (((hi >>> 7) + i * 0x9e3779b9) >>> 0) & this.high;
      const bit = top * 4294967296 + (low >>> 0);
      const word = Math.floor(bit / 32);
      const m = 1 << (bit & 31);
      if ((this.words[word] & m) === 0) {
        this.words[word] |= m;
        fresh = true;
      }
    }
    if (fresh) this.count++;
    return fresh;
  }

  /** Probability that a new state now counts as visited: (1 - e^(-k n / m))^k. */
  falsePositiveRate(): number {
    return (1 - Math.exp((-BITSTATE_HASHES * this.count) / 2 ** this.bits)) ** BITSTATE_HASHES;
  }

  /**
   * Expected coverage (Holzmann): the mean over the states stored of the chance that the i-th one was
   * not mistaken for a visited one, 1 - (1 - e^(-k i / m))^k, by the midpoint rule over 1,000 steps.
   */
  expectedCoverage(): number {
    const n = this.count;
    if (n === 0) return 1;
    const steps = 1000;
    let sum = 0;
    for (let j = 0; j < steps; j++) {
      const i = ((j + 0.5) / steps) * n;
      sum += 1 - (1 - Math.exp((-BITSTATE_HASHES * i) / 2 ** this.bits)) ** BITSTATE_HASHES;
    }
    return sum / steps;
  }
}

export function newVisitedSet(mode: VisitedMode, bitstateBits = 27, seed = 0): VisitedSet {
  if (mode === 'compact') return new CompactSet();
  if (mode === 'bitstate') return new BitstateSet(bitstateBits, seed);
  return new FingerprintSet();
}

/**
 * How a search's visited set may have missed states, worded as TLC words it for fingerprints:
 * "calculated (optimistic)" is n * (g - n) / 2^64 for n distinct states and g generated (TLC's own
 * estimate: each of the g - n arrivals at a seen state could have hidden a new one among n).
 */
export function missedStateNote(mode: VisitedMode, set: VisitedSet, distinct: number, generated: number): string {
  if (set instanceof BitstateSet) {
    const coverage = set.expectedCoverage();
    return `bitstate 2^${set.bits} bits, ${BITSTATE_HASHES} hashes: expected coverage ${(coverage * 100).toFixed(4)}% (Holzmann); a new state now looks visited with probability ${set.falsePositiveRate().toExponential(2)}`;
  }
  const p = (distinct * Math.max(0, generated - distinct)) / 2 ** 64;
  return `${mode === 'compact' ? 'hash compaction' : 'fingerprints'}: 64 bits, ${(set.bytes() / Math.max(1, distinct)).toFixed(1)} bytes a state; probability of a missed state by fingerprint collision: calculated (optimistic): ${p.toExponential(1)}`;
}
