// Breadth-first search, level by level: the first violation found is at the smallest depth, so its
// counterexample is a shortest one. Frontier states live in the system's store (typed arrays for
// packed systems); the visited set holds fingerprints only; parent links rebuild the trace.
//
// With sleep sets (options.por, on systems that describe their independence), a state is expanded
// under the sleep set of its first arrival: that arrival is along the lexicographically least
// shortest path to it, which no sleep set prunes, so every state is reached at its BFS depth from
// the same parent as without reduction: same states, depth, order and counterexample. Where a
// fingerprint stands for a symmetry orbit, the first arrival at an orbit need not be that path, so
// a state sleeps only on what every arrival from the level before agrees on (an arrival at another
// member of its orbit empties it); docs/reduction.md gives both arguments.
import type { TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import { stopReasonOf } from './control.ts';
import { finishSearch, type Broken } from './finish.ts';
import { TraceLinks } from './links.ts';
import { EXPANSIONS_PER_POLL, type SearchOptions, type SearchOutcome } from './outcome.ts';
import { PropertyTracker } from './properties.ts';
import { FingerprintSet } from './visited.ts';
import { NO_SLEEP, SleepExpander, SleepStore } from './sleep-sets.ts';

export function bfs<S>(system: TransitionSystem<S>, options: SearchOptions = {}): SearchOutcome {
  const now = options.now ?? (() => 0);
  const started = now();
  const stopReason = stopReasonOf(options, started);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const independence = options.por ?? true ? system.independence : undefined;
  // Where a fingerprint stands for a symmetry orbit, later arrivals count too (see the header):
  // the visited set then keeps each state's ordinal, to find it in the next level.
  const intersect = independence !== undefined && !independence.exact;
  const visited = new FingerprintSet(1 << 16, intersect);
  const expander = independence ? new SleepExpander(independence) : null;
  let sleeping = new SleepStore();
  let nextSleeping = new SleepStore();
  let peakSleepBytes = 0;
  let nextStart = 0;
  const links = new TraceLinks();
  const tracker = new PropertyTracker(system);
  const fp = newFingerprint();
  let current = system.newStore();
  let next = system.newStore();
  let transitions = 0;
  let depth = 0;
  let peakFrontierBytes = 0;
  let broken: Broken | null = null;
  const limitReasons: string[] = [];

  const observer = options.observer;
  system.initialStates().forEach((state, i) => {
    system.fingerprint(state, fp);
    const added = visited.add(fp.lo, fp.hi);
    observer?.initial(added);
    if (!added) return;
    const ordinal = links.addRoot(i);
    visited.setValue(ordinal);
    sleeping.push(NO_SLEEP);
    const bad = tracker.check(state, 0);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    current.push(state);
  });
  if (current.length > 0) depth = 1;

  // The level being generated: its states have length `depth` and ordinals from `nextStart`.
  let parentOrdinal = 0;
  let stateLimitHit = false;
  const visit = (state: S, index: number): void => {
    system.fingerprint(state, fp);
    const added = visited.add(fp.lo, fp.hi);
    observer?.transition(index, added);
    if (!added) {
      // Another arrival at a state of the next level: it sleeps only where every arrival did. An
      // arrival at another member of its symmetry orbit says nothing of the stored one's events.
      const at = intersect ? visited.getValue() - nextStart : -1;
      if (at < 0 || nextSleeping.count(at) === 0) return;
      if (independence!.same(state, next.get(at))) nextSleeping.intersect(at, expander!.childView());
      else nextSleeping.empty(at);
      return;
    }
    const ordinal = links.add(parentOrdinal, index);
    if (expander) {
      visited.setValue(ordinal);
      nextSleeping.push(expander.childView());
    }
    const bad = tracker.check(state, depth);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    next.push(state);
    if (visited.size >= maxStates) stateLimitHit = true;
  };

  let levelStart = 0;
  let polls = 0;
  search: while (current.length > 0 && !broken) {
    if (depth >= maxDepth) {
      limitReasons.push(`max depth ${maxDepth} reached with ${current.length} states unexpanded`);
      break;
    }
    nextStart = links.size;
    for (let i = 0; i < current.length; i++) {
      parentOrdinal = levelStart + i;
      const state = current.get(i);
      observer?.expanding(state);
      transitions += expander ? expander.expand(state, sleeping.view(i), visit) : system.forEachSuccessor(state, visit);
      if (broken) break search;
      if (stateLimitHit) {
        limitReasons.push(`max states ${maxStates} reached`);
        break search;
      }
      if (++polls === EXPANSIONS_PER_POLL) {
        polls = 0;
        const stop = stopReason();
        if (stop) {
          limitReasons.push(stop);
          break search;
        }
        options.onProgress?.({
          distinctStates: visited.size,
          transitions,
          depth: depth + 1,
          queue: current.length - i + next.length,
          elapsedMs: now() - started,
        });
      }
    }
    peakFrontierBytes = Math.max(peakFrontierBytes, current.bytes() + next.bytes());
    peakSleepBytes = Math.max(peakSleepBytes, sleeping.bytes() + nextSleeping.bytes());
    levelStart = nextStart;
    [current, next] = [next, current];
    next.clear();
    [sleeping, nextSleeping] = [nextSleeping, sleeping];
    nextSleeping.clear();
    if (current.length > 0) depth++;
  }
  peakFrontierBytes = Math.max(peakFrontierBytes, current.bytes() + next.bytes());

  return finishSearch({
    strategy: 'bfs',
    reduction: expander ? { kind: 'sleep sets', skipped: transitions - expander.computed, peakSleepBytes } : null,
    system,
    visited,
    links,
    tracker,
    broken: broken as Broken | null,
    limitReasons,
    transitions,
    depth: depth,
    depthIsViolationLevel: true,
    peakFrontierBytes,
    elapsedMs: now() - started,
  });
}
