// `ordeal linearizable <history>`: reads a JSON or Jepsen EDN history, checks it against a
// sequential spec (register, cas-register, kv, or the znode tree), and prints the verdict (with the explanation and a timeline when it fails).
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  checkLinearizability,
  formatExplanation,
  historyFromJepsen,
  historyFromJson,
  HistoryError,
  renderFailureTimeline,
  SPEC_NAMES,
  type Explanation,
  type History,
  type LinearizabilityResult,
  type SpecName,
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
}

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

function linearizableAction(path: string, flags: LinearizableFlags): number {
  const history = readHistory(path, flags);
  if (flags.initial !== undefined && history.spec === 'kv' && typeof flags.initial !== 'string') {
    throw new InputError('--initial for kv must be a JSON string, such as \'"x"\'');
  }
  if (flags.initial !== undefined && history.spec === 'znode') throw new InputError('--initial does not apply to znode: the tree always starts as just the root /');
  const now = () => performance.now();
  const started = now();
  const result = checkLinearizability(history, {
    initial: flags.initial,
    maxSteps: flags.maxSteps,
    timeLimitMs: flags.timeLimit === undefined ? undefined : flags.timeLimit * 1000,
    now,
  });
  const elapsedMs = now() - started;
  if (flags.json) {
    const json = {
      result: result.result,
      spec: history.spec,
      operations: result.operations,
      searched: result.searched,
      partitions: result.partitions,
      steps: result.steps,
      elapsedMs: Math.round(elapsedMs * 10) / 10,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
      ...(result.explanation === undefined ? {} : { explanation: explanationJson(result.explanation) }),
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else {
    const lines = [summaryLine(result, history.spec, elapsedMs)];
    if (result.reason) lines.push(`  stopped: ${result.reason}; the history may or may not be linearizable (raise --time-limit or --max-steps)`);
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
    .option('--json', 'print one JSON object: result, spec, operations, searched, partitions, steps, elapsedMs (and explanation or reason)')
    .addHelpText('after', '\nExit codes: 0 linearizable; 1 not linearizable (explanation and timeline printed); 2 bad input; 3 unknown (a budget ran out).')
    .action((path: string, flags: LinearizableFlags) => setExit(linearizableAction(path, flags)));
}
