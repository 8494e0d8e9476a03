// Every Paxos mutant is found by simulation from a fixed seed, shrunk, and the shrunk trace replays
// to the same violation. Seeds and run ranges are fixed so the test is deterministic; the strategy
// named for each mutant is one that finds it within the range (see reports/bugfinding.md).
import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/simulate/options.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import { replay } from '../../src/trace/replay.ts';
import { modelNamed, request } from './helpers.ts';

const MUTANTS = [
  // [variant, strategy, seed, runs]
  ['ignores-reported-value', 'random', 7, 2000],
  ['accepts-below-promise', 'random', 7, 2000],
  ['minority-quorums', 'random', 7, 2000],
  ['same-ballot', 'random', 7, 2000],
  ['flexible-quorums-too-small', 'random', 7, 2000],
  // The two crash-recovery bugs need a restart while older messages are still in flight: swarm
  // runs with fast restarts find them.
  ['promise-not-persisted', 'swarm', 2, 500],
  ['volatile-round', 'swarm', 4, 3000],
] as const;

describe('simulation finds every paxos mutant', () => {
  for (const [variant, strategy, seed, runs] of MUTANTS) {
    it(`finds ${variant} with ${strategy} simulation from seed ${seed}, shrinks it, and the shrunk trace replays`, async () => {
      const model = modelNamed('paxos');
      const report = await simulate(request('paxos', variant, { seed, runEnd: runs, options: defaultOptions({ strategy }) }));
      const expected = model.variants[variant].expected;
      expect(report.tally.violation?.property).toBe(expected);
      const trace = report.trace!;
      expect(trace.events.length).toBeLessThanOrEqual(trace.shrunkFrom ?? trace.events.length);
      expect(replay(report.system, trace)).toMatchObject({ ok: true, property: expected, step: trace.events.length });
    });
  }
});
