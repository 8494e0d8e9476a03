// A whole simulation: runs [runStart, runEnd) of one model configuration, in this thread or in
// worker threads (same result either way), then the lowest-run violation as a shrunk trace.
// Pure apart from the injected clock; the CLI writes files and prints.
import type { ModelDefinition, Params, RunConfig } from '../model/define.ts';
import type { TransitionSystem } from '../model/system.ts';
import { TRACE_FORMAT, TRACE_VERSION, type Trace } from '../trace/format.ts';
import { shrinkTrace, type ShrinkResult } from '../trace/shrink.ts';
import type { SimulationOptions } from './options.ts';
import { simulateInWorkers } from './pool.ts';
import { simulateRange, type Tally } from './tally.ts';

export interface SimulateRequest {
  readonly model: ModelDefinition;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
  readonly seed: number;
  readonly options: SimulationOptions;
  readonly runStart: number;
  /** Exclusive. */
  readonly runEnd: number;
  readonly stopAtViolation: boolean;
  readonly workers: number;
  /** Where workers find the model list (a module URL and export name); needed when workers > 1. */
  readonly modelsModule?: { readonly url: string; readonly exportName: string };
  /** Shrink the violation before reporting it (default true). */
  readonly shrink?: boolean;
  /** Injected clock in ms (for events per second); the engine reads no clock of its own. */
  readonly now?: () => number;
}

export interface SimulateReport {
  readonly request: SimulateRequest;
  readonly system: TransitionSystem<unknown>;
  readonly tally: Tally;
  /** The lowest-run violation as a trace (shrunk unless asked not to), or null. */
  readonly trace: Trace | null;
  readonly shrink: ShrinkResult | null;
  /** Wall time of the runs alone (not the model build nor shrinking). */
  readonly elapsedMs: number;
}

/** The simulation options a trace records, so `--seed S --run R` can be rebuilt from it. */
export function recordedOptions(options: SimulationOptions): Record<string, unknown> {
  return { ...options, mix: { ...options.mix }, timing: { ...options.timing }, liveness: options.liveness && { ...options.liveness } };
}

export async function simulate(request: SimulateRequest): Promise<SimulateReport> {
  const now = request.now ?? (() => 0);
  const system = request.model.build({ params: request.params, variant: request.variant, config: request.config });
  const started = now();
  const tallyRequest = { options: request.options, seed: request.seed, stopAtViolation: request.stopAtViolation };
  let tally: Tally;
  if (request.workers <= 1 || request.runEnd - request.runStart <= 1) {
    tally = simulateRange(system, tallyRequest, request.runStart, request.runEnd);
  } else {
    if (!request.modelsModule) throw new Error('simulate: workers > 1 needs modelsModule (where workers load the model list)');
    tally = await simulateInWorkers(
      {
        modelsModule: request.modelsModule.url,
        modelsExport: request.modelsModule.exportName,
        model: request.model.name,
        variant: request.variant,
        params: request.params,
        config: request.config,
        request: tallyRequest,
      },
      request.runStart,
      request.runEnd,
      request.workers,
    );
  }
  // Events per second measure simulation alone (model build and shrinking excluded).
  const elapsedMs = now() - started;
  let trace: Trace | null = null;
  let shrink: ShrinkResult | null = null;
  const v = tally.violation;
  if (v) {
    trace = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      model: { name: request.model.name, version: request.model.version, variant: request.variant, params: request.params },
      config: request.config,
      strategy: request.options.strategy,
      seed: request.seed,
      initial: 0,
      events: v.events,
      violation: { property: v.property, message: v.message, step: v.events.length, kind: v.kind },
      run: v.run,
      simulation: { ...recordedOptions(request.options), runMix: { ...v.mix } },
    };
    if (request.shrink !== false) {
      const shrunk = shrinkTrace(system, trace);
      trace = shrunk.trace;
      shrink = shrunk.result;
    }
  }
  return { request, system, tally, trace, shrink, elapsedMs };
}
