import { describe, expect, it } from 'vitest';
import { drawSwarmMix, mixLabel, DEFAULT_FAULT_MIX, NO_FAULT_MIX } from '../../src/simulate/options.ts';
import { PctPolicy } from '../../src/simulate/pct.ts';
import { Rng } from '../../src/simulate/rng.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import { simulateRun } from '../../src/simulate/run.ts';
import { modelNamed, request } from './helpers.ts';
import { resolveParams } from '../../src/model/resolve.ts';

describe('swarm testing', () => {
  it('draws a fault mix per run from the run seed alone, and not always the same one', () => {
    const labels = new Set<string>();
    for (let run = 0; run < 50; run++) {
      const a = drawSwarmMix(Rng.forRun(5, run));
      expect(drawSwarmMix(Rng.forRun(5, run))).toEqual(a);
      labels.add(mixLabel(a));
    }
    expect(labels.size).toBeGreaterThan(10);
  });

  it('reports which fault mixes found violations', async () => {
    const report = await simulate(request('ping', 'forgets', { runEnd: 3000, stopAtViolation: false, options: { strategy: 'swarm' } }));
    const mixes = Object.entries(report.tally.mixes);
    expect(mixes.reduce((sum, [, c]) => sum + c.runs, 0)).toBe(3000);
    const finding = mixes.filter(([, c]) => c.violations > 0).map(([label]) => label);
    expect(finding.length).toBeGreaterThan(0);
    // The bug needs a crash and a second copy of a ping: every finding mix has crashes and duplicates.
    for (const label of finding) expect(label).toMatch(/crash.*duplicate/);
    expect(report.tally.violatingRuns).toBe(mixes.reduce((sum, [, c]) => sum + c.violations, 0));
  });
});

describe('PCT schedules', () => {
  it('places d - 1 distinct priority change points within the step bound', () => {
    for (const depth of [1, 2, 3, 5]) {
      const policy = new PctPolicy(Rng.fromSeed('pct'), depth, 50) as unknown as { changePoints: Map<number, number> };
      expect(policy.changePoints.size).toBe(depth - 1);
      for (const [at, priority] of policy.changePoints) {
        expect(at).toBeGreaterThanOrEqual(0);
        expect(at).toBeLessThan(50);
        expect(priority).toBeGreaterThanOrEqual(1);
        expect(priority).toBeLessThan(depth);
      }
    }
  });

  it('finds the paxos mutants that need no fault', async () => {
    for (const variant of ['ignores-reported-value', 'same-ballot', 'minority-quorums']) {
      const report = await simulate(request('paxos', variant, { runEnd: 3000, options: { strategy: 'pct', mix: NO_FAULT_MIX } }));
      expect(report.tally.violation?.property).toBe('AtMostOneChosen');
    }
  });

  it('schedules differently from plain random simulation', () => {
    const model = modelNamed('paxos');
    const system = model.build({ params: resolveParams(model, {}), variant: 'default', config: { network: 'unordered', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } } });
    let differ = 0;
    for (let run = 0; run < 20; run++) {
      const random = simulateRun(system, request('paxos', 'default', { options: { strategy: 'random', mix: DEFAULT_FAULT_MIX } }).options, 1, run);
      const pct = simulateRun(system, request('paxos', 'default', { options: { strategy: 'pct' } }).options, 1, run);
      if (random.steps !== pct.steps || random.virtualTimeMs !== pct.virtualTimeMs) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });
});
