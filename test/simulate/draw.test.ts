// Fault and timing schedules that land: a guided run places its whole crash budget at drawn steps
// (not a per-step rate most runs never trigger), and draws its timing from wide ranges, differently
// for each run and the same for the same seed.
import { describe, expect, it } from 'vitest';
import { raft } from '../../models/raft/index.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { drawTiming, placeFaults, timerNamesOf } from '../../src/simulate/draw.ts';
import { guidedCursor, guidedRun } from '../../src/simulate/guided-run.ts';
import { abstractionOf } from '../../src/simulate/abstraction.ts';
import { DEFAULT_TIMING, NO_FAULT_MIX } from '../../src/simulate/options.ts';
import { Rng } from '../../src/simulate/rng.ts';

const budgets = { crashes: 2, partitions: 0, drops: 0, duplicates: 0 };

describe('fault placement', () => {
  it('places the whole crash budget in the runs that have crashes on, at steps within the expected length', () => {
    let withCrashes = 0;
    for (let run = 0; run < 200; run++) {
      const placed = placeFaults(Rng.forRun(1, run), budgets, 10, 40);
      const crashes = placed.filter((f) => f.kind === 'crash');
      expect([0, 2]).toContain(crashes.length);
      if (crashes.length > 0) withCrashes++;
      for (const f of placed) expect(f.step >= 10 && f.step < 50).toBe(true);
    }
    expect(withCrashes).toBeGreaterThan(60);
    expect(withCrashes).toBeLessThan(140);
  });

  it('with --crashes 2, both crashes happen in at least 95% of the runs that place them', () => {
    const system = raft.build({ params: resolveParams(raft, {}), variant: 'default', config: { ...raft.defaultConfig, faults: budgets } });
    const cursor = guidedCursor(system);
    const abstraction = abstractionOf(system);
    let placedRuns = 0;
    let landed = 0;
    for (let run = 0; run < 300; run++) {
      const rng = Rng.forRun(2, run);
      const faults = placeFaults(rng, budgets, 0, 30);
      if (!faults.some((f) => f.kind === 'crash')) continue;
      placedRuns++;
      const plan = { prefix: [], divergence: 'none' as const, timing: DEFAULT_TIMING, mix: NO_FAULT_MIX, faults, maxSteps: 1000 };
      const result = guidedRun(system, cursor, abstraction, plan, rng, run);
      if (result.events.filter((e) => e.kind === 'crash').length === 2) landed++;
    }
    expect(placedRuns).toBeGreaterThan(100);
    expect(landed / placedRuns).toBeGreaterThanOrEqual(0.95);
  });
});

describe('timing drawn per run', () => {
  const names = timerNamesOf(raft.build({ params: resolveParams(raft, {}), variant: 'default', config: raft.defaultConfig }).declaredActions);

  it('finds the timer names a model declares', () => {
    expect(names).toEqual(['client', 'election']);
  });

  it('varies from run to run and is the same for the same seed and run', () => {
    const draws = Array.from({ length: 100 }, (_, run) => drawTiming(Rng.forRun(1, run), DEFAULT_TIMING, names));
    const distinct = new Set(draws.map((t) => JSON.stringify([t.latencyMsMax, t.timerMsByName])));
    expect(distinct.size).toBeGreaterThan(20);
    expect(new Set(draws.map((t) => t.timerMsByName!.election)).size).toBeGreaterThan(5);
    expect(drawTiming(Rng.forRun(1, 7), DEFAULT_TIMING, names)).toEqual(draws[7]);
  });

  it('keeps the timing the user set', () => {
    const given = { ...DEFAULT_TIMING, latencyMsMin: 1, latencyMsMax: 100, timerMsByName: { election: 200 } };
    const t = drawTiming(Rng.forRun(1, 0), given, names);
    expect(t.latencyMsMax).toBe(100);
    expect(t.timerMsByName).toEqual({ election: 200 });
  });
});
