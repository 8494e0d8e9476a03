// Simulation's cursor over an actor world: one mutable world stepped in place; nothing is hashed or
// copied. Its enabled list carries, per event, what the move needs (so taking it needs no search)
// and the event's key in the world's one numbering (event-keys.ts), which simulation's schedule
// keys by.
import type { NodeId } from '../model/actor.ts';
import type { Cursor, Event } from '../model/system.ts';
import type { EventCatalog } from './event-catalog.ts';
import { KEY_CLASS, keyOf, powerLossKey, writeErrorKey, type EventKeys } from './event-keys.ts';
import { EventListSink, type EnabledEvents } from './event-list.ts';
import { Work } from './moves.ts';
import type { EventScan } from './scan.ts';
import type { Stepper } from './stepper.ts';
import type { WorldText } from './world-text.ts';

/** Collects events with what their move needs (delivery position, split, envelope id) and their keys. */
class CursorSink<M> extends EventListSink<M> {
  aux: number[] = [];
  keys: number[] = [];

  constructor(
    catalog: EventCatalog<M>,
    private readonly eventKeys: EventKeys,
  ) {
    super(catalog);
  }

  private keep(aux: number, key: number) {
    const i = this.count - 1;
    this.aux[i] = aux;
    this.keys[i] = key;
  }
  override deliver(id: number, at: number, choice: number, of: number) {
    super.deliver(id, at, choice, of);
    this.keep(at, this.eventKeys.deliver(id, choice, of));
  }
  override timer(node: NodeId, timer: string, choice: number, of: number) {
    super.timer(node, timer, choice, of);
    this.keep(0, this.eventKeys.timer(node, timer, choice, of));
  }
  override crash(node: NodeId) {
    super.crash(node);
    this.keep(0, keyOf(node, KEY_CLASS.crash));
  }
  override restart(node: NodeId) {
    super.restart(node);
    this.keep(0, keyOf(node, KEY_CLASS.restart));
  }
  override partition(split: number) {
    super.partition(split);
    this.keep(split, keyOf(split + 1, KEY_CLASS.topology));
  }
  override heal() {
    super.heal();
    this.keep(0, keyOf(0, KEY_CLASS.topology));
  }
  override drop(id: number) {
    super.drop(id);
    this.keep(id, keyOf(id, KEY_CLASS.drop));
  }
  override duplicate(id: number) {
    super.duplicate(id);
    this.keep(id, keyOf(id, KEY_CLASS.duplicate));
  }
  override writeError(node: NodeId) {
    super.writeError(node);
    this.keep(0, writeErrorKey(node));
  }
  override powerLoss(node: NodeId) {
    super.powerLoss(node);
    this.keep(0, powerLossKey(node));
  }
}

/** What a cursor is made of: the compiled world's parts. */
export interface CursorParts<D, V, M> {
  readonly nodeCount: number;
  readonly scanner: EventScan<D, V, M>;
  readonly catalog: EventCatalog<M>;
  readonly keys: EventKeys;
  readonly list: EnabledEvents<D, V, M>;
  readonly stepper: Stepper<D, V, M>;
  readonly text: WorldText<D, V, M>;
}

/** A new cursor at the initial world. */
export function actorCursor<D, V, M>(parts: CursorParts<D, V, M>): Cursor<Uint32Array> & { enabledKeys(): readonly number[] } {
  const { scanner, list, stepper, text } = parts;
  const work = new Work(parts.nodeCount);
  const initial = stepper.initialWorld();
  const buffers: Uint32Array[] = [];
  let words = initial;
  let written = false;
  let listed = false;
  const sink = new CursorSink(parts.catalog, parts.keys);
  const sync = (): Uint32Array => {
    if (!written) {
      const size = work.words;
      words = buffers[size] ??= new Uint32Array(size);
      work.write(words);
      written = true;
    }
    return words;
  };
  const changed = (): void => {
    written = false;
    listed = false;
  };
  return {
    reset(index: number) {
      if (index !== 0) throw new Error(`an actor world has one initial state, not ${index + 1}`);
      work.load(initial);
      changed();
    },
    enabled(): readonly Event[] {
      if (!listed) {
        sink.fill(scanner, sync());
        listed = true;
      }
      return sink.events;
    },
    enabledKeys(): readonly number[] {
      this.enabled();
      return sink.keys;
    },
    take(event: Event) {
      const listedEvents: readonly Event[] = sink.events;
      let i = listed ? listedEvents.indexOf(event) : -1;
      if (i < 0) {
        const match = list.match(sync(), event);
        if (match === undefined) throw new Error(`event not enabled: ${text.describe(event)}`);
        this.enabled();
        i = sink.events.indexOf(match);
      }
      stepper.apply(work, sink.events[i], sink.aux[i]);
      changed();
    },
    get state() {
      return sync();
    },
  };
}
