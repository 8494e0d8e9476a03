// A model bug on the command line: exit 4 (not 1, not a crash), one line naming the handler, and a
// trace that replays to the same error; --paranoid catches randomness in a handler.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ordeal } from '../helpers/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const faulty = join(root, 'test', 'fixtures', 'faulty.ts');
const faultySpec = join(root, 'test', 'fixtures', 'faulty-spec.ts');
const out = mkdtempSync(join(tmpdir(), 'ordeal-model-error-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('model errors on the command line', () => {
  it('check: a throwing handler exits 4 with the handler named, and its trace replays to the error', () => {
    const r = ordeal('check', faulty, '--variant', 'throws', '--out', out);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('ordeal: model error in onMessage(n1, from n0, {"type":"inc"}): threw TypeError: cannot read the ballot of undefined (faulty [throws], step 1)\n');
    expect(r.stdout).toContain('VIOLATION of ModelError');
    const [file] = readdirSync(out);
    const replayed = ordeal('replay', join(out, file));
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('REPRODUCED: ModelError is broken after event 1');
  });

  it('simulate --paranoid: Math.random in a handler exits 4, and the reproduce command keeps --paranoid', () => {
    const r = ordeal('simulate', faulty, '--variant', 'random', '--paranoid', '--runs', '3', '--json', '--out', out);
    expect(r.code).toBe(4);
    const summary = JSON.parse(r.stdout);
    expect(summary.violation.property).toBe('ModelError');
    expect(summary.violation.reproduce).toContain('--paranoid');
  });

  it('check of a packed spec: a write outside the schema exits 4 naming the action, step and value; replay reproduces it', () => {
    const dir = mkdtempSync(join(out, 'packed-'));
    const r = ordeal('check', faultySpec, '--model', 'faulty-packed', '--variant', 'out-of-range', '--out', dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('ordeal: model error in Step(by=2): broke its schema: count = 4 is outside 0..3 (faulty-packed [out-of-range], step 2)\n');
    expect(r.stdout).toContain('VIOLATION of ModelError');
    const [file] = readdirSync(dir);
    const replayed = ordeal('replay', join(dir, file));
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('REPRODUCED: ModelError is broken after event 2');
    expect(replayed.stderr).toContain('model error in Step(by=2)');
  });

  it('check --workers 2 of a packed spec whose action throws exits 4 with the same counterexample', () => {
    const r = ordeal('check', faultySpec, '--model', 'faulty-packed', '--variant', 'throws', '--workers', '2', '--json', '--out', out);
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout).violation).toMatchObject({ property: 'ModelError', length: 2 });
    expect(r.stderr).toContain('ordeal: model error in Step(by=2): threw TypeError: cannot step 2 by 2 (faulty-packed [throws], step 2)');
  });

  it('simulate of an object spec whose action throws exits 4 and names the seed and run', () => {
    const r = ordeal('simulate', faultySpec, '--model', 'faulty-object', '--variant', 'throws', '--seed', '5', '--runs', '10', '--json', '--out', out);
    expect(r.code).toBe(4);
    const summary = JSON.parse(r.stdout);
    expect(summary.violation.property).toBe('ModelError');
    expect(r.stderr).toMatch(/^ordeal: model error in Step\(by=2\): threw TypeError: cannot step 2 by 2 \(faulty-object \[throws\], step \d+, seed 5, run \d+\)\n$/);
  });
});
