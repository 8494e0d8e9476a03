// ordeal's JSON history format (documented in docs/linearizability.md):
//   {"spec": "register" | "cas-register" | "kv" | "znode",
//    "operations": [{"client": 0, "call": 3, "return": 8, "op": "write", "key": "k", "input": 1, "output": null}]}
// Validated strictly: the first problem found is reported as one line naming the field.
import { HistoryError, SPEC_NAMES, type CasInput, type History, type Operation, type OperationName, type SpecName, type Value, type ZnodeInput } from './history.ts';
import { SPECS } from './specs.ts';
import { ZNODE_ERRORS } from './znode.ts';

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

/** A znode path: `/`, or `/` followed by non-empty names separated by single slashes. */
function znodePath(x: unknown, where: string, sequential = false): string {
  // A sequential create may end in '/': its name is the counter alone (/q/ -> /q/0000000000).
  const checked = typeof x === 'string' && sequential ? `${x}0` : x;
  if (typeof checked !== 'string' || !(checked === '/' || /^(\/[^/]+)+$/.test(checked))) {
    throw new HistoryError(`${where} must be a znode path such as "/" or "/a/b", got ${JSON.stringify(x) ?? 'nothing'}`);
  }
  return x as string;
}

function znodeVersion(x: unknown, where: string): number | null {
  if (x === undefined || x === null) return null;
  if (!Number.isSafeInteger(x) || (x as number) < -1) throw new HistoryError(`${where} must be an integer >= -1 (-1 or absent: any version), got ${JSON.stringify(x)}`);
  return x as number;
}

/** The input of a znode operation: a path, or an object with only the fields `allowed`. */
function znodeInput(raw: unknown, at: string, op: OperationName): ZnodeInput {
  const allowed: Readonly<Record<string, readonly string[]>> = {
    create: ['path', 'data', 'sequential'],
    getData: ['path'],
    setData: ['path', 'data', 'version'],
    delete: ['path', 'version'],
  };
  if (typeof raw === 'string' && (op === 'getData' || op === 'delete')) return op === 'delete' ? { path: deletable(znodePath(raw, `${at}.input`), at) } : { path: znodePath(raw, `${at}.input`) };
  if (!isRecord(raw)) {
    throw new HistoryError(`${at}.input must be ${op === 'getData' ? 'a path' : op === 'delete' ? 'a path or {"path", "version"}' : `{${allowed[op].map((f) => `"${f}"`).join(', ')}}`} for ${op}`);
  }
  for (const field of Object.keys(raw)) if (!allowed[op].includes(field)) throw new HistoryError(`${at}.input has an unknown field '${field}' for ${op}`);
  if (raw.sequential !== undefined && typeof raw.sequential !== 'boolean') throw new HistoryError(`${at}.input.sequential must be true or false`);
  const sequential = raw.sequential === true;
  const path = znodePath(raw.path, `${at}.input.path`, sequential);
  if (op === 'getData') return { path };
  if (op === 'delete') return { path: deletable(path, at), version: znodeVersion(raw.version, `${at}.input.version`) };
  if (typeof raw.data !== 'string') throw new HistoryError(`${at}.input.data must be a string`);
  if (op === 'create') return { path, data: raw.data, sequential };
  return { path, data: raw.data, version: znodeVersion(raw.version, `${at}.input.version`) };
}

function deletable(path: string, at: string): string {
  if (path === '/') throw new HistoryError(`${at}: the root / cannot be deleted`);
  return path;
}

/** A completed znode operation's reply: checked against what the operation can return. */
function znodeOutput(raw: unknown, at: string, op: OperationName): Value {
  const errors: Readonly<Record<string, readonly string[]>> = {
    create: ['NodeExists', 'NoNode'],
    getData: ['NoNode'],
    setData: ['NoNode', 'BadVersion'],
    delete: ['NoNode', 'NotEmpty', 'BadVersion'],
  };
  const ok = op === 'create' || op === 'getData' ? typeof raw === 'string' : op === 'setData' ? Number.isSafeInteger(raw) && (raw as number) >= 1 : raw === true;
  const isError = typeof raw === 'string' && (ZNODE_ERRORS as readonly string[]).includes(raw);
  if ((!ok && !isError) || (isError && !errors[op].includes(raw as string))) {
    const success = op === 'create' ? 'the created path' : op === 'getData' ? 'the data' : op === 'setData' ? 'the new version (an integer >= 1)' : 'true';
    throw new HistoryError(`${at}.output must be ${success} or one of ${errors[op].map((e) => JSON.stringify(e)).join(', ')} for ${op}, got ${JSON.stringify(raw) ?? 'nothing'}`);
  }
  return raw as Value;
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
    if (spec === 'znode') throw new HistoryError(`${at}.key is not allowed for znode (the tree is one object; the path goes in input)`);
  } else if (SPECS[spec].keyRequired) {
    throw new HistoryError(`${at}.key is missing (every ${spec} operation names its key)`);
  }
  const strings = spec === 'kv';
  const pending = ret === null;
  let input: Value | CasInput | ZnodeInput = null;
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
    case 'create':
    case 'getData':
    case 'setData':
    case 'delete':
      input = znodeInput(raw.input, at, op);
      if (!pending) output = znodeOutput(raw.output, at, op);
      break;
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
  if (spec === undefined) throw new HistoryError(`the history has no "spec" (${SPEC_NAMES.join(', ')}); give one with --spec`);
  if (!Array.isArray(data.operations)) throw new HistoryError('"operations" must be an array');
  return { spec, operations: data.operations.map((raw, i) => parseOperation(raw, i, spec)) };
}

const isZnode = (op: Operation): boolean => op.op === 'create' || op.op === 'getData' || op.op === 'setData' || op.op === 'delete';

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
      ...(op.op === 'read' || op.op === 'get' ? {} : { input: op.op === 'getData' ? (op.input as ZnodeInput).path : op.input }),
      ...(op.op === 'read' || op.op === 'get' || op.op === 'cas' || isZnode(op) ? { output: op.output } : {}),
    })),
  };
}
