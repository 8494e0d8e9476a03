// Re-execute a trace through the same `step` function and confirm where its violation appears.
import { violationTextOf, type TransitionSystem } from '../model/system.ts';
import { canonical } from '../util/canonical.ts';
import type { Trace } from './format.ts';

export type ReplayResult =
  /** `message`: the broken property's message computed on the replayed end state (liveness: the recorded one). */
  | { readonly ok: true; readonly property: string | null; readonly message?: string; readonly step: number; readonly states: readonly unknown[] }
  | { readonly ok: false; readonly step: number; readonly reason: string; readonly states: readonly unknown[] };

/** The first invariant broken by `state`, or null. */
function brokenInvariant<S>(system: TransitionSystem<S>, state: S): string | null {
  for (const p of system.properties) if (p.kind === 'invariant' && !p.test(state)) return p.name;
  return null;
}

/** The event's description, or its JSON when the model cannot describe it (an event it never made). */
function describeSafely<S>(system: TransitionSystem<S>, event: Trace['events'][number], state: S): string {
  try {
    return system.describe(event, state);
  } catch {
    return JSON.stringify(event);
  }
}

/** Apply event i of the trace and record the new state's picture, or say why it cannot apply. */
function applyEvent<S>(system: TransitionSystem<S>, state: S, trace: Trace, i: number, states: unknown[]): { state: S } | ReplayResult {
  const event = trace.events[i];
  let next: S;
  try {
    next = system.retain(system.step(state, event));
  } catch (error) {
    return { ok: false, step: i + 1, reason: `event ${i + 1} (${describeSafely(system, event, state)}) cannot be applied: ${(error as Error).message}`, states };
  }
  states.push(system.show(next));
  return { state: next };
}

export function replay<S>(system: TransitionSystem<S>, trace: Trace): ReplayResult {
  const initials = system.initialStates();
  const states: unknown[] = [];
  if (trace.initial >= initials.length) {
    return { ok: false, step: 0, reason: `initial state ${trace.initial} does not exist (${initials.length} initial states)`, states };
  }
  let state = system.retain(initials[trace.initial]);
  states.push(system.show(state));
  const expected = trace.violation;
  if (expected?.kind === 'liveness' && trace.loop !== undefined) return replayLasso(system, trace, state, states);
  if (expected?.kind === 'liveness') return replayLiveness(system, trace, state, states);
  let broken = brokenInvariant(system, state);
  for (let i = 0; i <= trace.events.length; i++) {
    if (broken) {
      if (!expected) return { ok: false, step: i, reason: `invariant ${broken} broken, but the trace records no violation`, states };
      if (broken !== expected.property || i !== expected.step) {
        return { ok: false, step: i, reason: `${broken} broken at step ${i}; the trace records ${expected.property} at step ${expected.step}`, states };
      }
      // A recorded violation holds after the last event: a trace that runs on past it is not a counterexample.
      if (i !== trace.events.length) {
        return { ok: false, step: i, reason: `${broken} broken at step ${i} as recorded, but the trace has ${trace.events.length - i} more events: a violation ends its trace`, states };
      }
      return { ok: true, property: broken, message: violationTextOf(system, broken, expected.message, state), step: i, states };
    }
    if (i === trace.events.length) break;
    const next = applyEvent(system, state, trace, i, states);
    if ('ok' in next) return next;
    state = next.state;
    broken = brokenInvariant(system, state);
  }
  if (expected) {
    return { ok: false, step: trace.events.length, reason: `no violation after ${trace.events.length} events; the trace records ${expected.property} at step ${expected.step}`, states };
  }
  return { ok: true, property: null, step: trace.events.length, states };
}

/**
 * A liveness trace ends where a progress target (a `reachable` property) still did not hold when
 * the simulation's time ran out: every event must apply, no invariant may break on the way, and the
 * target must not hold at the end. (Virtual time is not part of the state, so the deadline itself
 * is not re-checked; the trace records it in its message.)
 */
function replayLiveness<S>(system: TransitionSystem<S>, trace: Trace, initial: S, states: unknown[]): ReplayResult {
  const expected = trace.violation!;
  if (expected.step !== trace.events.length) {
    return { ok: false, step: 0, reason: `the trace records its liveness failure at step ${expected.step} but has ${trace.events.length} events: it ends the trace`, states };
  }
  const target = system.properties.find((p) => p.kind === 'reachable' && p.name === expected.property);
  if (!target) return { ok: false, step: 0, reason: `the model has no reachable target named ${expected.property}`, states };
  let state = initial;
  for (let i = 0; i < trace.events.length; i++) {
    const next = applyEvent(system, state, trace, i, states);
    if ('ok' in next) return next;
    state = next.state;
    const broken = brokenInvariant(system, state);
    if (broken) return { ok: false, step: i + 1, reason: `invariant ${broken} broken at step ${i + 1}; the trace records a liveness failure`, states };
  }
  if (target.test(state)) {
    return { ok: false, step: trace.events.length, reason: `${expected.property} holds after the last event; the trace records that it did not`, states };
  }
  return { ok: true, property: expected.property, message: expected.message, step: trace.events.length, states };
}

/**
 * A lasso (check --liveness): every event applies, no invariant breaks, the target holds in no state,
 * the last state is the state at `loop` again (or, for a stutter, no fair event can move it), and the
 * loop is weakly fair: each fair event that moves every state of the loop is taken on it. This
 * re-judges, by `step` alone, what the search found in its graph.
 */
export function replayLasso<S>(system: TransitionSystem<S>, trace: Trace, initial: S, states: unknown[]): ReplayResult {
  const expected = trace.violation!;
  const loop = trace.loop!;
  const target = system.properties.find((p) => p.kind === 'reachable' && p.name === expected.property);
  if (!target) return { ok: false, step: 0, reason: `the model has no reachable target named ${expected.property}`, states };
  const path: S[] = [initial];
  for (let i = 0; i < trace.events.length; i++) {
    const next = applyEvent(system, path[i], trace, i, states);
    if ('ok' in next) return next;
    path.push(next.state);
  }
  for (let i = 0; i < path.length; i++) {
    const broken = brokenInvariant(system, path[i]);
    if (broken) return { ok: false, step: i, reason: `invariant ${broken} broken at step ${i}; the trace records a liveness lasso`, states };
    if (target.test(path[i])) return { ok: false, step: i, reason: `${expected.property} holds at step ${i}; the lasso records that it never does`, states };
  }
  const fp = (s: S): string => {
    const out = { lo: 0, hi: 0 };
    system.fingerprint(s, out);
    return `${out.lo}:${out.hi}`;
  };
  const last = path[path.length - 1];
  if (fp(last) !== fp(path[loop])) return { ok: false, step: trace.events.length, reason: `the last state is not the state at step ${loop}, where the loop starts`, states };
  const fair = system.fair ?? (() => false);
  /** The fair events that move state s (a stutter is no step). */
  const moving = (s: S): Set<string> => new Set(system.enabled(s).filter((e) => fair(e) && fp(system.step(s, e)) !== fp(s)).map((e) => canonical(e)));
  const loopStates = loop === path.length - 1 ? [last] : path.slice(loop, path.length - 1);
  let always = moving(loopStates[0]);
  for (const s of loopStates.slice(1)) {
    const here = moving(s);
    always = new Set([...always].filter((k) => here.has(k)));
  }
  const taken = new Set(trace.events.slice(loop).map((e) => canonical(e)));
  const starved = [...always].find((k) => !taken.has(k));
  if (starved !== undefined) return { ok: false, step: trace.events.length, reason: `the loop is not fair: ${starved} is enabled all along it and never taken`, states };
  return { ok: true, property: expected.property, step: trace.events.length, states };
}
