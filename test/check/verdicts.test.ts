// Every built-in variant is held to its declared verdict, so a checker that stops finding a
// mutant's bug (or starts finding one in a correct model) fails loudly. npm start does the same.
import { describe, expect, it, vi } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { runCheck } from '../../src/check/run.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { summaryCommand } from '../../src/cli/summary-command.ts';

describe('declared verdicts', () => {
  for (const model of builtinModels) {
    for (const [variant, decl] of Object.entries(model.variants)) {
      it(`${model.name} [${variant}] ends in ${decl.expected} with its default parameters`, () => {
        const report = runCheck({ model, variant, params: resolveParams(model, []), config: model.defaultConfig, strategy: 'bfs', search: {} });
        expect(report.actual).toBe(decl.expected);
      });
    }
  }

  it('the summary exits 1 when a variant does not behave as declared', () => {
    const lying = { ...paxosTla, variants: { ...paxosTla.variants, 'phase2a-ignores-votes': { description: 'claims to pass', expected: 'pass' } } };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(summaryCommand([lying], { timeLimit: 60 })).toBe(1);
      expect(out.mock.calls.join('')).toMatch(/MISMATCH/);
      expect(summaryCommand([paxosTla], { timeLimit: 60 })).toBe(0);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
