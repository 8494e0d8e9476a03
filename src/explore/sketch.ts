// How many distinct states several searches covered together, without sending their states: each
// search keeps the K smallest of its fingerprints read as numbers in [0, 1) (a "k minimum values"
// sketch, Bar-Yossef et al. 2002); the union of sketches is the K smallest of their union, and
// (K - 1) / (K-th smallest) estimates the distinct count (relative error about 1/sqrt(K - 2), 3%).
import { finalMix } from '../util/hash.ts';

export const SKETCH_SIZE = 1024;

export class MinValues {
  private values: number[] = [];
  private threshold = 1;

  constructor(readonly size = SKETCH_SIZE) {}

  /** Offer a 64-bit fingerprint (remixed: a symmetric fingerprint's lanes need not be uniform). */
  offer(lo: number, hi: number): void {
    const a = finalMix(hi ^ finalMix(lo ^ 0x27d4eb2f));
    const b = finalMix(lo ^ a);
    const u = (a * 4294967296 + b) / 18446744073709551616;
    if (u >= this.threshold) return;
    this.values.push(u);
    if (this.values.length >= 4 * this.size) this.compact();
  }

  private compact(): void {
    const sorted = [...new Set(this.values)].sort((a, b) => a - b).slice(0, this.size);
    this.values = sorted;
    if (sorted.length === this.size) this.threshold = sorted[this.size - 1];
  }

  /** The sketch: up to `size` smallest values, ascending. */
  list(): number[] {
    this.compact();
    return [...this.values];
  }
}

/** The union of sketches. */
export function unionOf(sketches: readonly (readonly number[])[], size = SKETCH_SIZE): number[] {
  return [...new Set(sketches.flat())].sort((a, b) => a - b).slice(0, size);
}

/** Estimated distinct states behind a sketch: exact when it is not full. */
export function estimateOf(sketch: readonly number[], size = SKETCH_SIZE): number {
  if (sketch.length < size) return sketch.length;
  return Math.round((size - 1) / sketch[size - 1]);
}
