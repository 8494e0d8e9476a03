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
import { WorldCopy } from './world-copy.ts';

/**
 * Collects the enabled events' objects. `fill` reuses one array from list to list: it is written
 * by index and cut to length at the end, because emptying it (`length = 0`) gave up its backing
 * store, which each list then allocated again (most of what a simulation allocated).
 */
export class EventListSink<M> implements Sink {
  events: ActorEvent<M>[] = [];
  /** How many events the list being made holds so far. */
  protected count = 0;

  constructor(protected readonly catalog: EventCatalog<M>) {}

  /** Make `events` the enabled events of `w`, in scan order, and return it. */
  fill<D, V>(scanner: EventScan<D, V, M>, w: Uint32Array): ActorEvent<M>[] {
    this.count = 0;
    scanner.scan(w, this);
    if (this.events.length !== this.count) this.events.length = this.count;
    return this.events;
  }
  private add(event: ActorEvent<M>): void {
    this.events[this.count++] = event;
  }

  deliver(id: number, _at: number, choice: number, of: number) {
    this.add(this.catalog.deliver(id, choice, of));
  }
  timer(node: NodeId, timer: string, choice: number, of: number) {
    this.add(this.catalog.timer(node, timer, choice, of));
  }
  crash(node: NodeId) {
    this.add(this.catalog.crash[node]);
  }
  restart(node: NodeId) {
    this.add(this.catalog.restart[node]);
  }
  partition(split: number) {
    this.add(this.catalog.partition[split]);
  }
  heal() {
    this.add(this.catalog.heal);
  }
  drop(id: number) {
    this.add(this.catalog.drop(id));
  }
  duplicate(id: number) {
    this.add(this.catalog.duplicate(id));
  }
  writeError(node: NodeId) {
    this.add(this.catalog.writeError[node]);
  }
  powerLoss(node: NodeId) {
    this.add(this.catalog.powerLoss[node]);
  }
}

export class EnabledEvents<D, V, M> {
  private lastWorld: Uint32Array | null = null;
  private readonly lastCopy = new WorldCopy();
  private lastEvents: ActorEvent<M>[] = [];

  constructor(
    private readonly scanner: EventScan<D, V, M>,
    private readonly catalog: EventCatalog<M>,
  ) {}

  private sameAsLast(w: Uint32Array): boolean {
    return w === this.lastWorld && this.lastCopy.matches(w);
  }

  /** The enabled events of `w`, in scan order (a fresh array the caller may keep). */
  enabled(w: Uint32Array): ActorEvent<M>[] {
    if (this.sameAsLast(w)) return this.lastEvents.slice();
    const events = new EventListSink(this.catalog).fill(this.scanner, w);
    this.lastWorld = w;
    this.lastCopy.keep(w);
    this.lastEvents = events;
    return events.slice();
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
