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
import type { StateStore, TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import { stopReasonOf } from './control.ts';
import { finishSearch, type Broken } from './finish.ts';
import { TraceLinks } from './links.ts';
import { EXPANSIONS_PER_POLL, type SearchOptions, type SearchOutcome } from './outcome.ts';
import { PropertyTracker } from './properties.ts';
import { FingerprintSet } from './visited.ts';
import { NO_SLEEP, SleepExpander, SleepStore, type SleepView } from './sleep-sets.ts';

/** The DFS stack: states in the system's store, with each one's ordinal and depth beside it. */
class DfsStack<S> {
  readonly states: StateStore<S>;
  private ordinals = new Uint32Array(1024);
  private depths = new Uint32Array(1024);
  /** Deepest level pushed so far (levels: the initial state is 1). */
  deepest = 0;

  constructor(system: TransitionSystem<S>) {
    this.states = system.newStore();
  }

  get length(): number {
    return this.states.length;
  }

  push(state: S, ordinal: number, depth: number): void {
    const at = this.states.length;
    if (at === this.ordinals.length) {
      this.ordinals = grown(this.ordinals, at * 2, at);
      this.depths = grown(this.depths, at * 2, at);
    }
    this.states.push(state);
    this.ordinals[at] = ordinal;
    this.depths[at] = depth;
    if (depth > this.deepest) this.deepest = depth;
  }

  topOrdinal(): number {
    return this.ordinals[this.states.length - 1];
  }

  topDepth(): number {
    return this.depths[this.states.length - 1];
  }

  pop(): S {
    return this.states.pop();
  }

  bytes(): number {
    return this.states.bytes() + this.ordinals.byteLength * 2;
  }
}

/** A state's phase under sleep sets: waiting for its first expansion, expanded, or waiting to be expanded again. */
const FIRST = 1;
const EXPANDED = 2;
const AGAIN = 3;

/** Sleep sets by ordinal, and each state's phase (see the header). */
class DfsSleeps {
  readonly sets = new SleepStore();
  private phases = new Uint8Array(1024);
  reexpansions = 0;

  /** A new state, to be expanded under `sleep`. */
  add(ordinal: number, sleep: SleepView): void {
    this.sets.push(sleep);
    if (ordinal >= this.phases.length) this.phases = grown(this.phases, ordinal + 1);
    this.phases[ordinal] = FIRST;
  }

  /** Mark a state expanded; true when this is its first expansion. */
  expanding(ordinal: number): boolean {
    const first = this.phases[ordinal] === FIRST;
    this.phases[ordinal] = EXPANDED;
    return first;
  }

  /**
   * Another arrival at a visited state, with the sleep set `child`: what sleeps in it now sleeps in
   * every arrival. True when it was expanded under a larger set and must be expanded again.
   */
  revisit(ordinal: number, child: SleepView): boolean {
    const before = this.sets.count(ordinal);
    if (before === 0) return false;
    this.sets.intersect(ordinal, child);
    if (this.sets.count(ordinal) === before || this.phases[ordinal] !== EXPANDED) return false;
    this.reexpansions++;
    this.phases[ordinal] = AGAIN;
    return true;
  }
}

export function dfs<S>(system: TransitionSystem<S>, options: SearchOptions = {}): SearchOutcome {
  const now = options.now ?? (() => 0);
  const started = now();
  const stopReason = stopReasonOf(options, started);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const bounded = Number.isFinite(maxDepth);
  // Coverage counts each expansion's events, so it would count re-expansions twice: it runs unreduced.
  const independence = options.por === true && !bounded && !options.observer && system.independence?.exact ? system.independence : undefined;
  // Bounded, the value lane holds each state's depth; with sleep sets, its ordinal.
  const visited = new FingerprintSet(1 << 16, bounded || independence !== undefined);
  const expander = independence ? new SleepExpander(independence) : null;
  const sleeps = new DfsSleeps();
  const links = new TraceLinks();
  const tracker = new PropertyTracker(system);
  const fp = newFingerprint();
  const stack = new DfsStack(system);
  let transitions = 0;
  let peakFrontierBytes = 0;
  let broken: Broken | null = null;
  let cutOff = 0;
  const limitReasons: string[] = [];

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
  /** A state admitted: its ordinal, its sleep set, its invariants; then onto the stack. */
  const discovered = (state: S, ordinal: number, depth: number, sleep: SleepView): void => {
    if (expander) {
      visited.setValue(ordinal);
      sleeps.add(ordinal, sleep);
    }
    const bad = tracker.check(state, depth - 1);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    stack.push(state, ordinal, depth);
  };

  system.initialStates().forEach((state, i) => {
    if (admit(state, 1, (isNew) => observer?.initial(isNew))) discovered(state, links.addRoot(i), 1, NO_SLEEP);
  });

  let parentOrdinal = 0;
  let childDepth = 0;
  let stateLimitHit = false;
  const visit = (state: S, index: number): void => {
    if (!admit(state, childDepth, observer ? (isNew) => observer.transition(index, isNew) : undefined)) {
      // Expanded already under a larger sleep set: expand it again under the smaller one.
      if (expander && sleeps.revisit(visited.getValue(), expander.childView())) stack.push(state, visited.getValue(), childDepth);
      return;
    }
    discovered(state, links.add(parentOrdinal, index), childDepth, expander ? expander.childView() : NO_SLEEP);
    if (visited.size >= maxStates) stateLimitHit = true;
  };

  let polls = 0;
  while (stack.length > 0 && !broken) {
    parentOrdinal = stack.topOrdinal();
    const depth = stack.topDepth();
    const state = stack.pop();
    if (depth >= maxDepth) {
      cutOff++;
      continue;
    }
    childDepth = depth + 1;
    observer?.expanding(state);
    if (expander) {
      // Transitions count each state's enabled events once; a re-expansion only computes more.
      const first = sleeps.expanding(parentOrdinal);
      const enabled = expander.expand(state, sleeps.sets.view(parentOrdinal), visit);
      if (first) transitions += enabled;
    } else transitions += system.forEachSuccessor(state, visit);
    if (stateLimitHit) {
      limitReasons.push(`max states ${maxStates} reached`);
      break;
    }
    if (++polls === EXPANSIONS_PER_POLL) {
      polls = 0;
      peakFrontierBytes = Math.max(peakFrontierBytes, stack.bytes());
      const stop = stopReason();
      if (stop) {
        limitReasons.push(stop);
        break;
      }
      options.onProgress?.({ distinctStates: visited.size, transitions, depth: stack.deepest, queue: stack.length, elapsedMs: now() - started });
    }
  }
  if (cutOff > 0 && !broken) limitReasons.push(`max depth ${maxDepth} reached: ${cutOff} states not expanded`);
  peakFrontierBytes = Math.max(peakFrontierBytes, stack.bytes());

  return finishSearch({
    strategy: 'dfs',
    reduction: expander ? { kind: 'sleep sets', skipped: transitions - expander.computed, peakSleepBytes: sleeps.sets.bytes(), reexpansions: sleeps.reexpansions } : null,
    system,
    visited,
    links,
    tracker,
    broken: broken as Broken | null,
    limitReasons,
    transitions,
    depth: stack.deepest,
    depthIsViolationLevel: false,
    peakFrontierBytes,
    elapsedMs: now() - started,
  });
}
