// Parallel BFS speed-up: packed paxos-tla at 3 and 4 ballots and the paxos actor model's largest
// configuration of bench/actors.ts (two crashes, no symmetry), with sequential BFS (one thread, no
// workers) and the level engine with 1 and 2 worker threads. Every measurement runs in a fresh
// child process (median of --runs, interleaved so a noisy neighbour hurts every column alike).
// Records wall time, CPU time of the whole process (all threads) and the load average, then writes
// reports/bench-parallel.md and prints it.
//   usage: node --import tsx bench/parallel.ts [--runs 3] [--cases paxos-tla-3,paxos-tla-4,paxos-crashes-2] [--workers 1,2]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const CASES: Record<string, { label: string; model: string; params: Record<string, number>; config: (defaults: RunConfig) => RunConfig; sleepSets?: boolean }> = {
  'paxos-tla-3': { label: 'paxos-tla -p ballots=3 (packed)', model: 'paxos-tla', params: { acceptors: 3, values: 2, ballots: 3 }, config: (d) => d },
  'paxos-tla-4': { label: 'paxos-tla -p ballots=4 (packed)', model: 'paxos-tla', params: { acceptors: 3, values: 2, ballots: 4 }, config: (d) => d },
  'paxos-crashes-2': {
    label: 'paxos --crashes 2 --no-symmetry (actors)',
    model: 'paxos',
    params: {},
    config: (d) => ({ ...d, faults: { ...d.faults, crashes: 2 }, symmetry: false }),
    // One-thread BFS reduces actor models by sleep sets by default; the level engine does not.
    sleepSets: true,
  },
  'paxos-crashes-2-drops-1': {
    label: 'paxos --crashes 2 --drops 1 --no-symmetry (actors)',
    model: 'paxos',
    params: {},
    config: (d) => ({ ...d, faults: { ...d.faults, crashes: 2, drops: 1 }, symmetry: false }),
    sleepSets: true,
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
  /** CPU time of every thread during the search alone (start-up excluded); null without /proc. */
  searchCpuMs: number | null;
  /** CPU time of the busiest thread during the search: a worker, or the main thread for sequential BFS. */
  busiestCpuMs: number | null;
}

/** CPU milliseconds per thread of this process (Linux /proc; clock ticks of 10 ms), or null. */
function threadCpu(): Map<string, number> | null {
  const tasks = '/proc/self/task';
  if (!existsSync(tasks)) return null;
  const out = new Map<string, number>();
  for (const tid of readdirSync(tasks)) {
    try {
      const stat = readFileSync(`${tasks}/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** Per-thread CPU spent between two samples: [all threads, the busiest one]. */
function spent(before: Map<string, number> | null, after: Map<string, number> | null): [number | null, number | null] {
  if (!before || !after) return [null, null];
  let all = 0;
  let busiest = 0;
  for (const [tid, ms] of after) {
    const d = ms - (before.get(tid) ?? 0);
    all += d;
    busiest = Math.max(busiest, d);
  }
  return [all, busiest];
}

/**
 * One search in this process; workers = 0 is sequential BFS on the main thread without partial-order
 * reduction (the level engine has none), -1 the same with sleep sets (check's default for actors).
 */
async function child(name: string, workers: number): Promise<void> {
  const { performance } = await import('node:perf_hooks');
  const { builtinModels } = await import('../models/index.ts');
  const { findModel } = await import('../src/model/resolve.ts');
  const { bfs } = await import('../src/explore/bfs.ts');
  const { levelBfs } = await import('../src/explore/parallel-bfs.ts');
  const { startWorkers } = await import('../src/workers/shards.ts');
  const c = CASES[name];
  const model = findModel(builtinModels, c.model);
  const params = { ...Object.fromEntries(Object.entries(model.params).map(([k, d]) => [k, d.default])), ...c.params };
  const config = c.config(model.defaultConfig);
  const system = model.build({ params, variant: 'default', config });
  const now = () => performance.now();
  let outcome;
  let cpu: [number | null, number | null];
  if (workers <= 0) {
    const before = threadCpu();
    outcome = bfs(system, { now, por: workers === -1 });
    cpu = spent(before, threadCpu());
  } else {
    // Worker start-up (tsx, model build) is outside the measured search, as for sequential BFS.
    const pool = await startWorkers({ model: c.model, variant: 'default', params, config }, workers);
    try {
      const before = threadCpu();
      outcome = (await levelBfs(system, pool.shards, { now })).outcome;
      cpu = spent(before, threadCpu());
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
    searchCpuMs: cpu[0],
    busiestCpuMs: cpu[1],
  };
  console.log(JSON.stringify(m));
}

function measure(name: string, workers: number): Measurement {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'parallel.ts'), '--child', '--cases', name, `--workers=${workers}`], {
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
  const workerCounts = options.workers.split(',').map(Number);
  const loadBefore = loadavg();
  const rows: string[] = [];
  for (const name of caseList) {
    const columns = [0, ...(CASES[name].sleepSets ? [-1] : []), ...workerCounts];
    const results = new Map<number, Measurement[]>(columns.map((w) => [w, []]));
    for (let r = 0; r < runs; r++) {
      for (const w of columns) {
        const m = measure(name, w);
        results.get(w)!.push(m);
        process.stderr.write(`${name} workers=${w} run ${r + 1}: ${fmt(m.elapsedMs)} ms (cpu ${fmt(m.cpuMs)} ms, load ${loadavg()[0].toFixed(2)})\n`);
      }
    }
    const base = median(results.get(0)!.map((m) => m.elapsedMs));
    const one = median(results.get(workerCounts[0])!.map((m) => m.elapsedMs));
    const medianOrNull = (xs: (number | null)[]): number | null => (xs.every((x) => x !== null) ? median(xs as number[]) : null);
    const baseBusiest = medianOrNull(results.get(0)!.map((m) => m.busiestCpuMs));
    for (const w of columns) {
      const ms = results.get(w)!;
      const counts = new Set(ms.map((m) => `${m.distinctStates}/${m.transitions}/${m.depth}`));
      if (counts.size !== 1) throw new Error(`${name} workers=${w}: counts differ between runs: ${[...counts].join(', ')}`);
      const sequential = results.get(0)![0];
      if (`${sequential.distinctStates}/${sequential.transitions}/${sequential.depth}` !== [...counts][0]) throw new Error(`${name} workers=${w}: counts differ from sequential BFS`);
      const wall = median(ms.map((m) => m.elapsedMs));
      const cpu = median(ms.map((m) => m.cpuMs));
      const searchCpu = medianOrNull(ms.map((m) => m.searchCpuMs));
      const busiest = medianOrNull(ms.map((m) => m.busiestCpuMs));
      const byCpu = baseBusiest !== null && busiest !== null && busiest > 0 ? `${(baseBusiest / busiest).toFixed(2)}x` : 'n/a';
      rows.push(
        `| ${CASES[name].label} | ${w === 0 ? 'sequential BFS' : w === -1 ? "sequential BFS, sleep sets (check's default)" : `${w} worker${w > 1 ? 's' : ''}`} | ${fmt(ms[0].distinctStates)} | ${fmt(ms[0].transitions)} | ${ms[0].depth} | ` +
          `${fmt(wall)} | ${fmt(cpu)} | ${searchCpu === null ? 'n/a' : fmt(searchCpu)} | ${busiest === null ? 'n/a' : fmt(busiest)} | ` +
          `${fmt((ms[0].distinctStates / wall) * 1000)} | ${(base / wall).toFixed(2)}x | ${w <= 0 ? '' : `${(one / wall).toFixed(2)}x`} | ${byCpu} |`,
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
    'start-up excluded); CPU ms is the whole process (all threads, start-up included); search CPU is every',
    "thread's CPU during the search alone, and busiest thread the largest share of it (a worker, or the main",
    "thread for sequential BFS), from /proc. **By CPU** is sequential BFS's busiest thread over this column's: the",
    'speed-up the search would show if every worker had an idle core of its own and never waited, which a',
    'loaded machine does not give. Counts must be equal in every run and every column (the script fails otherwise).',
    'Sequential BFS runs without partial-order reduction, as the level engine does; for actor models a row',
    "shows one-thread BFS with sleep sets too (check's default for them since the reduction of issue 10): the",
    'same states and transitions counted, fewer successors generated.',
    '',
    '| configuration | engine | distinct states | transitions | depth | wall ms | CPU ms | search CPU ms | busiest thread ms | states/s | vs sequential | vs 1 worker | by CPU |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, report);
  process.stdout.write(report);
}

await main();
