// The sessions grain (`sessions=true`), server side: what ZooKeeper's request pipeline does with a
// client's requests. A server holds its clients' requests in arrival order (the connection's FIFO
// queue; CommitProcessor keeps a session's reads behind its own pending writes); a follower
// forwards writes and syncs to the leader (FollowerRequestProcessor, Learner.request); the leader's
// PrepRequestProcessor turns each write into a txn, or into an error txn when the session is not
// valid (SessionTrackerImpl.checkSession: unknown, or closing), and proposes it; the leader's
// session tracker expires a session by proposing its closeSession txn (SessionTrackerImpl's expirer,
// then PrepRequestProcessor marks the session closing); a sync is answered by the leader once every
// txn it had proposed is committed (Leader.processSync), after the COMMITs on the same channel;
// FinalRequestProcessor answers each request once its txn is applied, reads from the local tree.
import type { NodeId, Send } from '../../src/index.ts';
import type { ZabState } from './context.ts';
import { applyTxns } from './datatree.ts';
import { leaderCommitted } from './leader.ts';
import { served } from './properties.ts';
import type { PendingRequest, ReplyValue, ServerSessions, SessionMsg, SessionScript } from './session-types.ts';
import { lastZxidOf, type Msg, type Txn } from './types.ts';

export const NO_SESSIONS: ServerSessions = Object.freeze({ pending: [], syncs: [], closed: [] });

/** The timer with which the leader's session tracker expires `session` (a session timeout, untimed). */
export const expiryTimer = (session: string): string => `expire ${session}`;

/** The error txn PrepRequestProcessor makes of a request whose session is not valid (an ErrorTxn). */
export const errorTxnOp = (session: string, cxid: number): string => `error ${session} ${cxid}`;

/** The txn a valid request becomes: the operation tagged with its session (an ephemeral's owner). */
export function txnOpOf(session: string, op: string): string {
  return op === 'createSession' ? `createSession ${session}` : `${op} ${session}`;
}

export const isRead = (op: string): boolean => op.startsWith('getData');
export const isSync = (op: string): boolean => op === 'sync';
/** `reconnect sK`: the session moves to server K (ZooKeeper's client does so when its connection is lost). */
export const isReconnect = (op: string): boolean => op.startsWith('reconnect ');
/** Whether an operation needs no txn (a read, a sync, a reconnect). */
const noTxn = (op: string): boolean => isRead(op) || isSync(op) || isReconnect(op);

/** Every txn op the scripts can produce (Integrity's list of requested operations). */
export function sessionTxnOps(scripts: readonly SessionScript[]): string[] {
  return scripts.flatMap((s) => [
    `closeSession ${s.name}`,
    ...s.ops.flatMap((op, cxid) => (noTxn(op) ? [] : [txnOpOf(s.name, op), errorTxnOp(s.name, cxid)])),
  ]);
}

/**
 * The leader's session tracker, read from its log: a session is valid once its createSession is
 * logged (prepared) and until its closeSession is. ZK-1208's check sees a session as valid until its
 * closeSession is committed (applied: FinalRequestProcessor removes it from the tracker), so it
 * accepts requests prepared while the session is closing.
 */
export function sessionValid(log: readonly Txn[], committed: readonly Txn[], session: string, ignoresClosing: boolean): boolean {
  const created = log.some((t) => t.op === `createSession ${session}`);
  const closedIn = ignoresClosing ? committed : log;
  return created && !closedIn.some((t) => t.op === `closeSession ${session}`);
}

/** PrepRequestProcessor: the txn op a request becomes on leader state `s`. */
export function prepare(s: ZabState, session: string, cxid: number, op: string, ignoresClosing: boolean): string {
  if (op === 'createSession') return txnOpOf(session, op);
  const role = s.volatile.role;
  const committed = role.state === 'LEADING' ? leaderCommitted(s.durable, role) : s.durable.history;
  return sessionValid(s.durable.history, committed, session, ignoresClosing) ? txnOpOf(session, op) : errorTxnOp(session, cxid);
}

const pathOf = (op: string): string => op.split(' ')[op.startsWith('create -e') ? 2 : 1];

/** What a request replies, its txn `at` in the applied txns (FinalRequestProcessor). */
function writeOutput(applied: readonly Txn[], at: number): ReplyValue {
  const op = applied[at].op;
  if (op.startsWith('error ')) return 'SessionExpired';
  if (op.startsWith('createSession ')) return 'connected';
  const before = applyTxns(applied.slice(0, at), false);
  if (op.startsWith('create')) return before.nodes.has(pathOf(op)) ? 'NodeExists' : pathOf(op);
  throw new Error(`zab: no reply rule for the txn '${op}'`);
}

function readOutput(applied: readonly Txn[], op: string): ReplyValue {
  const node = applyTxns(applied, false).nodes.get(pathOf(op));
  return node === undefined ? 'NoNode' : node.data;
}

const reply = (session: string, cxid: number, output: ReplyValue, zxid: number, client: NodeId): Send<Msg> => ({ to: client, msg: { type: 'CREPLY', session, cxid, output, zxid } });

/**
 * Answer, for each session, the requests at the head of its queue that can be answered on the
 * txns this server applied: a read at once, a write when its txn is applied, a sync when its
 * SYNCREPLY came; every request of a session whose closeSession is applied gets SessionExpired.
 */
export function answerReady(sessions: ServerSessions, applied: readonly Txn[], client: NodeId, ignoresLastZxid = false): { sessions: ServerSessions; send: Send<Msg>[] } {
  const send: Send<Msg>[] = [];
  const last = lastZxidOf(applied);
  const done = new Set<PendingRequest>();
  const blocked = new Set<string>();
  for (const p of sessions.pending) {
    if (blocked.has(p.session)) continue;
    const closedAt = applied.findIndex((t) => t.op === `closeSession ${p.session}`);
    const at = noTxn(p.op) ? -1 : applied.findIndex((t) => t.op === txnOpOf(p.session, p.op) || t.op === errorTxnOp(p.session, p.cxid));
    if (at >= 0 && (closedAt < 0 || at < closedAt)) send.push(reply(p.session, p.cxid, writeOutput(applied, at), applied[at].zxid, client));
    else if (closedAt >= 0) send.push(reply(p.session, p.cxid, 'SessionExpired', applied[closedAt].zxid, client));
    else if (isRead(p.op)) send.push(reply(p.session, p.cxid, readOutput(applied, p.op), last, client));
    else if (isSync(p.op) && p.synced === true) send.push(reply(p.session, p.cxid, '/', last, client));
    // ZooKeeperServer.processConnectRequest refuses a client that has seen more than this server
    // applied (it tries again until the server caught up); the mutant accepts it at once.
    else if (isReconnect(p.op) && (ignoresLastZxid || last >= (p.lastZxid ?? 0))) send.push(reply(p.session, p.cxid, 'connected', last, client));
    else {
      blocked.add(p.session);
      continue;
    }
    done.add(p);
  }
  if (done.size === 0) return { sessions, send };
  return { sessions: { ...sessions, pending: sessions.pending.filter((p) => !done.has(p)) }, send };
}

/** A client request arrives: queue it (dropped when this server closed the session's connection). */
export function queueRequest(sessions: ServerSessions, msg: Extract<SessionMsg, { type: 'CREQUEST' }>): ServerSessions | undefined {
  if (sessions.closed.includes(msg.session)) return undefined;
  const request = { session: msg.session, cxid: msg.cxid, op: msg.op, sent: isRead(msg.op) || isReconnect(msg.op), ...(msg.lastZxid !== undefined ? { lastZxid: msg.lastZxid } : {}) };
  return { ...sessions, pending: [...sessions.pending, request] };
}

/** A SYNCREPLY arrives: the sync it answers can complete once it reaches the head of its session's queue. */
export function syncReplied(sessions: ServerSessions, msg: Extract<SessionMsg, { type: 'SYNCREPLY' }>): ServerSessions | undefined {
  const at = sessions.pending.findIndex((p) => p.session === msg.session && p.cxid === msg.cxid);
  if (at < 0) return undefined;
  return { ...sessions, pending: sessions.pending.map((p, i) => (i === at ? { ...p, synced: true } : p)) };
}

/**
 * The leader's Leader.processSync: a follower's sync is answered at once when nothing is
 * outstanding, else once the last outstanding proposal is committed.
 */
export function leaderSyncs(s: ZabState, sessions: ServerSessions): { sessions: ServerSessions; send: Send<Msg>[] } {
  const role = s.volatile.role;
  if (role.state !== 'LEADING' || sessions.syncs.length === 0) return { sessions, send: [] };
  const committed = lastZxidOf(leaderCommitted(s.durable, role));
  const ready = sessions.syncs.filter((y) => y.zxid <= committed);
  if (ready.length === 0) return { sessions, send: [] };
  const send = ready.map((y): Send<Msg> => ({ to: y.to, msg: { type: 'SYNCREPLY', session: y.session, cxid: y.cxid } }));
  return { sessions: { ...sessions, syncs: sessions.syncs.filter((y) => !ready.includes(y)) }, send };
}

/** The zxid a sync arriving at the leader now waits for: its last proposal's, or 0 when none is outstanding. */
export function syncPoint(s: ZabState): number {
  const role = s.volatile.role;
  return role.state === 'LEADING' && role.proposals.length > 0 ? role.proposals[role.proposals.length - 1].txn.zxid : 0;
}

/** Whether the server serves clients (a follower after UPTODATE, an established leader). */
export const serving = (s: ZabState): boolean => {
  const role = s.volatile.role;
  return role.state !== 'LOOKING' && role.phase === 'broadcast';
};

/** The txns the server applied and serves (empty when it does not serve). */
export const appliedBy = (s: ZabState): readonly Txn[] => served({ up: true, durable: s.durable, volatile: s.volatile, timers: [] }) ?? [];

