// The one numbering of actor events (src/world/event-keys.ts): partial-order reduction and
// simulation's cursor see the same key for the same event, keys tell events apart, and each key
// says its class.
import { describe, expect, it } from 'vitest';
import type { FaultBudgets, NetworkKind } from '../../src/model/define.ts';
import type { Event } from '../../src/model/system.ts';
import { compileActors, type ActorWorld } from '../../src/world/actor-system.ts';
import { classOf, KEY_CLASS, keyOf, whatOf } from '../../src/world/event-keys.ts';
import { streamProtocol } from '../fixtures/stream.ts';

const FAULTS: FaultBudgets = { crashes: 1, partitions: 1, drops: 1, duplicates: 1 };
const CLASS_OF_KIND: Record<string, number> = {
  deliver: KEY_CLASS.deliver,
  timer: KEY_CLASS.timer,
  crash: KEY_CLASS.crash,
  restart: KEY_CLASS.restart,
  partition: KEY_CLASS.topology,
  heal: KEY_CLASS.topology,
  drop: KEY_CLASS.drop,
  duplicate: KEY_CLASS.duplicate,
};

describe('event keys', () => {
  it('hold their class and what they number, up to the largest what a uint32 key holds', () => {
    for (const [what, keyClass] of [[0, KEY_CLASS.deliver], [5, KEY_CLASS.topology], [2 ** 29 - 1, KEY_CLASS.duplicate]] as const) {
      const key = keyOf(what, keyClass);
      expect(key).toBeGreaterThanOrEqual(0);
      expect(key).toBeLessThan(2 ** 32);
      expect([whatOf(key), classOf(key)]).toEqual([what, keyClass]);
    }
  });

  it('number the classes once, each its own', () => {
    expect(new Set(Object.values(KEY_CLASS)).size).toBe(Object.keys(KEY_CLASS).length);
  });

  it.each(['unordered', 'fifo', 'tcp', 'set'] as NetworkKind[])('%s: are the same for the reduction and the cursor, one per event, and of the event\'s class', (network) => {
    const sys = compileActors(streamProtocol(2, 2), { network, faults: FAULTS });
    const cursor = sys.cursor!() as ReturnType<NonNullable<typeof sys.cursor>> & { enabledKeys(): readonly number[] };
    const keyOfEvent = new Map<string, number>();
    const seen = new Set<string>();
    cursor.reset(0);
    let world: ActorWorld;
    // Walk a few hundred steps along a fixed schedule (the k-th enabled event at step k).
    for (let step = 0; step < 300; step++) {
      const events = cursor.enabled();
      if (events.length === 0) {
        cursor.reset(0);
        continue;
      }
      world = cursor.state;
      const reduction: number[] = [];
      sys.independence!.forEachSuccessorOf(world, (key) => (reduction.push(key), true), () => {});
      // The cursor reuses its key array: only the first entries, one per enabled event, count.
      const keys = cursor.enabledKeys().slice(0, events.length);
      expect(keys).toEqual(reduction);
      events.forEach((e: Event, i) => {
        const id = JSON.stringify(e);
        seen.add(e.kind);
        expect(classOf(keys[i])).toBe(CLASS_OF_KIND[e.kind]);
        // The same event keeps its key in every world; two events never share one.
        expect(keyOfEvent.get(id) ?? keys[i]).toBe(keys[i]);
        keyOfEvent.set(id, keys[i]);
      });
      cursor.take(events[step % events.length]);
    }
    expect(new Set(keyOfEvent.values()).size).toBe(keyOfEvent.size);
    expect(seen.has('crash') && seen.has('timer') && seen.has('deliver')).toBe(true);
  });
});
