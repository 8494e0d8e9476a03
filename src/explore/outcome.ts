// What a search returns. Strategies never throw for a found bug and never print: the CLI and the
// test helpers format this object.
import type { Event } from '../model/system.ts';
import type { TransitionObserver } from './coverage.ts';
import type { ReductionStats } from './sleep-sets.ts';
import type { RunControl } from './control.ts';

/** How many expansions a search makes between two looks at the clock and the stop request. */
export const EXPANSIONS_PER_POLL = 4096;

export type Verdict = 'pass' | 'violation' | 'inconclusive';

export interface Violation {
  readonly property: string;
  readonly description: string;
  /** Number of events from the initial state to the violating state. */
  readonly length: number;
  readonly initialIndex: number;
  readonly events: readonly Event[];
  /** Pictures (system.show) of every state on the path, the initial one first. */
  readonly states: readonly unknown[];
  /** A liveness lasso (check --liveness): the index of the state where the cycle starts; events from there on repeat forever (none: the last state stutters). */
  readonly loop?: number;
  /** 'liveness' for a lasso; absent for a broken invariant. */
  readonly kind?: 'liveness';
}

export interface ReachTarget {
  readonly name: string;
  readonly description: string;
  /** Events from the initial state to the first state found that reaches it, or null. */
  readonly reachedAtLength: number | null;
}

export interface SearchStats {
  readonly distinctStates: number;
  /** Successors generated, self-loops included (TLC's "states generated" minus the initial ones). */
  readonly transitions: number;
  /** Levels of the search as TLC counts depth: the initial states are level 1. */
  readonly depth: number;
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
  /** Bytes held by the visited set (fingerprints only). */
  readonly visitedBytes: number;
  /** Bytes held by the parent links used to rebuild traces. */
  readonly linkBytes: number;
  /** Largest frontier or stack, in bytes, as held by its store. */
  readonly peakFrontierBytes: number;
  readonly collisionProbability: number;
}

export interface SearchOutcome extends SearchStats {
  readonly strategy: string;
  readonly result: Verdict;
  /** Why a run is inconclusive: a limit that stopped it, or targets never reached. */
  readonly inconclusiveReasons: readonly string[];
  readonly violation: Violation | null;
  readonly reachable: readonly ReachTarget[];
  /** True when the whole reachable space (within limits) was explored. */
  readonly complete: boolean;
  /** The partial-order reduction applied, or null (absent from engines that have none). */
  readonly reduction?: ReductionStats | null;
}

export interface Progress {
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
  readonly queue: number;
  readonly elapsedMs: number;
}

export interface SearchOptions extends RunControl<Progress> {
  readonly maxStates?: number;
  /** Maximum depth counted in levels (as `depth`); deeper states are not expanded. */
  readonly maxDepth?: number;
  /**
   * Partial-order reduction by sleep sets, for systems that describe their independence (actor
   * worlds); ignored by others. Same states, depth and transition count; fewer successors computed
   * (docs/reduction.md). Default: on for BFS, off for DFS (where it keeps a sleep set per state).
   */
  readonly por?: boolean;
  /** Told of every expansion and transition (action coverage); sequential BFS and DFS only. */
  readonly observer?: TransitionObserver<any>;
}

export function verdictOf(
  violation: Violation | null,
  limitReasons: string[],
  reachable: ReachTarget[],
): { result: Verdict; inconclusiveReasons: string[] } {
  if (violation) return { result: 'violation', inconclusiveReasons: [] };
  const reasons = [...limitReasons];
  for (const r of reachable) {
    if (r.reachedAtLength === null) reasons.push(`target '${r.name}' (${r.description}) was never reached`);
  }
  return { result: reasons.length ? 'inconclusive' : 'pass', inconclusiveReasons: reasons };
}
