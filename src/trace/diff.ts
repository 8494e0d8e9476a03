// Differences between two state pictures (system.show output), as short readable lines.
// Records compare field by field; arrays of records compare as sets (what was added, removed).
import { canonical } from '../util/canonical.ts';

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
  if (canonical(before) === canonical(after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffPictures(before[k], after[k], path ? `${path}.${k}` : k));
  }
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
