// `replay(model, trace)`: re-execute a trace (an object or its JSON text) and say whether it
// reproduces its recorded violation at the same step.
import type { ModelDefinition } from '../model/define.ts';
import { InputError, resolveParams } from '../model/resolve.ts';
import { parseTrace, TraceFormatError, type Trace } from '../trace/format.ts';
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
  let parsed: Trace;
  try {
    parsed = parseTrace(typeof trace === 'string' ? JSON.parse(trace) : trace);
  } catch (error) {
    if (error instanceof TraceFormatError || error instanceof SyntaxError) throw new InputError(`replay: ${error.message}`);
    throw error;
  }
  if (parsed.model.name !== model.name) throw new InputError(`replay: the trace is of model ${parsed.model.name}, not ${model.name}`);
  if (parsed.model.version !== model.version) {
    throw new InputError(`replay: the trace was written for ${model.name} version ${parsed.model.version}; this model is version ${model.version}`);
  }
  if (!Object.hasOwn(model.variants, parsed.model.variant)) throw new InputError(`replay: model ${model.name} has no variant '${parsed.model.variant}'`);
  const params = resolveParams(model, parsed.model.params);
  const system = model.build({ params, variant: parsed.model.variant, config: parsed.config });
  const r = replayTrace(system, parsed);
  return {
    ok: r.ok,
    step: r.step,
    property: r.ok ? r.property : null,
    reason: r.ok ? null : r.reason,
    timeline: timelineOf(model, parsed),
  };
}
