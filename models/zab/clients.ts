// The sessions grain's client node: one actor that plays every client session (so its record is a
// real-time order of calls and returns, which the client guarantees are judged by). Session i
// connects to its one server and issues its script's operations in order, each as a timer event of
// its own (ZooKeeper's asynchronous API: a session may have several requests outstanding, and the
// connection keeps them in FIFO order). A reply returns its operation; SessionExpired or a closed
// connection ends the session (its outstanding operations stay pending: their outcome is unknown).
import type { NodeId, Send } from '../../src/index.ts';
import type { ZabState, ZabStep } from './context.ts';
import type { ClientsRecord, SessionMsg, SessionScript } from './session-types.ts';
import { zxidText, type Durable, type Msg, type Volatile } from './types.ts';

/** The timer with which session `name` issues its next operation. */
export const callTimer = (name: string): string => `call ${name}`;

export const callEntry = (session: string, cxid: number): string => `call ${session} ${cxid}`;
export const returnEntry = (session: string, cxid: number, output: unknown, zxid: number, server: NodeId): string =>
  `return ${session} ${cxid} ${JSON.stringify(output)} ${zxidText(zxid)} s${server}`;

/** The client node's volatile state: nothing (all it knows is durable), but shaped as a server's. */
const CLIENT_VOLATILE: Volatile = Object.freeze({
  role: { state: 'LOOKING' as const, round: 0, vote: { leader: -1, zxid: 0, epoch: 0 }, votes: [], outOfElection: [], early: [], lost: [] },
  waiting: [],
});

const clientDurable = (clients: ClientsRecord): Durable => ({ acceptedEpoch: 0, currentEpoch: 0, history: [], established: [], committed: [], illegal: null, readZxid: 0, clients });

export function clientNode(scripts: readonly SessionScript[]) {
  const index = (name: string): number => scripts.findIndex((s) => s.name === name);
  const state = (clients: ClientsRecord): ZabState => ({ durable: clientDurable(clients), volatile: CLIENT_VOLATILE });
  /** Whether session i may issue its next operation now: the first, a pipelined one, or after the previous reply. */
  const mayCall = (r: ClientsRecord, i: number): boolean => {
    const k = r.next[i];
    if (k < 0 || k >= scripts[i].ops.length) return false;
    return scripts[i].pipelined.includes(k) || r.history.some((e) => e.startsWith(`return ${scripts[i].name} ${k - 1} `));
  };
  const serverOf = (r: ClientsRecord, i: number): NodeId => r.at?.[i] ?? scripts[i].server;
  /** The highest zxid the session's replies carried (the client's lastZxidSeen). */
  const lastZxidSeen = (r: ClientsRecord, name: string): number =>
    Math.max(0, ...r.history.filter((e) => e.startsWith(`return ${name} `)).map((e) => Number(e.split(' ')[4])));
  const ended = (r: ClientsRecord, i: number): ClientsRecord => ({ ...r, next: r.next.map((n, k) => (k === i ? -1 : n)) });

  function onTimer(s: ZabState, timer: string, connecting = false): ZabStep | undefined {
    const r = s.durable.clients!;
    const i = scripts.findIndex((sc) => callTimer(sc.name) === timer);
    if (i < 0 || !(connecting || mayCall(r, i))) return undefined;
    const cxid = r.next[i];
    const script = scripts[i];
    const next: ClientsRecord = { ...r, history: [...r.history, callEntry(script.name, cxid)], next: r.next.map((n, k) => (k === i ? n + 1 : n)) };
    const op = script.ops[cxid];
    const to = op.startsWith('reconnect ') ? Number(op.slice('reconnect s'.length)) : serverOf(r, i);
    const seen = op.startsWith('reconnect ') ? { lastZxid: lastZxidSeen(r, script.name) } : {};
    const request: Send<Msg> = { to, msg: { type: 'CREQUEST', session: script.name, cxid, op, ...seen } };
    return { state: state(next), send: [request], ...(mayCall(next, i) ? { setTimers: [timer] } : {}) };
  }

  function onMessage(s: ZabState, from: NodeId, msg: SessionMsg): ZabStep | undefined {
    const r = s.durable.clients!;
    if (msg.type === 'CACCEPT') {
      // Connected: the client creates its session at once (its first operation).
      const i = index(msg.session);
      return r.next[i] === 0 ? onTimer(s, callTimer(msg.session), true) : undefined;
    }
    if (msg.type === 'CDISCONNECT') {
      const i = index(msg.session);
      return r.next[i] < 0 ? undefined : { state: state(ended(r, i)), cancelTimers: [callTimer(msg.session)] };
    }
    if (msg.type !== 'CREPLY' || r.history.some((e) => e.startsWith(`return ${msg.session} ${msg.cxid} `))) return undefined;
    const recorded: ClientsRecord = { ...r, history: [...r.history, returnEntry(msg.session, msg.cxid, msg.output, msg.zxid, from)] };
    const i = index(msg.session);
    const op = scripts[i].ops[msg.cxid];
    if (op.startsWith('reconnect ')) {
      // Connected to the new server: the session's next requests go there.
      const moved: ClientsRecord = { ...recorded, at: scripts.map((s, k) => (k === i ? from : serverOf(recorded, k))) };
      return { state: state(moved), ...(mayCall(moved, i) ? { setTimers: [callTimer(msg.session)] } : {}) };
    }
    if (msg.output !== 'SessionExpired') return { state: state(recorded), ...(mayCall(recorded, i) ? { setTimers: [callTimer(msg.session)] } : {}) };
    // The session is dead: the handle issues nothing more.
    return { state: state(ended(recorded, index(msg.session))), cancelTimers: [callTimer(msg.session)] };
  }

  /** The connection to `server` closed (it crashed, or a partition cut it): its sessions end. */
  function onDisconnect(s: ZabState, server: NodeId): ZabStep | undefined {
    const r = s.durable.clients!;
    const lost = scripts.flatMap((sc, i) => (serverOf(r, i) === server && r.next[i] >= 0 ? [i] : []));
    if (lost.length === 0) return undefined;
    const next = lost.reduce(ended, r);
    return { state: state(next), cancelTimers: lost.map((i) => callTimer(scripts[i].name)) };
  }

  const initial: ClientsRecord = { history: [], next: scripts.map(() => 0) };
  return {
    init: (): ZabStep => ({ state: state(initial) }),
    onTimer: (s: ZabState, timer: string) => onTimer(s, timer),
    onMessage,
    onDisconnect,
    /** The node comes back with its record; its connections closed with the crash, so every session ends. */
    onRestart: (d: Durable): ZabStep => ({ state: state({ ...d.clients!, next: d.clients!.next.map(() => -1) }) }),
  };
}
