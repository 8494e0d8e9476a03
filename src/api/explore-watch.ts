// Watch expressions of `ordeal explore`: a small path language over a state's picture (what
// `system.show` gives: `{nodes: {name: {durable, volatile, timers, up}}, inFlight: [...]}` for an
// actor world), evaluated at every step as TLC's trace expressions are. Parsed here, never eval'd:
//
//   nodes.s0.volatile.role.phase      a field by name
//   nodes[1].durable.currentEpoch     an element by position (of a list, or of a record's values)
//   nodes["a b"].up                   a field whose name is not an identifier
//   nodes.*.durable.currentEpoch      every element: a record (or list) of the rest of the path
//   inFlight.length                   a list's or string's length, a record's number of fields
//
// Only own fields of the plain JSON picture are read; a missing field gives undefined.
import { InputError } from '../model/resolve.ts';

/** The longest watch expression, in characters, and the most segments after the first. */
export const MAX_WATCH_CHARS = 200;
export const MAX_WATCH_SEGMENTS = 32;

/** A step of a path: a field name, a position, or every element. */
type Segment = { readonly kind: 'field'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'all' };

export interface WatchExpression {
  readonly source: string;
  readonly segments: readonly Segment[];
}

/** A malformed expression: bad input, as the command line and the server report it. */
export class WatchSyntaxError extends InputError {}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/** Parse a watch expression; a WatchSyntaxError says where it is wrong. */
export function parseWatch(input: string): WatchExpression {
  if (typeof input !== 'string') throw new WatchSyntaxError('a watch expression is a string');
  const source = input.trim();
  if (source.length === 0) throw new WatchSyntaxError('empty watch expression');
  if (source.length > MAX_WATCH_CHARS) throw new WatchSyntaxError(`a watch expression has at most ${MAX_WATCH_CHARS} characters`);
  const segments: Segment[] = [];
  let at = 0;
  const fail = (what: string): never => {
    throw new WatchSyntaxError(`${what} at character ${at + 1} of ${JSON.stringify(source)}`);
  };
  const field = (): void => {
    if (source[at] === '*') {
      segments.push({ kind: 'all' });
      at++;
      return;
    }
    const match = IDENT.exec(source.slice(at));
    if (!match) fail('expected a field name or *');
    segments.push({ kind: 'field', name: match![0] });
    at += match![0].length;
  };
  field();
  while (at < source.length) {
    if (segments.length > MAX_WATCH_SEGMENTS) fail(`more than ${MAX_WATCH_SEGMENTS} segments`);
    const c = source[at];
    if (c === '.') {
      at++;
      field();
    } else if (c === '[') {
      const close = source.indexOf(']', at);
      if (close < 0) fail('unclosed [');
      const inner = source.slice(at + 1, close).trim();
      if (inner === '*') segments.push({ kind: 'all' });
      else if (/^\d{1,6}$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else if (/^"[^"\\]*"$/.test(inner)) segments.push({ kind: 'field', name: inner.slice(1, -1) });
      else fail('expected [n], ["name"] or [*]');
      at = close + 1;
    } else {
      fail(`unexpected ${JSON.stringify(c)}`);
    }
  }
  return { source, segments };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stepInto(value: unknown, segment: Segment): unknown {
  if (segment.kind === 'field') {
    if (segment.name === 'length') {
      if (Array.isArray(value) || typeof value === 'string') return value.length;
      if (isRecord(value) && !Object.hasOwn(value, 'length')) return Object.keys(value).length;
    }
    return isRecord(value) && Object.hasOwn(value, segment.name) ? value[segment.name] : undefined;
  }
  if (segment.kind === 'index') {
    if (Array.isArray(value)) return value[segment.index];
    return isRecord(value) ? Object.values(value)[segment.index] : undefined;
  }
  return value;
}

/** Follow `segments` from `value`: a fan-out (`*`) maps the rest over every element. No recursion on the data's depth beyond the path's. */
function follow(value: unknown, segments: readonly Segment[], from: number): unknown {
  let current = value;
  for (let i = from; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === 'all') {
      if (Array.isArray(current)) return current.map((x) => follow(x, segments, i + 1));
      if (isRecord(current)) return Object.fromEntries(Object.entries(current).map(([k, x]) => [k, follow(x, segments, i + 1)]));
      return undefined;
    }
    current = stepInto(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The expression's value in a state picture (undefined where the path leads nowhere). */
export function evaluateWatch(expression: WatchExpression, picture: unknown): { value: unknown; error: string | null } {
  try {
    return { value: follow(picture, expression.segments, 0), error: null };
  } catch (error) {
    return { value: undefined, error: (error as Error).message };
  }
}
