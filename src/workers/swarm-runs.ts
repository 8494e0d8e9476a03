// The searches of a swarm (`check --swarm N`, or the one of `--shard i/N`) on the worker pool:
// plans are handed out in index order to whichever worker is free; each search is deterministic
// from its plan, so results do not depend on the worker count, only on which searches ran.
import type { SwarmPlan, SwarmSearchResult } from '../explore/swarm-search.ts';
import { MAX_WORKERS, serveTasks, type SystemRecipe } from './pool.ts';

export interface SwarmRole {
  readonly kind: 'swarm';
  /** Each search stops (inconclusive) after this many ms. */
  readonly timeLimitMs?: number;
  readonly maxStates?: number;
}

export interface SwarmTask {
  readonly plan: SwarmPlan;
}

export interface SwarmReply {
  readonly result: SwarmSearchResult;
}

/** Run `plans` on `workerCount` workers; `stopReason` is asked before each hand-out. Results by index. */
export async function swarmInWorkers(recipe: SystemRecipe, workerCount: number, plans: readonly SwarmPlan[], role: SwarmRole, stopReason: () => string | null): Promise<SwarmSearchResult[]> {
  if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > MAX_WORKERS) throw new Error(`swarmInWorkers: workerCount must be 1..${MAX_WORKERS}, got ${workerCount}`);
  const results: SwarmSearchResult[] = [];
  let next = 0;
  await serveTasks<SwarmTask, SwarmReply>(recipe, role, {
    workerCount,
    taskCount: plans.length,
    nextTask: () => (stopReason() === null && next < plans.length ? { plan: plans[next++] } : null),
    onReply: (reply) => results.push(reply.result),
  });
  return results.sort((a, b) => a.plan.index - b.plan.index);
}
