// `ordeal simulate <model>`: seeded random, swarm or PCT simulation over the model's transition
// system; prints a summary (leading with the command that reproduces a failing run) and writes the
// shrunk trace of the lowest-run violation under reports/counterexamples/.
import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ModelDefinition, RunConfig } from '../model/define.ts';
import { checkVariant, InputError, resolveConfig, resolveParams } from '../model/resolve.ts';
import { chooseModel, withModelFile } from './model-file.ts';
import { findModelError, MODEL_ERROR } from '../model/guard.ts';
import {
  DEFAULT_FAULT_MIX,
  DEFAULT_LIVENESS_WINDOW_MS,
  DEFAULT_MAX_STEPS,
  DEFAULT_PCT_DEPTH,
  DEFAULT_TIMING,
  defaultOptions,
  SIMULATION_FAULT_BUDGETS,
  type SimulationOptions,
  type SimulationStrategy,
} from '../simulate/options.ts';
import { MAX_WORKERS } from '../simulate/pool.ts';
import { SIMULATION_STRATEGY_NAMES } from '../explore/strategies/index.ts';
import { simulate } from '../simulate/simulate.ts';
import { summaryOf, type SimulationSummary } from '../simulate/summary.ts';
import type { Trace } from '../trace/format.ts';
import { replay } from '../trace/replay.ts';
import { renderTimeline } from '../trace/render-text.ts';
import { modelErrorLine, PARANOID_HELP, thousands as n } from './format.ts';
import { junitXml, markdownSummary, simulationRun } from './reporters.ts';
import { appendFileSync } from 'node:fs';
import { writeFileAtomic } from './files.ts';

const EXIT = { pass: 0, violation: 1, badInput: 2, inconclusive: 3, modelError: 4 } as const;
export const DEFAULT_RUNS = 1000;
export const DEFAULT_SEED = 1;

export interface SimulateFlags {
  model?: string;
  reporter?: 'text' | 'junit';
  variant: string;
  param: string[];
  network?: string;
  crashes?: number;
  partitions?: number;
  partitionKinds?: string;
  drops?: number;
  duplicates?: number;
  paranoid?: boolean;
  invariant: string[];
  latency?: { min: number; max: number };
  timerMs?: number;
  timer: string[];
  crashRate?: number;
  partitionRate?: number;
  dropRate?: number;
  duplicateRate?: number;
  strategy: SimulationStrategy;
  swarm?: boolean;
  depth: number;
  seed: number;
  runs: number;
  run?: number;
  maxSteps: number;
  workers: number;
  shard?: string;
  liveness?: boolean;
  faultSteps?: number;
  livenessWindow: number;
  keepGoing?: boolean;
  shrink: boolean;
  out: string;
  json?: boolean;
}

/** Where the CLI's simulation workers find the model list. */
export interface ModelSource {
  readonly models: readonly ModelDefinition[];
  readonly module: { readonly url: string; readonly exportName: string };
}

const integer = (what: string, min = 0) => (text: string): number => {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${what} must be a non-negative integer.`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`${what} must be at most ${Number.MAX_SAFE_INTEGER} (2^53 - 1); ${text} would be rounded.`);
  if (value < min) throw new InvalidArgumentError(`${what} must be at least ${min}.`);
  return value;
};
const collect = (value: string, previous: string[]): string[] => [...previous, value];
const probability = (what: string) => (text: string): number => {
  const value = Number(text);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || value > 1) throw new InvalidArgumentError(`${what} must be a probability per step, from 0 to 1.`);
  return value;
};
const latencyRange = (text: string): { min: number; max: number } => {
  const m = /^(\d+)\.\.(\d+)$/.exec(text);
  if (!m || Number(m[1]) > Number(m[2]) || !Number.isSafeInteger(Number(m[2]))) throw new InvalidArgumentError('--latency must be MIN..MAX in whole ms with MIN <= MAX (for example 1..10).');
  return { min: Number(m[1]), max: Number(m[2]) };
};

/** `--timer NAME=MS` assignments as a map (a later one for the same name wins). */
export function parseTimers(assignments: readonly string[]): Record<string, number> | undefined {
  if (assignments.length === 0) return undefined;
  const timers: Record<string, number> = {};
  for (const a of assignments) {
    const m = /^([^=]+)=(\d+)$/.exec(a);
    if (!m || Number(m[2]) < 1 || !Number.isSafeInteger(Number(m[2]))) throw new InputError(`--timer must be NAME=MS with MS a whole number of ms >= 1, got '${a}'`);
    timers[m[1]] = Number(m[2]);
  }
  return timers;
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) throw new InputError(`--shard must be written i/n (for example 0/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new InputError(`--shard ${text}: need 0 <= i < n`);
  return { index, count };
}

/** Runs [start, end) of shard i of n: contiguous ranges, so shard summaries merge in order. */
export function shardRange(runs: number, index: number, count: number): { runStart: number; runEnd: number } {
  return { runStart: Math.floor((runs * index) / count), runEnd: Math.floor((runs * (index + 1)) / count) };
}

/** The simulation config: the model's, with the simulation's fault budgets unless flags set them. */
function simulationConfig(model: ModelDefinition, flags: SimulateFlags): RunConfig {
  const budgets = model.configurable.faults ? SIMULATION_FAULT_BUDGETS : undefined;
  return resolveConfig(model, {
    network: flags.network,
    crashes: flags.crashes ?? budgets?.crashes,
    partitions: flags.partitions ?? budgets?.partitions,
    partitionKinds: flags.partitionKinds,
    drops: flags.drops ?? budgets?.drops,
    duplicates: flags.duplicates ?? budgets?.duplicates,
    paranoid: flags.paranoid,
    invariant: flags.invariant,
  });
}

function optionsOf(flags: SimulateFlags): SimulationOptions {
  const strategy: SimulationStrategy = flags.swarm ? 'swarm' : flags.strategy;
  if (flags.swarm && flags.strategy !== 'random' && flags.strategy !== 'swarm') throw new InputError('--swarm cannot be combined with --strategy pct');
  if (flags.maxSteps < 1) throw new InputError('--max-steps must be at least 1');
  if (strategy === 'pct' && flags.depth < 1) throw new InputError('--depth must be at least 1');
  const faultPhaseSteps = flags.faultSteps ?? Math.floor(flags.maxSteps / 2);
  if (flags.liveness && faultPhaseSteps >= flags.maxSteps) throw new InputError('--fault-steps must be below --max-steps (the rest is the liveness phase)');
  const rates = { crashProbability: flags.crashRate, partitionProbability: flags.partitionRate, dropProbability: flags.dropRate, duplicateProbability: flags.duplicateRate };
  const setRates = Object.entries(rates).filter(([, v]) => v !== undefined);
  if (strategy === 'swarm' && setRates.length > 0) throw new InputError('--crash-rate, --partition-rate, --drop-rate and --duplicate-rate cannot be combined with --swarm (swarm draws the rates of each run)');
  const timerMsByName = parseTimers(flags.timer ?? []);
  return defaultOptions({
    strategy,
    mix: { ...DEFAULT_FAULT_MIX, ...Object.fromEntries(setRates) },
    timing: {
      ...DEFAULT_TIMING,
      ...(flags.latency ? { latencyMsMin: flags.latency.min, latencyMsMax: flags.latency.max } : {}),
      ...(flags.timerMs !== undefined ? { timerMs: flags.timerMs } : {}),
      ...(timerMsByName ? { timerMsByName } : {}),
    },
    maxSteps: flags.maxSteps,
    pctDepth: flags.depth,
    liveness: flags.liveness ? { faultPhaseSteps, windowMs: flags.livenessWindow } : null,
  });
}

/** The one command that reproduces run `run` alone (every setting spelled out, defaults included). */
export function reproduceCommand(input: {
  model: string;
  variant: string;
  params: Record<string, number>;
  config: RunConfig;
  configurable: boolean;
  options: SimulationOptions;
  seed: number;
  run: number;
}): string {
  const parts = ['npx ordeal simulate', input.model, '--variant', input.variant];
  for (const [k, v] of Object.entries(input.params)) parts.push('-p', `${k}=${v}`);
  if (input.configurable) {
    const f = input.config.faults;
    parts.push('--network', input.config.network, '--crashes', String(f.crashes), '--partitions', String(f.partitions), '--drops', String(f.drops), '--duplicates', String(f.duplicates));
    if (input.config.partitionKinds) parts.push('--partition-kinds', input.config.partitionKinds);
  }
  if (input.config.paranoid) parts.push('--paranoid');
  for (const name of input.config.invariants ?? []) parts.push('--invariant', name);
  const o = input.options;
  parts.push('--strategy', o.strategy);
  if (o.strategy === 'pct') parts.push('--depth', String(o.pctDepth));
  parts.push('--max-steps', String(o.maxSteps));
  if (o.liveness) parts.push('--liveness', '--fault-steps', String(o.liveness.faultPhaseSteps), '--liveness-window', String(o.liveness.windowMs));
  // Timing and fault rates: spelled out when they differ from the defaults (swarm draws its own rates).
  const t = o.timing;
  if (t.latencyMsMin !== DEFAULT_TIMING.latencyMsMin || t.latencyMsMax !== DEFAULT_TIMING.latencyMsMax) parts.push('--latency', `${t.latencyMsMin}..${t.latencyMsMax}`);
  if (t.timerMs !== DEFAULT_TIMING.timerMs) parts.push('--timer-ms', String(t.timerMs));
  for (const [name, ms] of Object.entries(t.timerMsByName ?? {})) parts.push('--timer', `${name}=${ms}`);
  if (o.strategy !== 'swarm') {
    const rates = [['--crash-rate', 'crashProbability'], ['--partition-rate', 'partitionProbability'], ['--drop-rate', 'dropProbability'], ['--duplicate-rate', 'duplicateProbability']] as const;
    for (const [flag, key] of rates) if (o.mix[key] !== DEFAULT_FAULT_MIX[key]) parts.push(flag, String(o.mix[key]));
  }
  parts.push('--seed', String(input.seed), '--run', String(input.run));
  return parts.join(' ');
}

function traceFileName(summaryModel: { name: string; variant: string; params: Record<string, number> }, trace: Trace, seed: number): string {
  const params = Object.entries(summaryModel.params).map(([k, v]) => `${k}${v}`).join('-');
  return `${summaryModel.name}.${summaryModel.variant}.${params}.${trace.violation!.property}.${trace.strategy}.seed${seed}.run${trace.run}.json`;
}

function timelineOf(report: Awaited<ReturnType<typeof simulate>>, trace: Trace): string {
  const { system } = report;
  const replayed = replay(system, trace);
  const descriptions: string[] = [];
  let state = system.retain(system.initialStates()[trace.initial]);
  for (const e of trace.events) {
    descriptions.push(system.describe(e, state));
    state = system.retain(system.step(state, e));
  }
  const states = replayed.states.length === trace.events.length + 1 ? replayed.states : [system.show(system.initialStates()[trace.initial])];
  const v = trace.violation!;
  return renderTimeline({
    title: `Counterexample (${v.kind ?? 'safety'}): ${v.property} — ${v.message}`,
    descriptions: states.length === descriptions.length + 1 ? descriptions : [],
    events: trace.events,
    states,
  });
}


/** `shrink: false` when the run was written as simulated (--no-shrink). */
export function formatSummary(s: SimulationSummary, how: { shrink: boolean } = { shrink: true }): string {
  const lines = [
    `${s.model.name} [${s.model.variant}] ${Object.entries(s.model.params).map(([k, v]) => `${k}=${v}`).join(' ')} — SIMULATE ${s.strategy}, seed ${s.seed}${
      s.config.invariants ? `, only invariant${s.config.invariants.length > 1 ? 's' : ''} ${s.config.invariants.join(', ')}` : ''
    }`,
    `  result: ${s.result === 'violation' ? `VIOLATION of ${s.violation!.property} (${s.violation!.kind})` : s.result.toUpperCase()}`,
    `  runs ${s.runStart}..${s.runEnd - 1} (${n(s.runs)} runs), ${n(s.events)} events, ${n(s.eventsPerSecond)} events/s, ${(s.elapsedMs / 1000).toFixed(2)}s`,
  ];
  for (const t of s.targets) lines.push(`  reachable ${t.name}: ${t.runs === 0 ? 'NEVER REACHED' : `reached in ${n(t.runs)} of ${n(s.runs)} runs`}`);
  for (const reason of s.inconclusiveReasons) lines.push(`  inconclusive: ${reason}`);
  const actions = Object.entries(s.actions ?? {});
  if (actions.length) {
    const width = Math.max(...actions.map(([a]) => a.length));
    lines.push('  actions (events taken over all runs):');
    for (const [action, count] of actions) lines.push(`    ${action.padEnd(width)}  ${n(count).padStart(12)}${count === 0 ? '   <- NEVER FIRED' : ''}`);
  }
  const mixes = Object.entries(s.mixes);
  if (mixes.length) {
    lines.push('  swarm fault mixes (runs, violating runs):');
    for (const [label, c] of mixes) lines.push(`    ${label.padEnd(40)} ${String(c.runs).padStart(7)} ${String(c.violations).padStart(5)}${c.violations ? '  <- found violations' : ''}`);
  }
  if (s.violation) {
    lines.push(
      `  violating run ${s.violation.run}: ${s.violation.originalLength} events, ${
        s.violation.kind === 'liveness'
          ? 'not shrunk (a liveness run keeps every event: removing them removes the progress it is about)'
          : !how.shrink
          ? 'not shrunk (--no-shrink)'
          : s.violation.length < s.violation.originalLength
          ? `shrunk to ${s.violation.length}`
          : 'none can be removed'
      }`,
      `  reproduce: ${s.violation.reproduce}`,
    );
    if (s.trace) lines.push(`  trace: ${s.trace}`, `  replay: npx ordeal replay ${s.trace}`);
  }
  return lines.join('\n');
}

export async function simulateCommand(source: ModelSource, modelArgument: string, flags: SimulateFlags, now: () => number): Promise<number> {
  const chosen = await chooseModel(source, modelArgument, flags.model);
  const model = chosen.model;
  const variant = checkVariant(model, flags.variant);
  const params = resolveParams(model, flags.param);
  const config = simulationConfig(model, flags);
  const options = optionsOf(flags);
  if (flags.workers < 1 || flags.workers > MAX_WORKERS) throw new InputError(`--workers must be 1..${MAX_WORKERS}`);
  if (flags.json && flags.reporter === 'junit') throw new InputError('--json and --reporter junit both choose what stdout holds: pick one');
  let range = { runStart: 0, runEnd: flags.runs };
  if (flags.run !== undefined) {
    if (flags.shard !== undefined) throw new InputError('--run and --shard cannot be combined');
    range = { runStart: flags.run, runEnd: flags.run + 1 };
  } else if (flags.shard !== undefined) {
    const shard = parseShard(flags.shard);
    range = shardRange(flags.runs, shard.index, shard.count);
  }
  const report = await simulate({
    model,
    variant,
    params,
    config,
    seed: flags.seed,
    options,
    ...range,
    stopAtViolation: !flags.keepGoing,
    workers: flags.workers,
    modelsModule: chosen.module,
    shrink: flags.shrink,
    now,
  });
  let tracePath: string | null = null;
  let reproduce: string | null = null;
  if (report.trace) {
    tracePath = join(flags.out, traceFileName({ name: model.name, variant, params }, report.trace, flags.seed));
    writeFileAtomic(tracePath, `${JSON.stringify(withModelFile(report.trace, chosen.file, tracePath), null, 2)}\n`);
    reproduce = reproduceCommand({ model: chosen.file ? `${modelArgument} --model ${model.name}` : model.name, variant, params, config, configurable: model.configurable.faults, options, seed: flags.seed, run: report.trace.run! });
  }
  const summary = summaryOf(report, tracePath, reproduce);
  const timeline = report.trace ? timelineOf(report, report.trace) : null;
  const run = simulationRun(summary, report.system.properties, model.variants[variant].expected);
  if (report.trace?.violation?.property === MODEL_ERROR) {
    const detail = findModelError(replay(report.system, report.trace).states.at(-1));
    if (detail) process.stderr.write(modelErrorLine(detail, { model: model.name, variant, step: report.trace.events.length, seed: flags.seed, run: report.trace.run }));
  }
  if (flags.reporter === 'junit') process.stdout.write(junitXml(run, tracePath, timeline));
  else if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const text = [formatSummary(summary, { shrink: flags.shrink })];
    if (timeline) text.push('', timeline);
    process.stdout.write(`${text.join('\n')}\n`);
  }
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) appendFileSync(stepSummary, markdownSummary(run, tracePath, timeline));
  if (summary.violation?.property === MODEL_ERROR) return EXIT.modelError;
  return summary.result === 'violation' ? EXIT.violation : summary.result === 'inconclusive' ? EXIT.inconclusive : EXIT.pass;
}

export function registerSimulate(program: Command, source: ModelSource, setExit: (code: number) => void, defaultOut: string): void {
  program
    .command('simulate')
    .description('seeded simulation in virtual time (random, swarm or PCT schedules); violations are shrunk and written as traces')
    .argument('<model>', 'a built-in model\'s name (see `ordeal list`) or a path to a module exporting models (.ts or .js)')
    .option('--model <name>', 'which model of the file, when it exports several')
    .option('--variant <name>', 'variant to simulate', 'default')
    .option('-p, --param <name=value>', 'set a model parameter (repeatable)', collect, [])
    .option('--network <kind>', 'network semantics for actor models: set, unordered, fifo or tcp')
    .option('--crashes <k>', `crash budget per run (actor models; default ${SIMULATION_FAULT_BUDGETS.crashes})`, integer('--crashes'))
    .option('--partitions <k>', `partition budget per run (default ${SIMULATION_FAULT_BUDGETS.partitions})`, integer('--partitions'))
    .option('--partition-kinds <kinds>', 'splits a partition makes: all, halves (two groups) or isolate (one node cut off)')
    .option('--drops <k>', `message-drop budget per run (default ${SIMULATION_FAULT_BUDGETS.drops})`, integer('--drops'))
    .option('--duplicates <k>', `duplication budget per run (default ${SIMULATION_FAULT_BUDGETS.duplicates})`, integer('--duplicates'))
    .option('--paranoid', PARANOID_HELP)
    .option('--invariant <name>', 'check only this invariant (repeatable; reachable targets still count); the trace records the selection', collect, [])
    .option('--latency <min..max>', `message latency in virtual ms, uniform in MIN..MAX (default ${DEFAULT_TIMING.latencyMsMin}..${DEFAULT_TIMING.latencyMsMax})`, latencyRange)
    .option('--timer-ms <ms>', `timer timeout in virtual ms, times a jitter of up to +${DEFAULT_TIMING.timerJitter * 100}% (default ${DEFAULT_TIMING.timerMs})`, integer('--timer-ms', 1))
    .option('--timer <name=ms>', 'timeout of the timers called NAME, in place of --timer-ms (repeatable; a name no timer has changes nothing)', collect, [])
    .option('--crash-rate <p>', `probability per step of a crash while the budget lasts (default ${DEFAULT_FAULT_MIX.crashProbability})`, probability('--crash-rate'))
    .option('--partition-rate <p>', `probability per step of a partition (default ${DEFAULT_FAULT_MIX.partitionProbability})`, probability('--partition-rate'))
    .option('--drop-rate <p>', `probability per step of a message drop (default ${DEFAULT_FAULT_MIX.dropProbability})`, probability('--drop-rate'))
    .option('--duplicate-rate <p>', `probability per step of a message duplication (default ${DEFAULT_FAULT_MIX.duplicateProbability})`, probability('--duplicate-rate'))
    .addOption(new Option('--strategy <name>', 'schedule strategy').choices(SIMULATION_STRATEGY_NAMES).default('random'))
    .option('--swarm', 'swarm testing: each run draws its own fault mix (same as --strategy swarm)')
    .option('--depth <d>', 'PCT bug depth d (d - 1 priority change points)', integer('--depth'), DEFAULT_PCT_DEPTH)
    .option('--seed <s>', 'seed of the whole simulation (run r uses a seed derived from (s, r))', integer('--seed'), DEFAULT_SEED)
    .option('--runs <n>', 'number of runs', integer('--runs', 1), DEFAULT_RUNS)
    .option('--run <r>', 'simulate run r alone (reproduces a reported failure)', integer('--run'))
    .option('--max-steps <n>', 'events per run at most', integer('--max-steps'), DEFAULT_MAX_STEPS)
    .option('--workers <k>', `worker threads (same result for any k; this machine has ${availableParallelism()} cores)`, integer('--workers'), 1)
    .option('--shard <i/n>', 'simulate only shard i of n of the runs (combine shard summaries with `ordeal merge`)')
    .option('--liveness', 'after the fault phase, stop faults, restart nodes, heal, and require every reachable target within the window')
    .option('--fault-steps <n>', 'length of the fault phase in steps (default: half of --max-steps)', integer('--fault-steps'))
    .option('--liveness-window <ms>', 'virtual time allowed for progress after the fault phase', integer('--liveness-window'), DEFAULT_LIVENESS_WINDOW_MS)
    .option('--keep-going', 'do not stop at the first violating run (count all violating runs and mixes)')
    .option('--no-shrink', 'write the violating run as simulated, without shrinking')
    .option('--out <dir>', 'where counterexample traces are written', defaultOut)
    .option('--json', 'print one JSON summary on stdout (input of `ordeal merge`)')
    .addOption(new Option('--reporter <format>', 'stdout format: text, or junit (JUnit XML, one test case per property, held to the variant\'s declared verdict); under GitHub Actions a Markdown summary is also appended to $GITHUB_STEP_SUMMARY').choices(['text', 'junit']).default('text'))
    .action(async (model: string, flags: SimulateFlags) => setExit(await simulateCommand(source, model, flags, () => performance.now())));
}
