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
// No recursion: the stack is an explicit array.
import type { Operation, Value } from './history.ts';
import type { SequentialSpec } from './specs.ts';

/** Budget shared by the partitions of one check; `steps` counts spec applications so far. */
export interface SearchBudget {
  readonly maxSteps: number;
  readonly deadlineMs: number;
  readonly now: () => number;
  steps: number;
}

export type SearchOutcome =
  /** `order`: indices into the partition's operations, in a valid linearisation order. */
  | { readonly result: 'linearizable'; readonly order: readonly number[] }
  /** `longestPrefix`: the longest linearisable prefix found before the search ran out of options. */
  | { readonly result: 'not-linearizable'; readonly longestPrefix: readonly number[] }
  | { readonly result: 'unknown'; readonly reason: string };

/** How many spec applications between two looks at the clock. */
const CLOCK_CHECK_INTERVAL_STEPS = 1024;
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

/** Deterministic 32-bit random words for Zobrist hashing of the linearised set. */
function zobristWords(count: number, seed: number): Int32Array {
  const words = new Int32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    words[i] = t ^ (t >>> 14);
  }
  return words;
}


class Bitset {
  readonly words: Uint32Array;
  constructor(size: number) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(size / 32)));
  }
  set(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }
  clear(i: number): void {
    this.words[i >>> 5] &= ~(1 << (i & 31));
  }
  has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }
}

/**
 * The linearised completed operations, by position in call order, with a Zobrist hash. Every
 * operation below `low` is in the set, and none at or beyond `reach[low]` (one called after
 * operation `low` returned cannot be linearised before it), so the bitset words between those two
 * positions identify the set exactly: the memo stores those few words, not the whole bitset.
 */
class LinearisedSet {
  private readonly bits: Bitset;
  low = 0;
  hashLo = 0;
  hashHi = 0;
  private readonly zobristLo: Int32Array;
  private readonly zobristHi: Int32Array;

  constructor(
    private readonly size: number,
    /** reach[p]: how many operations were called by the time operation p returned. */
    private readonly reach: Int32Array,
  ) {
    this.bits = new Bitset(size);
    this.zobristLo = zobristWords(size, 0x1234567);
    this.zobristHi = zobristWords(size, 0x7654321);
  }

  add(i: number): void {
    this.bits.set(i);
    this.hashLo ^= this.zobristLo[i];
    this.hashHi ^= this.zobristHi[i];
    while (this.low < this.size && this.bits.has(this.low)) this.low++;
  }

  remove(i: number): void {
    this.bits.clear(i);
    this.hashLo ^= this.zobristLo[i];
    this.hashHi ^= this.zobristHi[i];
    if (i < this.low) this.low = i;
  }

  /** The words that identify the set (with `low`). */
  window(): Uint32Array {
    const start = this.low >>> 5;
    const end = this.low >= this.size ? start : (this.reach[this.low] + 31) >>> 5;
    return this.bits.words.subarray(start, end);
  }
}

interface SeenConfiguration {
  readonly low: number;
  readonly window: Uint32Array;
  readonly state: number;
  readonly pending: Uint32Array;
}

/** Memo of configurations seen; the linearised set's hash and the state pick the bucket. */
class SeenConfigurations {
  private readonly buckets = new Map<number, SeenConfiguration[]>();

  /**
   * Records the configuration, unless one with the same linearised completed operations and
   * state and a subset of its pending operations was seen already (then false).
   */
  add(set: LinearisedSet, state: number, pending: Uint32Array): boolean {
    const key = (set.hashHi & 0x1fffff) * 4294967296 + ((set.hashLo ^ Math.imul(state + 1, 0x9e3779b1)) >>> 0);
    const window = set.window();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(key, bucket);
    } else {
      for (const seen of bucket) {
        if (seen.state === state && seen.low === set.low && sameWords(seen.window, window) && isSubset(seen.pending, pending)) return false;
      }
    }
    bucket.push({ low: set.low, window: window.slice(), state, pending: pending.slice() });
    return true;
  }
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isSubset(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] & ~b[i]) !== 0) return false;
  return true;
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

/** Checks one object's operations against `spec` starting from `initial`. */
export function searchLinearization(operations: readonly Operation[], spec: SequentialSpec, initial: Value, budget: SearchBudget): SearchOutcome {
  // Completed operations in call order (positions index `completed`); pending ones in `pendingOrder`.
  const completed = operations
    .map((_, i) => i)
    .filter((i) => operations[i].return !== null)
    .sort((a, b) => operations[a].call - operations[b].call || a - b);
  const pendingOrder = operations
    .map((_, i) => i)
    .filter((i) => operations[i].return === null)
    .sort((a, b) => operations[a].call - operations[b].call || a - b);
  const list = buildEntries(completed.map((i) => operations[i]));
  const reach = new Int32Array(completed.length);
  for (let p = 0, q = 0; p < completed.length; p++) {
    while (q < completed.length && operations[completed[q]].call <= operations[completed[p]].return!) q++;
    reach[p] = Math.max(q, p + 1);
  }
  const linearised = new LinearisedSet(completed.length, reach);
  const pendingBits = new Bitset(pendingOrder.length);
  const pendingPlaced = new Uint8Array(pendingOrder.length);
  const seen = new SeenConfigurations();
  const stateIds = new Map<Value, number>();
  const idOf = (v: Value): number => {
    let id = stateIds.get(v);
    if (id === undefined) {
      id = stateIds.size;
      stateIds.set(v, id);
    }
    return id;
  };
  let completedLeft = completed.length;
  let state = initial;
  const stack: Frame[] = [];
  let longest: Frame[] = [];

  /** Spends one step of the budget; a reason string when it has run out. */
  const spend = (): string | null => {
    budget.steps++;
    if (budget.steps > budget.maxSteps) return `step budget of ${budget.maxSteps} spec applications spent`;
    if (budget.steps % CLOCK_CHECK_INTERVAL_STEPS === 0 && budget.now() > budget.deadlineMs) return 'time limit reached';
    return null;
  };

  let entry = list.next[list.head];
  /** -1 while walking the list; else the next pending candidate, up to calls at time <= `bound`. */
  let pendingCursor = -1;
  let bound = 0;
  while (completedLeft > 0) {
    let backtrack = false;
    if (pendingCursor < 0) {
      if (entry === END) throw new Error('linearizability search: ran off the list with completed operations left');
      if (list.isCall[entry] === 1) {
        const local = list.operationOf[entry];
        const exhausted = spend();
        if (exhausted) return { result: 'unknown', reason: exhausted };
        const after = spec.apply(state, operations[completed[local]]);
        let placed = false;
        if (after !== undefined) {
          linearised.add(local);
          if (seen.add(linearised, idOf(after), pendingBits.words)) {
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
        const exhausted = spend();
        if (exhausted) return { result: 'unknown', reason: exhausted };
        const after = spec.apply(state, operations[pendingOrder[j]])!;
        pendingBits.set(j);
        if (seen.add(linearised, idOf(after), pendingBits.words)) {
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
    if (stack.length > longest.length) longest = stack.slice();
    const frame = stack.pop();
    if (frame === undefined) return { result: 'not-linearizable', longestPrefix: longest.map((f) => f.operation) };
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
  return { result: 'linearizable', order: stack.map((f) => f.operation) };
}
