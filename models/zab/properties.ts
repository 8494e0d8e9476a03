// What Zab and ZooKeeper promise, as properties of the world, named as the TLA+ specifications
// name them. Ghost state (never read by the protocol, kept in durable state so crashes cannot
// erase the evidence): each server's `established` epochs and `committed` txns as leader, and the
// first `illegal` packet it received. A server "serves" the txns it applied while it is in the
// broadcast phase (a follower after UPTODATE, an established leader): that is what clients read.
import type { ActorProperty, NodeSlot, WorldView } from '../../src/index.ts';
import { applyTxns, treeText } from './datatree.ts';
import { leaderCommitted } from './leader.ts';
import { epochOf, type Durable, type Msg, type Txn, type Volatile } from './types.ts';

type World = WorldView<Durable, Volatile, Msg>;
type Property = ActorProperty<Durable, Volatile, Msg>;
type Slot = NodeSlot<Durable, Volatile>;

export interface PropertyInput {
  readonly servers: number;
  readonly quorum: number;
  readonly requests: readonly string[];
  readonly livenessTargets: boolean;
}

const sameTxn = (a: Txn, b: Txn): boolean => a.zxid === b.zxid && a.op === b.op;

/** The txns a server has applied and serves to clients, or null when it serves nothing. */
export function served(slot: Slot): readonly Txn[] | null {
  if (!slot.up || slot.volatile === null) return null;
  const role = slot.volatile.role;
  if (role.state === 'LEADING') return role.phase === 'broadcast' ? leaderCommitted(slot.durable, role) : null;
  if (role.state === 'FOLLOWING' && role.phase === 'broadcast') {
    return [...slot.durable.history, ...role.queue].filter((t) => t.zxid <= role.lastCommitted);
  }
  return null;
}

/** Every txn some leader committed, by zxid (copies by several leaders counted once). */
export function committedTxns(w: World): Txn[] {
  const out: Txn[] = [];
  for (const n of w.nodes) for (const t of n.durable.committed) if (!out.some((u) => sameTxn(t, u))) out.push(t);
  return out.sort((a, b) => a.zxid - b.zxid || (a.op < b.op ? -1 : 1));
}

const isPrefix = (a: readonly Txn[], b: readonly Txn[]): boolean => a.length <= b.length && a.every((t, i) => sameTxn(t, b[i]));
const servedAll = (w: World): (readonly Txn[])[] => w.nodes.map(served).filter((p): p is readonly Txn[] => p !== null);
const increasing = (ts: readonly Txn[]): boolean => ts.every((t, i) => i === 0 || ts[i - 1].zxid < t.zxid);

export function zabProperties(input: PropertyInput): Property[] {
  const { quorum, requests } = input;
  const invariants: Property[] = [
    {
      name: 'Leadership',
      description: 'at most one server is established as leader in any epoch',
      kind: 'invariant',
      test: (w) => {
        const seen = new Set<number>();
        for (const n of w.nodes) for (const e of n.durable.established) {
          if (seen.has(e)) return false;
          seen.add(e);
        }
        return true;
      },
    },
    {
      name: 'Integrity',
      description: 'every logged txn carries an operation some client requested',
      kind: 'invariant',
      test: (w) => w.nodes.every((n) => n.durable.history.every((t) => requests.includes(t.op))),
    },
    {
      name: 'TotalOrder',
      description: 'no two different txns are ever committed with the same zxid',
      kind: 'invariant',
      test: (w) => committedTxns(w).every((t, i, all) => i === 0 || all[i - 1].zxid !== t.zxid),
    },
    {
      name: 'PrimaryOrder',
      description: 'every log is in strictly increasing zxid order (LocalPrimaryOrder within an epoch, GlobalPrimaryOrder across epochs)',
      kind: 'invariant',
      test: (w) => w.nodes.every((n) => increasing(n.durable.history)),
    },
    {
      name: 'PrefixConsistency',
      description: 'of any two serving servers, the txns one applied are a prefix of what the other applied (Agreement)',
      kind: 'invariant',
      test: (w) => {
        const all = servedAll(w);
        return all.every((a) => all.every((b) => isPrefix(a, b) || isPrefix(b, a)));
      },
    },
    {
      name: 'ProcessConsistency',
      description: 'what a serving server applied is a prefix of the committed txns in zxid order',
      kind: 'invariant',
      test: (w) => {
        const committed = committedTxns(w);
        return servedAll(w).every((p) => isPrefix(p, committed));
      },
    },
    {
      name: 'PrimaryIntegrity',
      description: 'an established leader has every txn committed in an earlier epoch in its log (leader log completeness)',
      kind: 'invariant',
      test: (w) => {
        const committed = committedTxns(w);
        return w.nodes.every((n) => {
          const role = n.up ? n.volatile?.role : undefined;
          if (role?.state !== 'LEADING' || role.phase !== 'broadcast') return true;
          return committed.every((t) => epochOf(t.zxid) >= role.epoch || n.durable.history.some((h) => sameTxn(h, t)));
        });
      },
    },
    {
      name: 'CommittedLogDurability',
      description: 'every committed txn is on disk (in the durable log) of a quorum of servers: never lost, never truncated',
      kind: 'invariant',
      test: (w) => committedTxns(w).every((t) => w.nodes.filter((n) => n.durable.history.some((h) => sameTxn(h, t))).length >= quorum),
    },
    {
      name: 'MonotonicRead',
      description: 'a serving server never serves less than it served before: its applied prefix reaches the highest zxid it ever served (ghost readZxid)',
      kind: 'invariant',
      test: (w) => w.nodes.every((n) => {
        const p = served(n);
        return p === null || (p.length > 0 ? p[p.length - 1].zxid : 0) >= n.durable.readZxid;
      }),
    },
    {
      name: 'MessageLegal',
      description: 'no server receives a packet its state does not allow (the mixed-grained specs\' check)',
      kind: 'invariant',
      test: (w) => w.nodes.every((n) => n.durable.illegal === null),
    },
    {
      // SandTable's NoVoteCircle (its ZooKeeper 3.4.3 FastLeaderElection spec, the check that exposes
      // ZOOKEEPER-1419): by a total order a LOOKING server's vote only rises within a round, so
      // it never returns to a vote it left. Ghost kept with full FLE (`fle=full`) only.
      name: 'NoVoteCircle',
      description: 'no LOOKING server adopts again, in the same election round, a vote for another server that it adopted and left before (fle=full)',
      kind: 'invariant',
      test: (w) => w.nodes.every((n) => n.durable.voteCircle === undefined),
    },
    {
      name: 'EqualTreesForEqualPrefixes',
      description: 'servers that applied the same txns hold equal data trees',
      kind: 'invariant',
      test: (w) => {
        const seen = new Map<string, string>();
        for (const p of servedAll(w)) {
          const key = p.map((t) => `${t.zxid}:${t.op}`).join('|');
          const tree = treeText(applyTxns(p));
          if ((seen.get(key) ?? tree) !== tree) return false;
          seen.set(key, tree);
        }
        return true;
      },
    },
    {
      name: 'NoEphemeralOutlivesSession',
      description: 'no serving server holds an ephemeral znode of a session it applied the close of',
      kind: 'invariant',
      test: (w) => servedAll(w).every((p) => {
        const tree = applyTxns(p);
        return [...tree.nodes.values()].every((z) => z.owner === null || !tree.closedSessions.has(z.owner));
      }),
    },
  ];
  const leaderEstablished: Property = {
    name: 'LeaderEstablished',
    description: 'some server leads in the broadcast phase (a quorum acknowledged its NEWLEADER)',
    kind: 'reachable',
    test: (w) => w.nodes.some((n) => n.up && n.volatile?.role.state === 'LEADING' && n.volatile.role.phase === 'broadcast'),
  };
  if (input.livenessTargets) return [...invariants, leaderEstablished];
  const syncedBy = (mode: 'DIFF' | 'TRUNC' | 'SNAP'): Property => ({
    name: `SyncedBy${mode}`,
    description: `a follower acknowledged NEWLEADER after a ${mode} synchronization`,
    kind: 'reachable',
    test: (w) => w.nodes.some((n) => n.up && n.volatile?.role.state === 'FOLLOWING' && n.volatile.role.phase === 'acked' && n.volatile.role.syncMode === mode),
  });
  return [
    ...invariants,
    leaderEstablished,
    {
      name: 'CommittedOnEveryServer',
      description: 'some txn is applied and served by every server',
      kind: 'reachable',
      test: (w) => {
        const all = w.nodes.map(served);
        return all.every((p) => p !== null && p.length > 0);
      },
    },
    syncedBy('DIFF'),
    syncedBy('TRUNC'),
    syncedBy('SNAP'),
  ];
}
