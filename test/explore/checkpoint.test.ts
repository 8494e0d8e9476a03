// Checkpoint and resume: a BFS stopped at a level boundary (max states, a stop request, a signal)
// and resumed from its checkpoint ends with the counts of an uninterrupted run; a checkpoint of
// another run is refused; the memory bound stops a run as inconclusive with its counts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { bfs } from '../../src/explore/bfs.ts';
import { checkIdentity, decodeCheckpoint, encodeCheckpoint, type CheckpointIdentity } from '../../src/explore/checkpoint.ts';
import { levelBfsLocal, type LevelCheckpoint } from '../../src/explore/parallel-bfs.ts';
import type { RunConfig } from '../../src/model/define.ts';
import type { TransitionSystem } from '../../src/model/system.ts';
import { pingModel } from '../fixtures/ping.ts';
import { ordeal, ordealArgs } from '../helpers/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const scratchDirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordeal-checkpoint-'));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const paxos = (ballots: number) => paxosTla.build({ params: { acceptors: 3, values: 2, ballots }, variant: 'default', config: paxosTla.defaultConfig });
const pingConfig: RunConfig = { network: 'unordered', faults: { crashes: 1, partitions: 0, drops: 1, duplicates: 0 } };
const ping = () => pingModel.build({ params: { nodes: 3, retries: 1 }, variant: 'default', config: pingConfig });
const identity: CheckpointIdentity = {
  ordeal: '0.1.0',
  model: { name: 'paxos-tla', version: paxosTla.version, variant: 'default', params: { acceptors: 3, values: 2, ballots: 3 } },
  config: paxosTla.defaultConfig,
  strategy: 'bfs',
  packedWords: 6,
};
const counts = (o: { result: string; distinctStates: number; transitions: number; depth: number }) => ({
  result: o.result,
  distinctStates: o.distinctStates,
  transitions: o.transitions,
  depth: o.depth,
});
/** Through the file format and back, as a resumed run would read it. */
const roundTrip = (c: LevelCheckpoint): LevelCheckpoint => {
  const chunks = encodeCheckpoint(identity, c);
  const bytes = new Uint8Array(chunks.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of chunks) {
    bytes.set(x, at);
    at += x.length;
  }
  return decodeCheckpoint(bytes).checkpoint;
};

describe('checkpoint and resume in the level engine', () => {
  it.each([
    ['paxos-tla (packed states), stopped by max states with 2 shards, resumed with 3', () => paxos(3), 2, 3],
    ['the ping actor model (object states, rebuilt by replay), stopped by max states', () => ping(), 1, 1],
  ] as [string, () => TransitionSystem<unknown>, number, number][])(
    'resumes to the counts of an uninterrupted run: %s',
    async (_name, make, before, after) => {
      const expected = counts(bfs(make()));
      const stopped = await levelBfsLocal(make(), before, { maxStates: Math.floor(expected.distinctStates / 3), keepCheckpoint: true });
      expect(stopped.outcome.result).toBe('inconclusive');
      expect(stopped.outcome.distinctStates).toBeLessThan(expected.distinctStates);
      expect(stopped.checkpoint).not.toBeNull();
      const resumed = await levelBfsLocal(make(), after, { resume: roundTrip(stopped.checkpoint!) });
      expect(counts(resumed.outcome)).toEqual(expected);
    },
  );

  it('resumes a run stopped mid-level by a stop request, dropping the unfinished level', async () => {
    const expected = counts(bfs(paxos(3)));
    let polls = 0;
    const stopped = await levelBfsLocal(paxos(3), 2, { shouldStop: () => (++polls > 12 ? 'interrupted (test)' : null), keepCheckpoint: true });
    expect(stopped.outcome.inconclusiveReasons).toContain('interrupted (test)');
    const c = stopped.checkpoint!;
    expect(c.fingerprints.length / 2).toBe(stopped.outcome.distinctStates);
    expect(c.links.parents.length).toBe(stopped.outcome.distinctStates);
    const resumed = await levelBfsLocal(paxos(3), 1, { resume: roundTrip(c) });
    expect(counts(resumed.outcome)).toEqual(expected);
  });

  it('refuses a checkpoint of another variant, other params or another model version, naming the field', () => {
    const header = { ...identity, format: 'ordeal-checkpoint' as const, version: 1 } as Parameters<typeof checkIdentity>[0];
    expect(() => checkIdentity(header, identity)).not.toThrow();
    expect(() => checkIdentity(header, { ...identity, model: { ...identity.model, variant: 'phase2a-ignores-votes' } })).toThrow(/variant is default there/);
    expect(() => checkIdentity(header, { ...identity, model: { ...identity.model, params: { acceptors: 3, values: 2, ballots: 4 } } })).toThrow(/params/);
    expect(() => checkIdentity(header, { ...identity, model: { ...identity.model, version: 99 } })).toThrow(/model version/);
    expect(() => checkIdentity(header, { ...identity, ordeal: '9.9.9' })).toThrow(/ordeal version/);
  });

  it('refuses bytes that are not a whole checkpoint', async () => {
    const stopped = await levelBfsLocal(paxos(2), 1, { maxStates: 500, keepCheckpoint: true });
    const chunks = encodeCheckpoint(identity, stopped.checkpoint!);
    const whole = Buffer.concat(chunks);
    expect(() => decodeCheckpoint(whole.subarray(0, whole.length - 4))).toThrow(/truncated/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"format":"ordeal-trace"}'))).toThrow(/not an ordeal checkpoint/);
  });
});

describe('checkpoint, resume and memory from the CLI', () => {
  it('writes a checkpoint when max states stops the run, and --resume ends with the uninterrupted counts', () => {
    const file = join(scratch(), 'paxos.ckpt');
    const first = ordeal('check', 'paxos-tla', '-p', 'ballots=3', '--max-states', '60000', '--checkpoint', file, '--json');
    expect(first.code).toBe(3);
    expect(JSON.parse(first.stdout)).toMatchObject({ result: 'inconclusive', checkpoint: file });
    expect(existsSync(file)).toBe(true);
    const resumed = ordeal('check', 'paxos-tla', '-p', 'ballots=3', '--resume', file, '--workers', '2', '--json');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ result: 'pass', distinctStates: 185369, transitions: 1316583, depth: 25 });
  });

  it('exits 2 with a clear message for a checkpoint of other params, and for a file that is not one', () => {
    const dir = scratch();
    const file = join(dir, 'paxos.ckpt');
    expect(ordeal('check', 'paxos-tla', '-p', 'ballots=3', '--max-states', '1000', '--checkpoint', file).code).toBe(3);
    const other = ordeal('check', 'paxos-tla', '-p', 'ballots=2', '--resume', file);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/checkpoint is from another run: params/);
    const variant = ordeal('check', 'paxos-tla', '-p', 'ballots=3', '--variant', 'phase2a-ignores-votes', '--resume', file);
    expect(variant.code).toBe(2);
    expect(variant.stderr).toMatch(/variant is default there, phase2a-ignores-votes here/);
    const junk = join(dir, 'junk.ckpt');
    writeFileSync(junk, 'hello');
    expect(ordeal('check', 'paxos-tla', '--resume', junk).code).toBe(2);
    expect(ordeal('check', 'paxos-tla', '--resume', join(dir, 'missing.ckpt')).stderr).toMatch(/cannot read/);
  });

  it('writes a checkpoint on SIGTERM, and resuming it reaches the counts of an uninterrupted run', async () => {
    // The whole space (8.2 M states) takes seconds; the signal comes long before its level 18.
    const file = join(scratch(), 'signal.ckpt');
    const args = ['check', 'paxos-tla', '-p', 'ballots=4', '--workers', '1', '--json'];
    const child = spawn(process.execPath, ordealArgs(...args, '--checkpoint', file), { cwd: root });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    // Signal once the handlers are in place (the CLI says so), then give the search a moment.
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d) => {
      if (String(d).includes('Ctrl-C or SIGTERM stops')) timer ??= setTimeout(() => child.kill('SIGTERM'), 500);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(code).toBe(3);
    const stopped = JSON.parse(stdout);
    expect(stopped.inconclusiveReasons).toContain('interrupted (SIGTERM)');
    expect(stopped.depth).toBeLessThan(18);
    const resumed = ordeal(...args, '--max-depth', '18', '--resume', file);
    const expected = bfs(paxos(4), { maxDepth: 18 });
    expect(JSON.parse(resumed.stdout)).toMatchObject({ distinctStates: expected.distinctStates, transitions: expected.transitions, depth: expected.depth });
  });

  it.each([[[] as string[]], [['--workers', '2']]])('stops as inconclusive with its counts, not a crash, at --max-memory (%j)', (extra) => {
    const r = ordeal('check', 'paxos-tla', '-p', 'ballots=3', '--max-memory', '1', '--json', ...extra);
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout);
    expect(json.inconclusiveReasons.join(' ')).toMatch(/memory limit 1 MiB reached/);
    expect(json.distinctStates).toBeGreaterThan(0);
  });
});
