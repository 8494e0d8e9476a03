// Sleep sets against the plain search on small random actor models, on every network kind, with
// faults, choices and symmetry: the same set of states, each property target first reached at the
// same depth, the same verdict and counterexample length. And the test can fail: with a wrong
// independence relation (two events of one node declared independent) the sets differ.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bfs } from '../../src/explore/bfs.ts';
import { dfs } from '../../src/explore/dfs.ts';
import type { SearchOutcome } from '../../src/explore/outcome.ts';
import { randomModel, recordingSystem, withBrokenIndependence, type RandomModel } from './por-random-models.ts';

/** Plain states beyond this skip the case: the property is about shape, not size. */
const STATES_MAX = 3_000;

interface Run {
  readonly outcome: SearchOutcome;
  readonly seen: Set<string>;
  readonly order: string[];
}

function run(model: RandomModel, por: boolean, options: { invariantSeed?: number; broken?: boolean; strategy?: 'bfs' | 'dfs' } = {}): Run {
  const { system, seen, order } = recordingSystem(model, options.invariantSeed ?? null);
  const search = options.strategy === 'dfs' ? dfs : bfs;
  const outcome = search(options.broken ? withBrokenIndependence(system) : system, { por, maxStates: STATES_MAX });
  return { outcome, seen, order };
}

/** Why the reduced run differs from the plain one, or null. */
function difference(model: RandomModel, broken = false): string | null {
  const plain = run(model, false);
  if (!plain.outcome.complete) return null;
  const reduced = run(model, true, { broken });
  if (reduced.seen.size !== plain.seen.size) return `states: ${reduced.seen.size} with sleep sets, ${plain.seen.size} without`;
  for (const s of plain.seen) if (!reduced.seen.has(s)) return `a state is missing with sleep sets`;
  if (reduced.outcome.depth !== plain.outcome.depth) return `depth ${reduced.outcome.depth} vs ${plain.outcome.depth}`;
  if (reduced.outcome.transitions !== plain.outcome.transitions) return `transitions ${reduced.outcome.transitions} vs ${plain.outcome.transitions}`;
  const targets = (o: SearchOutcome) => JSON.stringify(o.reachable.map((t) => t.reachedAtLength));
  if (targets(reduced.outcome) !== targets(plain.outcome)) return `targets first reached at ${targets(reduced.outcome)} vs ${targets(plain.outcome)}`;
  // Without symmetry each state's first arrival is the same with and without: the same order.
  if (!model.symmetry && reduced.order.join() !== plain.order.join()) return 'states found in another order';
  return null;
}

describe('sleep sets on random actor models', () => {
  it('reach the same states, at the same depths (in the same order without symmetry), on every network kind', () => {
    fc.assert(
      fc.property(randomModel, (model) => {
        expect(difference(model)).toBeNull();
      }),
      { numRuns: 120, seed: 20261128 },
    );
  });

  it('reach the same states under DFS (models without symmetry)', () => {
    fc.assert(
      fc.property(randomModel, (model) => {
        const plain = run(model, false);
        fc.pre(plain.outcome.complete);
        const reduced = run(model, true, { strategy: 'dfs' });
        expect(reduced.outcome.reduction === null).toBe(model.symmetry);
        expect(reduced.seen.size).toBe(plain.seen.size);
        expect(reduced.outcome.transitions).toBe(plain.outcome.transitions);
        expect([...plain.seen].filter((s) => !reduced.seen.has(s))).toEqual([]);
        expect(reduced.outcome.reachable.map((t) => t.reachedAtLength !== null)).toEqual(plain.outcome.reachable.map((t) => t.reachedAtLength !== null));
      }),
      { numRuns: 80, seed: 20261129 },
    );
  });

  it('skip transitions on some of them (the reduction is not a no-op)', () => {
    const skipped = fc.sample(randomModel, { numRuns: 40, seed: 7 }).map((m) => run(m, true).outcome.reduction?.skipped ?? 0);
    expect(skipped.some((s) => s > 0)).toBe(true);
  });

  it('find the same verdict and counterexample length (the same counterexample without symmetry) for random invariants', () => {
    fc.assert(
      fc.property(randomModel, fc.integer({ min: 0, max: 1000 }), (model, invariantSeed) => {
        const plain = run(model, false, { invariantSeed });
        fc.pre(plain.outcome.complete || plain.outcome.result === 'violation');
        const reduced = run(model, true, { invariantSeed });
        expect(reduced.outcome.result).toBe(plain.outcome.result);
        expect(reduced.outcome.violation?.length).toBe(plain.outcome.violation?.length);
        expect(reduced.outcome.violation?.property).toBe(plain.outcome.violation?.property);
        if (!model.symmetry) expect(reduced.outcome.violation?.events).toEqual(plain.outcome.violation?.events);
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it('miss states when two events of one node are wrongly declared independent', () => {
    const result = fc.check(
      fc.property(randomModel, (model) => difference(model, true) === null),
      { numRuns: 150, seed: 20261128 },
    );
    expect(result.failed).toBe(true);
  });
});
