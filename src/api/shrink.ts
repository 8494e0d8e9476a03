// `shrink(model, trace)`: the shortest trace delta debugging finds that still breaks the trace's
// property, as `ordeal shrink` writes it. A trace without a safety violation comes back unchanged.
import type { ModelDefinition } from '../model/define.ts';
import { InputError } from '../model/resolve.ts';
import { parseTrace, TraceFormatError, type Trace } from '../trace/format.ts';
import { shrinkTrace } from '../trace/shrink.ts';

export interface ShrinkResult {
  /** The shrunk trace (its `shrunkFrom` records the length it started from). */
  readonly trace: Trace;
  /** Events before and after shrinking. */
  readonly from: number;
  readonly to: number;
}

export function shrink(model: ModelDefinition, trace: Trace | string): ShrinkResult {
  let parsed: Trace;
  try {
    parsed = parseTrace(typeof trace === 'string' ? JSON.parse(trace) : trace);
  } catch (error) {
    if (error instanceof TraceFormatError || error instanceof SyntaxError) throw new InputError(`shrink: ${error.message}`);
    throw error;
  }
  if (parsed.model.name !== model.name) throw new InputError(`shrink: the trace is of model ${parsed.model.name}, not ${model.name}`);
  if (parsed.model.version !== model.version) {
    throw new InputError(`shrink: the trace was written for ${model.name} version ${parsed.model.version}; this model is version ${model.version}`);
  }
  if (!Object.hasOwn(model.variants, parsed.model.variant)) throw new InputError(`shrink: model ${model.name} has no variant '${parsed.model.variant}'`);
  const system = model.build({ params: parsed.model.params, variant: parsed.model.variant, config: parsed.config });
  const shrunk = shrinkTrace(system, parsed).trace;
  return { trace: shrunk, from: parsed.events.length, to: shrunk.events.length };
}
