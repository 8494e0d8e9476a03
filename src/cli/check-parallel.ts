// `ordeal check --workers k`, `--checkpoint`, `--resume`, `--max-memory`: the level engine in worker
// threads. The main thread only coordinates, so it stays free to see SIGINT/SIGTERM, the time limit
// and the memory limit; it raises a shared stop flag that workers poll (Atomics) while expanding.
// A stopped run ends at the last complete level and, with --checkpoint, writes that level to a file.
import { readFileSync } from 'node:fs';
import { constrainedMemory } from 'node:process';
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { reportOf, type CheckReport, type CheckRequest } from '../check/run.ts';
import { CheckpointError, checkIdentity, decodeCheckpoint, encodeCheckpoint, type CheckpointIdentity } from '../explore/checkpoint.ts';
import { levelBfs, type LevelCheckpoint } from '../explore/parallel-bfs.ts';
import { wordTransferOf } from '../explore/parallel-shard.ts';
import { InputError } from '../model/resolve.ts';
import { readBinaryFile, writeChunksAtomic } from './checkpoint-file.ts';
import { startWorkers } from './check-workers.ts';

/** Default memory bound: this share of the machine's (or the container's) memory. */
const MEMORY_FRACTION_DEFAULT = 0.75;
/** Share of the V8 heap limit at which a run on the main thread stops. */
const HEAP_FRACTION_MAX = 0.85;
/** How often the main thread samples the resident set size while workers search. */
const MEMORY_SAMPLE_MS = 200;
const MIB = 1024 * 1024;

/** ordeal's version, from its package.json (two levels up from the sources, three from dist/src). */
export const ORDEAL_VERSION: string = (() => {
  const up = import.meta.url.endsWith('.ts') ? '../../package.json' : '../../../package.json';
  return (JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { version: string }).version;
})();

export interface LevelCheckFlags {
  readonly workers?: number;
  readonly checkpoint?: string;
  readonly resume?: string;
  readonly maxMemory?: number;
  /** Where workers load the model list from (a user's model file); default: the built-in models. */
  readonly modelsModule?: { readonly url: string; readonly exportName: string };
}

export interface LevelCheckResult {
  readonly report: CheckReport;
  readonly workers: number;
  /** Where the checkpoint was written, if it was. */
  readonly checkpointPath: string | null;
}

/** The memory bound in bytes: --max-memory, else 75% of the machine's or the container's memory. */
export function memoryLimitBytes(maxMemoryMiB: number | undefined): number {
  if (maxMemoryMiB !== undefined) return maxMemoryMiB * MIB;
  const constrained = constrainedMemory?.() ?? 0;
  const machine = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.floor(machine * MEMORY_FRACTION_DEFAULT);
}

/** Why this process should stop for memory now, or null: resident set size and V8 heap. */
export function memoryPressure(limitBytes: number): string | null {
  const rss = process.memoryUsage.rss();
  if (rss > limitBytes) return `memory limit ${Math.round(limitBytes / MIB)} MiB reached (resident ${Math.round(rss / MIB)} MiB)`;
  const heap = getHeapStatistics();
  if (heap.used_heap_size > heap.heap_size_limit * HEAP_FRACTION_MAX) {
    return `V8 heap near its limit (${Math.round(heap.used_heap_size / MIB)} of ${Math.round(heap.heap_size_limit / MIB)} MiB)`;
  }
  return null;
}

export function identityOf(request: CheckRequest, packedWords: number | undefined): CheckpointIdentity {
  return {
    ordeal: ORDEAL_VERSION,
    model: { name: request.model.name, version: request.model.version, variant: request.variant, params: request.params },
    config: request.config,
    strategy: 'bfs',
    packedWords: packedWords ?? null,
  };
}

export function loadCheckpoint(path: string, identity: CheckpointIdentity): LevelCheckpoint {
  try {
    const { header, checkpoint } = decodeCheckpoint(readBinaryFile(path));
    checkIdentity(header, identity);
    return checkpoint;
  } catch (error) {
    if (error instanceof CheckpointError) throw new InputError(`${path}: ${error.message}`);
    throw error;
  }
}

export async function runLevelCheck(request: CheckRequest, flags: LevelCheckFlags, note: (line: string) => void): Promise<LevelCheckResult> {
  if (request.strategy !== 'bfs') throw new InputError('--workers, --checkpoint and --resume need --strategy bfs');
  const system = request.model.build({ params: request.params, variant: request.variant, config: request.config });
  let workers = flags.workers ?? 1;
  if (workers < 1) throw new InputError('--workers must be at least 1');
  if (workers > 1 && system.packedWords === undefined && wordTransferOf(system) === undefined) {
    note(`note: ${request.model.name} keeps states as objects, which cannot move between threads: running 1 worker`);
    workers = 1;
  }
  // An explicit --por gets its own note from main.ts; the default one is noted here.
  if (system.independence !== undefined && request.search.por === undefined) {
    note('note: the level engine (--workers, --checkpoint, --resume) explores without the sleep sets one-thread BFS uses by default: the same states, more successors generated');
  }
  const identity = identityOf(request, system.packedWords);
  const resume = flags.resume ? loadCheckpoint(flags.resume, identity) : undefined;
  const limitBytes = memoryLimitBytes(flags.maxMemory);

  const pool = await startWorkers(
    { model: request.model.name, variant: request.variant, params: request.params, config: request.config, ...(flags.modelsModule ? { modelsModule: flags.modelsModule } : {}) },
    workers,
  );
  let reason: string | null = null;
  const requestStop = (why: string): void => {
    reason ??= why;
    pool.requestStop();
  };
  const onSignal = (signal: NodeJS.Signals): void => requestStop(`interrupted (${signal})`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const memoryTimer = setInterval(() => {
    const pressure = memoryPressure(limitBytes);
    if (pressure) requestStop(pressure);
  }, MEMORY_SAMPLE_MS);
  if (flags.checkpoint) {
    note(`searching with ${workers} worker${workers > 1 ? 's' : ''}; Ctrl-C or SIGTERM stops at the last complete level and writes ${flags.checkpoint}`);
  }
  const timeLimitMs = request.search.timeLimitMs;
  const timeTimer = timeLimitMs === undefined ? null : setTimeout(() => requestStop(`time limit ${timeLimitMs} ms reached`), timeLimitMs);
  try {
    const result = await levelBfs(system, pool.shards, {
      ...request.search,
      shouldStop: () =>
        reason ?? (pool.stoppedByWorkerHeap() ? 'a worker heap neared its V8 limit' : null) ?? memoryPressure(limitBytes) ?? request.search.shouldStop?.() ?? null,
      resume,
      keepCheckpoint: flags.checkpoint !== undefined,
    });
    let checkpointPath: string | null = null;
    if (result.checkpoint && flags.checkpoint) {
      writeChunksAtomic(flags.checkpoint, encodeCheckpoint(identity, result.checkpoint));
      checkpointPath = flags.checkpoint;
      note(`checkpoint written to ${checkpointPath} (${result.outcome.distinctStates} states, level ${result.checkpoint.depth}); continue with --resume ${checkpointPath}`);
    }
    return { report: reportOf(request, system, result.outcome), workers, checkpointPath };
  } finally {
    clearInterval(memoryTimer);
    if (timeTimer) clearTimeout(timeTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await pool.close();
  }
}
