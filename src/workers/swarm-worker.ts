// A swarm search in a worker thread of the pool: the worker has built the system (worker.ts); this
// runs each search plan it is sent (swarm-runs.ts) and answers with its result.
import { parentPort } from 'node:worker_threads';
import type { TransitionSystem } from '../model/system.ts';
import { swarmSearch } from '../explore/swarm-search.ts';
import type { SwarmReply, SwarmRole, SwarmTask } from './swarm-runs.ts';

export function serveSwarm(system: TransitionSystem<unknown>, role: SwarmRole): void {
  parentPort!.on('message', (task: SwarmTask) => {
    const result = swarmSearch(system, task.plan, { now: () => performance.now(), timeLimitMs: role.timeLimitMs, maxStates: role.maxStates });
    parentPort!.postMessage({ result } satisfies SwarmReply);
  });
  parentPort!.postMessage({ ready: true });
}
