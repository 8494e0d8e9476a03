// Seeded randomness for simulation, behind a small interface whose state can be saved and restored
// (Quint's lesson: a run is replayable from its seed, and a paused run resumes exactly).
// Wraps seedrandom's Alea generator: fast, and identical on every platform.
import seedrandom from 'seedrandom';

export type RngState = ReturnType<seedrandom.StatefulPRNG<seedrandom.State.Alea>['state']>;

export class Rng {
  private constructor(private readonly prng: seedrandom.StatefulPRNG<seedrandom.State.Alea>) {}

  /** A generator seeded from a string (every machine draws the same sequence). */
  static fromSeed(seed: string): Rng {
    return new Rng(seedrandom.alea(seed, { state: true }));
  }

  /** The generator of simulation run `run` under the user's `seed`, whichever worker runs it. */
  static forRun(seed: number, run: number): Rng {
    return Rng.fromSeed(`ordeal/${seed}/${run}`);
  }

  static restore(state: RngState): Rng {
    return new Rng(seedrandom.alea('', { state }));
  }

  save(): RngState {
    return this.prng.state();
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.prng() * bound);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.prng() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return probability > 0 && this.prng() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: no items');
    return items[Math.floor(this.prng() * items.length)];
  }
}
