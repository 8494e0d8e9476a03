// ordeal's JSON history format (documented in docs/linearizability.md):
//   {"spec": "register" | "cas-register" | "kv",
//    "operations": [{"client": 0, "call": 3, "return": 8, "op": "write", "key": "k", "input": 1, "output": null}]}
// Validated strictly: the first problem found is reported as one line naming the field.
import { HistoryError, SPEC_NAMES, type CasInput, type History, type Operation, type OperationName, type SpecName, type Value } from './history.ts';
import { SPECS } from './specs.ts';

const OPERATION_FIELDS = new Set(['client', 'call', 'return', 'op', 'key', 'input', 'output']);

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isScalar = (x: unknown): x is Value => x === null || typeof x === 'boolean' || typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x));

export function parseSpecName(text: unknown, where: string): SpecName {
  if (typeof text !== 'string' || !(SPEC_NAMES as readonly string[]).includes(text)) {
    throw new HistoryError(`${where} must be one of ${SPEC_NAMES.join(', ')}, got ${JSON.stringify(text)}`);
  }
  return text as SpecName;
}

function scalar(x: unknown, where: string, stringOnly: boolean): Value {
  if (stringOnly ? typeof x !== 'string' : !isScalar(x)) {
    throw new HistoryError(`${where} must be ${stringOnly ? 'a string' : 'null, a boolean, a number or a string'}, got ${JSON.stringify(x) ?? 'nothing'}`);
  }
  return x as Value;
}

function parseOperation(raw: unknown, index: number, spec: SpecName): Operation {
  const at = `operations[${index}]`;
  if (!isRecord(raw)) throw new HistoryError(`${at} must be an object`);
  for (const field of Object.keys(raw)) if (!OPERATION_FIELDS.has(field)) throw new HistoryError(`${at} has an unknown field '${field}'`);
  const { client, call } = raw;
  const ret = raw.return;
  if (!Number.isSafeInteger(client)) throw new HistoryError(`${at}.client must be an integer`);
  if (!Number.isSafeInteger(call)) throw new HistoryError(`${at}.call must be an integer time`);
  if (ret === undefined) throw new HistoryError(`${at}.return is missing (use null for a pending operation)`);
  if (ret !== null && (!Number.isSafeInteger(ret) || (ret as number) < (call as number))) {
    throw new HistoryError(`${at}.return must be null or an integer time >= call (${call as number})`);
  }
  const names = SPECS[spec].operations;
  if (typeof raw.op !== 'string' || !(names as readonly string[]).includes(raw.op)) {
    throw new HistoryError(`${at}.op must be one of ${names.join(', ')} for spec ${spec}, got ${JSON.stringify(raw.op)}`);
  }
  const op = raw.op as OperationName;
  let key: string | null = null;
  if (raw.key !== undefined) {
    if (typeof raw.key !== 'string') throw new HistoryError(`${at}.key must be a string`);
    key = raw.key;
  } else if (SPECS[spec].keyRequired) {
    throw new HistoryError(`${at}.key is missing (every ${spec} operation names its key)`);
  }
  const strings = spec === 'kv';
  const pending = ret === null;
  let input: Value | CasInput = null;
  let output: Value = null;
  switch (op) {
    case 'read':
    case 'get':
      if (raw.input !== undefined && raw.input !== null) throw new HistoryError(`${at}.input must be absent or null for ${op}`);
      if (!pending) {
        if (raw.output === undefined) throw new HistoryError(`${at}.output is missing (the value the ${op} returned)`);
        output = scalar(raw.output, `${at}.output`, strings);
      }
      break;
    case 'write':
    case 'put':
    case 'append':
      input = scalar(raw.input, `${at}.input`, strings);
      break;
    case 'cas': {
      if (!isRecord(raw.input) || !('from' in raw.input) || !('to' in raw.input)) throw new HistoryError(`${at}.input must be {"from": ..., "to": ...} for cas`);
      input = { from: scalar(raw.input.from, `${at}.input.from`, strings), to: scalar(raw.input.to, `${at}.input.to`, strings) };
      if (!pending) {
        if (typeof raw.output !== 'boolean') throw new HistoryError(`${at}.output must be true or false for a completed cas`);
        output = raw.output;
      }
      break;
    }
  }
  return { index, client: client as number, call: call as number, return: ret as number | null, op, key, input, output };
}

/** Reads an already-parsed JSON value as a history; `specOverride` fills in a file without "spec". */
export function historyFromJson(data: unknown, specOverride?: SpecName): History {
  if (!isRecord(data)) throw new HistoryError('a JSON history must be an object {"spec": ..., "operations": [...]}');
  const fileSpec = data.spec === undefined ? undefined : parseSpecName(data.spec, '"spec"');
  if (fileSpec !== undefined && specOverride !== undefined && fileSpec !== specOverride) {
    throw new HistoryError(`the history says spec ${fileSpec} but --spec ${specOverride} was given`);
  }
  const spec = fileSpec ?? specOverride;
  if (spec === undefined) throw new HistoryError('the history has no "spec" (register, cas-register or kv); give one with --spec');
  if (!Array.isArray(data.operations)) throw new HistoryError('"operations" must be an array');
  return { spec, operations: data.operations.map((raw, i) => parseOperation(raw, i, spec)) };
}

/** The JSON form of a history (the inverse of `historyFromJson`). */
export function historyToJson(history: History): unknown {
  return {
    spec: history.spec,
    operations: history.operations.map((op) => ({
      client: op.client,
      call: op.call,
      return: op.return,
      op: op.op,
      ...(op.key === null ? {} : { key: op.key }),
      ...(op.op === 'read' || op.op === 'get' ? {} : { input: op.input }),
      ...(op.op === 'read' || op.op === 'get' || op.op === 'cas' ? { output: op.output } : {}),
    })),
  };
}
