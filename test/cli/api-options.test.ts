// The library is the command line's front door: every option of `ordeal check` and `ordeal
// simulate` is an option of check(), simulate() and expectModel under the camelCase of its flag
// (repeatable flags plural: --timer is `timers`, --invariant is `invariants`), with the same meaning.
// Each test runs one search both ways and holds the counts, verdicts and traces equal.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { check, InputError, simulate } from '../../src/index.ts';
import { expectModel } from '../../src/vitest/index.ts';
import { ordeal } from '../helpers/cli.ts';

const paxos = builtinModels.find((m) => m.name === 'paxos')!;
const out = mkdtempSync(join(tmpdir(), 'ordeal-api-options-'));

describe('check() takes the options of `ordeal check`', () => {
  it('por: false and workers: 2 give the counts of --no-por --workers 2', async () => {
    const api = await check(paxos, { por: false, workers: 2 });
    const cli = JSON.parse(ordeal('check', 'paxos', '--no-por', '--workers', '2', '--json').stdout);
    expect(api).toMatchObject({ result: cli.result, distinctStates: cli.distinctStates, transitions: cli.transitions, depth: cli.depth, workers: 2 });
    expect(api.distinctStates).toBe(35_751);
    expect(api.notes).toEqual([]);
  }, 120_000);

  it('coverage, partitionKinds, partitions and maxDepth mean what their flags mean', async () => {
    const api = await check(paxos, { coverage: true, partitionKinds: 'isolate', partitions: 1, maxDepth: 8 });
    const cli = JSON.parse(ordeal('check', 'paxos', '--coverage', '--partition-kinds', 'isolate', '--partitions', '1', '--max-depth', '8', '--json', '--out', out).stdout);
    expect(api).toMatchObject({ result: 'inconclusive', distinctStates: cli.distinctStates, transitions: cli.transitions, depth: cli.depth });
    expect(api.coverage).toEqual(cli.coverage);
  }, 60_000);

  it('a found violation is the same counterexample both ways (invariants, strategy dfs)', async () => {
    const api = await check(paxos, { variant: 'minority-quorums', strategy: 'dfs', invariants: ['AtMostOneChosen'], por: true });
    const cli = JSON.parse(ordeal('check', 'paxos', '--variant', 'minority-quorums', '--strategy', 'dfs', '--invariant', 'AtMostOneChosen', '--por', '--json', '--out', out).stdout);
    expect(api.violation).toMatchObject({ property: 'AtMostOneChosen', length: cli.violation.length });
    expect(api.distinctStates).toBe(cli.distinctStates);
  }, 60_000);

  it('names the option as the caller spells it when it is wrong', async () => {
    await expect(check(paxos, { workers: 0 })).rejects.toThrow(new InputError('check: workers must be at least 1'));
    expect(ordeal('check', 'paxos', '--workers', '0')).toMatchObject({ code: 2, stderr: 'ordeal: --workers must be at least 1\n' });
    await expect(check(paxos, { strategy: 'dfs', checkpoint: join(out, 'c.ckpt') })).rejects.toThrow('check: workers, checkpoint and resume need strategy bfs');
    expect(ordeal('check', 'paxos', '--strategy', 'dfs', '--workers', '2').stderr).toBe('ordeal: --workers, --checkpoint and --resume need --strategy bfs\n');
  }, 60_000);
});

describe('simulate() takes the options of `ordeal simulate`', () => {
  it('timers, latency, fault rates, seed and runs give the run the command line gives', async () => {
    // Random: these settings find the mutant within 300 of its runs (guided's, with the timer fixed, do not).
    const flags = ['--variant', 'ignores-reported-value', '--strategy', 'random', '--timer', 'retry=200', '--latency', '2..20', '--partition-rate', '0.05', '--drop-rate', '0', '--seed', '3', '--runs', '300'];
    const cli = JSON.parse(ordeal('simulate', 'paxos', ...flags, '--json', '--out', out).stdout);
    const api = await simulate(paxos, {
      variant: 'ignores-reported-value',
      strategy: 'random',
      timers: { retry: 200 },
      latency: { min: 2, max: 20 },
      partitionRate: 0.05,
      dropRate: 0,
      seed: 3,
      runs: 300,
    });
    expect(api).toMatchObject({ result: cli.result, runs: cli.runs, events: cli.events });
    expect(api.violation).toMatchObject({ property: cli.violation.property, run: cli.violation.run, length: cli.violation.length });
  }, 60_000);

  it('swarm, keepGoing, maxSteps, workers and shard mean what their flags mean', async () => {
    const cli = JSON.parse(ordeal('simulate', 'paxos', '--swarm', '--keep-going', '--max-steps', '300', '--workers', '2', '--shard', '1/3', '--runs', '90', '--json', '--out', out).stdout);
    const api = await simulate(paxos, { swarm: true, keepGoing: true, maxSteps: 300, workers: 2, shard: '1/3', runs: 90 });
    expect(api).toMatchObject({ result: cli.result, runs: cli.runs, events: cli.events });
    expect(cli.runStart).toBe(30);
  }, 60_000);

  it('names the option as the caller spells it when it is wrong', async () => {
    await expect(simulate(paxos, { swarm: true, crashRate: 0.1 })).rejects.toThrow(
      'simulate: crashRate, partitionRate, dropRate and duplicateRate cannot be combined with swarm (swarm draws the rates of each run)',
    );
    expect(ordeal('simulate', 'paxos', '--swarm', '--crash-rate', '0.1').stderr).toBe(
      'ordeal: --crash-rate, --partition-rate, --drop-rate and --duplicate-rate cannot be combined with --swarm (swarm draws the rates of each run)\n',
    );
    await expect(simulate(paxos, { timers: { retry: 0 } })).rejects.toThrow("simulate: timers must be NAME=MS with MS a whole number of ms >= 1, got 'retry=0'");
    expect(ordeal('simulate', 'paxos', '--timer', 'retry').stderr).toBe("ordeal: --timer must be NAME=MS with MS a whole number of ms >= 1, got 'retry'\n");
    await expect(simulate(paxos, { run: 3, shard: '0/2' })).rejects.toThrow('simulate: run and shard cannot be combined');
  }, 60_000);
});

describe('expectModel takes them too', () => {
  it('checks with por and workers, and simulates with timers and fault rates', async () => {
    await expectModel(paxos, { variant: 'minority-quorums', por: false, workers: 2, traceDir: out }).toViolate('AtMostOneChosen');
    await expectModel(paxos, { variant: 'ignores-reported-value', traceDir: out, simulate: { strategy: 'random', timers: { retry: 200 }, partitionRate: 0.05, seed: 3, runs: 300 } }).toViolate('AtMostOneChosen');
  }, 60_000);
});
