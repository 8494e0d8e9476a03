// A trace handed to a public function (an object or its JSON text), validated against the model it
// claims: the one place replay() and shrink() turn bad input into an InputError named for them.
import type { ModelDefinition } from '../model/define.ts';
import type { TransitionSystem } from '../model/system.ts';
import { InputError, resolveParams } from '../model/resolve.ts';
import { parseTrace, TraceFormatError, type Trace } from '../trace/format.ts';

/** The parsed trace and its model's system, or an InputError that starts with `caller`. */
export function traceInput(caller: string, model: ModelDefinition, trace: Trace | string): { trace: Trace; system: TransitionSystem<unknown> } {
  let parsed: Trace;
  try {
    parsed = parseTrace(typeof trace === 'string' ? JSON.parse(trace) : trace);
  } catch (error) {
    if (error instanceof TraceFormatError || error instanceof SyntaxError) throw new InputError(`${caller}: ${error.message}`);
    throw error;
  }
  if (parsed.model.name !== model.name) throw new InputError(`${caller}: the trace is of model ${parsed.model.name}, not ${model.name}`);
  if (parsed.model.version !== model.version) {
    throw new InputError(`${caller}: the trace was written for ${model.name} version ${parsed.model.version}; this model is version ${model.version}`);
  }
  if (!Object.hasOwn(model.variants, parsed.model.variant)) throw new InputError(`${caller}: model ${model.name} has no variant '${parsed.model.variant}'`);
  const params = resolveParams(model, parsed.model.params);
  return { trace: parsed, system: model.build({ params, variant: parsed.model.variant, config: parsed.config }) };
}
