// ordeal/vitest: expectations read as the example, failures lead with the trace and the
// replay command, then the timeline; the fast-check bridge runs simulation seeds as a property.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expectModel, simulationProperty } from '../../src/vitest/index.ts';
import { twoPhaseCommit } from '../fixtures/twopc/twopc.ts';

const traceDir = mkdtempSync(join(tmpdir(), 'ordeal-vitest-'));
afterAll(() => rmSync(traceDir, { recursive: true, force: true }));

describe('expectModel', () => {
  it('passes and violates as the variants declare', async () => {
    await expectModel(twoPhaseCommit, { crashes: 1 }).toPass();
    await expectModel(twoPhaseCommit, { variant: 'majority-commit' }).toViolate('Atomicity');
  });

  it('fails with the trace file, the replay command and the timeline', async () => {
    const modelFile = join(import.meta.dirname, '..', 'fixtures', 'twopc', 'twopc.ts');
    const failure = expectModel(twoPhaseCommit, { variant: 'majority-commit', traceDir, modelFile }).toPass();
    const path = join(traceDir, 'two-phase-commit.majority-commit.participants3.Atomicity.bfs.json');
    await expect(failure).rejects.toThrow(`two-phase-commit [majority-commit] violates Atomicity; expected it to pass.\ntrace: ${path}\nreplay: npx ordeal replay ${path}\n\nCounterexample:`);
    await expect(failure).rejects.toThrow(/6\. p3: timer 'abort' fires/);
    expect(readdirSync(traceDir)).toEqual(['two-phase-commit.majority-commit.participants3.Atomicity.bfs.json']);
    await expect(expectModel(twoPhaseCommit).toViolate('Atomicity')).rejects.toThrow('two-phase-commit [default] passes; expected it to violate Atomicity.');
  });

  it('simulates when asked', async () => {
    const outcome = await expectModel(twoPhaseCommit, { variant: 'first-yes', simulate: { seed: 3, runs: 200 } }).toViolate('Atomicity');
    expect(outcome.trace?.seed).toBe(3);
  });
});

describe('simulationProperty (fast-check)', () => {
  it('holds for the correct protocol and fails with a seed to replay for a mutant', async () => {
    await fc.assert(simulationProperty(fc, twoPhaseCommit, { traceDir }), { numRuns: 10, seed: 1 });
    const failure = await fc.assert(simulationProperty(fc, twoPhaseCommit, { variant: 'first-yes', traceDir }), { numRuns: 300, seed: 1 }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/^Property failed after \d+ tests\n\{ seed: 1, path: "\d+(:\d+)*"/);
    expect((failure?.cause as Error).message).toMatch(/^two-phase-commit \[first-yes\] violates Atomicity; expected it to pass\.\ntrace: /);
  });
});
