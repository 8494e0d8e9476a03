// The replicated object: one key of a kv store, and the workload the logical clients run against
// it. The replica's state machine and the linearizability checker's kv spec must agree on what
// each operation does; the test "kv.ts agrees with the checker's kv spec" holds them together.
import type { Value } from '../../src/index.ts';
import type { Command } from './types.ts';

/** The key every operation uses (one key keeps the state space small; the checker splits by key). */
export const KEY = 'k';

export type KvOperation =
  | { readonly op: 'get' }
  | { readonly op: 'put'; readonly value: string }
  | { readonly op: 'cas'; readonly from: string; readonly to: string };

/**
 * The workload: operation i is run by logical client i. The `operations` parameter takes the first
 * ones. A cas first (its output tells whether it took effect, so applying it twice shows), then a
 * get that can see it, then a put.
 */
export const WORKLOAD: readonly KvOperation[] = [
  { op: 'cas', from: '', to: '1' },
  { op: 'get' },
  { op: 'put', value: '2' },
];

/** What operation `op` does to `value`: the new value and the output the client gets. */
export function applyOperation(value: string, op: KvOperation): { readonly value: string; readonly output: Value } {
  switch (op.op) {
    case 'get':
      return { value, output: value };
    case 'put':
      return { value: op.value, output: null };
    case 'cas':
      return value === op.from ? { value: op.to, output: true } : { value, output: false };
  }
}

export function describeOperation(op: KvOperation): string {
  switch (op.op) {
    case 'get':
      return `get ${KEY}`;
    case 'put':
      return `put ${KEY} ${JSON.stringify(op.value)}`;
    case 'cas':
      return `cas ${KEY} ${JSON.stringify(op.from)}->${JSON.stringify(op.to)}`;
  }
}

export const describeCommand = (command: Command): string => (command < 0 ? 'noop' : `#${command} ${describeOperation(WORKLOAD[command])}`);
