// Parallel BFS speed-up: packed paxos-tla at 3 and 4 ballots and the paxos actor model's largest
// configuration of bench/actors.ts (two crashes, no symmetry), with sequential BFS (one thread, no
// workers) and the level engine with 1 and 2 worker threads. Every measurement runs in a fresh
// child process (median of --runs, interleaved so a noisy neighbour hurts every column alike).
// Records wall time, CPU time of the whole process (all threads) and the load average, then writes
// reports/bench-parallel.md and prints it.
//   usage: node --import tsx bench/parallel.ts [--runs 3] [--cases paxos-tla-3,paxos-tla-4,paxos-crashes-2] [--workers 1,2]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunConfig } from '../src/model/define.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const reportPath = join(root, 'reports', 'bench-parallel.md');

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    cases: { type: 'string', default: 'paxos-tla-3,paxos-tla-4,paxos-crashes-2' },
    workers: { type: 'string', default: '1,2' },
    child: { type: 'boolean', default: false },
  },
});

/** The configurations measured: a model of the registry with its params and run config. */
const CASES: Record<string, { label: string; model: string; params: Record<string, number>; config: (defaults: RunConfig) => RunConfig }> = {
  'paxos-tla-3': { label: 'paxos-tla -p ballots=3 (packed)', model: 'paxos-tla', params: { acceptors: 3, values: 2, ballots: 3 }, config: (d) => d },
  'paxos-tla-4': { label: 'paxos-tla -p ballots=4 (packed)', model: 'paxos-tla', params: { acceptors: 3, values: 2, ballots: 4 }, config: (d) => d },
  'paxos-crashes-2': {
    label: 'paxos --crashes 2 --no-symmetry (actors)',
    model: 'paxos',
    params: {},
    config: (d) => ({ ...d, faults: { ...d.faults, crashes: 2 }, symmetry: false }),
  },
};

interface Measurement {
  workers: number;
  case: string;
  distinctStates: number;
  transitions: number;
  depth: number;
  elapsedMs: number;
  cpuMs: number;
}

/** One search in this process; workers = 0 is sequential BFS on the main thread. */
async function child(name: string, workers: number): Promise<void> {
  const { performance } = await import('node:perf_hooks');
  const { builtinModels } = await import('../models/index.ts');
  const { findModel } = await import('../src/model/resolve.ts');
  const { bfs } = await import('../src/explore/bfs.ts');
  const { levelBfs } = await import('../src/explore/parallel-bfs.ts');
  const { startWorkers } = await import('../src/cli/check-workers.ts');
  const c = CASES[name];
  const model = findModel(builtinModels, c.model);
  const params = { ...Object.fromEntries(Object.entries(model.params).map(([k, d]) => [k, d.default])), ...c.params };
  const config = c.config(model.defaultConfig);
  const system = model.build({ params, variant: 'default', config });
  const now = () => performance.now();
  let outcome;
  if (workers === 0) outcome = bfs(system, { now });
  else {
    // Worker start-up (tsx, model build) is outside the measured search, as for sequential BFS.
    const pool = await startWorkers({ model: c.model, variant: 'default', params, config }, workers);
    try {
      outcome = (await levelBfs(system, pool.shards, { now })).outcome;
    } finally {
      await pool.close();
    }
  }
  const usage = process.resourceUsage();
  const m: Measurement = {
    workers,
    case: name,
    distinctStates: outcome.distinctStates,
    transitions: outcome.transitions,
    depth: outcome.depth,
    elapsedMs: outcome.elapsedMs,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
  };
  console.log(JSON.stringify(m));
}

function measure(name: string, workers: number): Measurement {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'parallel.ts'), '--child', '--cases', name, '--workers', String(workers)], {
    cwd: root,
    encoding: 'utf8',
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Measurement;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function main(): Promise<void> {
  if (options.child) return child(options.cases, Number(options.workers));
  const runs = Number(options.runs);
  const caseList = options.cases.split(',');
  for (const name of caseList) if (!CASES[name]) throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(', ')}`);
  const columns = [0, ...options.workers.split(',').map(Number)];
  const loadBefore = loadavg();
  const rows: string[] = [];
  for (const name of caseList) {
    const results = new Map<number, Measurement[]>(columns.map((w) => [w, []]));
    for (let r = 0; r < runs; r++) {
      for (const w of columns) {
        const m = measure(name, w);
        results.get(w)!.push(m);
        process.stderr.write(`${name} workers=${w} run ${r + 1}: ${fmt(m.elapsedMs)} ms (cpu ${fmt(m.cpuMs)} ms, load ${loadavg()[0].toFixed(2)})\n`);
      }
    }
    const base = median(results.get(0)!.map((m) => m.elapsedMs));
    const one = median(results.get(columns[1])!.map((m) => m.elapsedMs));
    for (const w of columns) {
      const ms = results.get(w)!;
      const counts = new Set(ms.map((m) => `${m.distinctStates}/${m.transitions}/${m.depth}`));
      if (counts.size !== 1) throw new Error(`${name} workers=${w}: counts differ between runs: ${[...counts].join(', ')}`);
      const sequential = results.get(0)![0];
      if (`${sequential.distinctStates}/${sequential.transitions}/${sequential.depth}` !== [...counts][0]) throw new Error(`${name} workers=${w}: counts differ from sequential BFS`);
      const wall = median(ms.map((m) => m.elapsedMs));
      const cpu = median(ms.map((m) => m.cpuMs));
      rows.push(
        `| ${CASES[name].label} | ${w === 0 ? 'sequential BFS' : `${w} worker${w > 1 ? 's' : ''}`} | ${fmt(ms[0].distinctStates)} | ${fmt(ms[0].transitions)} | ${ms[0].depth} | ` +
          `${fmt(wall)} | ${fmt(cpu)} | ${fmt((ms[0].distinctStates / wall) * 1000)} | ${(base / wall).toFixed(2)}x | ${w === 0 ? '' : `${(one / wall).toFixed(2)}x`} |`,
      );
    }
  }
  const loadAfter = loadavg();
  const report = [
    '# Parallel BFS: speed-up by worker count',
    '',
    `Written by \`node --import tsx bench/parallel.ts --runs ${runs} --cases ${options.cases} --workers ${options.workers}\` on ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} CPUs, Node ${process.version}. ` +
      `Load average (1 min) ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after: other work on the machine slows every column.`,
    '',
    `Median of ${runs} runs, each in a fresh process, columns interleaved. Wall time is the search alone (worker`,
    'start-up excluded); CPU time is the whole process (all threads, start-up included). Counts must be equal in',
    'every run and every column (the script fails otherwise).',
    '',
    '| configuration | engine | distinct states | transitions | depth | wall ms | CPU ms | states/s | vs sequential | vs 1 worker |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, report);
  process.stdout.write(report);
}

await main();
