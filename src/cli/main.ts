// The `ordeal` command line: the only module that touches argv, files, the clock and the terminal.
import { Command, CommanderError, Option } from 'commander';
import { join } from 'node:path';
import { builtinModels } from '../../models/index.ts';
import { checkModel, type CheckOptions, type CheckRun } from '../api/check.ts';
import { BUILTIN_MODELS_MODULE, findModelError, loadModelFile, InputError, MODEL_ERROR, ModelFault, parseTrace, type CheckReport, type ModelDefinition, type Progress, type Trace } from '../api/models.ts';
import { commandLineCaller } from '../api/options.ts';
import { EXHAUSTIVE_STRATEGY_NAMES, type ExhaustiveStrategyName } from '../api/strategies.ts';
import { ORDEAL_VERSION } from '../api/version.ts';
import { formatList, formatOutcome, formatTimeline, listJson, modelErrorLine, outcomeJson, PARANOID_HELP } from './format.ts';
import { checkRun, junitXml, markdownSummary } from './reporters.ts';
import { appendFileSync } from 'node:fs';
import { writeFileAtomic } from './files.ts';
import { progressLine, progressMode } from './progress.ts';
import { stoppable } from './stopping.ts';
import { declaredCheckOptions, declaresSimulation, type Given } from '../api/declared.ts';
import { givenBy, simulateFlagsOfCheck } from './declared-flags.ts';
import { replayCommand } from './replay-command.ts';
import { summaryCommand } from './summary-command.ts';
import { registerSimulate, simulateCommand } from './simulate-command.ts';
import { registerShrink } from './shrink-command.ts';
import { registerMerge } from './merge-command.ts';
import { registerLinearizable } from './linearizable-command.ts';
import { registerRender } from './render-command.ts';
import { registerInit } from './init-command.ts';
import { registerExplore } from './explore-command.ts';
import { collect, integer, runOptionsOf, type RunFlags } from './run-flags.ts';
import { chooseModel, isModelPath, modelsForTrace, withModelFile } from './model-file.ts';
import { readJsonFile } from './files.ts';

export const EXIT = { pass: 0, violation: 1, badInput: 2, inconclusive: 3, modelError: 4 } as const;

const COUNTEREXAMPLE_DIR = join('reports', 'counterexamples');


interface CheckFlags extends RunFlags {
  model?: string;
  strategy?: ExhaustiveStrategyName;
  json?: boolean;
  reporter: 'text' | 'junit';
  coverage?: boolean;
  liveness?: boolean;
  symmetry?: boolean;
  por?: boolean;
  maxStates?: number;
  maxDepth?: number;
  timeLimit?: number;
  workers?: number;
  checkpoint?: string;
  resume?: string;
  maxMemory?: number;
  visited?: 'exact' | 'compact' | 'bitstate';
  bitstate?: number;
  spillDir?: string;
  swarm?: number;
  shard?: string;
  seed?: number;
  out: string;
  quiet?: boolean;
}

/** `--shard auto/N`: the index from ORDEAL_SHARD_INDEX (a CI matrix sets it) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job). */
function shardOf(text: string | undefined): string | undefined {
  const m = text === undefined ? null : /^auto\/(\d+)$/.exec(text);
  if (!m) return text;
  const index = process.env.ORDEAL_SHARD_INDEX ?? process.env.JOB_COMPLETION_INDEX;
  if (index === undefined || !/^\d+$/.test(index)) throw new InputError(`--shard ${text}: set ORDEAL_SHARD_INDEX or JOB_COMPLETION_INDEX to the shard's index (0 to ${Number(m[1]) - 1})`);
  return `${index}/${m[1]}`;
}

function exitCodeOf(report: CheckReport): number {
  if (report.outcome.violation?.property === MODEL_ERROR) return EXIT.modelError;
  return report.outcome.result === 'violation' ? EXIT.violation : report.outcome.result === 'inconclusive' ? EXIT.inconclusive : EXIT.pass;
}

function traceFileName(report: CheckReport): string {
  const r = report.request;
  const params = Object.entries(r.params).map(([k, v]) => `${k}${v}`).join('-');
  return `${r.model.name}.${r.variant}.${params}.${report.outcome.violation!.property}.${r.strategy}.json`;
}

/** The built-in models and the module URL workers load them from. */
const BUILTINS = { models: builtinModels, module: BUILTIN_MODELS_MODULE };

/** The models a trace needs: built-in, or those of the model file it records (checked unchanged). */
async function traceModels(path: string): Promise<readonly ModelDefinition[]> {
  let trace: Trace | null = null;
  try {
    trace = parseTrace(readJsonFile(path));
  } catch (error) {
    if (error instanceof InputError) throw error;
    // A malformed trace is reported by the command itself, with its usual message.
  }
  return (await modelsForTrace(builtinModels, trace, path)).models;
}

/** The engines word the time limit in ms; the command line took seconds, so say it in seconds. */
function secondsInReasons(report: CheckReport, timeLimitSeconds: number | undefined): void {
  if (timeLimitSeconds === undefined) return;
  const reasons = report.outcome.inconclusiveReasons as string[];
  for (let i = 0; i < reasons.length; i++) {
    reasons[i] = reasons[i].replace(`time limit ${timeLimitSeconds * 1000} ms reached`, `time limit of ${timeLimitSeconds} s reached`);
  }
}

async function checkAction(modelArgument: string, flags: CheckFlags, given: Given): Promise<number> {
  const chosen = await chooseModel(BUILTINS, modelArgument, flags.model);
  const model = chosen.model;
  // A variant whose declared check is a simulation is simulated as declared (src/api/declared.ts).
  if (declaresSimulation(model, { variant: flags.variant }, given)) return simulateCommand(BUILTINS, modelArgument, simulateFlagsOfCheck(flags), () => performance.now(), given);
  const progress = progressLine(progressMode(flags));
  const options = {
    ...runOptionsOf(flags),
    // --liveness is its own strategy; the --strategy default (bfs) does not contradict it.
    strategy: flags.liveness && flags.strategy === 'bfs' ? undefined : flags.strategy,
    liveness: flags.liveness,
    symmetry: flags.symmetry,
    por: flags.por,
    coverage: flags.coverage,
    maxStates: flags.maxStates,
    maxDepth: flags.maxDepth,
    timeLimitMs: flags.timeLimit === undefined ? undefined : flags.timeLimit * 1000,
    workers: flags.workers,
    checkpoint: flags.checkpoint,
    resume: flags.resume,
    maxMemory: flags.maxMemory,
    visited: flags.visited,
    bitstate: flags.bitstate,
    spillDir: flags.spillDir,
    swarm: flags.swarm,
    shard: shardOf(flags.shard),
    seed: flags.seed,
    onProgress: (p: Progress) => progress.update(p),
  } satisfies CheckOptions;
  const context = { caller: commandLineCaller, note: (line: string) => process.stderr.write(`${line}\n`), modelsModule: chosen.module };
  // SIGINT and SIGTERM stop the search on any engine, this thread's too (src/cli/stopping.ts).
  const declared = declaredCheckOptions(model, options, given);
  const run: CheckRun = await stoppable((signal) => checkModel(model, { ...declared.options, signal }, context));
  const report = run.report;
  progress.stop();
  secondsInReasons(report, flags.timeLimit);
  let tracePath: string | null = null;
  const states = report.outcome.violation?.states;
  const modelError = states ? findModelError(states[states.length - 1]) : null;
  if (modelError) process.stderr.write(modelErrorLine(modelError, { model: model.name, variant: report.request.variant, step: states!.length - 1 }));
  if (report.trace) {
    tracePath = join(flags.out, traceFileName(report));
    writeFileAtomic(tracePath, `${JSON.stringify(withModelFile(report.trace, chosen.file, tracePath), null, 2)}\n`);
  }
  const extra = { ...(run.workers !== null ? { workers: run.workers, checkpoint: run.checkpointPath } : {}), ...(run.swarm ? { swarm: { ...run.swarm, firstViolation: run.swarm.firstViolation && { ...run.swarm.firstViolation, trace: tracePath } } } : {}) };
  const timeline = report.outcome.violation ? formatTimeline(report) : null;
  for (const line of run.notesAfter) process.stderr.write(`${line}\n`);
  if (flags.json && flags.reporter === 'junit') throw new InputError('--json and --reporter junit both choose what stdout holds: pick one');
  if (flags.reporter === 'junit') process.stdout.write(junitXml(checkRun(report), tracePath, timeline));
  else process.stdout.write(flags.json ? `${JSON.stringify({ ...outcomeJson(report, tracePath), declared: declared.declared, ...extra })}\n` : `${formatOutcome(report, tracePath, declared.declared)}\n`);
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) appendFileSync(stepSummary, markdownSummary(checkRun(report), tracePath, timeline));
  return exitCodeOf(report);
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('ordeal')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .description('Deterministic simulation and model checking of consensus protocols.')
    .version(ORDEAL_VERSION)
    .addHelpText(
      'after',
      '\nExit codes: 0 every property holds and every reachable target was reached; 1 a property was violated\n' +
        '(or, for replay, the trace did not reproduce); 2 bad input; 3 inconclusive (a limit stopped the run,\n' +
        'or a reachable target was never reached); 4 model error (a handler or spec action threw, returned an\n' +
        'invalid step or state, sent to a node that does not exist, wrote outside its schema, or, with --paranoid,\n' +
        'mutated its input or was nondeterministic). docs/errors.md lists every case.',
    );

  program
    .command('list')
    .description('list the built-in models, their parameters and variants with expected verdicts')
    .option('--json', 'print JSON: {"models": [{name, description, params, variants}]}')
    .action((flags: { json?: boolean }) => {
      process.stdout.write(flags.json ? `${JSON.stringify(listJson(builtinModels), null, 2)}\n` : `${formatList(builtinModels)}\n`);
      setExit(EXIT.pass);
    });

  program
    .command('check')
    .description('exhaustively check one model variant (BFS gives shortest counterexamples)')
    .argument('<model>', 'a built-in model\'s name (see `ordeal list`) or a path to a module exporting models (.ts or .js)')
    .option('--model <name>', 'which model of the file, when it exports several')
    .option('--variant <name>', 'variant to check, with its declared check (parameters, budgets, strategy; `ordeal list` shows them) where no flag says otherwise', 'default')
    .option('-p, --param <name=value>', 'set a model parameter (repeatable)', collect, [])
    .addOption(new Option('--strategy <name>', 'search strategy (default: the variant\'s declared check, else bfs)').choices(EXHAUSTIVE_STRATEGY_NAMES))
    .option('--network <kind>', 'network semantics for actor models: set, unordered, fifo or tcp')
    .option('--crashes <k>', 'crash budget (actor models)', integer('--crashes'))
    .option('--partitions <k>', 'partition budget (actor models)', integer('--partitions'))
    .option('--partition-kinds <kinds>', 'splits a partition makes: all (every split), halves (two groups) or isolate (one node cut off)')
    .option('--drops <k>', 'message-drop budget (actor models)', integer('--drops'))
    .option('--duplicates <k>', 'message-duplication budget (actor models)', integer('--duplicates'))
    .option('--disk-faults <k>', 'storage-fault budget: write errors and power losses of buffered durable writes (actor models; default 0; docs/faults.md)', integer('--disk-faults'))
    .option('--liveness', 'look for fair lassos: a cycle (or a stop) on which a reachable target never holds, under weak fairness of the model\'s fair events (strategy liveness; not with --symmetry or --por; docs/faults.md)')
    .option('--symmetry', 'symmetry reduction: store one state per class of interchangeable nodes (models that declare a symmetry)')
    .option('--no-symmetry', 'no symmetry reduction, even where the model turns it on by default')
    .option('--por', 'partial-order reduction by sleep sets (actor models; on by default for BFS, asked for DFS): same states and counts, fewer successors computed; see docs/reduction.md')
    .option('--no-por', 'no partial-order reduction')
    .option('--coverage', 'count, per action, the transitions taken and the new states found; flag the declared actions that never fire (one-thread BFS and DFS; costs up to 3x on packed specs)')
    .option('--paranoid', PARANOID_HELP)
    .option('--invariant <name>', 'check only this invariant (repeatable; reachable targets still count); the trace records the selection', collect, [])
    .option('--max-states <n>', 'stop (inconclusive) after this many distinct states', integer('--max-states'))
    .option('--max-depth <n>', 'do not expand states deeper than this many levels', integer('--max-depth'))
    .option('--time-limit <seconds>', 'stop (inconclusive) after this many seconds', integer('--time-limit', 1))
    .option('--workers <k>', 'parallel BFS in k worker threads (same counts and verdict as one; see docs/scale.md)', integer('--workers'))
    .option('--checkpoint <file>', 'when a limit, Ctrl-C or SIGTERM stops the run, save the last complete BFS level there')
    .option('--resume <file>', 'continue a BFS from a checkpoint of the same model, variant, params and config')
    .option('--max-memory <MiB>', 'stop (inconclusive) when the process uses this much memory (default 75% of RAM)', integer('--max-memory'))
    .addOption(new Option('--visited <kind>', 'visited set: exact (64-bit fingerprints), compact (the same in 6 bytes a slot) or bitstate (may miss states); see docs/scale.md').choices(['exact', 'compact', 'bitstate']))
    .option('--bitstate <bits>', 'bitstate visited set of 2^bits bits, 3 hashes (Spin\'s supertrace): reports the expected coverage', integer('--bitstate', 10))
    .option('--spill-dir <dir>', 'spill the BFS frontier to disk, in a fresh folder under this one (default: under the OS temp dir when --max-memory is given)')
    .option('--swarm <n>', 'swarm verification: n diversified bounded searches on the worker pool (not exhaustive; see docs/swarm.md)', integer('--swarm', 1))
    .option('--shard <i/n>', 'only search i of a swarm of n (0-based; auto/n reads ORDEAL_SHARD_INDEX or JOB_COMPLETION_INDEX); merge the --json outputs with `ordeal merge`')
    .option('--seed <n>', 'seed of the swarm\'s searches (default 1)', integer('--seed'))
    .option('--out <dir>', 'where counterexample traces are written', COUNTEREXAMPLE_DIR)
    .option('--json', 'print one JSON object on stdout')
    .option('--quiet', 'no progress on stderr (by default a live line on a terminal, else one line every 10 s)')
    .addOption(new Option('--reporter <format>', 'stdout format: text, or junit (JUnit XML, one test case per property); under GitHub Actions a Markdown summary is also appended to $GITHUB_STEP_SUMMARY').choices(['text', 'junit']).default('text'))
    .action(async (model: string, flags: CheckFlags, cmd: Command) => setExit(await checkAction(model, flags, givenBy(cmd))));

  program
    .command('replay')
    .description('re-execute a trace file and confirm its violation at the same step, or say where it diverges')
    .argument('<trace>', 'trace JSON file')
    .option('--json', 'print one JSON object on stdout')
    .action(async (path: string, flags: { json?: boolean }) => setExit(replayCommand(await traceModels(path), path, flags)));

  program
    .command('summary', { isDefault: false })
    .description('check every variant (of the built-in models, or of one model or model file) the way it declares, and compare with the expected verdicts (npm start)')
    .argument('[model]', 'a built-in model\'s name or a path to a module exporting models (default: every built-in model)')
    .option('--model <name>', 'which model of the file, when it exports several (default: all of them)')
    .option('--time-limit <seconds>', 'time limit per variant', integer('--time-limit'), 120)
    .option('--json', 'print JSON rows')
    .action(async (modelArgument: string | undefined, flags: { model?: string; timeLimit: number; json?: boolean }) => {
      const models =
        modelArgument === undefined
          ? builtinModels
          : isModelPath(modelArgument) && flags.model === undefined
          ? (await loadModelFile(modelArgument)).models
          : [(await chooseModel(BUILTINS, modelArgument, flags.model)).model];
      setExit(await summaryCommand(models, flags));
    });

  registerSimulate(program, BUILTINS, setExit, COUNTEREXAMPLE_DIR);
  registerShrink(program, traceModels, setExit);
  registerMerge(program, setExit);
  registerLinearizable(program, setExit);
  registerRender(program, traceModels, setExit);
  registerInit(program, setExit);
  registerExplore(program, setExit);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.pass;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      return benign ? EXIT.pass : EXIT.badInput;
    }
    if (error instanceof InputError) {
      process.stderr.write(`ordeal: ${error.message}\n`);
      return EXIT.badInput;
    }
    if (error instanceof ModelFault) {
      process.stderr.write(`ordeal: model error: ${error.message}\n`);
      return EXIT.modelError;
    }
    throw error;
  }
  return code;
}
