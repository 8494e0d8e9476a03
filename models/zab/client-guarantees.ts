// ZooKeeper's client guarantees, judged from the client node's history alone (calls and returns in
// real-time order, each return with the zxid and server its reply named), in every state:
//   SessionFIFO            a session's operations take effect in the order it issued them: replies
//                          come back in that order, and the zxids they carry never go down
//                          (ZooKeeper's "FIFO client order"; the zxid is the ReplyHeader's).
//   SequentialConsistency  one order of all the operations keeps each session's program order and
//                          obeys the znode tree (the `znode` sequential spec of ordeal's
//                          linearizability checker), and a read issued after a sync() is placed
//                          after every write that returned before that sync was called (sync gives
//                          read-your-writes across servers). Not linearizability: ZooKeeper serves
//                          reads from the local server, so a read may miss a write that already
//                          returned to another session (StaleReadAllowed shows one).
// A closed session (its closeSession txn, from an expiry) deletes its ephemerals: it is the last,
// pending operation of its session, which the order may place or leave out. An operation answered
// SessionExpired had no effect; a pending operation may or may not have had one.
import { checkLinearizability, SPECS, type Operation, type Value } from '../../src/index.ts';
import type { SessionScript } from './session-types.ts';

/** One operation of the history, as the client node recorded it. */
export interface ClientOp {
  readonly session: string;
  readonly cxid: number;
  readonly op: string;
  /** Positions of the call and the return in the record (the return null while pending). */
  readonly call: number;
  readonly ret: number | null;
  readonly output: Value;
  readonly zxid: string | null;
  readonly server: string | null;
}

/** The record's operations by session, in issue order. */
export function clientOps(history: readonly string[], scripts: readonly SessionScript[]): ClientOp[][] {
  const bySession = scripts.map((): ClientOp[] => []);
  history.forEach((entry, time) => {
    const [kind, session, cxidText, output, zxid, server] = entry.split(' ');
    const i = scripts.findIndex((s) => s.name === session);
    const cxid = Number(cxidText);
    if (kind === 'call') {
      bySession[i].push({ session, cxid, op: scripts[i].ops[cxid], call: time, ret: null, output: null, zxid: null, server: null });
      return;
    }
    const at = bySession[i].findIndex((o) => o.cxid === cxid);
    bySession[i][at] = { ...bySession[i][at], ret: time, output: JSON.parse(output) as Value, zxid, server };
  });
  return bySession;
}

const zxidValue = (z: string): number => {
  const [e, c] = z.split('.').map(Number);
  return e * 10 + c;
};
const show = (o: ClientOp): string => `${o.session}#${o.cxid} ${o.op}${o.ret === null ? ' (pending)' : ` -> ${JSON.stringify(o.output)} at zxid ${o.zxid} from ${o.server}`}`;

/** SessionFIFO's verdict: true, or what broke it. */
export function fifoViolation(ops: readonly ClientOp[][]): string | null {
  for (const session of ops) {
    for (let k = 1; k < session.length; k++) {
      const a = session[k - 1];
      const b = session[k];
      if (b.ret === null) continue;
      if (a.ret === null || a.ret > b.ret) return `${show(b)} returned before ${show(a)}, issued earlier`;
      if (zxidValue(b.zxid!) < zxidValue(a.zxid!)) return `${show(b)} is older than ${show(a)}, issued earlier`;
    }
  }
  return null;
}

const isWrite = (op: string): boolean => op.startsWith('create ') || op.startsWith('setData') || op.startsWith('delete');
const pathOf = (op: string): string => op.split(' ')[op.startsWith('create -e') ? 2 : 1];

/** The operation the znode spec reads for a client operation (getData, create, setData, delete). */
function specOp(o: ClientOp, index: number): Operation {
  const [verb, ...args] = o.op.split(' ');
  const path = pathOf(o.op);
  const input = verb === 'setData' ? { path, data: args[1], version: null } : verb === 'create' ? { path, data: '', sequential: false } : { path };
  return { index, client: 0, call: o.call, return: o.ret, op: verb as Operation['op'], key: null, input, output: o.output };
}

/** What one step of the search places: a client operation, or a session's close (its ephemerals deleted). */
interface Step {
  readonly op: ClientOp | null;
  readonly close?: { readonly session: string; readonly paths: readonly string[] };
  /** Writes that must be placed before this step (a read after a sync: the writes returned before the sync was called). */
  readonly after: readonly ClientOp[];
  /** May be left out (pending: its outcome is unknown). */
  readonly optional: boolean;
}

function stepsOf(ops: readonly ClientOp[][], scripts: readonly SessionScript[]): Step[][] {
  const writes = ops.flat().filter((o) => isWrite(o.op) && o.ret !== null && o.output !== 'SessionExpired');
  return ops.map((session, i) => {
    const steps: Step[] = [];
    let syncCalled: number | null = null;
    for (const o of session) {
      if (o.op === 'sync') {
        if (o.ret !== null) syncCalled = o.call;
        continue;
      }
      if (o.op === 'createSession' || o.op.startsWith('reconnect ') || o.output === 'SessionExpired') continue;
      const after = syncCalled === null ? [] : writes.filter((w) => w.ret! < syncCalled!);
      steps.push({ op: o, after, optional: o.ret === null });
    }
    const ephemerals = session.filter((o) => o.op.startsWith('create -e') && o.output !== 'SessionExpired').map((o) => pathOf(o.op));
    if (scripts[i].expires && ephemerals.length > 0) steps.push({ op: null, close: { session: scripts[i].name, paths: ephemerals }, after: [], optional: true });
    return steps;
  });
}

const spec = SPECS.znode;

function applyStep(state: Value, step: Step): Value | undefined {
  if (step.op !== null) return spec.apply(state, specOp(step.op, 0));
  let tree = state;
  for (const path of step.close!.paths) {
    const del: Operation = { index: 0, client: 0, call: 0, return: null, op: 'delete', key: null, input: { path }, output: null };
    tree = spec.apply(tree, del) ?? tree;
  }
  return tree;
}

/** The zxid a step carries, as an integer (epoch * 10 + counter), or null when unknown (pending, a close). */
const zxidOfStep = (step: Step): number | null => (step.op === null || step.op.zxid === null ? null : zxidValue(step.op.zxid));

/**
 * SequentialConsistency's search: interleave the sessions' steps (depth first, explicit stack,
 * memo of visited positions, trees and zxid floors) until every required step is placed. The
 * order must also agree with the zxids the replies carried (ZooKeeper's one order of writes is
 * the zxid order, and a read at zxid z saw exactly the txns up to z): `floor` is the highest zxid
 * placed, a write goes above it, a read at or above it; a step of unknown zxid (a pending write,
 * a close) raises it by half a step. Returns null when an order exists, else what could not be
 * placed, for the message.
 */
export function scViolation(ops: readonly ClientOp[][], scripts: readonly SessionScript[]): string | null {
  const steps = stepsOf(ops, scripts);
  const placedWrites = (pos: readonly number[]): Set<ClientOp> => new Set(steps.flatMap((s, i) => s.slice(0, pos[i]).flatMap((st) => (st.op === null ? [] : [st.op]))));
  const seen = new Set<string>();
  const stack: { pos: number[]; state: Value; floor: number }[] = [{ pos: steps.map(() => 0), state: spec.initialState(undefined), floor: 0 }];
  let deepest = -1;
  let stuck = '';
  while (stack.length > 0) {
    const { pos, state, floor } = stack.pop()!;
    const key = `${pos.join(',')}|${floor}|${String(state)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Done when every session's remaining steps may be left out.
    if (steps.every((s, i) => s.slice(pos[i]).every((st) => st.optional))) return null;
    const placed = placedWrites(pos);
    const depth = pos.reduce((a, b) => a + b, 0);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i][pos[i]];
      if (step === undefined) continue;
      const next = pos.map((p, k) => (k === i ? p + 1 : p));
      if (step.optional) stack.push({ pos: next, state, floor });
      const z = zxidOfStep(step);
      const read = step.op !== null && !isWrite(step.op.op);
      const fits = z === null || (read ? z >= floor : z > floor);
      const after = fits && step.after.every((w) => placed.has(w)) ? applyStep(state, step) : undefined;
      if (after !== undefined) stack.push({ pos: next, state: after, floor: z === null ? (read ? floor : floor + 0.5) : Math.max(floor, z) });
      else if (step.op !== null && depth > deepest) {
        deepest = depth;
        stuck = `${show(step.op)} fits no order after ${depth} operations (tree ${String(state)}${step.after.length > 0 ? `; it follows a sync, so it must come after ${step.after.map(show).join(', ')}` : ''})`;
      }
    }
  }
  return `no single order of the sessions' operations agrees with their replies and zxids: ${stuck || 'nothing can be placed'}`;
}

/**
 * Whether the history is linearizable as znode operations (the returned and pending ones, in real
 * time). ZooKeeper does not promise it; StaleReadAllowed reaches a history that is not.
 */
export function linearizable(ops: readonly ClientOp[][]): boolean {
  const operations = ops.flat().filter((o) => o.op !== 'createSession' && o.op !== 'sync' && !o.op.startsWith('reconnect ') && o.output !== 'SessionExpired').map((o, index) => ({ ...specOp(o, index), client: Number(o.session.slice(1)) }));
  return checkLinearizability({ spec: 'znode', operations }).result !== 'not-linearizable';
}
