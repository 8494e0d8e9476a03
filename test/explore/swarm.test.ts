// Swarm verification: four shard processes of the CLI, one per search as four CI jobs would run
// them (the index from the flag, ORDEAL_SHARD_INDEX or JOB_COMPLETION_INDEX), merged by `ordeal
// merge`: a mutant's violation is found and its trace replays; a correct model gets "no violation
// in the covered part", never "pass". The library runs the same swarm on its worker pool.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paxos } from '../../models/paxos/index.ts';
import { check } from '../../src/api/check.ts';
import { mergeSwarmSummaries, swarmSummaryOf, type SwarmSearchSummary } from '../../src/explore/swarm.ts';
import { swarmPlan } from '../../src/explore/swarm-search.ts';
import { ordeal, ordealArgs, repoRoot } from '../helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ordeal-swarm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Run `ordeal ARGS` with extra environment, to its end (in parallel with others). */
function run(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ordealArgs(...args), { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Four shards as four jobs would run them: by flag, by CI matrix variable, by Kubernetes index. */
async function fourShards(name: string, ...args: string[]): Promise<string[]> {
  const out = join(scratch, name);
  const shards = await Promise.all([
    run({}, 'check', ...args, '--shard', '0/4', '--json', '--out', out),
    run({ ORDEAL_SHARD_INDEX: '1' }, 'check', ...args, '--shard', 'auto/4', '--json', '--out', out),
    run({ JOB_COMPLETION_INDEX: '2' }, 'check', ...args, '--shard', 'auto/4', '--json', '--out', out),
    run({ JOB_COMPLETION_INDEX: '3' }, 'check', ...args, '--shard', 'auto/4', '--json', '--out', out),
  ]);
  return shards.map((s, i) => {
    expect([1, 3]).toContain(s.code);
    const path = join(scratch, `${name}-${i}.json`);
    writeFileSync(path, s.stdout);
    expect(JSON.parse(s.stdout).swarm.searches.map((x: SwarmSearchSummary) => x.index)).toEqual([i]);
    return path;
  });
}

describe('swarm shards of the CLI, merged', () => {
  it('find a mutant\'s violation, and its trace replays', async () => {
    const paths = await fourShards('mutant', 'paxos', '--variant', 'promise-not-persisted', '--max-depth', '20');
    const merged = ordeal('merge', ...paths);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toMatch(/swarm of 4 searches, 4 merged/);
    expect(merged.stdout).toMatch(/VIOLATION AtMostOneChosen \(\d+ events\) in search \d/);
    const json = JSON.parse(ordeal('merge', '--json', ...paths).stdout);
    expect(json.firstViolation.property).toBe('AtMostOneChosen');
    expect(json.statesCoveredEstimate).toBeGreaterThan(1000);
    const replay = ordeal('replay', json.firstViolation.trace);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/AtMostOneChosen/);
  }, 120_000);

  it('say "no violation in the covered part" for a correct model, not "pass"', async () => {
    const paths = await fourShards('correct', 'paxos', '--max-depth', '12');
    const merged = ordeal('merge', ...paths);
    expect(merged.code).toBe(3);
    expect(merged.stdout).toMatch(/NO VIOLATION IN THE COVERED PART \(inconclusive\): no violation in the covered part: 4 of 4 swarm searches, about [\d,]+ distinct states covered; a swarm is not exhaustive/);
  }, 120_000);

  it('refuse shards of different runs, a search given twice, and a shard index without one', async () => {
    const paths = await fourShards('other', 'paxos', '--max-depth', '6');
    expect(ordeal('merge', paths[0], paths[0]).stderr).toMatch(/search 0 appears in two summaries/);
    const r = ordeal('check', 'paxos', '--shard', 'auto/4');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/set ORDEAL_SHARD_INDEX or JOB_COMPLETION_INDEX/);
  }, 120_000);
});

describe('swarm in the library', () => {
  it('runs N searches on the worker pool, deterministic from the seed for any worker count', async () => {
    const one = await check(paxos, { variant: 'promise-not-persisted', swarm: 3, maxDepth: 20, workers: 1 });
    const two = await check(paxos, { variant: 'promise-not-persisted', swarm: 3, maxDepth: 20, workers: 2 });
    expect(one.result).toBe('violation');
    expect(one.swarm!.searches.map((s) => s.distinctStates)).toEqual(two.swarm!.searches.map((s) => s.distinctStates));
    expect(one.violation).toEqual(two.violation);
    expect(one.swarm!.firstViolation!.property).toBe('AtMostOneChosen');
  }, 120_000);

  it('plans differ in seed and depth bound; merging refuses summaries of another run', () => {
    const plans = [0, 1, 2].map((i) => swarmPlan(i, 3, { seed: 1, maxDepth: 20 }));
    expect(new Set(plans.map((p) => p.seed)).size).toBe(3);
    expect(plans.map((p) => p.maxDepth)).toEqual([20, 15, 10]);
    const identity = { model: 'paxos', variant: 'default', params: {}, config: { network: 'unordered' as const, faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } }, count: 2 };
    const a = swarmSummaryOf(identity, []);
    const b = swarmSummaryOf({ ...identity, count: 3 }, []);
    expect(() => mergeSwarmSummaries([a, b])).toThrow(/different runs: count/);
  });
});
