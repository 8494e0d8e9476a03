// `check(model, options)`: one exhaustive search of one variant, as a result object. Never throws
// for what the model does (a violation, a model error, a limit); throws InputError for bad options.
// `checkModel` is the same search for the command line, which formats the full report itself.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelDefinition } from '../model/define.ts';
import { MODEL_ERROR, type ModelErrorDetail } from '../model/guard.ts';
import { reportOf, runCheck, type CheckReport, type CheckRequest } from '../check/run.ts';
import type { ActionCoverage } from '../explore/coverage.ts';
import type { Progress } from '../explore/outcome.ts';
import { EXHAUSTIVE_STRATEGY_NAMES, strategyNamed, type ExhaustiveStrategyName } from '../explore/strategies/index.ts';
import type { Trace } from '../trace/format.ts';
import { runLevelCheck } from '../workers/level-check.ts';
import { memoryLimitBytes, memoryPressure } from '../workers/memory.ts';
import { fileModelsModule, type ModelsModule } from '../workers/model-module.ts';
import { inputError, integerAtLeast, libraryCaller, nonNegativeInteger, resolveRun, type Caller, type RunOptions } from './options.ts';
import { modelErrorOf, timelineOf } from './timeline.ts';
import { ORDEAL_VERSION } from './version.ts';
import { runSwarm, runWide, visitedModeOf, wantsWide, type ScaleRun } from './check-scale.ts';
import type { SwarmSummary } from '../explore/swarm.ts';
import type { VisitedMode } from '../explore/visited-modes.ts';

export interface CheckOptions extends RunOptions {
  /** `'bfs'` (default: shortest counterexamples) or `'dfs'`: a name in the strategy registry. */
  readonly strategy?: ExhaustiveStrategyName;
  /** Stop (inconclusive) after this many distinct states. */
  readonly maxStates?: number;
  /** Do not expand states deeper than this many levels. */
  readonly maxDepth?: number;
  /** Stop (inconclusive) after this many milliseconds. */
  readonly timeLimitMs?: number;
  /** Partial-order reduction by sleep sets (actor models): on by default for BFS, asked for DFS; same counts. */
  readonly por?: boolean;
  /**
   * Look for fair lassos (docs/faults.md#liveness): a cycle, or a stop, on which a reachable target
   * never holds under weak fairness of the model's fair events. The strategy `'liveness'`; refused
   * with `symmetry` or `por`.
   */
  readonly liveness?: boolean;
  /** Count, per action, the transitions taken and the new states found (one-thread BFS and DFS). */
  readonly coverage?: boolean;
  /** Parallel BFS in this many worker threads (same counts and verdict as one); absent: BFS or DFS in this thread. */
  readonly workers?: number;
  /** When a limit or a cancellation stops the run, save the last complete BFS level in this file. */
  readonly checkpoint?: string;
  /** Continue a BFS from a checkpoint file of the same model, variant, params and config. */
  readonly resume?: string;
  /** Stop (inconclusive) when the process uses this many MiB (default 75% of the machine's memory). */
  readonly maxMemory?: number;
  /** Told from time to time how far the search got. */
  readonly onProgress?: (progress: Progress) => void;
  // Past one machine's memory (docs/scale.md, docs/swarm.md); without these, the BFS above as before.
  /** Visited set: `'exact'` (default: 64-bit fingerprints), `'compact'` (the same in 6 bytes a slot) or `'bitstate'` (may miss states). */
  readonly visited?: VisitedMode;
  /** Bitstate visited set of 2^bitstate bits (Spin's supertrace); implies `visited: 'bitstate'`. */
  readonly bitstate?: number;
  /** Spill the BFS frontier to a fresh folder in this one (default: the OS temp dir when maxMemory is given). */
  readonly spillDir?: string;
  /** Bytes of the level being generated kept in memory before a batch spills (default maxMemory / 8, at most 8 MiB). */
  readonly frontierBytes?: number;
  /** Swarm verification: this many diversified bounded searches on the worker pool (never exhaustive). */
  readonly swarm?: number;
  /** Only search i of a swarm of n, `'i/n'` (0-based; merge shard summaries with `ordeal merge`). */
  readonly shard?: string | { readonly index: number; readonly count: number };
  /** Seed of the swarm's per-search seeds (default 1). */
  readonly seed?: number;
}

/** A found violation: the property, its message and the counterexample's length in events. */
export interface FoundViolation {
  readonly property: string;
  readonly message: string;
  readonly length: number;
}

export interface CheckResult {
  /** `'pass'`: every invariant holds and every reachable target was reached. */
  readonly result: 'pass' | 'violation' | 'inconclusive';
  /** The variant's declared verdict (`'pass'` or a property name) and whether it was met. */
  readonly expected: string;
  readonly asExpected: boolean;
  readonly violation: FoundViolation | null;
  /** When the violation is `ModelError`: the handler that failed and why. */
  readonly modelError: ModelErrorDetail | null;
  /** The counterexample as a replayable trace (write it as JSON for `ordeal replay`). */
  readonly trace: Trace | null;
  /** The counterexample as a text timeline, or null. */
  readonly timeline: string | null;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly reachable: readonly { readonly name: string; readonly reachedAtLength: number | null }[];
  readonly inconclusiveReasons: readonly string[];
  /** Per action: transitions and new states, when `coverage` was asked for; else null. */
  readonly coverage: readonly ActionCoverage[] | null;
  /** Worker threads the search ran in, or null when it ran in this thread. */
  readonly workers: number | null;
  /** Where the checkpoint was written, if it was. */
  readonly checkpoint: string | null;
  /** What the search would tell a user on the command line (an option ignored, a worker count lowered). */
  readonly notes: readonly string[];
  /** With `swarm` or `shard`: every search's counts and the union's estimate (merge shards with `ordeal merge`). */
  readonly swarm: SwarmSummary | null;
}

/** The full report of one check, for the command line to format. */
export interface CheckRun {
  readonly report: CheckReport;
  /** Worker threads of the level engine, or null when the search ran in this thread. */
  readonly workers: number | null;
  readonly checkpointPath: string | null;
  /** Notes about options that did not apply, told after the run. */
  readonly notesAfter: readonly string[];
  /** With `swarm` or `shard`: the swarm's summary. */
  readonly swarm?: SwarmSummary | null;
}

/** Where the search runs and who is told what. */
export interface CheckContext {
  readonly caller: Caller;
  /** Told at once what a user should know (a worker count lowered, a checkpoint written). */
  readonly note: (line: string) => void;
  /** Where worker threads load the model list (the command line's model file); else `modelFile`, else the built-in models. */
  readonly modelsModule?: ModelsModule;
  readonly now?: () => number;
}

/** The module URL workers import for `modelFile` (a path or a file URL). */
export function modelsModuleOf(modelFile: string | URL | undefined): ModelsModule | undefined {
  if (modelFile === undefined) return undefined;
  const path = modelFile instanceof URL || modelFile.startsWith('file:') ? fileURLToPath(modelFile) : resolve(modelFile);
  return fileModelsModule(path);
}

function requestOf(model: ModelDefinition, options: CheckOptions, context: CheckContext): CheckRequest {
  const { caller } = context;
  const run = resolveRun(caller, model, options);
  const strategy = strategyNamed(options.strategy ?? (options.liveness ? 'liveness' : 'bfs'), 'exhaustive', `${caller.prefix}${caller.spell('strategy')}`).name as ExhaustiveStrategyName;
  livenessRefusals(caller, options, strategy, run.config.symmetry === true);
  return {
    model,
    ...run,
    strategy,
    coverage: options.coverage === true,
    search: {
      maxStates: nonNegativeInteger(caller, 'maxStates', options.maxStates),
      maxDepth: nonNegativeInteger(caller, 'maxDepth', options.maxDepth),
      timeLimitMs: nonNegativeInteger(caller, 'timeLimitMs', options.timeLimitMs),
      por: options.por,
      now: context.now ?? (() => performance.now()),
      onProgress: options.onProgress,
      signal: options.signal,
    },
  };
}

/** A swarm, or the wide BFS (hash compaction, bitstate, disk spill), when the options ask for one; else null. */
async function scaledRun(request: CheckRequest, options: CheckOptions, context: CheckContext): Promise<ScaleRun | null> {
  const { caller } = context;
  const mode = visitedModeOf(caller, options);
  const swarm = options.swarm !== undefined || options.shard !== undefined;
  if (!swarm && !wantsWide(mode, options)) return null;
  if (swarm && (options.checkpoint !== undefined || options.resume !== undefined)) throw inputError(caller, `${caller.spell('swarm')} does not combine with ${caller.spell('checkpoint')} or ${caller.spell('resume')}`);
  if (!swarm && options.workers !== undefined) throw inputError(caller, `${caller.spell('visited')} and ${caller.spell('spillDir')} run in this thread: they do not combine with ${caller.spell('workers')}`);
  if (request.strategy !== 'bfs') throw inputError(caller, `${caller.spell(swarm ? 'swarm' : 'visited')} needs ${caller.spell('strategy')} bfs (a swarm runs its own bounded searches)`);
  if (swarm) return runSwarm(request, mode, options, { caller, modelsModule: context.modelsModule ?? modelsModuleOf(options.modelFile) });
  return runWide(request, mode, options, { caller, note: context.note, ordealVersion: ORDEAL_VERSION });
}

/** `liveness` with what it cannot be combined with: another strategy, symmetry, sleep sets (docs/reduction.md). */
function livenessRefusals(caller: Caller, options: CheckOptions, strategy: ExhaustiveStrategyName, symmetry: boolean): void {
  if (options.liveness === true && strategy !== 'liveness') throw inputError(caller, `${caller.spell('liveness')} is its own search; it cannot run with ${caller.spell('strategy')} ${strategy}`);
  if (strategy !== 'liveness') return;
  const named = options.liveness === true ? caller.spell('liveness') : `${caller.spell('strategy')} liveness`;
  if (symmetry) throw inputError(caller, `${named} cannot be combined with ${caller.spell('symmetry')}: fairness is per event, and a fair cycle of symmetry classes need not be one of states`);
  if (options.por === true) throw inputError(caller, `${named} cannot be combined with ${caller.spell('por')}: sleep sets prune transitions a fair cycle may need`);
}

/** Check `model` as `options` say; the command line's entry (the library's is `check`). */
export async function checkModel(model: ModelDefinition, options: CheckOptions, context: CheckContext): Promise<CheckRun> {
  const { caller } = context;
  const request = requestOf(model, options, context);
  nonNegativeInteger(caller, 'maxMemory', options.maxMemory);
  const scaled = await scaledRun(request, options, context);
  if (scaled) return { report: reportOf(request, request.model.build(request), scaled.outcome), workers: null, checkpointPath: scaled.checkpointPath ?? null, notesAfter: scaled.notes, swarm: scaled.swarm };
  // The level engine (worker threads) runs when asked for workers or checkpoints; else this thread.
  const levelEngine = options.workers !== undefined || options.checkpoint !== undefined || options.resume !== undefined;
  if (!levelEngine) {
    const memoryLimit = memoryLimitBytes(options.maxMemory);
    const report = runCheck({ ...request, search: { ...request.search, shouldStop: () => memoryPressure(memoryLimit) } });
    return { report, workers: null, checkpointPath: null, notesAfter: [] };
  }
  if (!strategyNamed(request.strategy, 'exhaustive').searchShards) {
    const parallel = EXHAUSTIVE_STRATEGY_NAMES.filter((n) => strategyNamed(n, 'exhaustive').searchShards).join(' or ');
    throw inputError(caller, `${caller.spell('workers')}, ${caller.spell('checkpoint')} and ${caller.spell('resume')} need ${caller.spell('strategy')} ${parallel}`);
  }
  const workers = integerAtLeast(caller, 'workers', options.workers, 1) ?? 1;
  const level = await runLevelCheck(request, {
    workers,
    checkpoint: options.checkpoint,
    resume: options.resume,
    maxMemory: options.maxMemory,
    modelsModule: context.modelsModule ?? modelsModuleOf(options.modelFile),
    ordealVersion: ORDEAL_VERSION,
    note: context.note,
  });
  const notesAfter: string[] = [];
  const flags = `${caller.spell('workers')} or checkpoints`;
  if (options.por) notesAfter.push(`note: ${caller.spell('por')} applies to the one-thread BFS and DFS only; not with ${flags}`);
  if (options.coverage) notesAfter.push(`note: ${caller.spell('coverage')} counts actions in the one-thread engine only; not with ${flags}`);
  return { report: level.report, workers: level.workers, checkpointPath: level.checkpointPath, notesAfter };
}

export async function check(model: ModelDefinition, options: CheckOptions = {}): Promise<CheckResult> {
  const notes: string[] = [];
  const run = await checkModel(model, options, { caller: libraryCaller('check'), note: (line) => notes.push(line) });
  const report = run.report;
  const o = report.outcome;
  const v = o.violation;
  return {
    result: o.result,
    expected: report.expected,
    asExpected: report.asExpected,
    violation: v ? { property: v.property, message: v.description, length: v.length } : null,
    modelError: v?.property === MODEL_ERROR && report.trace ? modelErrorOf(model, report.trace) : null,
    trace: report.trace,
    timeline: report.trace ? timelineOf(model, report.trace) : null,
    distinctStates: o.distinctStates,
    transitions: o.transitions,
    depth: o.depth,
    elapsedMs: o.elapsedMs,
    reachable: o.reachable.map((t) => ({ name: t.name, reachedAtLength: t.reachedAtLength })),
    inconclusiveReasons: o.inconclusiveReasons,
    coverage: report.coverage,
    workers: run.workers,
    checkpoint: run.checkpointPath,
    notes: [...notes, ...run.notesAfter],
    swarm: run.swarm ?? null,
  };
}
