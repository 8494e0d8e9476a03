// `ordeal simulate <model>`: seeded guided, random, swarm or PCT simulation over the model's
// transition system; prints a summary (leading with the command that reproduces a failing run) and
// writes the shrunk trace of the lowest-run violation under reports/counterexamples/.
import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { findModelError, InputError, MODEL_ERROR, type ModelDefinition, type Params, type RunConfig, type Trace } from '../api/models.ts';
import { commandLineCaller } from '../api/options.ts';
import { collect, integer, runOptionsOf, type RunFlags } from './run-flags.ts';
import { DEFAULT_GUIDED_RUNS, DEFAULT_LIVENESS_STRATEGY, DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_STRATEGY, simulateModel, type SimulateOptions, type SimulateRun } from '../api/simulate.ts';
import {
  DEFAULT_FAULT_MIX,
  DEFAULT_LIVENESS_WINDOW_MS,
  DEFAULT_MAX_STEPS,
  DEFAULT_PCT_DEPTH,
  DEFAULT_TIMING,
  replayTrace,
  renderTimeline,
  SIMULATION_FAULT_BUDGETS,
  SIMULATION_STRATEGY_NAMES,
  summaryOf,
  type SimulationOptions,
  type SimulationStrategyName,
  type SimulationSummary,
} from '../api/simulation.ts';
import { chooseModel, withModelFile } from './model-file.ts';
import { givenBy } from './declared-flags.ts';
import { modelErrorLine, PARANOID_HELP, thousands as n } from './format.ts';
import { junitXml, markdownSummary, simulationRun } from './reporters.ts';
import { appendFileSync } from 'node:fs';
import { writeFileAtomic } from './files.ts';
import { stoppable } from './stopping.ts';
import { declaredSimulateOptions, type Given } from '../api/declared.ts';
import { progressLine, progressMode, simulationProgressText } from './progress.ts';

const EXIT = { pass: 0, violation: 1, badInput: 2, inconclusive: 3, modelError: 4 } as const;
export { DEFAULT_RUNS, DEFAULT_SEED };

export interface SimulateFlags extends RunFlags {
  model?: string;
  reporter?: 'text' | 'junit';
  latency?: { min: number; max: number };
  timerMs?: number;
  timer: string[];
  crashRate?: number;
  partitionRate?: number;
  dropRate?: number;
  duplicateRate?: number;
  /** Absent unless given: the default depends on --liveness and --swarm (the API's). */
  strategy?: SimulationStrategyName;
  swarm?: boolean;
  depth: number;
  seed: number;
  runs?: number;
  run?: number;
  maxSteps?: number;
  workers: number;
  shard?: string;
  liveness?: boolean;
  faultSteps?: number;
  livenessWindow: number;
  keepGoing?: boolean;
  shrink: boolean;
  out: string;
  json?: boolean;
  quiet?: boolean;
}

/** Where the CLI's simulation workers find the model list. */
export interface ModelSource {
  readonly models: readonly ModelDefinition[];
  readonly module: { readonly url: string; readonly exportName: string };
}

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

/** The one command that reproduces run `run` alone (every setting spelled out, defaults included). */
export function reproduceCommand(input: {
  model: string;
  variant: string;
  params: Params;
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
    if ((f.diskFaults ?? 0) > 0) parts.push('--disk-faults', String(f.diskFaults));
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

function traceFileName(summaryModel: { name: string; variant: string; params: Params }, trace: Trace, seed: number): string {
  const params = Object.entries(summaryModel.params).map(([k, v]) => `${k}${v}`).join('-');
  return `${summaryModel.name}.${summaryModel.variant}.${params}.${trace.violation!.property}.${trace.strategy}.seed${seed}.run${trace.run}.json`;
}

function timelineOf(report: SimulateRun['report'], trace: Trace): string {
  const { system } = report;
  const replayed = replayTrace(system, trace);
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
export function formatSummary(s: SimulationSummary & { declared?: string | null }, how: { shrink: boolean } = { shrink: true }): string {
  const lines = [
    `${s.model.name} [${s.model.variant}] ${Object.entries(s.model.params).map(([k, v]) => `${k}=${v}`).join(' ')} — SIMULATE ${s.strategy}, seed ${s.seed}${
      s.config.invariants ? `, only invariant${s.config.invariants.length > 1 ? 's' : ''} ${s.config.invariants.join(', ')}` : ''
    }${s.declared ? ` (the variant's declared check: ${s.declared})` : ''}`,
    `  result: ${s.result === 'violation' ? `VIOLATION of ${s.violation!.property} (${s.violation!.kind})` : s.result.toUpperCase()}`,
    `  runs ${s.runStart}..${s.runEnd - 1} (${n(s.runs)} runs), ${n(s.events)} events, ${n(s.eventsPerSecond)} events/s, ${(s.elapsedMs / 1000).toFixed(2)}s`,
  ];
  for (const t of s.targets) lines.push(`  reachable ${t.name}: ${t.runs === 0 ? 'NEVER REACHED' : `reached in ${n(t.runs)} of ${n(s.runs)} runs`}`);
  if (s.coverage) lines.push(`  coverage: ${n(s.coverage.abstractStates)} abstract states, corpus ${n(s.coverage.corpus)}, Good-Turing chance of a new one ${s.coverage.unseenEstimate.toFixed(3)}`);
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

export async function simulateCommand(source: ModelSource, modelArgument: string, flags: SimulateFlags, now: () => number, given: Given = () => true): Promise<number> {
  const chosen = await chooseModel(source, modelArgument, flags.model);
  const model = chosen.model;
  if (flags.json && flags.reporter === 'junit') throw new InputError('--json and --reporter junit both choose what stdout holds: pick one');
  const options: SimulateOptions = {
    ...runOptionsOf(flags),
    latency: flags.latency,
    timerMs: flags.timerMs,
    timers: flags.timer,
    crashRate: flags.crashRate,
    partitionRate: flags.partitionRate,
    dropRate: flags.dropRate,
    duplicateRate: flags.duplicateRate,
    strategy: flags.strategy,
    swarm: flags.swarm,
    depth: flags.depth,
    seed: flags.seed,
    // Absent unless given: the default depends on the strategy (the API's).
    runs: given('runs') ? flags.runs : undefined,
    run: flags.run,
    shard: flags.shard,
    maxSteps: flags.maxSteps,
    workers: flags.workers,
    liveness: flags.liveness,
    faultSteps: flags.faultSteps,
    livenessWindow: flags.livenessWindow,
    keepGoing: flags.keepGoing,
    shrink: flags.shrink,
  };
  // The variant's declared check supplies what the user did not give (src/api/declared.ts).
  const declared = declaredSimulateOptions(model, options, given);
  const progress = progressLine(progressMode(flags), simulationProgressText);
  const onProgress = (p: Parameters<typeof progress.update>[0]): void => progress.update(p);
  const ran = await stoppable((signal) => simulateModel(model, { ...declared.options, signal, onProgress }, { caller: commandLineCaller, modelsModule: chosen.module, now }));
  progress.stop();
  const { report, variant, params, config, options: simulation } = ran;
  let tracePath: string | null = null;
  let reproduce: string | null = null;
  if (report.trace) {
    tracePath = join(flags.out, traceFileName({ name: model.name, variant, params }, report.trace, report.trace.seed ?? flags.seed));
    writeFileAtomic(tracePath, `${JSON.stringify(withModelFile(report.trace, chosen.file, tracePath), null, 2)}\n`);
    reproduce = reproduceCommand({ model: chosen.file ? `${modelArgument} --model ${model.name}` : model.name, variant, params, config, configurable: model.configurable.faults, options: simulation, seed: report.trace.seed ?? flags.seed, run: report.trace.run! });
  }
  const summary = { ...summaryOf(report, tracePath, reproduce), declared: declared.declared };
  const timeline = report.trace ? timelineOf(report, report.trace) : null;
  const run = simulationRun(summary, report.system.properties, model.variants[variant].expected);
  if (report.trace?.violation?.property === MODEL_ERROR) {
    const detail = findModelError(replayTrace(report.system, report.trace).states.at(-1));
    if (detail) process.stderr.write(modelErrorLine(detail, { model: model.name, variant, step: report.trace.events.length, seed: report.trace.seed, run: report.trace.run }));
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
    .description('seeded simulation in virtual time (guided, random, swarm or PCT schedules); violations are shrunk and written as traces')
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
    .option('--disk-faults <k>', 'storage-fault budget per run: write errors and power losses, at the crash rate (guided: in place of a placed crash; default 0; docs/faults.md)', integer('--disk-faults'))
    .option('--paranoid', PARANOID_HELP)
    .option('--invariant <name>', 'check only this invariant (repeatable; reachable targets still count); the trace records the selection', collect, [])
    .option('--latency <min..max>', `message latency in virtual ms, uniform in MIN..MAX (default ${DEFAULT_TIMING.latencyMsMin}..${DEFAULT_TIMING.latencyMsMax}; guided draws it per run unless given)`, latencyRange)
    .option('--timer-ms <ms>', `timer timeout in virtual ms, times a jitter of up to +${DEFAULT_TIMING.timerJitter * 100}% (default ${DEFAULT_TIMING.timerMs}; guided draws timeouts per run unless given)`, integer('--timer-ms', 1))
    .option('--timer <name=ms>', 'timeout of the timers called NAME, in place of --timer-ms (repeatable; a name no timer has changes nothing)', collect, [])
    .option('--crash-rate <p>', `probability per step of a crash while the budget lasts (default ${DEFAULT_FAULT_MIX.crashProbability}; guided uses no rate unless one is given: it places the budget's faults at drawn steps, so --crashes 0 turns its crashes off)`, probability('--crash-rate'))
    .option('--partition-rate <p>', `probability per step of a partition (default ${DEFAULT_FAULT_MIX.partitionProbability})`, probability('--partition-rate'))
    .option('--drop-rate <p>', `probability per step of a message drop (default ${DEFAULT_FAULT_MIX.dropProbability})`, probability('--drop-rate'))
    .option('--duplicate-rate <p>', `probability per step of a message duplication (default ${DEFAULT_FAULT_MIX.duplicateProbability})`, probability('--duplicate-rate'))
    .addOption(new Option('--strategy <name>', `schedule strategy (default: ${DEFAULT_STRATEGY}; with --liveness, which guided cannot check, ${DEFAULT_LIVENESS_STRATEGY}; with --swarm, swarm)`).choices(SIMULATION_STRATEGY_NAMES))
    .option('--swarm', 'swarm testing: each run draws its own fault mix (same as --strategy swarm)')
    .option('--depth <d>', 'PCT bug depth d (d - 1 priority change points)', integer('--depth'), DEFAULT_PCT_DEPTH)
    .option('--seed <s>', 'seed of the whole simulation (run r uses a seed derived from (s, r))', integer('--seed'), DEFAULT_SEED)
    .option('--runs <n>', `number of runs (default: ${DEFAULT_GUIDED_RUNS} with guided, ${DEFAULT_RUNS} with the others)`, integer('--runs', 1))
    .option('--run <r>', 'simulate run r alone (reproduces a reported failure)', integer('--run'))
    .option('--max-steps <n>', `events per run at most (default ${DEFAULT_MAX_STEPS}; with --liveness, the fault phase plus ten times a healthy run's median length, at least ${DEFAULT_MAX_STEPS})`, integer('--max-steps'))
    .option('--workers <k>', `worker threads (same result for any k; guided runs on one thread whatever k, its runs grow from earlier ones; this machine has ${availableParallelism()} cores)`, integer('--workers'), 1)
    .option('--shard <i/n>', 'simulate only shard i of n of the runs (combine shard summaries with `ordeal merge`)')
    .option('--liveness', 'after the fault phase, stop faults, restart nodes, heal, and require every reachable target within the window')
    .option('--fault-steps <n>', 'length of the fault phase in steps (default: half of --max-steps)', integer('--fault-steps'))
    .option('--liveness-window <ms>', 'virtual time allowed for progress after the fault phase', integer('--liveness-window'), DEFAULT_LIVENESS_WINDOW_MS)
    .option('--keep-going', 'do not stop at the first violating run (count all violating runs and mixes)')
    .option('--no-shrink', 'write the violating run as simulated, without shrinking')
    .option('--out <dir>', 'where counterexample traces are written', defaultOut)
    .option('--json', 'print one JSON summary on stdout (input of `ordeal merge`)')
    .option('--quiet', 'no progress on stderr (by default a live line on a terminal, else one line every 10 s)')
    .addOption(new Option('--reporter <format>', 'stdout format: text, or junit (JUnit XML, one test case per property, held to the variant\'s declared verdict); under GitHub Actions a Markdown summary is also appended to $GITHUB_STEP_SUMMARY').choices(['text', 'junit']).default('text'))
    .action(async (model: string, flags: SimulateFlags, cmd: Command) => setExit(await simulateCommand(source, model, flags, () => performance.now(), givenBy(cmd))));
}
