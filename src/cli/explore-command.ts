// `ordeal explore <model|file.ts|trace.json> [trace.json]`: walk a model's state space by hand in
// the browser. Builds an ExploreSession (src/api/explore.ts), serves it on 127.0.0.1
// (explore-server.ts) and prints the URL with its per-run token; runs until Ctrl-C or SIGTERM.
import { InvalidArgumentError, type Command } from 'commander';
import { builtinModels } from '../../models/index.ts';
import { ExploreSession, type SearchSummary, type SessionOptions } from '../api/explore.ts';
import { InputError, parseTrace, TraceFormatError, type ModelDefinition, type Trace } from '../api/models.ts';
import { readJsonFile } from './files.ts';
import { chooseModel, modelsForTrace, pickModel } from './model-file.ts';
import { startExploreServer, type RunningExplorer } from './explore-server.ts';
import { startStopping } from './stopping.ts';
import { collect } from './run-flags.ts';
import { BUILTIN_MODELS_MODULE } from '../api/models.ts';

export interface ExploreFlags {
  model?: string;
  variant?: string;
  param: string[];
  network?: string;
  crashes?: number;
  partitions?: number;
  drops?: number;
  duplicates?: number;
  port?: number;
  out?: string;
  step?: number;
}

const integer = (what: string, max = Number.MAX_SAFE_INTEGER) => (text: string): number => {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new InvalidArgumentError(`${what} must be an integer from 0 to ${max}.`);
  return Number(text);
};

function readTraceFile(path: string): Trace {
  try {
    return parseTrace(readJsonFile(path));
  } catch (error) {
    if (error instanceof TraceFormatError) throw new InputError(`${path}: ${error.message}`);
    throw error;
  }
}

/** The session and model file the arguments name: a model (and a trace of it), or a trace alone. */
export async function sessionFor(first: string, tracePath: string | undefined, flags: ExploreFlags): Promise<{ session: ExploreSession; file: { path: string; sha256: string } | null }> {
  const runFlags = {
    variant: flags.variant,
    params: flags.param,
    network: flags.network as SessionOptions['network'],
    crashes: flags.crashes,
    partitions: flags.partitions,
    drops: flags.drops,
    duplicates: flags.duplicates,
    step: flags.step,
  };
  if (first.endsWith('.json') && tracePath === undefined) {
    const trace = readTraceFile(first);
    const { models, file } = await modelsForTrace(builtinModels, trace, first);
    const model: ModelDefinition = pickModel(models.filter((m) => m.name === trace.model.name), first, undefined);
    return { session: new ExploreSession(model, { trace, step: flags.step }), file };
  }
  const chosen = await chooseModel({ models: builtinModels, module: BUILTIN_MODELS_MODULE }, first, flags.model);
  const trace = tracePath === undefined ? undefined : readTraceFile(tracePath);
  try {
    return { session: new ExploreSession(chosen.model, { ...runFlags, trace }), file: chosen.file };
  } catch (error) {
    // The session words its errors for the library (`explore: ...`); the command line drops the prefix.
    if (error instanceof InputError) throw new InputError(error.message.replace(/^explore: /, ''));
    throw error;
  }
}

/**
 * Serve until SIGINT or SIGTERM. A search running in the server holds the event loop, so the
 * signal is read by the search itself (stopping.ts): it ends with its partial result, which the
 * page receives and this prints, and the command exits 3; an idle server stops with 0.
 */
async function exploreAction(first: string, tracePath: string | undefined, flags: ExploreFlags): Promise<number> {
  const { session, file } = await sessionFor(first, tracePath, flags);
  let stopRequested: (name: string) => void = () => {};
  const requested = new Promise<string>((done) => (stopRequested = done));
  const stopping = await startStopping((name) => stopRequested(name));
  let interrupted: SearchSummary | null = null;
  const onSearch = (summary: SearchSummary): void => {
    if (summary.reasons.some((r) => r.startsWith('interrupted'))) interrupted = summary;
  };
  try {
    const server: RunningExplorer = await startExploreServer({ session, port: flags.port, outDir: flags.out ?? null, modelFile: file, signal: stopping.signal, onSearch });
    process.stdout.write(
      `ordeal explore: ${session.model.name} [${session.variant}], ${session.length} step${session.length === 1 ? '' : 's'} loaded\n` +
        `open ${server.url}\n` +
        `(the token in the URL is this run's key; Ctrl-C stops the server, and a search running in it with its partial result)\n`,
    );
    const name = await requested;
    await server.close();
    const s = interrupted as SearchSummary | null;
    if (s === null) return 0;
    process.stdout.write(
      `ordeal explore: ${name}: the search from step ${s.from} stopped with its partial result: ` +
        `${s.distinctStates.toLocaleString('en-US')} distinct states, depth ${s.depth}, no violation found so far\n`,
    );
    return 3;
  } finally {
    await stopping.dispose();
  }
}

export function registerExplore(program: Command, setExit: (code: number) => void): void {
  program
    .command('explore')
    .description('walk a model\'s state space in the browser: take events by hand, go back, fork, search from any state, save the path as a trace')
    .argument('<model>', 'a built-in model, a model file (.ts or .js), or a trace file (.json) to open')
    .argument('[trace]', 'a trace of the model to open (from check, simulate or a test)')
    .option('--model <name>', 'which model of the file, when it exports several')
    .option('--variant <name>', 'variant to explore (default: default; a trace brings its own)')
    .option('-p, --param <name=value>', 'set a model parameter (repeatable)', collect, [])
    .option('--network <kind>', 'network semantics for actor models: set, unordered, fifo or tcp')
    .option('--crashes <k>', 'crash budget (actor models)', integer('--crashes'))
    .option('--partitions <k>', 'partition budget (actor models)', integer('--partitions'))
    .option('--drops <k>', 'message-drop budget (actor models)', integer('--drops'))
    .option('--duplicates <k>', 'message-duplication budget (actor models)', integer('--duplicates'))
    .option('--step <n>', 'open the trace at this step (default: its last)', integer('--step'))
    .option('--port <port>', 'listen on this port of 127.0.0.1 (default: a free one)', integer('--port', 65535))
    .option('--out <dir>', 'where the page may save traces (POST /api/save writes only there); without it, download only')
    .addHelpText(
      'after',
      '\nThe server answers on 127.0.0.1 only, to requests that carry the token it prints (see docs/explore.md).\n' +
        'Example: ordeal explore reports/counterexamples/zab.zk-2845....json --out reports/explored',
    )
    .action(async (first: string, trace: string | undefined, flags: ExploreFlags) => setExit(await exploreAction(first, trace, flags)));
}
