// Sequential specifications: what one object does when operations run one at a time. Each spec's
// state is a JSON scalar (znode's is a canonical JSON string of the tree), so the search can
// memoise (linearised set, state) by plain equality.
// A pending operation's output is unknown, so any output is accepted for it.
import type { CasInput, Operation, OperationName, SpecName, Value } from './history.ts';
import { ROOT_STATE, runZnode } from './znode.ts';

export interface SequentialSpec {
  readonly name: SpecName;
  /** The operations this spec knows. */
  readonly operations: readonly OperationName[];
  /** kv needs a key on every operation; the registers take an optional one (independent registers). */
  readonly keyRequired: boolean;
  /** The state of each object before any operation, given the user's initial value (if any). */
  initialState(initial: Value | undefined): Value;
  /** The state after `op`, or `undefined` when `op`'s recorded output is impossible in `state`. */
  apply(state: Value, op: Operation): Value | undefined;
  /** Why `apply` rejected `op` in `state`, for explanations. */
  rejection(state: Value, op: Operation): string;
  /** Whether an operation can never change the state (a pending one of these is dropped). */
  readOnly(op: Operation): boolean;
  /**
   * The pending operations of one object that no completed operation could observe, which can
   * therefore be taken as never having happened (see `unobservablePending`).
   */
  unobservable(operations: readonly Operation[]): ReadonlySet<Operation>;
  /** The state as explanations print it. */
  showState(state: Value): string;
  /** The output `op` gives in `state` (what a correct server replies); used by the generator. */
  outcome(state: Value, op: Operation): Value;
}

const show = (v: Value): string => JSON.stringify(v);

function applyCas(state: Value, op: Operation): Value | undefined {
  const { from, to } = op.input as CasInput;
  const matches = state === from;
  if (op.return === null) return matches ? to : state;
  if (op.output === true) return matches ? to : undefined;
  return matches ? undefined : state;
}

function casRejection(state: Value, op: Operation, what: string): string {
  const { from } = op.input as CasInput;
  return op.output === true
    ? `cas succeeded but the ${what} holds ${show(state)}, not ${show(from)}`
    : `cas failed but the ${what} holds ${show(from)}, which it would have matched`;
}

/**
 * Pending operations whose effect nothing can observe. If a linearisation places such an
 * operation p, then until the state is next overwritten every state carries p's value (is it, or
 * for kv begins with or contains it), and no completed read or successful cas ever saw such a
 * state, and no cas (pending or not) compares against one; so the operations placed in that
 * stretch are writes, appends and pending cas that did nothing (which can be dropped too), and
 * removing p leaves a valid linearisation.
 * A failed cas is the exception: it needs the state to differ from its `from`, and p may be what
 * made it differ, so a history with a completed failed cas keeps every pending operation.
 * Only pending operations benefit; this keeps Jepsen histories with many :info writes tractable.
 */
function unobservablePending(operations: readonly Operation[], written: (op: Operation) => Value | undefined, carries: (state: Value, written: Value) => boolean): ReadonlySet<Operation> {
  const dropped = new Set<Operation>();
  const completed = operations.filter((op) => op.return !== null);
  if (completed.some((op) => op.op === 'cas' && op.output === false)) return dropped;
  const observed: Value[] = [];
  for (const op of operations) {
    if (op.return !== null && (op.op === 'read' || op.op === 'get')) observed.push(op.output);
    // A cas compares, pending or not: a pending cas that fires on p's value observes it.
    if (op.op === 'cas') observed.push((op.input as CasInput).from);
  }
  for (const op of operations) {
    if (op.return !== null) continue;
    const value = written(op);
    if (value !== undefined && !observed.some((seen) => carries(seen, value))) dropped.add(op);
  }
  return dropped;
}

function registerSpec(name: 'register' | 'cas-register'): SequentialSpec {
  return {
    name,
    operations: name === 'register' ? ['read', 'write'] : ['read', 'write', 'cas'],
    keyRequired: false,
    initialState: (initial) => (initial === undefined ? null : initial),
    apply(state, op) {
      switch (op.op) {
        case 'read':
          return op.return === null || op.output === state ? state : undefined;
        case 'write':
          return op.input as Value;
        case 'cas':
          return applyCas(state, op);
        default:
          return undefined;
      }
    },
    rejection(state, op) {
      if (op.op === 'read') return `read returned ${show(op.output)} but the register holds ${show(state)}`;
      if (op.op === 'cas') return casRejection(state, op, 'register');
      return `${op.op} is not an operation of ${name}`;
    },
    readOnly: (op) => op.op === 'read',
    showState: show,
    outcome: (state, op) => (op.op === 'read' ? state : op.op === 'cas' ? state === (op.input as CasInput).from : null),
    unobservable: (operations) =>
      unobservablePending(
        operations,
        (op) => (op.op === 'write' ? (op.input as Value) : op.op === 'cas' ? (op.input as CasInput).to : undefined),
        (state, value) => state === value,
      ),
  };
}

const kvSpec: SequentialSpec = {
  name: 'kv',
  operations: ['get', 'put', 'append', 'cas'],
  keyRequired: true,
  initialState: (initial) => (initial === undefined ? '' : initial),
  apply(state, op) {
    switch (op.op) {
      case 'get':
        return op.return === null || op.output === state ? state : undefined;
      case 'put':
        return op.input as Value;
      case 'append':
        return `${state as string}${op.input as string}`;
      case 'cas':
        return applyCas(state, op);
      default:
        return undefined;
    }
  },
  rejection(state, op) {
    if (op.op === 'get') return `get returned ${show(op.output)} but the key holds ${show(state)}`;
    if (op.op === 'cas') return casRejection(state, op, 'key');
    return `${op.op} is not an operation of kv`;
  },
  readOnly: (op) => op.op === 'get',
  showState: show,
  outcome: (state, op) => (op.op === 'get' ? state : op.op === 'cas' ? state === (op.input as CasInput).from : null),
  unobservable: (operations) =>
    unobservablePending(
      operations,
      (op) => (op.op === 'put' || op.op === 'append' ? (op.input as Value) : op.op === 'cas' ? (op.input as CasInput).to : undefined),
      // A put or cas value starts every state until the next overwrite; an append's is inside it.
      (state, value) => String(state).includes(String(value)),
    ),
};

/**
 * ZooKeeper's znode tree (see znode.ts): one object, never split by key. A completed operation's
 * reply must be the one the tree gives; a pending one takes effect with whatever reply it gets.
 */
const znodeSpec: SequentialSpec = {
  name: 'znode',
  operations: ['create', 'getData', 'setData', 'delete'],
  keyRequired: false,
  initialState(initial) {
    if (initial !== undefined) throw new Error('znode: the tree always starts as just the root /; an initial value is not supported');
    return ROOT_STATE;
  },
  apply(state, op) {
    const after = runZnode(state, op);
    return op.return === null || after.output === op.output ? after.state : undefined;
  },
  rejection(state, op) {
    return `${op.op} returned ${show(op.output)} but the tree replies ${show(runZnode(state, op).output)}`;
  },
  readOnly: (op) => op.op === 'getData',
  // Kept simple and exact: every pending create, setData and delete is searched (a pending one
  // may be why a sequential name skipped a number, or why a later create found NodeExists).
  unobservable: () => new Set(),
  showState: (state) => String(state),
  outcome: (state, op) => runZnode(state, op).output,
};

export const SPECS: Readonly<Record<SpecName, SequentialSpec>> = {
  register: registerSpec('register'),
  'cas-register': registerSpec('cas-register'),
  kv: kvSpec,
  znode: znodeSpec,
};
