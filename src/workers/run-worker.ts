// Simulation in a worker thread of the pool: the worker has built the system (worker.ts); this
// simulates the run ranges it is sent (runs.ts) and answers each with its tally.
import { parentPort } from 'node:worker_threads';
import type { TransitionSystem } from '../model/system.ts';
import { simulateRange } from '../simulate/tally.ts';
import type { RunsReply, RunsRole, RunsTask } from './runs.ts';

export function serveRuns(system: TransitionSystem<unknown>, role: RunsRole): void {
  parentPort!.on('message', (task: RunsTask) => {
    const tally = simulateRange(system, role.request, task.runStart, task.runEnd);
    parentPort!.postMessage({ task, tally } satisfies RunsReply);
  });
  parentPort!.postMessage({ ready: true });
}
