// The level engine on actor models: worlds cross between shards that each have their own system
// (own interning tables), in this thread and in worker threads, and the distinct states,
// transitions, depth and verdict equal those of the one-thread BFS for every shard count; a mutant
// is found with the same property and length, and its trace replays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { bfs } from '../../src/explore/bfs.ts';
import { levelBfsLocal } from '../../src/explore/parallel-bfs.ts';
import type { ModelDefinition, RunConfig } from '../../src/model/define.ts';
import { findModel } from '../../src/model/resolve.ts';
import type { TransitionSystem } from '../../src/model/system.ts';
import { ordeal } from '../helpers/cli.ts';

const scratchDirs: string[] = [];
afterAll(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const counts = (o: { result: string; distinctStates: number; transitions: number; depth: number }) => ({
  result: o.result,
  distinctStates: o.distinctStates,
  transitions: o.transitions,
  depth: o.depth,
});

/** A builder of fresh systems of a registered model: its defaults, then `params` and `config` on top. */
function builderOf(name: string, params: Record<string, number> = {}, config: Partial<RunConfig> = {}, variant = 'default') {
  const model = findModel(builtinModels, name) as ModelDefinition;
  const all = { ...Object.fromEntries(Object.entries(model.params).map(([k, d]) => [k, d.default])), ...params };
  const full: RunConfig = { ...model.defaultConfig, ...config, faults: { ...model.defaultConfig.faults, ...(config.faults ?? {}) } };
  return () => model.build({ params: all, variant, config: full }) as TransitionSystem<unknown>;
}

describe('actor models on several shards in one thread, each shard with its own tables', () => {
  it.each([
    ['paxos (defaults: one crash, symmetry)', builderOf('paxos')],
    ['paxos without symmetry', builderOf('paxos', {}, { symmetry: false })],
    ['multipaxos (defaults)', builderOf('multipaxos')],
    ['zab, 2 requests, no crash (tcp; a reachability target stays unreached)', builderOf('zab', { requests: 2 }, { faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } })],
  ])('gives the one-thread counts and verdict with 1, 2 and 3 shards: %s', async (_name, build) => {
    const expected = bfs(build());
    for (const k of [1, 2, 3]) {
      const { outcome } = await levelBfsLocal(build(), k, {}, build);
      expect(counts(outcome), `${k} shards`).toEqual(counts(expected));
      expect(outcome.reachable.map((r) => r.reachedAtLength), `${k} shards`).toEqual(expected.reachable.map((r) => r.reachedAtLength));
    }
  });

  it('finds a mutant with the property and length of the one-thread BFS, the same counts for every shard count', async () => {
    const build = builderOf('paxos', {}, {}, 'same-ballot');
    const expected = bfs(build());
    expect(expected.violation?.property).toBe('AtMostOneChosen');
    const outcomes = [];
    for (const k of [1, 2, 3]) outcomes.push((await levelBfsLocal(build(), k, {}, build)).outcome);
    for (const o of outcomes) {
      expect(o.violation?.property).toBe('AtMostOneChosen');
      expect(o.violation!.length).toBe(expected.violation!.length);
      expect([o.distinctStates, o.transitions, o.depth]).toEqual([outcomes[0].distinctStates, outcomes[0].transitions, outcomes[0].depth]);
    }
  });
});

describe('actor models in worker threads, from the CLI', () => {
  const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, unknown>;

  it.each([
    ['paxos'],
    ['multipaxos'],
    ['zab', '-p', 'requests=2', '--crashes', '0'],
  ])('gives the one-thread counts and verdict with --workers 1, 2 and 3: %s', (...args) => {
    const one = ordeal('check', ...args, '--json');
    const expected = json(one);
    for (const k of ['1', '2', '3']) {
      const r = ordeal('check', ...args, '--workers', k, '--json');
      expect(r.code, r.stderr).toBe(one.code);
      expect(r.stderr).not.toMatch(/running 1 worker/);
      const got = json(r);
      expect(got.workers).toBe(Number(k));
      expect(counts(got as never)).toEqual(counts(expected as never));
    }
  });

  it('stops with a checkpoint on 2 workers and resumes on 3 to the counts of an uninterrupted run', () => {
    const out = mkdtempSync(join(tmpdir(), 'ordeal-parallel-actors-'));
    scratchDirs.push(out);
    const file = join(out, 'paxos.ckpt');
    const stopped = ordeal('check', 'paxos', '--max-states', '20000', '--checkpoint', file, '--workers', '2', '--json');
    expect(stopped.code).toBe(3);
    const resumed = ordeal('check', 'paxos', '--resume', file, '--workers', '3', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(counts(json(resumed) as never)).toEqual({ result: 'pass', distinctStates: 35751, transitions: 153988, depth: 26 });
  });

  it('finds the mutant with 2 workers: exit 1, the one-thread property and length, and a trace that replays', () => {
    const one = json(ordeal('check', 'paxos', '--variant', 'same-ballot', '--json'));
    const out = mkdtempSync(join(tmpdir(), 'ordeal-parallel-actors-'));
    scratchDirs.push(out);
    const r = ordeal('check', 'paxos', '--variant', 'same-ballot', '--workers', '2', '--out', out, '--json');
    expect(r.code).toBe(1);
    const got = json(r);
    const violation = got.violation as { property: string; length: number };
    expect(violation.property).toBe('AtMostOneChosen');
    expect(violation.length).toBe((one.violation as { length: number }).length);
    const replayed = ordeal('replay', got.trace as string);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
  });
});
