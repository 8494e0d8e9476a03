// The actor API: how users write a protocol the way they implement it. Each node is an actor whose
// handlers turn (state, message or timer) into (new state, messages to send, timers to set).
// Handlers are pure: they return new state and never mutate what they are given.
//
// State is split in two. `durable` is what the real system writes to disk before acting on it
// (an acceptor's promise, Zab's acceptedEpoch/currentEpoch/history); it survives a crash.
// `volatile` is lost on a crash; `onRestart(durable)` rebuilds it.

/** Nodes are numbered 0..n-1. The environment (clients) sends as CLIENT. */
export type NodeId = number;
export const CLIENT: NodeId = -1;

export interface NodeState<D, V> {
  readonly durable: D;
  readonly volatile: V;
}

export interface Send<M> {
  readonly to: NodeId;
  readonly msg: M;
}

/** What a handler returns. Omitted fields mean: no messages, timers unchanged. */
export interface Step<D, V, M> {
  readonly state: NodeState<D, V>;
  readonly send?: readonly Send<M>[];
  /** Timers to arm (by name; arming an armed timer keeps one). */
  readonly setTimers?: readonly string[];
  /** Timers to disarm. */
  readonly cancelTimers?: readonly string[];
  // Storage (docs/faults.md). Without these two, a step's durable writes are on disk when it ends.
  /**
   * This step's durable writes are buffered (written, not yet fsync'ed): a `power-loss` fault may
   * lose them, a `write-error` fault may fail them, until a later step syncs.
   */
  readonly unsynced?: boolean;
  /** fsync: every durable write so far (this step's included) is on disk. A step that writes durable state without `unsynced` syncs too. */
  readonly sync?: boolean;
}

/**
 * A nondeterministic choice: a handler returns several alternative steps and each becomes an event
 * of its own (as P's `choose`), in place of racing timers. Only in specs that declare `choices: true`.
 */
export interface Choice<D, V, M> {
  readonly choose: readonly Step<D, V, M>[];
}

/** Whether a handler's answer is a `Choice` rather than one step. */
export function isChoice<D, V, M>(result: Step<D, V, M> | Choice<D, V, M> | undefined): result is Choice<D, V, M> {
  return typeof result === 'object' && result !== null && 'choose' in result;
}

/** A node as the world holds it (and as properties see it). */
export interface NodeSlot<D, V> {
  readonly up: boolean;
  readonly durable: D;
  /** null while the node is down. */
  readonly volatile: V | null;
  /** Armed timers, sorted by name. */
  readonly timers: readonly string[];
  /** Present only while durable writes are buffered (`Step.unsynced`): the durable state last synced to disk. */
  readonly synced?: D;
}

export interface Envelope<M> {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: M;
}

/** What properties of an actor world see. */
export interface WorldView<D, V, M> {
  readonly nodes: readonly NodeSlot<D, V>[];
  /** Messages in flight, one entry per copy, in a canonical order. */
  readonly messages: readonly Envelope<M>[];
}

export interface ActorProperty<D, V, M> {
  readonly name: string;
  readonly description: string;
  readonly kind: 'invariant' | 'reachable';
  /**
   * true: holds (an invariant) or is reached (a target). false, or a string saying why ("p1 committed
   * while p2 aborted"): does not; a counterexample prints the string after the description.
   */
  test(world: WorldView<D, V, M>): boolean | string;
}

export interface ActorSpec<D, V, M> {
  readonly nodeCount: number;
  /** A short display name for node `id` (default n0, n1, ...). */
  nodeName?(id: NodeId): string;
  init(id: NodeId): Step<D, V, M>;
  /**
   * Return undefined to ignore the message (it is consumed, nothing changes), or (with `choices`)
   * a `Choice` of alternative steps.
   */
  onMessage(id: NodeId, state: NodeState<D, V>, from: NodeId, msg: M): Step<D, V, M> | Choice<D, V, M> | undefined;
  onTimer(id: NodeId, state: NodeState<D, V>, timer: string): Step<D, V, M> | Choice<D, V, M> | undefined;
  /**
   * Set when `onMessage` or `onTimer` may return a `Choice`. The engine then runs those handlers
   * (once per distinct input) while listing a world's events, to learn how many alternatives each
   * delivery and timer has: alternative k is the event plus `choice: k` and `of: n`.
   */
  readonly choices?: boolean;
  /** Rebuild volatile state after a crash, from durable state alone. */
  onRestart(id: NodeId, durable: D): Step<D, V, M>;
  /**
   * `tcp` networks only: the connection between `id` and `peer` closed (the peer crashed, or a
   * partition now separates them), as a real server sees a socket error. Called within the fault
   * event, for every node that is up and every peer it lost, in node order, then peer order.
   * Return undefined to ignore it. To make detection a later, separate event, arm a timer here.
   */
  onDisconnect?(id: NodeId, state: NodeState<D, V>, peer: NodeId): Step<D, V, M> | undefined;
  /**
   * `tcp` networks only: the partition that separated `id` from `peer` healed and they can connect
   * again. It stands for the connection retries a real server keeps making (ZooKeeper's election
   * re-sends its vote until it gets through) without a timer that would fire forever in exhaustive
   * search. Called within the heal event, for every pair of up nodes the partition had separated,
   * in node order, then peer order. Return undefined to ignore it.
   */
  onConnect?(id: NodeId, state: NodeState<D, V>, peer: NodeId): Step<D, V, M> | undefined;
  /**
   * Storage faults (docs/faults.md): buffered (`unsynced`) durable writes failed, as an fsync that
   * returns EIO. Called within a `write-error` event with the node's state after the failure: its
   * durable state is back at the last synced one, its volatile state and timers as they were.
   * Return undefined to ignore the error (the node goes on as if the writes had happened, which
   * is the bug). A model without this handler gets no `write-error` events, only `power-loss`.
   */
  onWriteError?(id: NodeId, state: NodeState<D, V>): Step<D, V, M> | undefined;
  /** Messages the environment sends at the start (client requests), delivered like any other. */
  readonly clientRequests?: readonly Send<M>[];
  readonly properties: readonly ActorProperty<D, V, M>[];
  /**
   * The actions this protocol expects to perform, named as coverage names them: "<role> receives
   * <message type>" and "<role> timer <name>" (roles from `roleOf`, message types from a `type` or
   * `kind` field). Coverage flags every one that never fires: a handler no message reaches.
   */
  readonly actions?: readonly string[];
  /**
   * Liveness (`check --liveness`, docs/faults.md#liveness): the weakly fair events. Each entry is an
   * action as coverage names it ("<role> receives <type>", "<role> timer <name>", "restart", "heal")
   * or `'deliveries'` (every delivery) or `'timers'` (every timer). A fair event that stays enabled
   * on a cycle must be taken on it, else the cycle is no counterexample; fairness is per event (this
   * message, this node's timer). Default: `['deliveries', 'restart', 'heal']` (messages arrive, crashed
   * nodes come back, partitions heal; timers and faults are not fair).
   */
  readonly fair?: readonly string[];
  /** A node's role for coverage (default: its display name without the trailing number). */
  roleOf?(id: NodeId): string;
  /** One line for a message in timelines (default: its JSON). */
  describeMessage?(msg: M): string;
  /**
   * A few words the HTML view shows under node `id`'s lane name at the selected step (Zab: role,
   * epoch, last logged and committed zxid), for a node that is up; a down node reads "down". Keep
   * it short: the lane is about 80 pixels wide and the text wraps. Default: no badge.
   */
  badge?(id: NodeId, state: NodeState<D, V>): string;
  /**
   * The abstract state guided simulation counts as coverage (`--strategy guided`): worlds that map
   * to the same string are one state to it, and a run that reaches a new one is kept to grow from.
   * Keep it coarse (roles, phases, terms, the shape of logs), never message contents or counters
   * that grow without bound. Default: per node, down, or the strings and booleans of its volatile
   * state (role, phase), plus those of its durable state, two levels deep; and the partition.
   */
  abstraction?(view: WorldView<D, V, M>): string;
  /**
   * Optional symmetry: nodes within a group are interchangeable (renaming them maps behaviours to
   * behaviours). With `--symmetry` the engine fingerprints each world by the smallest fingerprint
   * over all renamings, so it stores one state per equivalence class. The rename functions must
   * rewrite every node id held in state or messages (and keep sets sorted if the model sorts them).
   */
  readonly symmetry?: ActorSymmetry<D, V, M>;
}

export interface ActorSymmetry<D, V, M> {
  readonly groups: readonly (readonly NodeId[])[];
  renameDurable(durable: D, rename: (id: NodeId) => NodeId): D;
  renameVolatile(volatile: V, rename: (id: NodeId) => NodeId): V;
  renameMessage(msg: M, rename: (id: NodeId) => NodeId): M;
}
