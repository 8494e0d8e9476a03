// One run of guided simulation: replay a schedule prefix from the corpus, diverge once (another
// delivery, a fault, a timer fired early), then simulate on in virtual time as random simulation
// does, with the run's drawn timing and its budgeted faults at their placed steps. The run records
// the abstract states it reaches (the coverage the corpus grows on) and the step at which it last
// reached a state it had not seen before. Safety only: liveness runs use the other strategies.
import { stepCursor, violationText, type Cursor, type Event, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import type { PlacedFault } from './draw.ts';
import { FAULT_KINDS, type FaultMix, type Timing } from './options.ts';
import type { Candidates } from './policy.ts';
import { earliestDue } from './random.ts';
import type { Rng } from './rng.ts';
import type { RunResult, RunViolation } from './run.ts';
import { faultAtRates, nthFault, Schedule, sortEnabled } from './schedule.ts';

/** How a run departs from its prefix at the first step after it. */
export type Divergence = 'none' | 'other-event' | 'fault' | 'early-timer';

/** What one guided run does, drawn by the corpus (guided.ts) before the run starts. */
export interface GuidedPlan {
  /** Events replayed first, from the initial state (empty: a fresh run). */
  readonly prefix: readonly Event[];
  readonly divergence: Divergence;
  readonly timing: Timing;
  readonly mix: FaultMix;
  /** Budgeted faults, by step (sorted). */
  readonly faults: readonly PlacedFault[];
  readonly maxSteps: number;
}

export interface GuidedRunResult extends RunResult {
  /** Abstract states this run reached, each once, in the order first reached. */
  readonly abstractStates: readonly string[];
  /** For each of abstractStates, the number of events taken when the run first reached it. */
  readonly reachedAtStep: readonly number[];
}

/** The abstract state of `state`: the model's own, else the default of abstraction.ts. */
export type Abstraction<S> = (state: S) => string;

const isTimer = (event: Event): boolean => event.kind === 'timer';

/** Take a prefix event again (cursors match an equal event of their enabled list). */
function takeEnabled<S>(cursor: Cursor<S>, event: Event): Event {
  cursor.enabled();
  try {
    cursor.take(event);
  } catch (error) {
    throw new Error(`guided simulation: a corpus prefix no longer replays (${String(error)}); is the model deterministic?`);
  }
  return event;
}

/** The index among `enabled` of the first pending placed fault due by `stepIndex` that is enabled, else -1. */
function duePlacedFault(faults: readonly PlacedFault[], used: boolean[], counts: Uint32Array, stepIndex: number, ignoreStep: boolean): number {
  for (let i = 0; i < faults.length; i++) {
    if (used[i]) continue;
    if (!ignoreStep && faults[i].step > stepIndex) break;
    if (counts[FAULT_KINDS.indexOf(faults[i].kind)] > 0) return i;
  }
  return -1;
}

export function guidedRun<S>(system: TransitionSystem<S>, cursor: Cursor<S>, abstraction: Abstraction<S>, plan: GuidedPlan, rng: Rng, run: number): GuidedRunResult {
  const invariants = system.properties.filter((p) => p.kind === 'invariant') as StatePredicate<S>[];
  const targets = system.properties.filter((p) => p.kind === 'reachable') as StatePredicate<S>[];
  const reached = targets.map(() => false);
  const seen = new Set<string>();
  const abstractStates: string[] = [];
  const reachedAtStep: number[] = [];
  const events: Event[] = [];
  const schedule = new Schedule(rng, plan.timing, plan.mix);
  const step = { candidates: { events: [], keys: [], dues: [], count: 0 } as Candidates, faultCounts: new Uint32Array(FAULT_KINDS.length) };
  const { candidates, faultCounts } = step;
  const used = plan.faults.map(() => false);
  cursor.reset(0);
  let nowMs = 0;

  const finish = (end: RunResult['end'], violation: RunViolation | null): GuidedRunResult =>
    ({ run, mix: plan.mix, steps: events.length, virtualTimeMs: nowMs, reached, end, violation, events, abstractStates, reachedAtStep });
  // The prefix's abstract states are known (the run that made the corpus entry reached them all),
  // so they are not computed again: a run's abstract states are those after its prefix.
  let inPrefix = true;
  const observe = (): GuidedRunResult | null => {
    const state = cursor.state;
    for (let i = 0; i < targets.length; i++) if (!reached[i] && targets[i].test(state)) reached[i] = true;
    const abstract = inPrefix && events.length > 0 ? null : abstraction(state);
    if (abstract !== null && !seen.has(abstract)) {
      seen.add(abstract);
      abstractStates.push(abstract);
      reachedAtStep.push(events.length);
    }
    for (const invariant of invariants) {
      if (!invariant.test(state)) return finish('violation', { kind: 'safety', property: invariant.name, message: violationText(invariant, state), events });
    }
    return null;
  };

  const early = observe();
  if (early) return early;
  for (const event of plan.prefix) {
    if (events.length >= plan.maxSteps) break;
    events.push(takeEnabled(cursor, event));
    const done = observe();
    if (done) return done;
  }
  // The state the run diverges from: its abstract state is known, but counted as this run's.
  if (events.length > 0) {
    const abstract = abstraction(cursor.state);
    if (!seen.has(abstract)) {
      seen.add(abstract);
      abstractStates.push(abstract);
      reachedAtStep.push(events.length);
    }
  }
  inPrefix = false;
  const divergeAt = events.length;
  for (let stepIndex = events.length; stepIndex < plan.maxSteps; stepIndex++) {
    const enabled = cursor.enabled();
    sortEnabled(enabled, cursor.enabledKeys?.() ?? null, schedule, stepIndex, nowMs, step, true, false);
    let chosen: Event | null = null;
    let index = -1;
    // The divergence, once, at the first step after the prefix.
    if (stepIndex === divergeAt && plan.divergence !== 'none') {
      if (plan.divergence === 'fault') {
        const kinds = FAULT_KINDS.map((_, k) => k).filter((k) => faultCounts[k] > 0);
        if (kinds.length > 0) {
          const k = rng.pick(kinds);
          chosen = nthFault(enabled, k, rng.below(faultCounts[k]));
        }
      } else if (candidates.count > 0) {
        const pool = Array.from({ length: candidates.count }, (_, i) => i).filter((i) => plan.divergence === 'other-event' || isTimer(candidates.events[i]));
        if (pool.length > 0) index = rng.pick(pool);
      }
    }
    // Budgeted faults at their placed steps, then faults at the user's rates (if any).
    if (chosen === null && index < 0) {
      const placed = duePlacedFault(plan.faults, used, faultCounts, stepIndex, candidates.count === 0);
      if (placed >= 0) {
        used[placed] = true;
        const k = FAULT_KINDS.indexOf(plan.faults[placed].kind);
        chosen = nthFault(enabled, k, rng.below(faultCounts[k]));
      }
    }
    if (chosen === null && index < 0) chosen = faultAtRates(enabled, faultCounts, plan.mix, rng);
    if (chosen === null) {
      if (candidates.count === 0) return finish('quiescent', null);
      // A divergent pick fires early: the clock stays where it is.
      const early = index >= 0;
      if (!early) index = earliestDue(candidates);
      chosen = candidates.events[index];
      if (!early && candidates.dues[index] > nowMs) nowMs = candidates.dues[index];
      schedule.taken(candidates.keys[index]);
    }
    cursor.take(chosen);
    events.push(chosen);
    const done = observe();
    if (done) return done;
  }
  return finish('max-steps', null);
}

/** A cursor for guided runs (one per system, reused). */
export function guidedCursor<S>(system: TransitionSystem<S>): Cursor<S> {
  return system.cursor ? system.cursor() : stepCursor(system);
}
