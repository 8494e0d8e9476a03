#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm install` runs it): compile src/ and models/ to JavaScript
// with declarations under dist/ (tsconfig.build.json), then
//  - write the worker-thread entries (.mjs files tsc does not compile) as plain imports of the
//    compiled workers, registering tsx only for a user's TypeScript model file;
//  - point relative imports in declaration files at .js (tsc rewrites them in JavaScript only);
//  - write dist/build.json, which bin/ordeal.js compares with the sources to use dist/ only while
//    it is up to date.
// Type errors are printed but do not fail an install while files were emitted (`npm test` runs
// the type check); a build that emitted nothing fails. `--out-dir DIR` builds elsewhere (tests).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSourceMs } from '../bin/freshness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outAt = process.argv.indexOf('--out-dir');
const dist = outAt > 0 ? resolve(process.argv[outAt + 1]) : join(root, 'dist');
const started = Date.now();
// Taken before compiling: a source edited during the build then makes dist/ stale, as it is.
const newestSource = newestSourceMs(root);
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { cwd: root, stdio: 'inherit' });
if (!existsSync(join(dist, 'src', 'index.js'))) {
  process.stderr.write('build: tsc emitted nothing (see the errors above)\n');
  process.exit(1);
}
if (result.status !== 0) process.stderr.write('build: emitted with type errors (run `npm run typecheck`)\n');

// Worker entries: the sources' .mjs entries register tsx and import the .ts worker.
const WORKER_ENTRY = (worker) => `// Worker-thread entry of the built package (written by scripts/build.mjs).
await import('./${worker}.js');
`;
writeFileSync(join(dist, 'src', 'workers', 'worker.mjs'), WORKER_ENTRY('worker'));

// Declarations: './x.ts' -> './x.js' in relative import and export specifiers.
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}
for (const path of files(dist)) {
  if (!path.endsWith('.d.ts')) continue;
  const text = readFileSync(path, 'utf8');
  const fixed = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g, '$1$2.js$3');
  if (fixed !== text) writeFileSync(path, fixed);
}

writeFileSync(join(dist, 'build.json'), `${JSON.stringify({ newestSourceMs: newestSource, builtAt: new Date().toISOString() })}\n`);
process.stdout.write(`build: dist/ written in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
