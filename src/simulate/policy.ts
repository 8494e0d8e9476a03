// The one interface every simulation schedule implements: given the enabled events that are due to
// fire (with their due times), pick the next one. Faults are injected before the policy is asked.
import type { Event } from '../model/system.ts';

export interface Candidates {
  /** Enabled events that are not spontaneous faults, in the system's fixed order. */
  readonly events: Event[];
  /** The schedule's key of each (see Schedule.dueOf). */
  readonly keys: (string | number)[];
  /** Due time of each, in virtual milliseconds. */
  readonly dues: number[];
  count: number;
}

export interface SchedulePolicy {
  /** Index into the candidates of the event to take (count >= 1). */
  choose(candidates: Candidates, nowMs: number, stepIndex: number): number;
  /** Told which event was taken at `stepIndex` (PCT lowers priorities at its change points). */
  taken(event: Event, stepIndex: number): void;
}
