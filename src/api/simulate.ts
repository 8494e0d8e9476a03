// `simulate(model, options)`: seeded simulation in virtual time, as a result object. The same seed
// gives the same runs; a violation comes back shrunk, as a replayable trace.
import type { ModelDefinition } from '../model/define.ts';
import { InputError } from '../model/resolve.ts';
import { strategyNamed, type SimulationStrategyName } from '../explore/strategies/index.ts';
import { MODEL_ERROR, type ModelErrorDetail } from '../model/guard.ts';
import { DEFAULT_FAULT_MIX, DEFAULT_LIVENESS_WINDOW_MS, DEFAULT_MAX_STEPS, defaultOptions, SIMULATION_FAULT_BUDGETS } from '../simulate/options.ts';
import { simulate as simulateRuns } from '../simulate/simulate.ts';
import { summaryOf } from '../simulate/summary.ts';
import type { Trace } from '../trace/format.ts';
import { nonNegativeInteger, resolveRun, type RunOptions } from './options.ts';
import { modelErrorOf, timelineOf } from './timeline.ts';

export interface SimulateOptions extends RunOptions {
  /** Master seed (default 1): run r uses a seed derived from (seed, r). */
  readonly seed?: number;
  /** Number of runs (default 1000). */
  readonly runs?: number;
  /** First run (default 0): simulate runs [firstRun, firstRun + runs). */
  readonly firstRun?: number;
  /** `'random'` (default), `'swarm'` (each run draws its own fault mix) or `'pct'`. */
  readonly strategy?: SimulationStrategyName;
  /** Events per run at most (default 1000). */
  readonly maxSteps?: number;
  /** Require every reachable target after the fault phase (liveness). */
  readonly liveness?: boolean;
  /** Shrink the violating run (default true). */
  readonly shrink?: boolean;
}

export interface SimulationResult {
  readonly result: 'pass' | 'violation' | 'inconclusive';
  readonly violation: { readonly property: string; readonly message: string; readonly kind: 'safety' | 'liveness'; readonly run: number; readonly length: number } | null;
  readonly modelError: ModelErrorDetail | null;
  readonly trace: Trace | null;
  readonly timeline: string | null;
  /** Runs simulated (up to the first violating one) and events applied. */
  readonly runs: number;
  readonly events: number;
  readonly seed: number;
  readonly inconclusiveReasons: readonly string[];
}

export async function simulate(model: ModelDefinition, options: SimulateOptions = {}): Promise<SimulationResult> {
  const run = resolveRun('simulate', model, options, SIMULATION_FAULT_BUDGETS);
  const seed = nonNegativeInteger('simulate', 'seed', options.seed) ?? 1;
  const runs = nonNegativeInteger('simulate', 'runs', options.runs) ?? 1000;
  const firstRun = nonNegativeInteger('simulate', 'firstRun', options.firstRun) ?? 0;
  const maxSteps = nonNegativeInteger('simulate', 'maxSteps', options.maxSteps) ?? DEFAULT_MAX_STEPS;
  const strategy = options.strategy ?? 'random';
  strategyNamed(strategy, 'simulation', 'simulate: strategy');
  if (runs < 1) throw new InputError('simulate: runs must be at least 1');
  if (maxSteps < 1) throw new InputError('simulate: maxSteps must be at least 1');
  const report = await simulateRuns({
    model,
    ...run,
    seed,
    options: defaultOptions({
      strategy,
      mix: DEFAULT_FAULT_MIX,
      maxSteps,
      liveness: options.liveness ? { faultPhaseSteps: Math.floor(maxSteps / 2), windowMs: DEFAULT_LIVENESS_WINDOW_MS } : null,
    }),
    runStart: firstRun,
    runEnd: firstRun + runs,
    stopAtViolation: true,
    workers: 1,
    shrink: options.shrink ?? true,
  });
  const v = report.tally.violation;
  const trace = report.trace;
  const summary = summaryOf(report, null, null);
  return {
    result: summary.result,
    violation: v && trace ? { property: v.property, message: v.message, kind: v.kind, run: v.run, length: trace.events.length } : null,
    modelError: v?.property === MODEL_ERROR && trace ? modelErrorOf(model, trace) : null,
    trace,
    timeline: trace ? timelineOf(model, trace) : null,
    runs: summary.runs,
    events: summary.events,
    seed,
    inconclusiveReasons: summary.inconclusiveReasons,
  };
}
