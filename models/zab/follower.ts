// The follower's side (ZooKeeper's Learner / Follower and its sync thread): register with the
// leader (FOLLOWERINFO), accept its epoch (ACKEPOCH), read the sync packets, handle NEWLEADER the
// way the implementation splits it (log the synced txns through the sync thread, persist
// currentEpoch, ACK), then log, ACK and apply broadcast txns. The sync thread's disk write is its
// own event: the timer SYNC_TIMER.
import { CLIENT, type NodeId, type Send } from '../../src/index.ts';
import { DISK_TIMER, initClock, noteIllegal, reportedZxid, SYNC_LIMIT_TIMER, SYNC_TIMER, type Ctx, type ZabState, type ZabStep } from './context.ts';
import { startLooking } from './election.ts';
import { keepAcrossShutdown } from './leader.ts';
import { describeMessage, lastZxidOf, type Durable, type Following, type Msg, type Txn, type Vote } from './types.ts';

export function startFollowing(c: Ctx, s: ZabState, round: number, vote: Vote): ZabStep {
  const clock = initClock(c);
  const role: Following = {
    state: 'FOLLOWING', round, vote, leader: vote.leader, phase: 'discovery', newEpoch: 0,
    queue: [], uncommitted: [], lastCommitted: 0, snapshot: null, syncMode: null, ...clock.role,
  };
  return {
    state: { durable: s.durable, volatile: { ...keepAcrossShutdown(s), role } },
    setTimers: clock.setTimers,
    send: [{ to: vote.leader, msg: { type: 'FOLLOWERINFO', acceptedEpoch: s.durable.acceptedEpoch, lastZxid: reportedZxid(s.durable, s.volatile) } }],
  };
}

/**
 * Leave the leader and go back to LOOKING: `close` our connection (we give up), or the leader
 * `closed` it (a CLOSE arrived), or it was `cut` (the leader crashed or is partitioned away, so
 * the election will not wait for it).
 */
export function followerShutdown(c: Ctx, s: ZabState, how: 'close' | 'closed' | 'cut'): ZabStep {
  const role = s.volatile.role as Following;
  const extra = keepAcrossShutdown(s);
  // ZK-4712 mutant: the sync thread's queue outlives the follower and is still logged later.
  if (c.behaviour.syncThreadSurvivesShutdown) extra.strayQueue = [...(extra.strayQueue ?? []), ...role.queue];
  // ZK-2845 mutant: the data tree is retained, and with it the last zxid applied to it.
  if (c.behaviour.retainDatabase) extra.retained = role.lastCommitted;
  // ZK-3642 mutant: a SNAP loaded before NEWLEADER stays in the in-memory database, unwritten.
  if (c.behaviour.snapshotKeptInMemory && role.snapshot !== null && role.snapshot.length > 0) extra.memSnapshot = role.snapshot;
  // ZK-5094 mutant: what a TRUNC sync applied to memory before NEWLEADER (Learner.shutdown clears the
  // database only after an unfinished SNAP) stays there, ahead of the truncated log.
  if (c.behaviour.truncSyncKeptInMemory && role.syncMode === 'TRUNC' && role.phase === 'sync') {
    const applied = role.queue.filter((t) => t.zxid <= role.lastCommitted);
    if (applied.length > 0) extra.memSnapshot = [...s.durable.history, ...applied];
  }
  return startLooking(c, s.durable, role.round + 1, extra, how === 'close' ? [{ to: role.leader, msg: { type: 'CLOSE' } }] : [], how === 'cut' ? [role.leader] : []);
}

const withRole = (s: ZabState, role: Following, durable: Durable = s.durable): ZabState => ({ durable, volatile: { ...s.volatile, role } });

/** ACKs for the proposals of `logged` that are not committed yet. */
const acksFor = (role: Following, logged: readonly Txn[]): Send<Msg>[] =>
  logged.filter((t) => role.uncommitted.some((u) => u.zxid === t.zxid)).map((t) => ({ to: role.leader, msg: { type: 'ACK', zxid: t.zxid } }));

/**
 * NEWLEADER is done: persist currentEpoch, ACK NEWLEADER, then ACK the proposals already logged.
 * With `disk=separate` the currentEpoch write is an event of its own (DISK_TIMER) and the ACKs wait
 * for it, the follower staying in phase flushing until then (followerEpochWritten).
 */
function ackNewLeader(c: Ctx, s: ZabState, role: Following, logged: readonly Txn[]): ZabStep {
  if (c.diskSeparate) {
    const then: Send<Msg>[] = [{ to: role.leader, msg: { type: 'ACKNEWLEADER', epoch: role.newEpoch } }, ...acksFor(role, logged)];
    return { state: { durable: s.durable, volatile: { ...s.volatile, role, disk: { currentEpoch: role.newEpoch, then } } }, setTimers: [DISK_TIMER] };
  }
  const durable: Durable = { ...s.durable, currentEpoch: role.newEpoch };
  const next: Following = { ...role, phase: 'acked' };
  return { state: withRole(s, next, durable), send: [{ to: role.leader, msg: { type: 'ACKNEWLEADER', epoch: role.newEpoch } }, ...acksFor(role, logged)] };
}

/** The sync thread writes its queue to the log (and, in the 4712 mutant, what a dead follower left). */
export function syncThreadWrites(c: Ctx, s: ZabState): ZabStep | undefined {
  const stray = s.volatile.strayQueue ?? [];
  const role = s.volatile.role;
  if (role.state !== 'FOLLOWING') {
    if (stray.length === 0) return undefined;
    return { state: { durable: { ...s.durable, history: [...s.durable.history, ...stray] }, volatile: { ...s.volatile, strayQueue: [] } } };
  }
  const logged = [...stray, ...role.queue];
  if (logged.length === 0) return undefined;
  const durable: Durable = { ...s.durable, history: [...s.durable.history, ...logged] };
  const state: ZabState = { durable, volatile: { ...s.volatile, role: { ...role, queue: [] }, ...(stray.length ? { strayQueue: [] } : {}) } };
  // disk=separate: the append is buffered; the flush, its own event, sends what follows (txnlog.ts).
  if (c.diskSeparate) return { state: { durable, volatile: { ...state.volatile, unflushed: [...(s.volatile.unflushed ?? []), ...logged] } } };
  return afterLogged(c, state, role, logged);
}

/** What follows the sync thread's write of `logged` (`role`: the role that queued them): the ACKs, or NEWLEADER's next step. */
export function afterLogged(c: Ctx, state: ZabState, role: Following, logged: readonly Txn[]): ZabStep {
  const durable = state.durable;
  const next = state.volatile.role as Following;
  if (role.phase === 'flushing' && state.volatile.disk !== undefined) {
    // disk=separate: the currentEpoch write is in progress; the ACKs of what was logged now follow the NEWLEADER ACK.
    const w = state.volatile.disk;
    return { state: { durable, volatile: { ...state.volatile, disk: { ...w, then: [...w.then, ...acksFor(role, logged)] } } } };
  }
  if (role.phase === 'flushing') {
    // ZK-4685 mutant: the proposals' ACKs go out before the NEWLEADER ACK.
    const early = c.behaviour.ackProposalsDuringSync ? acksFor(role, logged) : [];
    const done = ackNewLeader(c, state, next, c.behaviour.ackProposalsDuringSync ? [] : logged);
    return { ...done, send: [...early, ...(done.send ?? [])] };
  }
  if (role.phase === 'acked' || role.phase === 'broadcast') return { state, send: acksFor(role, logged) };
  return { state };
}

export function followerMessage(c: Ctx, s: ZabState, from: NodeId, msg: Msg): ZabStep | undefined {
  const role = s.volatile.role as Following;
  const d = s.durable;
  const b = c.behaviour;
  if (msg.type === 'REQUEST' && from === CLIENT) {
    if (role.phase === 'broadcast') return { state: s, send: [{ to: role.leader, msg }] };
    if (s.volatile.waiting.includes(msg.op)) return undefined;
    return { state: { durable: d, volatile: { ...s.volatile, waiting: [...s.volatile.waiting, msg.op].sort() } } };
  }
  if (from !== role.leader) return undefined;
  const illegal = (): ZabStep => followerShutdown(c, { durable: noteIllegal(d, `${describeMessage(msg)} from s${from} in phase ${role.phase} of epoch ${role.newEpoch || d.acceptedEpoch}`), volatile: s.volatile }, 'close');
  switch (msg.type) {
    case 'LEADERINFO': {
      if (role.phase !== 'discovery') return undefined;
      const reported = b.ackEpochReportsAccepted ? Math.max(d.acceptedEpoch, msg.epoch) : d.currentEpoch;
      const ack: Send<Msg> = { to: from, msg: { type: 'ACKEPOCH', currentEpoch: reported, lastZxid: reportedZxid(d, s.volatile) } };
      if (b.epochFromLog) return { state: withRole(s, { ...role, phase: 'sync' }), send: [ack] };
      // Learner.registerWithLeader: a leader's epoch below my acceptedEpoch is refused (the check a mutant skips).
      if (msg.epoch < d.acceptedEpoch && !b.skipLeaderEpochCheck) return followerShutdown(c, s, 'close');
      if (msg.epoch > d.acceptedEpoch && c.diskSeparate) {
        // disk=separate: the acceptedEpoch write is its own event, and ACKEPOCH follows it.
        return { state: { durable: d, volatile: { ...s.volatile, role: { ...role, phase: 'sync' }, disk: { acceptedEpoch: msg.epoch, then: [ack] } } }, setTimers: [DISK_TIMER] };
      }
      const durable = msg.epoch > d.acceptedEpoch ? { ...d, acceptedEpoch: msg.epoch } : d;
      return { state: withRole(s, { ...role, phase: 'sync' }, durable), send: [ack] };
    }
    case 'SYNC': {
      if (role.phase !== 'sync' || role.syncMode !== null) return illegal();
      // TRUNC cuts the log at once; DIFF txns wait in memory (packetsNotLogged) until NEWLEADER;
      // a SNAP's snapshot is written at NEWLEADER.
      const durable = msg.mode === 'TRUNC' ? { ...d, history: d.history.filter((t) => t.zxid <= msg.truncZxid) } : d;
      const base = msg.mode === 'SNAP' ? [] : msg.mode === 'TRUNC' ? durable.history : d.history;
      // ZK-3642 mutant: a DIFF builds on the unwritten snapshot still in memory (a TRUNC reloads the
      // database from disk, ZKDatabase.truncateLog, and a SNAP replaces it: both drop it).
      const inMemory = msg.mode === 'DIFF' ? (s.volatile.memSnapshot ?? []) : [];
      const lastCommitted = msg.committed.length > 0 ? lastZxidOf(msg.committed) : Math.max(lastZxidOf(base), lastZxidOf(inMemory));
      const next: Following = {
        ...role,
        syncMode: msg.mode,
        snapshot: msg.mode === 'SNAP' ? msg.committed : null,
        queue: [...(msg.mode === 'SNAP' ? [] : msg.committed), ...msg.outstanding],
        uncommitted: msg.outstanding,
        lastCommitted,
      };
      const volatile = { ...s.volatile, role: next };
      if (volatile.retained !== undefined) delete (volatile as { retained?: number }).retained;
      if (msg.mode !== 'DIFF' && volatile.memSnapshot !== undefined) delete (volatile as { memSnapshot?: readonly Txn[] }).memSnapshot;
      return { state: { durable, volatile } };
    }
    case 'NEWLEADER': {
      if (role.phase !== 'sync' || role.syncMode === null) return illegal();
      let durable = d;
      if (role.snapshot !== null) durable = { ...durable, history: role.snapshot };
      // ZK-2355 mutant: the snapshot records the leader's zxid although the DIFF is not logged yet.
      if (b.snapshotZxidEarly) durable = { ...durable, snapshotZxid: role.lastCommitted };
      // ZK-4643 mutant: currentEpoch reaches the disk before the synced txns.
      if (b.epochBeforeTxns) durable = { ...durable, currentEpoch: msg.epoch };
      const next: Following = {
        ...role,
        // ZK-4785 mutant: the proposals read during the sync, not committed yet, are not logged.
        queue: b.syncProposalsNotLogged ? role.queue.filter((t) => !role.uncommitted.some((u) => u.zxid === t.zxid)) : role.queue,
        newEpoch: msg.epoch,
        snapshot: null,
        // ZK-4394 mutant: the proposals not yet committed are forgotten here.
        uncommitted: b.newLeaderClearsUncommitted ? [] : role.uncommitted,
        phase: 'flushing',
      };
      const state = withRole(s, next, durable);
      if (b.ackBeforeLogging || b.ackWhileQueued) {
        // ZK-3911: ACK now, log at UPTODATE. ZK-4646: ACK now, the sync thread logs later.
        const done = ackNewLeader(c, state, next, []);
        return { ...done, setTimers: b.ackWhileQueued && next.queue.length > 0 ? [SYNC_TIMER] : [] };
      }
      if (next.queue.length === 0) return ackNewLeader(c, state, next, []);
      return { state, setTimers: [SYNC_TIMER] };
    }
    case 'PROPOSAL': {
      if (c.syncPackets && role.phase === 'sync' && role.syncMode !== null) {
        // sync=packets: a txn of the sync, read on its own; it waits in memory until NEWLEADER (packetsNotLogged).
        return { state: withRole(s, { ...role, queue: [...role.queue, msg.txn], uncommitted: [...role.uncommitted, msg.txn] }) };
      }
      if (role.phase === 'discovery' || role.phase === 'sync') return illegal();
      const next: Following = { ...role, queue: [...role.queue, msg.txn], uncommitted: [...role.uncommitted, msg.txn] };
      const logsNow = !(b.ackBeforeLogging && role.phase !== 'broadcast');
      return { state: withRole(s, next), setTimers: logsNow ? [SYNC_TIMER] : [] };
    }
    case 'COMMIT': {
      if (role.uncommitted.length > 0 && role.uncommitted[0].zxid === msg.zxid) {
        return { state: withRole(s, { ...role, uncommitted: role.uncommitted.slice(1), lastCommitted: msg.zxid }) };
      }
      // A COMMIT with no matching proposal: the follower cannot apply it and gives up (ZK-4394).
      return illegal();
    }
    case 'UPTODATE': {
      if (role.phase !== 'acked') return illegal();
      // With heartbeats on, a serving follower starts its syncLimit clock.
      const clock = c.syncLimit > 0 ? { silent: 0 } : {};
      const next: Following = { ...role, phase: 'broadcast', syncMode: null, ...clock };
      const setTimers = c.syncLimit > 0 ? [SYNC_LIMIT_TIMER] : [];
      // Requests that waited here go to the leader now.
      const forwarded: Send<Msg>[] = s.volatile.waiting.map((op) => ({ to: role.leader, msg: { type: 'REQUEST', op } }));
      const serving: ZabState = { durable: d, volatile: { ...s.volatile, waiting: [], role: next } };
      if (!b.ackBeforeLogging || role.queue.length === 0) return { state: serving, send: forwarded, setTimers };
      // ZK-3911 mutant: the txns of the sync are logged only now.
      const logged = role.queue;
      return { state: withRole(serving, { ...next, queue: [] }, { ...d, history: [...d.history, ...logged] }), send: [...acksFor(role, logged), ...forwarded], setTimers };
    }
    case 'PING': {
      // The leader's heartbeat: answer it and restart the syncLimit clock.
      if (role.phase !== 'broadcast' || role.silent === undefined) return undefined;
      return { state: withRole(s, { ...role, silent: 0 }), send: [{ to: from, msg: { type: 'PING' } }], setTimers: [SYNC_LIMIT_TIMER] };
    }
    case 'CLOSE':
      return followerShutdown(c, s, 'closed');
    default:
      return undefined;
  }
}

/**
 * `disk=separate`: the follower's epoch write reaches the disk (acceptedEpoch, then ACKEPOCH; or
 * currentEpoch, then the NEWLEADER ACK and the ACKs of the proposals logged meanwhile).
 */
export function followerEpochWritten(c: Ctx, s: ZabState): ZabStep | undefined {
  const w = s.volatile.disk;
  const role = s.volatile.role;
  if (w === undefined || role.state !== 'FOLLOWING') return undefined;
  const { disk: _, ...volatile } = s.volatile;
  const durable: Durable = {
    ...s.durable,
    ...(w.acceptedEpoch !== undefined ? { acceptedEpoch: w.acceptedEpoch } : {}),
    ...(w.currentEpoch !== undefined ? { currentEpoch: w.currentEpoch } : {}),
  };
  const next: Following = w.currentEpoch !== undefined && role.phase === 'flushing' ? { ...role, phase: 'acked' } : role;
  return { state: { durable, volatile: { ...volatile, role: next } }, send: [...w.then] };
}

/**
 * The serving follower's syncLimit clock (ZooKeeper's socket read timeout of syncLimit ticks): a
 * firing counts one more period without a PING; at SYNC_LIMIT the follower gives up on its leader
 * and goes back to LOOKING (closing the connection). A PING restarts the count.
 */
export function followerSyncLimitTick(c: Ctx, s: ZabState): ZabStep | undefined {
  const role = s.volatile.role;
  if (role.state !== 'FOLLOWING' || role.phase !== 'broadcast' || role.silent === undefined) return undefined;
  const silent = role.silent + 1;
  if (silent >= c.syncLimit) return followerShutdown(c, s, 'close');
  return { state: withRole(s, { ...role, silent }), setTimers: [SYNC_LIMIT_TIMER] };
}
