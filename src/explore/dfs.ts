// Depth-first search with an explicit stack (no recursion). Unbounded, it visits exactly the states
// BFS visits. With a depth bound, a state first met deep and cut off may be met again shallower:
// the visited set keeps each state's smallest depth and re-expands it when a shorter path appears,
// so the bounded search is complete up to the bound.
//
// With sleep sets (options.por; unbounded, on systems whose fingerprints name states, not symmetry
// orbits) every visited state keeps the sleep set it was expanded under. An arrival with a sleep
// set that lacks some of its members shrinks it to the intersection, and the state is expanded
// again under the smaller set: at the end every state's set is the intersection over all its
// arrivals, which is what keeps the reduction sound (docs/reduction.md).
import { grown } from '../util/grow.ts';
import type { TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import { finishSearch, type Broken } from './finish.ts';
import { TraceLinks } from './links.ts';
import { EXPANSIONS_PER_POLL, type SearchOptions, type SearchOutcome } from './outcome.ts';
import { PropertyTracker } from './properties.ts';
import { FingerprintSet } from './visited.ts';
import { NO_SLEEP, SleepExpander, SleepStore } from './sleep-sets.ts';

export function dfs<S>(system: TransitionSystem<S>, options: SearchOptions = {}): SearchOutcome {
  const now = options.now ?? (() => 0);
  const started = now();
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const bounded = Number.isFinite(maxDepth);
  // Coverage counts each expansion's events, so it would count re-expansions twice: it runs unreduced.
  const independence = options.por === true && !bounded && !options.observer && system.independence?.exact ? system.independence : undefined;
  // Bounded, the value lane holds each state's depth; with sleep sets, its ordinal.
  const visited = new FingerprintSet(1 << 16, bounded || independence !== undefined);
  const expander = independence ? new SleepExpander(independence) : null;
  /** Sleep sets by ordinal, and each state's phase: waiting for its first expansion, expanded, or waiting to be expanded again. */
  const sleeps = new SleepStore();
  let phases = new Uint8Array(1024);
  const FIRST = 1;
  const EXPANDED = 2;
  const AGAIN = 3;
  let reexpansions = 0;
  const links = new TraceLinks();
  const tracker = new PropertyTracker(system);
  const fp = newFingerprint();
  const stack = system.newStore();
  // Per stack entry: the state's ordinal and its depth (levels, the initial state is 1).
  let ordinals = new Uint32Array(1024);
  let depths = new Uint32Array(1024);
  let transitions = 0;
  let deepest = 0;
  let peakFrontierBytes = 0;
  let broken: Broken | null = null;
  let cutOff = 0;
  const limitReasons: string[] = [];

  const push = (state: S, ordinal: number, depth: number): void => {
    const at = stack.length;
    if (at === ordinals.length) {
      const o = new Uint32Array(at * 2);
      o.set(ordinals);
      ordinals = o;
      const d = new Uint32Array(at * 2);
      d.set(depths);
      depths = d;
    }
    stack.push(state);
    ordinals[at] = ordinal;
    depths[at] = depth;
    if (depth > deepest) deepest = depth;
  };

  /** True when the state should be explored (new, or reached shallower than before). */
  const observer = options.observer;
  const admit = (state: S, depth: number, tell: (isNew: boolean) => void = () => {}): boolean => {
    system.fingerprint(state, fp);
    const added = visited.add(fp.lo, fp.hi);
    tell(added);
    if (added) {
      if (bounded) visited.setValue(depth);
      return true;
    }
    if (bounded && depth < visited.getValue()) {
      visited.setValue(depth);
      return true;
    }
    return false;
  };

  system.initialStates().forEach((state, i) => {
    if (!admit(state, 1, (isNew) => observer?.initial(isNew))) return;
    const ordinal = links.addRoot(i);
    if (expander) {
      visited.setValue(ordinal);
      sleeps.push(NO_SLEEP);
      setPhase(ordinal, FIRST);
    }
    const bad = tracker.check(state, 0);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    push(state, ordinal, 1);
  });

  let parentOrdinal = 0;
  let childDepth = 0;
  let stateLimitHit = false;
  const visit = (state: S, index: number): void => {
    if (!admit(state, childDepth, observer ? (isNew) => observer.transition(index, isNew) : undefined)) {
      if (expander) revisit(state);
      return;
    }
    const ordinal = links.add(parentOrdinal, index);
    if (expander) {
      visited.setValue(ordinal);
      sleeps.push(expander.childView());
      setPhase(ordinal, FIRST);
    }
    const bad = tracker.check(state, childDepth - 1);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    push(state, ordinal, childDepth);
    if (visited.size >= maxStates) stateLimitHit = true;
  };

  function setPhase(ordinal: number, phase: number): void {
    if (ordinal >= phases.length) phases = grown(phases, ordinal + 1);
    phases[ordinal] = phase;
  }
  /** Another arrival at a visited state: what sleeps in it now sleeps in every arrival. */
  function revisit(state: S): void {
    const ordinal = visited.getValue();
    const before = sleeps.count(ordinal);
    if (before === 0) return;
    sleeps.intersect(ordinal, expander!.childView());
    if (sleeps.count(ordinal) === before || phases[ordinal] !== EXPANDED) return;
    // Expanded already under a larger sleep set: expand it again under the smaller one.
    reexpansions++;
    phases[ordinal] = AGAIN;
    push(state, ordinal, childDepth);
  }

  let polls = 0;
  while (stack.length > 0 && !broken) {
    const top = stack.length - 1;
    parentOrdinal = ordinals[top];
    const depth = depths[top];
    const state = stack.pop();
    if (depth >= maxDepth) {
      cutOff++;
      continue;
    }
    childDepth = depth + 1;
    observer?.expanding(state);
    if (expander) {
      // Transitions count each state's enabled events once; a re-expansion only computes more.
      const first = phases[parentOrdinal] === FIRST;
      phases[parentOrdinal] = EXPANDED;
      const enabled = expander.expand(state, sleeps.view(parentOrdinal), visit);
      if (first) transitions += enabled;
    } else transitions += system.forEachSuccessor(state, visit);
    if (stateLimitHit) {
      limitReasons.push(`max states ${maxStates} reached`);
      break;
    }
    if (++polls === EXPANSIONS_PER_POLL) {
      polls = 0;
      peakFrontierBytes = Math.max(peakFrontierBytes, stack.bytes() + ordinals.byteLength * 2);
      const elapsed = now() - started;
      const stop = options.shouldStop?.() ?? null;
      if (stop) {
        limitReasons.push(stop);
        break;
      }
      if (options.timeLimitMs !== undefined && elapsed > options.timeLimitMs) {
        limitReasons.push(`time limit ${options.timeLimitMs} ms reached`);
        break;
      }
      options.onProgress?.({ distinctStates: visited.size, transitions, depth: deepest, queue: stack.length, elapsedMs: elapsed });
    }
  }
  if (cutOff > 0 && !broken) limitReasons.push(`max depth ${maxDepth} reached: ${cutOff} states not expanded`);
  peakFrontierBytes = Math.max(peakFrontierBytes, stack.bytes() + ordinals.byteLength * 2);

  return finishSearch({
    strategy: 'dfs',
    reduction: expander ? { kind: 'sleep sets', skipped: transitions - expander.computed, peakSleepBytes: sleeps.bytes(), reexpansions } : null,
    system,
    visited,
    links,
    tracker,
    broken: broken as Broken | null,
    limitReasons,
    transitions,
    depth: deepest,
    depthIsViolationLevel: false,
    peakFrontierBytes,
    elapsedMs: now() - started,
  });
}
