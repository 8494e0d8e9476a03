// The rough edges issue 11 found, each held to what the command now says.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ordeal } from '../helpers/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'ordeal-rough-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const twopc = join(root, 'test', 'fixtures', 'twopc', 'twopc.ts');

describe('rough edges', () => {
  it('refuses a seed above 2^53 - 1 instead of rounding it', () => {
    const r = ordeal('simulate', 'paxos', '--seed', '9007199254740993');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seed must be at most 9007199254740991 (2^53 - 1); 9007199254740993 would be rounded.');
  });

  it('refuses --runs 0 and --time-limit 0 (which meant "runs 0..-1" and "no limit")', () => {
    expect(ordeal('simulate', 'paxos', '--runs', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('--runs must be at least 1.') });
    expect(ordeal('check', 'paxos', '--time-limit', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('--time-limit must be at least 1.') });
  });

  it('--no-shrink does not say "shrunk to"', () => {
    const r = ordeal('simulate', twopc, '--variant', 'first-yes', '--no-shrink', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/violating run \d+: \d+ events, not shrunk \(--no-shrink\)/);
    expect(r.stdout).not.toContain('shrunk to');
  });

  it('says the time limit in the seconds it was given, and small runs get memory totals, not bytes per state', () => {
    const r = ordeal('check', 'paxos-tla', '-p', 'ballots=4', '--time-limit', '1');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('inconclusive: time limit of 1 s reached');
    const small = ordeal('check', 'paxos-tla', '--max-states', '100');
    expect(small.stdout).toMatch(/memory: visited set [\d.]+ KiB, trace links [\d.]+ KiB/);
  });

  it('names the malformed event of a trace (exit 2), and says what events must be', () => {
    const base = { format: 'ordeal-trace', version: 1, model: { name: 'paxos', version: 1, variant: 'default', params: {} }, config: { network: 'unordered', faults: {} }, strategy: 'bfs', seed: null, initial: 0, violation: null };
    writeFileSync(join(out, 'no-events.json'), JSON.stringify(base));
    writeFileSync(join(out, 'bad-event.json'), JSON.stringify({ ...base, events: [{ kind: 'heal' }, { from: 1 }] }));
    expect(ordeal('replay', join(out, 'no-events.json'))).toMatchObject({ code: 2, stderr: expect.stringContaining('invalid trace: events must be an array of the events taken from the initial state') });
    expect(ordeal('replay', join(out, 'bad-event.json'))).toMatchObject({ code: 2, stderr: expect.stringContaining('invalid trace: event 2 is not an event (an object with a string "kind"): {"from":1}') });
  });

  it('an event the model never made diverges (exit 1) with the event as JSON, not a crash', () => {
    const base = { format: 'ordeal-trace', version: 1, model: { name: 'paxos', version: 1, variant: 'default', params: {} }, config: { network: 'unordered', faults: {} }, strategy: 'bfs', seed: null, initial: 0 };
    writeFileSync(join(out, 'foreign-event.json'), JSON.stringify({ ...base, violation: null, events: [{ kind: 'deliver', to: 'x' }] }));
    const foreign = ordeal('replay', join(out, 'foreign-event.json'));
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toContain('DIVERGED at step 1: event 1 ({"kind":"deliver","to":"x"}) cannot be applied: event not enabled: {"kind":"deliver","to":"x"}');
    expect(foreign.stdout).not.toContain('Cannot read properties');
    expect(foreign.stderr).toBe('');
  });
});
