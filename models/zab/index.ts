/**
 * zab — a ZooKeeper ensemble running Zab, as actors on TCP-like channels: fast leader election,
 * discovery, synchronization and broadcast at the grain of ZooKeeper's implementation, with clients
 * writing znodes, crashes, restarts and partitions under budgets, and ZooKeeper's own bugs as
 * mutants.
 *
 * Sources: F. Junqueira, B. Reed, M. Serafini, "Zab: High-performance broadcast for primary-backup
 * systems" (DSN 2011), for the phases and the properties; A. Medeiros, "ZooKeeper's atomic
 * broadcast protocol: theory and practice" (2012), for how the implementation merges phases;
 * ZooKeeper's `zookeeper-specifications/` and the mixed-grained TLA+ specifications of
 * Disalg-ICS-NJU/zookeeper-tla-spec and AlphaCanisMajoris/zookeeper-tla-spec, for the actions at
 * the implementation's grain, the properties' names and each bug's trigger; ZooKeeper's JIRA for the
 * bugs (ZOOKEEPER-335, 962, 1154, 1291, 1419, 2355, 2845, 3642, 3911, 4394, 4643, 4646, 4685, 4712,
 * 4785, 5094).
 *
 * Servers s0..s{n-1}. A zxid is (epoch, counter), written epoch.counter, ordered epoch first, and
 * stored as that very number (1.2), so the state view, the lane badges and the messages all read
 * `1.2` (types.ts). Each lane's badge in the HTML view: role, currentEpoch and phase (or election
 * round), the last logged zxid, the last committed (applied) zxid.
 *
 * Durable (on disk, survives a crash): acceptedEpoch, currentEpoch, the txn log `history`.
 * Volatile: the role (LOOKING / FOLLOWING / LEADING) with its phase, the election's votes, a
 * follower's lastCommitted, its sync thread's queue and its proposals not yet committed, a
 * leader's view of its learners and its outstanding proposals. A restart rebuilds volatile state
 * from the log (ZooKeeper replays its log into the data tree) and starts LOOKING.
 *
 * The protocol (ZooKeeper's classes and the specs' actions in brackets):
 *   election     [FastLeaderElection] a LOOKING server votes for itself (currentEpoch, last zxid,
 *                id) and sends a NOTIFICATION with its vote and round to every peer. It adopts any
 *                better vote (epoch, then zxid, then id); a notification from a later round resets
 *                its round; one from an earlier round is answered with its own. It decides once it
 *                has heard from every peer still connected (our stand-in for finalizeWait) and a
 *                quorum voted: with `fle=full` when a quorum's votes equal its own and every change
 *                of vote is re-sent, as ZooKeeper does; with the default `fle=one-vote` each server sends
 *                its vote once per round and decides for the best vote it heard (a much smaller
 *                state space: FLE's re-sent votes gave over 3 M states without any fault). It
 *                also joins a leader that says it LEADS when enough servers out of the election
 *                name it (with fle=one-vote counting itself). FOLLOWING and LEADING servers answer
 *                LOOKING peers with their vote. The ZK-1419 mutant's vote order lets a lower epoch
 *                beat a higher one at the same zxid, so votes can beat each other in a circle. The
 *                vote-order-ignores-zxid mutant orders by (epoch, id): from `start=missed-txn` it
 *                elects a server whose log lacks a committed txn, which discovery then refuses
 *                (waitForEpochAck below), round after round. A FOLLOWERINFO that reaches a server still
 *                LOOKING waits there (the learner retries its connection); a FOLLOWING server
 *                refuses it with CLOSE.
 *   discovery    [Follower.registerWithLeader, Leader.getEpochToPropose] a follower sends
 *                FOLLOWERINFO(acceptedEpoch, last zxid). When a quorum (the leader included) has
 *                registered, the leader persists acceptedEpoch := 1 + the largest acceptedEpoch
 *                among them and sends LEADERINFO(epoch); a follower persists acceptedEpoch (or
 *                gives up if the epoch is below its own) and answers ACKEPOCH(currentEpoch, last
 *                zxid). On a quorum of ACKEPOCH the leader gives up if a learner is more up to date
 *                than itself [waitForEpochAck], else persists currentEpoch := epoch.
 *   sync         [LearnerHandler.syncFollower, Learner.syncWithLeader] per learner: DIFF (the txns
 *                after its last zxid, each as PROPOSAL + COMMIT), TRUNC (to the leader's last zxid
 *                when the learner has more, or to the last common zxid before a DIFF when its last
 *                zxid is not in the leader's log), or SNAP (when it is behind the leader's first
 *                txn; with `txnlog=true` an empty learner gets a DIFF of the whole log instead, as
 *                ZooKeeper's txnlog sync does); then the leader's outstanding PROPOSALs and NEWLEADER. The follower cuts
 *                its log at once on TRUNC, keeps a DIFF's txns in memory and a SNAP's snapshot
 *                until NEWLEADER. NEWLEADER as ZooKeeper 3.9 splits it: write the snapshot, hand
 *                the txns to the sync thread, and once they are on disk persist currentEpoch and
 *                send the NEWLEADER ACK (then the ACKs of the outstanding proposals it logged).
 *                On a quorum of NEWLEADER ACKs the leader is established: its log is committed,
 *                and each learner that acknowledged gets UPTODATE and starts serving.
 *   broadcast    [Leader.propose, processAck, Follower.processPacket] a client REQUEST reaches any
 *                server; a follower forwards it to the leader, which logs PROPOSAL(zxid, op) with
 *                the next counter of its epoch and sends it to its learners; a follower queues it
 *                for its sync thread; the sync thread's write (the timer 'sync', its own event, so
 *                "received but not on disk" is a state) logs the queue and ACKs; on a quorum of
 *                ACKs the leader commits in zxid order and sends COMMIT; the follower applies it.
 *   failures     a crash loses volatile state; on tcp it closes the server's connections and
 *                what was in flight on them. The world tells the other end (onDisconnect): a
 *                follower whose leader is gone goes back to LOOKING at once, and a leader that lost
 *                a learner goes back to LOOKING when the rest is no longer a quorum (synchronous
 *                detection). A server that shuts down on purpose sends CLOSE on its connections
 *                (the FIN that follows what was already sent).
 *
 * Data tree (datatree.ts): requests are znode operations (create, ephemeral create, sequential
 * create, setData, delete, closeSession); each server applies committed txns in zxid order. The
 * tree is a function of the applied txns, so it is computed by the properties, not stored.
 *
 * Properties (properties.ts): Leadership, Integrity, TotalOrder, PrimaryOrder, PrefixConsistency,
 * ProcessConsistency, PrimaryIntegrity, CommittedLogDurability, MessageLegal, EpochOrder
 * (`disk=separate` only),
 * EqualTreesForEqualPrefixes, NoEphemeralOutlivesSession, MonotonicRead (every server keeps the
 * highest zxid it ever served as a ghost in durable state, readZxid; while serving, its applied
 * prefix must reach it: about 7% more states), NoVoteCircle (SandTable's check for ZK-1419: with
 * fle=full a LOOKING server keeps, as a ghost, the votes for other servers it adopted in its round,
 * and must never adopt one of them again); reachable: LeaderEstablished,
 * CommittedOnEveryServer, SyncedByDIFF, SyncedByTRUNC, SyncedBySNAP.
 *
 * Grains (parameters; the coarse grain is the default and keeps the counts of the README's
 * tables; each finer grain splits one of its atomic steps the way ZooKeeper's code does, so the
 * races that live between the halves can happen; they combine freely):
 *   detect=timeout  [Leader, LearnerHandler] a leader notices a lost learner only when that
 *                learner's LearnerHandler times out (initLimit before it is synced, syncLimit after:
 *                its socket read with a timeout, or the leader's syncedAckSet check in lead()). On
 *                tcp the world's onDisconnect only marks the learner `gone`; the timer
 *                `learnerTimeout`, an event of its own, drops every gone learner (loseLearner, the
 *                coarse grain's synchronous step) and the leader steps down when the rest is no
 *                quorum. Until then the learner still counts, in the discovery quorum, the
 *                ACKEPOCH set and the NEWLEADER ACK set, and what the leader sends it is lost (the
 *                old socket is dead). A learner that comes back (restarts, joins again) opens a new
 *                LearnerHandler: its FOLLOWERINFO replaces the old entry (and its old ACKs no longer count).
 *                The follower's side (follower-timeout.ts): a follower whose leader's connection
 *                closed notices only when its read timeout `leaderTimeout` fires; until then it
 *                stays FOLLOWING (answering LOOKING peers with its old vote).
 *   sync=packets [LearnerHandler.syncFollower, Leader.startForwarding, Learner.syncWithLeader] the
 *                LearnerHandler's sync is two events: first it queues DIFF / TRUNC / SNAP and, for a
 *                DIFF, each committed txn as PROPOSAL + COMMIT (syncFollower, under the leader's
 *                lock: stage `diffed`); then, as the event `startForwarding`, it queues what was
 *                committed since (toBeApplied) as PROPOSAL + COMMIT and the outstanding proposals,
 *                joins the forwarding set and sends NEWLEADER. Between the two the leader proposes
 *                and commits for the others. The learner reads each packet on its own: a PROPOSAL
 *                during the sync joins its in-memory queue (packetsNotLogged) and its
 *                packetsNotCommitted, a COMMIT moves lastCommitted; a crash can land between any two.
 *                `start=orphan-txn` (starts.ts) starts from disks where the last server holds a
 *                txn nobody else has below an epoch committed without it, so its next sync is a
 *                TRUNC that carries txns (ZOOKEEPER-5094's trigger, variant zk-5094).
 *   disk=separate [Leader.getEpochToPropose, Learner.registerWithLeader, Learner.syncWithLeader] the
 *                epoch file writes are events of their own (the timer `epochWrite`) that the packet
 *                depending on them waits for: the leader's acceptedEpoch before LEADERINFO, the
 *                follower's acceptedEpoch before ACKEPOCH, the follower's currentEpoch (after the
 *                sync thread logged the synced txns) before the NEWLEADER ACK and the ACKs of
 *                proposals logged meanwhile. A crash before the write loses it with the packets held
 *                for it. The invariant EpochOrder (currentEpoch at most acceptedEpoch on every disk,
 *                which ZooKeeper's QuorumPeer checks when it loads its state) is checked in this grain.
 *                The leader's currentEpoch write at the ACKEPOCH quorum is its own event too (it is
 *                established only once it is on disk), and the txn log's appends, on the leader and
 *                the followers, are buffered until a flush event (`logFlush`, txnlog.ts) after which
 *                the ACKs leave; with the engine's disk faults a buffered append can fail (the server
 *                shuts down, SyncRequestProcessor's IOException) or be lost on power loss.
 *   sessions=true [SessionTrackerImpl, PrepRequestProcessor, FollowerRequestProcessor,
 *                CommitProcessor, FinalRequestProcessor, Leader.processSync] client sessions
 *                (session-grain.ts, sessions.ts, clients.ts): a client node after the servers
 *                plays two sessions, each connected to one server, which accepts the connection
 *                once it serves. c0 (at s1) creates its global session (a createSession txn) and
 *                an ephemeral /e; c1 (at s0) only reads, so it is a local session (ZOOKEEPER-1147:
 *                no txn), reads /e, then calls sync() and getData /e back to back. A server keeps
 *                its clients' requests in arrival order and answers a session's requests in that
 *                order: reads from its own tree at once, a write when its txn is applied, a sync
 *                when the leader's SYNCREPLY came. A follower forwards writes and syncs to the
 *                leader; the leader's PrepRequestProcessor turns a write into its txn, or into an
 *                error txn (SessionExpired) when its session tracker does not hold the session or
 *                holds it as closing (the tracker is read off the leader's log: a session lives
 *                from its createSession to its closeSession, prepared), and proposes it. The
 *                tracker's expiry of c0 is the leader's timer `expire c0`, untimed (a timeout of
 *                any length): it proposes closeSession c0, whose txn deletes c0's ephemerals
 *                (DataTree.killSession); the data tree applies an ephemeral create whatever its
 *                session, as DataTree.createNode does. The leader answers a follower's sync once
 *                what it had proposed is committed, after those COMMITs on the same channel. A
 *                server that stops serving closes its clients' connections (their pending
 *                requests' outcome stays unknown). The client guarantees are judged from the
 *                client node's history in every state (client-guarantees.ts): SessionFIFO and
 *                SequentialConsistency (with the znode spec of ordeal's linearizability checker,
 *                the replies' zxids, and sync() giving read-your-writes across servers); reads
 *                are not linearizable, and the target StaleReadAllowed reaches a history that
 *                shows it. Off by default: the coarse grain has no client node. With
 *                `reconnect=true` both sessions start at s1 and c1 moves to s0 between two reads,
 *                carrying its lastZxidSeen; s0 accepts it only once it has applied that zxid
 *                (ZooKeeperServer.processConnectRequest; the variant lastzxid-unchecked skips it).
 *   fle=finalize [FastLeaderElection.lookForLeader, fle-finalize.ts] the election at full grain: `fle=full`
 *                plus finalizeWait. A quorum of the round's votes equal to the server's own
 *                (hasAllQuorums; the "every connected peer heard" stand-in is dropped) opens a
 *                window (`finalizing`) and arms the timer `finalize`, its own event: when it fires
 *                the server decides. In the window a notification not better than the vote is
 *                dropped (the inner poll loop); a better one closes the window and goes back to the
 *                queue (`requeued`), and the main loop's next poll, the timer `poll`, adopts it and
 *                may open a new window. With deliveries and timers weakly fair (`fair` in
 *                protocol.ts) a better notification can always win the race against `finalize`,
 *                which is ZOOKEEPER-1419's livelock (variant zk-1419-livelock, check --liveness).
 *                Simplified: no notification timeout (it would fill channels without end in an
 *                exhaustive search); instead a LOOKING server answers a worse vote of its own round
 *                with its own (ZooKeeper's peer learns it at its next re-send), and a server that
 *                decides sends its decision to every peer (ZooKeeper answers the LOOKING peers'
 *                re-sent votes). NoVoteCircle's ghost is not kept (the symptom is checked instead).
 *                `start=lost-epoch` starts from the disks a failed epoch-1 attempt left (1419's
 *                trigger without a crash); `progress=true` keeps LeaderEstablished as the only
 *                reachable target, the progress property of check --liveness.
 *   Storage faults (a failed write, a write lost on
 *   crash unless synced) are for the engine's disk fault kind; `disk=separate` already gives each
 *   epoch write the event such a fault would attach to.
 *
 * Simplifications, against the implementation:
 *   - Failure detection is synchronous (in the coarse grain; see `detect=timeout` above): on tcp a peer that crashed or is cut off closes the
 *     connection, and the world reports that at once (onDisconnect), which is what ZooKeeper's
 *     PING timeouts and socket errors turn into. Heartbeat packets exist only with `liveness=true`
 *     (see the timeouts below); without them a slow but connected peer is never suspected. The
 *     leader does not give up on a learner that is merely slow during discovery or sync; with
 *     `liveness=true` it gives up leading when it is not established in time. Because a leader
 *     learns at once that a learner left, the mistake of a new epoch not above a quorum's
 *     acceptedEpoch is harmless here (see the README).
 *   - FLE waits for every connected peer instead of finalizeWait's fixed delay, keeps one
 *     connection per pair of servers for election and quorum packets; its notification timeout
 *     exists only with `liveness=true`. Rounds reset on restart (ZooKeeper's logicalclock is volatile too).
 *   - The leader logs its own proposals at once and counts its own ACK (its sync thread is not
 *     modelled); the leader keeps its whole log in memory (committedLog without a size bound), so
 *     SNAP is chosen only for a learner behind the leader's first txn (an empty learner).
 *   - In the coarse grain, the packets of a sync (DIFF/TRUNC/SNAP with their PROPOSAL + COMMIT pairs and the
 *     outstanding PROPOSALs) travel as one segment: the leader queues them at once and the follower
 *     only reads them (it acts on disk at NEWLEADER), so splitting them would add interleavings
 *     of no consequence but for a crash between reads, which loses the same volatile state.
 *   - A client request that reaches a server not serving waits there (`waiting`, volatile: the
 *     client retries at that server) and is forwarded or proposed once the server serves; a crash
 *     loses it. Requests carry no session state beyond their operation (`sessions=true` adds sessions).
 *   - Retries are not timers: when a partition heals, the world's onConnect makes a LOOKING
 *     server send its vote to each peer it can reach again (ZooKeeper re-sends its notifications
 *     until they get through). A LOOKING server that loses a peer stops counting that peer's vote
 *     and falls back to the best vote still reachable (ZooKeeper would decide for it, fail to
 *     connect and come back); a FOLLOWERINFO waiting at a LOOKING server counts as its sender's
 *     vote for that server.
 *   - Timeouts exist only with `liveness=true` (off in exhaustive checks, where they would add
 *     states): a leader arms its `init` timer on entering LEADING and, if not established after
 *     INIT_LIMIT (4) firings, goes back to LOOKING (initLimit); a follower whose FOLLOWERINFO got
 *     no LEADERINFO within as many firings does the same (its connection attempts fail); a LOOKING
 *     server's `notify` timer re-sends its vote to every peer (FLE's notification timeout, which
 *     also stands for QuorumCnxManager sending its last message to a peer whose connection comes
 *     back: in the model a vote sent to a server that is down is lost). A follower past
 *     discovery keeps no clock until UPTODATE: its leader's covers the sync, and giving up there would leave sync packets in flight on the one
 *     connection per pair of servers, to be read by its next session. Heartbeats: an established
 *     leader's `ping` timer sends PING to each serving learner that answered its previous PING
 *     (one outstanding per learner, so queues stay bounded) and goes back to LOOKING when those
 *     learners and itself are not a quorum; a serving follower answers each PING, and its
 *     `syncLimit` timer (restarted by each PING) sends it back to LOOKING after SYNC_LIMIT (2)
 *     firings without one. With timeouts on, sessions end cleanly on the one connection per pair:
 *     a server that sends CLOSE drops the peer's packets (NOTIFICATIONs excepted) until the peer's
 *     answering CLOSE, and an unasked CLOSE is answered; a disconnect or a healed partition ends
 *     a drain, as the old connection took the rest of that session with it (protocol.ts). With
 *     them `npx ordeal simulate zab --liveness -p liveness=true` passes (5,000 random runs from each of seeds 1-3 with the
 *     heartbeats); without the timeouts it failed at run 1,883 of seed 1. With `fle=full` it failed
 *     under swarm schedules (run 29 of seed 1) while the timer re-sent only to the peers not heard
 *     from: a vote sent while its peers were down never reached them; 5,000 swarm runs from
 *     each of seeds 1-3 pass now (README, "Liveness").
 *   - FLE (`fle=full`) decides as soon as a quorum agrees and every connected peer was heard from; ZooKeeper
 *     waits finalizeWait for a better notification first (modelled with `fle=finalize`, above). So ZK-1419's votes that beat each other
 *     stop chasing once a quorum happens to agree: the mutant is found as a vote circle
 *     (NoVoteCircle), not as an election that never settles (README, "ZOOKEEPER-1419").
 *   - Bounded: epochs and counters below 10; at most `requests` txns; elections are bounded by
 *     the fault budgets.
 */
import { defineActorModel, type ParamsOf } from '../../src/index.ts';
import { INIT_LIMIT, SYNC_LIMIT } from './context.ts';
import { OPERATIONS } from './datatree.ts';
import { zabProtocol } from './protocol.ts';
import { RECONNECT_SCRIPTS, SESSION_SCRIPTS } from './session-grain.ts';
import { NORMAL, type Behaviour } from './types.ts';
import { VARIANTS, behaviourOf } from './variants.ts';

export const PARAMS = {
  servers: { default: 3, min: 2, max: 5, description: 'number of servers' },
  requests: { default: 2, min: 0, max: OPERATIONS.length, description: `client requests, request i sent to server i mod servers (${OPERATIONS.join('; ')})` },
  fle: {
    type: 'enum', choices: ['one-vote', 'full', 'finalize'], default: 'one-vote', legacyNumbers: true,
    description: 'leader election: one-vote (one vote per server per round), full (ZooKeeper\'s FastLeaderElection, votes re-sent on every change) or finalize (full, with finalizeWait as an event of its own: fle-finalize.ts); 0 and 1 read as one-vote and full',
  },
  txnlog: { type: 'boolean', default: false, description: 'true: an empty learner is synchronized by a DIFF of the leader\'s whole txn log (ZooKeeper\'s txnlog sync); false: by a SNAP' },
  detect: {
    type: 'enum', choices: ['disconnect', 'timeout'], default: 'disconnect',
    description: 'how a leader notices a lost learner: disconnect (at once, the coarse grain) or timeout (its LearnerHandler\'s read timeout, an event of its own; the learner still counts until then)',
  },
  sync: {
    type: 'enum', choices: ['atomic', 'packets'], default: 'atomic',
    description: 'a learner\'s sync: atomic (one segment, the coarse grain) or packets (DIFF/TRUNC/SNAP, each PROPOSAL and COMMIT, NEWLEADER as separate packets; the LearnerHandler\'s DIFF and its start of forwarding as two events)',
  },
  disk: {
    type: 'enum', choices: ['fused', 'separate'], default: 'fused',
    description: 'epoch file writes: fused with the packet they precede (the coarse grain) or separate (the leader\'s and the follower\'s acceptedEpoch and the follower\'s currentEpoch writes as events of their own)',
  },
  sessions: { type: 'boolean', default: false, description: 'true: client sessions (a client node after the servers), the leader\'s session tracker and PrepRequestProcessor, local reads, sync(), and the client guarantees checked (SessionFIFO, SequentialConsistency)' },
  reconnect: { type: 'boolean', default: false, description: 'with sessions=true: both sessions start at s1, and c1 moves to s0 between its two reads (a reconnect, with its lastZxidSeen)' },
  start: {
    type: 'enum', choices: ['empty', 'lost-epoch', 'orphan-txn', 'missed-txn'], default: 'empty',
    description: 'the disks the servers start from: empty; lost-epoch, as an epoch-1 attempt led by the second-highest server left them when it died before NEWLEADER (every server accepted epoch 1, its leader also wrote currentEpoch 1; no txn): ZOOKEEPER-1419\'s trigger without a crash; orphan-txn, the last server, leader of epoch 1, committed 1.1 and logged 1.2 alone, and the others committed 2.1 in epoch 2 (the first three requests, not sent again): ZOOKEEPER-5094\'s TRUNC carrying txns without a crash; missed-txn, every server in epoch 1 and 1.1 (the first request) committed on all but the last server, which alone a vote order ignoring the zxid elects (starts.ts)',
  },
  progress: { type: 'boolean', default: false, description: 'true: LeaderEstablished is the only reachable target, the progress property of check --liveness (timeouts stay off, unlike liveness=true)' },
  liveness: { type: 'boolean', default: false, description: 'true: initLimit, heartbeat (PING, syncLimit) and FLE notification timeouts on, and LeaderEstablished the only reachable target (for simulate --liveness)' },
} as const;

/** The values of the parameters, typed. */
export type ZabParams = ParamsOf<typeof PARAMS>;

export function zabFor(params: ZabParams, variant: string) {
  return zabWith(params, behaviourOf(variant));
}

/** The protocol with the switches `behaviour` turns on (a variant's, or a test's own mix). */
export function zabWith(params: ZabParams, behaviour: Partial<Behaviour>) {
  return zabProtocol({
    servers: params.servers,
    requests: OPERATIONS.slice(0, params.requests),
    livenessTargets: params.liveness || params.progress,
    fle: params.fle !== 'one-vote',
    finalizeWait: params.fle === 'finalize',
    start: params.start,
    txnLogSync: params.txnlog,
    initLimit: params.liveness ? INIT_LIMIT : 0,
    syncLimit: params.liveness ? SYNC_LIMIT : 0,
    detect: params.detect,
    syncPackets: params.sync === 'packets',
    diskSeparate: params.disk === 'separate',
    ...(params.sessions ? { sessions: params.reconnect ? RECONNECT_SCRIPTS : SESSION_SCRIPTS } : {}),
    behaviour: { ...NORMAL, ...behaviour },
  });
}

export const zab = defineActorModel({
  name: 'zab',
  version: 1,
  description: 'a ZooKeeper ensemble running Zab (election, discovery, sync, broadcast) with znodes, on TCP-like channels, and ZooKeeper bugs as mutants',
  params: PARAMS,
  variants: VARIANTS,
  defaultConfig: { network: 'tcp', faults: { crashes: 1, partitions: 0, drops: 0, duplicates: 0 } },
  // Trusted and hot: no guard wrapper per handler call (paranoid mode still guards).
  guard: false,
  protocol: zabFor,
});
