// The one worker pool of ordeal: every worker thread, whether it owns a shard of a parallel BFS or
// simulates ranges of runs, is started here, rebuilds the same transition system from a recipe
// (a models module, the model's name, variant, params and config), and then serves its role
// (worker.ts). What a role says to its worker is in shards.ts, runs.ts and swarm-runs.ts; how a
// worker is born, loads its model, is kept busy with tasks and dies is here, once.
import { Worker, type TransferListItem } from 'node:worker_threads';
import type { Params, RunConfig } from '../model/define.ts';
import { BUILTIN_MODELS_MODULE, type ModelsModule } from './model-module.ts';

/** Worker threads one run may start at most. */
export const MAX_WORKERS = 256;

/** How a worker rebuilds the system of the run: plain data, sent to every worker. */
export interface SystemRecipe {
  /** Where the model list is (default: the built-in models). */
  readonly modelsModule?: ModelsModule;
  readonly model: string;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
}

/** What a worker is started as: its role's own data travels beside the recipe. */
export interface WorkerData<R> {
  readonly recipe: SystemRecipe;
  readonly role: R;
}

const ENTRY = new URL('./worker.mjs', import.meta.url);

/** Start one worker thread that builds the recipe's system and serves `role` (see worker.ts). */
export function startWorker<R extends { readonly kind: string }>(recipe: SystemRecipe, role: R, transferList: readonly TransferListItem[] = []): Worker {
  const workerData: WorkerData<R> = { recipe: { ...recipe, modelsModule: recipe.modelsModule ?? BUILTIN_MODELS_MODULE }, role };
  return new Worker(ENTRY, { workerData, transferList: [...transferList] });
}

/** Terminate workers, all of them, whatever state they are in. */
export async function stopWorkers(workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.terminate()));
}

/**
 * Start up to `workerCount` workers (no more than there are tasks) in `role` and keep each busy:
 * whenever one is ready or has replied (`onReply`), `nextTask()` gives it its next task, or null
 * when there is none for it (a stop, a limit, the end), and then it is done. Resolves when all are
 * done; the workers are stopped whatever happened.
 */
export async function serveTasks<Task, Reply extends object>(
  recipe: SystemRecipe,
  role: { readonly kind: string },
  work: { readonly workerCount: number; readonly taskCount: number; nextTask(): Task | null; onReply(reply: Reply): void },
): Promise<void> {
  const workers = Array.from({ length: Math.min(work.workerCount, Math.max(1, work.taskCount)) }, () => startWorker(recipe, role));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.on('message', (reply: Reply | { ready: true }) => {
              if (!('ready' in reply)) work.onReply(reply);
              const task = work.nextTask();
              if (task !== null) worker.postMessage(task);
              else resolve();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${role.kind} worker exited with code ${code}`))));
          }),
      ),
    );
  } finally {
    await stopWorkers(workers);
  }
}
