// `ordeal linearizable <history>`: reads a JSON or Jepsen EDN history, checks it against a
// sequential spec (register, cas-register, kv, or the znode tree), and prints the verdict (with the explanation and a timeline when it fails).
// The check runs in slices with the event loop free between them, so SIGINT or SIGTERM stops it
// with the partial result (keys decided so far) and exit 3; a second signal exits at once.
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  formatExplanation,
  historyFromJepsen,
  historyFromJson,
  HistoryError,
  LinearizabilityCheck,
  renderFailureTimeline,
  SPEC_NAMES,
  type Explanation,
  type History,
  type LinearizabilityResult,
  type SpecName,
  type StopCause,
  type Value,
} from '../api/linearizable.ts';
import { InputError } from '../api/models.ts';
import { thousands as count } from './format.ts';

const EXIT = { linearizable: 0, notLinearizable: 1, badInput: 2, unknown: 3 } as const;
const FORMATS = ['json', 'jepsen'] as const;
type HistoryFormat = (typeof FORMATS)[number];
/** A Jepsen history's default spec: read/write/cas covers Jepsen's register workloads. */
const JEPSEN_DEFAULT_SPEC: SpecName = 'cas-register';

interface LinearizableFlags {
  spec?: SpecName;
  format?: HistoryFormat;
  initial?: Value;
  json?: boolean;
  timeLimit?: number;
  maxSteps?: number;
  maxMemory?: number;
}

/** Spec applications between two looks at the event loop (signals); a few ms to a few tens of ms. */
const SLICE_STEPS = 20_000;
const MIB = 1024 * 1024;
/** What to raise when a bound stopped the check. */
const HINTS: Readonly<Record<StopCause, string>> = {
  steps: 'raise --max-steps',
  time: 'raise --time-limit',
  memory: "raise --max-memory, and node's heap with NODE_OPTIONS=--max-old-space-size=MiB",
  caller: 'stopped before it decided',
};

const positiveNumber = (what: string) => (text: string): number => {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0)) throw new InvalidArgumentError(`${what} must be a positive number.`);
  return n;
};

const positiveInteger = (what: string) => (text: string): number => {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError(`${what} must be a positive integer.`);
  return Number(text);
};

function initialValue(text: string): Value {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(`must be a JSON scalar such as 0, null, true or '"text"' (quote strings).`);
  }
  if (value !== null && typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
    throw new InvalidArgumentError('must be a JSON scalar (null, a boolean, a number or a string).');
  }
  return value;
}

function readHistory(path: string, flags: LinearizableFlags): History {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const format = flags.format ?? (extname(path).toLowerCase() === '.edn' ? 'jepsen' : 'json');
  try {
    if (format === 'jepsen') return historyFromJepsen(text, flags.spec ?? JEPSEN_DEFAULT_SPEC);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new HistoryError('not valid JSON (for a Jepsen EDN history, give --format jepsen)');
    }
    return historyFromJson(data, flags.spec);
  } catch (error) {
    if (error instanceof HistoryError) throw new InputError(`${path}: ${error.message}`);
    throw error;
  }
}


function summaryLine(result: LinearizabilityResult, spec: SpecName, elapsedMs: number): string {
  const verdict = result.result === 'linearizable' ? 'LINEARIZABLE' : result.result === 'not-linearizable' ? 'NOT LINEARIZABLE' : 'UNKNOWN';
  return (
    `${verdict} (${spec}): ${count(result.operations)} operations, ${count(result.searched)} searched ` +
    `in ${count(result.partitions)} ${result.partitions === 1 ? 'key' : 'keys'}, ${count(result.steps)} steps, ${(elapsedMs / 1000).toFixed(2)}s`
  );
}

function explanationJson(e: Explanation): unknown {
  const op = (o: Explanation['mustPlace']) => ({ index: o.index, client: o.client, op: o.op, key: o.key, input: o.input, output: o.output, call: o.call, return: o.return });
  return {
    key: e.key,
    prefix: e.prefix.map((p) => ({ ...op(p.operation), stateAfter: p.stateAfter })),
    stateAfterPrefix: e.stateAfterPrefix,
    mustPlace: op(e.mustPlace),
    blocked: e.blocked.map((b) => ({ ...op(b.operation), reason: b.reason })),
  };
}

/** Runs the check to its end, or until a signal: a first SIGINT/SIGTERM stops with the partial result, a second exits. */
async function runCheck(check: LinearizabilityCheck): Promise<LinearizabilityResult> {
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted !== null) process.exit(signal === 'SIGTERM' ? 143 : 130);
    interrupted = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (;;) {
      if (interrupted !== null) return check.stop(`interrupted (${interrupted})`);
      const result = check.advance(SLICE_STEPS);
      if (result !== undefined) return result;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function progressLine(result: LinearizabilityResult): string {
  const p = result.progress;
  const keys = `${count(result.decided)} of ${count(result.partitions)} ${result.partitions === 1 ? 'key' : 'keys'} decided linearizable`;
  if (p === undefined || p.deepest === null) return `  so far: ${keys}`;
  const where = p.deepest.key === null ? '' : ` (key ${JSON.stringify(p.deepest.key)})`;
  return (
    `  so far: ${keys}; the furthest undecided search linearised ${count(p.deepest.linearised)} of ${count(p.deepest.of)} operations${where}; ` +
    `memo ${count(p.configurations)} configurations, ${(p.memoryBytes / MIB).toFixed(1)} MiB`
  );
}

async function linearizableAction(path: string, flags: LinearizableFlags): Promise<number> {
  const history = readHistory(path, flags);
  if (flags.initial !== undefined && history.spec === 'kv' && typeof flags.initial !== 'string') {
    throw new InputError('--initial for kv must be a JSON string, such as \'"x"\'');
  }
  if (flags.initial !== undefined && history.spec === 'znode') throw new InputError('--initial does not apply to znode: the tree always starts as just the root /');
  const now = () => performance.now();
  const started = now();
  const check = new LinearizabilityCheck(history, {
    initial: flags.initial,
    maxSteps: flags.maxSteps,
    timeLimitMs: flags.timeLimit === undefined ? undefined : flags.timeLimit * 1000,
    maxMemoryBytes: flags.maxMemory === undefined ? undefined : flags.maxMemory * MIB,
    now,
  });
  const result = await runCheck(check);
  const elapsedMs = now() - started;
  if (flags.json) {
    const json = {
      result: result.result,
      spec: history.spec,
      operations: result.operations,
      searched: result.searched,
      partitions: result.partitions,
      steps: result.steps,
      decided: result.decided,
      elapsedMs: Math.round(elapsedMs * 10) / 10,
      ...(result.reason === undefined ? {} : { reason: result.reason, stoppedBy: result.stoppedBy, progress: result.progress }),
      ...(result.explanation === undefined ? {} : { explanation: explanationJson(result.explanation) }),
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    const lines = [summaryLine(result, history.spec, elapsedMs)];
    if (result.reason) {
      lines.push(`  stopped: ${result.reason}; the history may or may not be linearizable (${HINTS[result.stoppedBy ?? 'caller']})`);
      lines.push(progressLine(result));
    }
    if (result.explanation) lines.push('', formatExplanation(result.explanation), '', renderFailureTimeline(result.explanation));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return result.result === 'linearizable' ? EXIT.linearizable : result.result === 'not-linearizable' ? EXIT.notLinearizable : EXIT.unknown;
}

export function registerLinearizable(program: Command, setExit: (code: number) => void): void {
  program
    .command('linearizable')
    .description('check a history of client operations for linearizability (ordeal JSON or Jepsen EDN; see docs/linearizability.md)')
    .argument('<history>', 'history file (.edn is read as Jepsen EDN, anything else as ordeal JSON, unless --format says)')
    .addOption(new Option('--spec <name>', `sequential spec (JSON: must agree with the file's "spec" or fill in a missing one; Jepsen: default ${JEPSEN_DEFAULT_SPEC})`).choices(SPEC_NAMES))
    .addOption(new Option('--format <format>', 'history format').choices(FORMATS))
    .option('--initial <value>', "starting value of each register or key, as JSON (default null for registers, \"\" for kv; Knossos' tests use 0)", initialValue)
    .option('--time-limit <seconds>', 'stop with exit 3 (unknown) after this many seconds', positiveNumber('--time-limit'))
    .option('--max-steps <n>', 'stop with exit 3 (unknown) after this many spec applications', positiveInteger('--max-steps'))
    .option('--max-memory <MiB>', "stop with exit 3 (unknown) before the search's memo passes this size (default a quarter of node's heap limit)", positiveInteger('--max-memory'))
    .option('--json', 'print one JSON object: result, spec, operations, searched, partitions, steps, decided, elapsedMs (and explanation, or reason, stoppedBy and progress)')
    .addHelpText(
      'after',
      '\nExit codes: 0 linearizable; 1 not linearizable (explanation and timeline printed); 2 bad input; 3 unknown (a bound ran out, or SIGINT/SIGTERM: the keys decided so far are printed; a second signal exits at once).',
    )
    .action(async (path: string, flags: LinearizableFlags) => setExit(await linearizableAction(path, flags)));
}
