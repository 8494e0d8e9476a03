// `simulate(model, options)`: seeded simulation in virtual time, as a result object. The same seed
// gives the same runs; a violation comes back shrunk, as a replayable trace. `simulateModel` is
// the same simulation for the command line, which formats the full report itself. Every option of
// `ordeal simulate` is here under the camelCase of its flag; repeatable flags are plural
// (`--timer` is `timers`, `--invariant` is `invariants`).
import type { ModelDefinition } from '../model/define.ts';
import { MODEL_ERROR, type ModelErrorDetail } from '../model/guard.ts';
import { strategyNamed, type SimulationStrategyName } from '../explore/strategies/index.ts';
import { DEFAULT_FAULT_MIX, DEFAULT_LIVENESS_WINDOW_MS, DEFAULT_MAX_STEPS, DEFAULT_PCT_DEPTH, DEFAULT_TIMING, defaultOptions, SIMULATION_FAULT_BUDGETS, type SimulationOptions } from '../simulate/options.ts';
import { simulate as simulateRuns, type SimulateReport, type SimulationProgress } from '../simulate/simulate.ts';
import { summaryOf } from '../simulate/summary.ts';
import type { CoverageReport } from '../simulate/abstraction.ts';
import type { Trace } from '../trace/format.ts';
import { MAX_WORKERS } from '../workers/pool.ts';
import { runsInWorkers } from '../workers/runs.ts';
import type { ModelsModule } from '../workers/model-module.ts';
import { modelsModuleOf } from './check.ts';
import { inputError, integerAtLeast, libraryCaller, nonNegativeInteger, probability, resolveRun, type Caller, type ResolvedRun, type RunOptions } from './options.ts';
import { healedStepsOf } from './liveness-budget.ts';
import { modelErrorOf, timelineOf } from './timeline.ts';

export const DEFAULT_RUNS = 1000;
/**
 * Guided simulation's default: it is the search for bugs behind many events, and grows its corpus
 * over thousands of runs (Raft's Figure 8 from seed 1 at run 6,017; reports/bench-deep.md).
 */
export const DEFAULT_GUIDED_RUNS = 10_000;
export const DEFAULT_SEED = 1;
/**
 * The strategy of a simulation that names none: guided, the only one that finds all six bugs of
 * the deep-bug bench from every seed 1-10 (reports/bench-deep.md). It checks safety only, so a
 * liveness simulation that names none runs DEFAULT_LIVENESS_STRATEGY instead.
 */
export const DEFAULT_STRATEGY: SimulationStrategyName = 'guided';
/** The strategy of a liveness simulation that names none (guided cannot check liveness). */
export const DEFAULT_LIVENESS_STRATEGY: SimulationStrategyName = 'random';

export interface SimulateOptions extends RunOptions {
  /** Master seed (default 1): run r uses a seed derived from (seed, r). */
  readonly seed?: number;
  /** Number of runs (default 10,000 with `strategy: 'guided'`, the default; 1000 with the others). */
  readonly runs?: number;
  /** First run (default 0): simulate runs [firstRun, firstRun + runs). */
  readonly firstRun?: number;
  /** Simulate run r alone (reproduces a reported failure). */
  readonly run?: number;
  /** Only shard i of n of the runs, `'i/n'` (combine the shards' summaries with `ordeal merge`). */
  readonly shard?: string;
  /**
   * `'guided'` (runs grow from schedule prefixes that reached new abstract states; each run draws
   * its timing and places its fault budget at random steps), `'random'`, `'swarm'` (each run draws
   * its own fault mix) or `'pct'`: a simulation strategy of the registry. Default: `'guided'`
   * (DEFAULT_STRATEGY); with `liveness`, which guided cannot check, `'random'`; with `swarm`, `'swarm'`.
   */
  readonly strategy?: SimulationStrategyName;
  /** Swarm testing, the same as `strategy: 'swarm'`. */
  readonly swarm?: boolean;
  /** PCT bug depth d (d - 1 priority change points; default 3). */
  readonly depth?: number;
  /**
   * Events per run at most (default 1000; with `liveness`, the fault phase plus room for a healed run
   * to progress, measured on the model: src/api/liveness-budget.ts).
   */
  readonly maxSteps?: number;
  /** Require every reachable target after the fault phase (liveness). */
  readonly liveness?: boolean;
  /** Length of the fault phase in steps (default: half of maxSteps). */
  readonly faultSteps?: number;
  /** Virtual ms allowed for progress after the fault phase (default 5000). */
  readonly livenessWindow?: number;
  /** Do not stop at the first violating run (count all violating runs and mixes). */
  readonly keepGoing?: boolean;
  /** Shrink the violating run (default true). */
  readonly shrink?: boolean;
  /** Worker threads (default 1: this thread); the result is the same for any count. */
  readonly workers?: number;
  /** Message latency in virtual ms, uniform in min..max (default 1..10). */
  readonly latency?: { readonly min: number; readonly max: number };
  /** Timer timeout in virtual ms, times a jitter of up to +50% (default 50). */
  readonly timerMs?: number;
  /** Timeouts per timer name in virtual ms, in place of timerMs (`{ election: 200 }`, or `['election=200']` as on the command line). */
  readonly timers?: Readonly<Record<string, number>> | readonly string[];
  /** Probability per step of each fault while its budget lasts (defaults 0.01, 0.005, 0.02, 0.02). */
  readonly crashRate?: number;
  readonly partitionRate?: number;
  readonly dropRate?: number;
  readonly duplicateRate?: number;
  /** Told after every chunk of runs how far the simulation got. */
  readonly onProgress?: (progress: SimulationProgress) => void;
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
  /** The strategy that ran: the one asked for, else the default (DEFAULT_STRATEGY; random with liveness). */
  readonly strategy: SimulationStrategyName;
  readonly inconclusiveReasons: readonly string[];
  /** Guided simulation only: abstract states reached over runs, and the Good-Turing estimate of the unseen. */
  readonly coverage: CoverageReport | null;
}

/** The full report of one simulation and the settings it ran with, for the command line. */
export interface SimulateRun extends ResolvedRun {
  readonly report: SimulateReport;
  readonly options: SimulationOptions;
  readonly seed: number;
}

export interface SimulateContext {
  readonly caller: Caller;
  /** Where worker threads load the model list (the command line's model file); else `modelFile`, else the built-in models. */
  readonly modelsModule?: ModelsModule;
  readonly now?: () => number;
}

/** Timer timeouts by name from `{ name: ms }` or `['name=ms']` (a later one for the same name wins). */
export function timersOf(caller: Caller, timers: SimulateOptions['timers']): Record<string, number> | undefined {
  if (timers === undefined) return undefined;
  const pairs: [string, string | number][] = Array.isArray(timers)
    ? (timers as readonly string[]).map((a) => {
        const m = /^([^=]+)=(\d+)$/.exec(a);
        return m ? [m[1], m[2]] : [a, NaN];
      })
    : Object.entries(timers);
  if (pairs.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const [name, raw] of pairs) {
    const ms = Number(raw);
    if (!Number.isSafeInteger(ms) || ms < 1) {
      const given = Array.isArray(timers) ? name : `${name}=${String(raw)}`;
      throw inputError(caller, `${caller.spell('timers')} must be NAME=MS with MS a whole number of ms >= 1, got '${given}'`);
    }
    out[name] = ms;
  }
  return out;
}

export function parseShard(caller: Caller, text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) throw inputError(caller, `${caller.spell('shard')} must be written i/n (for example 0/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw inputError(caller, `${caller.spell('shard')} ${text}: need 0 <= i < n`);
  return { index, count };
}

/** Runs [start, end) of shard i of n: contiguous ranges, so shard summaries merge in order. */
export function shardRange(runs: number, index: number, count: number): { runStart: number; runEnd: number } {
  return { runStart: Math.floor((runs * index) / count), runEnd: Math.floor((runs * (index + 1)) / count) };
}

/** The strategy a simulation runs: swarm with `swarm`, else the one named, else the default for its check. */
export function strategyOf(caller: Caller, options: Pick<SimulateOptions, 'strategy' | 'swarm' | 'liveness'>): SimulationStrategyName {
  if (options.swarm && options.strategy !== undefined && options.strategy !== 'random' && options.strategy !== 'swarm') {
    throw inputError(caller, `${caller.spell('swarm')} cannot be combined with ${caller.spell('strategy')} ${options.strategy}`);
  }
  const name = options.swarm ? 'swarm' : options.strategy ?? (options.liveness ? DEFAULT_LIVENESS_STRATEGY : DEFAULT_STRATEGY);
  return strategyNamed(name, 'simulation', `${caller.prefix}${caller.spell('strategy')}`).name as SimulationStrategyName;
}

/** The schedule options of a run: strategy, fault rates, timing, limits, liveness. */
function simulationOptionsOf(caller: Caller, options: SimulateOptions): SimulationOptions {
  const spell = caller.spell;
  const strategy = strategyOf(caller, options);
  const maxSteps = integerAtLeast(caller, 'maxSteps', options.maxSteps, 1) ?? DEFAULT_MAX_STEPS;
  const depth = nonNegativeInteger(caller, 'depth', options.depth) ?? DEFAULT_PCT_DEPTH;
  if (strategy === 'pct' && depth < 1) throw inputError(caller, `${spell('depth')} must be at least 1`);
  const faultPhaseSteps = nonNegativeInteger(caller, 'faultSteps', options.faultSteps) ?? Math.floor(maxSteps / 2);
  if (options.liveness && faultPhaseSteps >= maxSteps) throw inputError(caller, `${spell('faultSteps')} must be below ${spell('maxSteps')} (the rest is the liveness phase)`);
  const windowMs = nonNegativeInteger(caller, 'livenessWindow', options.livenessWindow) ?? DEFAULT_LIVENESS_WINDOW_MS;
  if (strategy === 'guided' && options.liveness) throw inputError(caller, `${spell('strategy')} guided checks safety only; check ${spell('liveness')} with random (its default), swarm or pct`);
  const rates = {
    crashProbability: probability(caller, 'crashRate', options.crashRate),
    partitionProbability: probability(caller, 'partitionRate', options.partitionRate),
    dropProbability: probability(caller, 'dropRate', options.dropRate),
    duplicateProbability: probability(caller, 'duplicateRate', options.duplicateRate),
  };
  const setRates = Object.entries(rates).filter(([, v]) => v !== undefined);
  if (strategy === 'swarm' && setRates.length > 0) {
    const names = ['crashRate', 'partitionRate', 'dropRate', 'duplicateRate'].map(spell);
    throw inputError(caller, `${names.slice(0, 3).join(', ')} and ${names[3]} cannot be combined with ${spell('swarm')} (swarm draws the rates of each run)`);
  }
  const latency = options.latency;
  if (latency !== undefined && !(Number.isSafeInteger(latency.min) && Number.isSafeInteger(latency.max) && latency.min >= 0 && latency.min <= latency.max)) {
    throw inputError(caller, `${spell('latency')} must be MIN..MAX in whole ms with MIN <= MAX (for example 1..10)`);
  }
  const timerMs = integerAtLeast(caller, 'timerMs', options.timerMs, 1);
  const timerMsByName = timersOf(caller, options.timers);
  return defaultOptions({
    strategy,
    mix: { ...DEFAULT_FAULT_MIX, ...Object.fromEntries(setRates) },
    timing: {
      ...DEFAULT_TIMING,
      ...(latency ? { latencyMsMin: latency.min, latencyMsMax: latency.max } : {}),
      ...(timerMs !== undefined ? { timerMs } : {}),
      ...(timerMsByName ? { timerMsByName } : {}),
    },
    maxSteps,
    pctDepth: depth,
    liveness: options.liveness ? { faultPhaseSteps, windowMs } : null,
  });
}

/**
 * `liveness` without `maxSteps`: the fault phase (half the default) plus a healed phase measured on
 * the model (liveness-budget.ts), never shorter than the default budget.
 */
function withLivenessBudget(caller: Caller, model: ModelDefinition, run: ResolvedRun, simulation: SimulationOptions, options: SimulateOptions): SimulationOptions {
  if (!simulation.liveness || options.maxSteps !== undefined) return simulation;
  const system = model.build({ params: run.params, variant: run.variant, config: run.config });
  const faultPhaseSteps = simulation.liveness.faultPhaseSteps;
  const healed = healedStepsOf(system, simulation, nonNegativeInteger(caller, 'seed', options.seed) ?? DEFAULT_SEED, DEFAULT_MAX_STEPS - faultPhaseSteps);
  return { ...simulation, maxSteps: faultPhaseSteps + healed };
}

/** The runs to simulate: one run, one shard of the runs, or [firstRun, firstRun + runs). */
function rangeOf(caller: Caller, options: SimulateOptions, strategy: SimulationStrategyName): { runStart: number; runEnd: number } {
  const runs = nonNegativeInteger(caller, 'runs', options.runs) ?? (strategy === 'guided' ? DEFAULT_GUIDED_RUNS : DEFAULT_RUNS);
  const firstRun = nonNegativeInteger(caller, 'firstRun', options.firstRun) ?? 0;
  if (runs < 1) throw inputError(caller, `${caller.spell('runs')} must be at least 1`);
  const run = nonNegativeInteger(caller, 'run', options.run);
  if (run !== undefined) {
    if (options.shard !== undefined) throw inputError(caller, `${caller.spell('run')} and ${caller.spell('shard')} cannot be combined`);
    return { runStart: run, runEnd: run + 1 };
  }
  if (options.shard !== undefined) {
    const shard = parseShard(caller, options.shard);
    const range = shardRange(runs, shard.index, shard.count);
    return { runStart: firstRun + range.runStart, runEnd: firstRun + range.runEnd };
  }
  return { runStart: firstRun, runEnd: firstRun + runs };
}

/** Simulate `model` as `options` say; the command line's entry (the library's is `simulate`). */
export async function simulateModel(model: ModelDefinition, options: SimulateOptions, context: SimulateContext): Promise<SimulateRun> {
  const { caller } = context;
  const run = resolveRun(caller, model, options, SIMULATION_FAULT_BUDGETS);
  const simulation = withLivenessBudget(caller, model, run, simulationOptionsOf(caller, options), options);
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > MAX_WORKERS) throw inputError(caller, `${caller.spell('workers')} must be 1..${MAX_WORKERS}`);
  const seed = nonNegativeInteger(caller, 'seed', options.seed) ?? DEFAULT_SEED;
  const range = rangeOf(caller, options, simulation.strategy);
  const recipe = { modelsModule: context.modelsModule ?? modelsModuleOf(options.modelFile), model: model.name, ...run };
  const report = await simulateRuns({
    model,
    ...run,
    seed,
    options: simulation,
    ...range,
    stopAtViolation: !options.keepGoing,
    workers,
    runner: workers > 1 ? runsInWorkers(recipe, workers) : undefined,
    shrink: options.shrink ?? true,
    now: context.now ?? (() => performance.now()),
    control: { onProgress: options.onProgress, signal: options.signal },
  });
  return { ...run, report, options: simulation, seed };
}

export async function simulate(model: ModelDefinition, options: SimulateOptions = {}): Promise<SimulationResult> {
  const { report, seed, options: simulation } = await simulateModel(model, options, { caller: libraryCaller('simulate') });
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
    strategy: simulation.strategy,
    inconclusiveReasons: summary.inconclusiveReasons,
    coverage: report.tally.coverage ?? null,
  };
}
