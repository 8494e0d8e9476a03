// `check paxos -p rounds=2` (two proposers, two rounds) past RAM: one-thread BFS with the visited
// set and frontier options given as JSON, logging each level's size, the resident set and the disk
// the spilled frontier uses. Prints one JSON line per level, then the outcome.
//   usage: nice node [--expose-gc] --import tsx bench/deep-exhaustive.ts '{"visited":"compact","maxMemory":4096,"spillDir":"DIR","timeLimitMs":2100000}'
// Long (tens of minutes): not part of `npm run bench`; reports/bench-deep-exhaustive.md quotes it.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { builtinModels } from '../models/index.ts';
import { check, type CheckOptions } from '../src/api/check.ts';
import { findModel } from '../src/model/resolve.ts';

const extra = JSON.parse(process.argv[2] ?? '{}') as CheckOptions;
const model = findModel(builtinModels, 'paxos');
const started = performance.now();
let level = 0;
let peakRss = 0;
/** Bytes under the spill folder now (frontier batches and parent links, deflated). */
const diskBytes = (dir: string | undefined): number => {
  if (dir === undefined) return 0;
  let n = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) n += statSync(join(entry.parentPath, entry.name)).size;
  return n;
};
const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
const line = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const result = await check(model, {
  params: { rounds: 2 },
  ...extra,
  onProgress: (p) => {
    const rss = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, rss);
    if (p.depth === level) return;
    level = p.depth;
    const memory = process.memoryUsage();
    // With node --expose-gc, also what stays after a full collection: the live part of the above.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const afterGc = gc ? { rssAfterGcMiB: mib(process.memoryUsage.rss()), externalAfterGcMiB: mib(process.memoryUsage().external) } : {};
    // `external` includes the ArrayBuffers (typed arrays: visited set, frontier, interning tables).
    line({ level: p.depth, statesBefore: p.distinctStates, transitions: p.transitions, queue: p.queue, rssMiB: mib(rss), heapMiB: mib(memory.heapUsed), externalMiB: mib(memory.external), diskMiB: mib(diskBytes(extra.spillDir)), seconds: Math.round((performance.now() - started) / 1000), ...afterGc });
  },
});
peakRss = Math.max(peakRss, process.memoryUsage.rss());
const { trace: _t, timeline: _l, ...rest } = result;
line({ done: true, peakRssMiB: Math.round(peakRss / 2 ** 20), seconds: Math.round((performance.now() - started) / 1000), ...rest });
