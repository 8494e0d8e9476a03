// A whole simulation: runs [runStart, runEnd) of one model configuration, in this thread or through
// an injected runner (worker threads: src/workers/runs.ts; same result either way), then the
// lowest-run violation as a shrunk trace. Progress and cancellation as for every strategy
// (explore/control.ts): checked before every run here, before every chunk in workers. Pure apart
// from the injected clock; the API starts workers, the CLI writes files and prints.
import type { ModelDefinition, Params, RunConfig } from '../model/define.ts';
import type { TransitionSystem } from '../model/system.ts';
import { TRACE_FORMAT, TRACE_VERSION, type Trace } from '../trace/format.ts';
import { shrinkTrace, type ShrinkResult } from '../trace/shrink.ts';
import type { SimulationOptions } from './options.ts';
import { stopReasonOf, type RunControl } from '../explore/control.ts';
import { emptyTally, mergeTallies, simulateRange, type Tally, type TallyRequest } from './tally.ts';
import { simulateGuided } from './guided.ts';

/** Runs per chunk: the unit of progress reports and of the work handed to a worker. */
export const DEFAULT_CHUNK_RUNS = 64;

export interface RunRange {
  readonly runStart: number;
  /** Exclusive. */
  readonly runEnd: number;
}

export function chunksOf(runStart: number, runEnd: number, chunkRuns: number): RunRange[] {
  const tasks: RunRange[] = [];
  for (let start = runStart; start < runEnd; start += chunkRuns) tasks.push({ runStart: start, runEnd: Math.min(runEnd, start + chunkRuns) });
  return tasks;
}

/** What a range runner is told: when to stop, and each chunk's tally as it completes (progress). */
export interface RangeControl {
  stopReason(): string | null;
  onTally(tally: Tally): void;
}

/** Simulates a range of runs somewhere (worker threads); null tally when stopped before any run. */
export type RangeRunner = (request: TallyRequest, range: RunRange, control: RangeControl) => Promise<{ tally: Tally | null; stopReason: string | null }>;

/** How far a simulation got: runs and events counted so far (chunks completed, in any order). */
export interface SimulationProgress {
  readonly runs: number;
  readonly events: number;
  readonly elapsedMs: number;
}

export interface SimulateRequest {
  readonly model: ModelDefinition;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
  readonly seed: number;
  readonly options: SimulationOptions;
  readonly runStart: number;
  /** Exclusive. */
  readonly runEnd: number;
  readonly stopAtViolation: boolean;
  /** Worker threads (default 1: this thread); more need `runner`, which starts them. */
  readonly workers?: number;
  /** Where runs are simulated when `workers` > 1 (src/workers/runs.ts). */
  readonly runner?: RangeRunner;
  /** Shrink the violation before reporting it (default true). */
  readonly shrink?: boolean;
  /** Injected clock in ms (for events per second); the engine reads no clock of its own. */
  readonly now?: () => number;
  /** Progress, cancellation and a time limit, as every strategy takes them. */
  readonly control?: Omit<RunControl<SimulationProgress>, 'now'>;
}

export interface SimulateReport {
  readonly request: SimulateRequest;
  readonly system: TransitionSystem<unknown>;
  readonly tally: Tally;
  /** The lowest-run violation as a trace (shrunk unless asked not to), or null. */
  readonly trace: Trace | null;
  readonly shrink: ShrinkResult | null;
  /** Wall time of the runs alone (not the model build nor shrinking). */
  readonly elapsedMs: number;
  /** Why the runs stopped before the range's end (cancelled, time limit), or null. */
  readonly stopReason: string | null;
}

/** The simulation options a trace records, so `--seed S --run R` can be rebuilt from it. */
export function recordedOptions(options: SimulationOptions): Record<string, unknown> {
  return { ...options, mix: { ...options.mix }, timing: { ...options.timing }, liveness: options.liveness && { ...options.liveness } };
}

/** Runs of the range in this thread, chunk by chunk, asking before every run whether to stop. */
function runsHere<S>(system: TransitionSystem<S>, request: TallyRequest, range: RunRange, control: RangeControl): { tally: Tally | null; stopReason: string | null } {
  const tallies: Tally[] = [];
  let stopReason: string | null = null;
  const stop = (): boolean => (stopReason = control.stopReason()) !== null;
  for (const chunk of chunksOf(range.runStart, range.runEnd, DEFAULT_CHUNK_RUNS)) {
    const tally = simulateRange(system, request, chunk.runStart, chunk.runEnd, stop);
    if (tally.runEnd > tally.runStart) tallies.push(tally);
    control.onTally(tally);
    if (stopReason !== null || (tally.violation && request.stopAtViolation)) break;
  }
  if (tallies.length === 0) return { tally: null, stopReason };
  const merged = mergeTallies(tallies, request.stopAtViolation);
  // As one pass over the whole range would say: stopped when a violation ended it before its end.
  return { tally: { ...merged, stopped: request.stopAtViolation && merged.violation !== null && merged.runEnd < range.runEnd }, stopReason };
}

/** Guided simulation of the range, in this thread; its result does not depend on `workers`. */
function guidedHere<S>(system: TransitionSystem<S>, request: SimulateRequest, control: RangeControl): { tally: Tally | null; stopReason: string | null } {
  let stopReason: string | null = null;
  let reported = { runs: 0, events: 0 };
  const tally = simulateGuided({
    system,
    options: request.options,
    seed: request.seed,
    budgets: request.config.faults,
    runStart: request.runStart,
    runEnd: request.runEnd,
    stopAtViolation: request.stopAtViolation,
    shouldStop: () => (stopReason = control.stopReason()) !== null,
    onGeneration: (runs, events) => {
      control.onTally({ ...emptyTally(request.runStart + reported.runs, 0), runEnd: request.runStart + runs, events: events - reported.events });
      reported = { runs, events };
    },
  });
  return { tally: tally.runEnd > tally.runStart ? tally : null, stopReason };
}

export async function simulate(request: SimulateRequest): Promise<SimulateReport> {
  const now = request.now ?? (() => 0);
  const system = request.model.build({ params: request.params, variant: request.variant, config: request.config });
  const started = now();
  const tallyRequest: TallyRequest = { options: request.options, seed: request.seed, stopAtViolation: request.stopAtViolation };
  const range = { runStart: request.runStart, runEnd: request.runEnd };
  const control = request.control ?? {};
  const stopReason = stopReasonOf({ ...control, now }, started);
  let runs = 0;
  let events = 0;
  const rangeControl: RangeControl = {
    stopReason,
    onTally: (t) => {
      runs += t.runEnd - t.runStart;
      events += t.events;
      control.onProgress?.({ runs, events, elapsedMs: now() - started });
    },
  };
  const workers = request.workers ?? 1;
  if (workers > 1 && !request.runner) throw new Error('simulate: workers > 1 needs a runner (src/workers/runs.ts starts the worker threads)');
  const parallel = workers > 1 && request.runEnd - request.runStart > 1;
  // Guided runs grow from a corpus, generation by generation, in this thread (see guided.ts).
  const ran =
    request.options.strategy === 'guided'
      ? guidedHere(system, request, rangeControl)
      : parallel
        ? await request.runner!(tallyRequest, range, rangeControl)
        : runsHere(system, tallyRequest, range, rangeControl);
  const targetCount = system.properties.filter((p) => p.kind === 'reachable').length;
  const tally = ran.tally ?? emptyTally(request.runStart, targetCount);
  // Events per second measure simulation alone (model build and shrinking excluded).
  const elapsedMs = now() - started;
  let trace: Trace | null = null;
  let shrink: ShrinkResult | null = null;
  const v = tally.violation;
  if (v) {
    trace = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      model: { name: request.model.name, version: request.model.version, variant: request.variant, params: request.params },
      config: request.config,
      strategy: request.options.strategy,
      seed: request.seed,
      initial: 0,
      events: v.events,
      violation: { property: v.property, message: v.message, step: v.events.length, kind: v.kind },
      run: v.run,
      simulation: { ...recordedOptions(request.options), runMix: { ...v.mix } },
    };
    if (request.shrink !== false) {
      const shrunk = shrinkTrace(system, trace);
      trace = shrunk.trace;
      shrink = shrunk.result;
    }
  }
  return { request, system, tally, trace, shrink, elapsedMs, stopReason: ran.stopReason };
}
