// The default strategy of simulate(), `ordeal simulate` and expectModel is guided, the one strategy
// that finds all six bugs of the deep-bug bench from every seed 1-10 (reports/bench-deep.md); a
// liveness simulation that names no strategy runs random, since guided checks safety only.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { simulate } from '../../src/api/simulate.ts';
import { DEFAULT_GUIDED_RUNS, DEFAULT_RUNS } from '../../src/api/simulate.ts';
import { DEFAULT_LIVENESS_STRATEGY, DEFAULT_STRATEGY } from '../../src/index.ts';
import { expectModel } from '../../src/vitest/index.ts';
import { twoPhaseCommit } from '../fixtures/twopc/twopc.ts';
import { ordeal } from '../helpers/cli.ts';

const out = mkdtempSync(join(tmpdir(), 'ordeal-default-strategy-'));
const paxos = builtinModels.find((m) => m.name === 'paxos')!;
const mutant = { variant: 'ignores-reported-value', seed: 2, runs: 300, shrink: false } as const;
/** What tells two simulations apart: the strategy, the runs and events, the violating run and its events. */
const outcomeOf = (r: Awaited<ReturnType<typeof simulate>>) => ({
  strategy: r.strategy,
  runs: r.runs,
  events: r.events,
  run: r.violation?.run,
  trace: r.trace?.events,
});

describe('the default simulation strategy', () => {
  it('is guided, declared once', () => {
    expect([DEFAULT_STRATEGY, DEFAULT_LIVENESS_STRATEGY]).toEqual(['guided', 'random']);
  });

  it('simulate() with no strategy is the guided simulation of the same seed, not the random one', async () => {
    const plain = await simulate(paxos, mutant);
    const guided = await simulate(paxos, { ...mutant, strategy: 'guided' });
    const random = await simulate(paxos, { ...mutant, strategy: 'random' });
    expect(plain.violation?.property).toBe('AtMostOneChosen');
    expect(outcomeOf(plain)).toEqual(outcomeOf(guided));
    expect(plain.trace!.strategy).toBe('guided');
    expect(plain.coverage).not.toBeNull();
    expect(outcomeOf(plain)).not.toEqual(outcomeOf(random));
    expect(random.coverage).toBeNull();
  }, 60_000);

  it('runs DEFAULT_GUIDED_RUNS when no runs are given (DEFAULT_RUNS with the others)', async () => {
    const short = { variant: 'default', maxSteps: 2 } as const;
    expect((await simulate(twoPhaseCommit, short)).runs).toBe(DEFAULT_GUIDED_RUNS);
    expect((await simulate(twoPhaseCommit, { ...short, strategy: 'random' })).runs).toBe(DEFAULT_RUNS);
  }, 60_000);

  it('is random for a liveness simulation (guided checks safety only), swarm with swarm: true', async () => {
    const options = { liveness: true, runs: 3, seed: 1, maxSteps: 300 } as const;
    const live = await simulate(paxos, options);
    expect(live.strategy).toBe('random');
    expect(outcomeOf(live)).toEqual(outcomeOf(await simulate(paxos, { ...options, strategy: 'random' })));
    await expect(simulate(paxos, { ...options, strategy: 'guided' })).rejects.toThrow('simulate: strategy guided checks safety only; check liveness with random (its default), swarm or pct');
    expect((await simulate(paxos, { swarm: true, runs: 5 })).strategy).toBe('swarm');
  }, 60_000);

  it('is what expectModel simulates with when it is asked to simulate and names no strategy', async () => {
    const asked = { variant: 'first-yes', simulate: { seed: 3, runs: 200 } } as const;
    const outcome = await expectModel(twoPhaseCommit, { ...asked, traceDir: out }).toViolate('Atomicity');
    expect(outcome.trace?.strategy).toBe('guided');
  }, 60_000);

  it('is what `ordeal simulate` runs, and --help says so; --liveness alone runs random, --strategy guided --liveness is exit 2', async () => {
    const cli = JSON.parse(ordeal('simulate', 'paxos', '--variant', mutant.variant, '--seed', '2', '--runs', '300', '--json', '--quiet', '--no-shrink', '--out', out).stdout);
    const api = await simulate(paxos, { ...mutant, strategy: 'guided' });
    expect(cli).toMatchObject({ strategy: 'guided', runs: api.runs, events: api.events, violation: { property: 'AtMostOneChosen', run: api.violation!.run } });
    const help = ordeal('simulate', '--help').stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--strategy <name> schedule strategy (default: guided; with --liveness, which guided cannot check, random; with --swarm, swarm)');
    expect(help).toContain(`number of runs (default: ${DEFAULT_GUIDED_RUNS} with guided, ${DEFAULT_RUNS} with the others)`);
    const live = JSON.parse(ordeal('simulate', 'paxos', '--liveness', '--runs', '2', '--max-steps', '300', '--json', '--quiet', '--out', out).stdout);
    expect(live.strategy).toBe('random');
    expect(ordeal('simulate', 'paxos', '--strategy', 'guided', '--liveness', '--runs', '2')).toMatchObject({
      code: 2,
      stderr: 'ordeal: --strategy guided checks safety only; check --liveness with random (its default), swarm or pct\n',
    });
  }, 120_000);
});
