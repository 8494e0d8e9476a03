// `shrink(model, trace)`: the shortest trace delta debugging finds that still breaks the trace's
// property, as `ordeal shrink` writes it. A trace without a safety violation comes back unchanged.
import type { ModelDefinition } from '../model/define.ts';
import type { Trace } from '../trace/format.ts';
import { traceInput } from './trace-input.ts';
import { shrinkTrace } from '../trace/shrink.ts';

export interface ShrinkResult {
  /** The shrunk trace (its `shrunkFrom` records the length it started from). */
  readonly trace: Trace;
  /** Events before and after shrinking. */
  readonly from: number;
  readonly to: number;
}

export function shrink(model: ModelDefinition, trace: Trace | string): ShrinkResult {
  const { trace: parsed, system } = traceInput('shrink', model, trace);
  const shrunk = shrinkTrace(system, parsed).trace;
  return { trace: shrunk, from: parsed.events.length, to: shrunk.events.length };
}
