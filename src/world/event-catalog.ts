// The event objects of one compiled actor world, each made once, frozen and shared: events are
// immutable data, and sharing them lets consumers cache by identity (coverage labels, simulation's
// schedule) and lets a step find an enabled event's envelope id without a search. Deliveries come
// from the envelope table (envelopes.ts); a drop or a duplication copies its delivery's fields
// under its own kind, and an alternative of a choice adds `choice` and `of` (field order is the
// trace format's).
import type { NodeId } from '../model/actor.ts';
import type { EnvelopeTable } from './envelopes.ts';
import type { CrashEvent, DeliverEvent, DropEvent, DuplicateEvent, HealEvent, PartitionEvent, PowerLossEvent, RestartEvent, TimerEvent, WriteErrorEvent } from './events.ts';
import type { Groups } from './partitions.ts';

export class EventCatalog<M> {
  readonly crash: readonly CrashEvent[];
  readonly restart: readonly RestartEvent[];
  readonly writeError: readonly WriteErrorEvent[];
  readonly powerLoss: readonly PowerLossEvent[];
  /** One partition event per split, in the splits' order. */
  readonly partition: readonly PartitionEvent[];
  readonly heal: HealEvent = Object.freeze({ kind: 'heal' });
  private readonly timers: Map<string, TimerEvent>[];
  private readonly deliverAlternatives = new Map<string, DeliverEvent<M>>();
  private readonly timerAlternatives = new Map<string, TimerEvent>();
  private readonly drops: DropEvent<M>[] = [];
  private readonly duplicates: DuplicateEvent<M>[] = [];

  constructor(
    nodeCount: number,
    splits: readonly Groups[],
    private readonly table: EnvelopeTable<M>,
  ) {
    this.crash = Array.from({ length: nodeCount }, (_, node) => Object.freeze({ kind: 'crash', node }));
    this.restart = Array.from({ length: nodeCount }, (_, node) => Object.freeze({ kind: 'restart', node }));
    this.writeError = Array.from({ length: nodeCount }, (_, node) => Object.freeze({ kind: 'write-error', node }));
    this.powerLoss = Array.from({ length: nodeCount }, (_, node) => Object.freeze({ kind: 'power-loss', node }));
    this.partition = splits.map((groups) => Object.freeze({ kind: 'partition', groups }));
    this.timers = Array.from({ length: nodeCount }, () => new Map<string, TimerEvent>());
  }

  /** The delivery of envelope `id`, or its alternative `choice` of `of` (choice -1: the plain one). */
  deliver(id: number, choice: number, of: number): DeliverEvent<M> {
    const plain = this.table.deliverEvents[id];
    if (choice < 0) return plain;
    const key = `d${id}/${choice}/${of}`;
    let e = this.deliverAlternatives.get(key);
    if (e === undefined) {
      this.deliverAlternatives.set(key, (e = Object.freeze({ ...plain, choice, of })));
      this.table.idOfEvent.set(e, id);
    }
    return e;
  }

  /** Timer `timer` of `node` firing, or its alternative `choice` of `of` (choice -1: the plain one). */
  timer(node: NodeId, timer: string, choice: number, of: number): TimerEvent {
    let plain = this.timers[node].get(timer);
    if (plain === undefined) this.timers[node].set(timer, (plain = Object.freeze({ kind: 'timer', node, timer })));
    if (choice < 0) return plain;
    const key = `t${node}/${timer}/${choice}/${of}`;
    let e = this.timerAlternatives.get(key);
    if (e === undefined) this.timerAlternatives.set(key, (e = Object.freeze({ ...plain, choice, of })));
    return e;
  }

  drop(id: number): DropEvent<M> {
    let e = this.drops[id];
    if (e === undefined) {
      const { from, to, msg } = this.table.deliverEvents[id];
      e = this.drops[id] = Object.freeze({ kind: 'drop', from, to, msg });
      this.table.idOfEvent.set(e, id);
    }
    return e;
  }

  duplicate(id: number): DuplicateEvent<M> {
    let e = this.duplicates[id];
    if (e === undefined) {
      const { from, to, msg } = this.table.deliverEvents[id];
      e = this.duplicates[id] = Object.freeze({ kind: 'duplicate', from, to, msg });
      this.table.idOfEvent.set(e, id);
    }
    return e;
  }

  /** The envelope id of a delivery, drop or duplication of this world (made here, or found by content). */
  idOf(e: DeliverEvent<M> | DropEvent<M> | DuplicateEvent<M>): number {
    return this.table.idOfEvent.get(e) ?? this.table.find(e.from, e.to, e.msg)!;
  }
}
