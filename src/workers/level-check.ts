// An exhaustive strategy over shards in worker threads (`workers`), with checkpoints (`checkpoint`,
// `resume`) and a memory bound (`maxMemory`). The main thread only coordinates, so it stays free
// to see the cancellation signal (the CLI aborts it on SIGINT/SIGTERM), the time limit and the
// memory limit; it raises a shared stop flag that workers poll (Atomics) while expanding. A stopped
// run ends at the last complete level and, asked to, writes that level to a checkpoint file.
import { reportOf, type CheckReport, type CheckRequest } from '../check/run.ts';
import { CheckpointError, checkIdentity, decodeCheckpoint, encodeCheckpoint, type CheckpointIdentity } from '../explore/checkpoint.ts';
import { cancelReasonOf } from '../explore/control.ts';
import type { LevelCheckpoint } from '../explore/parallel-bfs.ts';
import { wordTransferOf } from '../explore/parallel-shard.ts';
import { strategyNamed } from '../explore/strategies/index.ts';
import { InputError } from '../model/resolve.ts';
import { readBinaryFile, writeChunksAtomic } from './checkpoint-file.ts';
import { memoryLimitBytes, memoryPressure } from './memory.ts';
import type { ModelsModule } from './model-module.ts';
import { startWorkers } from './shards.ts';

/** How often the main thread samples memory and the cancellation signal while workers search. */
const MEMORY_SAMPLE_MS = 200;

export interface LevelCheckOptions {
  /** Worker threads, one shard each (at least 1). */
  readonly workers: number;
  /** Where to write the last complete level when a limit or a cancellation stops the run. */
  readonly checkpoint?: string;
  /** A checkpoint file of the same run to continue from. */
  readonly resume?: string;
  /** Memory bound in MiB (default 75% of the machine's). */
  readonly maxMemory?: number;
  /** Where workers load the model list from; default the built-in models. */
  readonly modelsModule?: ModelsModule;
  /** ordeal's version, recorded in checkpoints so that only the same version resumes them. */
  readonly ordealVersion: string;
  /** Told what a user should know (a worker count lowered, a checkpoint written). */
  readonly note: (line: string) => void;
}

export interface LevelCheckResult {
  readonly report: CheckReport;
  readonly workers: number;
  /** Where the checkpoint was written, if it was. */
  readonly checkpointPath: string | null;
}

export function identityOf(request: CheckRequest, packedWords: number | undefined, ordealVersion: string): CheckpointIdentity {
  return {
    ordeal: ordealVersion,
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

/**
 * Write `checkpoint` to `path` (atomically) and tell where and how to continue; returns the path.
 * The states it names are those of the levels the checkpoint holds (what a resume starts from), so
 * both engines count them alike.
 */
export function saveCheckpoint(path: string, identity: CheckpointIdentity, checkpoint: LevelCheckpoint, note: (line: string) => void): string {
  writeChunksAtomic(path, encodeCheckpoint(identity, checkpoint));
  note(`checkpoint written to ${path} (${checkpoint.fingerprints.length / 2} states, level ${checkpoint.depth}); continue with --resume ${path}`);
  return path;
}

export async function runLevelCheck(request: CheckRequest, options: LevelCheckOptions): Promise<LevelCheckResult> {
  const searchShards = strategyNamed(request.strategy, 'exhaustive').searchShards;
  if (!searchShards) throw new InputError('--workers, --checkpoint and --resume need --strategy bfs');
  const system = request.model.build({ params: request.params, variant: request.variant, config: request.config });
  const note = options.note;
  let workers = options.workers;
  if (workers > 1 && system.packedWords === undefined && wordTransferOf(system) === undefined) {
    note(`note: ${request.model.name} keeps states as objects, which cannot move between threads: running 1 worker`);
    workers = 1;
  }
  // An explicit por gets its own note from the caller; the default one is noted here.
  if (system.independence !== undefined && request.search.por === undefined) {
    note('note: the level engine (--workers, --checkpoint, --resume) explores without the sleep sets one-thread BFS uses by default: the same states, more successors generated');
  }
  const identity = identityOf(request, system.packedWords, options.ordealVersion);
  const resume = options.resume ? loadCheckpoint(options.resume, identity) : undefined;
  const limitBytes = memoryLimitBytes(options.maxMemory);

  const pool = await startWorkers(
    { model: request.model.name, variant: request.variant, params: request.params, config: request.config, ...(options.modelsModule ? { modelsModule: options.modelsModule } : {}) },
    workers,
  );
  let reason: string | null = null;
  const requestStop = (why: string): void => {
    reason ??= why;
    pool.requestStop();
  };
  const signal = request.search.signal;
  const sampler = setInterval(() => {
    if (signal?.aborted) return requestStop(cancelReasonOf(signal));
    const pressure = memoryPressure(limitBytes);
    if (pressure) requestStop(pressure);
  }, MEMORY_SAMPLE_MS);
  if (options.checkpoint) {
    note(`searching with ${workers} worker${workers > 1 ? 's' : ''}; Ctrl-C or SIGTERM stops at the last complete level and writes ${options.checkpoint}`);
  }
  const timeLimitMs = request.search.timeLimitMs;
  const timeTimer = timeLimitMs === undefined ? null : setTimeout(() => requestStop(`time limit ${timeLimitMs} ms reached`), timeLimitMs);
  try {
    const result = await searchShards(system, pool.shards, {
      ...request.search,
      shouldStop: () =>
        reason ?? (pool.stoppedByWorkerHeap() ? 'a worker heap neared its V8 limit' : null) ?? memoryPressure(limitBytes) ?? request.search.shouldStop?.() ?? null,
      resume,
      keepCheckpoint: options.checkpoint !== undefined,
    });
    const checkpointPath = result.checkpoint && options.checkpoint ? saveCheckpoint(options.checkpoint, identity, result.checkpoint, note) : null;
    return { report: reportOf(request, system, result.outcome), workers, checkpointPath };
  } finally {
    clearInterval(sampler);
    if (timeTimer) clearTimeout(timeTimer);
    await pool.close();
  }
}
