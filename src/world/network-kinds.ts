// Network semantics as data: one record per network kind says everything the engine asks of the
// network (how messages are kept and ordered, what a send may lose, which message faults apply,
// what a crash or a partition closes). The moves (moves.ts), the event scan (scan.ts), the
// reduction's footprints (event-keys.ts) and the fingerprint read these fields and never the kind's
// name, so a new network kind is one record here plus its tests (test/world/network-kinds.test.ts).
import type { NetworkKind } from '../model/define.ts';

/** Everything the engine needs to know of a network kind. */
export interface NetworkSemantics {
  readonly kind: NetworkKind;
  /** Per-channel send order is kept: only a channel's head is deliverable (else any message is). */
  readonly ordered: boolean;
  /** A delivered message stays in flight and deliverable again (Paxos.tla's `msgs`). */
  readonly keepsDelivered: boolean;
  /** Sending a message already in flight changes nothing (a set, not a multiset). */
  readonly mergesCopies: boolean;
  /**
   * What a partition does to messages: `blocks` delivery across it while it lasts and loses
   * nothing; `loses` what is in flight across it and what is sent across it; `closes` the
   * connections it separates, which also tells both ends (onDisconnect, and onConnect on heal).
   */
  readonly partition: 'blocks' | 'loses' | 'closes';
  /** A crash closes the crashed node's connections: what is in flight to or from it is lost and its peers are told. */
  readonly crashClosesConnections: boolean;
  /** A send to a node that is down is lost (a connection needs both ends up). */
  readonly losesSendsToDownNodes: boolean;
  /** Drop faults apply: one in-flight message (on an ordered network a channel's head) is lost. */
  readonly drops: boolean;
  /** Duplicate faults apply: one in-flight message gets a second copy. */
  readonly duplicates: boolean;
}

/** The network kinds, one record each (`NetworkKind` in src/model/define.ts names them). */
export const NETWORKS: { readonly [K in NetworkKind]: NetworkSemantics & { readonly kind: K } } = {
  /** Messages are never removed once sent (Paxos.tla's `msgs`); a partition only blocks delivery. */
  set: {
    kind: 'set',
    ordered: false,
    keepsDelivered: true,
    mergesCopies: true,
    partition: 'blocks',
    crashClosesConnections: false,
    losesSendsToDownNodes: false,
    drops: false,
    duplicates: false,
  },
  /** A multiset: any in-flight message may be delivered next, each copy once; it may be dropped or duplicated. */
  unordered: {
    kind: 'unordered',
    ordered: false,
    keepsDelivered: false,
    mergesCopies: false,
    partition: 'loses',
    crashClosesConnections: false,
    losesSendsToDownNodes: false,
    drops: true,
    duplicates: true,
  },
  /** Per-channel FIFO queues that never break; a channel's head may be dropped (duplication would break FIFO). */
  fifo: {
    kind: 'fifo',
    ordered: true,
    keepsDelivered: false,
    mergesCopies: false,
    partition: 'loses',
    crashClosesConnections: false,
    losesSendsToDownNodes: false,
    drops: true,
    duplicates: false,
  },
  /** TCP connections, as Zab assumes: FIFO per channel, closed (losing what is on them) by a crash of either end or a separating partition. */
  tcp: {
    kind: 'tcp',
    ordered: true,
    keepsDelivered: false,
    mergesCopies: false,
    partition: 'closes',
    crashClosesConnections: true,
    losesSendsToDownNodes: true,
    drops: false,
    duplicates: false,
  },
};

/** The record of a network kind. */
export function networkOf(kind: NetworkKind): NetworkSemantics {
  const semantics = (NETWORKS as Readonly<Record<string, NetworkSemantics>>)[kind];
  if (semantics === undefined) throw new Error(`unknown network kind '${String(kind)}' (known: ${Object.keys(NETWORKS).join(', ')})`);
  return semantics;
}

/** Whether a send can ever be lost on this network (a partition, or a receiver that is down). */
export const sendsMayBeLost = (net: NetworkSemantics): boolean => net.partition !== 'blocks' || net.losesSendsToDownNodes;

/**
 * Whether a crash or a restart can change what happens at other nodes: it closes connections, or
 * decides whether sends to the node are lost. Then its reduction footprint is the whole world.
 */
export const upDownReachesOthers = (net: NetworkSemantics): boolean => net.crashClosesConnections || net.losesSendsToDownNodes;
