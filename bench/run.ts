// `npm run bench`: ordeal's packed BFS of paxos-tla against Spin on the same abstraction
// (bench/spin/paxos.pml), plus rate stability at growing state counts. Every ordeal measurement
// runs in a fresh child process so GC and JIT state do not leak between runs. Writes
// reports/bench.md and prints it.
//   options: --runs N (default 3)   --ballots 2,3,4   --no-spin   --no-stability
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPan, GCC_FLAGS, panFlags, runPan, spinVersion, type SpinRun } from './spin.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const buildRoot = join(here, 'build');
const reportPath = join(root, 'reports', 'bench.md');

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    ballots: { type: 'string', default: '2,3,4' },
    'no-spin': { type: 'boolean', default: false },
    'no-stability': { type: 'boolean', default: false },
    'no-paths': { type: 'boolean', default: false },
  },
});
const runs = Number(options.runs);
const ballotList = options.ballots.split(',').map(Number);
/** State counts at which the rate is measured for stability (ballots = 4 has 8,220,065). */
const STABILITY_STATES = [100_000, 1_000_000, 8_000_000];
const STABILITY_BALLOTS = 4;
/** Largest spread between the stability rates that still counts as stable. */
const STABILITY_SPREAD_MAX = 0.2;

interface OrdealRun {
  params: { acceptors: number; values: number; ballots: number };
  distinctStates: number;
  transitions: number;
  depth: number;
  complete: boolean;
  elapsedMs: number;
  statesPerSecond: number;
  visitedBytesPerState: number;
  linkBytesPerState: number;
  peakFrontierBytes: number;
  peakRssBytes: number;
}

function ordealRun(ballots: number, maxStates?: number, extra: string[] = []): OrdealRun {
  const args = ['--import', 'tsx', join(here, 'paxos-bfs.ts'), '--ballots', String(ballots), ...extra];
  if (maxStates !== undefined) args.push('--max-states', String(maxStates));
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as OrdealRun;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The run whose rate is the median one (so its other figures belong to one real run). */
function medianRun<R>(items: R[], rate: (r: R) => number): R {
  const sorted = [...items].sort((a, b) => rate(a) - rate(b));
  return sorted[(sorted.length - 1) >> 1];
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtRate = (n: number | null): string => (n === null ? 'n/a' : `${fmtInt(n)}`);
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)}`;

function machine(): string[] {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const match = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) cpu = match[1].trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  return [
    `- date: ${new Date().toISOString()}`,
    `- node: ${process.version} (${process.platform}/${process.arch})`,
    `- CPU: ${cpu}, ${cpus().length} logical cores; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  ];
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

// ---- ordeal ----
const ordeal = new Map<number, OrdealRun[]>();
// Issue 10's target for the packed path, checked in the report (never in a test).
const TARGET_BALLOTS = 4;
const TARGET_RATIO = 1.5;
let targetRatio: number | null = null;
for (const ballots of ballotList) {
  const list: OrdealRun[] = [];
  for (let r = 0; r < runs; r++) {
    const run = ordealRun(ballots);
    log(`ordeal ballots=${ballots} run ${r + 1}: ${fmtInt(run.distinctStates)} states, ${fmtInt(run.statesPerSecond)} states/s`);
    list.push(run);
  }
  ordeal.set(ballots, list);
}

// ---- Spin ----
const version = options['no-spin'] ? null : spinVersion();
const spin = new Map<number, SpinRun[]>();
if (version) {
  mkdirSync(buildRoot, { recursive: true });
  for (const ballots of ballotList) {
    const dir = buildPan(join(here, 'spin', 'paxos.pml'), buildRoot, ballots);
    const list: SpinRun[] = [];
    for (let r = 0; r < runs; r++) {
      const run = runPan(dir, ballots);
      log(`spin ballots=${ballots} run ${r + 1}: ${fmtInt(run.statesStored)} states, ${fmtRate(run.statesPerSecond)} states/s`);
      list.push(run);
    }
    spin.set(ballots, list);
  }
}

// ---- stability ----
const stability: { target: number; run: OrdealRun; rates: number[] }[] = [];
if (!options['no-stability']) {
  for (const target of STABILITY_STATES) {
    const list: OrdealRun[] = [];
    for (let r = 0; r < runs; r++) list.push(ordealRun(STABILITY_BALLOTS, target));
    const rates = list.map((x) => x.statesPerSecond);
    stability.push({ target, run: medianRun(list, (x) => x.statesPerSecond), rates });
    log(`stability ${fmtInt(target)}: median ${fmtInt(median(rates))} states/s`);
  }
}

// ---- representations: object path and symmetry reduction, same model, same run ----
/** Ballots for the representation comparison: large enough to leave warm-up behind, small enough for the object path. */
const PATHS_BALLOTS = 3;
const paths: { label: string; runs: OrdealRun[] }[] = [];
if (!options['no-paths']) {
  for (const [label, extra] of [
    ['packed (paxos-tla)', []],
    ['plain objects (paxos-tla-object)', ['--model', 'paxos-tla-object']],
    ['packed + symmetry (acceptors, values)', ['--symmetry']],
    ['packed + symmetry, 4 ballots', ['--symmetry', '--ballots', '4']],
  ] as const) {
    const list: OrdealRun[] = [];
    for (let r = 0; r < runs; r++) list.push(ordealRun(PATHS_BALLOTS, undefined, [...extra]));
    paths.push({ label, runs: list });
    log(`${label}: median ${fmtInt(median(list.map((x) => x.statesPerSecond)))} states/s`);
  }
}

// ---- report ----
const out: string[] = [];
out.push('# Benchmark: paxos-tla BFS, ordeal (packed path) vs Spin', '');
out.push('Generated by `npm run bench` (bench/run.ts). Paxos.tla with 3 acceptors, 2 values; Spin runs');
out.push('bench/spin/paxos.pml, the same abstraction (every TLA+ action instance is one transition).', '');
out.push('## Machine', '', ...machine());
out.push(`- Spin: ${version ?? 'not run'}${version ? `; \`gcc ${GCC_FLAGS.join(' ')}\`, \`./pan -m100000 -w24\` (\`-w27\` from 4 ballots)` : ''}`);
out.push(`- ${runs} runs per row, each ordeal run in a fresh \`node --import tsx bench/paxos-bfs.ts\` process; medians shown.`, '');
if (!version && !options['no-spin']) {
  out.push('> Spin or gcc is not installed, so only ordeal is reported. Install them with', '> `apt-get install spin gcc` and run `npm run bench` again.', '');
}

out.push('## States per second', '');
out.push('| ballots | distinct states | transitions | depth | ordeal states/s (median) | Spin states/s (median) | ordeal / Spin | Spin stored = ordeal distinct |');
out.push('|---:|---:|---:|---:|---:|---:|---:|:---|');
for (const ballots of ballotList) {
  const runsO = ordeal.get(ballots)!;
  const o = medianRun(runsO, (x) => x.statesPerSecond);
  const rateO = median(runsO.map((x) => x.statesPerSecond));
  const runsS = spin.get(ballots);
  let spinRate = 'not run';
  let ratio = '-';
  let same = '-';
  if (runsS) {
    const rates = runsS.map((x) => x.statesPerSecond).filter((x): x is number => x !== null);
    const rateS = rates.length === runsS.length ? median(rates) : null;
    spinRate = rateS === null ? 'n/a (under clock resolution)' : fmtInt(rateS);
    ratio = rateS === null ? 'n/a' : (rateO / rateS).toFixed(2);
    const stored = runsS[0].statesStored;
    same = stored === o.distinctStates ? `yes (${fmtInt(stored)})` : `**NO**: Spin ${fmtInt(stored)}, ordeal ${fmtInt(o.distinctStates)}`;
  }
  out.push(`| ${ballots} | ${fmtInt(o.distinctStates)} | ${fmtInt(o.transitions)} | ${o.depth} | ${fmtInt(rateO)} | ${spinRate} | ${ratio} | ${same} |`);
  if (ballots === TARGET_BALLOTS && ratio !== '-' && ratio !== 'n/a') targetRatio = Number(ratio);
}
out.push('', 'Spin counts transitions as stored + matched, which includes the initial state once (ordeal + 1);');
out.push('Spin\'s depth counts steps, ordeal\'s counts levels as TLC does (Spin + 1). Spin reports elapsed time in');
out.push('steps of 0.01 s, so its rate for runs under a second (3 ballots) is coarse, and absent at 2 ballots.', '');
if (targetRatio !== null) {
  const met = targetRatio >= TARGET_RATIO;
  out.push(
    `**Target** (issue 10): at least ${TARGET_RATIO}x Spin at ${TARGET_BALLOTS} ballots. Measured: ${targetRatio.toFixed(2)}x, ` +
      (met ? 'met.' : `missed by ${Math.round((1 - targetRatio / TARGET_RATIO) * 100)}%.`),
    '',
    'Why (a CPU profile of `check paxos-tla -p ballots=4` stopped at 3 M states, `node --cpu-prof`, 2026-11-28): the',
    'visit of each successor (its fingerprint, 38 word mixes for 19 words, and the lookup in the fingerprint',
    'set, a cache miss once the set outgrows the caches) takes about 28% of the time, the generated successor',
    'loop (copy and compare of the scratch state) 24%, the model\'s actions 13%, the invariant on each new',
    'state 7% and the set\'s growth (rehashing) 7%. Per transition that is about 130 ns, near what',
    'Node reaches on hashing and a fingerprint set alone (a micro-benchmark on this machine kind: 46 ns',
    'a 16-word hash, 90-110 ns an insert or hit in a set of millions), while Spin, in C with full state',
    'vectors, does the same work. What is left to try: an incremental fingerprint (a sum of',
    'per-word hashes, updated by the words an action changed) and a set grown 4x at a time.',
    '',
  );
}

out.push('## Memory', '');
out.push('| ballots | visited set B/state | parent links B/state | peak frontier MiB | ordeal peak RSS MiB | Spin state vector B | Spin total MiB |');
out.push('|---:|---:|---:|---:|---:|---:|---:|');
for (const ballots of ballotList) {
  const o = medianRun(ordeal.get(ballots)!, (x) => x.statesPerSecond);
  const s = spin.get(ballots)?.[0];
  out.push(
    `| ${ballots} | ${o.visitedBytesPerState.toFixed(1)} | ${o.linkBytesPerState.toFixed(1)} | ${mib(o.peakFrontierBytes)} | ${mib(o.peakRssBytes)} | ${s ? s.stateVectorBytes : '-'} | ${s ? s.totalMemoryMiB.toFixed(0) : '-'} |`,
  );
}
out.push('', 'The visited set keeps 64-bit fingerprints only (open addressing, load 0.5 to 0.75); small runs');
out.push('are dominated by its initial capacity. Spin stores full state vectors (exact, no fingerprints).', '');

if (stability.length) {
  const medians = stability.map((s) => median(s.rates));
  const spread = (Math.max(...medians) - Math.min(...medians)) / Math.max(...medians);
  out.push(`## Rate stability (ballots = ${STABILITY_BALLOTS}, BFS stopped at a state count)`, '');
  out.push('| states | depth reached | states/s (median) | runs |');
  out.push('|---:|---:|---:|:---|');
  for (const s of stability) {
    out.push(`| ${fmtInt(s.run.distinctStates)} | ${s.run.depth} | ${fmtInt(median(s.rates))} | ${s.rates.map(fmtInt).join(', ')} |`);
  }
  const verdict = spread <= STABILITY_SPREAD_MAX ? 'within' : '**outside**';
  out.push('', `Spread between the fastest and slowest median: ${(spread * 100).toFixed(0)}%, ${verdict} the ${STABILITY_SPREAD_MAX * 100}% bound.`, '');
  out.push('Every ordeal figure includes JIT warm-up: the first ~10^4 states run before V8 has optimized');
  out.push('the generated successor loop (about 0.1 s on the machine this was written on), which weighs');
  out.push('on runs shorter than about half a second (2 and 3 ballots, and the first stability point).', '');
}

if (paths.length) {
  out.push(`## Representations (paxos-tla, 3 acceptors, 2 values, ${PATHS_BALLOTS} ballots unless noted)`, '');
  out.push('| path | distinct states | depth | states/s (median) | runs | reduction |');
  out.push('|:---|---:|---:|---:|:---|---:|');
  for (const p of paths) {
    const r = medianRun(p.runs, (x) => x.statesPerSecond);
    const full = ordeal.get(r.params.ballots)?.[0].distinctStates;
    const reduction = p.label.includes('symmetry') && full ? `${(full / r.distinctStates).toFixed(2)}x fewer states` : '-';
    out.push(`| ${p.label} | ${fmtInt(r.distinctStates)} | ${r.depth} | ${fmtInt(median(p.runs.map((x) => x.statesPerSecond)))} | ${p.runs.map((x) => fmtInt(x.statesPerSecond)).join(', ')} | ${reduction} |`);
  }
  out.push('', 'The object path runs the independent plain-object transcription (models/paxos-tla/object.ts): interned');
  out.push('message records in a Set, structural hashing without strings, frozen records hashed once, self-loops');
  out.push('skipped. The issue\'s reference for a generic engine on immutable objects is 16-35k states/s.');
  out.push('Symmetry reduction fingerprints each state by the smallest fingerprint over the 12 renamings');
  out.push('(3! acceptors x 2! values); its reduced count equals the Burnside orbit count (tests).', '');
}

const text = out.join('\n');
mkdirSync(dirname(reportPath), { recursive: true });
writeFileSync(reportPath, text);
process.stdout.write(`${text}\n`);
