// `node --import tsx bench/actors.ts`: exhaustive BFS of the paxos actor model in fresh processes
// (`bin/ordeal.js check ... --json`), median of N runs per row: states/s by wall clock and by CPU
// time (the machine may be shared), and peak resident memory per distinct state. With
// `--baseline <dir>` every row also runs from another checkout (a copy of an older commit's
// bin/, src/ and models/ with node_modules linked), interleaved run by run so both see the same
// load. With `--por` every row runs without and with sleep sets instead (`--no-por`, `--por`),
// interleaved, and zab's defaults join the rows. Writes reports/bench-actors.md (with `--por`,
// reports/bench-por.md) and prints it.
//   options: --runs N (default 3)   --baseline DIR   --baseline-label TEXT   --por
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: options } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, baseline: { type: 'string' }, 'baseline-label': { type: 'string', default: 'before' }, por: { type: 'boolean', default: false } },
});
const reportPath = join(root, 'reports', options.por ? 'bench-por.md' : 'bench-actors.md');
const runs = Number(options.runs);

/** The configurations measured: the defaults, without symmetry, and ones near a million states. */
const ROWS: { label: string; args: string[]; model?: string }[] = [
  { label: 'paxos (defaults: one crash, symmetry)', args: [] },
  { label: 'paxos --no-symmetry', args: ['--no-symmetry'] },
  { label: 'paxos --crashes 2 --no-symmetry', args: ['--crashes', '2', '--no-symmetry'] },
  { label: 'paxos --crashes 1 --drops 1 --no-symmetry', args: ['--crashes', '1', '--drops', '1', '--no-symmetry'] },
  { label: 'paxos --crashes 1 --duplicates 1 (symmetry)', args: ['--crashes', '1', '--duplicates', '1'] },
  { label: 'paxos --variant volatile-round (the slowest default variant of npm start)', args: ['--variant', 'volatile-round'] },
];
/** With --por: the same rows and zab's defaults (tcp, where crashes touch every node). */
const POR_ROWS: { label: string; args: string[]; model?: string }[] = [...ROWS, { label: 'zab (defaults: tcp, one crash)', args: [], model: 'zab' }];

interface Run {
  distinctStates: number;
  transitions: number;
  /** Transitions sleep sets skipped (0 without). */
  skipped: number;
  depth: number;
  result: string;
  wallRate: number;
  cpuRate: number;
  rssBytesPerState: number;
  /** Peak resident size above that of the same process stopped after one state, per state. */
  searchBytesPerState: number;
  maxRssMiB: number;
}

/** Peak resident KiB of a run stopped at its first state: Node, tsx, the model, the CLI. */
const startupKiB = new Map<string, number>();
function startup(checkout: string): number {
  let kib = startupKiB.get(checkout);
  if (kib === undefined) {
    const child = spawnSync(process.execPath, ['--import', join(here, 'rss-at-exit.mjs'), join(checkout, 'bin', 'ordeal.js'), 'check', 'paxos', '--max-states', '1', '--json'], { cwd: checkout, encoding: 'utf8' });
    kib = (JSON.parse(/ordeal-bench (.+)/.exec(child.stderr)![1]) as { maxRssKiB: number }).maxRssKiB;
    startupKiB.set(checkout, kib);
  }
  return kib;
}

function once(checkout: string, args: string[], attempt = 1, model = 'paxos'): Run {
  // A violation exits 1 with its JSON on stdout: a result like any other here.
  const child = spawnSync(process.execPath, ['--import', join(here, 'rss-at-exit.mjs'), join(checkout, 'bin', 'ordeal.js'), 'check', model, ...args, '--json'], {
    cwd: checkout,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (!child.stdout.includes('{')) {
    // A process killed from outside (a shared machine short of memory) prints nothing: try once more.
    if (attempt < 2) return once(checkout, args, attempt + 1, model);
    throw new Error(`bench/actors: check ${model} ${args.join(' ')} printed no result (signal ${child.signal}): ${child.stderr.slice(-400)}`);
  }
  const json = JSON.parse(child.stdout.slice(child.stdout.indexOf('{'))) as Outcome;
  return finish(json, /ordeal-bench (.+)/.exec(child.stderr), startup(checkout));
}

interface Outcome {
  distinctStates: number;
  transitions: number;
  depth: number;
  result: string;
  elapsedMs: number;
  reduction?: { skipped: number } | null;
}

function finish(json: Outcome, line: RegExpExecArray | null, startKiB: number): Run {
  if (!line) throw new Error('bench/actors: the child printed no resource line');
  const usage = JSON.parse(line[1]) as { maxRssKiB: number; cpuMs: number };
  return {
    distinctStates: json.distinctStates,
    transitions: json.transitions,
    skipped: json.reduction?.skipped ?? 0,
    depth: json.depth,
    result: json.result,
    wallRate: (json.distinctStates / json.elapsedMs) * 1000,
    cpuRate: (json.distinctStates / usage.cpuMs) * 1000,
    rssBytesPerState: (usage.maxRssKiB * 1024) / json.distinctStates,
    searchBytesPerState: (Math.max(0, usage.maxRssKiB - startKiB) * 1024) / json.distinctStates,
    maxRssMiB: usage.maxRssKiB / 1024,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const loadBefore = loadavg()[0];
const results = options.por ? [] : ROWS.map((row) => {
  const now: Run[] = [];
  const before: Run[] = [];
  for (let r = 0; r < runs; r++) {
    now.push(once(root, row.args));
    if (options.baseline) before.push(once(options.baseline, row.args));
  }
  process.stderr.write(`${row.label}: ${fmt(median(now.map((x) => x.wallRate)))} states/s${options.baseline ? ` (baseline ${fmt(median(before.map((x) => x.wallRate)))})` : ''}\n`);
  return { row, now, before };
});
/** With --por: each row without and with sleep sets, run by run. */
const porResults = !options.por ? [] : POR_ROWS.map((row) => {
  const plain: Run[] = [];
  const reduced: Run[] = [];
  for (let r = 0; r < runs; r++) {
    plain.push(once(root, [...row.args, '--no-por'], 1, row.model));
    reduced.push(once(root, [...row.args, '--por'], 1, row.model));
    const [a, b] = [plain[r], reduced[r]];
    if (a.distinctStates !== b.distinctStates || a.transitions !== b.transitions || a.result !== b.result) {
      throw new Error(`bench/actors: ${row.label}: ${a.distinctStates} states, ${a.transitions} transitions, ${a.result} without sleep sets; ${b.distinctStates}, ${b.transitions}, ${b.result} with`);
    }
  }
  process.stderr.write(`${row.label}: ${fmt(median(plain.map((x) => x.cpuRate)))} -> ${fmt(median(reduced.map((x) => x.cpuRate)))} states/s CPU\n`);
  return { row, plain, reduced };
});
const loadAfter = loadavg()[0];

const out: string[] = options.por ? porReport() : ['# Benchmark: the paxos actor model, exhaustive BFS', ''];
if (!options.por) {
out.push('Generated by `node --import tsx bench/actors.ts' + (options.baseline ? ` --baseline <${options['baseline-label']}>` : '') + '`. Each run is a fresh');
out.push('`bin/ordeal.js check paxos ... --json` process; medians of ' + `${runs} runs. States/s by wall clock and by CPU time of the`);
out.push('process (the machine is shared, so CPU time is the steadier of the two); resident bytes per state is');
out.push('the peak resident set size of the whole process (Node and tsx included) over the distinct states; search B/state');
out.push('subtracts the peak of the same command stopped after one state (Node, tsx, the model, the CLI).');
out.push('CPU time covers the whole process, start-up included (about a second of transpiling), so it understates');
out.push('the rate of short runs; the wall rate is the search alone, as `check` reports it.', '');
out.push(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} logical cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version};`);
out.push(`load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.`, '');
const head = options.baseline
  ? `| configuration | states | depth | result | states/s wall (${options['baseline-label']} -> now) | states/s CPU (${options['baseline-label']} -> now) | resident B/state (${options['baseline-label']} -> now) | search B/state (${options['baseline-label']} -> now) |`
  : '| configuration | states | depth | result | states/s wall | states/s CPU | resident B/state | search B/state | peak RSS MiB |';
out.push(head, options.baseline ? '|:---|---:|---:|:---|---:|---:|---:|---:|' : '|:---|---:|---:|:---|---:|---:|---:|---:|---:|');
for (const { row, now, before } of results) {
  const m = (rs: Run[], f: (r: Run) => number) => median(rs.map(f));
  const n0 = now[0];
  if (options.baseline) {
    const pair = (f: (r: Run) => number) => `${fmt(m(before, f))} -> **${fmt(m(now, f))}** (${(m(now, f) / m(before, f)).toFixed(1)}x)`;
    const mem = (f: (r: Run) => number) => `${fmt(m(before, f))} -> **${fmt(m(now, f))}**`;
    out.push(`| ${row.label} | ${fmt(n0.distinctStates)} | ${n0.depth} | ${n0.result} | ${pair((r) => r.wallRate)} | ${pair((r) => r.cpuRate)} | ${mem((r) => r.rssBytesPerState)} | ${mem((r) => r.searchBytesPerState)} |`);
  } else {
    out.push(`| ${row.label} | ${fmt(n0.distinctStates)} | ${n0.depth} | ${n0.result} | ${fmt(m(now, (r) => r.wallRate))} | ${fmt(m(now, (r) => r.cpuRate))} | ${fmt(m(now, (r) => r.rssBytesPerState))} | ${fmt(m(now, (r) => r.searchBytesPerState))} | ${m(now, (r) => r.maxRssMiB).toFixed(0)} |`);
  }
}
out.push('');
}
const text = out.join('\n');
mkdirSync(dirname(reportPath), { recursive: true });
writeFileSync(reportPath, text);
process.stdout.write(`${text}\n`);

function porReport(): string[] {
  const lines = ['# Benchmark: sleep sets (`--por`) on the actor models, exhaustive BFS', ''];
  lines.push('Generated by `node --import tsx bench/actors.ts --por`. Each run is a fresh `bin/ordeal.js check <model> ...');
  lines.push(`--json\` process, without (\`--no-por\`) and with (\`--por\`) sleep sets, run after run; medians of ${runs} runs. States and`);
  lines.push('transitions are the same with and without (transitions count every enabled event of every expanded state);');
  lines.push('"skipped" is the share of them whose successor sleep sets never computed. States/s by CPU time of the');
  lines.push('whole process (start-up included; the steadier figure on a shared machine) and by wall clock of the search;');
  lines.push('resident bytes per state as in reports/bench-actors.md. See docs/reduction.md.', '');
  lines.push(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} logical cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version};`);
  lines.push(`load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.`, '');
  lines.push('| configuration | states | transitions | skipped | states/s CPU (no-por -> por) | states/s wall (no-por -> por) | resident B/state (no-por -> por) |');
  lines.push('|:---|---:|---:|---:|---:|---:|---:|');
  for (const { row, plain, reduced } of porResults) {
    const m = (rs: Run[], f: (r: Run) => number) => median(rs.map(f));
    const pair = (f: (r: Run) => number) => `${fmt(m(plain, f))} -> **${fmt(m(reduced, f))}** (${(m(reduced, f) / m(plain, f)).toFixed(2)}x)`;
    const r0 = reduced[0];
    const skipped = `${Math.round((100 * r0.skipped) / Math.max(1, r0.transitions))}%`;
    lines.push(`| ${row.label} | ${fmt(r0.distinctStates)} | ${fmt(r0.transitions)} | ${skipped} | ${pair((r) => r.cpuRate)} | ${pair((r) => r.wallRate)} | ${fmt(m(plain, (r) => r.rssBytesPerState))} -> ${fmt(m(reduced, (r) => r.rssBytesPerState))} |`);
  }
  lines.push('');
  return lines;
}
