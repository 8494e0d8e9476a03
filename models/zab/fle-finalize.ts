// FastLeaderElection's finalizeWait (`fle=finalize`), following FastLeaderElection.lookForLeader:
// once the round's votes hold a quorum for the server's own vote (hasAllQuorums) it does not decide
// at once. It polls its queue for finalizeWait ms: a notification that is not better than its vote
// is taken off the queue and dropped; a better one is put back and ends the wait, and the main loop
// then handles it (adopts it, re-sends, records it). Only when the wait passes with nothing better
// does it decide. Here the window is the flag `finalizing` on the LOOKING role and its end is the
// timer FINALIZE_TIMER, an event of its own: with deliveries and timers weakly fair, a better
// notification may win the race against the timer every time, which is how ZOOKEEPER-1419's votes
// that beat each other keep an election from settling (README, "The election at full grain").
import type { NodeId } from '../../src/index.ts';
import { FINALIZE_TIMER, POLL_TIMER, type Ctx, type ZabState, type ZabStep } from './context.ts';
import { answerLookingPeer, answerTo, betterVote, decide, lookingNotification } from './election.ts';
import type { Durable, Looking, Msg } from './types.ts';

type Notification = Extract<Msg, { type: 'NOTIFICATION' }>;

/** `role` with the window closed. */
function closed(role: Looking): Looking {
  const { finalizing: _, ...rest } = role;
  return rest;
}

/**
 * A notification reaches a LOOKING server whose finalizeWait is running, or that has a notification
 * put back in its queue. Put back: the main loop polls that one first (requeuedPolled), then this
 * one is handled as it would be in the state that leaves.
 */
export function finalizingNotification(c: Ctx, s: ZabState, from: NodeId, msg: Notification): ZabStep | undefined {
  const me = s.volatile.role as Looking;
  if (me.requeued === undefined) return windowNotification(c, s, from, msg);
  const polled = requeuedPolled(c, s) ?? { state: s };
  const role = polled.state.volatile.role;
  const next =
    role.state !== 'LOOKING' ? answerLookingPeer(polled.state, from, msg)
    : role.finalizing ? windowNotification(c, polled.state, from, msg)
    : lookingNotification(c, polled.state, from, msg);
  return next === undefined ? polled : chained(polled, next);
}

/**
 * During finalizeWait. Not better than the vote: dropped (lookForLeader's inner poll loop takes it
 * off the queue; WorkerReceiver still answers a LOOKING peer of an earlier round, and here a worse
 * vote of this round is answered too: see lostVoteAnswer in the README). Better: the window closes
 * and the notification goes back to the queue (`requeued`), for the main loop's next poll, its own
 * event (POLL_TIMER); only then is it adopted, and a window may open again for the new vote.
 */
function windowNotification(c: Ctx, s: ZabState, from: NodeId, msg: Notification): ZabStep | undefined {
  const me = s.volatile.role as Looking;
  const order = c.behaviour;
  if (!betterVote(msg.vote, me.vote, order)) {
    if (msg.state !== 'LOOKING' || msg.round > me.round) return undefined;
    if (msg.round === me.round && !betterVote(me.vote, msg.vote, order)) return undefined;
    return { state: s, send: [answerTo(from, me)] };
  }
  const role: Looking = { ...closed(me), requeued: [from, msg] };
  return { state: { durable: s.durable, volatile: { ...s.volatile, role } }, cancelTimers: [FINALIZE_TIMER], setTimers: [POLL_TIMER] };
}

/** The main loop polls the notification put back in the queue and handles it as any other. */
export function requeuedPolled(c: Ctx, s: ZabState): ZabStep | undefined {
  const me = s.volatile.role;
  if (me.state !== 'LOOKING' || me.requeued === undefined) return undefined;
  const { requeued: [from, msg], ...rest } = me;
  const state = { durable: s.durable, volatile: { ...s.volatile, role: rest } };
  return lookingNotification(c, state, from, msg) ?? { state };
}

/** Two steps of one server as one: the second's state, both sends, the timers as the second leaves them. */
function chained(first: ZabStep, second: ZabStep): ZabStep {
  const set = new Set(first.setTimers ?? []);
  const cancel = new Set(first.cancelTimers ?? []);
  for (const t of second.cancelTimers ?? []) (set.delete(t), cancel.add(t));
  for (const t of second.setTimers ?? []) (cancel.delete(t), set.add(t));
  return { state: second.state, send: [...(first.send ?? []), ...(second.send ?? [])], setTimers: [...set], cancelTimers: [...cancel] };
}

/** finalizeWait passed with nothing better: the server decides for its vote (setPeerState, leaveInstance). */
export function finalizeWaitPassed(c: Ctx, s: ZabState): ZabStep | undefined {
  const me = s.volatile.role;
  if (me.state !== 'LOOKING' || !me.finalizing) return undefined;
  return decide(c, { durable: s.durable, volatile: { ...s.volatile, role: closed(me) } }, me.round, me.vote);
}

/**
 * `start=lost-epoch`: the disk of server `id` of `servers` after an epoch-1 attempt that died before
 * any NEWLEADER was acknowledged. Its leader, the second-highest server, had every server's
 * ACKEPOCH, so all accepted epoch 1 and the leader wrote currentEpoch 1 (Leader.lead does at the
 * ACKEPOCH quorum); no txn was logged. Votes then carry the same zxid 0.0 and different epochs, the
 * trigger of ZOOKEEPER-1419, without spending a crash (a crash budget would let every election
 * stall where ZooKeeper's initLimit and notification timeouts, absent here, would restart it).
 */
export function lostEpochDisk(empty: Durable, id: NodeId, servers: number): Durable {
  return { ...empty, acceptedEpoch: 1, currentEpoch: id === servers - 2 ? 1 : 0 };
}
