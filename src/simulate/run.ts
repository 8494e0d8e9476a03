// One simulation run: a discrete-event simulation in virtual time over the transition system's own
// `enabled` and `step`, so every run is a plain event list that `replay` re-executes.
// Each step: maybe inject a spontaneous fault (at the run's fault-mix rates), else let the schedule
// policy pick among the due-timed events; advance the clock; step; check every invariant.
import { stepCursor, violationText, type Cursor, type Event, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import { FAULT_KINDS, type FaultMix, type SimulationOptions } from './options.ts';
import type { Candidates, SchedulePolicy } from './policy.ts';
import { Rng } from './rng.ts';
import { faultAtRates, Schedule, sortEnabled } from './schedule.ts';
import { strategyNamed } from '../explore/strategies/index.ts';

export interface RunViolation {
  readonly kind: 'safety' | 'liveness';
  readonly property: string;
  readonly message: string;
  /** Every event taken, from the initial state; the violation holds after the last one. */
  readonly events: readonly Event[];
}

export type RunEnd = 'quiescent' | 'max-steps' | 'violation' | 'progress';

export interface RunResult {
  readonly run: number;
  readonly mix: FaultMix;
  readonly steps: number;
  readonly virtualTimeMs: number;
  /** Per reachable target (in property order): whether some state of the run reached it. */
  readonly reached: readonly boolean[];
  readonly end: RunEnd;
  readonly violation: RunViolation | null;
  /** The events the run took, in order (for action coverage). */
  readonly events: readonly Event[];
}

function brokenInvariant<S>(invariants: readonly StatePredicate<S>[], state: S): StatePredicate<S> | null {
  for (let i = 0; i < invariants.length; i++) if (!invariants[i].test(state)) return invariants[i];
  return null;
}


// One cursor per system, reused by every run (a run starts with `reset`).
const cursors = new WeakMap<TransitionSystem<unknown>, Cursor<unknown>>();
function cursorOf<S>(system: TransitionSystem<S>): Cursor<S> {
  let cursor = cursors.get(system as TransitionSystem<unknown>) as Cursor<S> | undefined;
  if (cursor === undefined) {
    cursor = system.cursor ? system.cursor() : stepCursor(system);
    cursors.set(system as TransitionSystem<unknown>, cursor as Cursor<unknown>);
  }
  return cursor;
}

const splits = new WeakMap<TransitionSystem<unknown>, { invariants: StatePredicate<unknown>[]; targets: StatePredicate<unknown>[] }>();
function propertiesOf<S>(system: TransitionSystem<S>): { invariants: StatePredicate<S>[]; targets: StatePredicate<S>[] } {
  let split = splits.get(system as TransitionSystem<unknown>);
  if (split === undefined) {
    const all = system.properties as StatePredicate<unknown>[];
    split = { invariants: all.filter((p) => p.kind === 'invariant'), targets: all.filter((p) => p.kind === 'reachable') };
    splits.set(system as TransitionSystem<unknown>, split);
  }
  return split as { invariants: StatePredicate<S>[]; targets: StatePredicate<S>[] };
}

export function simulateRun<S>(system: TransitionSystem<S>, options: SimulationOptions, seed: number, run: number): RunResult {
  // A guided run depends on the corpus earlier runs built: simulate() drives those (guided.ts).
  if (options.strategy === 'guided') throw new Error('simulateRun: guided runs grow from a corpus; simulate them with simulate() (src/simulate/guided.ts)');
  const strategy = strategyNamed(options.strategy, 'simulation');
  const rng = Rng.forRun(seed, run);
  const mix = strategy.mixForRun(options, rng);
  const schedule = new Schedule(rng, options.timing, mix);
  const policy: SchedulePolicy = strategy.policy(rng, options);
  const { invariants, targets } = propertiesOf(system);
  const reached = targets.map(() => false);
  const liveness = options.liveness;
  /** Targets seen holding since the fault phase ended (liveness mode). */
  const progressed = targets.map(() => false);
  let progressMissing = targets.length;
  let deadlineMs = Infinity;

  const events: Event[] = [];
  // How many fault events of each kind (FAULT_KINDS order) are enabled: a step counts them, and
  // only a fault that fires is looked up (its pick draws what rng.pick over their list would).
  const step = { candidates: { events: [], keys: [], dues: [], count: 0 } as Candidates, faultCounts: new Uint32Array(FAULT_KINDS.length) };
  const { candidates, faultCounts } = step;
  const cursor = cursorOf(system);
  cursor.reset(0);
  let nowMs = 0;

  const finish = (end: RunEnd, violation: RunViolation | null): RunResult =>
    ({ run, mix, steps: events.length, virtualTimeMs: nowMs, reached, end, violation, events });
  const observe = (): RunResult | null => {
    for (let i = 0; i < targets.length; i++) {
      const needReach = !reached[i];
      const needProgress = deadlineMs !== Infinity && !progressed[i];
      if ((needReach || needProgress) && targets[i].test(cursor.state)) {
        reached[i] = true;
        if (needProgress) {
          progressed[i] = true;
          progressMissing--;
        }
      }
    }
    const broken = brokenInvariant(invariants, cursor.state);
    if (broken) return finish('violation', { kind: 'safety', property: broken.name, message: violationText(broken, cursor.state), events });
    if (deadlineMs !== Infinity && progressMissing === 0) return finish('progress', null);
    return null;
  };
  // Worded as VOPR's liveness mode words it (`no progress after the faults healed`).
  const livenessFailure = (quiescent: boolean, outOfSteps = false): RunResult => {
    const missing = targets[progressed.indexOf(false)];
    const healedAt = liveness!.faultPhaseSteps;
    const why = quiescent
      ? `no event is enabled after ${events.length} events and '${missing.description}' does not hold`
      : outOfSteps
        ? `no progress after the faults healed: '${missing.description}' not reached within ${events.length - healedAt} steps after step ${healedAt}`
        : `no progress after the faults healed: '${missing.description}' not reached within ${liveness!.windowMs} ms of virtual time after step ${healedAt}`;
    return finish('violation', { kind: 'liveness', property: missing.name, message: why, events });
  };

  /** No event can ever fire again: every progress target must hold now, or never will. */
  const quiescentLiveness = (): RunResult => {
    for (let i = 0; i < targets.length; i++) if (!progressed[i] && targets[i].test(cursor.state)) progressed[i] = true;
    return progressed.every(Boolean) ? finish('progress', null) : livenessFailure(true);
  };

  const early = observe();
  if (early) return early;
  for (let stepIndex = 0; stepIndex < options.maxSteps; stepIndex++) {
    const faultsOn = liveness === null || stepIndex < liveness.faultPhaseSteps;
    if (!faultsOn && deadlineMs === Infinity && targets.length > 0) {
      deadlineMs = nowMs + liveness!.windowMs;
      const done = observe();
      if (done) return done;
    }
    const enabled = cursor.enabled();
    sortEnabled(enabled, cursor.enabledKeys?.() ?? null, schedule, stepIndex, nowMs, step, faultsOn, !faultsOn);
    let chosen = faultAtRates(enabled, faultCounts, mix, rng);
    if (chosen === null) {
      if (candidates.count === 0) return liveness !== null ? quiescentLiveness() : finish('quiescent', null);
      const index = policy.choose(candidates, nowMs, stepIndex);
      if (candidates.dues[index] > deadlineMs) return livenessFailure(false);
      chosen = candidates.events[index];
      if (candidates.dues[index] > nowMs) nowMs = candidates.dues[index];
      schedule.taken(candidates.keys[index]);
    }
    policy.taken(chosen, stepIndex);
    cursor.take(chosen);
    events.push(chosen);
    const done = observe();
    if (done) return done;
  }
  // Liveness: the step budget ran out after the faults healed and a target never held since.
  if (liveness !== null && deadlineMs !== Infinity && progressMissing > 0) return livenessFailure(false, true);
  return finish('max-steps', null);
}
