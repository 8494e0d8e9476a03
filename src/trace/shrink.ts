// Shrinking a counterexample by delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating
// Failure-Inducing Input", TSE 2002): remove chunks of events, then single events, while the same
// invariant still breaks at the end of the replay. A candidate whose events are no longer all
// enabled is invalid (step throws); one that breaks the property earlier is cut there; one that
// breaks another invariant first is invalid. Iterative (no recursion) and bounded by `maxTests`.
import { violationText, type Event, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import type { Trace } from './format.ts';

export const DEFAULT_MAX_SHRINK_TESTS = 5000;

export interface ShrinkResult {
  readonly events: readonly Event[];
  readonly originalLength: number;
  /** Candidate replays tried. */
  readonly tests: number;
  /** True when `maxTests` stopped the search before it reached a 1-minimal trace. */
  readonly exhausted: boolean;
}

/**
 * Replay `events` and return the prefix after which `property` is the first broken invariant, or
 * null when an event is not enabled, another invariant breaks first, or nothing breaks.
 */
export function failingPrefix<S>(system: TransitionSystem<S>, initial: number, events: readonly Event[], property: string): readonly Event[] | null {
  const invariants: StatePredicate<S>[] = system.properties.filter((p) => p.kind === 'invariant');
  let state = system.retain(system.initialStates()[initial]);
  const brokenName = (): string | null => {
    for (const p of invariants) if (!p.test(state)) return p.name;
    return null;
  };
  if (brokenName() !== null) return null;
  for (let i = 0; i < events.length; i++) {
    try {
      state = system.retain(system.step(state, events[i]));
    } catch {
      return null;
    }
    const broken = brokenName();
    if (broken !== null) return broken === property ? events.slice(0, i + 1) : null;
  }
  return null;
}

export function shrinkEvents<S>(
  system: TransitionSystem<S>,
  input: { readonly initial: number; readonly events: readonly Event[]; readonly property: string; readonly maxTests?: number },
): ShrinkResult {
  const maxTests = input.maxTests ?? DEFAULT_MAX_SHRINK_TESTS;
  let tests = 1;
  const start = failingPrefix(system, input.initial, input.events, input.property);
  if (start === null) throw new Error(`shrink: the events do not break ${input.property} (nothing to shrink)`);
  let current = start;
  let granularity = 2;
  while (current.length >= 2) {
    const chunk = Math.ceil(current.length / granularity);
    let reduced = false;
    for (let from = 0; from < current.length; from += chunk) {
      if (tests >= maxTests) return { events: current, originalLength: input.events.length, tests, exhausted: true };
      const candidate = [...current.slice(0, from), ...current.slice(from + chunk)];
      tests++;
      const kept = failingPrefix(system, input.initial, candidate, input.property);
      if (kept !== null) {
        current = kept;
        granularity = Math.max(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (granularity >= current.length) break;
      granularity = Math.min(granularity * 2, current.length);
    }
  }
  return { events: current, originalLength: input.events.length, tests, exhausted: false };
}

/**
 * A shrunk copy of a trace ending in a safety violation (`shrunkFrom` records the original
 * length). Traces without a violation, and liveness traces, are returned unchanged: removing events
 * from a liveness trace would mostly remove the progress it is about.
 */
export function shrinkTrace<S>(system: TransitionSystem<S>, trace: Trace, maxTests?: number): { trace: Trace; result: ShrinkResult | null } {
  const v = trace.violation;
  if (v === null || v.kind === 'liveness') return { trace, result: null };
  const result = shrinkEvents(system, { initial: trace.initial, events: trace.events, property: v.property, maxTests });
  // A property's message describes the state it broke in: word it for the shrunk trace's end.
  let end = system.retain(system.initialStates()[trace.initial]);
  for (const event of result.events) end = system.retain(system.step(end, event));
  const property = system.properties.find((p) => p.name === v.property);
  return {
    trace: {
      ...trace,
      events: result.events,
      violation: { ...v, step: result.events.length, message: property ? violationText(property, end) : v.message },
      shrunkFrom: trace.shrunkFrom ?? trace.events.length,
    },
    result,
  };
}
