// The hash-consed world's own rules: interning is exact (same id exactly when the canonical
// encodings are equal), and simulation's cursor, which steps one world in place, takes every
// event to the same world as `step` does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActorSpec } from '../../src/model/actor.ts';
import type { RunConfig } from '../../src/model/define.ts';
import { canonical, sameValue } from '../../src/util/canonical.ts';
import { newFingerprint } from '../../src/util/hash.ts';
import { compileActors } from '../../src/world/actor-system.ts';
import { TupleTable, ValueTable } from '../../src/world/intern.ts';
import { pingProtocol } from '../fixtures/ping.ts';
import { streamProtocol } from '../fixtures/stream.ts';

// Small values, so that equal ones come up often; records with keys in either order.
const leaf = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom(-0, 0.5, NaN, Infinity), fc.constantFrom('a', 'b'), fc.boolean(), fc.constant(null), fc.constant(undefined));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('record'), tie('set')),
  array: fc.array(tie('node'), { maxLength: 3 }),
  record: fc.tuple(tie('node'), tie('node'), fc.boolean()).map(([x, y, flip]) => (flip ? { x, y } : { y, x })),
  set: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }).map((xs) => new Set(xs)),
})).node;

describe('interning', () => {
  it('gives two values one id exactly when their canonical encodings are equal', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 2, maxLength: 12 }), (values) => {
        const table = new ValueTable<unknown>();
        const ids = values.map((v) => table.intern(structuredClone(v)));
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            const equal = canonical(values[i]) === canonical(values[j]);
            expect(ids[i] === ids[j]).toBe(equal);
            expect(sameValue(values[i], values[j])).toBe(equal);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps tuples apart by every word, across growth', () => {
    const table = new TupleTable(3);
    const ids = new Map<string, number>();
    for (let a = 0; a < 20; a++) for (let b = 0; b < 20; b++) for (let c = 0; c < 6; c++) ids.set(`${a},${b},${c}`, table.intern([a, b, c]));
    expect(new Set(ids.values()).size).toBe(20 * 20 * 6);
    expect(table.intern([7, 3, 5])).toBe(ids.get('7,3,5'));
  });
});

const configArb: fc.Arbitrary<RunConfig> = fc.record({
  network: fc.constantFrom('unordered' as const, 'set' as const, 'fifo' as const, 'tcp' as const),
  faults: fc.record({
    crashes: fc.integer({ min: 0, max: 2 }),
    partitions: fc.integer({ min: 0, max: 1 }),
    drops: fc.integer({ min: 0, max: 1 }),
    duplicates: fc.integer({ min: 0, max: 1 }),
  }),
});

describe("simulation's cursor", () => {
  it('takes every event to the world `step` reaches, with the same enabled events and fingerprint', () => {
    fc.assert(
      fc.property(configArb, fc.boolean(), fc.array(fc.nat(), { maxLength: 40 }), (config, ping, choices) => {
        const spec = (ping ? pingProtocol(3, 2, 'default') : streamProtocol(3, 2)) as ActorSpec<unknown, unknown, unknown>;
        const system = compileActors(spec, config);
        const cursor = system.cursor!();
        cursor.reset(0);
        let world = system.initialStates()[0];
        const a = newFingerprint();
        const b = newFingerprint();
        for (const c of choices) {
          const events = system.enabled(world);
          expect(cursor.enabled()).toEqual(events);
          if (events.length === 0) break;
          const event = events[c % events.length];
          world = system.step(world, event);
          cursor.take(cursor.enabled()[c % events.length]);
          expect(Array.from(cursor.state)).toEqual(Array.from(world));
          system.fingerprint(cursor.state, a);
          system.fingerprint(world, b);
          expect(a).toEqual(b);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('remembered property results', () => {
  it('are kept only for properties that read no messages: a drop that leaves the nodes alone changes the answer', () => {
    const spec = pingProtocol(3, 0, 'default');
    const atMostOneInFlight = { name: 'AtMostOneInFlight', description: 'at most one message in flight', kind: 'invariant' as const, test: (w: { messages: readonly unknown[] }) => w.messages.length <= 1 };
    const system = compileActors({ ...spec, properties: [atMostOneInFlight] }, { network: 'unordered', faults: { crashes: 0, partitions: 0, drops: 1, duplicates: 0 } });
    const before = system.initialStates()[0];
    const drop = system.enabled(before).find((e) => e.kind === 'drop')!;
    const after = system.step(before, drop);
    expect(system.view(after).nodes).toEqual(system.view(before).nodes);
    const [property] = system.properties;
    expect(property.test(before)).toBe(false);
    expect(property.test(after)).toBe(true);
  });

  /** Two invariants testing with `test`, on the ping model: every world to depth 3 tested by both; returns how many worlds. */
  const testEveryWorld = (test: (w: { nodes: readonly unknown[]; messages: readonly unknown[] }) => boolean, faults: RunConfig['faults']): number => {
    const properties = [1, 2].map((k) => ({ name: `Noting${k}`, description: 'notes what it is given', kind: 'invariant' as const, test }));
    const system = compileActors({ ...pingProtocol(3, 0, 'default'), properties }, { network: 'unordered', faults });
    let worlds = [system.initialStates()[0]];
    for (let depth = 0; depth < 3; depth++) worlds = worlds.flatMap((w) => system.enabled(w).map((e) => system.step(w, e)));
    for (const w of worlds) for (const p of system.properties) p.test(w);
    return worlds.length;
  };

  it('hand each evaluation a view of its own: a model may remember things by the view (a WeakMap), and a reused one would answer for another world', () => {
    const seen = new WeakSet<object>();
    let reused = 0;
    const noteView = (w: object): boolean => {
      if (seen.has(w)) reused++;
      seen.add(w);
      return true;
    };
    expect(testEveryWorld(noteView, { crashes: 1, partitions: 0, drops: 1, duplicates: 0 })).toBeGreaterThan(10);
    expect(reused).toBe(0);
  });

  it('share a node list only among the properties of one world: a list remembered by identity never stands for other messages', () => {
    const messagesOf = new WeakMap<object, string>();
    let mixed = 0;
    let shared = 0;
    // Reads the messages, so its verdicts are not remembered and every world is evaluated.
    const noteNodes = (w: { nodes: readonly unknown[]; messages: readonly unknown[] }): boolean => {
      const messages = JSON.stringify(w.messages);
      const before = messagesOf.get(w.nodes);
      if (before !== undefined) shared++;
      if (before !== undefined && before !== messages) mixed++;
      messagesOf.set(w.nodes, messages);
      return true;
    };
    testEveryWorld(noteNodes, { crashes: 0, partitions: 0, drops: 1, duplicates: 1 });
    expect(shared).toBeGreaterThan(0);
    expect(mixed).toBe(0);
  });
});
