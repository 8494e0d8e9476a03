// The end of an exhaustive search, shared by the strategies: rebuild the counterexample from the
// parent links, decide the verdict, and gather the counts into a SearchOutcome.
import { violationTextOf, type TransitionSystem } from '../model/system.ts';
import { rebuildPath, type ParentLinks } from './links.ts';
import { verdictOf, type SearchOutcome, type Violation } from './outcome.ts';
import type { PropertyTracker } from './properties.ts';
import type { ReductionStats } from './sleep-sets.ts';
import { collisionProbability } from './visited.ts';
import type { VisitedSet } from './visited-modes.ts';

/** The first broken invariant a search met: the ordinal of the state that breaks it. */
export interface Broken {
  readonly ordinal: number;
  readonly property: string;
  readonly description: string;
}

export interface SearchEnd<S> {
  readonly strategy: string;
  readonly reduction?: ReductionStats | null;
  readonly system: TransitionSystem<S>;
  readonly visited: Pick<VisitedSet, 'size' | 'bytes'>;
  readonly links: ParentLinks;
  readonly tracker: PropertyTracker<S>;
  readonly broken: Broken | null;
  readonly limitReasons: string[];
  readonly transitions: number;
  /** Depth reached (levels); BFS reports the violating state's level instead when there is one. */
  readonly depth: number;
  readonly depthIsViolationLevel: boolean;
  readonly peakFrontierBytes: number;
  readonly elapsedMs: number;
}

/** The counterexample to the broken state: its path rebuilt from the parent links, with its message. */
export function violationAt<S>(system: TransitionSystem<S>, links: ParentLinks, broken: Broken): Violation {
  const path = rebuildPath(system, links, broken.ordinal);
  return {
    property: broken.property,
    description: violationTextOf(system, broken.property, broken.description, path.states[path.states.length - 1]),
    length: path.events.length,
    initialIndex: path.initialIndex,
    events: path.events,
    states: path.states.map((s) => system.show(s)),
  };
}

export function finishSearch<S>(end: SearchEnd<S>): SearchOutcome {
  const { system, visited, links, broken } = end;
  let violation: Violation | null = null;
  let depth = end.depth;
  if (broken) {
    violation = violationAt(system, links, broken);
    if (end.depthIsViolationLevel) depth = violation.length + 1;
  }
  const reachable = end.tracker.report();
  const { result, inconclusiveReasons } = verdictOf(violation, end.limitReasons, reachable);
  return {
    strategy: end.strategy,
    result,
    inconclusiveReasons,
    violation,
    reachable,
    complete: !violation && end.limitReasons.length === 0,
    distinctStates: visited.size,
    transitions: end.transitions,
    depth,
    elapsedMs: end.elapsedMs,
    statesPerSecond: end.elapsedMs > 0 ? Math.round((visited.size / end.elapsedMs) * 1000) : 0,
    visitedBytes: visited.bytes(),
    linkBytes: links.bytes(),
    peakFrontierBytes: end.peakFrontierBytes,
    collisionProbability: collisionProbability(visited.size, end.transitions),
    reduction: end.reduction ?? null,
  };
}
