// The deep-bug bench: for the bugs that sit 20 to 40 events deep behind a mix of timing and faults
// (Zab's zk-1154, zk-2355, zk-4643 with the parameters their declared checks use; Raft's Figure 8; Paxos's crash-timed mutants),
// the runs and seconds to the first violation, median and worst over seeds 1-10, for every
// simulation strategy with its default settings (no timers, rates or seeds chosen by hand), each
// cell capped in runs and seconds ("not found" when capped).
// Run: node --import tsx bench/deep.ts [--seeds 10] [--cap-seconds 60] [--cap-runs 50000]
//        [--strategies random,swarm,pct,guided] [--part NAME]   (writes reports/bench-deep.md)
//        [--bugs zab/zk-1154,raft/figure-8] [--seed-list 3,4]     (a quick look at a few cells)
// With --part NAME it writes only reports/bench-deep.NAME.json; --render merges every part into the
// report (so the cells can be measured in several processes, one per core).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { builtinModels } from '../models/index.ts';
import { resolveParams } from '../src/model/resolve.ts';
import type { ModelDefinition, RunConfig } from '../src/model/define.ts';
import { defaultOptions, SIMULATION_FAULT_BUDGETS, type SimulationStrategy } from '../src/simulate/options.ts';
import { simulate } from '../src/simulate/simulate.ts';

const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const SEEDS = Number(flag('seeds') ?? 10);
const CAP_SECONDS = Number(flag('cap-seconds') ?? 60);
const CAP_RUNS = Number(flag('cap-runs') ?? 50_000);
const STRATEGIES = (flag('strategies') ?? 'random,swarm,pct,guided').split(',') as SimulationStrategy[];
const PART = flag('part');
/** Only these bugs ("zab/zk-1154,raft/figure-8"), and only these seeds ("3,4"), for a quick look. */
const ONLY_BUGS = flag('bugs')?.split(',');
const SEED_LIST = flag('seed-list')?.split(',').map(Number);
const RENDER_ONLY = process.argv.includes('--render');
const REPORTS = new URL('../reports/', import.meta.url);

/** The deep bugs: model, variant, and the parameters their declared checks use. */
const BUGS: readonly { model: string; variant: string }[] = [
  { model: 'zab', variant: 'zk-1154' },
  { model: 'zab', variant: 'zk-2355' },
  { model: 'zab', variant: 'zk-4643' },
  { model: 'raft', variant: 'figure-8' },
  // The Paxos mutants behind a crash at the right moment. None needs three ballots: BFS finds every
  // Paxos mutant (paxos and paxos-tla) within two ballots (reports/bench-deep.md); these two have
  // its deepest counterexamples (22 and 17 events) and need the crash budget placed.
  { model: 'paxos', variant: 'volatile-round' },
  { model: 'paxos', variant: 'promise-not-persisted' },
];

interface Cell {
  readonly bug: string;
  readonly strategy: string;
  readonly capSeconds: number;
  readonly capRuns: number;
  /** Per seed: runs and seconds to the first violation, or null when the cap ended it. */
  readonly seeds: readonly { seed: number; runs: number | null; seconds: number | null; ranRuns: number }[];
}

function modelNamed(name: string): ModelDefinition {
  const model = builtinModels.find((m) => m.name === name);
  if (!model) throw new Error(`bench/deep: no built-in model ${name}`);
  return model;
}

/** What `ordeal simulate MODEL --variant V` uses: the declared check's parameters and faults, else the simulation defaults. */
function setupOf(model: ModelDefinition, variant: string): { params: ReturnType<typeof resolveParams>; config: RunConfig } {
  const decl = model.variants[variant].check;
  const params = resolveParams(model, Object.entries(decl?.params ?? {}).map(([k, v]) => `${k}=${v}`));
  const faults = model.configurable.faults ? SIMULATION_FAULT_BUDGETS : model.defaultConfig.faults;
  return { params, config: { ...model.defaultConfig, faults, ...decl?.config } };
}

async function measure(bug: { model: string; variant: string }, strategy: SimulationStrategy): Promise<Cell> {
  const model = modelNamed(bug.model);
  const { params, config } = setupOf(model, bug.variant);
  const seeds: Cell['seeds'][number][] = [];
  for (const seed of SEED_LIST ?? Array.from({ length: SEEDS }, (_, i) => i + 1)) {
    const started = performance.now();
    const report = await simulate({
      model, variant: bug.variant, params, config, seed,
      options: defaultOptions({ strategy }),
      runStart: 0, runEnd: CAP_RUNS, stopAtViolation: true, shrink: false,
      now: () => performance.now(),
      control: { timeLimitMs: CAP_SECONDS * 1000 },
    });
    const seconds = (performance.now() - started) / 1000;
    const found = report.tally.violation !== null;
    seeds.push({ seed, runs: found ? report.tally.runEnd : null, seconds: found ? seconds : null, ranRuns: report.tally.runEnd });
    console.log(`${bug.model} ${bug.variant} ${strategy} seed ${seed}: ${found ? `found at run ${report.tally.runEnd} in ${seconds.toFixed(1)} s` : `not found in ${report.tally.runEnd} runs, ${seconds.toFixed(0)} s`}`);
  }
  return { bug: `${bug.model} ${bug.variant}`, strategy, capSeconds: CAP_SECONDS, capRuns: CAP_RUNS, seeds };
}

/** Median (lower middle of an even count) with "not found" ordered last. */
function medianOf(values: readonly (number | null)[]): number | null {
  const sorted = [...values].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  return sorted[(sorted.length - 1) >> 1];
}
const worstOf = (values: readonly (number | null)[]): number | null => (values.some((v) => v === null) ? null : Math.max(...(values as number[])));
const runsText = (v: number | null): string => (v === null ? 'not found' : v.toLocaleString('en-US'));
const secondsText = (v: number | null): string => (v === null ? 'not found' : v < 10 ? v.toFixed(1) : v.toFixed(0));

function render(cells: readonly Cell[]): string {
  const lines = [
    '# Deep-bug bench',
    '',
    `Generated by \`node --import tsx bench/deep.ts\` on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    'Each cell: runs and wall seconds to the first violation over seeds 1-' + SEEDS + ', every strategy with its default settings',
    '(`simulate MODEL --variant V --strategy S --seed N`, the parameters and fault budgets of the variant\'s declared check; no',
    'timers, rates or seeds chosen by hand), one thread. "not found": the cell\'s cap (shown) ended the seed first.',
    '',
    '| bug | strategy | found | runs median | runs worst | seconds median | seconds worst | cap |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const c of cells) {
    const runs = c.seeds.map((s) => s.runs);
    const seconds = c.seeds.map((s) => s.seconds);
    const found = runs.filter((r) => r !== null).length;
    lines.push(`| ${c.bug} | ${c.strategy} | ${found}/${c.seeds.length} | ${runsText(medianOf(runs))} | ${runsText(worstOf(runs))} | ${secondsText(medianOf(seconds))} | ${secondsText(worstOf(seconds))} | ${c.capSeconds} s or ${c.capRuns.toLocaleString('en-US')} runs |`);
  }
  lines.push('', 'Per seed (runs to the first violation; "-" not found within the cap):', '');
  for (const c of cells) lines.push(`- ${c.bug}, ${c.strategy}: ${c.seeds.map((s) => (s.runs === null ? `-(${s.ranRuns})` : String(s.runs))).join(', ')}`);
  return lines.join('\n') + '\n';
}

function parts(): Cell[] {
  const files = readdirSync(REPORTS).filter((f) => /^bench-deep\..+\.json$/.test(f)).sort();
  const cells = files.flatMap((f) => JSON.parse(readFileSync(new URL(f, REPORTS), 'utf8')) as Cell[]);
  const order = (c: Cell): number => BUGS.findIndex((b) => `${b.model} ${b.variant}` === c.bug) * 10 + ['random', 'swarm', 'pct', 'guided'].indexOf(c.strategy);
  return cells.sort((a, b) => order(a) - order(b));
}

mkdirSync(REPORTS, { recursive: true });
if (!RENDER_ONLY) {
  const cells: Cell[] = [];
  for (const bug of BUGS.filter((b) => ONLY_BUGS === undefined || ONLY_BUGS.includes(`${b.model}/${b.variant}`))) for (const strategy of STRATEGIES) cells.push(await measure(bug, strategy));
  if (PART !== undefined) writeFileSync(new URL(`bench-deep.${PART}.json`, REPORTS), JSON.stringify(cells, null, 1) + '\n');
  else writeFileSync(new URL('bench-deep.md', REPORTS), render(cells));
}
if (RENDER_ONLY) writeFileSync(new URL('bench-deep.md', REPORTS), render(parts()));
if (PART === undefined) console.log(readFileSync(new URL("bench-deep.md", REPORTS), "utf8"));
