// The sessions grain (`sessions=true`) assembled: the servers' ActorSpec from protocol.ts, plus the
// client node (clients.ts) after the servers, plus each server's client-request pipeline
// (sessions.ts) run around every handler of a server, plus the client guarantees
// (client-guarantees.ts) and the sessions grain's NoEphemeralOutlivesSession. Nothing here changes
// a server's handlers: the base spec is reused as is, so the other grains combine with this one.
import { CLIENT, type ActorProperty, type NodeId, type Send, type WorldView } from '../../src/index.ts';
import type { ZabState, ZabStep } from './context.ts';
import { clientNode } from './clients.ts';
import { clientOps, fifoViolation, linearizable, scViolation } from './client-guarantees.ts';
import { applyTxns } from './datatree.ts';
import { served } from './properties.ts';
import type { ZabSpec } from './protocol.ts';
import type { ServerSessions, SessionMsg, SessionScript } from './session-types.ts';
import { answerReady, appliedBy, expiryTimer, isSync, leaderSyncs, NO_SESSIONS, prepare, queueRequest, serving, sessionValid, syncPoint, syncReplied } from './sessions.ts';
import { zxidText, type Behaviour, type Durable, type Msg, type Volatile } from './types.ts';

type Property = ActorProperty<Durable, Volatile, Msg>;
type World = WorldView<Durable, Volatile, Msg>;

/**
 * The client sessions of `sessions=true`: c0 at s0 creates its (global) session and an ephemeral
 * /e, and the leader may expire it; c1 at s1 reads /e, then syncs and reads it again without
 * waiting for the sync's reply. c1 only reads, so its session is a local one (ZooKeeper 3.5's
 * local sessions, ZOOKEEPER-1147: tracked by its server alone, no createSession txn; it could not
 * own an ephemeral), which keeps one txn out of the state space.
 */
export const SESSION_SCRIPTS: readonly SessionScript[] = [
  { name: 'c0', server: 1, ops: ['createSession', 'create -e /e'], pipelined: [], expires: true },
  { name: 'c1', server: 0, ops: ['getData /e', 'sync', 'getData /e'], pipelined: [2], expires: false },
];

/**
 * `reconnect=true`: both sessions start at s1 (in a 2-server ensemble, the leader); c1 reads /e,
 * then moves to s0 (ZooKeeper's client reconnects elsewhere when its connection is lost) and reads
 * it again. Both are global sessions (a local session cannot move), and neither expires.
 */
export const RECONNECT_SCRIPTS: readonly SessionScript[] = [
  { name: 'c0', server: 1, ops: ['createSession', 'create -e /e'], pipelined: [], expires: false },
  { name: 'c1', server: 1, ops: ['createSession', 'getData /e', 'reconnect s0', 'getData /e'], pipelined: [], expires: false },
];

const REPLACED = new Set(['NoEphemeralOutlivesSession', 'SyncedByTRUNC', 'SyncedBySNAP']);
const SESSION_TYPES = new Set(['CREQUEST', 'CREPLY', 'CACCEPT', 'CDISCONNECT', 'FORWARD', 'SYNCREPLY']);
const isSessionMsg = (m: Msg): m is SessionMsg => SESSION_TYPES.has(m.type);

/** `a` then `b`: b's state, both steps' packets and timers in order. */
function chain(a: ZabStep, b: ZabStep | undefined): ZabStep {
  if (b === undefined) return a;
  return {
    state: b.state,
    send: [...(a.send ?? []), ...(b.send ?? [])],
    setTimers: [...(a.setTimers ?? []).filter((t) => !(b.cancelTimers ?? []).includes(t)), ...(b.setTimers ?? [])],
    cancelTimers: [...(a.cancelTimers ?? []), ...(b.cancelTimers ?? [])],
  };
}

/** `s` with `sessions` set; left out when empty, so that equal states have one form. */
function withSessions(s: ZabState, sessions: ServerSessions): ZabState {
  if (sessions.pending.length > 0 || sessions.syncs.length > 0 || sessions.closed.length > 0) return { durable: s.durable, volatile: { ...s.volatile, sessions } };
  if (s.volatile.sessions === undefined) return s;
  const { sessions: _, ...volatile } = s.volatile;
  return { durable: s.durable, volatile };
}

export function sessionGrain(base: ZabSpec, scripts: readonly SessionScript[], behaviour: Behaviour, livenessTargets: boolean): ZabSpec {
  const servers = base.nodeCount;
  const clientId: NodeId = servers;
  const client = clientNode(scripts);
  const expiring = scripts.filter((s) => s.expires).map((s) => s.name);
  const connectedTo = (id: NodeId): string[] => scripts.filter((s) => s.server === id).map((s) => s.name);

  /** Feed the leader's own pipeline: prepare the request and propose its txn through the base spec's REQUEST. */
  function propose(id: NodeId, s: ZabState, session: string, cxid: number, op: string): ZabStep {
    const txnOp = prepare(s, session, cxid, op, behaviour.sessionCheckIgnoresClosing);
    return chain({ state: s }, base.onMessage(id, s, CLIENT, { type: 'REQUEST', op: txnOp }) as ZabStep | undefined);
  }

  /**
   * Run after every server event: keep the client requests across a handler that rebuilt volatile
   * state, close the clients' connections when the server stops serving, send on what waits for
   * the leader, answer what can be answered, and arm or cancel the session tracker's expiry timers.
   */
  function settle(id: NodeId, before: ZabState, step: ZabStep): ZabStep {
    const kept = step.state.volatile.sessions ?? before.volatile.sessions;
    let out: ZabStep = kept === step.state.volatile.sessions ? step : { ...step, state: withSessions(step.state, kept ?? NO_SESSIONS) };
    let sessions = kept ?? NO_SESSIONS;
    const role = out.state.volatile.role;
    const nowServing = serving(out.state);
    const stopped = !nowServing && serving(before);
    // Most events (election, discovery) concern no client: nothing to do.
    const started = nowServing && !serving(before);
    if (kept === undefined && !stopped && !started && (role.state !== 'LEADING' || expiring.length === 0)) return out;
    if (!nowServing) {
      if (!stopped) return out;
      // ZooKeeper shuts its ZooKeeperServer down: every client connection closes, requests are lost.
      const dropped = connectedTo(id).filter((n) => !sessions.closed.includes(n));
      const notices = dropped.map((session): Send<Msg> => ({ to: clientId, msg: { type: 'CDISCONNECT', session } }));
      const next: ServerSessions = { pending: [], syncs: [], closed: [...sessions.closed, ...dropped].sort() };
      return chain(out, { state: withSessions(out.state, next), send: notices, cancelTimers: expiring.map(expiryTimer) });
    }
    if (started) {
      // The server serves: the connections of its clients that wait for it are accepted.
      const waiting = connectedTo(id).filter((n) => !sessions.closed.includes(n));
      out = chain(out, { state: out.state, send: waiting.map((session): Send<Msg> => ({ to: clientId, msg: { type: 'CACCEPT', session } })) });
    }
    // Requests that wait for the leader: a follower forwards them, the leader prepares its own.
    for (const p of sessions.pending.filter((q) => !q.sent)) {
      const marked: ServerSessions = { ...sessions, pending: sessions.pending.map((q) => (q === p ? { ...q, sent: true } : q)) };
      if (role.state === 'FOLLOWING' && isSync(p.op) && behaviour.syncServedLocally) {
        // Test mistake: the sync is done at once, the leader never asked.
        out = chain(out, { state: withSessions(out.state, { ...marked, pending: marked.pending.map((q) => (q.session === p.session && q.cxid === p.cxid ? { ...q, synced: true } : q)) }) });
      } else if (role.state === 'FOLLOWING') {
        out = chain(out, { state: withSessions(out.state, marked), send: [{ to: role.leader, msg: { type: 'FORWARD', session: p.session, cxid: p.cxid, op: p.op } }] });
      } else if (isSync(p.op)) {
        const point = syncPoint(out.state);
        out = chain(out, { state: withSessions(out.state, { ...marked, syncs: [...marked.syncs, { to: id, session: p.session, cxid: p.cxid, zxid: point }] }) });
      } else {
        out = chain(out, propose(id, withSessions(out.state, marked), p.session, p.cxid, p.op));
      }
      sessions = out.state.volatile.sessions ?? NO_SESSIONS;
    }
    // The leader's syncs: its own are done when committed, a follower's get SYNCREPLY.
    const synced = leaderSyncs(out.state, sessions);
    const own = synced.send.filter((m) => m.to === id).map((m) => m.msg as Extract<SessionMsg, { type: 'SYNCREPLY' }>);
    sessions = own.reduce((acc, m) => syncReplied(acc, m) ?? acc, synced.sessions);
    const answered = answerReady(sessions, appliedBy(out.state), clientId, behaviour.connectIgnoresLastZxid);
    out = chain(out, { state: withSessions(out.state, answered.sessions), send: [...synced.send.filter((m) => m.to !== id), ...answered.send] });
    return chain(out, expiryTimers(out.state));
  }

  /** The session tracker's expirer: armed on an established leader for each live session that may expire. */
  function expiryTimers(s: ZabState): ZabStep {
    const role = s.volatile.role;
    if (expiring.length === 0) return { state: s };
    const live = role.state === 'LEADING' ? expiring.filter((n) => sessionValid(s.durable.history, [], n, false)) : [];
    return { state: s, setTimers: live.map(expiryTimer), cancelTimers: expiring.filter((n) => !live.includes(n)).map(expiryTimer) };
  }

  function sessionMessage(id: NodeId, s: ZabState, from: NodeId, msg: SessionMsg): ZabStep | undefined {
    const sessions = s.volatile.sessions ?? NO_SESSIONS;
    const role = s.volatile.role;
    if (msg.type === 'CREQUEST') {
      const next = queueRequest(sessions, msg);
      return next && { state: withSessions(s, next) };
    }
    if (msg.type === 'SYNCREPLY') {
      const next = syncReplied(sessions, msg);
      return next && { state: withSessions(s, next) };
    }
    if (msg.type !== 'FORWARD' || role.state !== 'LEADING' || role.phase !== 'broadcast') return undefined;
    if (isSync(msg.op)) return { state: withSessions(s, { ...sessions, syncs: [...sessions.syncs, { to: from, session: msg.session, cxid: msg.cxid, zxid: syncPoint(s) }] }) };
    return propose(id, s, msg.session, msg.cxid, msg.op);
  }

  function expire(id: NodeId, s: ZabState, timer: string): ZabStep | undefined {
    const session = expiring.find((n) => expiryTimer(n) === timer);
    const role = s.volatile.role;
    if (session === undefined || role.state !== 'LEADING' || role.phase !== 'broadcast' || !sessionValid(s.durable.history, [], session, false)) return undefined;
    // SessionTrackerImpl marks the session closing and submits closeSession; PrepRequestProcessor makes its txn.
    return chain({ state: s }, base.onMessage(id, s, CLIENT, { type: 'REQUEST', op: `closeSession ${session}` }) as ZabStep | undefined);
  }

  const around = (id: NodeId, before: ZabState, step: ZabStep | undefined): ZabStep | undefined => (step === undefined ? undefined : settle(id, before, step));

  return {
    ...base,
    nodeCount: servers + 1,
    nodeName: (id) => (id === clientId ? 'clients' : `s${id}`),
    roleOf: (id) => (id === clientId ? 'client' : 'server'),
    actions: [...(base.actions ?? []), 'server receives CREQUEST', 'server receives FORWARD', 'server receives SYNCREPLY', 'client receives CREPLY', ...scripts.map((s) => `client timer call ${s.name}`), ...expiring.map((n) => `server timer ${expiryTimer(n)}`)],
    init: (id) => (id === clientId ? client.init() : base.init(id)),
    onRestart: (id, durable) => (id === clientId ? client.onRestart(durable) : base.onRestart(id, durable)),
    onMessage(id, state, from, msg) {
      if (id === clientId) return isSessionMsg(msg) ? client.onMessage(state, from, msg) : undefined;
      if (isSessionMsg(msg)) return around(id, state, sessionMessage(id, state, from, msg));
      return around(id, state, base.onMessage(id, state, from, msg) as ZabStep | undefined);
    },
    onTimer(id, state, timer) {
      if (id === clientId) return client.onTimer(state, timer);
      if (timer.startsWith('expire ')) return around(id, state, expire(id, state, timer));
      return around(id, state, base.onTimer(id, state, timer) as ZabStep | undefined);
    },
    onDisconnect(id, state, peer) {
      if (id === clientId) return client.onDisconnect(state, peer);
      if (peer === clientId) return undefined;
      return around(id, state, base.onDisconnect?.(id, state, peer));
    },
    onConnect(id, state, peer) {
      if (id === clientId || peer === clientId) return undefined;
      return around(id, state, base.onConnect?.(id, state, peer));
    },
    badge: (id, state) => (id === clientId ? clientBadge(state.durable) : base.badge!(id, state)),
    clientRequests: base.clientRequests,
    // The sessions grain's own NoEphemeralOutlivesSession replaces the coarse one; SyncedByTRUNC needs a
    // crash and SyncedBySNAP a learner that joins after a commit, which the 2-server bounds never have.
    // With liveness=true LeaderEstablished stays the only target.
    // The client node looks like a server that never served or logged anything, so the servers'
    // properties hold of it; only CommittedOnEveryServer must not count it (a view costs: it halves the speed).
    properties: [...base.properties.filter((p) => !REPLACED.has(p.name)).map((p) => (p.name === 'CommittedOnEveryServer' ? serversOnly(p, servers) : p)), ...sessionProperties(scripts, servers).filter((p) => !livenessTargets || p.kind === 'invariant')],
  };
}

function clientBadge(d: Durable): string {
  const r = d.clients!;
  return `clients\n${r.history.filter((e) => e.startsWith('return')).length} returned`;
}

/** The world without the client node (a cached view per world). */
const views = new WeakMap<World, World>();
function serversOnly(p: Property, servers: number): Property {
  return {
    ...p,
    test: (w) => {
      let v = views.get(w);
      if (v === undefined) {
        // A getter, not a spread: reading `messages` would turn off the engine's memo of verdicts.
        const nodes = w.nodes.slice(0, servers);
        v = { nodes, get messages() { return w.messages; } };
        views.set(w, v);
      }
      return p.test(v);
    },
  };
}

/** What the client guarantees say of one history: a violation's words, or true. */
interface Verdicts {
  readonly fifo: string | true;
  readonly sc: string | true;
  readonly linearizable: boolean;
}

/**
 * Verdicts by history: the same few histories recur in many states, so they are judged once, found
 * by the array itself while the engine hands the same one back, else by its text.
 */
const byText = new Map<string, Verdicts>();
const byArray = new WeakMap<readonly string[], Verdicts>();
const MEMO_MAX = 100_000;
function verdictsOf(history: readonly string[], scripts: readonly SessionScript[]): Verdicts {
  let v = byArray.get(history);
  if (v !== undefined) return v;
  const key = history.join('|');
  v = byText.get(key);
  if (v === undefined) {
    const ops = clientOps(history, scripts);
    v = { fifo: fifoViolation(ops) ?? true, sc: scViolation(ops, scripts) ?? true, linearizable: linearizable(ops) };
    if (byText.size >= MEMO_MAX) byText.clear();
    byText.set(key, v);
  }
  byArray.set(history, v);
  return v;
}

function sessionProperties(scripts: readonly SessionScript[], servers: number): Property[] {
  const expires = scripts.some((s) => s.expires);
  const verdicts = (w: World): Verdicts => verdictsOf(w.nodes[servers].durable.clients!.history, scripts);
  const all: Property[] = [
    {
      // The sessions grain's version: the data tree applies an ephemeral create whatever its session (DataTree.createNode).
      name: 'NoEphemeralOutlivesSession',
      description: 'no serving server holds an ephemeral znode of a session it applied the close of',
      kind: 'invariant',
      test: (w) => {
        for (let id = 0; id < servers; id++) {
          const p = served(w.nodes[id]);
          if (p === null) continue;
          const tree = applyTxns(p, false);
          for (const [path, z] of tree.nodes) {
            if (z.owner === null || !tree.closedSessions.has(z.owner)) continue;
            const close = p.find((t) => t.op === `closeSession ${z.owner}`)!;
            const create = p.find((t) => t.op.startsWith(`create -e ${path} ${z.owner}`))!;
            return `s${id} holds ephemeral ${path} of session ${z.owner}: ${create.zxid > close.zxid ? `created by the txn ${zxidText(create.zxid)} after the closeSession ${zxidText(close.zxid)}` : 'after its close'}`;
          }
        }
        return true;
      },
    },
    {
      name: 'SessionFIFO',
      description: "each session's replies come back in the order it issued its requests, with zxids that never go down (FIFO client order)",
      kind: 'invariant',
      test: (w) => verdicts(w).fifo,
    },
    {
      name: 'SequentialConsistency',
      description: "one order of all sessions' operations keeps each session's order, the znode tree's rules and the replies' zxids (writes in zxid order, a read at zxid z after exactly the writes up to z), and puts each read after a sync() after every write that returned before the sync",
      kind: 'invariant',
      test: (w) => verdicts(w).sc,
    },
    {
      name: 'StaleReadAllowed',
      description: 'a history ZooKeeper allows that is not linearizable: a local read misses a write that already returned (reads are not linearizable)',
      kind: 'reachable',
      test: (w) => !verdicts(w).linearizable,
    },
    {
      name: 'SessionExpired',
      description: 'a session learned that it expired (its closeSession txn was applied at its server)',
      kind: 'reachable',
      test: (w) => w.nodes[servers].durable.clients!.history.some((e) => e.includes('"SessionExpired"')),
    },
  ];
  // No session may expire (reconnect=true): no expiry to reach.
  return expires ? all : all.filter((p) => p.name !== 'SessionExpired');
}
