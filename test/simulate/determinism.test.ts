import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateRun } from '../../src/simulate/run.ts';
import { defaultOptions, SIMULATION_FAULT_BUDGETS } from '../../src/simulate/options.ts';
import { SIMULATION_STRATEGY_NAMES } from '../../src/explore/strategies/index.ts';

/** Strategies whose runs are independent (guided's are tested in guided.test.ts). */
const SIMULATION_STRATEGIES = SIMULATION_STRATEGY_NAMES.filter((s) => s !== 'guided');
import { Rng } from '../../src/simulate/rng.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import { summaryOf } from '../../src/simulate/summary.ts';
import { mergeTallies, simulateRange } from '../../src/simulate/tally.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { modelNamed, request, withoutTiming, inWorkers } from './helpers.ts';

const paxos = modelNamed('paxos');
const paxosSystem = paxos.build({ params: resolveParams(paxos, {}), variant: 'default', config: { network: 'unordered', faults: SIMULATION_FAULT_BUDGETS } });

describe('determinism of simulation', () => {
  it('gives the same events for two executions of any seed, run and strategy', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 10_000 }), fc.constantFrom(...SIMULATION_STRATEGIES), (seed, run, strategy) => {
        const options = defaultOptions({ strategy, maxSteps: 200 });
        const first = simulateRun(paxosSystem, options, seed, run);
        const second = simulateRun(paxosSystem, options, seed, run);
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
      { numRuns: 60 },
    );
  });

  it('merges tallies of any split of the runs into the tally of the whole range', () => {
    const ping = modelNamed('ping');
    const system = ping.build({ params: resolveParams(ping, {}), variant: 'forgets', config: { network: 'unordered', faults: SIMULATION_FAULT_BUDGETS } });
    const tallyRequest = { options: defaultOptions({ strategy: 'swarm' }), seed: 11, stopAtViolation: true };
    const whole = simulateRange(system, tallyRequest, 0, 400);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 399 }), { maxLength: 5 }), (cuts) => {
        const bounds = [0, ...[...cuts].sort((a, b) => a - b), 400];
        const parts = bounds.slice(1).map((end, i) => simulateRange(system, tallyRequest, bounds[i], end));
        const merged = mergeTallies(parts, true);
        expect(JSON.stringify({ ...merged, stopped: null })).toBe(JSON.stringify({ ...whole, stopped: null }));
      }),
      { numRuns: 15 },
    );
  });

  it('restores a saved generator state to the same sequence', () => {
    const rng = Rng.forRun(3, 4);
    rng.next();
    const saved = rng.save();
    const a = [rng.next(), rng.next(), rng.below(100)];
    const restored = Rng.restore(saved);
    expect([restored.next(), restored.next(), restored.below(100)]).toEqual(a);
  });

  it('derives different runs from one seed', () => {
    expect(Rng.forRun(1, 0).next()).not.toBe(Rng.forRun(1, 1).next());
  });

  it('reports the same summary and trace with 1 and 2 worker threads', async () => {
    for (const variant of ['default', 'same-ballot', 'ignores-reported-value']) {
      const one = await simulate(request('paxos', variant, { runEnd: 300 }));
      const base = request('paxos', variant, { runEnd: 300 });
      const two = await simulate({ ...base, ...inWorkers('paxos', variant, 2, base) });
      expect(withoutTiming(summaryOf(two, null, null))).toEqual(withoutTiming(summaryOf(one, null, null)));
      expect(JSON.stringify(two.trace)).toBe(JSON.stringify(one.trace));
      expect(one.tally.violation !== null).toBe(variant !== 'default');
    }
  }, 60_000);

  it('reproduces a failing run alone from its seed and run index', async () => {
    const all = await simulate(request('paxos', 'ignores-reported-value', { runEnd: 2000 }));
    const run = all.tally.violation!.run;
    const alone = await simulate(request('paxos', 'ignores-reported-value', { runStart: run, runEnd: run + 1 }));
    expect(alone.tally.violation!.events).toEqual(all.tally.violation!.events);
    expect(JSON.stringify(alone.trace)).toBe(JSON.stringify(all.trace));
  });
});
