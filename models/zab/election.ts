// Fast leader election (ZooKeeper's FastLeaderElection, simplified as index.ts says): LOOKING
// servers exchange notifications carrying their vote and election round; a vote is replaced by any
// better one (the total order below); a server decides when a quorum of the round's votes agree
// with its own, or when a quorum of servers already out of the election names the same leader.
import type { NodeId, Send } from '../../src/index.ts';
import { DETECT_TIMER, DISK_TIMER, FINALIZE_TIMER, FORWARD_TIMER, POLL_TIMER, INIT_TIMER, NOTIFY_TIMER, PING_TIMER, reportedZxid, SYNC_LIMIT_TIMER, SYNC_TIMER, toAll, type Ctx, type ZabState, type ZabStep } from './context.ts';
import { startFollowing } from './follower.ts';
import { leaderMessage, startLeading } from './leader.ts';
import { zxidText, type Behaviour, type Durable, type Looking, type Msg, type ServerState, type Volatile, type Vote } from './types.ts';

/** The switches that change the vote order (a variant's behaviour, or NORMAL for ZooKeeper's). */
export type VoteOrder = Pick<Behaviour, 'voteOrderIgnoresEpoch' | 'voteOrderIgnoresZxid'>;

/**
 * ZooKeeper's totalOrderPredicate: is `a` a better vote than `b`? By epoch, then zxid, then server
 * id. The ZK-1419 mutant drops `a.epoch === b.epoch` from the last clause, so a vote with a lower
 * epoch but a higher id beats one with a higher epoch and the same zxid, and votes can cycle. The
 * zxid-blind mutant is still a total order, but of (epoch, id): the highest id of the latest epoch
 * wins whatever its log holds.
 */
export function betterVote(a: Vote, b: Vote, order: VoteOrder): boolean {
  if (order.voteOrderIgnoresZxid) return a.epoch > b.epoch || (a.epoch === b.epoch && a.leader > b.leader);
  if (order.voteOrderIgnoresEpoch) return a.epoch > b.epoch || (a.epoch === b.epoch && a.zxid > b.zxid) || (a.zxid === b.zxid && a.leader > b.leader);
  if (a.epoch !== b.epoch) return a.epoch > b.epoch;
  return a.zxid > b.zxid || (a.zxid === b.zxid && a.leader > b.leader);
}

export const sameVote = (a: Vote, b: Vote): boolean => a.leader === b.leader && a.zxid === b.zxid && a.epoch === b.epoch;

const selfVote = (c: Ctx, d: Durable, v: Volatile | null): Vote => ({ leader: c.id, zxid: reportedZxid(d, v), epoch: d.currentEpoch });

function withVote<T extends readonly [NodeId, ...unknown[]]>(list: readonly T[], entry: T): T[] {
  return [...list.filter((e) => e[0] !== entry[0]), entry].sort((x, y) => x[0] - y[0]);
}

/**
 * GHOST for NoVoteCircle (full FLE only): a LOOKING server in `role` adopts `vote` in its round. A
 * vote for another server it adopted earlier in this round (and has left since) closes a circle,
 * noted once in durable state; else the vote joins the round's list. Votes for itself are not
 * listed (as in SandTable's historyVotes).
 */
function adopt(c: Ctx, d: Durable, role: Looking, vote: Vote): { durable: Durable; adopted: readonly Vote[] | undefined } {
  const adopted = role.adopted ?? [];
  if (!c.fle || c.finalizeWait || vote.leader === c.id) return { durable: d, adopted: role.adopted };
  if (adopted.some((v) => sameVote(v, vote))) {
    const circle = `s${c.id} adopted (leader ${vote.leader}, zxid ${zxidText(vote.zxid)}, epoch ${vote.epoch}) again in round ${role.round}`;
    return { durable: d.voteCircle === undefined ? { ...d, voteCircle: circle } : d, adopted };
  }
  return { durable: d, adopted: [...adopted, vote] };
}

/** `role` with the ghost list of adopted votes set (the field left out when empty). */
function withAdopted(role: Looking, adopted: readonly Vote[] | undefined): Looking {
  const { adopted: _, ...rest } = role;
  return adopted === undefined || adopted.length === 0 ? rest : { ...rest, adopted };
}

/** The timers of the finer grains a server cancels when it goes back to LOOKING (none in the coarse grain). */
const grainTimers = (c: Ctx): string[] => [
  ...(c.detect === 'timeout' ? [DETECT_TIMER] : []),
  ...(c.syncPackets ? [FORWARD_TIMER] : []),
  ...(c.diskSeparate ? [DISK_TIMER] : []),
];

/**
 * Go (back) to LOOKING in election round `round`: vote for yourself and tell every peer. `extra`
 * carries what survives a shutdown in a mutant (the 4712 sync queue, the 2845 retained tree);
 * `before` what the server sends on its way out (CLOSE on the connections it shuts down).
 */
export function startLooking(c: Ctx, d: Durable, round: number, extra: Partial<Volatile> & { waiting: readonly string[] }, before: readonly Send<Msg>[] = [], lost: readonly NodeId[] = []): ZabStep {
  const volatile: Volatile = { ...extra, role: { state: 'LOOKING', round, vote: { leader: c.id, zxid: 0, epoch: 0 }, votes: [], outOfElection: [], early: [], lost } };
  const vote = selfVote(c, d, volatile);
  const role: Looking = { state: 'LOOKING', round, vote, votes: [[c.id, vote]], outOfElection: [], early: [], lost };
  const keepsQueue = volatile.strayQueue !== undefined && volatile.strayQueue.length > 0;
  return {
    state: { durable: d, volatile: { ...volatile, role } },
    send: [...before, ...toAll(c.peers, { type: 'NOTIFICATION', vote, round, state: 'LOOKING' })],
    cancelTimers: [...(keepsQueue ? [] : [SYNC_TIMER]), INIT_TIMER, PING_TIMER, SYNC_LIMIT_TIMER, ...grainTimers(c)],
    setTimers: c.initLimit > 0 ? [NOTIFY_TIMER] : [],
  };
}

/**
 * FastLeaderElection's notification timeout (with timeouts on, `liveness=true`): a LOOKING server
 * re-sends its vote to every peer (lookForLeader's sendNotifications on a poll timeout), and
 * re-arms the timer. To every peer, not only the silent ones: a peer that restarted while this
 * server's vote was on its way has lost it, and nothing else would tell it (ZooKeeper's
 * QuorumCnxManager keeps the last message per peer and sends it when the connection comes up).
 * Sending only to the silent ones left full FLE (`fle=full`) stuck with the best vote known to its
 * holder alone (see the README, "Liveness").
 */
export function lookingResend(c: Ctx, s: ZabState): ZabStep | undefined {
  const me = s.volatile.role;
  if (me.state !== 'LOOKING') return undefined;
  return { state: s, send: toAll(c.peers, { type: 'NOTIFICATION', vote: me.vote, round: me.round, state: 'LOOKING' }), setTimers: [NOTIFY_TIMER] };
}

/**
 * The round's votes decide: a quorum agrees with our vote, and every peer still connected has been
 * heard from (in this round, or out of the election). This stands for FLE's finalizeWait, taken as
 * long enough for the notifications of every connected peer to arrive (see index.ts).
 */
function canDecide(c: Ctx, role: Looking): boolean {
  // Peers whose FOLLOWERINFO waits here follow us: they count as votes for us (ZooKeeper's learner
  // would give up connecting and come back to the election with that vote).
  const followers = role.early.filter(([sid]) => !role.votes.some(([v]) => v === sid)).length;
  const voters = c.fle ? role.votes.filter(([, v]) => sameVote(v, role.vote)).length + (role.vote.leader === c.id ? followers : 0) : role.votes.length + followers;
  if (voters < c.quorum) return false;
  // With finalizeWait modelled (fle=finalize) a quorum is all ZooKeeper's hasAllQuorums asks.
  if (c.finalizeWait) return true;
  // A peer's FOLLOWERINFO (kept in `early`) says it left the election to follow us: heard too.
  const heard = (p: NodeId) =>
    role.lost.includes(p) || role.votes.some(([sid]) => sid === p) || role.outOfElection.some(([sid]) => sid === p) || role.early.some(([sid]) => sid === p);
  return c.peers.every(heard);
}

/**
 * After a LOOKING server's state changed: decide if the round's votes allow it, or with
 * finalizeWait modelled (fle=finalize) open the window instead (FINALIZE_TIMER, fle-finalize.ts),
 * and close an open window whose quorum is gone.
 */
function settle(c: Ctx, s: ZabState, role: Looking): ZabStep {
  const state = { durable: s.durable, volatile: { ...s.volatile, role } };
  const can = canDecide(c, role);
  if (!c.finalizeWait) return can ? decide(c, state, role.round, role.vote) : { state };
  // A notification put back in the queue is polled before the window can open (fle-finalize.ts).
  if (can && role.requeued === undefined) return { state: { durable: s.durable, volatile: { ...s.volatile, role: { ...role, finalizing: true } } }, setTimers: [FINALIZE_TIMER] };
  if (role.finalizing === undefined) return { state };
  const { finalizing: _, ...open } = role;
  return { state: { durable: s.durable, volatile: { ...s.volatile, role: open } }, cancelTimers: [FINALIZE_TIMER] };
}

/** A LOOKING server lost its connection to `peer`: it stops waiting for it, and may now decide. */
export function lookingDisconnect(c: Ctx, s: ZabState, peer: NodeId): ZabStep {
  const me = s.volatile.role as Looking;
  // Votes for the lost peer no longer count: we fall back to the best vote of those still reachable
  // (ZooKeeper would decide for it, fail to connect, and come back to the election).
  const votes = me.votes.filter(([sid]) => sid !== peer);
  let vote = me.vote;
  if (vote.leader === peer) {
    vote = selfVote(c, s.durable, s.volatile);
    for (const [sid, v] of votes) if (sid !== c.id && v.leader !== peer && betterVote(v, vote, c.behaviour)) vote = v;
  }
  const base: Looking = {
    ...me, vote, votes: withVote(votes, [c.id, vote]), outOfElection: me.outOfElection.filter(([sid]) => sid !== peer),
    lost: [...me.lost.filter((p) => p !== peer), peer].sort((a, b) => a - b),
  };
  // A fallback stands for ZooKeeper's failed connection and new election: the ghost list restarts.
  const role = vote === me.vote ? base : withAdopted(base, c.fle && !c.finalizeWait && vote.leader !== c.id ? [vote] : undefined);
  return settle(c, s, role);
}

/**
 * A LOOKING server can reach `peer` again (a partition healed): it sends the peer its current vote,
 * as FastLeaderElection re-sends its notifications until they get through, and waits to hear from
 * it again (a LOOKING peer does the same; a FOLLOWING or LEADING one answers with its vote).
 */
export function lookingConnect(s: ZabState, peer: NodeId): ZabStep {
  const me = s.volatile.role as Looking;
  const role: Looking = { ...me, lost: me.lost.filter((p) => p !== peer) };
  return {
    state: { durable: s.durable, volatile: { ...s.volatile, role } },
    send: [{ to: peer, msg: { type: 'NOTIFICATION', vote: me.vote, round: me.round, state: 'LOOKING' } }],
  };
}

/**
 * A LOOKING server has decided on `vote`: lead, taking the FOLLOWERINFOs that arrived early, or
 * follow, refusing them.
 */
export function decide(c: Ctx, s: ZabState, round: number, vote: Vote): ZabStep {
  const step = decided(c, s, round, vote);
  if (!c.finalizeWait) return step;
  // fle=finalize has no notification timeout in exhaustive checks: the decision goes to every peer,
  // standing for ZooKeeper's answer to a LOOKING peer's next re-sent vote (whose own vote this
  // server may have dropped during finalizeWait, or that restarted and lost it).
  const state: ServerState = vote.leader === c.id ? 'LEADING' : 'FOLLOWING';
  const cancelTimers = [...(step.cancelTimers ?? []), FINALIZE_TIMER, POLL_TIMER];
  return { ...step, send: [...toAll(c.peers, { type: 'NOTIFICATION', vote, round, state }), ...(step.send ?? [])], cancelTimers };
}

function decided(c: Ctx, s: ZabState, round: number, vote: Vote): ZabStep {
  const early = (s.volatile.role as Looking).early;
  if (vote.leader !== c.id) {
    const step = startFollowing(c, s, round, vote);
    return { ...step, send: [...early.map(([sid]) => ({ to: sid, msg: { type: 'CLOSE' } as Msg })), ...(step.send ?? [])] };
  }
  let step = startLeading(c, s, round, vote);
  const sends: Send<Msg>[] = [];
  for (const [sid, info] of early) {
    const next = leaderMessage(c, step.state, sid, info);
    if (next === undefined) continue;
    step = next;
    sends.push(...(next.send ?? []));
  }
  return { ...step, send: sends };
}

/** A FOLLOWERINFO reaches a LOOKING server: keep it until this server decides (which it may now). */
export function lookingFollowerInfo(c: Ctx, s: ZabState, from: NodeId, msg: Extract<Msg, { type: 'FOLLOWERINFO' }>): ZabStep {
  const me = s.volatile.role as Looking;
  const early = [...me.early.filter(([sid]) => sid !== from), [from, msg] as const].sort((a, b) => a[0] - b[0]);
  const role: Looking = { ...me, early, lost: me.lost.filter((p) => p !== from) };
  return settle(c, s, role);
}

/** A notification reaches a LOOKING server. */
export function lookingNotification(c: Ctx, s: ZabState, from: NodeId, msg: Extract<Msg, { type: 'NOTIFICATION' }>): ZabStep | undefined {
  const me = s.volatile.role as Looking;
  const order = c.behaviour;
  const tell = (vote: Vote, round: number) => toAll(c.peers, { type: 'NOTIFICATION', vote, round, state: 'LOOKING' } as Msg);
  if (msg.state === 'LOOKING') {
    if (msg.round < me.round) {
      // The sender is behind: answer with our notification so it catches up.
      return { state: s, send: [{ to: from, msg: { type: 'NOTIFICATION', vote: me.vote, round: me.round, state: 'LOOKING' } }] };
    }
    let role: Looking;
    let changed: boolean;
    let durable = s.durable;
    if (msg.round > me.round) {
      const own = selfVote(c, s.durable, s.volatile);
      const vote = betterVote(msg.vote, own, order) ? msg.vote : own;
      role = { state: 'LOOKING', round: msg.round, vote, votes: withVote([[c.id, vote]], [from, msg.vote]), outOfElection: me.outOfElection, early: me.early, lost: me.lost };
      role = withAdopted(role, adopt(c, durable, role, vote).adopted);
      changed = true;
    } else {
      changed = betterVote(msg.vote, me.vote, order);
      const vote = changed ? msg.vote : me.vote;
      role = { ...me, vote, votes: withVote(withVote(me.votes, [c.id, vote]), [from, msg.vote]) };
      if (changed) {
        const noted = adopt(c, durable, me, vote);
        durable = noted.durable;
        role = withAdopted(role, noted.adopted);
      }
    }
    role = { ...role, lost: role.lost.filter((p) => p !== from) };
    // The changed vote goes out first, even when it decides the election at once.
    const told = changed && (c.fle || msg.round > me.round) ? tell(role.vote, role.round) : [];
    // fle=finalize: a worse vote of this round is answered (lostVoteAnswer in fle-finalize.ts).
    const answer = !changed && c.finalizeWait && betterVote(me.vote, msg.vote, order) ? [answerTo(from, me)] : [];
    const step = settle(c, { durable, volatile: s.volatile }, role);
    return { ...step, send: [...told, ...answer, ...(step.send ?? [])] };
  }
  // The sender is FOLLOWING or LEADING: it may name an established leader we should join.
  const outOfElection = withVote(me.outOfElection, [from, msg.vote, msg.state] as const);
  const leaderSays = (leader: NodeId): boolean => outOfElection.some(([sid, , st]) => sid === leader && st === 'LEADING');
  // Servers already following or leading that name this leader; ZooKeeper needs a quorum of them
  // without counting itself. In one-vote elections we count ourselves: a LEADING leader may still
  // be waiting for us to form its quorum.
  const agreeing = outOfElection.filter(([, v]) => sameVote(v, msg.vote)).length + (c.fle ? 0 : 1);
  const role: Looking = { ...me, outOfElection, lost: me.lost.filter((p) => p !== from) };
  if (agreeing >= c.quorum && msg.vote.leader !== c.id && leaderSays(msg.vote.leader)) {
    return decide(c, { durable: s.durable, volatile: { ...s.volatile, role } }, msg.round, msg.vote);
  }
  // Hearing from this peer may be what the round's own decision was waiting for.
  return settle(c, s, role);
}

/** A LOOKING server's notification to `to`, with its vote and round. */
export const answerTo = (to: NodeId, me: Looking): Send<Msg> => ({ to, msg: { type: 'NOTIFICATION', vote: me.vote, round: me.round, state: 'LOOKING' } });

/** A FOLLOWING or LEADING server answers a LOOKING peer with the vote it settled on. */
export function answerLookingPeer(s: ZabState, from: NodeId, msg: Extract<Msg, { type: 'NOTIFICATION' }>): ZabStep | undefined {
  if (msg.state !== 'LOOKING') return undefined;
  const role = s.volatile.role;
  if (role.state === 'LOOKING') return undefined;
  const state: ServerState = role.state;
  return { state: s, send: [{ to: from, msg: { type: 'NOTIFICATION', vote: role.vote, round: role.round, state } }] };
}
