// `ordeal init`: a new folder with a model that checks, a planted bug that is found, and a vitest
// test that passes; an existing, non-empty folder is refused with nothing written.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ordealSpec } from '../../src/cli/init-command.ts';

const root = join(import.meta.dirname, '..', '..');
const run = (cwd: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const ordeal = (cwd: string, ...args: string[]) => run(cwd, join(root, 'bin', 'ordeal.js'), ...args);
const work = mkdtempSync(join(tmpdir(), 'ordeal-init-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What `npm install` would give: 'ordeal' resolved to this repository's sources. */
function linkToSources(dir: string): void {
  for (const file of ['model.ts', 'model.test.ts']) {
    const text = readFileSync(join(dir, file), 'utf8')
      .replace("from 'ordeal/vitest'", `from ${JSON.stringify(pathToFileURL(join(root, 'src', 'vitest', 'index.ts')).href)}`)
      .replace("from 'ordeal'", `from ${JSON.stringify(pathToFileURL(join(root, 'src', 'index.ts')).href)}`);
    writeFileSync(join(dir, file), text);
  }
}

describe('ordeal init', () => {
  it('writes a model that passes, a variant whose bug is found, and a test that passes', () => {
    const made = ordeal(work, 'init', 'my-protocol');
    expect(made.code).toBe(0);
    const dir = join(work, 'my-protocol');
    expect(readdirSync(dir).sort()).toEqual(['model.test.ts', 'model.ts', 'package.json', 'tsconfig.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'my-protocol', type: 'module', scripts: { test: 'vitest run' } });
    expect(pkg.devDependencies.ordeal).toMatch(/^file:/);
    linkToSources(dir);
    expect(ordeal(dir, 'check', './model.ts', '--crashes', '1').code).toBe(0);
    const bug = ordeal(dir, 'check', './model.ts', '--variant', 'forgetful');
    expect(bug.code).toBe(1);
    expect(bug.stdout).toContain('VIOLATION of AckedIsStored');
    const tests = run(dir, join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run');
    expect(tests.stdout).toMatch(/Tests\s+.*2 passed/);
  });

  it('refuses a folder that exists and is not empty, writing nothing', () => {
    const dir = join(work, 'taken');
    ordeal(work, 'init', 'taken');
    writeFileSync(join(dir, 'model.ts'), '// mine\n');
    const r = ordeal(work, 'init', 'taken');
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'ordeal: init: taken exists and is not empty; give a new folder\n' });
    expect(readFileSync(join(dir, 'model.ts'), 'utf8')).toBe('// mine\n');
  });

  it('from a project that installed ordeal (node_modules), the new project uses that project\'s spec, not its node_modules', () => {
    const host = join(work, 'host');
    const installed = join(host, 'node_modules', 'ordeal');
    mkdirSync(installed, { recursive: true });
    const git = 'git+https://example.org/ordeal.git';
    writeFileSync(join(host, 'package.json'), JSON.stringify({ dependencies: { ordeal: git }, allowScripts: { [git]: true } }));
    expect(ordealSpec(installed, join(work, 'new'))).toEqual({ spec: git, allowScripts: { [git]: true } });
    writeFileSync(join(host, 'package.json'), JSON.stringify({ devDependencies: { ordeal: 'file:../clones/ordeal' } }));
    expect(ordealSpec(installed, join(work, 'elsewhere', 'new'))).toEqual({ spec: 'file:../../clones/ordeal' });
    expect(ordealSpec(join(work, 'clones', 'ordeal'), join(work, 'new'))).toEqual({ spec: 'file:../clones/ordeal' });
  });
});

