// What every handler of a Zab server needs to know: who it is, its peers, the quorum, the variant.
import type { NodeId, NodeState, Send, Step } from '../../src/index.ts';
import { lastZxidOf, type Behaviour, type Durable, type Msg, type Volatile, type Zxid } from './types.ts';

export type ZabStep = Step<Durable, Volatile, Msg>;
export type ZabState = NodeState<Durable, Volatile>;

export interface Ctx {
  readonly id: NodeId;
  readonly servers: number;
  readonly quorum: number;
  /** Every other server, in order. */
  readonly peers: readonly NodeId[];
  readonly behaviour: Behaviour;
  /**
   * true: FastLeaderElection as ZooKeeper runs it (a server re-sends its vote whenever it adopts a
   * better one, and decides when a quorum agrees). false: each server sends its vote once per
   * round and decides for the best vote it heard (see index.ts).
   */
  readonly fle: boolean;
  /**
   * `fle=finalize` (with `fle` true): a quorum agreeing with the vote opens FastLeaderElection's
   * finalizeWait window, its own event (FINALIZE_TIMER), instead of deciding at once (fle-finalize.ts).
   */
  readonly finalizeWait: boolean;
  /** An empty learner is synchronized by a DIFF of the whole log rather than a SNAP (see index.ts). */
  readonly txnLogSync: boolean;
  /**
   * ZooKeeper's initLimit, in ticks of INIT_TIMER: a leader not established, or a follower not
   * UPTODATE, after this many ticks since it left the election goes back to LOOKING. 0: no
   * timeouts (exhaustive checks; see index.ts).
   */
  readonly initLimit: number;
  /**
   * Heartbeats (`liveness=true`): an established leader's PING_TIMER sends PING to its learners, and a
   * serving follower goes back to LOOKING after this many firings of SYNC_LIMIT_TIMER without a
   * PING. 0: no heartbeats (exhaustive checks; see index.ts).
   */
  readonly syncLimit: number;
  /** How a leader notices a lost learner (see index.ts, "Grains"). */
  readonly detect: 'disconnect' | 'timeout';
  /** `sync=packets`: the sync as separate packets and LearnerHandler steps (see index.ts, "Grains"). */
  readonly syncPackets: boolean;
  /** `disk=separate`: epoch writes as their own events (see index.ts, "Grains"). */
  readonly diskSeparate: boolean;
}

export const SYNC_TIMER = 'sync';
/** The initLimit / syncLimit clock of a leader or follower that is not serving yet. */
export const INIT_TIMER = 'init';
/** FastLeaderElection's notification timeout: a LOOKING server re-sends its vote to the peers it has not heard from. */
export const NOTIFY_TIMER = 'notify';
/** `fle=finalize`: finalizeWait passed with no better notification; the LOOKING server decides. */
export const FINALIZE_TIMER = 'finalize';
/** `fle=finalize`: lookForLeader's main loop polls the better notification that ended finalizeWait. */
export const POLL_TIMER = 'poll';
/** An established leader's heartbeat: PING the learners that answered the last PING, count who did. */
export const PING_TIMER = 'ping';
/** A serving follower's clock for its leader's PINGs (ZooKeeper's syncLimit read timeout). */
export const SYNC_LIMIT_TIMER = 'syncLimit';
/** `detect=timeout`: a leader's LearnerHandler read timeout fires for the learners whose connection closed. */
export const DETECT_TIMER = 'learnerTimeout';
/** `sync=packets`: the LearnerHandler, its DIFF queued, starts forwarding (Leader.startForwarding) and sends NEWLEADER. */
export const FORWARD_TIMER = 'startForwarding';
/** `disk=separate`: the epoch file write in progress reaches the disk, and the packets held for it leave. */
export const DISK_TIMER = 'epochWrite';
/** syncLimit in SYNC_LIMIT_TIMER firings without a PING, when heartbeats are on (`liveness=true`). */
export const SYNC_LIMIT = 2;
/** initLimit in INIT_TIMER ticks when timeouts are on (`liveness=true`). */
export const INIT_LIMIT = 4;

/** What a leader or follower starts with: its tick count and the armed INIT_TIMER, when timeouts are on. */
export const initClock = (c: Ctx): { role: { ticks?: number }; setTimers: string[] } =>
  c.initLimit > 0 ? { role: { ticks: 0 }, setTimers: [INIT_TIMER] } : { role: {}, setTimers: [] };

export const toAll = (ids: readonly NodeId[], msg: Msg): Send<Msg>[] => ids.map((to) => ({ to, msg }));

/**
 * The last zxid a server reports in its vote and its FOLLOWERINFO / ACKEPOCH: the last txn of its
 * log. The ZK-2845 mutant reports the data tree it retained instead; the ZK-2355 mutant trusts the
 * zxid its snapshot recorded.
 */
export function reportedZxid(d: Durable, v: Volatile | null): Zxid {
  if (v?.retained !== undefined) return v.retained;
  // ZK-3642 mutant: lastProcessedZxid is the unwritten snapshot's when it is ahead of the log.
  if (v?.memSnapshot !== undefined) return Math.max(lastZxidOf(d.history), lastZxidOf(v.memSnapshot), d.snapshotZxid ?? 0);
  return Math.max(lastZxidOf(d.history), d.snapshotZxid ?? 0);
}

/** Record the first illegal packet a server received (ghost), as the mixed-grained specs do. */
export const noteIllegal = (d: Durable, what: string): Durable => (d.illegal === null ? { ...d, illegal: what } : d);
