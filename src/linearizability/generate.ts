// Seeded generator of linearizable histories (for tests and the benchmark), and two mutations
// that make one not linearizable: a stale read and a lost write.
//
// The generator runs a virtual clock. At each tick one client moves: an idle client calls a new
// operation; a called one takes effect (applied to the sequential spec at that instant, which fixes
// its output); an applied one returns. So every operation takes effect between its call and its
// return, and the history is linearizable by construction, with overlaps as random as the
// schedule. Some ticks do not advance the clock, so equal times occur too. A pending operation
// (probability `pendingProbability`) takes effect or not (even odds) and never returns; its
// client then goes on under a new id, as a Jepsen process does after :info.
//
// Every value written is fresh (never written before), so every state change yields a state never
// seen before; the mutations rely on that to be certainly non-linearizable.
import type { CasInput, History, Operation, OperationName, SpecName, Value, ZnodeInput } from './history.ts';
import { SPECS } from './specs.ts';

export interface GenerateOptions {
  readonly spec: SpecName;
  readonly clients: number;
  readonly operations: number;
  readonly seed: number;
  /** kv: how many keys (default 5); registers: always one. */
  readonly keys?: number;
  /** Chance an operation never returns (default 0). */
  readonly pendingProbability?: number;
  /** Chance a tick does not advance the clock (default 0.2). */
  readonly tieProbability?: number;
  /** The operation mix as [operation, weight] pairs summing to 1 (default: the spec's, see MIX). */
  readonly mix?: readonly (readonly [OperationName, number])[];
  /**
   * Server stalls, as during a leader change: from every multiple of `everyTicks` for `ticks` ticks,
   * operations called do not take effect; when the stall ends, the queued ones take effect one
   * after another in a shuffled order (a new leader applying what piled up). Default: none.
   */
  readonly stalls?: { readonly everyTicks: number; readonly ticks: number };
}

export interface GeneratedHistory {
  readonly history: History;
  /** For each operation: the state of its key right after it took effect; undefined if it did not. */
  readonly stateAfter: readonly (Value | undefined)[];
  /** For each operation: the state of its key right before it took effect. */
  readonly stateBefore: readonly (Value | undefined)[];
}

/** mulberry32: a small seeded PRNG, enough for test data. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Draft {
  client: number;
  call: number;
  ret: number | null;
  op: OperationName;
  key: string | null;
  input: Value | CasInput | ZnodeInput;
  output: Value;
  pending: boolean;
  takesEffect: boolean;
  before?: Value;
  after?: Value;
}

type ClientPhase = { phase: 'idle' } | { phase: 'called'; draft: Draft } | { phase: 'applied'; draft: Draft };

const MIX: Readonly<Record<SpecName, readonly [OperationName, number][]>> = {
  register: [['read', 0.5], ['write', 0.5]],
  'cas-register': [['read', 0.45], ['write', 0.3], ['cas', 0.25]],
  kv: [['get', 0.4], ['put', 0.2], ['append', 0.3], ['cas', 0.1]],
  znode: [['create', 0.35], ['getData', 0.3], ['setData', 0.2], ['delete', 0.15]],
};

/** znode: a small tree of paths, so creates collide, parents go missing and deletes find children. */
const ZNODE_PATHS = ['/a', '/b', '/a/x', '/a/y', '/b/x'];
const ZNODE_SEQUENTIAL = ['/q-', '/a/q-'];

export function generateHistory(options: GenerateOptions): GeneratedHistory {
  const random = seededRandom(options.seed);
  const spec = SPECS[options.spec];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const keyCount = options.spec === 'kv' ? (options.keys ?? 5) : 1;
  const keys = options.spec === 'kv' ? Array.from({ length: keyCount }, (_, i) => `k${i}`) : [null];
  const state = new Map<string | null, Value>(keys.map((k) => [k, spec.initialState(undefined)]));
  const history = new Map<string | null, Value[]>(keys.map((k) => [k, [spec.initialState(undefined)]]));
  const pendingProbability = options.pendingProbability ?? 0;
  const tieProbability = options.tieProbability ?? 0.2;
  let fresh = 0;
  const freshValue = (prefix: string): Value => (options.spec === 'kv' ? `${prefix}${++fresh}` : ++fresh);

  const newDraft = (client: number, time: number): Draft => {
    let r = random();
    const mix = options.mix ?? MIX[options.spec];
    let op: OperationName = mix[0][0];
    for (const [name, weight] of mix) {
      if (r < weight) {
        op = name;
        break;
      }
      r -= weight;
    }
    const key = pick(keys);
    let input: Value | CasInput | ZnodeInput = null;
    if (op === 'write') input = freshValue('w');
    else if (op === 'put') input = freshValue('p');
    else if (op === 'append') input = freshValue('a');
    else if (op === 'cas') {
      // Compare against the current value half the time, else against some earlier value.
      const seen = history.get(key)!;
      const from = random() < 0.5 ? state.get(key)! : pick(seen);
      input = { from, to: freshValue('c') };
    } else if (op === 'create') {
      const sequential = random() < 0.3;
      input = { path: pick(sequential ? ZNODE_SEQUENTIAL : ZNODE_PATHS), data: `d${++fresh}`, sequential };
    } else if (op === 'getData') {
      input = { path: pick(ZNODE_PATHS) };
    } else if (op === 'setData' || op === 'delete') {
      // Conditional a third of the time, on a version that is often the current one.
      const version = random() < 0.33 ? Math.floor(random() * 3) : null;
      input = op === 'setData' ? { path: pick(ZNODE_PATHS), data: `d${++fresh}`, version } : { path: pick(ZNODE_PATHS), version };
    }
    const pending = random() < pendingProbability;
    return { client, call: time, ret: null, op, key, input, output: null, pending, takesEffect: !pending || random() < 0.5 };
  };

  /** The operation takes effect now: applied to the spec, which fixes its output. */
  const takeEffect = (d: Draft): void => {
    if (!d.takesEffect) return;
    const fakeOp: Operation = { index: 0, client: d.client, call: d.call, return: null, op: d.op, key: d.key, input: d.input, output: null };
    const before = state.get(d.key)!;
    const after = spec.apply(before, fakeOp)!;
    if (d.op === 'read' || d.op === 'get') d.output = before;
    if (d.op === 'cas') d.output = before === (d.input as CasInput).from;
    if (options.spec === 'znode') d.output = spec.outcome(before, fakeOp);
    d.before = before;
    d.after = after;
    if (after !== before) history.get(d.key)!.push(after);
    state.set(d.key, after);
  };

  const phases: ClientPhase[] = Array.from({ length: options.clients }, () => ({ phase: 'idle' }));
  const clientIds = Array.from({ length: options.clients }, (_, i) => i);
  const drafts: Draft[] = [];
  /** Clients whose called operation waits for a stall to end. */
  const queued: number[] = [];
  const stalled = (t: number): boolean => options.stalls !== undefined && t % options.stalls.everyTicks < options.stalls.ticks;
  let time = 0;
  let started = 0;
  let busy = 0;
  while (started < options.operations || busy > 0) {
    if (queued.length > 0 && !stalled(time)) {
      // Fisher-Yates: the stall's queue takes effect in a random order.
      for (let i = queued.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [queued[i], queued[j]] = [queued[j], queued[i]];
      }
      for (const slot of queued.splice(0)) {
        const p = phases[slot] as { phase: 'called'; draft: Draft };
        takeEffect(p.draft);
        phases[slot] = { phase: 'applied', draft: p.draft };
      }
    }
    const slot = Math.floor(random() * options.clients);
    const p = phases[slot];
    if (p.phase === 'idle') {
      if (started >= options.operations) continue;
      const draft = newDraft(clientIds[slot], time);
      drafts.push(draft);
      started++;
      busy++;
      phases[slot] = { phase: 'called', draft };
    } else if (p.phase === 'called') {
      if (stalled(time)) {
        if (!queued.includes(slot)) queued.push(slot);
      } else {
        takeEffect(p.draft);
        phases[slot] = { phase: 'applied', draft: p.draft };
      }
    } else {
      const d = p.draft;
      if (d.pending) clientIds[slot] += options.clients; // a new process, as Jepsen does after :info
      else d.ret = time;
      busy--;
      phases[slot] = { phase: 'idle' };
    }
    if (random() >= tieProbability) time++;
  }
  const operations: Operation[] = drafts.map((d, index) => ({
    index,
    client: d.client,
    call: d.call,
    return: d.ret,
    op: d.op,
    key: d.key,
    input: d.input,
    output: d.pending ? null : d.output,
  }));
  return {
    history: { spec: options.spec, operations },
    stateAfter: drafts.map((d) => d.after),
    stateBefore: drafts.map((d) => d.before),
  };
}

const isMutation = (op: Operation): boolean => op.op !== 'read' && op.op !== 'get' && !(op.op === 'cas' && op.output === false);
const precedes = (a: Operation, b: Operation): boolean => a.return !== null && a.return < b.call;

function withOutput(history: History, index: number, output: Value): History {
  return { ...history, operations: history.operations.map((op) => (op.index === index ? { ...op, output } : op)) };
}

export interface Mutated {
  readonly history: History;
  /** The read whose output was changed. */
  readonly read: number;
  /** The completed change that the read now fails to see. */
  readonly overwrittenBy: number;
}

/**
 * A stale read: a completed read R that follows a completed change W now returns a state from
 * before W (the initial state, or the state after a change W0 that completed before W was
 * called). No linearisation has it, since no state recurs once changed.
 */
export function injectStaleRead(generated: GeneratedHistory, seed: number): Mutated | null {
  if (generated.history.spec === 'znode') return injectStaleGetData(generated, seed);
  const random = seededRandom(seed);
  const ops = generated.history.operations;
  const spec = SPECS[generated.history.spec];
  const reads = ops.filter((op) => op.return !== null && spec.readOnly(op));
  const changes = ops.filter((op) => op.return !== null && isMutation(op) && generated.stateAfter[op.index] !== undefined);
  const start = Math.floor(random() * Math.max(1, reads.length));
  for (let k = 0; k < reads.length; k++) {
    const read = reads[(start + k) % reads.length];
    const before = changes.filter((w) => w.key === read.key && precedes(w, read));
    for (const w of before) {
      const older = changes.filter((w0) => w0.key === read.key && precedes(w0, w));
      const stale = older.length > 0 ? generated.stateAfter[older[Math.floor(random() * older.length)].index]! : spec.initialState(undefined);
      return { history: withOutput(generated.history, read.index, stale), read: read.index, overwrittenBy: w.index };
    }
  }
  return null;
}

/**
 * A lost write: a completed read R that follows a completed change W returns the state W
 * overwrote, where that state is the initial one or was made by a change that completed before W
 * was called (so W cannot be reordered before it).
 */
export function injectLostWrite(generated: GeneratedHistory, seed: number): Mutated | null {
  if (generated.history.spec === 'znode') return null; // stale getData covers the tree (see injectStaleGetData)
  const random = seededRandom(seed);
  const ops = generated.history.operations;
  const spec = SPECS[generated.history.spec];
  const initial = spec.initialState(undefined);
  const reads = ops.filter((op) => op.return !== null && spec.readOnly(op));
  const changes = ops.filter((op) => op.return !== null && isMutation(op) && generated.stateAfter[op.index] !== undefined);
  // Which operation made each state (states are unique: every value written is fresh).
  const madeBy = new Map<Value, Operation>();
  for (const op of ops) if (generated.stateAfter[op.index] !== undefined && generated.stateAfter[op.index] !== generated.stateBefore[op.index]) madeBy.set(generated.stateAfter[op.index]!, op);
  const start = Math.floor(random() * Math.max(1, reads.length));
  for (let k = 0; k < reads.length; k++) {
    const read = reads[(start + k) % reads.length];
    for (const w of changes) {
      if (w.key !== read.key || !precedes(w, read)) continue;
      const lost = generated.stateBefore[w.index]!;
      const maker = madeBy.get(lost);
      const certain = lost === initial ? maker === undefined : maker !== undefined && maker.key === w.key && precedes(maker, w);
      if (certain) return { history: withOutput(generated.history, read.index, lost), read: read.index, overwrittenBy: w.index };
    }
  }
  return null;
}

/** The path a successful znode change acted on (a sequential create's is its reply), or null if it failed. */
function changedPath(op: Operation): string | null {
  if (op.return === null) return null;
  const z = op.input as ZnodeInput;
  if (op.op === 'create') return op.output === 'NodeExists' || op.output === 'NoNode' ? null : (op.output as string);
  if (op.op === 'setData') return typeof op.output === 'number' ? z.path : null;
  if (op.op === 'delete') return op.output === true ? z.path : null;
  return null;
}

/**
 * The znode stale read: a completed getData R of path p now returns data d written to p by a
 * successful create or setData X, where a successful change W of p (create, setData or delete)
 * completed after X was done and before R was called. Every data value written is fresh, so once
 * W has changed p only X could give p the data d again, and X precedes W: no linearisation has it.
 */
function injectStaleGetData(generated: GeneratedHistory, seed: number): Mutated | null {
  const random = seededRandom(seed);
  const ops = generated.history.operations;
  const reads = ops.filter((op) => op.return !== null && op.op === 'getData');
  const changes = ops.filter((op) => changedPath(op) !== null);
  const start = Math.floor(random() * Math.max(1, reads.length));
  for (let k = 0; k < reads.length; k++) {
    const read = reads[(start + k) % reads.length];
    const path = (read.input as ZnodeInput).path;
    for (const w of changes) {
      if (changedPath(w) !== path || !precedes(w, read)) continue;
      const writers = changes.filter((x) => x !== w && changedPath(x) === path && x.op !== 'delete' && precedes(x, w));
      if (writers.length === 0) continue;
      const x = writers[Math.floor(random() * writers.length)];
      return { history: withOutput(generated.history, read.index, (x.input as ZnodeInput).data!), read: read.index, overwrittenBy: w.index };
    }
  }
  return null;
}
