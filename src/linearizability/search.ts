// The Wing & Gong search with Lowe's memoisation, on one object (one partition of the history).
//
// Completed operations' calls and returns are laid out in time order in a doubly linked list. The
// search walks the list from its head: at a call it tries to linearise that operation next (apply
// it to the spec state); if the spec accepts and the configuration (linearised set, new state) is
// new, it lifts the call and its return out of the list, pushes it on a stack and starts again
// from the head. Reaching a return means that operation had to take effect by now: before giving
// up on the current configuration, the search tries the pending operations called by then
// (they may take effect at any point after their call, or never); then it backtracks (pop, put
// the entries back, try the next candidate). The history is linearizable once every completed
// operation is linearised: pending operations left over never took effect.
//
// The memo (Lowe 2017, as in Porcupine and Knossos) makes this fast: two orders reaching the same
// configuration have the same future, so the second is not explored. Pending operations would
// multiply configurations (any subset of them may have been linearised and overwritten), so the
// memo compares them by inclusion: a configuration with the same completed set and state as one
// already seen, and a superset of its pending operations, can do nothing the first could not
// (a pending operation is optional), so it is pruned; and completed candidates are tried before
// pending ones, so the configuration seen first tends to have the fewest pending operations.
// No recursion: the stack is an explicit array. The search is resumable: `run(steps)` does at most
// that many spec applications and pauses, so a check can share its time among partitions (and the
// CLI can see a signal between two slices).
import type { Operation, Value } from './history.ts';
import { Bitset, ConfigurationMemo, LinearisedSet, MEMO_ADDED, MEMO_FULL, type MemoryMeter } from './memo.ts';
import type { SequentialSpec } from './specs.ts';

export type SearchOutcome =
  /** `order`: indices into the partition's operations, in a valid linearisation order. */
  | { readonly result: 'linearizable'; readonly order: readonly number[] }
  /** `longestPrefix`: the longest linearisable prefix found before the search ran out of options. */
  | { readonly result: 'not-linearizable'; readonly longestPrefix: readonly number[] }
  /** Spent the steps it was given without deciding: `run` again to go on. */
  | { readonly result: 'paused' }
  /** The memo would pass the memory meter's bound: the search cannot go on. */
  | { readonly result: 'memory-bound' };

/** Bytes charged per interned state besides a string's characters (map entry and string header). */
const STATE_OVERHEAD_BYTES = 64;
const END = -1;

interface EntryList {
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** Entry -> operation index; the entry is a call when `isCall`. */
  readonly operationOf: Int32Array;
  readonly isCall: Uint8Array;
  readonly time: Float64Array;
  readonly returnEntryOf: Int32Array;
  readonly callEntryOf: Int32Array;
  readonly head: number;
}

/** The list of completed operations' calls and returns (`operations` all have a return). */
function buildEntries(operations: readonly Operation[]): EntryList {
  const events: { time: number; isCall: boolean; operation: number }[] = [];
  operations.forEach((op, i) => {
    events.push({ time: op.call, isCall: true, operation: i });
    events.push({ time: op.return!, isCall: false, operation: i });
  });
  // Calls before returns at equal times: such operations overlap. Then by operation, for determinism.
  events.sort((a, b) => a.time - b.time || Number(b.isCall) - Number(a.isCall) || a.operation - b.operation);
  const count = events.length;
  const head = count;
  const next = new Int32Array(count + 1);
  const prev = new Int32Array(count + 1);
  const operationOf = new Int32Array(count);
  const isCall = new Uint8Array(count);
  const time = new Float64Array(count);
  const returnEntryOf = new Int32Array(operations.length);
  const callEntryOf = new Int32Array(operations.length);
  events.forEach((e, i) => {
    operationOf[i] = e.operation;
    time[i] = e.time;
    isCall[i] = e.isCall ? 1 : 0;
    if (e.isCall) callEntryOf[e.operation] = i;
    else returnEntryOf[e.operation] = i;
    next[i] = i + 1 < count ? i + 1 : END;
    prev[i] = i === 0 ? head : i - 1;
  });
  next[head] = count > 0 ? 0 : END;
  prev[head] = END;
  return { next, prev, operationOf, isCall, time, returnEntryOf, callEntryOf, head };
}

function unlink(list: EntryList, entry: number): void {
  const { next, prev } = list;
  next[prev[entry]] = next[entry];
  if (next[entry] !== END) prev[next[entry]] = prev[entry];
}

function relink(list: EntryList, entry: number): void {
  const { next, prev } = list;
  next[prev[entry]] = entry;
  if (next[entry] !== END) prev[next[entry]] = entry;
}

/** Remove an operation's call and return; `restore` must undo lifts in reverse order (dancing links). */
function lift(list: EntryList, operation: number): void {
  unlink(list, list.callEntryOf[operation]);
  unlink(list, list.returnEntryOf[operation]);
}

function restore(list: EntryList, operation: number): void {
  relink(list, list.returnEntryOf[operation]);
  relink(list, list.callEntryOf[operation]);
}


/** A placed operation: which one, the state before it, and where to resume the candidates after it. */
interface Frame {
  /** Index into the partition's operations. */
  readonly operation: number;
  readonly stateBefore: Value;
  /** A pending operation's position in `pendingOrder`, or -1 for a completed operation. */
  readonly pendingPosition: number;
  /** A completed operation's index among the completed ones, or -1. */
  readonly completedPosition: number;
  /** For a pending operation: the time of the return that bounded the candidates. */
  readonly bound: number;
}

/** The search of one object's operations against `spec` from `initial`, run in slices of steps. */
export class PartitionSearch {
  /** Spec applications so far. */
  steps = 0;
  /** The most operations linearised at once so far (how far the search got). */
  deepest = 0;
  private readonly completed: readonly number[];
  private readonly pendingOrder: readonly number[];
  private readonly list: EntryList;
  private readonly linearised: LinearisedSet;
  private readonly pendingBits: Bitset;
  private readonly pendingPlaced: Uint8Array;
  private readonly memo: ConfigurationMemo;
  private readonly stateIds = new Map<Value, number>();
  private readonly stack: Frame[] = [];
  private longest: Frame[] = [];
  private completedLeft: number;
  private state: Value;
  private entry: number;
  /** -1 while walking the list; else the next pending candidate, up to calls at time <= `bound`. */
  private pendingCursor = -1;
  private bound = 0;
  private outcome: SearchOutcome | null = null;

  constructor(
    private readonly operations: readonly Operation[],
    private readonly spec: SequentialSpec,
    initial: Value,
    private readonly meter: MemoryMeter,
  ) {
    // Completed operations in call order (positions index `completed`); pending ones in `pendingOrder`.
    this.completed = operations
      .map((_, i) => i)
      .filter((i) => operations[i].return !== null)
      .sort((a, b) => operations[a].call - operations[b].call || a - b);
    this.pendingOrder = operations
      .map((_, i) => i)
      .filter((i) => operations[i].return === null)
      .sort((a, b) => operations[a].call - operations[b].call || a - b);
    const completed = this.completed;
    this.list = buildEntries(completed.map((i) => operations[i]));
    const reach = new Int32Array(completed.length);
    for (let p = 0, q = 0; p < completed.length; p++) {
      while (q < completed.length && operations[completed[q]].call <= operations[completed[p]].return!) q++;
      reach[p] = Math.max(q, p + 1);
    }
    this.linearised = new LinearisedSet(completed.length, reach);
    this.pendingBits = new Bitset(this.pendingOrder.length);
    this.pendingPlaced = new Uint8Array(this.pendingOrder.length);
    this.memo = new ConfigurationMemo(this.pendingBits.words.length, meter);
    this.completedLeft = completed.length;
    this.state = initial;
    this.entry = this.list.next[this.list.head];
  }

  /** Configurations in the memo. */
  get configurations(): number {
    return this.memo.size;
  }

  /** Operations to linearise (completed ones; pending ones are optional). */
  get completedCount(): number {
    return this.completed.length;
  }

  /** The interned id of a state; a new one is charged to the meter, or -1 if it would pass the bound. */
  private idOf(v: Value): number {
    let id = this.stateIds.get(v);
    if (id === undefined) {
      const bytes = STATE_OVERHEAD_BYTES + (typeof v === 'string' ? v.length : 0);
      if (this.meter.usedBytes + bytes > this.meter.maxBytes) return -1;
      id = this.stateIds.size;
      this.stateIds.set(v, id);
      this.meter.usedBytes += bytes;
    }
    return id;
  }

  /** Gives the memo and the interned states back to the meter (call once decided or abandoned). */
  release(): void {
    this.memo.release();
    for (const v of this.stateIds.keys()) this.meter.usedBytes -= STATE_OVERHEAD_BYTES + (typeof v === 'string' ? v.length : 0);
    this.stateIds.clear();
  }

  /** Runs at most `maxSteps` spec applications; the verdict, or `paused`, or `memory-bound`. */
  run(maxSteps: number): SearchOutcome {
    if (this.outcome !== null) return this.outcome;
    const { operations, spec, completed, pendingOrder, list, linearised, pendingBits, pendingPlaced, memo, stack } = this;
    const stepLimit = this.steps + maxSteps;
    let { steps, completedLeft, state, entry, pendingCursor, bound } = this;
    const save = (): void => {
      Object.assign(this, { steps, completedLeft, state, entry, pendingCursor, bound });
      this.deepest = Math.max(this.deepest, this.longest.length, stack.length);
    };
    const memoryBound = (): SearchOutcome => {
      save();
      this.outcome = { result: 'memory-bound' };
      return this.outcome;
    };
    while (completedLeft > 0) {
      let backtrack = false;
      if (pendingCursor < 0) {
        if (entry === END) throw new Error('linearizability search: ran off the list with completed operations left');
        if (list.isCall[entry] === 1) {
          if (steps >= stepLimit) break;
          steps++;
          const local = list.operationOf[entry];
          const after = spec.apply(state, operations[completed[local]]);
          let placed = false;
          if (after !== undefined) {
            linearised.add(local);
            const id = this.idOf(after);
            const added = id < 0 ? MEMO_FULL : memo.add(linearised, id, pendingBits.words);
            if (added === MEMO_FULL) return memoryBound();
            if (added === MEMO_ADDED) {
              placed = true;
              stack.push({ operation: completed[local], stateBefore: state, pendingPosition: -1, completedPosition: local, bound: 0 });
              state = after;
              lift(list, local);
              completedLeft--;
              entry = list.next[list.head];
            } else {
              linearised.remove(local);
            }
          }
          if (!placed) entry = list.next[entry];
        } else {
          // A return whose operation is unplaced: it had to take effect by now. Try pending ones first.
          bound = list.time[entry];
          pendingCursor = 0;
        }
      } else {
        let j = pendingCursor;
        while (j < pendingOrder.length && pendingPlaced[j] === 1) j++;
        if (j >= pendingOrder.length || operations[pendingOrder[j]].call > bound) {
          backtrack = true;
        } else {
          if (steps >= stepLimit) break;
          steps++;
          const after = spec.apply(state, operations[pendingOrder[j]])!;
          pendingBits.set(j);
          const id = this.idOf(after);
          const added = id < 0 ? MEMO_FULL : memo.add(linearised, id, pendingBits.words);
          if (added === MEMO_FULL) return memoryBound();
          if (added === MEMO_ADDED) {
            stack.push({ operation: pendingOrder[j], stateBefore: state, pendingPosition: j, completedPosition: -1, bound });
            pendingPlaced[j] = 1;
            state = after;
            pendingCursor = -1;
            entry = list.next[list.head];
          } else {
            pendingBits.clear(j);
            pendingCursor = j + 1;
          }
        }
      }
      if (!backtrack) continue;
      if (stack.length > this.longest.length) this.longest = stack.slice();
      const frame = stack.pop();
      if (frame === undefined) {
        save();
        this.outcome = { result: 'not-linearizable', longestPrefix: this.longest.map((f) => f.operation) };
        return this.outcome;
      }
      state = frame.stateBefore;
      if (frame.pendingPosition >= 0) {
        pendingBits.clear(frame.pendingPosition);
        pendingPlaced[frame.pendingPosition] = 0;
        pendingCursor = frame.pendingPosition + 1;
        bound = frame.bound;
      } else {
        const local = frame.completedPosition;
        linearised.remove(local);
        completedLeft++;
        restore(list, local);
        entry = list.next[list.callEntryOf[local]];
        pendingCursor = -1;
      }
    }
    save();
    if (completedLeft > 0) return { result: 'paused' };
    this.outcome = { result: 'linearizable', order: stack.map((f) => f.operation) };
    return this.outcome;
  }
}
