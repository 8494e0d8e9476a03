// The engine's symmetry reduction on packed specs, held to Burnside's lemma on Paxos.tla (acceptors
// and values interchangeable): the reduced count is the number of orbits predicted from the full
// state space, walked here by hand. The model-level counts (17,153 states at ballots 0..2, the
// mutant's 12 events) are in test/models/paxos-tla.test.ts.
import { describe, expect, it } from 'vitest';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { bfs } from '../../src/explore/bfs.ts';
import { canonical } from '../../src/util/canonical.ts';
import { sortPermutations } from '../../src/util/permutations.ts';

const build = (ballots: number, symmetry: boolean, variant = 'default') =>
  paxosTla.build({ params: { acceptors: 3, values: 2, ballots }, variant, config: { ...paxosTla.defaultConfig, symmetry } });

type Picture = { acceptors: Record<string, unknown>[]; msgs: Record<string, unknown>[] };

/** Rename a state's picture (system.show) — independent of the packed permute code under test. */
function renamePicture(p: Picture, acc: readonly number[], val: readonly number[]): string {
  const v = (x: unknown) => (typeof x === 'string' && x.startsWith('v') ? `v${val[Number(x.slice(1))]}` : x);
  const acceptors = new Array(p.acceptors.length);
  p.acceptors.forEach((a, i) => (acceptors[acc[i]] = { ...a, maxVal: v(a.maxVal) }));
  const msgs = p.msgs
    .map((m) => ({ ...m, ...(m.acc ? { acc: `a${acc[Number(String(m.acc).slice(1))]}` } : {}), ...(m.val ? { val: v(m.val) } : {}), ...(m.mval ? { mval: v(m.mval) } : {}) }))
    .map(canonical)
    .sort();
  return canonical({ acceptors, msgs });
}

/** Every reachable state of the unreduced system, as pictures. */
function allPictures(ballots: number): Picture[] {
  const system = build(ballots, false);
  const seen = new Set<string>();
  const pictures: Picture[] = [];
  let frontier = system.initialStates().map((s) => system.retain(s));
  while (frontier.length > 0) {
    const next: Uint32Array[] = [];
    for (const s of frontier) {
      const key = s.join();
      if (seen.has(key)) continue;
      seen.add(key);
      pictures.push(system.show(s) as Picture);
      system.forEachSuccessor(s, (t) => next.push(t.slice()));
    }
    frontier = next;
  }
  return pictures;
}

describe('paxos-tla with symmetry reduction', () => {
  it('stores exactly as many states as Burnside predicts from the full space (ballots 0..1)', () => {
    const group = sortPermutations({ acceptors: 3, values: 2 });
    expect(group).toHaveLength(12);
    const pictures = allPictures(2);
    expect(pictures).toHaveLength(3921);
    let fixedPoints = 0;
    for (const p of pictures) {
      const self = renamePicture(p, [0, 1, 2], [0, 1]);
      for (const g of group) if (renamePicture(p, g.acceptors, g.values) === self) fixedPoints++;
    }
    const predicted = fixedPoints / group.length;
    expect(Number.isInteger(predicted)).toBe(true);
    const reduced = bfs(build(2, true));
    expect(reduced.distinctStates).toBe(predicted);
    expect(reduced.distinctStates).toBe(443);
    expect(reduced.depth).toBe(17);
  });
});
