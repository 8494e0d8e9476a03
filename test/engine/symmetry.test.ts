// Symmetry reduction on actor worlds: one state per class of worlds that differ by a renaming of
// interchangeable nodes; bugs are still found.
import { describe, expect, it } from 'vitest';
import { bfs } from '../../src/explore/bfs.ts';
import { groupPermutations } from '../../src/world/actor-symmetry.ts';
import { replay } from '../../src/trace/replay.ts';
import { pingModel } from '../fixtures/ping.ts';

const faults = { crashes: 1, partitions: 1, drops: 1, duplicates: 1 };
const build = (nodes: number, variant: string, symmetry: boolean, f = faults) =>
  pingModel.build({ params: { nodes, retries: 1 }, variant, config: { network: 'unordered', faults: f, symmetry } });

describe('symmetry reduction', () => {
  it('enumerates the permutations of each group and nothing else', () => {
    expect(groupPermutations(4, [[1, 2, 3]])).toHaveLength(6);
    expect(groupPermutations(5, [[0, 1], [2, 3, 4]])).toHaveLength(12);
    for (const p of groupPermutations(4, [[1, 2, 3]])) expect(p[0]).toBe(0);
    expect(new Set(groupPermutations(4, [[1, 2, 3]]).map((p) => p.join())).size).toBe(6);
  });

  it('stores between |states|/|G| and |states| states, and exactly the classes counted here for ping', () => {
    // 3 nodes: the two pinged nodes swap (|G| = 2); 4 nodes: three pinged nodes (|G| = 6).
    for (const [nodes, group, full, reduced] of [
      [3, 2, 178, 97],
      [4, 6, 2224, 465],
    ] as const) {
      const noFaults = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 };
      const a = bfs(build(nodes, 'default', false, noFaults));
      const b = bfs(build(nodes, 'default', true, noFaults));
      expect(a.distinctStates).toBe(full);
      expect(b.distinctStates).toBe(reduced);
      expect(b.distinctStates).toBeGreaterThanOrEqual(Math.ceil(full / group));
      expect(b.reachable).toEqual(a.reachable);
    }
  });

  it('still finds the mutant, with a counterexample as short as without reduction, that replays', () => {
    const a = bfs(build(3, 'forgets', false));
    const b = bfs(build(3, 'forgets', true));
    expect(a.violation?.property).toBe('AnswerOnce');
    expect(b.violation?.property).toBe('AnswerOnce');
    expect(b.violation!.length).toBe(a.violation!.length);
    const trace = {
      format: 'ordeal-trace',
      version: 1,
      model: { name: 'ping', version: 1, variant: 'forgets', params: { nodes: 3, retries: 1 } },
      config: { network: 'unordered', faults },
      strategy: 'bfs',
      seed: null,
      initial: 0,
      events: b.violation!.events,
      violation: { property: 'AnswerOnce', message: '', step: b.violation!.length },
    } as const;
    expect(replay(build(3, 'forgets', false), trace)).toMatchObject({ ok: true, property: 'AnswerOnce' });
  });
});
