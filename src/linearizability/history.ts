// Concurrent histories: each operation is a call and (unless still pending) a return, with integer
// times. Operation A precedes B in real time only when A returned strictly before B was called;
// equal times count as overlapping (as in Porcupine, which orders calls before returns at a tie).

/** The values a register or a kv key holds: JSON scalars. */
export type Value = null | boolean | number | string;

export const SPEC_NAMES = ['register', 'cas-register', 'kv', 'znode'] as const;
export type SpecName = (typeof SPEC_NAMES)[number];

export const OPERATION_NAMES = ['read', 'write', 'cas', 'get', 'put', 'append', 'create', 'getData', 'setData', 'delete'] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/** The input of a compare-and-set: set to `to` if the value equals `from`. */
export interface CasInput {
  readonly from: Value;
  readonly to: Value;
}

/**
 * The input of a znode operation: create `{path, data, sequential}`, setData `{path, data,
 * version}`, delete `{path, version}`; getData takes only `{path}`. `version` null: unconditional.
 */
export interface ZnodeInput {
  readonly path: string;
  readonly data?: string;
  readonly sequential?: boolean;
  readonly version?: number | null;
}

export interface Operation {
  /** Position in the history as given (0-based); explanations cite it. */
  readonly index: number;
  readonly client: number;
  readonly call: number;
  /** `null`: pending (no reply seen); the operation may or may not have taken effect. */
  readonly return: number | null;
  readonly op: OperationName;
  /** The key of a kv operation (or of an independent register, as Jepsen's `[k v]` tuples). */
  readonly key: string | null;
  /** write/put/append: the value; cas: `{from, to}`; read/get: null; znode operations: a ZnodeInput. */
  readonly input: Value | CasInput | ZnodeInput;
  /**
   * read/get: the value seen; cas: true if it matched and set; write/put/append: null; znode
   * operations: the reply (created path, data, new version, true, or an error name). Unknown when pending.
   */
  readonly output: Value;
}

export interface History {
  readonly spec: SpecName;
  readonly operations: readonly Operation[];
}

export const isPending = (op: Operation): boolean => op.return === null;

/** Thrown by the history readers for input that is not a valid history; the message is one line. */
export class HistoryError extends Error {}

/** One-line rendering of an operation, e.g. `read -> 3`, `cas x 1->2 -> false`, `put k "a"`. */
export function describeOperation(op: Operation): string {
  const key = op.key === null ? '' : ` ${JSON.stringify(op.key)}`;
  const show = (v: Value): string => JSON.stringify(v);
  let text: string;
  switch (op.op) {
    case 'read':
    case 'get':
      text = `${op.op}${key}`;
      return op.return === null ? `${text} -> ?` : `${text} -> ${show(op.output)}`;
    case 'write':
    case 'put':
    case 'append':
      text = `${op.op}${key} ${show(op.input as Value)}`;
      break;
    case 'cas': {
      const input = op.input as CasInput;
      text = `cas${key} ${show(input.from)}->${show(input.to)}`;
      return op.return === null ? `${text} -> ?` : `${text} -> ${show(op.output)}`;
    }
    case 'create':
    case 'getData':
    case 'setData':
    case 'delete': {
      const z = op.input as ZnodeInput;
      const flags = `${z.sequential ? ' -s' : ''}`;
      const data = z.data === undefined ? '' : ` ${show(z.data)}`;
      const version = z.version === undefined || z.version === null ? '' : ` v${z.version}`;
      text = `${op.op}${flags} ${z.path}${data}${version}`;
      return op.return === null ? `${text} -> ?` : `${text} -> ${show(op.output)}`;
    }
  }
  return op.return === null ? `${text} (pending)` : text;
}

/** `[call, return]` with `∞` for a pending operation. */
export const describeTimes = (op: Operation): string => `[${op.call}, ${op.return === null ? '∞' : op.return}]`;
