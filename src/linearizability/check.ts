// Linearizability of a whole history: drop what cannot matter, split by key (operations on
// different keys are independent objects, so the history is linearizable iff each key's is:
// P-compositionality, Horn & Kroening 2015), search the keys by turns until one fails or all
// pass, and explain a failure. A znode history is one object (its operations carry no key), so it
// is one partition. Every search charges its memo to one memory bound, so a history too hard for
// the memory at hand ends `unknown` with the reason instead of crashing the process.
import { getHeapStatistics } from 'node:v8';
import { describeOperation, describeTimes, type History, type Operation, type SpecName, type Value } from './history.ts';
import type { MemoryMeter } from './memo.ts';
import { PartitionSearch } from './search.ts';
import { SPECS, type SequentialSpec } from './specs.ts';

export interface CheckOptions {
  /** A register's starting value (default null); a kv key's (default ""). */
  readonly initial?: Value;
  /** Stop with `unknown` after this many spec applications (default: no limit). */
  readonly maxSteps?: number;
  /** Stop with `unknown` after this many milliseconds of `now()` (default: no limit). */
  readonly timeLimitMs?: number;
  /** The clock for the time limit (milliseconds); injected so the checker does no I/O. */
  readonly now?: () => number;
  /**
   * Stop with `unknown` before the search's memo (and the states it interns) would pass this many
   * bytes (default: a quarter of V8's heap limit, see defaultMaxMemoryBytes).
   */
  readonly maxMemoryBytes?: number;
}

export type StopCause = 'steps' | 'time' | 'memory' | 'caller';

/** How far a check that stopped early got. */
export interface SearchProgress {
  /** Configurations in the memos of the keys still undecided. */
  readonly configurations: number;
  /** Bytes the memos and interned states held (what the memory bound limits). */
  readonly memoryBytes: number;
  /** The undecided key whose search linearised the most operations at once, and of how many. */
  readonly deepest: { readonly key: string | null; readonly linearised: number; readonly of: number } | null;
}

/** One operation that could not be linearised next after the longest prefix, and why. */
export interface BlockedOperation {
  readonly operation: Operation;
  readonly reason: string;
}

export interface Explanation {
  /** The spec the history was checked against (how to print its states). */
  readonly spec: SpecName;
  /** The key whose history is not linearizable (null for an unkeyed register). */
  readonly key: string | null;
  /** The longest linearisable prefix found, in linearisation order, with the state after each. */
  readonly prefix: readonly { readonly operation: Operation; readonly stateAfter: Value }[];
  readonly stateAfterPrefix: Value;
  /** The earliest-returning operation not in the prefix: it had to take effect by its return. */
  readonly mustPlace: Operation;
  /** Every operation that could come next after the prefix, none of which leads to a linearisation. */
  readonly blocked: readonly BlockedOperation[];
  /** The operations of that key, for drawing a timeline. */
  readonly keyOperations: readonly Operation[];
}

export type LinearizabilityVerdict = 'linearizable' | 'not-linearizable' | 'unknown';

export interface LinearizabilityResult {
  readonly result: LinearizabilityVerdict;
  /** Operations in the history (all of them, as given). */
  readonly operations: number;
  /** Operations searched: without pending operations nothing can observe (pending reads, unseen writes). */
  readonly searched: number;
  /** Keys (independent objects) the history split into. */
  readonly partitions: number;
  /** Spec applications the search made (the work measure a step budget limits). */
  readonly steps: number;
  /** Keys decided linearizable (all of them when the result is `linearizable`). */
  readonly decided: number;
  /** For `linearizable`: one valid order per key, as indices into the given operations. */
  readonly linearization?: ReadonlyMap<string | null, readonly number[]>;
  readonly explanation?: Explanation;
  /** For `unknown`: which bound ran out (or who stopped the check). */
  readonly reason?: string;
  /** For `unknown`: `steps`, `time` or `memory` (the bound named by `reason`), or `caller` (`stop` was called). */
  readonly stoppedBy?: StopCause;
  /** For `unknown`: how far the search got. */
  readonly progress?: SearchProgress;
}

/** Splits operations by key, keys in sorted order (null first), each key's in the given order. */
function partitionByKey(operations: readonly Operation[]): [string | null, Operation[]][] {
  const byKey = new Map<string | null, Operation[]>();
  for (const op of operations) {
    const list = byKey.get(op.key);
    if (list) list.push(op);
    else byKey.set(op.key, [op]);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

function explain(key: string | null, operations: readonly Operation[], longestPrefix: readonly number[], spec: SequentialSpec, initial: Value): Explanation {
  let state = initial;
  const prefix = longestPrefix.map((i) => {
    state = spec.apply(state, operations[i])!;
    return { operation: operations[i], stateAfter: state };
  });
  const placed = new Set(longestPrefix);
  const remaining = operations.filter((_, i) => !placed.has(i));
  let mustPlace: Operation | undefined;
  for (const op of remaining) {
    if (op.return !== null && (mustPlace === undefined || op.return < mustPlace.return! || (op.return === mustPlace.return && op.index < mustPlace.index))) mustPlace = op;
  }
  if (mustPlace === undefined) throw new Error('linearizability: a failed search left no completed operation unplaced');
  const deadline = mustPlace.return!;
  const blocked = remaining
    .filter((op) => op.call <= deadline)
    .map((op) => ({
      operation: op,
      reason: spec.apply(state, op) === undefined ? spec.rejection(state, op) : 'possible next, but every continuation from there fails',
    }));
  return { spec: spec.name, key, prefix, stateAfterPrefix: state, mustPlace, blocked, keyOperations: operations };
}

/** Spec applications one partition gets before the next undecided one takes its turn. */
const TURN_STEPS = 8192;
/** The default memory bound: this share of V8's heap limit. */
const HEAP_SHARE_DEFAULT = 0.25;
const MIB = 1024 * 1024;

/** The memo bound a check uses when none is given: a quarter of this process's V8 heap limit. */
export function defaultMaxMemoryBytes(): number {
  heapLimitBytes ??= getHeapStatistics().heap_size_limit; // fixed for the life of the process
  return Math.floor(heapLimitBytes * HEAP_SHARE_DEFAULT);
}
let heapLimitBytes: number | undefined;

interface Partition {
  readonly key: string | null;
  readonly operations: readonly Operation[];
  search: PartitionSearch | null;
}

/**
 * One check of a history, run in slices: `advance(steps)` returns the result once decided (or once
 * a bound is hit), else undefined; `stop(reason)` ends it early with the partial result. The
 * undecided partitions take turns of TURN_STEPS spec applications in key order, so a key that
 * fails quickly is found even when another key would take the search a very long time (as
 * Porcupine checks partitions in parallel and stops at the first that fails); deterministic, as
 * turns are counted in steps, not time.
 */
export class LinearizabilityCheck {
  private readonly spec: SequentialSpec;
  private readonly initial: Value;
  private readonly partitions: readonly Partition[];
  private readonly undecided: Partition[];
  private readonly linearization = new Map<string | null, readonly number[]>();
  private readonly meter: MemoryMeter;
  private readonly maxSteps: number;
  private readonly deadlineMs: number;
  private readonly now: () => number;
  private readonly base: Pick<LinearizabilityResult, 'operations' | 'searched' | 'partitions'>;
  private turn = 0;
  /** Steps the current partition has had of its turn (a turn may span calls of `advance`). */
  private turnUsed = 0;
  private steps = 0;
  private result: LinearizabilityResult | undefined;

  constructor(history: History, options: CheckOptions = {}) {
    this.spec = SPECS[history.spec];
    this.initial = this.spec.initialState(options.initial);
    if (options.timeLimitMs !== undefined && options.now === undefined) throw new Error('checkLinearizability: timeLimitMs needs a clock (now)');
    if (options.maxMemoryBytes !== undefined && !(options.maxMemoryBytes > 0)) throw new Error('checkLinearizability: maxMemoryBytes must be positive');
    this.now = options.now ?? (() => 0);
    this.maxSteps = options.maxSteps ?? Infinity;
    this.deadlineMs = options.timeLimitMs === undefined ? Infinity : this.now() + options.timeLimitMs;
    this.meter = { maxBytes: options.maxMemoryBytes ?? defaultMaxMemoryBytes(), usedBytes: 0 };
    // Pending operations that nothing can observe (pending reads among them) may be taken as never
    // having happened: leave them out of the search (see specs.ts, unobservablePending).
    const spec = this.spec;
    this.partitions = partitionByKey(history.operations).map(([key, operations]): Partition => {
      const dropped = spec.unobservable(operations);
      return { key, operations: operations.filter((op) => !(op.return === null && (spec.readOnly(op) || dropped.has(op)))), search: null };
    });
    this.undecided = [...this.partitions];
    const searched = this.partitions.reduce((k, p) => k + p.operations.length, 0);
    this.base = { operations: history.operations.length, searched, partitions: this.partitions.length };
  }

  /** Keys decided linearizable so far. */
  get decided(): number {
    return this.linearization.size;
  }

  /** Runs up to `steps` more spec applications; the result once there is one. */
  advance(steps = Infinity): LinearizabilityResult | undefined {
    let left = steps;
    while (this.result === undefined && left > 0) {
      if (this.undecided.length === 0) return this.finish({ ...this.base, result: 'linearizable', steps: this.steps, decided: this.decided, linearization: this.linearization });
      if (this.steps >= this.maxSteps) return this.stop(`step budget of ${this.maxSteps} spec applications spent`, 'steps');
      if (this.now() > this.deadlineMs) return this.stop('time limit reached', 'time');
      if (this.turn >= this.undecided.length) this.turn = 0;
      const partition = this.undecided[this.turn];
      partition.search ??= new PartitionSearch(partition.operations, this.spec, this.initial, this.meter);
      const search = partition.search;
      const before = search.steps;
      const outcome = search.run(Math.min(TURN_STEPS - this.turnUsed, left, this.maxSteps - this.steps));
      const used = search.steps - before;
      this.steps += used;
      left -= used;
      this.turnUsed += used;
      if (outcome.result === 'paused') {
        // Its turn goes on at the next call if the slice ended first, else the next partition's begins.
        if (this.turnUsed >= TURN_STEPS) {
          this.turn++;
          this.turnUsed = 0;
        }
        continue;
      }
      this.turnUsed = 0;
      if (outcome.result === 'memory-bound') {
        return this.stop(this.memoryReason(partition), 'memory');
      } else if (outcome.result === 'not-linearizable') {
        const explanation = explain(partition.key, partition.operations, outcome.longestPrefix, this.spec, this.initial);
        return this.finish({ ...this.base, result: 'not-linearizable', steps: this.steps, decided: this.decided, explanation });
      } else {
        search.release();
        partition.search = null;
        this.undecided.splice(this.turn, 1);
        this.linearization.set(partition.key, outcome.order.map((i) => partition.operations[i].index));
      }
    }
    return this.result;
  }

  /** Ends the check now (a bound, or a signal): `unknown`, with `reason` and how far it got. */
  stop(reason: string, stoppedBy: StopCause = 'caller'): LinearizabilityResult {
    if (this.result !== undefined) return this.result;
    const searches = this.partitions.flatMap((p) => (p.search === null ? [] : [{ key: p.key, search: p.search }]));
    const deepest = searches.reduce<(typeof searches)[number] | undefined>((best, s) => (best === undefined || s.search.deepest > best.search.deepest ? s : best), undefined);
    const progress: SearchProgress = {
      configurations: searches.reduce((n, s) => n + s.search.configurations, 0),
      memoryBytes: this.meter.usedBytes,
      deepest: deepest === undefined ? null : { key: deepest.key, linearised: deepest.search.deepest, of: deepest.search.completedCount },
    };
    return this.finish({ ...this.base, result: 'unknown', steps: this.steps, decided: this.decided, reason, stoppedBy, progress });
  }

  private memoryReason(partition: Partition): string {
    const search = partition.search!;
    const where = partition.key === null ? '' : ` on key ${JSON.stringify(partition.key)}`;
    return (
      `memory bound of ${Math.round(this.meter.maxBytes / MIB)} MiB reached (the search's memo of configurations seen)${where}, ` +
      `after ${search.deepest} of ${search.completedCount} operations linearised at most`
    );
  }

  private finish(result: LinearizabilityResult): LinearizabilityResult {
    this.result = result;
    for (const p of this.partitions) {
      p.search?.release();
      p.search = null;
    }
    return result;
  }
}

/** Decides whether `history` is linearizable with respect to its spec. Pure: the clock is injected. */
export function checkLinearizability(history: History, options: CheckOptions = {}): LinearizabilityResult {
  return new LinearizabilityCheck(history, options).advance()!;
}

/** A few lines saying why the history is not linearizable. */
export function formatExplanation(e: Explanation, maxPrefixShown = 8): string {
  const lines: string[] = [];
  const showState = SPECS[e.spec].showState;
  const where = e.key === null ? '' : ` on key ${JSON.stringify(e.key)}`;
  const shown = e.prefix.slice(-maxPrefixShown);
  lines.push(`Longest linearisable prefix${where}: ${e.prefix.length} operations${e.prefix.length > shown.length ? ` (last ${shown.length} shown)` : ''}`);
  for (const { operation: op, stateAfter } of shown) {
    lines.push(`  #${op.index} client ${op.client} ${describeOperation(op)} ${describeTimes(op)}  => ${showState(stateAfter)}`);
  }
  lines.push(`State after it: ${showState(e.stateAfterPrefix)}`);
  lines.push(`#${e.mustPlace.index} client ${e.mustPlace.client} ${describeOperation(e.mustPlace)} ${describeTimes(e.mustPlace)} had to take effect by time ${e.mustPlace.return}, but nothing can come next:`);
  for (const b of e.blocked) lines.push(`  #${b.operation.index} client ${b.operation.client} ${describeOperation(b.operation)} ${describeTimes(b.operation)}: ${b.reason}`);
  return lines.join('\n');
}
