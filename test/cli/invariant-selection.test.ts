// `--invariant NAME` on check and simulate: only the named invariants are checked, the trace
// records the selection, and replay, shrink and render judge the trace by it.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/trace/format.ts';
import { ordeal } from '../helpers/cli.ts';

const out = mkdtempSync(join(tmpdir(), 'ordeal-invariant-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const mutant = ['paxos', '--variant', 'ignores-reported-value'];

describe('--invariant', () => {
  it('check: the mutant passes when its broken invariant is deselected', () => {
    const r = ordeal('check', ...mutant, '--invariant', 'Validity', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('only invariant Validity');
    expect(r.stdout).toContain('result: PASS');
    // Reachable targets still count.
    expect(r.stdout).toContain('reachable AllLiveLearnersDecided: reached');
  });

  it('check: a selected invariant is found, and replay, shrink and render judge the trace by the selection', () => {
    const dir = join(out, 'agreement');
    const r = ordeal('check', ...mutant, '--invariant', 'Agreement', '--out', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('VIOLATION of Agreement');
    const path = join(dir, readdirSync(dir)[0]);
    const trace = parseTrace(JSON.parse(readFileSync(path, 'utf8')));
    expect(trace.config.invariants).toEqual(['Agreement']);
    expect(JSON.parse(ordeal('replay', path, '--json').stdout)).toMatchObject({ ok: true, property: 'Agreement' });
    expect(ordeal('render', path).stdout).toContain('Agreement');
    expect(ordeal('shrink', path, '--out', join(out, 'shrunk.json'))).toMatchObject({ code: 0, stdout: expect.stringContaining('Agreement still broken') });
    expect(parseTrace(JSON.parse(readFileSync(join(out, 'shrunk.json'), 'utf8'))).config.invariants).toEqual(['Agreement']);
    // Two invariants, named in the header.
    expect(ordeal('check', ...mutant, '--invariant', 'Validity', '--invariant', 'Agreement', '--out', dir).stdout).toContain('only invariants Validity, Agreement');
    // Without the selection the same events break AtMostOneChosen first: the trace no longer replays.
    const all = { ...trace, config: { ...trace.config, invariants: undefined } };
    writeFileSync(join(out, 'all.json'), JSON.stringify(all));
    expect(JSON.parse(ordeal('replay', join(out, 'all.json'), '--json').stdout)).toMatchObject({ ok: false });
  });

  it('an unknown name is exit 2 naming the known invariants; a malformed selection in a trace is exit 2', () => {
    const r = ordeal('check', 'paxos', '--invariant', 'Safety');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ordeal: model paxos has no invariant 'Safety' (known: AtMostOneChosen, Agreement, Validity, Stability)");
    expect(ordeal('simulate', 'paxos', '--invariant', 'Safety', '--runs', '1').code).toBe(2);
    const bad = { format: 'ordeal-trace', version: 1, model: { name: 'paxos', version: 1, variant: 'default', params: {} }, config: { network: 'unordered', faults: {}, invariants: [] }, strategy: 'bfs', seed: null, initial: 0, events: [], violation: null };
    writeFileSync(join(out, 'bad.json'), JSON.stringify(bad));
    expect(ordeal('replay', join(out, 'bad.json'))).toMatchObject({ code: 2, stderr: expect.stringContaining('config.invariants must be a non-empty array') });
  });

  it('simulate: deselected passes, selected is found and its reproduce command carries the selection', () => {
    // With every invariant, random run 159 of seed 1 breaks AtMostOneChosen.
    const pass = ordeal('simulate', ...mutant, '--strategy', 'random', '--invariant', 'Validity', '--runs', '500', '--out', out);
    expect(pass.code).toBe(0);
    const dir = join(out, 'sim');
    const found = ordeal('simulate', ...mutant, '--strategy', 'random', '--invariant', 'Agreement', '--runs', '5000', '--out', dir);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain('VIOLATION of Agreement');
    expect(found.stdout).toMatch(/reproduce: .* --invariant Agreement .*--seed 1 --run \d+/);
    const path = join(dir, readdirSync(dir)[0]);
    expect(JSON.parse(ordeal('replay', path, '--json').stdout)).toMatchObject({ ok: true });
  });
});
