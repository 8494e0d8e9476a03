// The level engine (parallel BFS): the same states, transitions, depth and verdict as sequential BFS
// whatever the number of shards, in this thread (localShards) and in worker threads (the CLI).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { paxosTlaObject } from '../../models/paxos-tla/object.ts';
import { bfs } from '../../src/explore/bfs.ts';
import { levelBfs, levelBfsLocal } from '../../src/explore/parallel-bfs.ts';
import { Shard } from '../../src/explore/parallel-shard.ts';
import { startWorkers } from '../../src/workers/shards.ts';
import type { RunConfig } from '../../src/model/define.ts';
import { replay } from '../../src/trace/replay.ts';
import { TRACE_FORMAT, TRACE_VERSION } from '../../src/trace/format.ts';
import { pingModel } from '../fixtures/ping.ts';
import { ordeal } from '../helpers/cli.ts';

const scratchDirs: string[] = [];
afterAll(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const paxos = (ballots: number, variant = 'default') =>
  paxosTla.build({ params: { acceptors: 3, values: 2, ballots }, variant, config: paxosTla.defaultConfig });
const pingConfig: RunConfig = { network: 'unordered', faults: { crashes: 1, partitions: 0, drops: 1, duplicates: 0 } };
const ping = (variant = 'default', config = pingConfig) => pingModel.build({ params: { nodes: 3, retries: 1 }, variant, config });
/** Duplicated pings reach a restarted node that forgot its answers: the mutant's bug. */
const pingMutantConfig: RunConfig = { network: 'unordered', faults: { crashes: 1, partitions: 0, drops: 0, duplicates: 1 } };
const counts = (o: { result: string; distinctStates: number; transitions: number; depth: number }) => ({
  result: o.result,
  distinctStates: o.distinctStates,
  transitions: o.transitions,
  depth: o.depth,
});

describe('the level engine in one thread', () => {
  it.each([
    ['paxos-tla, 2 ballots', () => paxos(2)],
    ['paxos-tla, 3 ballots', () => paxos(3)],
    ['the ping actor model with a crash and a drop', () => ping()],
  ])('finds the same states, transitions and depth as sequential BFS with 1, 2 and 3 shards: %s', async (_name, make) => {
    const expected = counts(bfs(make()));
    expect(expected.result).toBe('pass');
    for (const k of [1, 2, 3]) {
      // Every shard its own system, as in worker threads (actor worlds cross between their tables).
      const { outcome } = await levelBfsLocal(make(), k, {}, make);
      expect(counts(outcome), `${k} shards`).toEqual(expected);
    }
  });

  it('reports the same property, length and counts whatever the shard count, a trace fixed by it, and the trace replays', async () => {
    const expected = bfs(paxos(3, 'phase2a-ignores-votes'));
    const outcomes = await Promise.all([1, 2, 3].map(async (k) => (await levelBfsLocal(paxos(3, 'phase2a-ignores-votes'), k)).outcome));
    for (const o of outcomes) {
      expect(o.result).toBe('violation');
      expect(o.violation!.property).toBe(expected.violation!.property);
      expect(o.violation!.length).toBe(expected.violation!.length);
      expect(o.depth).toBe(expected.depth);
      expect([o.distinctStates, o.transitions]).toEqual([outcomes[0].distinctStates, outcomes[0].transitions]);
      const replayed = replay(paxos(3, 'phase2a-ignores-votes'), {
        format: TRACE_FORMAT,
        version: TRACE_VERSION,
        model: { name: 'paxos-tla', version: paxosTla.version, variant: 'phase2a-ignores-votes', params: { acceptors: 3, values: 2, ballots: 3 } },
        config: paxosTla.defaultConfig,
        strategy: 'bfs',
        seed: null,
        initial: o.violation!.initialIndex,
        events: o.violation!.events,
        violation: { property: o.violation!.property, message: o.violation!.description, step: o.violation!.length },
      });
      expect(replayed).toMatchObject({ ok: true, property: expected.violation!.property });
    }
    const again = (await levelBfsLocal(paxos(3, 'phase2a-ignores-votes'), 2)).outcome;
    expect(again.violation!.events).toEqual(outcomes[1].violation!.events);
  });

  it('finds the mutant of the ping model on one shard, at the depth sequential BFS finds it', async () => {
    const expected = bfs(ping('forgets', pingMutantConfig));
    expect(expected.violation?.property).toBe('AnswerOnce');
    const { outcome } = await levelBfsLocal(ping('forgets', pingMutantConfig), 1);
    expect(outcome.violation?.property).toBe('AnswerOnce');
    expect(outcome.violation!.length).toBe(expected.violation!.length);
  });

  it('stops at a level boundary at max states and at max depth, as inconclusive', async () => {
    const byStates = (await levelBfsLocal(paxos(3), 2, { maxStates: 1000 })).outcome;
    expect(byStates.result).toBe('inconclusive');
    expect(byStates.distinctStates).toBeGreaterThanOrEqual(1000);
    const byDepth = (await levelBfsLocal(paxos(3), 2, { maxDepth: 5 })).outcome;
    expect(byDepth.depth).toBe(5);
    expect(byDepth.distinctStates).toBe(bfs(paxos(3), { maxDepth: 5 }).distinctStates);
  });

  it('ends with the error, not a hang, when one shard throws while the others wait for its batches', async () => {
    let calls = 0;
    const make = () => {
      const system = paxos(3);
      return {
        ...system,
        forEachSuccessor: (state: Uint32Array, visit: (next: Uint32Array, index: number) => void) => {
          if (++calls === 5000) throw new Error('handler failed');
          return system.forEachSuccessor(state, visit);
        },
      };
    };
    await expect(levelBfsLocal(make(), 2, {}, make)).rejects.toThrow(/handler failed/);
  });

  it('refuses more than one shard for a system whose states are objects', () => {
    const objects = paxosTlaObject.build({ params: { acceptors: 3, values: 2, ballots: 2 }, variant: 'default', config: paxosTlaObject.defaultConfig });
    expect(() => new Shard(objects, 0, 2)).toThrow(/object systems run on one shard/);
    expect(() => new Shard(ping(), 0, 2)).not.toThrow();
  });
});

describe('the level engine in worker threads', () => {
  it('gives sequential BFS counts with 2 workers started from the model registry', async () => {
    const pool = await startWorkers({ model: 'paxos-tla', variant: 'default', params: { acceptors: 3, values: 2, ballots: 3 }, config: paxosTla.defaultConfig }, 2);
    try {
      const { outcome } = await levelBfs(paxos(3), pool.shards);
      expect(counts(outcome)).toEqual({ result: 'pass', distinctStates: 185369, transitions: 1316583, depth: 25 });
    } finally {
      await pool.close();
    }
  });

  it('gives the same counts and verdict from the CLI with --workers 1 and --workers 2', () => {
    const runs = ['1', '2'].map((k) => ordeal('check', 'paxos-tla', '-p', 'ballots=3', '--workers', k, '--json'));
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ result: 'pass', distinctStates: 185369, transitions: 1316583, depth: 25 });
    }
    expect(JSON.parse(runs[1].stdout).workers).toBe(2);
  });

  it('finds the mutant from the CLI with 2 workers: exit 1 and a trace that replays', () => {
    const out = mkdtempSync(join(tmpdir(), 'ordeal-parallel-'));
    scratchDirs.push(out);
    const r = ordeal('check', 'paxos-tla', '--variant', 'phase2a-ignores-votes', '--workers', '2', '--out', out, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ result: 'violation', violation: { property: 'Consistency', length: 12 } });
    expect(ordeal('replay', json.trace).code).toBe(0);
  });

  it('runs an object model on one worker, says so, and keeps its counts', () => {
    const expected = bfs(paxosTlaObject.build({ params: { acceptors: 3, values: 2, ballots: 2 }, variant: 'default', config: paxosTlaObject.defaultConfig }));
    const r = ordeal('check', 'paxos-tla-object', '--workers', '2', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/running 1 worker/);
    const json = JSON.parse(r.stdout);
    expect(json.workers).toBe(1);
    expect(counts(json)).toEqual(counts(expected));
  });
});
