#!/usr/bin/env node
// Launcher: runs the built JavaScript (dist/) when it is up to date with the sources, else the
// TypeScript sources through tsx (no build step needed while developing). ORDEAL_FROM_SOURCE=1
// forces the sources, ORDEAL_FROM_SOURCE=0 the built code even when older than the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './freshness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let main;
const choice = process.env.ORDEAL_FROM_SOURCE;
if (choice === '0' || (choice !== '1' && distIsFresh(root))) {
  ({ main } = await import('../dist/src/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
