// Linearizability of a whole history: drop what cannot matter, split by key (operations on
// different keys are independent objects, so the history is linearizable iff each key's is:
// P-compositionality, Horn & Kroening 2015), search each key, and explain a failure. A znode
// history is one object (its operations carry no key), so it is one partition.
import { describeOperation, describeTimes, type History, type Operation, type SpecName, type Value } from './history.ts';
import { searchLinearization, type SearchBudget } from './search.ts';
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
  /** For `linearizable`: one valid order per key, as indices into the given operations. */
  readonly linearization?: ReadonlyMap<string | null, readonly number[]>;
  readonly explanation?: Explanation;
  /** For `unknown`: which budget ran out. */
  readonly reason?: string;
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

/** Decides whether `history` is linearizable with respect to its spec. Pure: the clock is injected. */
export function checkLinearizability(history: History, options: CheckOptions = {}): LinearizabilityResult {
  const spec = SPECS[history.spec];
  const initial = spec.initialState(options.initial);
  if (options.timeLimitMs !== undefined && options.now === undefined) throw new Error('checkLinearizability: timeLimitMs needs a clock (now)');
  const budget: SearchBudget = {
    maxSteps: options.maxSteps ?? Infinity,
    deadlineMs: options.timeLimitMs === undefined ? Infinity : (options.now ?? (() => 0))() + options.timeLimitMs,
    now: options.now ?? (() => 0),
    steps: 0,
  };
  // Pending operations that nothing can observe (pending reads among them) may be taken as never
  // having happened: leave them out of the search (see specs.ts, unobservablePending).
  const partitions = partitionByKey(history.operations).map(([key, operations]): [string | null, Operation[]] => {
    const dropped = spec.unobservable(operations);
    return [key, operations.filter((op) => !(op.return === null && (spec.readOnly(op) || dropped.has(op))))];
  });
  const searched = partitions.reduce((k, [, operations]) => k + operations.length, 0);
  const linearization = new Map<string | null, readonly number[]>();
  let unknownReason: string | undefined;
  const base = { operations: history.operations.length, searched, partitions: partitions.length };
  for (const [key, operations] of partitions) {
    const outcome = searchLinearization(operations, spec, initial, budget);
    if (outcome.result === 'not-linearizable') {
      return { ...base, result: 'not-linearizable', steps: budget.steps, explanation: explain(key, operations, outcome.longestPrefix, spec, initial) };
    }
    if (outcome.result === 'unknown') {
      unknownReason = outcome.reason;
      break;
    }
    linearization.set(key, outcome.order.map((i) => operations[i].index));
  }
  if (unknownReason !== undefined) return { ...base, result: 'unknown', steps: budget.steps, reason: unknownReason };
  return { ...base, result: 'linearizable', steps: budget.steps, linearization };
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
