// The disks the servers start from (`start`): empty, or a point deep in some run, chosen to shorten
// the search to one bug's trigger. Each start is reachable from empty disks by events the model
// has (crashes, restarts, elections, requests); only the volatile state is fresh (every server
// LOOKING, as after a restart of the whole ensemble).
import type { NodeId } from '../../src/index.ts';
import { lostEpochDisk } from './fle-finalize.ts';
import { zxidOf, type Durable, type Txn } from './types.ts';

export type StartKind = 'empty' | 'lost-epoch' | 'orphan-txn' | 'missed-txn';

/** How many of the `requests` a start's disks already hold as txns: those are not sent again. */
export const requestsInStart = (kind: StartKind): number => ({ empty: 0, 'lost-epoch': 0, 'orphan-txn': 3, 'missed-txn': 1 })[kind];

/**
 * `start=orphan-txn`: the last server led epoch 1, committed 1.1 (the first request), logged its
 * next proposal 1.2 (the second) and died before anyone else logged it; the others then
 * established epoch 2 (led by the second-highest server) and committed 2.1 (the third request) on
 * both their disks. The last server holds a txn nobody else has and a lower currentEpoch, so it
 * loses the next election, and its leader syncs it by a TRUNC to 1.1 followed by 2.1 as PROPOSAL +
 * COMMIT: the first half of ZOOKEEPER-5094's trigger, which from empty disks costs a crash, three
 * requests and two elections (README, "ZOOKEEPER-5094").
 */
function orphanTxnDisk(empty: Durable, id: NodeId, servers: number, requests: readonly string[]): Durable {
  const [t11, t12, t21]: Txn[] = [[1, 1], [1, 2], [2, 1]].map(([epoch, counter], i) => ({ zxid: zxidOf(epoch, counter), op: requests[i] }));
  if (id === servers - 1) return { ...empty, acceptedEpoch: 1, currentEpoch: 1, history: [t11, t12], established: [1], committed: [t11] };
  const leader = id === servers - 2;
  return { ...empty, acceptedEpoch: 2, currentEpoch: 2, history: [t11, t21], established: leader ? [2] : [], committed: leader ? [t11, t21] : [] };
}

/**
 * `start=missed-txn`: the second-highest server led epoch 1 with every server and committed 1.1 (the
 * first request) with the ACKs of all but the last server, which had not logged it yet when the
 * ensemble went down. Every server holds currentEpoch 1, so only the zxid tells the last server's
 * vote from the others: ZooKeeper's order elects a server holding 1.1, an order that ignores the
 * zxid elects the last one, whose log lacks a committed txn (README, "A vote order that ignores
 * the zxid"). From empty disks: the last server down during the first election, back in time to
 * acknowledge NEWLEADER, then a request and a restart of the ensemble.
 */
function missedTxnDisk(empty: Durable, id: NodeId, servers: number, requests: readonly string[]): Durable {
  const t11: Txn = { zxid: zxidOf(1, 1), op: requests[0] };
  const epoch1 = { ...empty, acceptedEpoch: 1, currentEpoch: 1 };
  if (id === servers - 1) return epoch1;
  const leader = id === servers - 2;
  return { ...epoch1, history: [t11], established: leader ? [1] : [], committed: leader ? [t11] : [] };
}

/** Server `id`'s disk at the start. */
export function startDisk(kind: StartKind, empty: Durable, id: NodeId, servers: number, requests: readonly string[]): Durable {
  if (kind === 'lost-epoch') return lostEpochDisk(empty, id, servers);
  if (kind === 'orphan-txn') {
    // Its txns carry requested operations (Integrity): the clients made those requests before the start.
    if (requests.length < requestsInStart(kind)) throw new Error(`zab: start=orphan-txn needs requests >= ${requestsInStart(kind)} (its disks hold the first three as txns)`);
    return orphanTxnDisk(empty, id, servers, requests);
  }
  if (kind === 'missed-txn') {
    // 1.1 is committed only if the servers other than the last are a quorum.
    if (servers < 3 || requests.length < requestsInStart(kind)) throw new Error('zab: start=missed-txn needs servers >= 3 and requests >= 1 (its disks hold the first request as txn 1.1)');
    return missedTxnDisk(empty, id, servers, requests);
  }
  return empty;
}
