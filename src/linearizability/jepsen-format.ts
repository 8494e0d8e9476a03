// Jepsen's EDN histories: a sequence of operation maps ({:process 3, :type :invoke, :f :write,
// :value 2}), either one collection or one map per line, parsed with edn-data.
//   :invoke opens an operation of its process; the process's next :ok, :fail or :info closes it.
//   :ok   - it took effect; :fail - it did not (dropped, as Knossos does);
//   :info - unknown: it may or may not have taken effect (pending, return = null); so is an
//           :invoke never closed.
// Only integer processes are clients: :nemesis and other named processes are skipped.
// A read that returned nil is no observation (Knossos' convention) and is left out.
// Times are positions in the file (the order Jepsen recorded), as Knossos and Porcupine use them.
// Mapping of :f per spec: register/cas-register :read :write :cas ([from to]); kv :read/:get,
// :write/:put, :append, :cas. A value [k v] (jepsen.independent) puts the operation on key k.
import { parseEDNString } from 'edn-data';
import { HistoryError, type CasInput, type History, type Operation, type OperationName, type SpecName, type Value } from './history.ts';

interface JepsenOp {
  readonly process: unknown;
  readonly type: unknown;
  readonly f: unknown;
  readonly value: unknown;
}

const FUNCTIONS: Readonly<Record<SpecName, Readonly<Record<string, OperationName>>>> = {
  register: { read: 'read', write: 'write' },
  'cas-register': { read: 'read', write: 'write', cas: 'cas' },
  kv: { read: 'get', get: 'get', write: 'put', put: 'put', append: 'append', cas: 'cas' },
  znode: {},
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** EDN integers beyond 2^53 come back as bigint; times and values here fit a double. */
function plain(x: unknown): unknown {
  if (typeof x === 'bigint') return Number(x);
  if (Array.isArray(x)) return x.map(plain);
  return x;
}

function scalar(x: unknown, where: string): Value {
  const v = plain(x);
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw new HistoryError(`${where}: value ${JSON.stringify(v) ?? String(v)} is not nil, a boolean, a number or a string`);
}

function parseForms(text: string): unknown[] {
  let forms: unknown;
  try {
    forms = parseEDNString(`[${text}\n]`, { mapAs: 'object', keywordAs: 'string', listAs: 'array', setAs: 'array', symbolAs: 'string', charAs: 'string' });
  } catch (error) {
    throw new HistoryError(`not a readable EDN history: ${(error as Error).message.split('\n')[0]}`);
  }
  // edn-data returns null rather than throwing for some unbalanced input.
  if (!Array.isArray(forms)) throw new HistoryError('not a readable EDN history: unbalanced brackets or an incomplete form');
  const list = forms as unknown[];
  // One collection of operations, or a sequence of top-level operations.
  return list.length === 1 && Array.isArray(list[0]) ? (list[0] as unknown[]) : list;
}

/** A map, a tagged record (#jepsen.history.Op{...}) or Knossos' [process type f value] tuple. */
function asOperation(form: unknown, position: number): JepsenOp {
  let x = form;
  if (isRecord(x) && 'tag' in x && isRecord(x.val)) x = x.val;
  if (isRecord(x)) return { process: x.process, type: x.type, f: x.f, value: x.value };
  if (Array.isArray(x) && x.length === 4) return { process: x[0], type: x[1], f: x[2], value: x[3] };
  throw new HistoryError(`history entry ${position} is not an operation map`);
}

const isPair = (x: unknown): x is unknown[] => Array.isArray(x) && x.length === 2;

/**
 * Whether values are jepsen.independent [k v] tuples: every invocation's value is a pair, and one
 * of them is not a plain cas (a history of only `:cas [from to]` on one register stays unkeyed).
 */
function isIndependent(invocations: readonly JepsenOp[], spec: SpecName): boolean {
  if (spec === 'kv') return true;
  if (invocations.length === 0 || !invocations.every((op) => isPair(op.value))) return false;
  return invocations.some((op) => String(op.f) !== 'cas' || isPair((op.value as unknown[])[1]));
}

function keyed(value: unknown, independent: boolean, where: string): { key: string | null; value: unknown } {
  if (!independent) return { key: null, value };
  const k = isPair(value) ? plain(value[0]) : undefined;
  if (typeof k !== 'string' && typeof k !== 'number') throw new HistoryError(`${where}: expected a [key value] tuple with a string or integer key`);
  return { key: String(k), value: (value as unknown[])[1] };
}

/** Reads a Jepsen EDN history for `spec`. */
export function historyFromJepsen(text: string, spec: SpecName): History {
  if (spec === 'znode') throw new HistoryError('Jepsen EDN histories are not read for spec znode; write the history in ordeal\'s JSON format');
  const forms = parseForms(text).map((form, position) => asOperation(form, position));
  const clientOps = forms.filter((x) => Number.isInteger(plain(x.process)));
  const independent = isIndependent(clientOps.filter((x) => String(x.type) === 'invoke'), spec);
  const functions = FUNCTIONS[spec];
  const open = new Map<number, { invoke: JepsenOp; time: number }>();
  const operations: (Omit<Operation, 'index'> & { order: number })[] = [];

  const complete = (client: number, invoke: JepsenOp, call: number, ret: number | null, completion: JepsenOp | null, where: string): void => {
    const f = String(invoke.f);
    const op = functions[f];
    if (op === undefined) throw new HistoryError(`${where}: :f :${f} is not an operation of ${spec} (known: ${Object.keys(functions).map((k) => `:${k}`).join(' ')})`);
    const called = keyed(invoke.value, independent, where);
    let input: Value | CasInput = null;
    let output: Value = null;
    if (op === 'read' || op === 'get') {
      if (completion) output = scalar(keyed(completion.value, independent, where).value, where);
      // Knossos' convention: a read that returned nil tells nothing ("nil reads are always legal").
      if (output === null) return;
    } else if (op === 'cas') {
      const pair = plain(called.value);
      if (!Array.isArray(pair) || pair.length !== 2) throw new HistoryError(`${where}: a cas value must be [from to]`);
      input = { from: scalar(pair[0], where), to: scalar(pair[1], where) };
      if (completion) output = true;
    } else {
      input = scalar(called.value, where);
      if (op === 'append' && typeof input !== 'string') throw new HistoryError(`${where}: an append value must be a string`);
    }
    operations.push({ order: call, client, call, return: ret, op, key: called.key, input, output });
  };

  forms.forEach((x, time) => {
    const where = `history entry ${time}`;
    const process = plain(x.process);
    if (typeof process !== 'number' || !Number.isInteger(process)) return; // :nemesis and friends
    const type = String(x.type);
    const pending = open.get(process);
    if (type === 'invoke') {
      if (pending) throw new HistoryError(`${where}: process ${process} invokes again before its entry ${pending.time} completed`);
      open.set(process, { invoke: x, time });
      return;
    }
    if (type !== 'ok' && type !== 'fail' && type !== 'info') throw new HistoryError(`${where}: :type must be :invoke, :ok, :fail or :info, got ${JSON.stringify(x.type)}`);
    if (!pending) {
      if (type === 'info') return; // an :info with no invocation (a note from a client): not an operation
      throw new HistoryError(`${where}: process ${process} completes (:${type}) with no open :invoke`);
    }
    open.delete(process);
    if (String(pending.invoke.f) !== String(x.f)) throw new HistoryError(`${where}: completes :${String(x.f)} but process ${process} invoked :${String(pending.invoke.f)}`);
    if (type === 'fail') return; // did not take effect
    complete(process, pending.invoke, pending.time, type === 'ok' ? time : null, type === 'ok' ? x : null, where);
  });
  for (const [process, { invoke, time }] of open) complete(process, invoke, time, null, null, `history entry ${time}`);
  operations.sort((a, b) => a.order - b.order);
  return { spec, operations: operations.map(({ order: _order, ...op }, index) => ({ ...op, index })) };
}
