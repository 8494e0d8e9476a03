// The leader's side of discovery, synchronization and broadcast (ZooKeeper's Leader and its
// LearnerHandlers): collect FOLLOWERINFO from a quorum and propose a new epoch, wait for a quorum's
// ACKEPOCH, synchronize each learner (DIFF, TRUNC or SNAP, then NEWLEADER), become established when
// a quorum acknowledged NEWLEADER, then turn client requests into proposals and commit them.
import { CLIENT, type NodeId, type Send } from '../../src/index.ts';
import { DETECT_TIMER, DISK_TIMER, FORWARD_TIMER, initClock, PING_TIMER, toAll, type Ctx, type ZabState, type ZabStep, noteIllegal } from './context.ts';
import { startLooking } from './election.ts';
import { counterOf, epochOf, lastZxidOf, NO_ZXID, zxidOf, type Durable, type Leading, type Learner, type Msg, type Proposal, type SyncMode, type Txn, type Vote, type Zxid, zxidText } from './types.ts';

const byLearner = (a: Learner, b: Learner): number => a.sid - b.sid;
const STAGES = ['info', 'epoch', 'diffed', 'synced', 'acked', 'uptodate'] as const;
const atLeast = (l: Learner, stage: Learner['stage']): boolean => STAGES.indexOf(l.stage) >= STAGES.indexOf(stage);

export function startLeading(c: Ctx, s: ZabState, round: number, vote: Vote): ZabStep {
  const clock = initClock(c);
  const role: Leading = { state: 'LEADING', round, vote, phase: 'discovery', epoch: 0, learners: [], proposals: [], ...clock.role };
  return { state: { durable: s.durable, volatile: { ...keepAcrossShutdown(s), role } }, setTimers: clock.setTimers };
}

/** What a mutant keeps from one role to the next (nothing, in the correct model). */
export function keepAcrossShutdown(s: ZabState): { waiting: readonly string[]; strayQueue?: readonly Txn[]; retained?: Zxid; memSnapshot?: readonly Txn[] } {
  const out: { waiting: readonly string[]; strayQueue?: readonly Txn[]; retained?: Zxid; memSnapshot?: readonly Txn[] } = { waiting: s.volatile.waiting };
  if (s.volatile.memSnapshot !== undefined) out.memSnapshot = s.volatile.memSnapshot;
  if (s.volatile.strayQueue !== undefined) out.strayQueue = s.volatile.strayQueue;
  if (s.volatile.retained !== undefined) out.retained = s.volatile.retained;
  return out;
}

/** The txns the leader has committed: its log without the outstanding proposals. */
export const leaderCommitted = (d: Durable, role: Leading): readonly Txn[] => d.history.slice(0, d.history.length - role.proposals.length);

/** Shut down: close every learner's connection and go back to LOOKING. */
export function leaderShutdown(c: Ctx, s: ZabState): ZabStep {
  const role = s.volatile.role as Leading;
  const extra = keepAcrossShutdown(s);
  // ZK-2845 mutant: the data tree is retained, and with it the last zxid applied to it.
  if (c.behaviour.retainDatabase) extra.retained = lastZxidOf(leaderCommitted(s.durable, role));
  return startLooking(c, s.durable, role.round + 1, extra, toAll(role.learners.map((l) => l.sid), { type: 'CLOSE' }));
}

/**
 * The sync packets for a learner that reported `peer` as its last zxid (LearnerHandler.syncFollower):
 * nothing to send when it has what we have; TRUNC when it has more; SNAP when it is behind our log's
 * first txn; DIFF from its last zxid when we have that zxid, else TRUNC to the last zxid we have
 * below it and DIFF from there (the ZK-1154 mutant sends the DIFF without the TRUNC).
 */
export function syncPackets(c: Ctx, committed: readonly Txn[], outstanding: readonly Txn[], peer: Zxid): Extract<Msg, { type: 'SYNC' }> {
  const last = lastZxidOf(committed);
  const packet = (mode: SyncMode, truncZxid: Zxid, txns: readonly Txn[]) => ({ type: 'SYNC' as const, mode, truncZxid, committed: txns, outstanding });
  if (peer === last) return packet('DIFF', 0, []);
  if (peer > last) return packet('TRUNC', last, []);
  if (peer === NO_ZXID && c.txnLogSync) return packet('DIFF', 0, committed);
  if (committed.length > 0 && peer < committed[0].zxid) return packet('SNAP', 0, committed);
  const after = committed.filter((t) => t.zxid > peer);
  if (committed.some((t) => t.zxid === peer) || c.behaviour.diffInsteadOfTrunc) return packet('DIFF', 0, after);
  const base = committed.filter((t) => t.zxid < peer);
  return packet('TRUNC', lastZxidOf(base), after);
}

function withRole(s: ZabState, role: Leading, durable: Durable = s.durable): ZabState {
  return { durable, volatile: { ...s.volatile, role } };
}

/** Learners to forward proposals and commits to: those whose sync packets went out. */
const forwarding = (role: Leading): NodeId[] => role.learners.filter((l) => atLeast(l, 'synced')).map((l) => l.sid);

/**
 * Send the sync packets and NEWLEADER to every learner of `sids` (stage 'epoch'). With
 * `sync=packets` this is only the first half, LearnerHandler.syncFollower: the DIFF / TRUNC / SNAP
 * header and each committed txn as a PROPOSAL + COMMIT pair are queued (stage 'diffed'), and the
 * second half, Leader.startForwarding, is an event of its own (FORWARD_TIMER, `startForwarding`).
 */
function syncLearners(c: Ctx, s: ZabState, role: Leading, sids: readonly NodeId[]): { role: Leading; send: Send<Msg>[]; setTimers?: string[] } {
  const committed = leaderCommitted(s.durable, role);
  const outstanding = role.proposals.map((p) => p.txn);
  const send: Send<Msg>[] = [];
  const learners = role.learners.map((l): Learner => {
    if (!sids.includes(l.sid)) return l;
    const sync = syncPackets(c, committed, outstanding, l.lastZxid);
    if (c.syncPackets) {
      send.push(...packetsOf(l.sid, { ...sync, outstanding: [] }));
      return { ...l, stage: 'diffed', diffedTo: lastZxidOf(committed) };
    }
    send.push({ to: l.sid, msg: sync });
    send.push({ to: l.sid, msg: { type: 'NEWLEADER', epoch: role.epoch } });
    return { ...l, stage: 'synced' };
  });
  return { role: { ...role, learners }, send, ...(c.syncPackets && sids.length > 0 ? { setTimers: [FORWARD_TIMER] } : {}) };
}

/**
 * `sync=packets`: a sync segment as the separate packets LearnerHandler queues: the DIFF / TRUNC /
 * SNAP header (a SNAP carries its snapshot), then each committed txn of a DIFF as PROPOSAL + COMMIT,
 * then each outstanding txn as a PROPOSAL.
 */
function packetsOf(to: NodeId, sync: Extract<Msg, { type: 'SYNC' }>): Send<Msg>[] {
  const header: Send<Msg> = { to, msg: { ...sync, committed: sync.mode === 'SNAP' ? sync.committed : [], outstanding: [] } };
  const pairs = sync.mode === 'SNAP' ? [] : sync.committed.flatMap((txn): Send<Msg>[] => [{ to, msg: { type: 'PROPOSAL', txn } }, { to, msg: { type: 'COMMIT', zxid: txn.zxid } }]);
  return [header, ...pairs, ...sync.outstanding.map((txn): Send<Msg> => ({ to, msg: { type: 'PROPOSAL', txn } }))];
}

/**
 * `sync=packets`, the LearnerHandler's second step (Leader.startForwarding): for every learner
 * whose DIFF is queued, queue what was committed since the DIFF was computed (PROPOSAL + COMMIT)
 * and the outstanding proposals, add it to the forwarding set, and send NEWLEADER. The ZK-962
 * mutant forgets the txns committed in between: the learner never gets them.
 */
export function startForwarding(c: Ctx, s: ZabState): ZabStep | undefined {
  const role = s.volatile.role;
  if (role.state !== 'LEADING' || !role.learners.some((l) => l.stage === 'diffed')) return undefined;
  const committed = leaderCommitted(s.durable, role);
  const send: Send<Msg>[] = [];
  const learners = role.learners.map((l): Learner => {
    if (l.stage !== 'diffed') return l;
    const since = c.behaviour.forwardingMissesCommits ? [] : committed.filter((t) => t.zxid > (l.diffedTo ?? 0));
    for (const txn of since) send.push({ to: l.sid, msg: { type: 'PROPOSAL', txn } }, { to: l.sid, msg: { type: 'COMMIT', zxid: txn.zxid } });
    for (const p of role.proposals) send.push({ to: l.sid, msg: { type: 'PROPOSAL', txn: p.txn } });
    send.push({ to: l.sid, msg: { type: 'NEWLEADER', epoch: role.epoch } });
    const { diffedTo: _, ...rest } = l;
    return { ...rest, stage: 'synced' };
  });
  return { state: withRole(s, { ...role, learners }), send };
}

/** Established: the initial history is committed, and learners that acknowledged NEWLEADER are told UPTODATE. */
function establish(s: ZabState, role: Leading): { state: ZabState; send: Send<Msg>[] } {
  const d = s.durable;
  const known = new Set(d.committed.map((t) => t.zxid));
  const committed = [...d.committed, ...d.history.filter((t) => !known.has(t.zxid))];
  const durable: Durable = { ...d, established: [...d.established, role.epoch], committed };
  const send: Send<Msg>[] = [];
  const learners = role.learners.map((l) => {
    if (l.stage !== 'acked') return l;
    send.push({ to: l.sid, msg: { type: 'UPTODATE' } });
    return { ...l, stage: 'uptodate' as const };
  });
  return { state: withRole(s, { ...role, phase: 'broadcast', learners }, durable), send };
}

/** Commit outstanding proposals, in zxid order, while the oldest has a quorum of ACKs. */
function commitReady(c: Ctx, s: ZabState, role: Leading): { state: ZabState; send: Send<Msg>[] } {
  let proposals = role.proposals;
  let committed = s.durable.committed;
  const send: Send<Msg>[] = [];
  while (proposals.length > 0 && proposals[0].acks.length >= c.quorum) {
    committed = [...committed, proposals[0].txn];
    send.push(...toAll(forwarding(role), { type: 'COMMIT', zxid: proposals[0].txn.zxid }));
    proposals = proposals.slice(1);
  }
  if (proposals === role.proposals) return { state: s, send };
  return { state: withRole(s, { ...role, proposals }, { ...s.durable, committed }), send };
}

/** `disk=separate`: the leader's own log flush is done; it ACKs the proposals of `zxids` to itself and commits what has a quorum. */
export function ownAcks(c: Ctx, s: ZabState, zxids: readonly Zxid[]): ZabStep {
  const role = s.volatile.role as Leading;
  const proposals = role.proposals.map((p): Proposal => (zxids.includes(p.txn.zxid) && !p.acks.includes(c.id) ? { ...p, acks: [...p.acks, c.id].sort((x, y) => x - y) } : p));
  const next: Leading = { ...role, proposals };
  return commitReady(c, withRole(s, next), next);
}

/** Drop a learner (its connection closed); shut down when the rest is no longer a quorum. */
export function loseLearner(c: Ctx, s: ZabState, sid: NodeId, close: boolean): ZabStep | undefined {
  const role = s.volatile.role as Leading;
  if (!role.learners.some((l) => l.sid === sid)) return undefined;
  const learners = role.learners.filter((l) => l.sid !== sid);
  const next = withRole(s, { ...role, learners });
  const supporters = role.phase === 'broadcast' ? learners.filter((l) => atLeast(l, 'acked')).length : learners.length;
  if (1 + supporters < c.quorum) return leaderShutdown(c, next);
  return { state: next, send: close ? [{ to: sid, msg: { type: 'CLOSE' } }] : [] };
}

/**
 * A learner's connection closed (it crashed or is cut off). With `detect=disconnect` the leader
 * drops it at once; with `detect=timeout` the leader learns it only when that learner's
 * LearnerHandler times out (initLimit / syncLimit without a packet: DETECT_TIMER, its own event), and
 * until then it still counts the learner, in its quorums and its sets of acknowledgements.
 */
export function learnerDisconnected(c: Ctx, s: ZabState, sid: NodeId): ZabStep | undefined {
  const role = s.volatile.role as Leading;
  if (c.detect === 'disconnect') return loseLearner(c, s, sid, false);
  if (!role.learners.some((l) => l.sid === sid) || (role.gone ?? []).includes(sid)) return undefined;
  return { state: withRole(s, { ...role, gone: [...(role.gone ?? []), sid].sort((a, b) => a - b) }), setTimers: [DETECT_TIMER] };
}

/** `detect=timeout`: the read timeouts fire for the learners whose connection closed; each is dropped. */
export function learnerTimeout(c: Ctx, s: ZabState): ZabStep | undefined {
  const role = s.volatile.role;
  if (role.state !== 'LEADING' || (role.gone ?? []).length === 0) return undefined;
  const { gone, ...rest } = role;
  let step: ZabStep = { state: withRole(s, rest) };
  for (const sid of gone ?? []) {
    if (step.state.volatile.role.state !== 'LEADING') break;
    const next = loseLearner(c, step.state, sid, false);
    if (next !== undefined) step = { ...next, send: [...(step.send ?? []), ...(next.send ?? [])] };
  }
  return step;
}

/** `detect=timeout`: a learner we still count as gone connected again (a new LearnerHandler): forget the old connection's timeout. */
function reconnected(role: Leading, sid: NodeId): Leading {
  if (!(role.gone ?? []).includes(sid)) return role;
  const gone = (role.gone ?? []).filter((g) => g !== sid);
  const { gone: _, ...rest } = role;
  return gone.length === 0 ? rest : { ...rest, gone };
}

/** Packets to a learner whose connection closed go nowhere (the old socket is dead): drop them. */
export function withoutGone(step: ZabStep | undefined): ZabStep | undefined {
  const role = step?.state.volatile.role;
  if (step === undefined || role?.state !== 'LEADING' || (role.gone ?? []).length === 0 || step.send === undefined) return step;
  return { ...step, send: step.send.filter((m) => !(role.gone ?? []).includes(m.to)) };
}

/**
 * `disk=separate`: the epoch write in progress reaches the disk (Leader / Learner write
 * acceptedEpoch and currentEpoch to their files before the packet that depends on them), then the
 * packets held for it leave.
 */
export function epochWritten(c: Ctx, s: ZabState): ZabStep | undefined {
  const w = s.volatile.disk;
  if (w === undefined) return undefined;
  const { disk: _, ...volatile } = s.volatile;
  const durable: Durable = {
    ...s.durable,
    ...(w.acceptedEpoch !== undefined ? { acceptedEpoch: w.acceptedEpoch } : {}),
    ...(w.currentEpoch !== undefined ? { currentEpoch: w.currentEpoch } : {}),
  };
  const written: ZabStep = { state: { durable, volatile }, send: [...w.then] };
  // The leader's currentEpoch is on disk: if a quorum already acknowledged NEWLEADER, it is established (waitForNewLeaderAck).
  const role = volatile.role;
  if (w.currentEpoch === undefined || role.state !== 'LEADING' || role.phase !== 'sync' || 1 + role.learners.filter((l) => l.stage === 'acked').length < c.quorum) return written;
  const e = establish(written.state, role);
  return serveWaiting(c, { state: e.state, send: [...w.then, ...e.send], setTimers: heartbeat(c) });
}

/** Once established, propose the client requests that waited at this server. */
function serveWaiting(c: Ctx, step: ZabStep): ZabStep {
  const s = step.state;
  const role = s.volatile.role as Leading;
  if (role.phase !== 'broadcast' || s.volatile.waiting.length === 0) return step;
  let state: ZabState = { durable: s.durable, volatile: { ...s.volatile, waiting: [] } };
  const send = [...(step.send ?? [])];
  for (const op of s.volatile.waiting) {
    const next = leaderMessage(c, state, CLIENT, { type: 'REQUEST', op });
    if (next === undefined) continue;
    state = next.state;
    send.push(...(next.send ?? []));
  }
  return { ...step, state, send };
}

/** With heartbeats on, an established leader arms its PING_TIMER. */
const heartbeat = (c: Ctx): string[] => (c.syncLimit > 0 ? [PING_TIMER] : []);

/**
 * The leader's heartbeat (ZooKeeper's Leader.lead loop, with tickTime/2 PINGs and the check of its
 * synced followers): the learners that answered the previous PING count, with the leader, towards a
 * quorum; without one it goes back to LOOKING. Otherwise it PINGs those learners again (a learner
 * whose PING is outstanding gets none: one PING per learner in flight) and re-arms the timer.
 */
export function leaderPing(c: Ctx, s: ZabState): ZabStep | undefined {
  const role = s.volatile.role;
  if (role.state !== 'LEADING' || role.phase !== 'broadcast') return undefined;
  const serving = role.learners.filter((l) => l.stage === 'uptodate').map((l) => l.sid);
  const outstanding = role.pinged ?? [];
  const answered = serving.filter((sid) => !outstanding.includes(sid));
  if (1 + answered.length < c.quorum) return leaderShutdown(c, s);
  return { state: withRole(s, { ...role, pinged: serving }), send: toAll(answered, { type: 'PING' }), setTimers: [PING_TIMER] };
}

function chooseEpoch(c: Ctx, d: Durable, learners: readonly Learner[]): number {
  if (c.behaviour.epochFromLog) return epochOf(lastZxidOf(d.history)) + 1;
  if (c.behaviour.epochNotAboveQuorum) return d.acceptedEpoch + 1;
  return Math.max(d.acceptedEpoch, ...learners.map((l) => l.acceptedEpoch)) + 1;
}

export function leaderMessage(c: Ctx, s: ZabState, from: NodeId, msg: Msg): ZabStep | undefined {
  const role = s.volatile.role as Leading;
  const d = s.durable;
  const learner = role.learners.find((l) => l.sid === from);
  switch (msg.type) {
    case 'FOLLOWERINFO': {
      const entry: Learner = { sid: from, stage: 'info', acceptedEpoch: msg.acceptedEpoch, currentEpoch: 0, lastZxid: msg.lastZxid };
      const learners = [...role.learners.filter((l) => l.sid !== from), entry].sort(byLearner);
      // A new LearnerHandler: the learner's ACKs of the old connection no longer count (it may truncate
      // what it acknowledged; see the README, "Stale ACKs"). ZooKeeper keeps them (the switch).
      const fresh = c.behaviour.staleAcksCount ? role : { ...role, proposals: role.proposals.map((p): Proposal => (p.acks.includes(from) ? { ...p, acks: p.acks.filter((a) => a !== from) } : p)) };
      const joined = reconnected(fresh, from);
      if (role.epoch > 0) {
        const info: Send<Msg> = { to: from, msg: { type: 'LEADERINFO', epoch: role.epoch } };
        // disk=separate: while the acceptedEpoch write is in progress, LEADERINFO waits for it.
        if (s.volatile.disk?.acceptedEpoch !== undefined && !c.behaviour.leaderInfoBeforeEpochWrite) return { state: { durable: d, volatile: { ...s.volatile, role: { ...joined, learners }, disk: { ...s.volatile.disk, then: [...s.volatile.disk.then, info] } } } };
        return { state: withRole(s, { ...joined, learners }), send: [info] };
      }
      if (1 + learners.length < c.quorum) return { state: withRole(s, { ...joined, learners }) };
      // A quorum is connected: propose an epoch above every acceptedEpoch it reported.
      const epoch = chooseEpoch(c, d, learners);
      const infos = toAll(learners.map((l) => l.sid), { type: 'LEADERINFO', epoch });
      const next: Leading = { ...joined, epoch, learners };
      if (c.diskSeparate && !c.behaviour.epochFromLog) {
        // Leader.getEpochToPropose writes acceptedEpoch, then the LearnerHandlers send LEADERINFO.
        // ZK-1291 mutant: LEADERINFO leaves first, the write follows as its own event.
        const early = c.behaviour.leaderInfoBeforeEpochWrite;
        return { state: { durable: d, volatile: { ...s.volatile, role: next, disk: { acceptedEpoch: epoch, then: early ? [] : infos } } }, send: early ? infos : [], setTimers: [DISK_TIMER] };
      }
      const durable = c.behaviour.epochFromLog ? d : { ...d, acceptedEpoch: epoch };
      return { state: withRole(s, next, durable), send: infos };
    }
    case 'ACKEPOCH': {
      if (learner === undefined || learner.stage !== 'info' || role.epoch === 0) return undefined;
      const updated: Learner = { ...learner, stage: 'epoch', currentEpoch: msg.currentEpoch, lastZxid: msg.lastZxid };
      let next: Leading = { ...role, learners: role.learners.map((l) => (l.sid === from ? updated : l)) };
      if (role.phase !== 'discovery') {
        const synced = syncLearners(c, s, next, [from]);
        return { state: withRole(s, synced.role), send: synced.send, setTimers: synced.setTimers };
      }
      const acked = next.learners.filter((l) => l.stage === 'epoch');
      if (1 + acked.length < c.quorum) return { state: withRole(s, next) };
      // A quorum accepted the epoch. A learner more up to date than we are means we should not lead.
      const ours = [d.currentEpoch, lastZxidOf(d.history)] as const;
      const ahead = acked.some((l) => l.currentEpoch > ours[0] || (l.currentEpoch === ours[0] && l.lastZxid > ours[1]));
      if (ahead && !c.behaviour.skipEpochAckCheck) return leaderShutdown(c, withRole(s, next));
      // disk=separate: Leader.lead writes currentEpoch while the LearnerHandlers already sync; it is
      // its own event, and the leader is established only once it is on disk (a write already in
      // progress, which only the ZK-1291 mutant leaves, makes this one synchronous, as before).
      const separate = c.diskSeparate && s.volatile.disk === undefined && !c.behaviour.broadcastBeforeQuorum;
      const durable: Durable = separate ? d : { ...d, currentEpoch: role.epoch };
      next = { ...next, phase: c.behaviour.broadcastBeforeQuorum ? 'broadcast' : 'sync' };
      let state = withRole(s, next, durable);
      if (separate) state = { durable, volatile: { ...state.volatile, disk: { currentEpoch: role.epoch, then: [] } } };
      const send: Send<Msg>[] = [];
      if (c.behaviour.broadcastBeforeQuorum) {
        // MUTANT: established at once, before any learner acknowledged NEWLEADER.
        const e = establish(state, next);
        state = e.state;
        send.push(...e.send);
        next = state.volatile.role as Leading;
      }
      const synced = syncLearners(c, state, next, acked.map((l) => l.sid));
      const timers = [...(c.behaviour.broadcastBeforeQuorum ? heartbeat(c) : []), ...(synced.setTimers ?? []), ...(separate ? [DISK_TIMER] : [])];
      return serveWaiting(c, { state: withRole(state, synced.role), send: [...send, ...synced.send], setTimers: timers });
    }
    case 'ACKNEWLEADER': {
      if (learner === undefined || learner.stage !== 'synced' || msg.epoch !== role.epoch) return undefined;
      const learners = role.learners.map((l) => (l.sid === from ? { ...l, stage: 'acked' as const } : l));
      const next: Leading = { ...role, learners };
      if (role.phase === 'broadcast') {
        const uptodate: Leading = { ...next, learners: learners.map((l) => (l.sid === from ? { ...l, stage: 'uptodate' as const } : l)) };
        return { state: withRole(s, uptodate), send: [{ to: from, msg: { type: 'UPTODATE' } }] };
      }
      if (1 + learners.filter((l) => l.stage === 'acked').length < c.quorum || s.volatile.disk?.currentEpoch !== undefined) return { state: withRole(s, next) };
      const e = establish(withRole(s, next), next);
      return serveWaiting(c, { state: e.state, send: e.send, setTimers: heartbeat(c) });
    }
    case 'ACK': {
      if (learner === undefined) return undefined;
      if (!atLeast(learner, 'acked')) {
        // LearnerHandler expects the NEWLEADER ACK first; anything else ends the connection (ZK-4685).
        const noted = { durable: noteIllegal(d, `ACK(${zxidText(msg.zxid)}) from s${from} before its NEWLEADER ACK`), volatile: s.volatile };
        return loseLearner(c, noted, from, true) ?? { state: noted };
      }
      const at = role.proposals.findIndex((p) => p.txn.zxid === msg.zxid);
      if (at < 0 || role.proposals[at].acks.includes(from)) return undefined;
      const proposals = role.proposals.map((p, i): Proposal => (i === at ? { ...p, acks: [...p.acks, from].sort((x, y) => x - y) } : p));
      const next: Leading = { ...role, proposals };
      const out = commitReady(c, withRole(s, next), next);
      return { state: out.state, send: out.send };
    }
    case 'REQUEST': {
      if (role.phase !== 'broadcast') {
        if (from !== CLIENT || s.volatile.waiting.includes(msg.op)) return undefined;
        return { state: { durable: d, volatile: { ...s.volatile, waiting: [...s.volatile.waiting, msg.op].sort() } } };
      }
      if (d.history.some((t) => t.op === msg.op)) return undefined;
      const last = lastZxidOf(d.history);
      const zxid = epochOf(last) === role.epoch ? zxidOf(role.epoch, counterOf(last) + 1) : zxidOf(role.epoch, 1);
      const txn: Txn = { zxid, op: msg.op };
      if (c.diskSeparate) {
        // disk=separate: the leader's SyncRequestProcessor appends the txn (buffered) and ACKs it to
        // the leader itself only after its flush, an event of its own (txnlog.ts).
        const next: Leading = { ...role, proposals: [...role.proposals, { txn, acks: [] }] };
        const state: ZabState = { durable: { ...d, history: [...d.history, txn] }, volatile: { ...s.volatile, role: next, unflushed: [...(s.volatile.unflushed ?? []), txn] } };
        return { state, send: toAll(forwarding(role), { type: 'PROPOSAL', txn }) };
      }
      // The leader logs its own proposal at once and counts its own ACK (see index.ts).
      const next: Leading = { ...role, proposals: [...role.proposals, { txn, acks: [c.id] }] };
      const state = withRole(s, next, { ...d, history: [...d.history, txn] });
      const out = commitReady(c, state, next);
      return { state: out.state, send: [...toAll(forwarding(role), { type: 'PROPOSAL', txn }), ...out.send] };
    }
    case 'PING': {
      // A learner answers our PING: it counts at the next heartbeat.
      if (learner === undefined || role.pinged === undefined || !role.pinged.includes(from)) return undefined;
      return { state: withRole(s, { ...role, pinged: role.pinged.filter((sid) => sid !== from) }) };
    }
    case 'CLOSE':
      return loseLearner(c, s, from, false);
    default:
      return undefined;
  }
}
