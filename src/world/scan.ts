// The enabled events of an actor world, in the one fixed order every consumer sees (the enabled
// list, exhaustive search's successors, simulation's cursor): deliveries in network order, timers
// by node, crashes and restarts by node, partitions by split, heal, drops and duplications, then
// storage faults by node (a write error, then a power loss; docs/faults.md).
// The scan calls a sink per event instead of building a list, so each consumer pays only for what
// it keeps (successors.ts applies the move at once; event-list.ts makes event objects).
import type { NodeId } from '../model/actor.ts';
import { CRASH, DISK, diskUsedOf, DROP, DUPLICATE, PARTITION, partitionOf, type Rules } from './moves.ts';
import type { NetworkSemantics } from './network-kinds.ts';
import type { Groups } from './partitions.ts';

/** Receives the enabled events of a world, in the order `EventScan.scan` defines. */
export interface Sink {
  /** Envelope `id` at network position `at`; `choice` is -1, or alternative `choice` of the handler's `of`. */
  deliver(id: number, at: number, choice: number, of: number): void;
  timer(node: NodeId, timer: string, choice: number, of: number): void;
  crash(node: NodeId): void;
  restart(node: NodeId): void;
  /** A partition into `splits[split]`. */
  partition(split: number): void;
  heal(): void;
  drop(id: number): void;
  duplicate(id: number): void;
  /** Node `node`'s buffered writes fail (it has some, and an `onWriteError` handler). */
  writeError(node: NodeId): void;
  /** Node `node` crashes and loses its buffered writes (it has some). */
  powerLoss(node: NodeId): void;
}

/** The used count of fault budget `which` (CRASH, PARTITION, DROP, DUPLICATE) in world `w`. */
export const usedBudget = (w: Uint32Array, n: number, which: number): number => (w[n + 1] >>> (8 * which)) & 0xff;

export class EventScan<D, V, M> {
  private readonly n: number;
  private readonly splits: readonly Groups[];
  private readonly net: NetworkSemantics;
  /** Only a spec that declares choices pays for running handlers while listing events. */
  private readonly choices: boolean;

  constructor(private readonly rules: Rules<D, V, M>) {
    this.n = rules.n;
    this.splits = rules.splits;
    this.net = rules.net;
    this.choices = rules.spec.choices === true;
  }

  private connected(w: Uint32Array, from: NodeId, to: NodeId): boolean {
    const p = partitionOf(w, this.n);
    if (p === 0 || from < 0) return true;
    const groups = this.splits[p - 1];
    return groups[from] === groups[to];
  }

  /** Whether network positions `i - 1` and `i` hold what lists as one event (a copy, or a channel's tail). */
  private sameAsPrevious(w: Uint32Array, i: number): boolean {
    return this.net.ordered ? this.rules.table.compareChannel(w[i - 1], w[i]) === 0 : w[i - 1] === w[i];
  }

  /** Call `sink` for each enabled event of `w`, in order. */
  scan(w: Uint32Array, sink: Sink): void {
    this.messages(w, sink);
    this.nodes(w, sink);
    this.topology(w, sink);
    this.messageFaults(w, sink);
    this.storageFaults(w, sink);
  }

  /** Deliveries: each distinct message (on an ordered network each channel's head) to a node that is up and reachable. */
  private messages(w: Uint32Array, sink: Sink): void {
    const { n, rules } = this;
    const { table, slots } = rules;
    const up = slots.up;
    const start = n + 2;
    for (let i = start; i < w.length; i++) {
      if (i > start && this.sameAsPrevious(w, i)) continue;
      const id = w[i];
      const to = table.to[id];
      if (up[w[to]] !== 1 || !this.connected(w, table.from[id], to)) continue;
      const of = this.choices ? rules.deliverChoices(w[to], id) : 0;
      if (of === 0) sink.deliver(id, i - start, -1, 0);
      else for (let k = 0; k < of; k++) sink.deliver(id, i - start, k, of);
    }
  }

  /** Timers of the nodes that are up, then crashes (within budget) and restarts. */
  private nodes(w: Uint32Array, sink: Sink): void {
    const { n, rules } = this;
    const slots = rules.slots;
    const up = slots.up;
    for (let node = 0; node < n; node++) {
      const s = w[node];
      if (up[s] !== 1) continue;
      // An index loop: a for-of over these frozen arrays allocated an iterator per node and world.
      const timers = slots.timerSets[slots.timersOf[s]];
      for (let t = 0; t < timers.length; t++) {
        const timer = timers[t];
        const of = this.choices ? rules.timerChoices(node, s, timer) : 0;
        if (of === 0) sink.timer(node, timer, -1, 0);
        else for (let k = 0; k < of; k++) sink.timer(node, timer, k, of);
      }
    }
    const crashesLeft = usedBudget(w, n, CRASH) < rules.budget[CRASH];
    for (let node = 0; node < n; node++) {
      if (up[w[node]] === 1) {
        if (crashesLeft) sink.crash(node);
      } else sink.restart(node);
    }
  }

  /** A partition (within budget) while whole, a heal while partitioned. */
  private topology(w: Uint32Array, sink: Sink): void {
    const n = this.n;
    const p = partitionOf(w, n);
    if (p === 0 && usedBudget(w, n, PARTITION) < this.rules.budget[PARTITION]) for (let i = 0; i < this.splits.length; i++) sink.partition(i);
    if (p !== 0) sink.heal();
  }

  /** Within the storage-fault budget, per node that is up with buffered writes: a write error (when the spec handles it), then a power loss (also within the crash budget). */
  private storageFaults(w: Uint32Array, sink: Sink): void {
    const { n, rules } = this;
    if (diskUsedOf(w, n) >= rules.budget[DISK]) return;
    const slots = rules.slots;
    const crashesLeft = usedBudget(w, n, CRASH) < rules.budget[CRASH];
    const handles = rules.spec.onWriteError !== undefined;
    for (let node = 0; node < n; node++) {
      const s = w[node];
      if (slots.up[s] !== 1 || !slots.unsynced(s)) continue;
      if (handles) sink.writeError(node);
      if (crashesLeft) sink.powerLoss(node);
    }
  }

  /** Drops and duplications of each distinct in-flight message (on an ordered network, each channel's head), where the network has them. */
  private messageFaults(w: Uint32Array, sink: Sink): void {
    const { n, net } = this;
    const budget = this.rules.budget;
    const dropsLeft = net.drops && usedBudget(w, n, DROP) < budget[DROP];
    const duplicatesLeft = net.duplicates && usedBudget(w, n, DUPLICATE) < budget[DUPLICATE];
    if (!dropsLeft && !duplicatesLeft) return;
    // Two passes over the network rather than a scratch list: nothing allocated, and nothing shared
    // with a scan made from inside a sink's call.
    const start = n + 2;
    if (dropsLeft) for (let i = start; i < w.length; i++) if (i === start || !this.sameAsPrevious(w, i)) sink.drop(w[i]);
    if (duplicatesLeft) for (let i = start; i < w.length; i++) if (i === start || !this.sameAsPrevious(w, i)) sink.duplicate(w[i]);
  }
}
