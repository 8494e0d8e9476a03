// Compact history builders for tests: op(client, call, return, 'write', 1) and friends.
import type { CasInput, History, Operation, OperationName, SpecName, Value } from '../../src/linearizability/index.ts';

export interface OpSketch {
  client: number;
  call: number;
  return: number | null;
  op: OperationName;
  key?: string;
  input?: Value | CasInput;
  output?: Value;
}

export const write = (client: number, call: number, ret: number | null, value: Value): OpSketch => ({ client, call, return: ret, op: 'write', input: value });
export const read = (client: number, call: number, ret: number | null, value: Value): OpSketch => ({ client, call, return: ret, op: 'read', output: value });
export const cas = (client: number, call: number, ret: number | null, from: Value, to: Value, ok: boolean | null): OpSketch => ({ client, call, return: ret, op: 'cas', input: { from, to }, output: ok });

export function history(spec: SpecName, sketches: readonly OpSketch[]): History {
  const operations: Operation[] = sketches.map((s, index) => ({
    index,
    client: s.client,
    call: s.call,
    return: s.return,
    op: s.op,
    key: s.key ?? null,
    input: s.input ?? null,
    output: s.return === null ? null : (s.output ?? null),
  }));
  return { spec, operations };
}
