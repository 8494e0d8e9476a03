// Canonical encoding of plain immutable data: the same value always gives the same string,
// whatever the insertion order of object keys, Set elements or Map entries.

export type Plain =
  | null
  | boolean
  | number
  | string
  | undefined
  | readonly Plain[]
  | ReadonlySet<Plain>
  | ReadonlyMap<Plain, Plain>
  | { readonly [key: string]: Plain };

export function canonical(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? String(value) : `f${value}`;
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'T' : 'F';
    case 'undefined':
      return 'U';
    case 'object': {
      if (value === null) return 'N';
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      if (value instanceof Set) return `S{${[...value].map(canonical).sort().join(',')}}`;
      if (value instanceof Map) {
        const entries = [...value].map(([k, v]) => `${canonical(k)}:${canonical(v)}`);
        return `M{${entries.sort().join(',')}}`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical: cannot encode a value of type ${typeof value}`);
  }
}

/**
 * Structural equality of plain data, as `canonical` sees it (key order, Set and Map order ignored):
 * true exactly when the encodings are equal, without making them, and stopping at the first difference.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  // Distinct numbers encode alike only as two NaNs (0 and -0 are === already).
  if (typeof a === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  if (a instanceof Set || a instanceof Map || b instanceof Set || b instanceof Map) return canonical(a) === canonical(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let keys = 0;
  for (const key in ra) {
    if (!Object.hasOwn(rb, key) || !sameValue(ra[key], rb[key])) return false;
    keys++;
  }
  for (const _ in rb) keys--;
  return keys === 0;
}

/** Deep-freeze plain data (tests use it to catch handlers that mutate their input). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const [k, v] of value) (deepFreeze(k), deepFreeze(v));
    else if (value instanceof Set) for (const v of value) deepFreeze(v);
    else for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/** Convert data with Sets and Maps into JSON-friendly data (for traces and display). */
export function toJson(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(toJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toJson(v)]));
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}
