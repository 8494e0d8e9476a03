// Sleep sets on the built-in actor models, at their declared checks: the same verdict, the same
// distinct states, transitions and depth, each target first reached at the same depth, and every
// mutant found with a counterexample of the same length. Without symmetry (zab, multipaxos, paxos
// --no-symmetry) BFS finds each state from the same parent with and without reduction, so the
// counterexample is the same one. The two largest mutants (paxos volatile-round, zab zk-2845) run
// only reduced, held to the length the plain search finds (measured; see docs/reduction.md), and
// zab's passing default runs without a crash (its declared check takes 1.4 million states); there
// a target stays unreached, so both searches end inconclusive. test/check/verdicts holds every
// variant to its declared verdict at its declared size, with the reduction on (the default).
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { declaredCheck } from '../../src/check/declared.ts';
import { bfs } from '../../src/explore/bfs.ts';
import type { SearchOutcome } from '../../src/explore/outcome.ts';
import type { RunConfig } from '../../src/model/define.ts';
import { resolveParams } from '../../src/model/resolve.ts';

/** Counterexample lengths of the plain BFS for the mutants run only reduced. */
const PLAIN_LENGTH: Record<string, number> = { 'paxos volatile-round': 21, 'zab zk-2845': 32 };
/** A smaller check than the declared one, for the slow passing default, and its verdict there. */
const SMALLER: Record<string, { params: Record<string, number>; config: Partial<RunConfig>; expected: string }> = {
  'zab default': { params: { requests: 2 }, config: { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } }, expected: 'inconclusive' },
};

function search(name: string, variant: string, por: boolean, config: Partial<RunConfig> = {}): SearchOutcome {
  const model = builtinModels.find((m) => m.name === name)!;
  const decl = declaredCheck(model, variant);
  const smaller = SMALLER[`${name} ${variant}`];
  const params = resolveParams(model, Object.entries({ ...decl.params, ...smaller?.params }).map(([k, v]) => `${k}=${v}`));
  const system = model.build({ params, variant, config: { ...model.defaultConfig, ...decl.config, ...smaller?.config, ...config } });
  return bfs(system, { por });
}

const summary = (o: SearchOutcome) => ({
  result: o.result,
  property: o.violation?.property,
  length: o.violation?.length,
  distinctStates: o.distinctStates,
  transitions: o.transitions,
  depth: o.depth,
  reachedAt: o.reachable.map((t) => t.reachedAtLength),
});

const actorVariants = builtinModels
  .filter((m) => m.name === 'paxos' || m.name === 'multipaxos' || m.name === 'zab')
  .flatMap((m) => Object.entries(m.variants).filter(([, v]) => (v.check?.strategy ?? 'bfs') === 'bfs').map(([variant, v]) => [m.name, variant, v.expected] as const));

describe('sleep sets on the built-in actor models', () => {
  it('cover every actor model', () => {
    expect(new Set(actorVariants.map(([name]) => name))).toEqual(new Set(['paxos', 'multipaxos', 'zab']));
  });

  it.each(actorVariants)('%s [%s]: the verdict (%s) and the counts of the plain search', (name, variant, expected) => {
    const key = `${name} ${variant}`;
    const reduced = search(name, variant, true);
    expect(reduced.result === 'violation' ? reduced.violation!.property : reduced.result).toBe(SMALLER[key]?.expected ?? expected);
    expect(reduced.reduction?.kind).toBe('sleep sets');
    if (key === 'zab zk-1419') return; // millions of states: held to its verdict by test/check/verdicts
    if (PLAIN_LENGTH[key] !== undefined) {
      expect(reduced.violation!.length).toBe(PLAIN_LENGTH[key]);
      return;
    }
    const plain = search(name, variant, false);
    expect(plain.reduction).toBeNull();
    expect(summary(reduced)).toEqual(summary(plain));
    if (name !== 'paxos') expect(reduced.violation?.events).toEqual(plain.violation?.events);
  });

  it('paxos without symmetry: the same states, transitions and counterexample, and most transitions skipped', () => {
    for (const variant of ['default', 'same-ballot']) {
      const [plain, reduced] = [false, true].map((por) => search('paxos', variant, por, { symmetry: false }));
      expect(summary(reduced)).toEqual(summary(plain));
      expect(reduced.violation?.events).toEqual(plain.violation?.events);
      if (variant === 'default') {
        expect([plain.distinctStates, plain.transitions]).toEqual([201887, 869635]);
        expect(reduced.reduction!.skipped).toBe(570413);
      }
    }
  });

  it('paxos under symmetry: a state sleeps only on what every arrival agrees on (the intersection), pinned by the transitions it skips', () => {
    // Keeping the first arrival's sleep set instead (sound without symmetry, where the first arrival is
    // along the least path) skips 94,756 here and still reaches the same 35,751 orbits, as it did on
    // every random symmetric model tried; but no argument shows it complete under symmetry
    // (docs/reduction.md), so the rule that has one is kept, and this count holds it.
    const reduced = search('paxos', 'default', true);
    expect([reduced.distinctStates, reduced.transitions]).toEqual([35751, 153988]);
    expect(reduced.reduction!.skipped).toBe(77372);
  });
});
