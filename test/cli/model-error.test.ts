// A model bug on the command line: exit 4 (not 1, not a crash), one line naming the handler, and a
// trace that replays to the same error; --paranoid catches randomness in a handler.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const faulty = join(root, 'test', 'fixtures', 'faulty.ts');
const ordeal = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'ordeal.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
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
});
