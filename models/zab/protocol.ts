// A ZooKeeper server as an actor: the dispatch from packets, the sync thread's timer and socket
// errors to the election, leader and follower code, plus start and restart.
import { CLIENT, type ActorSpec, type NodeId } from '../../src/index.ts';
import { DETECT_TIMER, DISK_TIMER, FINALIZE_TIMER, FORWARD_TIMER, POLL_TIMER, INIT_TIMER, NOTIFY_TIMER, PING_TIMER, SYNC_LIMIT_TIMER, SYNC_TIMER, type Ctx, type ZabState, type ZabStep } from './context.ts';
import { answerLookingPeer, lookingConnect, lookingDisconnect, lookingFollowerInfo, lookingNotification, lookingResend, startLooking } from './election.ts';
import { finalizeWaitPassed, finalizingNotification, requeuedPolled } from './fle-finalize.ts';
import { followerEpochWritten, followerMessage, followerShutdown, followerSyncLimitTick, syncThreadWrites } from './follower.ts';
import { epochWritten, leaderCommitted, learnerDisconnected, learnerTimeout, leaderMessage, leaderPing, leaderShutdown, startForwarding, withoutGone } from './leader.ts';
import { served, zabProperties } from './properties.ts';
import { sessionGrain } from './session-grain.ts';
import { requestsInStart, startDisk } from './starts.ts';
import { sessionTxnOps } from './sessions.ts';
import { bufferLog, LOG_FLUSH_TIMER, logFlushed, logWriteFailed } from './txnlog.ts';
import { LEADER_TIMEOUT_TIMER, leaderLost, leaderTimeout, toLiveLeader } from './follower-timeout.ts';
import { describeMessage, lastZxidOf, quorumOf, zxidText, type Durable, type Msg, type Volatile, type ZabConfig } from './types.ts';

export type ZabSpec = ActorSpec<Durable, Volatile, Msg>;

const EMPTY_DURABLE: Durable = Object.freeze({ acceptedEpoch: 0, currentEpoch: 0, history: [], established: [], committed: [], illegal: null, readZxid: 0 });

/** Packets every configuration exchanges (PING only with the heartbeats of `liveness=true`). */
const PACKETS = ['NOTIFICATION', 'FOLLOWERINFO', 'LEADERINFO', 'ACKEPOCH', 'SYNC', 'NEWLEADER', 'ACKNEWLEADER', 'UPTODATE', 'REQUEST', 'PROPOSAL', 'ACK', 'COMMIT', 'CLOSE'];

/** What coverage expects to fire: every packet and the sync thread, plus the timeouts when they are on. */
function zabActions(config: ZabConfig): string[] {
  const grains = [
    ...(config.detect === 'timeout' ? [`server timer ${DETECT_TIMER}`, `server timer ${LEADER_TIMEOUT_TIMER}`] : []),
    ...(config.syncPackets ? [`server timer ${FORWARD_TIMER}`] : []),
    ...(config.diskSeparate ? [`server timer ${DISK_TIMER}`, `server timer ${LOG_FLUSH_TIMER}`] : []),
    ...(config.finalizeWait ? [`server timer ${FINALIZE_TIMER}`, `server timer ${POLL_TIMER}`] : []),
  ];
  const timed = config.initLimit > 0 ? ['server receives PING', ...[INIT_TIMER, NOTIFY_TIMER, PING_TIMER, SYNC_LIMIT_TIMER].map((t) => `server timer ${t}`)] : [];
  return [...PACKETS.map((t) => `server receives ${t}`), `server timer ${SYNC_TIMER}`, ...grains, ...timed];
}

export function zabProtocol(config: ZabConfig): ZabSpec {
  const spec = zabServers(config);
  return config.diskSeparate ? withTxnLogWrites(spec, config) : spec;
}

/**
 * `disk=separate`: every handler's step goes through bufferLog (txnlog.ts), which marks the txn
 * log's appends as buffered until their flush, and a failed write (`write-error`) shuts the server
 * down (logWriteFailed).
 */
function withTxnLogWrites(spec: ZabSpec, config: ZabConfig): ZabSpec {
  const n = config.servers;
  const contexts = Array.from({ length: n }, (_, id) => contextOf(config, id));
  return {
    ...spec,
    onMessage: (id, state, from, msg) => bufferLog(state, spec.onMessage(id, state, from, msg) as ZabStep | undefined),
    onTimer: (id, state, timer) => bufferLog(state, timer === LOG_FLUSH_TIMER ? noteRead(logFlushed(contexts[id], state)) : spec.onTimer(id, state, timer) as ZabStep | undefined),
    onDisconnect: (id, state, peer) => bufferLog(state, spec.onDisconnect?.(id, state, peer)),
    onConnect: (id, state, peer) => bufferLog(state, spec.onConnect?.(id, state, peer)),
    onWriteError: (id, state) => bufferLog(state, noteRead(logWriteFailed(contexts[id], state))),
  };
}

/** The context of server `id`. */
function contextOf(config: ZabConfig, id: NodeId): Ctx {
  const n = config.servers;
  return {
    id,
    servers: n,
    quorum: quorumOf(n),
    peers: Array.from({ length: n }, (_, p) => p).filter((p) => p !== id),
    behaviour: config.behaviour,
    fle: config.fle,
    finalizeWait: config.finalizeWait,
    txnLogSync: config.txnLogSync,
    initLimit: config.initLimit,
    syncLimit: config.syncLimit,
    detect: config.detect,
    syncPackets: config.syncPackets,
    diskSeparate: config.diskSeparate,
  };
}

function zabServers(config: ZabConfig): ZabSpec {
  const n = config.servers;
  const quorum = quorumOf(n);
  const contexts: Ctx[] = Array.from({ length: n }, (_, id) => contextOf(config, id));
  const spec: ZabSpec = {
    nodeCount: n,
    nodeName: (id: NodeId) => `s${id}`,
    roleOf: () => 'server',
    actions: zabActions(config),
    init: (id) => startLooking(contexts[id], startDisk(config.start, EMPTY_DURABLE, id, n, config.requests), 1, { waiting: [] }),
    onRestart: (id, durable) => startLooking(contexts[id], durable, 1, { waiting: [] }),
    onMessage(id, state, from, msg) {
      const c = contexts[id];
      if (c.initLimit === 0) return noteRead(onMessage(id, state, from, msg));
      const draining = state.volatile.draining ?? [];
      // Election notifications travel on a connection of their own in ZooKeeper: never drained.
      if (draining.includes(from) && msg.type !== 'NOTIFICATION') {
        // A packet of a session we closed: dropped, until the peer's answering CLOSE ends it.
        if (msg.type !== 'CLOSE') return undefined;
        const rest = [...draining];
        rest.splice(rest.indexOf(from), 1);
        return { state: { durable: state.durable, volatile: withDraining(state.volatile, rest) } };
      }
      if (msg.type !== 'CLOSE') return noteRead(drains(state, onMessage(id, state, from, msg)));
      // The peer closed a session with us: handle it, and answer with our CLOSE (the FIN back).
      const step = onMessage(id, state, from, msg) ?? { state };
      const send = step.send ?? [];
      const answer = send.some((m) => m.to === from && m.msg.type === 'CLOSE') ? [] : [{ to: from, msg: { type: 'CLOSE' } as Msg }];
      return noteRead(drains(state, { ...step, send: [...send, ...answer] }, from));
    },
    onTimer(id, state, timer) {
      const step = contexts[id].detect === 'timeout' ? toLiveLeader(onTimer(id, state, timer)) : onTimer(id, state, timer);
      return noteRead(contexts[id].initLimit === 0 ? step : drains(state, step));
    },
    onDisconnect(id, state, peer) {
      const step = onDisconnect(id, state, peer);
      if (contexts[id].initLimit === 0) return noteRead(step);
      // The connection is gone, and with it what was in flight on it: nothing left to drain.
      const out = drains(state, step ?? { state });
      const left = (out?.state.volatile.draining ?? []).filter((p) => p !== peer);
      if (out === undefined || (step === undefined && left.length === (state.volatile.draining ?? []).length)) return noteRead(step);
      return noteRead({ ...out, state: { durable: out.state.durable, volatile: withDraining(out.state.volatile, left) } });
    },
    onConnect(id, state, peer) {
      const step = state.volatile.role.state === 'LOOKING' ? lookingConnect(state, peer) : undefined;
      const draining = state.volatile.draining ?? [];
      if (contexts[id].initLimit === 0 || !draining.includes(peer)) return step;
      // A CLOSE sent while the partition lasted was lost with the old connection, and so was the
      // rest of that session: the new connection has nothing to drain.
      const out = step ?? { state };
      return { ...out, state: { durable: out.state.durable, volatile: withDraining(out.state.volatile, draining.filter((p) => p !== peer)) } };
    },
    badge: (_id, { durable, volatile }) => {
      // Role and epoch, the last logged zxid, the last committed (applied) zxid, in the one zxid format.
      const role = volatile.role;
      const committed = role.state === 'FOLLOWING' ? role.lastCommitted : role.state === 'LEADING' ? lastZxidOf(leaderCommitted(durable, role)) : durable.readZxid;
      const phase = role.state === 'LOOKING' ? `r${role.round}` : role.phase;
      return `${role.state} e${durable.currentEpoch} ${phase}\nlog ${zxidText(lastZxidOf(durable.history))}\ncommit ${zxidText(committed)}`;
    },
    // Request i goes to server i mod n; those a start's disks already hold were made before it.
    clientRequests: config.requests.map((op, i) => ({ to: i % n, msg: { type: 'REQUEST', op } as Msg })).slice(requestsInStart(config.start)),
    properties: zabProperties({ servers: n, quorum, requests: [...config.requests, ...sessionTxnOps(config.sessions ?? [])], livenessTargets: config.livenessTargets, diskSeparate: config.diskSeparate }),
    describeMessage,
    // check --liveness: packets arrive, crashed servers come back, partitions heal, and every
    // timer fires in the end (each stands for a thread of ZooKeeper's: the sync thread, the wait
    // of finalizeWait, a LearnerHandler, a timeout); crashes and partitions are not fair.
    fair: ['deliveries', 'timers', 'restart', 'heal'],
  };
  // sessions=true: a client node and each server's client-request pipeline around these handlers.
  return config.sessions?.length ? sessionGrain(spec, config.sessions, config.behaviour, config.livenessTargets) : spec;

  function onMessage(id: NodeId, state: ZabState, from: NodeId, msg: Msg): ZabStep | undefined {
    const c = contexts[id];
    const role = state.volatile.role;
    if (msg.type === 'NOTIFICATION' && role.state === 'LOOKING' && (role.finalizing || role.requeued)) return finalizingNotification(c, state, from, msg);
    if (msg.type === 'NOTIFICATION') return role.state === 'LOOKING' ? lookingNotification(c, state, from, msg) : answerLookingPeer(state, from, msg);
    // A learner's connection waits while the server is LOOKING, and is refused by a follower.
    if (msg.type === 'FOLLOWERINFO' && role.state === 'LOOKING') return lookingFollowerInfo(c, state, from, msg);
    if (msg.type === 'FOLLOWERINFO' && role.state === 'FOLLOWING') return { state, send: [{ to: from, msg: { type: 'CLOSE' } }] };
    if (role.state === 'LEADING') return c.detect === 'timeout' ? withoutGone(leaderMessage(c, state, from, msg)) : leaderMessage(c, state, from, msg);
    if (role.state === 'FOLLOWING') return c.detect === 'timeout' ? toLiveLeader(followerMessage(c, state, from, msg)) : followerMessage(c, state, from, msg);
    // A LOOKING server keeps client requests for later and has no quorum connection.
    if (msg.type === 'REQUEST' && from === CLIENT && !state.volatile.waiting.includes(msg.op)) {
      return { state: { durable: state.durable, volatile: { ...state.volatile, waiting: [...state.volatile.waiting, msg.op].sort() } } };
    }
    return undefined;
  }

  function onTimer(id: NodeId, state: ZabState, timer: string): ZabStep | undefined {
    if (timer === SYNC_TIMER) return syncThreadWrites(contexts[id], state);
    if (timer === NOTIFY_TIMER) return lookingResend(contexts[id], state);
    if (timer === FINALIZE_TIMER) return finalizeWaitPassed(contexts[id], state);
    if (timer === POLL_TIMER) return requeuedPolled(contexts[id], state);
    if (timer === PING_TIMER) return leaderPing(contexts[id], state);
    if (timer === SYNC_LIMIT_TIMER) return followerSyncLimitTick(contexts[id], state);
    if (timer === DETECT_TIMER) return learnerTimeout(contexts[id], state);
    if (timer === LEADER_TIMEOUT_TIMER) return leaderTimeout(contexts[id], state);
    if (timer === FORWARD_TIMER) return withoutGone(startForwarding(contexts[id], state));
    if (timer === DISK_TIMER) return state.volatile.role.state === 'FOLLOWING' ? followerEpochWritten(contexts[id], state) : withoutGone(epochWritten(contexts[id], state));
    return timer === INIT_TIMER ? initTick(contexts[id], state) : undefined;
  }

  function onDisconnect(id: NodeId, state: ZabState, peer: NodeId): ZabStep | undefined {
    const c = contexts[id];
    const role = state.volatile.role;
    if (role.state === 'FOLLOWING' && role.leader === peer) return c.detect === 'timeout' ? leaderLost(state) : followerShutdown(c, state, 'cut');
    if (role.state === 'LEADING') return learnerDisconnected(c, state, peer);
    if (role.state === 'LOOKING') return lookingDisconnect(c, state, peer);
    return undefined;
  }
}

/**
 * GHOST bookkeeping for MonotonicRead, after every handler: a server that serves records the
 * highest zxid it has served (never lowered), so a later state that serves less is visible.
 */
function noteRead(step: ZabStep | undefined): ZabStep | undefined {
  if (step === undefined) return undefined;
  const p = served({ up: true, durable: step.state.durable, volatile: step.state.volatile, timers: [] });
  const last = p === null ? 0 : lastZxidOf(p);
  if (last <= step.state.durable.readZxid) return step;
  return { ...step, state: { durable: { ...step.state.durable, readZxid: last }, volatile: step.state.volatile } };
}

/**
 * initLimit (ZooKeeper's Leader.getEpochToPropose / waitForEpochAck / waitForNewLeaderAck, and the
 * learner's connection attempts): a leader not yet established, or a follower whose FOLLOWERINFO
 * got no LEADERINFO, counts a tick; at the limit it gives up and goes back to LOOKING. A follower
 * past discovery stops its clock: its leader's own initLimit covers the sync, and giving up there
 * would leave the leader's sync packets in flight on the one connection the model keeps per pair
 * of servers, to be read by the follower's next session with that leader.
 */
function initTick(c: Ctx, s: ZabState): ZabStep | undefined {
  const role = s.volatile.role;
  if (role.state === 'LOOKING' || role.phase === 'broadcast') return undefined;
  if (role.state === 'FOLLOWING' && role.phase !== 'discovery') return undefined;
  const ticks = (role.ticks ?? 0) + 1;
  if (ticks >= c.initLimit) return role.state === 'LEADING' ? leaderShutdown(c, s) : followerShutdown(c, s, 'close');
  return { state: { durable: s.durable, volatile: { ...s.volatile, role: { ...role, ticks } } }, setTimers: [INIT_TIMER] };
}

/** `v` with `draining` set (the field left out when empty). */
function withDraining(v: Volatile, draining: readonly NodeId[]): Volatile {
  const { draining: _, ...rest } = v;
  return draining.length === 0 ? rest : { ...rest, draining: [...draining].sort((a, b) => a - b) };
}

/**
 * With timeouts on (`liveness=true`), the model's one connection per pair of servers is made to act
 * as ZooKeeper's connection per session: a server that sends CLOSE (ends a session) drops the
 * peer's later packets until the peer's answering CLOSE, which follows everything the peer sent in
 * that session; a server that receives a CLOSE it did not ask for answers with one (`answering`,
 * not drained). Handlers do not keep `draining`: it is carried over from `before` here.
 */
function drains(before: ZabState, step: ZabStep | undefined, answering?: NodeId): ZabStep | undefined {
  if (step === undefined) return undefined;
  const closed = (step.send ?? []).filter((m) => m.msg.type === 'CLOSE' && m.to !== answering).map((m) => m.to);
  const draining = [...(before.volatile.draining ?? []), ...closed];
  return { ...step, state: { durable: step.state.durable, volatile: withDraining(step.state.volatile, draining) } };
}
