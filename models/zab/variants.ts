// The variants: the protocol as designed, and mutants, each a real ZooKeeper bug (JIRA number, the
// wrong step, its trigger) or a classic protocol mistake, with the property it breaks. The one
// switch with no variant of its own (the new epoch not above a quorum's acceptedEpoch, harmless
// alone and declared only with waitForEpochAck's check skipped) is in the handlers; see the README.
import type { VariantDecl } from '../../src/index.ts';
import type { Behaviour } from './types.ts';

/** Fault budgets of the simulated checks (tcp has no drops or duplicates). */
const SIMULATION_FAULTS = { crashes: 2, partitions: 2, drops: 0, duplicates: 0 };

interface VariantSpec extends VariantDecl {
  readonly behaviour: Partial<Behaviour>;
}

const SPECS: Readonly<Record<string, VariantSpec>> = {
  // npm start checks the default with one request (1,363,367 states); the full default bounds (two
  // requests, 4.3 M states) are in the README.
  default: { description: 'Zab as ZooKeeper 3.9 implements it (with the fixes of the bugs below)', expected: 'pass', behaviour: {}, check: { strategy: 'bfs', params: { requests: 1 } } },
  'zk-335': {
    description: 'ZOOKEEPER-335: the new epoch is taken from the leader\'s own log (last zxid\'s epoch + 1), never persisted or agreed with a quorum; after a crash two leaders establish the same epoch',
    expected: 'Leadership',
    behaviour: { epochFromLog: true },
    check: { strategy: 'bfs', params: { requests: 1 } },
  },
  'zk-2845': {
    description: 'ZOOKEEPER-2845: a server that shuts down keeps its data tree and reports its last applied zxid, not its last logged one, so a later DIFF is appended after a logged txn nobody committed',
    expected: 'PrimaryIntegrity',
    behaviour: { retainDatabase: true },
    check: { strategy: 'bfs', params: { requests: 1 } },
  },
  'zk-3911': {
    description: 'ZOOKEEPER-3911: the follower acknowledges NEWLEADER before the DIFF\'s txns are logged (they are logged at UPTODATE), so the leader commits txns a quorum does not have on disk',
    expected: 'CommittedLogDurability',
    behaviour: { ackBeforeLogging: true },
    check: { strategy: 'bfs', params: { requests: 1, txnlog: true } },
  },
  'zk-4394': {
    description: 'ZOOKEEPER-4394: NEWLEADER clears the proposals not yet committed, so a later COMMIT finds no proposal and the follower fails',
    expected: 'MessageLegal',
    behaviour: { newLeaderClearsUncommitted: true },
    check: { strategy: 'bfs', params: { requests: 1 } },
  },
  'zk-4646': {
    description: 'ZOOKEEPER-4646: the NEWLEADER ACK leaves while the synced txns still wait in the sync thread\'s queue, so the leader commits txns a quorum does not have on disk',
    expected: 'CommittedLogDurability',
    behaviour: { ackWhileQueued: true },
    check: { strategy: 'bfs', params: { requests: 1, txnlog: true } },
  },
  'zk-4685': {
    description: 'ZOOKEEPER-4685: the sync thread ACKs the proposals it logs before the NEWLEADER ACK goes out; the leader, expecting the NEWLEADER ACK first, drops the follower',
    expected: 'MessageLegal',
    behaviour: { ackProposalsDuringSync: true },
    check: { strategy: 'bfs', params: { requests: 1 } },
  },
  'zk-4712': {
    description: 'ZOOKEEPER-4712: the sync thread keeps logging its queue after the follower shut down, appending txns of the old leader to a log already synced with the new one',
    expected: 'ProcessConsistency',
    behaviour: { syncThreadSurvivesShutdown: true },
    check: { strategy: 'bfs', params: { requests: 1 } },
  },
  'broadcast-before-quorum': {
    description: 'mistake: the leader is established (commits its log, sends UPTODATE) before a quorum acknowledged NEWLEADER',
    expected: 'CommittedLogDurability',
    behaviour: { broadcastBeforeQuorum: true },
    check: { strategy: 'bfs', params: { requests: 1 } },
  },

  // The new epoch not above a quorum's acceptedEpoch is harmless on its own here: waitForEpochAck's
  // check stops the second leader (see the README). With the check skipped too, BFS finds it.
  'epoch-not-above-quorum-unchecked': {
    description: 'mistake: the new epoch is the leader\'s own acceptedEpoch + 1, not above the acceptedEpochs its quorum reported, and the leader skips waitForEpochAck\'s check that no learner is more up to date; two leaders establish the same epoch',
    expected: 'Leadership',
    behaviour: { epochNotAboveQuorum: true, skipEpochAckCheck: true },
    check: { strategy: 'bfs', params: { requests: 0 } },
  },

  // ZK-1419 needs full FLE (votes re-sent on every change, `fle=full`) and the ghost of the votes each
  // server adopted in a round; no request is needed, one crash gives a server a higher epoch.
  'zk-1419': {
    description: 'ZOOKEEPER-1419: the vote order compares server ids without checking that the epochs are equal, so of two votes with the same last zxid and different epochs each beats the other; a LOOKING server goes back to a vote it left (a vote circle), and with FLE re-sending every change the servers can chase each other\'s votes for ever',
    expected: 'NoVoteCircle',
    behaviour: { voteOrderIgnoresEpoch: true },
    check: { strategy: 'bfs', params: { fle: 'full', requests: 0 } },
  },

  // ZK-1419 at the election's full grain (fle=finalize, README "The election at full grain"): its
  // real symptom, an election that never settles, as a fair lasso of check --liveness. Two servers
  // start from the disks a failed epoch-1 attempt left; the mutant's chase fills channels without
  // end, so the search is cut at depth 20 (the lasso lies within it; the correct model's whole
  // graph, 45 states, is shallower).
  'zk-1419-livelock': {
    description: 'ZOOKEEPER-1419 with finalizeWait modelled: of two votes with the same zxid and different epochs each beats the other, so each server\'s finalizeWait is cut short by a better notification, every time: the election never settles (a fair lasso; check --liveness)',
    expected: 'LeaderEstablished',
    behaviour: { voteOrderIgnoresEpoch: true },
    check: { strategy: 'liveness', maxDepth: 20, params: { servers: 2, requests: 0, fle: 'finalize', start: 'lost-epoch', progress: true }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } } },
  },

  'ackepoch-reports-accepted': {
    description: 'mistake: ACKEPOCH reports the epoch the follower just accepted instead of its currentEpoch; at the ACKEPOCH quorum the leader sees a learner ahead of itself (waitForEpochAck) and gives up, every time: no leader is ever established',
    expected: 'LeaderEstablished',
    behaviour: { ackEpochReportsAccepted: true },
    check: { strategy: 'random', seed: 1, runs: 100, liveness: true, params: { requests: 0, liveness: true } },
  },

  // Harmless for safety: a leader elected without a committed txn meets an ACKEPOCH more recent than
  // its own history and gives up (waitForEpochAck), in every round. No cycle of states (rounds and
  // epochs grow), so simulate --liveness; start=missed-txn gives the servers different zxids.
  'vote-order-ignores-zxid': {
    description: 'mistake: the vote order compares epochs, then server ids, never the last zxid; the highest server of the latest epoch wins although its log lacks a committed txn, waitForEpochAck finds a learner ahead of it and it gives up, every round: no leader is ever established (safety holds, start=missed-txn)',
    expected: 'LeaderEstablished',
    behaviour: { voteOrderIgnoresZxid: true },
    check: { strategy: 'random', seed: 1, runs: 100, liveness: true, params: { requests: 1, start: 'missed-txn', liveness: true } },
  },

  // Bugs of the finer grains (index.ts, "Grains"): each needs the grain its race lives in.
  'zk-962': {
    description: 'ZOOKEEPER-962 ("leader/follower coherence issue when follower is receiving a DIFF": a follower synced by DIFF while the leader commits misses txns that completed during the sync): the LearnerHandler queues a late learner\'s DIFF, and when the leader then starts forwarding to it (Leader.startForwarding) it sends the outstanding proposals but not the txns committed in between; the learner never gets them and serves a log with a hole (sync=packets; the leader\'s half of the race)',
    expected: 'PrefixConsistency',
    behaviour: { forwardingMissesCommits: true },
    check: { strategy: 'bfs', params: { requests: 2, sync: 'packets' }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } } },
  },
  'zk-4785': {
    description: 'ZOOKEEPER-4785 ("txn loss due to race condition in Learner.syncWithLeader() during DIFF sync"): the proposals a learner reads during its DIFF sync (packetsNotLogged) are not logged when NEWLEADER arrives; it ACKs NEWLEADER without them on disk, applies their COMMITs, and serves a log with a hole (sync=packets)',
    expected: 'PrefixConsistency',
    behaviour: { syncProposalsNotLogged: true },
    check: { strategy: 'bfs', params: { requests: 2, sync: 'packets' }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } } },
  },
  'zk-1291': {
    description: 'ZOOKEEPER-1291 ("AcceptedEpoch not updated at leader before it proposes the epoch to followers"): the leader sends LEADERINFO before its acceptedEpoch is on disk (before the fix Leader.getEpochToPropose did not set it at all; the model makes the write an event that may come too late); on a quorum of ACKEPOCH it writes currentEpoch while the acceptedEpoch write has not happened, so its disk holds currentEpoch above acceptedEpoch, which ZooKeeper refuses to load after a crash (disk=separate)',
    expected: 'EpochOrder',
    behaviour: { leaderInfoBeforeEpochWrite: true },
    check: { strategy: 'bfs', params: { requests: 0, disk: 'separate' }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } } },
  },

  // Bugs of the txn-log writes at disk=separate, found with one storage fault (txnlog.ts).
  'zk-4882': {
    description: 'ZOOKEEPER-4882: a follower applies a COMMIT while the txn is still in its sync thread\'s buffer; the txn-log write fails (a temporary disk error), the server shuts down but keeps its in-memory database and reports its last applied zxid, so the leader sends nothing for the txn its log never got: after the rejoin it no longer has a txn it served (disk=separate, 1 disk fault)',
    expected: 'MonotonicRead',
    behaviour: { keepDatabaseAfterDiskError: true },
    check: { strategy: 'bfs', params: { requests: 1, disk: 'separate' }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0, diskFaults: 1 } } },
  },
  'stale-acks': {
    description: 'found by the model in ZooKeeper\'s code, no JIRA issue known: the leader keeps a learner\'s ACKs of outstanding proposals after the learner reconnected and was told to TRUNC them; with the leader\'s own ACK waiting for its flush, it commits a txn a quorum does not hold (disk=separate, 1 disk fault)',
    expected: 'CommittedLogDurability',
    behaviour: { staleAcksCount: true },
    check: { strategy: 'bfs', params: { requests: 2, disk: 'separate' }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0, diskFaults: 1 } } },
  },
  // The sessions grain (`sessions=true`): client sessions, the leader's session tracker and PrepRequestProcessor.
  'zk-1208': {
    description: 'ZOOKEEPER-1208: the leader\'s PrepRequestProcessor checks only that a session is still tracked, not that it is closing; a create of an ephemeral prepared after the session\'s expiry proposed its closeSession gets a zxid after the close, and the ephemeral outlives its session on every server (sessions=true)',
    expected: 'NoEphemeralOutlivesSession',
    behaviour: { sessionCheckIgnoresClosing: true },
    check: { strategy: 'bfs', params: { requests: 0, sessions: true }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } } },
  },

  'lastzxid-unchecked': {
    description: 'mistake: a server accepts a reconnecting session whose client has seen a zxid the server has not applied yet (ZooKeeperServer.processConnectRequest refuses it: "client must try another server"); the session\'s next read goes back in time (sessions=true, reconnect=true)',
    expected: 'SessionFIFO',
    behaviour: { connectIgnoresLastZxid: true },
    check: { strategy: 'bfs', params: { requests: 0, servers: 2, sessions: true, reconnect: true }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } } },
  },

  'zk-3642': {
    description: 'ZOOKEEPER-3642: the leader is lost after the learner read its SNAP and before NEWLEADER; the learner keeps the snapshot in memory only, reports its last zxid in the next election, gets a DIFF that builds on it, logs only the DIFF, and after a restart serves a log with a hole',
    expected: 'PrefixConsistency',
    behaviour: { snapshotKeptInMemory: true },
    check: { strategy: 'random', seed: 1, runs: 5000, params: { requests: 2, sync: 'packets' }, config: { faults: SIMULATION_FAULTS } },
  },

  // ZK-5094 needs a TRUNC that carries txns, a fault between it and NEWLEADER and a second crash:
  // too deep for BFS from empty disks, so it starts from `start=orphan-txn` (starts.ts: a server
  // holding a txn nobody else has, and an epoch committed without it) and is found by random
  // simulation with two crashes (BFS with one crash, 2.0 M states, finds nothing).
  'zk-5094': {
    description: 'ZOOKEEPER-5094 ("an interrupted TRUNC sync leaves the in-memory database ahead of the txn log"): a learner synced by TRUNC applies the txns after the TRUNC to memory only (snapshotNeeded: the snapshot at NEWLEADER would persist them); when its leader is lost before NEWLEADER, Learner.shutdown clears the database only after a SNAP, so it keeps them, reports the last as logged, gets a DIFF that builds on them and logs the next txn after a hole; after a restart it leads from that log and truncates a committed txn from another server (sync=packets, start=orphan-txn)',
    expected: 'CommittedLogDurability',
    behaviour: { truncSyncKeptInMemory: true },
    check: { strategy: 'random', seed: 5, runs: 1000, params: { requests: 4, sync: 'packets', start: 'orphan-txn' }, config: { faults: { crashes: 2, partitions: 0, drops: 0, duplicates: 0 } } },
  },

  // The follower's check of the leader's epoch (Learner.registerWithLeader) matters only when a
  // leader learns late that its learners left (`detect=timeout`): a stale leader still LEADING an
  // older epoch can then take a follower that accepted a newer one. Guided simulation draws each
  // timer its own timeout, which gives the stale leader's learnerTimeout the delay the story needs.
  'leader-epoch-unchecked': {
    description: 'mistake (no JIRA issue known): the follower skips Learner.registerWithLeader\'s check that the leader\'s epoch is not below its acceptedEpoch; with late failure detection a stale leader of an older epoch takes a follower that accepted a newer one and truncates, by its TRUNC, a txn the newer epoch committed (detect=timeout)',
    expected: 'CommittedLogDurability',
    behaviour: { skipLeaderEpochCheck: true },
    check: { strategy: 'guided', seed: 1, runs: 5000, params: { requests: 1, detect: 'timeout' }, config: { faults: SIMULATION_FAULTS } },
  },

  // Bugs that need a second crash or a third request: random simulation (tcp, up to 2 crashes and
  // 2 partitions) from a fixed seed, with txnlog=true so that an empty learner is synced by a DIFF.
  'zk-1154': {
    description: 'ZOOKEEPER-1154: the leader sends a DIFF from the follower\'s last zxid although it does not have that zxid (a TRUNC is needed), so the follower keeps a txn nobody committed below the DIFF',
    expected: 'PrefixConsistency',
    behaviour: { diffInsteadOfTrunc: true },
    check: { strategy: 'random', seed: 9, runs: 1000, params: { requests: 3, txnlog: true }, config: { faults: SIMULATION_FAULTS } },
  },
  'zk-2355': {
    description: 'ZOOKEEPER-2355: the snapshot taken at NEWLEADER records the leader\'s last zxid before the DIFF is logged; a follower that leaves before its sync thread wrote reports txns it does not have, and gets no DIFF for them',
    expected: 'PrefixConsistency',
    behaviour: { snapshotZxidEarly: true },
    check: { strategy: 'random', seed: 4, runs: 1000, params: { requests: 2, txnlog: true }, config: { faults: SIMULATION_FAULTS } },
  },
  'zk-4643': {
    description: 'ZOOKEEPER-4643: currentEpoch is persisted when NEWLEADER arrives, before the synced txns are logged; a follower that leaves before its sync thread wrote wins the next election with the new epoch and truncates a committed txn',
    expected: 'CommittedLogDurability',
    behaviour: { epochBeforeTxns: true },
    check: { strategy: 'random', seed: 8, runs: 1000, params: { requests: 2, txnlog: true }, config: { faults: SIMULATION_FAULTS } },
  },
};

export const VARIANTS: Readonly<Record<string, VariantDecl>> = Object.fromEntries(
  Object.entries(SPECS).map(([name, { behaviour: _, ...decl }]) => [name, decl]),
);

export function behaviourOf(variant: string): Partial<Behaviour> {
  const spec = SPECS[variant];
  if (!spec) throw new Error(`zab: unknown variant ${variant}`);
  return spec.behaviour;
}
