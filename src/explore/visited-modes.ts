// Visited sets past RAM (`visited: 'compact' | 'bitstate'`), beside the default FingerprintSet.
//
// - CompactSet (visited-compact.ts) keeps the same 64-bit fingerprints in 6 bytes a slot, at most
//   about 8 bytes a state at every fill; the missed-state probability is TLC's.
// - BitstateSet is Spin's supertrace: 2^bits bits and k = 3 bit positions per fingerprint (double
//   hashing); a fingerprint whose k bits are all set counts as visited, so states may be missed.
import { finalMix } from '../util/hash.ts';
import { CompactSet } from './visited-compact.ts';
import { FingerprintSet } from './visited.ts';

export { CompactSet };

export type VisitedMode = 'exact' | 'compact' | 'bitstate';
export const VISITED_MODES: readonly VisitedMode[] = ['exact', 'compact', 'bitstate'];

/** What a search needs of its visited set. */
export interface VisitedSet {
  readonly size: number;
  add(lo: number, hi: number): boolean;
  bytes(): number;
  /** Every fingerprint as (lo, hi) pairs except those `skip` holds (checkpoints); absent where it cannot. */
  list?(skip: FingerprintSet | null): Uint32Array;
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
