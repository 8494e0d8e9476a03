// The two ways `check` goes past one machine's memory: the one BFS (explore/bfs.ts) with a
// hash-compact or bitstate visited set and its levels and parent links spilled to disk (`visited`,
// `bitstate`, `spillDir`), and a swarm of diversified bounded searches on the worker pool, or one
// of them per job (`swarm`, `shard`; explore/swarm*.ts).
import { availableParallelism } from 'node:os';
import { reportOf, type CheckRequest } from '../check/run.ts';
import { bfsRun, FRONTIER_BYTES_DEFAULT } from '../explore/bfs.ts';
import { stopReasonOf } from '../explore/control.ts';
import type { SearchOutcome } from '../explore/outcome.ts';
import { searchSummaryOf, swarmSummaryOf, type SwarmSummary } from '../explore/swarm.ts';
import { swarmPlan } from '../explore/swarm-search.ts';
import { BITSTATE_BITS_MAX, BITSTATE_BITS_MIN, VISITED_MODES, type VisitedMode } from '../explore/visited-modes.ts';
import { memoryLimitBytes, memoryPressure } from '../workers/memory.ts';
import type { ModelsModule } from '../workers/model-module.ts';
import { identityOf, loadCheckpoint, saveCheckpoint } from '../workers/level-check.ts';
import { SpillFiles } from '../workers/spill-files.ts';
import { swarmInWorkers } from '../workers/swarm-runs.ts';
import { inputError, integerAtLeast, type Caller } from './options.ts';
import { parseShard } from './simulate.ts';

/** The options of check() this file reads (declared, with their docs, in check.ts). */
export interface ScaleOptions {
  readonly visited?: VisitedMode;
  readonly bitstate?: number;
  readonly spillDir?: string;
  readonly frontierBytes?: number;
  readonly maxMemory?: number;
  readonly swarm?: number;
  readonly shard?: string | { readonly index: number; readonly count: number };
  readonly workers?: number;
  readonly seed?: number;
  readonly checkpoint?: string;
  readonly resume?: string;
}

const MIB = 1024 * 1024;

/** The visited mode asked for: `bitstate` BITS implies 'bitstate'. */
export function visitedModeOf(caller: Caller, options: ScaleOptions): VisitedMode {
  const mode = options.visited ?? (options.bitstate !== undefined ? 'bitstate' : 'exact');
  if (!VISITED_MODES.includes(mode)) throw inputError(caller, `${caller.spell('visited')} must be 'exact', 'compact' or 'bitstate', got '${String(mode)}'`);
  if (options.bitstate !== undefined) {
    const bits = integerAtLeast(caller, 'bitstate', options.bitstate, BITSTATE_BITS_MIN)!;
    if (bits > BITSTATE_BITS_MAX) throw inputError(caller, `${caller.spell('bitstate')} must be at most ${BITSTATE_BITS_MAX} (2^${BITSTATE_BITS_MAX} bits), got ${bits}`);
    if (mode !== 'bitstate') throw inputError(caller, `${caller.spell('bitstate')} needs ${caller.spell('visited')} bitstate, got '${mode}'`);
  }
  return mode;
}

/** True when `check` should run the wide BFS instead of the default one. */
export function wantsWide(mode: VisitedMode, options: ScaleOptions): boolean {
  return mode !== 'exact' || options.spillDir !== undefined || options.frontierBytes !== undefined;
}

export interface ScaleRun {
  readonly outcome: SearchOutcome;
  readonly notes: string[];
  readonly swarm: SwarmSummary | null;
  readonly checkpointPath?: string | null;
}

/** What the wide BFS tells as it runs, and the version its checkpoints record. */
export interface WideContext {
  readonly caller: Caller;
  readonly note: (line: string) => void;
  readonly ordealVersion: string;
}

/**
 * The one-thread BFS with a chosen visited set, spilling frontier and parent links to disk when
 * `spillDir` or `maxMemory` says so; it writes a checkpoint (the level engine's format) when a
 * limit stops it and `checkpoint` names a file, and resumes one with `resume`.
 */
export function runWide(request: CheckRequest, mode: VisitedMode, options: ScaleOptions, context: WideContext): ScaleRun {
  const { caller } = context;
  if (mode === 'bitstate' && (options.checkpoint !== undefined || options.resume !== undefined)) {
    throw inputError(caller, `${caller.spell('bitstate')} does not combine with ${caller.spell('checkpoint')} or ${caller.spell('resume')} (a bitstate set cannot list its states)`);
  }
  const system = request.model.build({ params: request.params, variant: request.variant, config: request.config });
  const identity = identityOf(request, system.packedWords, context.ordealVersion);
  const resume = options.resume !== undefined ? loadCheckpoint(options.resume, identity) : undefined;
  const limit = memoryLimitBytes(options.maxMemory);
  const spilling = options.spillDir !== undefined || options.maxMemory !== undefined || options.frontierBytes !== undefined;
  // The level being generated keeps an eighth of the memory bound (at most 8 MiB) before it spills.
  const frontierBytesMax = options.frontierBytes ?? Math.min(FRONTIER_BYTES_DEFAULT, Math.floor(limit / 8));
  const storage = spilling ? new SpillFiles(options.spillDir) : null;
  try {
    const run = bfsRun(system, {
      ...request.search,
      shouldStop: () => memoryPressure(limit) ?? request.search.shouldStop?.() ?? null,
      visited: mode,
      bitstateBits: options.bitstate,
      spill: storage,
      frontierBytesMax,
      resume,
      keepCheckpoint: options.checkpoint !== undefined,
    });
    const notes = [`note: ${run.missedNote}`];
    if (storage) notes.push(`note: frontier spilled in ${run.spilledBatches} batches, parent links in ${run.linkBatches}; at most ${(run.peakDiskBytes / MIB).toFixed(1)} MiB on disk at once (deflated), folder removed`);
    if (system.independence !== undefined && !run.sleepSets && request.search.por !== false) {
      notes.push('note: this BFS ran without sleep sets (under symmetry they need the next level in memory and the exact visited set): the same states, more successors generated');
    }
    const checkpointPath =
      run.checkpoint && options.checkpoint !== undefined ? saveCheckpoint(options.checkpoint, identity, run.checkpoint, context.note) : null;
    return { outcome: run.outcome, notes, swarm: null, checkpointPath };
  } finally {
    storage?.close();
  }
}

export interface SwarmContext {
  readonly caller: Caller;
  readonly modelsModule?: ModelsModule;
}

/** `swarm` N searches on the worker pool, or the one search of `shard` i/N. */
export async function runSwarm(request: CheckRequest, mode: VisitedMode, options: ScaleOptions, context: SwarmContext): Promise<ScaleRun> {
  const { caller } = context;
  const shard = typeof options.shard === 'string' ? parseShard(caller, options.shard) : options.shard;
  const count = shard?.count ?? integerAtLeast(caller, 'swarm', options.swarm, 1)!;
  if (shard && options.swarm !== undefined && options.swarm !== shard.count) throw inputError(caller, `${caller.spell('shard')} ${shard.index}/${shard.count} is of a swarm of ${shard.count}, not ${options.swarm}`);
  if (mode === 'exact') mode = 'bitstate';
  const base = { seed: options.seed ?? 1, maxDepth: request.search.maxDepth, visited: mode as 'bitstate' | 'compact', bitstateBits: options.bitstate };
  const indices = shard ? [shard.index] : Array.from({ length: count }, (_, i) => i);
  const plans = indices.map((i) => swarmPlan(i, count, base));
  const workers = Math.min(plans.length, integerAtLeast(caller, 'workers', options.workers, 1) ?? Math.max(1, availableParallelism()));
  const recipe = { model: request.model.name, variant: request.variant, params: request.params, config: request.config, ...(context.modelsModule ? { modelsModule: context.modelsModule } : {}) };
  const stop = stopReasonOf(request.search, (request.search.now ?? (() => 0))());
  // The time limit is the swarm's: each search gets its share of the worker time, and none starts after it.
  const limit = request.search.timeLimitMs;
  const timeLimitMs = limit === undefined ? undefined : Math.max(1000, Math.floor((limit * workers) / plans.length));
  const results = await swarmInWorkers(recipe, workers, plans, { kind: 'swarm', timeLimitMs, maxStates: request.search.maxStates }, stop);
  const summaries = results.map(searchSummaryOf);
  const identity = { model: request.model.name, variant: request.variant, params: request.params, config: request.config, count };
  const summary = swarmSummaryOf(identity, summaries);
  const first = summary.firstViolation ? results.find((r) => r.plan.index === summary.firstViolation!.search)!.outcome : null;
  const outcome: SearchOutcome = first
    ? { ...first, strategy: 'swarm-dfs', distinctStates: summary.statesCoveredEstimate, transitions: summary.searches.reduce((n, s) => n + s.transitions, 0) }
    : {
        ...results[0].outcome,
        strategy: 'swarm-dfs',
        result: 'inconclusive',
        inconclusiveReasons: [...summary.reasons],
        complete: false,
        distinctStates: summary.statesCoveredEstimate,
        transitions: summary.searches.reduce((n, s) => n + s.transitions, 0),
        depth: Math.max(...summary.searches.map((s) => s.depth)),
      };
  const what = shard ? `search ${shard.index} of a swarm of ${count}` : `a swarm of ${count} searches on ${workers} worker${workers > 1 ? 's' : ''}`;
  const notes = [`note: ${what} (${mode}${mode === 'bitstate' ? ` 2^${plans[0].bitstateBits} bits` : ''}, event order permuted per search, depth bounds varied); about ${summary.statesCoveredEstimate.toLocaleString('en-US')} distinct states covered`];
  for (const s of summary.searches) notes.push(`note: search ${s.index}: ${s.distinctStates} states, depth ${s.depth}, ${s.result}${s.violation ? ` (${s.violation.property}, ${s.violation.length} events)` : ''}; ${s.missedNote}`);
  return { outcome, notes, swarm: summary };
}

export { reportOf };

export { mergeSwarmSummaries, SwarmMergeError, SWARM_SUMMARY_KIND, type SwarmSummary } from '../explore/swarm.ts';
