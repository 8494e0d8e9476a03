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
    // Same-length arrays of untyped records (per-node state) compare by index; anything else
    // (message sets, lists that grew or shrank) compares as a multiset.
    const byIndex = before.length === after.length && before.every((x, i) => !(isRecord(x) && 'type' in x) && !(isRecord(after[i]) && 'type' in (after[i] as object)));
    if (!byIndex) {
      const b = new Set(before.map(canonical));
      const a = new Set(after.map(canonical));
      const added = after.filter((x) => !b.has(canonical(x))).map((x) => `+ ${path} ${short(x)}`);
      const removed = before.filter((x) => !a.has(canonical(x))).map((x) => `- ${path} ${short(x)}`);
      return [...removed, ...added];
    }
    return before.flatMap((x, i) => diffPictures(x, after[i], `${path}[${i}]`));
  }
  return [`  ${path}: ${short(before)} -> ${short(after)}`];
}
