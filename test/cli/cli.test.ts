// The `ordeal` command as a user runs it: output, files written, exit codes and error messages.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ordeal } from '../helpers/cli.ts';

const scratchDirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordeal-cli-'));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('ordeal list', () => {
  it('lists every model with params and variants as JSON', () => {
    const r = ordeal('list', '--json');
    expect(r.code).toBe(0);
    const { models } = JSON.parse(r.stdout);
    const paxos = models.find((m: { name: string }) => m.name === 'paxos-tla');
    expect(paxos.params.map((p: { name: string; default: number }) => [p.name, p.default])).toEqual([
      ['acceptors', 3],
      ['values', 2],
      ['ballots', 2],
    ]);
    expect(paxos.variants).toContainEqual(expect.objectContaining({ name: 'phase2a-ignores-votes', expected: 'Consistency' }));
    expect(paxos.variants).toContainEqual(expect.objectContaining({ name: 'default', expected: 'pass' }));
  });
});

describe('ordeal check', () => {
  it('reports TLC counts for paxos-tla and exits 0', () => {
    const r = ordeal('check', 'paxos-tla', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'pass', distinctStates: 3921, depth: 17, transitions: 22994 });
  });

  it('exits 1 on a violation, prints the timeline, and writes a trace that replays', () => {
    const out = scratch();
    const r = ordeal('check', 'paxos-tla', '--variant', 'phase2a-ignores-votes', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Counterexample: Consistency');
    expect(r.stdout).toMatch(/12\. Phase2b/);
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    const replayed = ordeal('replay', join(out, files[0]));
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('REPRODUCED: Consistency is broken after event 12');
  });

  it('gives violation details and the trace path in --json', () => {
    const out = scratch();
    const r = ordeal('check', 'paxos-tla', '--variant', 'phase2a-ignores-votes', '--out', out, '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ result: 'violation', violation: { property: 'Consistency', length: 12 } });
    expect(existsSync(json.trace)).toBe(true);
  });

  it('exits 3 when a limit stops the run', () => {
    const r = ordeal('check', 'paxos-tla', '--max-states', '50', '--json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).result).toBe('inconclusive');
  });

  it.each([
    [['check', 'nosuch'], /unknown model 'nosuch'/],
    [['check', 'paxos-tla', '--variant', 'nosuch'], /no variant 'nosuch'/],
    [['check', 'paxos-tla', '-p', 'ballots=many'], /ballots must be an integer/],
    [['check', 'paxos-tla', '-p', 'ballots=99'], /outside 1\.\.6/],
    [['check', 'paxos-tla', '-p', 'quorum=2'], /no parameter 'quorum'/],
    [['check', 'paxos-tla', '--crashes', '1'], /no fault model/],
    [['check', 'paxos-tla', '--strategy', 'magic'], /invalid/],
    [['check', 'paxos-tla', '--max-states', '-4'], /error/],
  ])('exits 2 with one clear line for bad input: %j', (args, message) => {
    const out = scratch();
    const r = ordeal(...args, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(readdirSync(out)).toHaveLength(0);
  });
});

describe('ordeal replay', () => {
  it('says where a tampered trace diverges and exits 1', () => {
    const out = scratch();
    ordeal('check', 'paxos-tla', '--variant', 'phase2a-ignores-votes', '--out', out);
    const path = join(out, readdirSync(out)[0]);
    const trace = JSON.parse(readFileSync(path, 'utf8'));
    trace.events.splice(0, 1); // drop Phase1a(0): later events are no longer enabled
    writeFileSync(path, JSON.stringify(trace));
    const r = ordeal('replay', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DIVERGED at step \d+: event \d+ \(Phase1b/);
  });

  it('refuses a trace from another model version with exit 2', () => {
    const out = scratch();
    ordeal('check', 'paxos-tla', '--variant', 'phase2a-ignores-votes', '--out', out);
    const path = join(out, readdirSync(out)[0]);
    const trace = JSON.parse(readFileSync(path, 'utf8'));
    trace.model.version = 99;
    writeFileSync(path, JSON.stringify(trace));
    const r = ordeal('replay', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/version 99/);
  });

  it('refuses a file that is not a trace with exit 2', () => {
    const path = join(scratch(), 'x.json');
    writeFileSync(path, '{"format": "something-else"}');
    const r = ordeal('replay', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid trace: format/);
  });
});
