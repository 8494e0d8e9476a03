// What Zab and ZooKeeper promise, as properties of the world, named as the TLA+ specifications
// name them. Ghost state (never read by the protocol, kept in durable state so crashes cannot
// erase the evidence): each server's `established` epochs and `committed` txns as leader, and the
// first `illegal` packet it received. A server "serves" the txns it applied while it is in the
// broadcast phase (a follower after UPTODATE, an established leader): that is what clients read.
import type { ActorProperty, NodeSlot, WorldView } from '../../src/index.ts';
import { applyTxns, treeText } from './datatree.ts';
import { leaderCommitted } from './leader.ts';
import { epochOf, lastZxidOf, zxidText, type Durable, type Msg, type Txn, type Volatile } from './types.ts';

type World = WorldView<Durable, Volatile, Msg>;
type Property = ActorProperty<Durable, Volatile, Msg>;
type Slot = NodeSlot<Durable, Volatile>;

export interface PropertyInput {
  readonly servers: number;
  readonly quorum: number;
  readonly requests: readonly string[];
  readonly livenessTargets: boolean;
  /** `disk=separate`: EpochOrder is checked (see there). */
  readonly diskSeparate: boolean;
}

const sameTxn = (a: Txn, b: Txn): boolean => a.zxid === b.zxid && a.op === b.op;

/** The txns a server has applied and serves to clients, or null when it serves nothing. */
export function served(slot: Slot): readonly Txn[] | null {
  if (!slot.up || slot.volatile === null) return null;
  const role = slot.volatile.role;
  if (role.state === 'LEADING') return role.phase === 'broadcast' ? leaderCommitted(slot.durable, role) : null;
  if (role.state === 'FOLLOWING' && role.phase === 'broadcast') {
    // The ZK-3642 mutant serves the unwritten snapshot it still holds in memory, then its log.
    const mem = slot.volatile.memSnapshot ?? [];
    const logged = mem.length === 0 ? slot.durable.history : [...mem, ...slot.durable.history.filter((t) => t.zxid > lastZxidOf(mem))];
    return [...logged, ...role.queue].filter((t) => t.zxid <= role.lastCommitted);
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
/** Each serving server's id with the txns it serves. */
const servedBy = (w: World): [number, readonly Txn[]][] => w.nodes.flatMap((n, id): [number, readonly Txn[]][] => {
  const p = served(n);
  return p === null ? [] : [[id, p]];
});
const txnText = (t: Txn): string => `${zxidText(t.zxid)} ${t.op}`;
const logText = (ts: readonly Txn[]): string => `[${ts.map(txnText).join(', ')}]`;
/** The servers that committed `t` as leader, for messages. */
const committers = (w: World, t: Txn): string => w.nodes.flatMap((n, id) => (n.durable.committed.some((u) => sameTxn(u, t)) ? [`s${id}`] : [])).join(', ') || 'nobody';

export function zabProperties(input: PropertyInput): Property[] {
  const { quorum, requests } = input;
  const invariants: Property[] = [
    {
      name: 'Leadership',
      description: 'at most one server is established as leader in any epoch',
      kind: 'invariant',
      test: (w) => {
        const by = new Map<number, number>();
        for (const [id, n] of w.nodes.entries()) for (const e of n.durable.established) {
          const other = by.get(e);
          if (other !== undefined) return other === id ? `s${id} established epoch ${e} twice` : `s${other} and s${id} both established epoch ${e}`;
          by.set(e, id);
        }
        return true;
      },
    },
    {
      name: 'Integrity',
      description: 'every logged txn carries an operation some client requested',
      kind: 'invariant',
      test: (w) => {
        for (const [id, n] of w.nodes.entries()) for (const t of n.durable.history) if (!requests.includes(t.op)) return `s${id} logged ${txnText(t)}, which no client requested`;
        return true;
      },
    },
    {
      name: 'TotalOrder',
      description: 'no two different txns are ever committed with the same zxid',
      kind: 'invariant',
      test: (w) => {
        const all = committedTxns(w);
        const i = all.findIndex((t, k) => k > 0 && all[k - 1].zxid === t.zxid);
        return i < 0 || `${txnText(all[i - 1])} and ${txnText(all[i])} were both committed (by ${committers(w, all[i - 1])} and ${committers(w, all[i])})`;
      },
    },
    {
      name: 'PrimaryOrder',
      description: 'every log is in strictly increasing zxid order (LocalPrimaryOrder within an epoch, GlobalPrimaryOrder across epochs)',
      kind: 'invariant',
      test: (w) => {
        for (const [id, n] of w.nodes.entries()) {
          const h = n.durable.history;
          const i = h.findIndex((t, k) => k > 0 && h[k - 1].zxid >= t.zxid);
          if (i >= 0) return `s${id}'s log has ${txnText(h[i - 1])} before ${txnText(h[i])}: ${logText(h)}`;
        }
        return true;
      },
    },
    {
      name: 'PrefixConsistency',
      description: 'of any two serving servers, the txns one applied are a prefix of what the other applied (Agreement)',
      kind: 'invariant',
      test: (w) => {
        const all = servedBy(w);
        for (const [a, pa] of all) for (const [b, pb] of all) {
          if (a < b && !isPrefix(pa, pb) && !isPrefix(pb, pa)) return `s${a} serves ${logText(pa)} and s${b} serves ${logText(pb)}: neither is a prefix of the other`;
        }
        return true;
      },
    },
    {
      name: 'ProcessConsistency',
      description: 'what a serving server applied is a prefix of the committed txns in zxid order',
      kind: 'invariant',
      test: (w) => {
        const committed = committedTxns(w);
        for (const [id, p] of servedBy(w)) if (!isPrefix(p, committed)) return `s${id} serves ${logText(p)}, not a prefix of the committed ${logText(committed)}`;
        return true;
      },
    },
    {
      name: 'PrimaryIntegrity',
      description: 'an established leader has every txn committed in an earlier epoch in its log (leader log completeness)',
      kind: 'invariant',
      test: (w) => {
        const committed = committedTxns(w);
        for (const [id, n] of w.nodes.entries()) {
          const role = n.up ? n.volatile?.role : undefined;
          if (role?.state !== 'LEADING' || role.phase !== 'broadcast') continue;
          const missing = committed.find((t) => epochOf(t.zxid) < role.epoch && !n.durable.history.some((h) => sameTxn(h, t)));
          if (missing !== undefined) return `s${id}, leader of epoch ${role.epoch}, lacks ${txnText(missing)} committed by ${committers(w, missing)} (its log: ${logText(n.durable.history)})`;
        }
        return true;
      },
    },
    {
      name: 'CommittedLogDurability',
      description: 'every committed txn is on disk (in the durable log) of a quorum of servers: never lost, never truncated',
      kind: 'invariant',
      test: (w) => {
        for (const t of committedTxns(w)) {
          // On disk: the synced log while appends wait for their flush (`disk=separate` with disk faults).
          const holders = w.nodes.flatMap((n, id) => ((n.synced ?? n.durable).history.some((h) => sameTxn(h, t)) ? [`s${id}`] : []));
          if (holders.length < quorum) return `${txnText(t)}, committed by ${committers(w, t)}, is on the disk of ${holders.length === 0 ? 'no server' : `only ${holders.join(', ')}`} (a quorum is ${quorum})`;
        }
        return true;
      },
    },
    {
      name: 'MonotonicRead',
      description: 'a serving server never serves less than it served before: its applied prefix reaches the highest zxid it ever served (ghost readZxid)',
      kind: 'invariant',
      test: (w) => {
        for (const [id, n] of w.nodes.entries()) {
          const p = served(n);
          const last = p === null || p.length === 0 ? 0 : p[p.length - 1].zxid;
          if (p !== null && last < n.durable.readZxid) return `s${id} served up to ${zxidText(n.durable.readZxid)} and now serves only up to ${zxidText(last)}`;
        }
        return true;
      },
    },
    {
      name: 'MessageLegal',
      description: 'no server receives a packet its state does not allow (the mixed-grained specs\' check)',
      kind: 'invariant',
      test: (w) => {
        const id = w.nodes.findIndex((n) => n.durable.illegal !== null);
        return id < 0 || `s${id} received ${w.nodes[id].durable.illegal}`;
      },
    },
    {
      // SandTable's NoVoteCircle (its ZooKeeper 3.4.3 FastLeaderElection spec, the check that exposes
      // ZOOKEEPER-1419): by a total order a LOOKING server's vote only rises within a round, so
      // it never returns to a vote it left. Ghost kept with full FLE (`fle=full`) only.
      name: 'NoVoteCircle',
      description: 'no LOOKING server adopts again, in the same election round, a vote for another server that it adopted and left before (fle=full)',
      kind: 'invariant',
      test: (w) => {
        const circle = w.nodes.find((n) => n.durable.voteCircle !== undefined)?.durable.voteCircle;
        return circle === undefined || circle;
      },
    },
    {
      name: 'EqualTreesForEqualPrefixes',
      description: 'servers that applied the same txns hold equal data trees',
      kind: 'invariant',
      test: (w) => {
        const seen = new Map<string, [number, string]>();
        for (const [id, p] of servedBy(w)) {
          const key = p.map((t) => `${t.zxid}:${t.op}`).join('|');
          const tree = treeText(applyTxns(p));
          const before = seen.get(key);
          if (before !== undefined && before[1] !== tree) return `s${before[0]} and s${id} applied ${logText(p)} but hold different trees: ${before[1]} and ${tree}`;
          seen.set(key, [id, tree]);
        }
        return true;
      },
    },
    {
      name: 'NoEphemeralOutlivesSession',
      description: 'no serving server holds an ephemeral znode of a session it applied the close of',
      kind: 'invariant',
      test: (w) => {
        for (const [id, p] of servedBy(w)) {
          const tree = applyTxns(p);
          for (const [path, z] of tree.nodes) if (z.owner !== null && tree.closedSessions.has(z.owner)) return `s${id} holds ephemeral ${path} of session ${z.owner}, whose close it applied`;
        }
        return true;
      },
    },
  ];
  const epochOrder: Property = {
    // ZooKeeper's QuorumPeer refuses to start when its currentEpoch file is above its acceptedEpoch
    // file (ZOOKEEPER-2307's symptom): a server accepts an epoch before it acknowledges it. Checked
    // with `disk=separate` only: in the coarse grain each epoch write is fused with its packet, and
    // the one mutant that breaks it there is zk-335, which stands for ZooKeeper before the
    // acceptedEpoch file existed (it never writes one).
    name: 'EpochOrder',
    description: 'on every disk, currentEpoch is at most acceptedEpoch (else ZooKeeper refuses to load the server\'s state)',
    kind: 'invariant',
    test: (w) => {
      const id = w.nodes.findIndex((n) => n.durable.currentEpoch > n.durable.acceptedEpoch);
      return id < 0 || `s${id}'s disk holds currentEpoch ${w.nodes[id].durable.currentEpoch} above acceptedEpoch ${w.nodes[id].durable.acceptedEpoch}`;
    },
  };
  const leaderEstablished: Property = {
    name: 'LeaderEstablished',
    description: 'some server leads in the broadcast phase (a quorum acknowledged its NEWLEADER)',
    kind: 'reachable',
    test: (w) => w.nodes.some((n) => n.up && n.volatile?.role.state === 'LEADING' && n.volatile.role.phase === 'broadcast'),
  };
  if (input.diskSeparate) invariants.push(epochOrder);
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
