// The variants: the protocol as designed, and mutants, each a real ZooKeeper bug (JIRA number, the
// wrong step, its trigger) or a classic protocol mistake, with the property it breaks.
import type { VariantDecl } from '../../src/model/define.ts';
import type { Behaviour } from './types.ts';

interface VariantSpec extends VariantDecl {
  readonly behaviour: Partial<Behaviour>;
}

const SPECS: Readonly<Record<string, VariantSpec>> = {
  default: { description: 'Zab as ZooKeeper 3.9 implements it (with the fixes of the bugs below)', expected: 'pass', behaviour: {} },
  'zk-335': {
    description: 'ZOOKEEPER-335: the new epoch is taken from the leader\'s own log (last zxid\'s epoch + 1), never persisted or agreed with a quorum; after a crash two leaders establish the same epoch',
    expected: 'Leadership',
    behaviour: { epochFromLog: true },
  },
  'epoch-not-above-quorum': {
    description: 'mistake: the new epoch is the leader\'s acceptedEpoch + 1, not above the acceptedEpoch of the quorum that registered; a follower that accepted that epoch from an earlier leader accepts it again',
    expected: 'Leadership',
    behaviour: { epochNotAboveQuorum: true },
  },
  'zk-1154': {
    description: 'ZOOKEEPER-1154: the leader sends a DIFF from the follower\'s last zxid although its log does not have that zxid (a TRUNC is needed first), so the follower keeps a txn nobody committed',
    expected: 'PrefixConsistency',
    behaviour: { diffInsteadOfTrunc: true },
  },
  'zk-2355': {
    description: 'ZOOKEEPER-2355: the snapshot taken at NEWLEADER records the leader\'s zxid before the DIFF\'s txns are logged; a crash then loses them while the server reports having them',
    expected: 'CommittedLogDurability',
    behaviour: { snapshotZxidEarly: true },
  },
  'zk-2845': {
    description: 'ZOOKEEPER-2845: a server that shuts down keeps its data tree and reports its last applied zxid, not its last logged one, so a later DIFF is appended after a logged txn nobody committed',
    expected: 'PrefixConsistency',
    behaviour: { retainDatabase: true },
  },
  'zk-3911': {
    description: 'ZOOKEEPER-3911: the follower acknowledges NEWLEADER before the DIFF\'s txns are logged (they are logged at UPTODATE), so the leader commits txns a quorum does not have on disk',
    expected: 'CommittedLogDurability',
    behaviour: { ackBeforeLogging: true },
  },
  'zk-4394': {
    description: 'ZOOKEEPER-4394: NEWLEADER clears the proposals not yet committed, so a later COMMIT finds no proposal and the follower fails',
    expected: 'MessageLegal',
    behaviour: { newLeaderClearsUncommitted: true },
  },
  'zk-4643': {
    description: 'ZOOKEEPER-4643: the follower persists currentEpoch when NEWLEADER arrives, before the synced txns; a crash leaves it with the new epoch and an old log, it wins the next election and truncates committed txns',
    expected: 'CommittedLogDurability',
    behaviour: { epochBeforeTxns: true },
  },
  'zk-4646': {
    description: 'ZOOKEEPER-4646: the NEWLEADER ACK leaves while the synced txns still wait in the sync thread\'s queue, so the leader commits txns a quorum does not have on disk',
    expected: 'CommittedLogDurability',
    behaviour: { ackWhileQueued: true },
  },
  'zk-4685': {
    description: 'ZOOKEEPER-4685: the sync thread ACKs the proposals it logs before the NEWLEADER ACK goes out; the leader, expecting the NEWLEADER ACK first, drops the follower',
    expected: 'MessageLegal',
    behaviour: { ackProposalsDuringSync: true },
  },
  'zk-4712': {
    description: 'ZOOKEEPER-4712: the sync thread keeps logging its queue after the follower shut down, appending txns of the old leader to a log already synced with the new one',
    expected: 'PrimaryOrder',
    behaviour: { syncThreadSurvivesShutdown: true },
  },
  'broadcast-before-quorum': {
    description: 'mistake: the leader is established (commits its log, sends UPTODATE) before a quorum acknowledged NEWLEADER',
    expected: 'CommittedLogDurability',
    behaviour: { broadcastBeforeQuorum: true },
  },
  'zk-1419': {
    description: 'ZOOKEEPER-1419: the vote order compares ids without checking that the epochs are equal, so votes can cycle and no leader is elected: a liveness bug',
    expected: 'LeaderEstablished',
    behaviour: { voteOrderIgnoresEpoch: true },
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
