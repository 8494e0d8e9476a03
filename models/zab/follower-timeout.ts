// `detect=timeout`, the follower's side: a follower notices that its leader is gone only when its
// read timeout on the leader's connection fires (Learner.readPacket with syncLimit / initLimit
// ticks; an event of its own, LEADER_TIMEOUT_TIMER). Until then it still counts itself FOLLOWING:
// it answers LOOKING peers with its vote for the old leader, and what it sends that leader is lost
// (the old socket is dead). The leader's side is in leader.ts (learnerDisconnected, learnerTimeout).
import { followerShutdown } from './follower.ts';
import type { Ctx, ZabState, ZabStep } from './context.ts';
import type { Following } from './types.ts';

/** The follower's read timeout on its leader's connection. */
export const LEADER_TIMEOUT_TIMER = 'leaderTimeout';

/** The connection to the leader closed: note it, and arm the read timeout. */
export function leaderLost(s: ZabState): ZabStep {
  const role = s.volatile.role as Following;
  return { state: { durable: s.durable, volatile: { ...s.volatile, role: { ...role, leaderGone: true } } }, setTimers: [LEADER_TIMEOUT_TIMER] };
}

/** The read timeout fires: the follower gives up on its leader and goes back to LOOKING. */
export function leaderTimeout(c: Ctx, s: ZabState): ZabStep | undefined {
  const role = s.volatile.role;
  if (role.state !== 'FOLLOWING' || role.leaderGone !== true) return undefined;
  return followerShutdown(c, s, 'cut');
}

/** Packets to a leader whose connection closed go nowhere: drop them. */
export function toLiveLeader(step: ZabStep | undefined): ZabStep | undefined {
  const role = step?.state.volatile.role;
  if (step === undefined || role?.state !== 'FOLLOWING' || role.leaderGone !== true || step.send === undefined) return step;
  return { ...step, send: step.send.filter((m) => m.to !== role.leader) };
}
