// Differences between two state pictures (system.show output), as short readable lines.
// Records compare field by field; arrays of records compare as sets (what was added, removed).
// A record that changes shape (a node's volatile state of another role) is one line: the field that
// tells the shapes apart, old -> new, then the new record's other fields; a field that appears or
// disappears is a `+` or `-` line, as set elements are.
import { canonical, sameValue } from '../util/canonical.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function short(value: unknown): string {
  if (isRecord(value)) {
    const { type, ...rest } = value;
    const body = Object.entries(rest).map(([k, v]) => `${k}=${short(v)}`).join(' ');
    return type === undefined ? `{${body}}` : `${String(type)}(${body})`;
  }
  if (Array.isArray(value)) return `[${value.map(short).join(', ')}]`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function diffPictures(before: unknown, after: unknown, path = ''): string[] {
  if (sameValue(before, after)) return [];
  if (isRecord(before) && isRecord(after)) return recordDiff(before, after, path);
  if (Array.isArray(before) && Array.isArray(after)) {
    // Same-length arrays of untyped records or numbers (per-node state) compare by index; anything
    // else (message sets, strings, lists that grew or shrank) compares as a multiset.
    const positional = (x: unknown) => typeof x === 'number' || (isRecord(x) && !('type' in x));
    const byIndex = before.length === after.length && before.every(positional) && after.every(positional);
    if (!byIndex) return multisetDiff(before, after, path);
    return before.flatMap((x, i) => diffPictures(x, after[i], `${path}[${i}]`));
  }
  return [`  ${path}: ${short(before)} -> ${short(after)}`];
}

/**
 * The field that tells two shapes of a record apart, when the record changed shape: its fields
 * differ, and a string field both have changed value (Zab's `role.state`, a `role` or `kind`).
 */
function discriminant(before: Record<string, unknown>, after: Record<string, unknown>): string | null {
  const beforeKeys = Object.keys(before);
  const afterKeys = Object.keys(after);
  const sameFields = beforeKeys.length === afterKeys.length && beforeKeys.every((k) => k in after);
  if (sameFields) return null;
  return afterKeys.find((k) => k in before && typeof before[k] === 'string' && typeof after[k] === 'string' && before[k] !== after[k]) ?? null;
}

function recordDiff(before: Record<string, unknown>, after: Record<string, unknown>, path: string): string[] {
  const tag = discriminant(before, after);
  if (tag !== null) {
    const rest = Object.entries(after).filter(([k]) => k !== tag).map(([k, v]) => `${k}=${short(v)}`);
    return [`  ${path || tag}: ${String(before[tag])} -> ${String(after[tag])} {${rest.join(' ')}}`];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((k) => {
    const at = path ? `${path}.${k}` : k;
    if (!(k in after)) return [`- ${at} ${short(before[k])}`];
    if (!(k in before)) return [`+ ${at} ${short(after[k])}`];
    return diffPictures(before[k], after[k], at);
  });
}

/** What was removed and what was added, counting copies (a duplicated message shows once more). */
function multisetDiff(before: unknown[], after: unknown[], path: string): string[] {
  const counts = new Map<string, { value: unknown; n: number }>();
  for (const x of before) {
    const k = canonical(x);
    counts.set(k, { value: x, n: (counts.get(k)?.n ?? 0) + 1 });
  }
  for (const x of after) {
    const k = canonical(x);
    counts.set(k, { value: x, n: (counts.get(k)?.n ?? 0) - 1 });
  }
  const removed: string[] = [];
  const added: string[] = [];
  for (const { value, n } of counts.values()) {
    for (let i = 0; i < n; i++) removed.push(`- ${path} ${short(value)}`);
    for (let i = 0; i < -n; i++) added.push(`+ ${path} ${short(value)}`);
  }
  return [...removed, ...added];
}
