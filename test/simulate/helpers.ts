// Shared set-up for simulation tests: requests over the ping fixture and the paxos actor model.
import type { ModelDefinition } from '../../src/model/define.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { defaultOptions, SIMULATION_FAULT_BUDGETS, type SimulationOptions } from '../../src/simulate/options.ts';
import type { SimulateRequest } from '../../src/simulate/simulate.ts';
import type { SimulationSummary } from '../../src/simulate/summary.ts';
import { models, modelsModule } from './models.ts';
import { runsInWorkers } from '../../src/workers/runs.ts';

export function modelNamed(name: string): ModelDefinition {
  const model = models.find((m) => m.name === name);
  if (!model) throw new Error(`test: no model ${name}`);
  return model;
}

/** Simulate in `workers` worker threads that load the test model list (models.ts). */
export function inWorkers(name: string, variant: string, workers: number, base: SimulateRequest): Pick<SimulateRequest, 'workers' | 'runner'> {
  return { workers, runner: runsInWorkers({ modelsModule, model: name, variant, params: base.params, config: base.config }, workers) };
}

export function request(
  name: string,
  variant: string,
  overrides: Partial<Omit<SimulateRequest, 'options'>> & { options?: Partial<SimulationOptions> } = {},
): SimulateRequest {
  const model = modelNamed(name);
  const { options, ...rest } = overrides;
  return {
    model,
    variant,
    params: resolveParams(model, {}),
    config: { network: 'unordered', faults: SIMULATION_FAULT_BUDGETS },
    seed: 7,
    options: defaultOptions(options),
    runStart: 0,
    runEnd: 200,
    stopAtViolation: true,
    workers: 1,
    ...rest,
  };
}

/** A summary without its wall-clock fields (the only ones allowed to differ between machines). */
export function withoutTiming(summary: SimulationSummary): Omit<SimulationSummary, 'elapsedMs' | 'eventsPerSecond'> {
  const { elapsedMs: _elapsed, eventsPerSecond: _rate, ...rest } = summary;
  return rest;
}
