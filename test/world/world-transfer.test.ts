// Actor worlds crossing threads (src/world/world-transfer.ts): a world shipped from one system to
// another, whose tables were filled in another order, arrives with the same content and the same
// fingerprint (with and without symmetry), each id's content is shipped once per receiver, and a
// receiver refuses an id whose content it was never sent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walk } from '../helpers/walk.ts';
import { paxos } from '../../models/paxos/index.ts';
import type { RunConfig } from '../../src/model/define.ts';
import { newFingerprint } from '../../src/util/hash.ts';
import type { ActorSystem } from '../../src/world/actor-system.ts';
import type { WorldDictionary } from '../../src/world/world-transfer.ts';

type World = Uint32Array;
const params = Object.fromEntries(Object.entries(paxos.params).map(([k, d]) => [k, d.default]));
const configOf = (symmetry: boolean): RunConfig => ({ ...paxos.defaultConfig, symmetry });
const build = (symmetry = true) => paxos.build({ params, variant: 'default', config: configOf(symmetry) }) as unknown as ActorSystem<unknown, unknown, unknown>;


const fingerprintOf = (system: ActorSystem<unknown, unknown, unknown>, w: World): string => {
  const fp = newFingerprint();
  system.fingerprint(w, fp);
  return `${fp.hi >>> 0}:${fp.lo >>> 0}`;
};

/** Ship `worlds` from `from` to `to` as a worker thread would (the dictionary structured-cloned). */
function ship(from: ActorSystem<unknown, unknown, unknown>, to: ActorSystem<unknown, unknown, unknown>, worlds: readonly World[], edit?: (d: WorldDictionary) => WorldDictionary): World[] {
  const sender = from.wordTransfer.sender();
  const receiver = to.wordTransfer.receiver();
  for (const w of worlds) sender.note(w);
  const dictionary = sender.take();
  if (dictionary) receiver.learn(structuredClone(edit ? edit(dictionary) : dictionary));
  return worlds.map((w) => receiver.translate(w, 0, w.length).slice());
}

describe('moving actor worlds between systems', () => {
  it.each([true, false])('keeps content and fingerprint for every world of a walk, whatever the ids (symmetry %s)', (symmetry) => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 30 }), (picksA, picksB) => {
        const a = build(symmetry);
        const b = build(symmetry);
        walk(b, picksB); // b meets other values first, so its ids differ from a's
        const worlds = walk(a, picksA);
        const arrived = ship(a, b, worlds);
        worlds.forEach((w, i) => {
          expect(fingerprintOf(b, arrived[i])).toBe(fingerprintOf(a, w));
          expect(b.show(arrived[i])).toEqual(a.show(w));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('really renames ids: a world from a system that met other values first has other words', () => {
    const a = build();
    const b = build();
    walk(b, [3, 1, 4, 1, 5, 9, 2, 6]);
    const worlds = walk(a, [2, 7, 1, 8, 2, 8, 1, 8]);
    const arrived = ship(a, b, worlds);
    expect(arrived.some((w, i) => w.some((x, k) => x !== worlds[i][k]))).toBe(true);
    expect(arrived.map((w) => fingerprintOf(b, w))).toEqual(worlds.map((w) => fingerprintOf(a, w)));
  });

  it('ships the content of an id once per receiver, and again to another receiver', () => {
    const a = build();
    const worlds = walk(a, [0, 1, 2, 3]);
    const first = a.wordTransfer.sender();
    for (const w of worlds) first.note(w);
    expect(first.take()).not.toBeNull();
    for (const w of worlds) first.note(w);
    expect(first.take()).toBeNull();
    const second = a.wordTransfer.sender();
    second.note(worlds[0]);
    expect(second.take()!.slots.length).toBeGreaterThan(0);
  });

  it('refuses a world one of whose ids came without its content', () => {
    const a = build();
    const b = build();
    const worlds = walk(a, [0, 0, 0]);
    expect(() => ship(a, b, worlds, (d) => ({ ...d, envelopes: d.envelopes.slice(1) }))).toThrow(/envelope \d+ arrived without its content/);
    expect(() => ship(a, b, worlds, (d) => ({ ...d, slots: d.slots.slice(1) }))).toThrow(/slot \d+ arrived without its content/);
  });

  it('needs one translation per sender: worlds of a second sender read with the first sender\'s table come out wrong', () => {
    const [a1, a2, b] = [build(), build(), build()];
    walk(a2, [5, 4, 3, 2, 1]);
    const worlds = walk(a1, [1, 2, 3, 4, 5, 6]);
    const viaA1 = a1.wordTransfer.sender();
    const viaA2 = a2.wordTransfer.sender();
    const fromA1 = b.wordTransfer.receiver();
    for (const w of worlds) viaA1.note(w);
    fromA1.learn(structuredClone(viaA1.take()!));
    // The same worlds as a2 holds them (its own ids), translated with a1's table.
    const inA2 = ship(a1, a2, worlds);
    for (const w of inA2) viaA2.note(w);
    const wrong = inA2.map((w) => {
      try {
        return fingerprintOf(b, fromA1.translate(w, 0, w.length));
      } catch {
        return 'refused';
      }
    });
    expect(wrong).not.toEqual(worlds.map((w) => fingerprintOf(a1, w)));
  });
});
