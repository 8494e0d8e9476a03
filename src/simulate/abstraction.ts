// The abstract state guided simulation counts as coverage, and the coverage it reports: how many
// abstract states the runs reached (a curve over runs) and a Good-Turing estimate of what is still
// unseen. An actor system always brings its own (src/world/abstraction.ts: the model's
// ActorSpec.abstraction, else per node slot its role and phase, or down); a system without one (a
// spec model) falls back to the strings and booleans of the state's picture, never numbers or
// lists, which grow without bound.
import type { TransitionSystem } from '../model/system.ts';
import type { Abstraction } from './guided-run.ts';

/** Nesting depth the default abstraction looks into (actor pictures: nodes, name, volatile, field). */
export const DEFAULT_ABSTRACTION_DEPTH = 4;

/** The default abstraction of a state's picture (`show`): every string and boolean leaf with its path. */
export function defaultAbstractionOf(picture: unknown): string {
  const parts: string[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: picture, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string' || typeof value === 'boolean') parts.push(`${path}=${String(value)}`);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < DEFAULT_ABSTRACTION_DEPTH) {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], path: `${path}.${entries[i][0]}`, depth: depth + 1 });
    }
  }
  return parts.join(' ');
}

/** The system's abstraction: the model's own, else the default over its picture. */
export function abstractionOf<S>(system: TransitionSystem<S>): Abstraction<S> {
  if (system.abstraction) return (state) => system.abstraction!(state);
  return (state) => defaultAbstractionOf(system.show(state));
}

/** One point of the coverage curve: abstract states reached by the first `runs` runs. */
export interface CoveragePoint {
  readonly runs: number;
  readonly abstractStates: number;
}

export interface CoverageReport {
  /** Distinct abstract states reached over all runs (including runs before the requested range). */
  readonly abstractStates: number;
  /** After each generation of runs; non-decreasing in both fields. */
  readonly curve: readonly CoveragePoint[];
  /**
   * Good-Turing estimate of the chance that the next sighting is of an abstract state not seen
   * yet: abstract states reached in exactly one run, over all (abstract state, run) sightings. In
   * [0, 1]; near 0 means further runs of this kind mostly revisit known states.
   */
  readonly unseenEstimate: number;
  /** Schedule prefixes in the corpus at the end. */
  readonly corpus: number;
}

/** The runs that reached one abstract state so far (the counter updates it in place). */
export interface RunsReaching {
  readonly runs: number;
}

/** Counts, per abstract state, the runs that reached it. */
export class CoverageCounter {
  private readonly runsOf = new Map<string, { runs: number }>();
  private sightings = 0;
  private singletons = 0;
  readonly curve: CoveragePoint[] = [];

  /** Count one run's abstract states; returns how many were new. */
  add(abstractStates: readonly string[]): number {
    let fresh = 0;
    for (const a of abstractStates) {
      let reach = this.runsOf.get(a);
      if (reach === undefined) this.runsOf.set(a, (reach = { runs: 0 }));
      const n = reach.runs;
      reach.runs = n + 1;
      this.sightings++;
      if (n === 0) {
        fresh++;
        this.singletons++;
      } else if (n === 1) this.singletons--;
    }
    return fresh;
  }

  /** (abstract state, run) sightings counted so far: changes whenever any count does. */
  get sightingsSoFar(): number {
    return this.sightings;
  }

  /** The live count of runs reaching `abstract`, which must have been counted already. */
  reachOf(abstract: string): RunsReaching {
    const reach = this.runsOf.get(abstract);
    if (reach === undefined) throw new Error(`coverage: ${abstract} was never counted`);
    return reach;
  }

  has(abstract: string): boolean {
    return this.runsOf.has(abstract);
  }

  get size(): number {
    return this.runsOf.size;
  }

  point(runs: number): void {
    this.curve.push({ runs, abstractStates: this.runsOf.size });
  }

  report(corpus: number): CoverageReport {
    return { abstractStates: this.runsOf.size, curve: [...this.curve], unseenEstimate: this.sightings > 0 ? this.singletons / this.sightings : 1, corpus };
  }
}
