// The disks the servers start from (`start`): empty, or a point deep in some run, chosen to shorten
// the search to one bug's trigger. Each start is reachable from empty disks by events the model
// has (crashes, restarts, elections, requests); only the volatile state is fresh (every server
// LOOKING, as after a restart of the whole ensemble).
import type { NodeId } from '../../src/index.ts';
import { lostEpochDisk } from './fle-finalize.ts';
import { zxidOf, type Durable, type Txn } from './types.ts';

export type StartKind = 'empty' | 'lost-epoch' | 'orphan-txn';

/** How many of the `requests` a start's disks already hold as txns: those are not sent again. */
export const requestsInStart = (kind: StartKind): number => (kind === 'orphan-txn' ? 3 : 0);

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

/** Server `id`'s disk at the start. */
export function startDisk(kind: StartKind, empty: Durable, id: NodeId, servers: number, requests: readonly string[]): Durable {
  if (kind === 'lost-epoch') return lostEpochDisk(empty, id, servers);
  if (kind === 'orphan-txn') {
    // Its txns carry requested operations (Integrity): the clients made those requests before the start.
    if (requests.length < requestsInStart(kind)) throw new Error(`zab: start=orphan-txn needs requests >= ${requestsInStart(kind)} (its disks hold the first three as txns)`);
    return orphanTxnDisk(empty, id, servers, requests);
  }
  return empty;
}
