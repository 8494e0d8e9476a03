// Simulation runs spread over worker threads of the pool (pool.ts). Runs are cut into chunks handed
// out in order to whichever worker is free; a chunk's tally depends only on its runs, and chunks are
// merged in run order, so the result is the same for any number of workers. Once a violation is
// known at run v, no chunk starting after v is handed out (chunks already running finish and are
// discarded by the merge); once the run is asked to stop, no chunk at all.
import { chunksOf, DEFAULT_CHUNK_RUNS, type RangeRunner, type RunRange } from '../simulate/simulate.ts';
import { mergeTallies, type Tally, type TallyRequest } from '../simulate/tally.ts';
import { MAX_WORKERS, serveTasks, type SystemRecipe } from './pool.ts';

/** A simulation worker's role: the request every range it is sent shares. */
export interface RunsRole {
  readonly kind: 'runs';
  readonly request: TallyRequest;
}

export type RunsTask = RunRange;

export interface RunsReply {
  readonly task: RunsTask;
  readonly tally: Tally;
}

/** Simulate runs in `workerCount` worker threads that rebuild the system from `recipe`. */
export function runsInWorkers(recipe: SystemRecipe, workerCount: number, chunkRuns = DEFAULT_CHUNK_RUNS): RangeRunner {
  if (!Number.isInteger(workerCount) || workerCount < 1 || workerCount > MAX_WORKERS) {
    throw new Error(`runsInWorkers: workerCount must be 1..${MAX_WORKERS}, got ${workerCount}`);
  }
  return async (request, range, control) => {
    const tasks = chunksOf(range.runStart, range.runEnd, chunkRuns);
    const results: Tally[] = [];
    let next = 0;
    let lowestViolation = Infinity;
    let stopped: string | null = null;
    const role: RunsRole = { kind: 'runs', request };
    await serveTasks<RunsTask, RunsReply>(recipe, role, {
      workerCount,
      taskCount: tasks.length,
      nextTask: () => {
        stopped ??= control.stopReason();
        return stopped === null && next < tasks.length && tasks[next].runStart <= lowestViolation ? tasks[next++] : null;
      },
      onReply: (reply) => {
        results.push(reply.tally);
        if (reply.tally.violation && request.stopAtViolation) lowestViolation = Math.min(lowestViolation, reply.tally.violation.run);
        control.onTally(reply.tally);
      },
    });
    if (results.length === 0) return { tally: null, stopReason: stopped };
    // Keep the chunks of one unbroken prefix of the range, as a sequential pass would have run them.
    results.sort((a, b) => a.runStart - b.runStart);
    return { tally: mergeTallies(results, request.stopAtViolation), stopReason: stopped };
  };
}
