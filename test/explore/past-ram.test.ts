// Exhaustive search past RAM: the hash-compact visited set keeps whole 64-bit fingerprints (same
// counts as the default set), the frontier spilled to disk in batches gives the same states,
// transitions, depth and verdict as one kept in memory and leaves no folder behind, and a bitstate
// set reports Holzmann's expected coverage, which its missed states agree with.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paxos } from '../../models/paxos/index.ts';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { check } from '../../src/api/check.ts';
import { bfsRun } from '../../src/explore/bfs.ts';
import { BitstateSet, CompactSet } from '../../src/explore/visited-modes.ts';
import { finalMix } from '../../src/util/hash.ts';
import { SpillFiles } from '../../src/workers/spill-files.ts';
import { ordeal } from '../helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ordeal-past-ram-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const counts = (r: { result: string; distinctStates: number; transitions: number; depth: number; violation: { property: string; length: number } | null }) => ({
  result: r.result,
  distinctStates: r.distinctStates,
  transitions: r.transitions,
  depth: r.depth,
  violation: r.violation && { property: r.violation.property, length: r.violation.length },
});

describe('hash compaction', () => {
  it('keeps every distinct fingerprint through doublings, and no other', () => {
    const set = new CompactSet();
    const n = 1_500_000;
    let added = 0;
    let again = 0;
    for (let i = 0; i < n; i++) added += set.add(finalMix(i), finalMix(i ^ 0x5bd1e995) & 0xffff00ff) ? 1 : 0;
    for (let i = 0; i < n; i += 7) again += set.add(finalMix(i), finalMix(i ^ 0x5bd1e995) & 0xffff00ff) ? 1 : 0;
    expect(added).toBe(n);
    expect(again).toBe(0);
    expect(set.size).toBe(n);
    // 6 bytes a slot at load 0.45 to 0.9 (plus the overflow of full buckets).
    expect(set.bytes() / n).toBeLessThan(14);
    // Growth reuses the blocks segments give up: what was ever allocated is what is held now.
    expect(set.allocatedBytes()).toBeLessThanOrEqual(set.bytes());
  });

  it('finds the counts and verdicts of the default visited set', async () => {
    for (const [model, variant] of [[paxosTla, 'default'], [paxosTla, 'phase2a-ignores-votes'], [paxos, 'default'], [paxos, 'promise-not-persisted']] as const) {
      const exact = await check(model, { variant });
      const compact = await check(model, { variant, visited: 'compact' });
      expect(counts(compact)).toEqual(counts(exact));
      expect(compact.notes.join('\n')).toMatch(/probability of a missed state by fingerprint collision: calculated \(optimistic\): \d\.\de-\d+/);
    }
  });
});

describe('disk spill', () => {
  it('a frontier spilled in small batches gives the counts, depth and verdict of one in memory; the folder is removed', async () => {
    for (const [model, variant, params] of [[paxosTla, 'default', { ballots: 3 }], [paxos, 'default', {}], [paxos, 'promise-not-persisted', {}]] as const) {
      const memory = await check(model, { variant, params, visited: 'compact' });
      const spilled = await check(model, { variant, params, visited: 'compact', spillDir: scratch, frontierBytes: 16 * 1024 });
      expect(counts(spilled)).toEqual(counts(memory));
      expect(spilled.notes.join('\n')).toMatch(/frontier spilled in [1-9]\d* batches/);
      expect(spilled.trace?.events).toEqual(memory.trace?.events);
    }
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('spills with the exact visited set too, at the same counts as the default BFS', async () => {
    const plain = await check(paxosTla, { params: { ballots: 3 } });
    const spilled = await check(paxosTla, { params: { ballots: 3 }, spillDir: scratch, frontierBytes: 64 * 1024 });
    expect(counts(spilled)).toEqual(counts(plain));
  });

  it('stops at a limit in the middle of a spilled level and still cleans up', () => {
    const system = paxosTla.build({ params: { acceptors: 3, values: 2, ballots: 3 }, variant: 'default', config: paxosTla.defaultConfig });
    const storage = new SpillFiles(scratch);
    const wide = bfsRun(system, { visited: 'compact', spill: storage, frontierBytesMax: 8 * 1024, maxStates: 50_000 });
    storage.close();
    expect(wide.outcome.result).toBe('inconclusive');
    expect(wide.spilledBatches).toBeGreaterThan(0);
    expect(readdirSync(scratch)).toEqual([]);
  });
});

describe('bitstate', () => {
  it('misses about as many states as Holzmann\'s expected coverage says', async () => {
    const exact = await check(paxosTla, { params: { ballots: 3 } });
    const bits = await check(paxosTla, { params: { ballots: 3 }, bitstate: 20 });
    const coverage = Number(/expected coverage ([\d.]+)%/.exec(bits.notes.join('\n'))![1]) / 100;
    const actual = bits.distinctStates / exact.distinctStates;
    expect(actual).toBeLessThan(1);
    expect(Math.abs(actual - coverage)).toBeLessThan(0.01);
  });

  it('a larger array misses nothing here, and the coverage it reports says so', () => {
    const set = new BitstateSet(28);
    for (let i = 0; i < 100_000; i++) set.add(finalMix(i), finalMix(~i));
    expect(set.size).toBe(100_000);
    expect(set.expectedCoverage()).toBeGreaterThan(0.99999);
  });

  it('refuses a size outside 2^10 to 2^36 bits, and bitstate with another visited kind', async () => {
    await expect(check(paxosTla, { bitstate: 40 })).rejects.toThrow(/bitstate must be at most 36/);
    await expect(check(paxosTla, { bitstate: 20, visited: 'compact' })).rejects.toThrow(/bitstate needs visited bitstate/);
  });
});

describe('past RAM on the command line', () => {
  it('reports the missed-state probability and the spill, with the counts of the default BFS', () => {
    const plain = ordeal('check', 'paxos-tla', '--json');
    const wide = ordeal('check', 'paxos-tla', '--visited', 'compact', '--spill-dir', scratch, '--json');
    expect(wide.code).toBe(0);
    const a = JSON.parse(plain.stdout);
    const b = JSON.parse(wide.stdout);
    expect([b.distinctStates, b.transitions, b.depth, b.result]).toEqual([a.distinctStates, a.transitions, a.depth, a.result]);
    expect(wide.stderr).toMatch(/hash compaction: 64 bits, [\d.]+ bytes a state; probability of a missed state by fingerprint collision: calculated \(optimistic\)/);
    expect(wide.stderr).toMatch(/frontier spilled in 0 batches/);
  });

  it('refuses --workers with a wide BFS, which runs in this thread', () => {
    const r = ordeal('check', 'paxos-tla', '--visited', 'compact', '--workers', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--visited and --spill-dir run in this thread: they do not combine with --workers/);
  });
});
