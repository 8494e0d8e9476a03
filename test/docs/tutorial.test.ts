// docs/tutorial.md, run as a reader runs it: its model and test files written to a new folder
// ('ordeal' resolved to this repository's sources), the commands it shows, the output it quotes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tutorial = readFileSync(join(root, 'docs', 'tutorial.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'ordeal-tutorial-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const ordeal = (...args: string[]) => run(join(root, 'bin', 'ordeal.js'), ...args);

/** The code blocks of the tutorial: `file=` blocks by name, and the script block. */
function blocks(): { files: Record<string, string>; script: string } {
  const files: Record<string, string> = {};
  let script = '';
  for (const m of tutorial.matchAll(/```ts( file=(\S+))?\n([\s\S]*?)```/g)) {
    if (m[2]) files[m[2]] = m[3];
    else script = m[3];
  }
  return { files, script };
}

const linked = (code: string): string =>
  code
    .replace("from 'ordeal/vitest'", `from ${JSON.stringify(pathToFileURL(join(root, 'src', 'vitest', 'index.ts')).href)}`)
    .replace("from 'ordeal'", `from ${JSON.stringify(pathToFileURL(join(root, 'src', 'index.ts')).href)}`);

beforeAll(() => {
  const { files, script } = blocks();
  expect(Object.keys(files).sort()).toEqual(['model.test.ts', 'model.ts']);
  writeFileSync(join(dir, 'package.json'), '{ "name": "twopc", "private": true, "type": "module" }\n');
  for (const [name, code] of Object.entries(files)) writeFileSync(join(dir, name), linked(code));
  writeFileSync(join(dir, 'script.ts'), linked(script));
});

describe('the tutorial', () => {
  it('checks the model, finds the majority-commit bug with the quoted timeline, and replays its trace', () => {
    const pass = ordeal('check', './model.ts');
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('1,074 distinct states');
    expect(pass.stdout).toContain('reachable SomeCommit: reached after 7 events');
    expect(ordeal('check', './model.ts', '--crashes', '1').code).toBe(0);
    const bug = ordeal('check', './model.ts', '--variant', 'majority-commit');
    expect(bug.code).toBe(1);
    const quoted = /```\n(    5\. [\s\S]*?)```/.exec(tutorial)![1];
    for (const line of quoted.trimEnd().split('\n')) expect(bug.stdout).toContain(line);
    const trace = /npx ordeal replay (\S+)/.exec(tutorial)![1];
    expect(existsSync(join(dir, trace))).toBe(true);
    const replayed = ordeal('replay', trace);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('REPRODUCED: Atomicity is broken after event 6');
  });

  it("runs the tutorial's vitest test and its script", () => {
    const tests = run(join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'model.test.ts');
    expect(tests.stdout).toMatch(/Tests\s+.*3 passed/);
    const script = run('--import', pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href, 'script.ts');
    expect(script.stderr).toBe('');
    expect(script.stdout).toMatch(/^violation \{\s+property: 'Atomicity'[\s\S]*\ntrue\n$/);
  });
});
