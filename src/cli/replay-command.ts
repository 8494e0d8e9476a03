// `ordeal replay <trace>`: load, validate, rebuild the model, re-execute, report.
import type { ModelDefinition } from '../api/models.ts';
import { checkVariant, findModel, InputError, resolveConfig, resolveParams } from '../api/models.ts';
import { parseTrace, TraceFormatError, type Trace } from '../api/models.ts';
import { renderTimeline } from '../api/traces.ts';
import { replay } from '../api/traces.ts';
import { buildSystem } from '../api/models.ts';
import { readJsonFile } from './files.ts';
import { modelErrorLine } from './format.ts';
import { findModelError, MODEL_ERROR } from '../api/models.ts';

export function loadTrace(models: readonly ModelDefinition[], path: string): { trace: Trace; model: ModelDefinition } {
  let trace: Trace;
  try {
    trace = parseTrace(readJsonFile(path));
  } catch (error) {
    if (error instanceof TraceFormatError) throw new InputError(`${path}: ${error.message}`);
    throw error;
  }
  const model = findModel(models, trace.model.name);
  if (trace.model.version !== model.version) {
    throw new InputError(
      `${path} was written for ${model.name} version ${trace.model.version}; this ordeal has version ${model.version}, so the trace cannot be trusted to replay`,
    );
  }
  checkVariant(model, trace.model.variant);
  return { trace, model };
}

export function replayCommand(models: readonly ModelDefinition[], path: string, flags: { json?: boolean }): number {
  const { trace, model } = loadTrace(models, path);
  const params = resolveParams(model, trace.model.params);
  const config = resolveConfig(model, {});
  const system = buildSystem({ model, variant: trace.model.variant, params, config: { ...config, ...trace.config } });
  const result = replay(system, trace);
  const detail = result.ok && result.property === MODEL_ERROR ? findModelError(result.states.at(-1)) : null;
  if (detail) process.stderr.write(modelErrorLine(detail, { model: model.name, variant: trace.model.variant, step: result.step, seed: trace.seed, run: trace.run }));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ trace: path, ok: result.ok, step: result.step, property: result.ok ? result.property : null, message: result.ok ? result.message ?? null : null, reason: result.ok ? null : result.reason })}\n`);
    return result.ok ? 0 : 1;
  }
  const descriptions: string[] = [];
  let state = system.retain(system.initialStates()[trace.initial]);
  for (const e of trace.events.slice(0, result.states.length - 1)) {
    descriptions.push(system.describe(e, state));
    state = system.retain(system.step(state, e));
  }
  const verdict = result.ok
    ? trace.loop !== undefined
      ? `REPRODUCED (liveness lasso): all ${result.step} events apply, ${result.property} never holds, the last state is the state after event ${trace.loop} and the loop is fair, as the trace records.`
      : trace.violation?.kind === 'liveness'
      ? `REPRODUCED (liveness): all ${result.step} events apply and ${result.property} still does not hold at the end, as the trace records.`
      : result.property
      ? `REPRODUCED: ${result.property} is broken after event ${result.step}, as the trace records: ${result.message ?? trace.violation?.message}`
      : `REPRODUCED: all ${result.step} events apply and no invariant breaks, as the trace records.`
    : `DIVERGED at step ${result.step}: ${result.reason}`;
  process.stdout.write(
    `${renderTimeline({ title: `Replay of ${path} (${model.name} [${trace.model.variant}])`, descriptions, events: trace.events, states: result.states, footer: [verdict], loop: trace.loop })}\n`,
  );
  return result.ok ? 0 : 1;
}
