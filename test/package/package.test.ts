// ordeal as a package, used as another project uses it: built to JavaScript with declarations,
// installed from a path, imported from plain Node and from TypeScript with its own settings, its
// vitest helper in a user's test, and its CLI running the built code on the user's model file.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
let work: string;
let pkg: string;
let user: string;

const run = (cwd: string, command: string, ...args: string[]) => {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ORDEAL_FROM_SOURCE: undefined } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ordeal-package-'));
  // The package as npm installs it from a path: package.json, bin/, dist/ (no sources), its dependencies.
  pkg = join(work, 'ordeal');
  mkdirSync(pkg);
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--out-dir', join(pkg, 'dist')], { cwd: root, stdio: 'pipe' });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(root, 'bin'), join(pkg, 'bin'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  // The user's project: its own package.json, tsconfig, model file and test.
  user = join(work, 'user');
  mkdirSync(join(user, 'node_modules'), { recursive: true });
  symlinkSync(pkg, join(user, 'node_modules', 'ordeal'));
  writeFileSync(join(user, 'package.json'), '{ "name": "user", "private": true, "type": "module" }\n');
  const model = readFileSync(join(root, 'test', 'fixtures', 'twopc', 'twopc.ts'), 'utf8').replace("'../../../src/index.ts'", "'ordeal'");
  writeFileSync(join(user, 'model.ts'), model);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the built package', () => {
  it('imports from plain Node', () => {
    writeFileSync(
      join(user, 'plain.mjs'),
      "import { defineActorModel, check, simulate, replay, NO_FAULTS } from 'ordeal';\nimport { expectModel } from 'ordeal/vitest';\n" +
        'console.log([defineActorModel, check, simulate, replay, expectModel].map((f) => typeof f).join(), NO_FAULTS.crashes);\n',
    );
    const r = run(user, process.execPath, 'plain.mjs');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('function,function,function,function,function 0\n');
  });

  it('type-checks a user model and a misuse is a type error, under NodeNext and bundler resolution', () => {
    writeFileSync(
      join(user, 'use.ts'),
      "import { check, type CheckResult } from 'ordeal';\nimport { twoPhaseCommit } from './model.ts';\n" +
        "const r: CheckResult = await check(twoPhaseCommit, { variant: 'majority-commit' });\nexport const n: number = r.distinctStates;\n" +
        '// @ts-expect-error crashes is a number\ncheck(twoPhaseCommit, { crashes: "1" });\n',
    );
    const tsc = require.resolve('typescript/bin/tsc');
    for (const resolution of [['--module', 'NodeNext', '--moduleResolution', 'NodeNext'], ['--module', 'ESNext', '--moduleResolution', 'bundler']]) {
      const r = run(user, process.execPath, tsc, '--noEmit', '--strict', '--target', 'ES2022', '--allowImportingTsExtensions', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), ...resolution, 'use.ts');
      expect({ resolution, out: r.stdout, code: r.code }).toEqual({ resolution, out: '', code: 0 });
    }
  });

  it("runs the user's vitest test with the helper, and the CLI (built code) checks and replays the model file", () => {
    writeFileSync(
      join(user, 'model.test.ts'),
      "import { test } from 'vitest';\nimport { expectModel } from 'ordeal/vitest';\nimport { twoPhaseCommit } from './model.ts';\n" +
        "test('2PC is safe', async () => { await expectModel(twoPhaseCommit, { crashes: 1 }).toPass(); });\n" +
        "test('majority commit', async () => { await expectModel(twoPhaseCommit, { variant: 'majority-commit' }).toViolate('Atomicity'); });\n",
    );
    writeFileSync(join(user, 'vitest.config.mjs'), 'export default {};\n');
    const tests = run(user, process.execPath, join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'model.test.ts');
    expect(tests.stdout).toMatch(/Tests\s+.*2 passed/);
    expect(tests.code).toBe(0);

    const ordeal = join(user, 'node_modules', 'ordeal', 'bin', 'ordeal.js');
    const checked = run(user, process.execPath, ordeal, 'check', './model.ts', '--variant', 'first-yes', '--json', '--out', 'traces');
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(1);
    const { trace } = JSON.parse(checked.stdout);
    const replayed = run(user, process.execPath, ordeal, 'replay', trace);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('REPRODUCED: Atomicity');
  });
});

describe('what npm packs (installing from a git URL packs the package after `prepare` built it)', () => {
  it('the built code, not the sources: dist/ despite .gitignore, and no src/ that would look newer than dist/', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const paths: string[] = JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path);
    const tops = new Set(paths.map((p) => (p.includes('/') ? `${p.split('/')[0]}/` : p)));
    expect([...tops].filter((t) => !['bin/', 'dist/', 'scripts/', 'docs/', 'README.md', 'package.json', 'LICENSE'].includes(t))).toEqual([]);
    expect(paths).toContain('bin/ordeal.js');
    // dist/ exists once `npm install` (prepare) built it, as it has where this suite runs.
    if (existsSync(join(root, 'dist', 'src', 'index.js'))) expect(paths).toContain('dist/src/index.js');
  });
});

