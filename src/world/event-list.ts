// The enabled events of a world as a list of event objects (`enabled`), and finding the enabled
// event equal to a given one (a step, a replayed trace). Simulation asks for the enabled events and
// then steps one of them: the last list is kept, so the step finds its event by identity instead of
// scanning the world again.
import type { NodeId } from '../model/actor.ts';
import type { Event } from '../model/system.ts';
import { canonical } from '../util/canonical.ts';
import type { EventCatalog } from './event-catalog.ts';
import type { ActorEvent } from './events.ts';
import type { EventScan, Sink } from './scan.ts';

/** Collects the enabled events' objects. */
export class EventListSink<M> implements Sink {
  events: ActorEvent<M>[] = [];

  constructor(protected readonly catalog: EventCatalog<M>) {}

  deliver(id: number, _at: number, choice: number, of: number) {
    this.events.push(this.catalog.deliver(id, choice, of));
  }
  timer(node: NodeId, timer: string, choice: number, of: number) {
    this.events.push(this.catalog.timer(node, timer, choice, of));
  }
  crash(node: NodeId) {
    this.events.push(this.catalog.crash[node]);
  }
  restart(node: NodeId) {
    this.events.push(this.catalog.restart[node]);
  }
  partition(split: number) {
    this.events.push(this.catalog.partition[split]);
  }
  heal() {
    this.events.push(this.catalog.heal);
  }
  drop(id: number) {
    this.events.push(this.catalog.drop(id));
  }
  duplicate(id: number) {
    this.events.push(this.catalog.duplicate(id));
  }
  writeError(node: NodeId) {
    this.events.push(this.catalog.writeError[node]);
  }
  powerLoss(node: NodeId) {
    this.events.push(this.catalog.powerLoss[node]);
  }
}

export class EnabledEvents<D, V, M> {
  private lastWorld: Uint32Array | null = null;
  private lastCopy = new Uint32Array(0);
  private lastEvents: ActorEvent<M>[] = [];

  constructor(
    private readonly scanner: EventScan<D, V, M>,
    private readonly catalog: EventCatalog<M>,
  ) {}

  private sameAsLast(w: Uint32Array): boolean {
    const copy = this.lastCopy;
    if (w !== this.lastWorld || w.length !== copy.length) return false;
    for (let i = 0; i < w.length; i++) if (w[i] !== copy[i]) return false;
    return true;
  }

  /** The enabled events of `w`, in scan order (a fresh array the caller may keep). */
  enabled(w: Uint32Array): ActorEvent<M>[] {
    if (this.sameAsLast(w)) return this.lastEvents.slice();
    const sink = new EventListSink(this.catalog);
    this.scanner.scan(w, sink);
    this.lastWorld = w;
    this.lastCopy = w.slice();
    this.lastEvents = sink.events;
    return sink.events.slice();
  }

  /** The enabled event of `w` equal to `event` (by identity, else by content), or undefined. */
  match(w: Uint32Array, event: Event): ActorEvent<M> | undefined {
    if (!this.sameAsLast(w)) this.enabled(w);
    const events = this.lastEvents;
    const same = events.find((e) => e === event);
    if (same !== undefined) return same;
    const key = canonical(event);
    return events.find((e) => canonical(e) === key);
  }

  /**
   * `match`, for an event from a hand-edited or foreign trace: one that lacks the fields an event of
   * this world has (no message, a node that is not a number) is simply not enabled.
   */
  matchOrUndefined(w: Uint32Array, event: Event): ActorEvent<M> | undefined {
    try {
      return this.match(w, event);
    } catch {
      return undefined;
    }
  }
}
