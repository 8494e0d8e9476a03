// How an actor world and its events read in timelines and traces: one line per event, and a
// JSON-friendly picture of a world (`show`), plus the property view of a world (`view`).
import type { Envelope, NodeSlot, WorldView } from '../model/actor.ts';
import type { Event } from '../model/system.ts';
import { canonical, toJson } from '../util/canonical.ts';
import { asActorEvent, type ActorEvent } from './events.ts';
import { CRASH, DISK, diskUsedOf, DROP, DUPLICATE, PARTITION, partitionOf, type Rules } from './moves.ts';
import { groupsText, type Groups } from './partitions.ts';
import { usedBudget } from './scan.ts';

/** What tests and tools may read of a world: the property view plus the partition. */
export interface WorldPicture<D, V, M> extends WorldView<D, V, M> {
  /** Group per node while partitioned, else null. */
  readonly partition: Groups | null;
}

export class WorldText<D, V, M> {
  private readonly n: number;

  constructor(private readonly rules: Rules<D, V, M>) {
    this.n = rules.n;
  }

  messageText(msg: M): string {
    const spec = this.rules.spec;
    return spec.describeMessage ? spec.describeMessage(msg) : JSON.stringify(toJson(msg));
  }

  /** The node slots of `w`, by node. */
  nodesOf(w: Uint32Array): NodeSlot<D, V>[] {
    const slots = this.rules.slots.slots;
    const nodes = new Array<NodeSlot<D, V>>(this.n);
    for (let i = 0; i < this.n; i++) nodes[i] = slots[w[i]];
    return nodes;
  }

  /** The envelopes in flight in `w`, in network order. */
  messagesOf(w: Uint32Array): Envelope<M>[] {
    const envelopes = this.rules.table.envelopes;
    return Array.from(w.subarray(this.n + 2), (id) => envelopes[id]);
  }

  view(w: Uint32Array): WorldPicture<D, V, M> {
    const n = this.n;
    const p = partitionOf(w, n);
    return { nodes: this.nodesOf(w), messages: this.messagesOf(w), partition: p === 0 ? null : this.rules.splits[p - 1] };
  }

  show(w: Uint32Array): unknown {
    const { n, rules } = this;
    const name = rules.name;
    const nodes: Record<string, unknown> = {};
    this.nodesOf(w).forEach((slot, id) => {
      const synced = slot.synced === undefined ? {} : { synced: toJson(slot.synced) };
      nodes[name(id)] = slot.up
        ? { durable: toJson(slot.durable), ...synced, volatile: toJson(slot.volatile), timers: [...slot.timers] }
        : { DOWN: true, durable: toJson(slot.durable), ...synced };
    });
    const inFlight = this.messagesOf(w).map((e) => `${name(e.from)} -> ${name(e.to)}: ${this.messageText(e.msg)}`);
    const u = (k: number) => usedBudget(w, n, k);
    const p = partitionOf(w, n);
    const disk = rules.budget[DISK] > 0 ? { diskFaults: diskUsedOf(w, n) } : {};
    return {
      nodes,
      inFlight,
      partition: p !== 0 ? groupsText(rules.splits[p - 1], name) : 'none',
      faultsUsed: { crashes: u(CRASH), partitions: u(PARTITION), drops: u(DROP), duplicates: u(DUPLICATE), ...disk },
    };
  }

  /** One line for an event; an event that is not one of this world's kinds reads as its JSON. */
  describe(event: Event): string {
    const e = asActorEvent(event);
    return e === undefined ? canonical(event) : this.describeActor(e as ActorEvent<M>);
  }

  /** `describe`, or the event's JSON when its fields cannot be read (a hand-edited trace). */
  describeOrJson(event: Event): string {
    try {
      return this.describe(event);
    } catch {
      return canonical(event);
    }
  }

  private describeActor(e: ActorEvent<M>): string {
    const name = this.rules.name;
    const net = this.rules.net;
    switch (e.kind) {
      case 'deliver':
        return `${name(e.from)} -> ${name(e.to)}: ${this.messageText(e.msg)}${typeof e.choice === 'number' ? ` [choice ${e.choice + 1} of ${String(e.of)}]` : ''}`;
      case 'timer':
        return `${name(e.node)}: timer '${e.timer}' fires${typeof e.choice === 'number' ? ` [choice ${e.choice + 1} of ${String(e.of)}]` : ''}`;
      case 'crash':
        return `${name(e.node)} CRASHES (volatile state lost${net.crashClosesConnections ? '; its connections close' : ''})`;
      case 'restart':
        return `${name(e.node)} restarts from its durable state`;
      case 'partition':
        return `network PARTITIONS into ${groupsText(e.groups, name)}${net.partition === 'closes' ? ' (connections across it close)' : ''}`;
      case 'heal':
        return 'network heals';
      case 'drop':
        return `network DROPS ${name(e.from)} -> ${name(e.to)}: ${this.messageText(e.msg)}`;
      case 'duplicate':
        return `network DUPLICATES ${name(e.from)} -> ${name(e.to)}: ${this.messageText(e.msg)}`;
      case 'write-error':
        return `${name(e.node)}: DISK WRITE FAILS (buffered durable writes lost; the node is told)`;
      case 'power-loss':
        return `${name(e.node)} LOSES POWER (crashes; buffered durable writes lost${net.crashClosesConnections ? '; its connections close' : ''})`;
    }
  }
}
