// Spreading run ranges over worker threads. Runs are cut into chunks handed out in order to whichever
// worker is free; a chunk's tally depends only on its runs, and chunks are merged in run order, so
// the result is the same for any number of workers. Once a violation is known at run v, no chunk
// starting after v is handed out (chunks already running finish and are discarded by the merge).
import { Worker } from 'node:worker_threads';
import type { Params, RunConfig } from '../model/define.ts';
import { mergeTallies, type Tally, type TallyRequest } from './tally.ts';

export interface WorkerJob {
  /** URL of a module exporting the model list (workers rebuild the system from it). */
  readonly modelsModule: string;
  readonly modelsExport: string;
  readonly model: string;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
  readonly request: TallyRequest;
}

export interface WorkerTask {
  readonly runStart: number;
  readonly runEnd: number;
}

export interface WorkerReply {
  readonly task: WorkerTask;
  readonly tally: Tally;
}

/** Runs per chunk handed to a worker: small enough to balance, large enough to amortize messages. */
export const DEFAULT_CHUNK_RUNS = 64;
export const MAX_WORKERS = 256;

export function chunksOf(runStart: number, runEnd: number, chunkRuns: number): WorkerTask[] {
  const tasks: WorkerTask[] = [];
  for (let start = runStart; start < runEnd; start += chunkRuns) tasks.push({ runStart: start, runEnd: Math.min(runEnd, start + chunkRuns) });
  return tasks;
}

export async function simulateInWorkers(job: WorkerJob, runStart: number, runEnd: number, workerCount: number, chunkRuns = DEFAULT_CHUNK_RUNS): Promise<Tally> {
  if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > MAX_WORKERS) {
    throw new Error(`simulateInWorkers: workerCount must be 1..${MAX_WORKERS}, got ${workerCount}`);
  }
  const tasks = chunksOf(runStart, runEnd, chunkRuns);
  const results: Tally[] = [];
  let next = 0;
  let lowestViolation = Infinity;
  const workerUrl = new URL('./worker.mjs', import.meta.url);
  const workers = Array.from({ length: Math.min(workerCount, Math.max(1, tasks.length)) }, () =>
    new Worker(workerUrl, { workerData: job }),
  );
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const handOut = (): void => {
              if (next < tasks.length && tasks[next].runStart <= lowestViolation) worker.postMessage(tasks[next++]);
              else resolve();
            };
            worker.on('message', (reply: WorkerReply | { ready: true }) => {
              if ('tally' in reply) {
                results.push(reply.tally);
                if (reply.tally.violation && job.request.stopAtViolation) lowestViolation = Math.min(lowestViolation, reply.tally.violation.run);
              }
              handOut();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`simulation worker exited with code ${code}`))));
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // Keep the chunks of one unbroken prefix of the range, as a sequential pass would have run them.
  results.sort((a, b) => a.runStart - b.runStart);
  return mergeTallies(results, job.request.stopAtViolation);
}
