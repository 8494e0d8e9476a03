// `replay(model, trace)`: re-execute a trace (an object or its JSON text) and say whether it
// reproduces its recorded violation at the same step.
import type { ModelDefinition } from '../model/define.ts';
import type { Trace } from '../trace/format.ts';
import { traceInput } from './trace-input.ts';
import { replay as replayTrace } from '../trace/replay.ts';
import { timelineOf } from './timeline.ts';

export interface ReplayResult {
  /** True when the trace reproduced: the same violation after the same event (or none, as recorded). */
  readonly ok: boolean;
  /** Events applied before the verdict (the divergence step when not ok). */
  readonly step: number;
  /** The property broken at the end, or null. */
  readonly property: string | null;
  /** Why it diverged, or null. */
  readonly reason: string | null;
  /** The replayed trace as a text timeline. */
  readonly timeline: string;
}

export function replay(model: ModelDefinition, trace: Trace | string): ReplayResult {
  const { trace: parsed, system } = traceInput('replay', model, trace);
  const r = replayTrace(system, parsed);
  return {
    ok: r.ok,
    step: r.step,
    property: r.ok ? r.property : null,
    reason: r.ok ? null : r.reason,
    timeline: timelineOf(model, parsed),
  };
}
