// Every built-in variant is held to its declared verdict, so a checker that stops finding a
// mutant's bug (or starts finding one in a correct model) fails loudly. npm start does the same.
import { describe, expect, it, vi } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { checkDeclared } from '../../src/check/declared.ts';
import { summaryCommand } from '../../src/cli/summary-command.ts';

describe('declared verdicts', () => {
  for (const model of builtinModels) {
    for (const [variant, decl] of Object.entries(model.variants)) {
      it(`${model.name} [${variant}] ends in ${decl.expected} by its declared check (${decl.check?.strategy ?? 'bfs'})`, async () => {
        const outcome = await checkDeclared(model, variant);
        expect(outcome.actual).toBe(decl.expected);
      });
    }
  }

  it("a variant's declared check replaces BFS with the defaults: simulation from a seed, or other parameters", async () => {
    const paxos = builtinModels.find((m) => m.name === 'paxos')!;
    const bySimulation = { ...paxos, variants: { ...paxos.variants, 'minority-quorums': { ...paxos.variants['minority-quorums'], check: { strategy: 'random' as const, seed: 3, runs: 500 } } } };
    const found = await checkDeclared(bySimulation, 'minority-quorums');
    expect([found.workUnit, found.seed, found.actual, found.asExpected]).toEqual(['runs', 3, 'AtMostOneChosen', true]);
    expect(found.work).toBeLessThan(500);
    const again = await checkDeclared(bySimulation, 'minority-quorums');
    expect([again.work, again.length]).toEqual([found.work, found.length]);

    const smaller = { ...paxosTla, variants: { ...paxosTla.variants, default: { ...paxosTla.variants.default, check: { strategy: 'bfs' as const, params: { ballots: 1 } } } } };
    const [full, small] = await Promise.all([checkDeclared(paxosTla, 'default'), checkDeclared(smaller, 'default')]);
    expect(full.work).toBe(3921);
    expect(small.params.ballots).toBe(1);
    expect(small.work).toBeLessThan(3921);
  });

  it('the summary exits 1 when a variant does not behave as declared', async () => {
    const lying = { ...paxosTla, variants: { ...paxosTla.variants, 'phase2a-ignores-votes': { description: 'claims to pass', expected: 'pass' } } };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await summaryCommand([lying], { timeLimit: 60 })).toBe(1);
      expect(out.mock.calls.join('')).toMatch(/MISMATCH/);
      expect(await summaryCommand([paxosTla], { timeLimit: 60 })).toBe(0);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
