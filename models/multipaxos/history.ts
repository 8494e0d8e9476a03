// The clients' history: the client node records each call and return as it happens, and the
// linearizability checker judges it. The node's local order is a real-time order consistent with
// every call and return, so an entry's position serves as its time.
import { checkLinearizability, describeOperation, type Explanation, type History, type LinearizabilityResult, type Operation, type Value } from '../../src/index.ts';
import { KEY, WORKLOAD } from './kv.ts';
import type { Command } from './types.ts';

export const callEntry = (id: Command): string => `call ${id}`;
export const returnEntry = (id: Command, output: Value): string => `return ${id} ${JSON.stringify(output)}`;

/** Whether operation `id` was called, and whether it returned. */
export function statusOf(history: readonly string[], id: Command): 'not called' | 'pending' | 'returned' {
  const call = callEntry(id);
  const ret = `return ${id} `;
  if (history.some((e) => e.startsWith(ret))) return 'returned';
  return history.includes(call) ? 'pending' : 'not called';
}

/** The history as the checker reads it: times are positions in the client node's record. */
export function historyOf(entries: readonly string[]): History {
  const operations: Operation[] = [];
  const byId = new Map<Command, number>();
  entries.forEach((entry, time) => {
    const [kind, idText, ...rest] = entry.split(' ');
    const id = Number(idText);
    if (kind === 'call') {
      const w = WORKLOAD[id];
      byId.set(id, operations.length);
      operations.push({
        index: operations.length, client: id, call: time, return: null, op: w.op, key: KEY,
        input: w.op === 'get' ? null : w.op === 'put' ? w.value : { from: w.from, to: w.to },
        output: null,
      });
    } else {
      const at = byId.get(id)!;
      operations[at] = { ...operations[at], return: time, output: JSON.parse(rest.join(' ')) as Value };
    }
  });
  return { spec: 'kv', operations };
}

/** The checker's explanation on one line: the longest linearisable prefix and what blocks the rest. */
function whyNot(e: Explanation): string {
  const op = (o: Explanation['mustPlace']) => `#${o.index} ${describeOperation(o)}`;
  const prefix = e.prefix.length === 0 ? 'no operation' : e.prefix.map((p) => op(p.operation)).join(', ');
  const blocked = e.blocked.map((b) => `${op(b.operation)}: ${b.reason}`).join('; ');
  return `after ${prefix} (the key holds ${JSON.stringify(e.stateAfterPrefix)}), ${op(e.mustPlace)} had to take effect by its return (entry ${e.mustPlace.return}) but nothing can come next: ${blocked}`;
}

/** Verdicts by history text: exhaustive search meets the same few histories in many states. */
const verdicts = new Map<string, true | string>();
const VERDICTS_MAX = 100_000;

/**
 * True when the history (pending operations included, as pending) is linearizable, else the
 * checker's explanation: the longest linearisable prefix and why nothing can come next.
 */
export function linearizableOrWhy(entries: readonly string[]): true | string {
  const key = entries.join('|');
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const result = checkLinearizability(historyOf(entries));
    verdict = result.result !== 'not-linearizable' ? true : result.explanation ? whyNot(result.explanation) : 'not linearizable';
    if (verdicts.size >= VERDICTS_MAX) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** Whether the history (pending operations included, as pending) is linearizable. */
export const isLinearizable = (entries: readonly string[]): boolean => linearizableOrWhy(entries) === true;

/** The checker's full answer, for explanations and tests. */
export const judge = (entries: readonly string[]): LinearizabilityResult => checkLinearizability(historyOf(entries));
