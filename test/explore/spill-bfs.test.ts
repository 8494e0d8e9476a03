// The one BFS with its levels and parent links on disk: a frontier spilled in tiny batches keeps the
// order of states (the same transitions when max states stops it midway, the same counterexample),
// keeps sleep sets (the same successors skipped), parent links read back from disk rebuild the same
// counterexample (also under symmetry with hash compaction, as the deep bench runs), and a spilled
// run stopped by a limit writes a checkpoint that this BFS and the level engine both resume to the
// counts of an uninterrupted run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paxos } from '../../models/paxos/index.ts';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { check } from '../../src/api/check.ts';
import { bfsRun, type BfsOptions } from '../../src/explore/bfs.ts';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointIdentity } from '../../src/explore/checkpoint.ts';
import { levelBfsLocal, type LevelCheckpoint } from '../../src/explore/parallel-bfs.ts';
import type { TransitionSystem } from '../../src/model/system.ts';
import { SpillFiles } from '../../src/workers/spill-files.ts';
import { pingModel } from '../fixtures/ping.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ordeal-spill-bfs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tla = (ballots: number, variant = 'default') => paxosTla.build({ params: { acceptors: 3, values: 2, ballots }, variant, config: paxosTla.defaultConfig });
/** The actor paxos without symmetry: sleep sets that need no intersection, so they spill too. */
const actors = (variant = 'default') => paxos.build({ params: {}, variant, config: { ...paxos.defaultConfig, symmetry: false } });

const ping = () => pingModel.build({ params: { nodes: 3, retries: 1 }, variant: 'default', config: { network: 'unordered', faults: { crashes: 1, partitions: 0, drops: 1, duplicates: 0 } } });

/** A BFS with a fresh spill folder, closed (and checked empty of batches) afterwards. */
function spilled<S>(system: TransitionSystem<S>, options: BfsOptions = {}) {
  const storage = new SpillFiles(scratch);
  try {
    return bfsRun(system, { frontierBytesMax: 2048, linksPerBatch: 512, ...options, spill: storage });
  } finally {
    storage.close();
  }
}

const summary = (o: ReturnType<typeof bfsRun>['outcome']) => ({
  result: o.result,
  distinctStates: o.distinctStates,
  transitions: o.transitions,
  depth: o.depth,
  skipped: o.reduction?.skipped ?? null,
  events: o.violation?.events ?? null,
});

const identity: CheckpointIdentity = { ordeal: 'test', model: { name: 'paxos-tla', version: 1, variant: 'default', params: {} }, config: null, strategy: 'bfs', packedWords: null };
const roundTrip = (c: LevelCheckpoint): LevelCheckpoint => decodeCheckpoint(Buffer.concat(encodeCheckpoint(identity, c))).checkpoint;

describe('a spilled frontier', () => {
  it('keeps the order of states: max states stops it after the same transitions as in memory', () => {
    for (const maxStates of [1_000, 7_777, 40_000]) {
      const memory = bfsRun(tla(3), { maxStates });
      const disk = spilled(tla(3), { maxStates });
      expect(disk.spilledBatches).toBeGreaterThan(0);
      expect(summary(disk.outcome)).toEqual(summary(memory.outcome));
    }
  });

  it('keeps sleep sets: the same states, transitions and successors skipped as in memory', () => {
    const memory = bfsRun(actors());
    const disk = spilled(actors());
    expect(memory.sleepSets && disk.sleepSets).toBe(true);
    expect(disk.spilledBatches).toBeGreaterThan(10);
    expect(memory.outcome.reduction!.skipped).toBeGreaterThan(0);
    expect(summary(disk.outcome)).toEqual(summary(memory.outcome));
  });

  it('finds the same counterexample, its parent links read back from disk', () => {
    for (const make of [() => tla(3, 'phase2a-ignores-votes'), () => actors('promise-not-persisted')] as (() => TransitionSystem<unknown>)[]) {
      const memory = bfsRun(make());
      const disk = spilled(make(), { linksPerBatch: 64 });
      expect(memory.outcome.violation).not.toBeNull();
      expect(disk.linkBatches).toBeGreaterThan(3);
      expect(summary(disk.outcome)).toEqual(summary(memory.outcome));
      expect(disk.outcome.violation!.states).toEqual(memory.outcome.violation!.states);
    }
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('under symmetry with hash compaction (as bench/deep-exhaustive.ts runs): batches viewed in place give the same counts and counterexample', () => {
    const symmetric = (variant: string) => paxos.build({ params: {}, variant, config: paxos.defaultConfig });
    for (const variant of ['default', 'promise-not-persisted']) {
      // Spilled under symmetry it runs without sleep sets (see bfs.ts), so it is compared with a run without.
      const memory = bfsRun(symmetric(variant), { por: false });
      const disk = spilled(symmetric(variant), { visited: 'compact' });
      expect(disk.spilledBatches).toBeGreaterThan(10);
      expect(summary(disk.outcome)).toEqual(summary(memory.outcome));
      expect(disk.outcome.violation?.states ?? null).toEqual(memory.outcome.violation?.states ?? null);
    }
  });
});

describe('checkpoints of a spilled BFS', () => {
  it.each([
    ['paxos-tla (packed), compact visited set', () => tla(3), 'compact'],
    ['the ping actor model (states rebuilt by replay), exact visited set, sleep sets', () => ping(), 'exact'],
  ] as [string, () => TransitionSystem<unknown>, 'compact' | 'exact'][])('resume to the uninterrupted counts, in this BFS and in the level engine: %s', async (_name, make, visited) => {
    const expected = bfsRun(make()).outcome;
    const stopped = spilled(make(), { visited, maxStates: Math.floor(expected.distinctStates / 3), keepCheckpoint: true });
    expect(stopped.outcome.result).toBe('inconclusive');
    expect(stopped.sleepSets).toBe(visited === 'exact');
    const c = roundTrip(stopped.checkpoint!);
    expect(c.links.parents.length).toBeLessThan(stopped.outcome.distinctStates);
    expect(c.fingerprints.length / 2).toBe(c.links.parents.length);
    const again = spilled(make(), { visited, resume: c });
    expect([again.outcome.result, again.outcome.distinctStates, again.outcome.transitions, again.outcome.depth]).toEqual([expected.result, expected.distinctStates, expected.transitions, expected.depth]);
    const level = await levelBfsLocal(make(), 2, { resume: c });
    expect([level.outcome.distinctStates, level.outcome.transitions, level.outcome.depth]).toEqual([expected.distinctStates, expected.transitions, expected.depth]);
  });

  it('a level engine checkpoint resumes in the spilled BFS', async () => {
    const expected = bfsRun(tla(3)).outcome;
    const stopped = await levelBfsLocal(tla(3), 2, { maxStates: 50_000, keepCheckpoint: true });
    const again = spilled(tla(3), { visited: 'compact', resume: roundTrip(stopped.checkpoint!) });
    expect([again.outcome.distinctStates, again.outcome.transitions, again.outcome.depth]).toEqual([expected.distinctStates, expected.transitions, expected.depth]);
  });

  it('through check(): --checkpoint with --visited compact --spill-dir, then --resume', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ordeal-spill-ckpt-')), 'run.ckpt');
    const plain = await check(paxosTla, { params: { ballots: 3 } });
    const options = { params: { ballots: 3 }, visited: 'compact' as const, spillDir: scratch, frontierBytes: 4096 };
    const first = await check(paxosTla, { ...options, maxStates: 60_000, checkpoint: file });
    expect(first.result).toBe('inconclusive');
    expect(first.checkpoint).toBe(file);
    const resumed = await check(paxosTla, { ...options, resume: file });
    expect([resumed.result, resumed.distinctStates, resumed.transitions, resumed.depth]).toEqual([plain.result, plain.distinctStates, plain.transitions, plain.depth]);
    rmSync(join(file, '..'), { recursive: true, force: true });
  });

  it("the note of a written checkpoint counts the states of the levels it holds, in this BFS and in the level engine alike", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ordeal-ckpt-note-'));
    const counted = async (file: string, options: Parameters<typeof check>[1]): Promise<[string, number]> => {
      const run = await check(paxosTla, { params: { ballots: 3 }, maxStates: 60_000, checkpoint: file, ...options });
      const { checkpoint } = decodeCheckpoint(readFileSync(file));
      return [run.notes.find((n) => n.startsWith('checkpoint written'))!, checkpoint.fingerprints.length / 2];
    };
    const [spilledNote, spilledStates] = await counted(join(dir, 'spilled.ckpt'), { visited: 'compact', spillDir: scratch, frontierBytes: 4096 });
    const [levelNote, levelStates] = await counted(join(dir, 'level.ckpt'), { workers: 2 });
    expect(spilledNote).toContain(`(${spilledStates} states, level `);
    expect(levelNote).toContain(`(${levelStates} states, level `);
    rmSync(dir, { recursive: true, force: true });
  });
});
