// Zab's data: zxids, transactions, votes, the packets servers exchange, and a server's durable and
// volatile state. See index.ts for the prose account of the protocol and its simplifications.
import type { NodeId, Send } from '../../src/index.ts';
import type { ClientsRecord, ServerSessions, SessionMsg, SessionScript } from './session-types.ts';
import type { StartKind } from './starts.ts';

/**
 * A zxid is (epoch, counter), ordered epoch first, and is stored as the number epoch.counter
 * (epoch 1, counter 2 is the number 1.2), so that the state view, the badges and every message
 * read it the same way, `1.2`, and numeric order is ZooKeeper's order. 0 means "no transaction".
 * Epochs and counters stay below 10 (the model's bounds keep them far smaller), and a zxid is only
 * ever made by `zxidOf` (the nearest double to epoch + counter/10, the same number each time), never
 * by arithmetic on another zxid, so equal zxids are equal numbers.
 */
export type Zxid = number;
export const NO_ZXID: Zxid = 0;
export const zxidOf = (epoch: number, counter: number): Zxid => (epoch * 10 + counter) / 10;
export const epochOf = (z: Zxid): number => Math.floor(Math.round(z * 10) / 10);
export const counterOf = (z: Zxid): number => Math.round(z * 10) % 10;
export const zxidText = (z: Zxid): string => `${epochOf(z)}.${counterOf(z)}`;

/** A logged transaction: its zxid and the client operation it carries (see datatree.ts). */
export interface Txn {
  readonly zxid: Zxid;
  readonly op: string;
}

/** A fast-leader-election vote: the proposed leader and what it last had (peerEpoch, zxid). */
export interface Vote {
  readonly leader: NodeId;
  readonly zxid: Zxid;
  /** The proposed leader's currentEpoch (ZooKeeper's peerEpoch). */
  readonly epoch: number;
}

export type ServerState = 'LOOKING' | 'FOLLOWING' | 'LEADING';
export type SyncMode = 'DIFF' | 'TRUNC' | 'SNAP';

export type Msg =
  /** Election notification: my vote, my election round, my state. */
  | { readonly type: 'NOTIFICATION'; readonly vote: Vote; readonly round: number; readonly state: ServerState }
  /** Client -> server, or follower -> leader: a write to turn into a transaction. */
  | { readonly type: 'REQUEST'; readonly op: string }
  /** Discovery, follower -> leader: my acceptedEpoch and last zxid. */
  | { readonly type: 'FOLLOWERINFO'; readonly acceptedEpoch: number; readonly lastZxid: Zxid }
  /** Discovery, leader -> follower: the new epoch. */
  | { readonly type: 'LEADERINFO'; readonly epoch: number }
  /** Discovery, follower -> leader: epoch accepted; my currentEpoch and last zxid. */
  | { readonly type: 'ACKEPOCH'; readonly currentEpoch: number; readonly lastZxid: Zxid }
  /**
   * Synchronization, leader -> follower: DIFF, TRUNC (to `truncZxid`, then the diff) or SNAP, with
   * the PROPOSAL + COMMIT pairs of the committed txns that follow (`committed`; for SNAP the whole
   * snapshot) and the PROPOSALs of the leader's outstanding txns (`outstanding`), as one segment.
   */
  | { readonly type: 'SYNC'; readonly mode: SyncMode; readonly truncZxid: Zxid; readonly committed: readonly Txn[]; readonly outstanding: readonly Txn[] }
  | { readonly type: 'NEWLEADER'; readonly epoch: number }
  /** Follower -> leader: the ACK of NEWLEADER. */
  | { readonly type: 'ACKNEWLEADER'; readonly epoch: number }
  | { readonly type: 'UPTODATE' }
  | { readonly type: 'PROPOSAL'; readonly txn: Txn }
  | { readonly type: 'ACK'; readonly zxid: Zxid }
  | { readonly type: 'COMMIT'; readonly zxid: Zxid }
  /** Heartbeat (with `liveness=true`): leader -> follower, and the follower's answer back. */
  | { readonly type: 'PING' }
  /** The end of a connection a server shut down on purpose (a TCP FIN: it follows what was sent). */
  | { readonly type: 'CLOSE' }
  /** `sessions=true` only: client requests and replies, forwarded writes and syncs (session-types.ts). */
  | SessionMsg;

export interface Durable {
  /** The epoch this server last acknowledged in a LEADERINFO (or proposed, as leader). */
  readonly acceptedEpoch: number;
  /** The epoch of the last NEWLEADER this server acknowledged (or established, as leader). */
  readonly currentEpoch: number;
  /** The transaction log, in zxid order. */
  readonly history: readonly Txn[];
  /** GHOST: epochs this server established as leader (a quorum acknowledged its NEWLEADER). */
  readonly established: readonly number[];
  /** GHOST: txns this server committed as leader, in commit order. */
  readonly committed: readonly Txn[];
  /** GHOST: the first packet this server received that its state did not allow, if any. */
  readonly illegal: string | null;
  /** GHOST: the highest zxid this server has served to clients (its applied prefix's last txn), 0 if none. */
  readonly readZxid: Zxid;
  /** Only in the ZK-2355 mutant: the lastProcessedZxid a snapshot recorded. */
  readonly snapshotZxid?: Zxid;
  /**
   * GHOST, full FLE (`fle=full`) only: the first vote this server adopted a second time in one election
   * round, having left it in between (a vote circle; see NoVoteCircle in properties.ts). Absent if none.
   */
  readonly voteCircle?: string;
  /** `sessions=true`, the client node only: its history (session-types.ts). Servers never have it. */
  readonly clients?: ClientsRecord;
}

export interface Looking {
  readonly state: 'LOOKING';
  /** The election round (ZooKeeper's logicalclock). */
  readonly round: number;
  readonly vote: Vote;
  /** Votes of LOOKING peers in this round (self included), sorted by server. */
  readonly votes: readonly (readonly [NodeId, Vote])[];
  /** Votes of FOLLOWING / LEADING peers (ZooKeeper's outofelection), sorted by server. */
  readonly outOfElection: readonly (readonly [NodeId, Vote, ServerState])[];
  /** FOLLOWERINFOs that arrived before this server decided (the learner retries its connection). */
  readonly early: readonly (readonly [NodeId, Extract<Msg, { type: 'FOLLOWERINFO' }>])[];
  /** Peers whose connection closed (crashed or cut off) and that have not been heard from since, sorted. */
  readonly lost: readonly NodeId[];
  /**
   * GHOST, full FLE (`fle=full`) only: the votes for other servers this server adopted in this round,
   * in order (SandTable's historyVotes), to tell a vote circle. Absent when empty.
   */
  readonly adopted?: readonly Vote[];
  /** `fle=finalize` only: a quorum agrees with the vote and finalizeWait is running (FINALIZE_TIMER armed). */
  readonly finalizing?: true;
  /** `fle=finalize` only: the better notification that ended finalizeWait, back in the queue (POLL_TIMER armed). */
  readonly requeued?: readonly [NodeId, Extract<Msg, { type: 'NOTIFICATION' }>];
}

/** What the leader knows of one learner (ZooKeeper's LearnerHandler). */
export interface Learner {
  readonly sid: NodeId;
  /**
   * info: FOLLOWERINFO in; epoch: ACKEPOCH in; diffed (`sync=packets` only): the DIFF / TRUNC / SNAP
   * of the committed log queued, forwarding not started yet; synced: sync packets and NEWLEADER
   * sent; acked: NEWLEADER acknowledged; uptodate: UPTODATE sent.
   */
  readonly stage: 'info' | 'epoch' | 'diffed' | 'synced' | 'acked' | 'uptodate';
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  readonly lastZxid: Zxid;
  /** `sync=packets`, stage diffed: the last committed zxid the queued DIFF / SNAP reached. */
  readonly diffedTo?: Zxid;
}

export interface Proposal {
  readonly txn: Txn;
  /** Servers whose ACK the leader counted (itself included), sorted. */
  readonly acks: readonly NodeId[];
}

export interface Leading {
  readonly state: 'LEADING';
  readonly round: number;
  readonly vote: Vote;
  /** discovery: choosing the epoch; sync: synchronizing learners; broadcast: established. */
  readonly phase: 'discovery' | 'sync' | 'broadcast';
  /** The new epoch, once chosen (0 before). */
  readonly epoch: number;
  readonly learners: readonly Learner[];
  /** Outstanding proposals, in zxid order. */
  readonly proposals: readonly Proposal[];
  /** With initLimit timeouts only (`liveness=true`): INIT_TIMER ticks spent before being established. */
  readonly ticks?: number;
  /** With heartbeats only (`liveness=true`): learners whose last PING is not answered yet, sorted. */
  readonly pinged?: readonly NodeId[];
  /**
   * `detect=timeout` only: learners whose connection closed and that this leader has not noticed
   * yet (its LearnerHandler's read timeout has not fired), sorted. They still count.
   */
  readonly gone?: readonly NodeId[];
}

export interface Following {
  readonly state: 'FOLLOWING';
  readonly round: number;
  readonly vote: Vote;
  readonly leader: NodeId;
  /**
   * discovery: FOLLOWERINFO sent; sync: LEADERINFO acknowledged, waiting for or reading the sync
   * packets; flushing: NEWLEADER read, waiting for the sync thread; acked: NEWLEADER acknowledged;
   * broadcast: UPTODATE read.
   */
  readonly phase: 'discovery' | 'sync' | 'flushing' | 'acked' | 'broadcast';
  /** The epoch of the NEWLEADER being handled (0 before). */
  readonly newEpoch: number;
  /** Txns received but not yet on disk: the sync thread's queue, in order. */
  readonly queue: readonly Txn[];
  /** Proposals received but not yet committed (ZooKeeper's packetsNotCommitted), in order. */
  readonly uncommitted: readonly Txn[];
  /** The last txn applied to the data tree. */
  readonly lastCommitted: Zxid;
  /** A SNAP's snapshot, until NEWLEADER writes it to disk. */
  readonly snapshot: readonly Txn[] | null;
  /** How this follower is being synchronized (until UPTODATE). */
  readonly syncMode: SyncMode | null;
  /** With initLimit timeouts only (`liveness=true`): INIT_TIMER ticks spent before UPTODATE. */
  readonly ticks?: number;
  /** With heartbeats only (`liveness=true`): firings of the syncLimit timer since the last PING. */
  readonly silent?: number;
  /**
   * `detect=timeout` only: the connection to the leader closed and this follower has not noticed yet
   * (its read timeout, the event `leaderTimeout`, has not fired): it still counts as FOLLOWING.
   */
  readonly leaderGone?: true;
}

export type Role = Looking | Leading | Following;

/**
 * `disk=separate` only: an epoch file write this server has started and not finished, and the
 * packets that must follow it (ZooKeeper writes acceptedEpoch / currentEpoch before it answers).
 * Its own event, the timer DISK_TIMER; lost with the rest of volatile state on a crash or shutdown.
 */
export interface PendingWrite {
  readonly acceptedEpoch?: number;
  readonly currentEpoch?: number;
  /** Packets sent once the write is on disk. */
  readonly then: readonly Send<Msg>[];
}

export interface Volatile {
  readonly role: Role;
  /**
   * Client requests that reached this server while it was not serving, sorted: the client retries
   * at this server until it serves (lost if the server crashes).
   */
  readonly waiting: readonly string[];
  /**
   * Only in the ZK-4712 mutant: the sync thread's queue, kept across a shutdown (in the correct
   * model a follower's queue lives in `Following` and is dropped with it).
   */
  readonly strayQueue?: readonly Txn[];
  /** Only in the ZK-2845 mutant: the last zxid of the data tree retained across a shutdown. */
  readonly retained?: Zxid;
  /**
   * Only in the ZK-3642 mutant: a SNAP's snapshot, loaded into the in-memory database but never
   * written (the leader was lost before NEWLEADER), kept across the shutdown until a later SNAP or
   * a restart. The ZK-5094 mutant keeps here its truncated log and the txns its interrupted TRUNC
   * sync applied after it.
   */
  readonly memSnapshot?: readonly Txn[];
  /**
   * With timeouts only (`liveness=true`): one entry per CLOSE this server sent and whose answering
   * CLOSE has not arrived, sorted. Until it arrives, that peer's packets of the old session are
   * dropped (NOTIFICATIONs excepted); see protocol.ts.
   */
  readonly draining?: readonly NodeId[];
  /** `disk=separate` only: the epoch write in progress (see PendingWrite). */
  readonly disk?: PendingWrite;
  /**
   * `disk=separate` only: txns this server appended to its txn log and has not flushed yet
   * (SyncRequestProcessor's toFlush), in order; their ACKs wait for the flush (txnlog.ts).
   */
  readonly unflushed?: readonly Txn[];
  /** `sessions=true` only: the requests of this server's clients (sessions.ts). */
  readonly sessions?: ServerSessions;
}

/** What a variant changes, as switches read by the handlers. */
export interface Behaviour {
  /** ZK-335: the new epoch is the leader's last zxid's epoch + 1, not agreed with a quorum. */
  readonly epochFromLog: boolean;
  /** Protocol mistake: the new epoch is the leader's acceptedEpoch + 1, ignoring the learners'. */
  readonly epochNotAboveQuorum: boolean;
  /**
   * Protocol mistake (only with epochNotAboveQuorum, to show what stops it): the leader skips
   * waitForEpochAck's check that no learner of the discovery quorum is more up to date than itself.
   */
  readonly skipEpochAckCheck: boolean;
  /** ZK-1154: DIFF from the follower's last zxid even when the leader does not have it. */
  readonly diffInsteadOfTrunc: boolean;
  /** ZK-1419: the vote order compares ids without checking that the epochs are equal. */
  readonly voteOrderIgnoresEpoch: boolean;
  /**
   * Planted mistake: the vote order compares epochs, then ids, never the last zxid, so a server whose
   * log lacks a committed txn can win the election (waitForEpochAck then refuses it: a livelock).
   */
  readonly voteOrderIgnoresZxid: boolean;
  /** ZK-2355: the snapshot taken at NEWLEADER records the leader's zxid before the DIFF is logged. */
  readonly snapshotZxidEarly: boolean;
  /** ZK-2845: after a shutdown the server keeps its data tree and reports its last applied zxid. */
  readonly retainDatabase: boolean;
  /** ZK-3911: NEWLEADER is acknowledged at once; the DIFF's txns are logged only at UPTODATE. */
  readonly ackBeforeLogging: boolean;
  /** ZK-4394: NEWLEADER clears the proposals not yet committed. */
  readonly newLeaderClearsUncommitted: boolean;
  /** ZK-4643: currentEpoch is persisted when NEWLEADER arrives, before the synced txns. */
  readonly epochBeforeTxns: boolean;
  /** ZK-4646: the NEWLEADER ACK leaves while the synced txns wait in the sync thread's queue. */
  readonly ackWhileQueued: boolean;
  /** ZK-4685: the sync thread ACKs proposals it logs before the NEWLEADER ACK went out. */
  readonly ackProposalsDuringSync: boolean;
  /** ZK-4712: the sync thread keeps logging its queue after the follower shut down. */
  readonly syncThreadSurvivesShutdown: boolean;
  /** Protocol mistake: the leader broadcasts before a quorum acknowledged NEWLEADER. */
  readonly broadcastBeforeQuorum: boolean;
  /**
   * ZK-962 (`sync=packets`): when the leader starts forwarding to a learner whose DIFF was queued,
   * it sends the outstanding proposals but not the txns committed since the DIFF was computed.
   */
  readonly forwardingMissesCommits: boolean;
  /** ZK-1291 (`disk=separate`): the leader sends LEADERINFO before its acceptedEpoch write is on disk. */
  readonly leaderInfoBeforeEpochWrite: boolean;
  /**
   * The follower's check that the leader's epoch is not below its acceptedEpoch (Learner.registerWithLeader:
   * "Leaders epoch ... is less than accepted epoch") is skipped.
   */
  readonly skipLeaderEpochCheck: boolean;
  /** ZK-3642: a SNAP's snapshot loaded but not written survives the follower's shutdown and is reported and built on. */
  readonly snapshotKeptInMemory: boolean;
  /**
   * ZK-4882 (`disk=separate`, disk faults): after its txn-log write failed the server shuts down but
   * keeps its in-memory database, ahead of its log, and reports its last applied zxid.
   */
  readonly keepDatabaseAfterDiskError: boolean;
  /**
   * ZooKeeper's own behaviour, found unsafe at `disk=separate`: a learner's ACKs of outstanding
   * proposals still count after it reconnected (a new LearnerHandler) and truncated what it acknowledged.
   */
  readonly staleAcksCount: boolean;
  /**
   * ZK-1208 (`sessions=true`): the leader's PrepRequestProcessor checks only that the session is still
   * tracked, not that it is closing, so a create prepared after the session's closeSession is accepted.
   */
  readonly sessionCheckIgnoresClosing: boolean;
  /**
   * Test mistake (`sessions=true`, no variant): a follower answers a sync() at once, without the
   * leader's SYNCREPLY, so the read after it may miss a write that already returned.
   */
  readonly syncServedLocally: boolean;
  /**
   * `sessions=true`, `reconnect=true`: a server accepts a reconnecting session although the client has
   * seen a zxid above the server's last applied one (ZooKeeperServer.processConnectRequest's check skipped).
   */
  readonly connectIgnoresLastZxid: boolean;
  /**
   * ZK-5094 (`sync=packets`): the txns a TRUNC sync applied to the in-memory database before
   * NEWLEADER (its DIFF part) survive the follower's shutdown, unwritten; it reports and builds on them.
   */
  readonly truncSyncKeptInMemory: boolean;
  /**
   * ZK-4785 (`sync=packets`): at NEWLEADER the proposals read during the sync (packetsNotLogged) are
   * not handed to the sync thread; NEWLEADER is ACKed without them on disk and they are never logged.
   */
  readonly syncProposalsNotLogged: boolean;
  /** Planted mistake: ACKEPOCH carries the follower's acceptedEpoch (the epoch it just accepted) where its currentEpoch belongs. */
  readonly ackEpochReportsAccepted?: boolean;
}

export interface ZabConfig {
  readonly servers: number;
  /** The client operations, request i sent to server i mod servers at the start. */
  readonly requests: readonly string[];
  /** Include the progress targets only (for liveness checking): see properties.ts. */
  readonly livenessTargets: boolean;
  /** Full FastLeaderElection (re-send on every better vote) rather than one vote per round. */
  readonly fle: boolean;
  /** With `fle`: finalizeWait as an event of its own (`fle=finalize`, fle-finalize.ts). */
  readonly finalizeWait: boolean;
  /** The disks the servers start from (starts.ts): empty, `lost-epoch` (fle-finalize.ts), `orphan-txn` or `missed-txn`. */
  readonly start: StartKind;
  /** An empty learner gets a DIFF of the whole log (ZooKeeper's txnlog sync) rather than a SNAP. */
  readonly txnLogSync: boolean;
  /** INIT_TIMER ticks a leader waits to be established, a follower to be UPTODATE (0: no timeouts). */
  readonly initLimit: number;
  /** Heartbeats (PING) on: a follower's syncLimit in timer firings without a PING (0: no heartbeats). */
  readonly syncLimit: number;
  /** How a leader notices a lost learner: at once (`disconnect`) or by its own timeout event (`timeout`). */
  readonly detect: 'disconnect' | 'timeout';
  /** A learner's sync as separate packets, and the LearnerHandler's DIFF and start of forwarding as two events. */
  readonly syncPackets: boolean;
  /** Epoch file writes (acceptedEpoch, currentEpoch) as events of their own before the packet they precede. */
  readonly diskSeparate: boolean;
  /** `sessions=true`: the client sessions (a client node after the servers); empty otherwise. */
  readonly sessions?: readonly SessionScript[];
  readonly behaviour: Behaviour;
}

export const NORMAL: Behaviour = Object.freeze({
  epochFromLog: false,
  epochNotAboveQuorum: false,
  skipEpochAckCheck: false,
  diffInsteadOfTrunc: false,
  voteOrderIgnoresEpoch: false,
  voteOrderIgnoresZxid: false,
  snapshotZxidEarly: false,
  retainDatabase: false,
  ackBeforeLogging: false,
  newLeaderClearsUncommitted: false,
  epochBeforeTxns: false,
  ackWhileQueued: false,
  ackProposalsDuringSync: false,
  syncThreadSurvivesShutdown: false,
  broadcastBeforeQuorum: false,
  forwardingMissesCommits: false,
  leaderInfoBeforeEpochWrite: false,
  skipLeaderEpochCheck: false,
  snapshotKeptInMemory: false,
  keepDatabaseAfterDiskError: false,
  staleAcksCount: false,
  sessionCheckIgnoresClosing: false,
  syncServedLocally: false,
  connectIgnoresLastZxid: false,
  truncSyncKeptInMemory: false,
  syncProposalsNotLogged: false,
});

export const lastZxidOf = (history: readonly Txn[]): Zxid => (history.length === 0 ? NO_ZXID : history[history.length - 1].zxid);
export const quorumOf = (servers: number): number => Math.floor(servers / 2) + 1;
export const sortedIds = (ids: readonly NodeId[]): NodeId[] => [...ids].sort((a, b) => a - b);

export function describeMessage(m: Msg): string {
  const txns = (ts: readonly Txn[]) => `[${ts.map((t) => `${zxidText(t.zxid)} ${t.op}`).join(', ')}]`;
  switch (m.type) {
    case 'NOTIFICATION':
      return `NOTIFICATION(leader ${m.vote.leader}, zxid ${zxidText(m.vote.zxid)}, epoch ${m.vote.epoch}; round ${m.round}, ${m.state})`;
    case 'REQUEST':
      return `REQUEST(${m.op})`;
    case 'FOLLOWERINFO':
      return `FOLLOWERINFO(acceptedEpoch ${m.acceptedEpoch}, last ${zxidText(m.lastZxid)})`;
    case 'LEADERINFO':
      return `LEADERINFO(epoch ${m.epoch})`;
    case 'ACKEPOCH':
      return `ACKEPOCH(currentEpoch ${m.currentEpoch}, last ${zxidText(m.lastZxid)})`;
    case 'SYNC':
      return `${m.mode}${m.mode === 'TRUNC' ? ` to ${zxidText(m.truncZxid)}` : ''} ${txns(m.committed)}${m.outstanding.length ? ` + proposals ${txns(m.outstanding)}` : ''}`;
    case 'NEWLEADER':
      return `NEWLEADER(epoch ${m.epoch})`;
    case 'ACKNEWLEADER':
      return `ACK(NEWLEADER ${m.epoch})`;
    case 'UPTODATE':
      return 'UPTODATE';
    case 'PROPOSAL':
      return `PROPOSAL(${zxidText(m.txn.zxid)} ${m.txn.op})`;
    case 'ACK':
      return `ACK(${zxidText(m.zxid)})`;
    case 'COMMIT':
      return `COMMIT(${zxidText(m.zxid)})`;
    case 'PING':
      return 'PING';
    case 'CLOSE':
      return 'CLOSE';
    case 'CREQUEST':
    case 'FORWARD':
      return `${m.type}(${m.session}#${m.cxid} ${m.op})`;
    case 'CREPLY':
      return `CREPLY(${m.session}#${m.cxid} -> ${JSON.stringify(m.output)}, zxid ${zxidText(m.zxid)})`;
    case 'CACCEPT':
    case 'CDISCONNECT':
      return `${m.type}(${m.session})`;
    case 'SYNCREPLY':
      return `SYNCREPLY(${m.session}#${m.cxid})`;
  }
}
