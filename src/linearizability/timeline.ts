// A text timeline of operations per client: one line per operation, its interval drawn on a
// shared, rank-compressed time axis (only the order of times matters for linearizability).
import type { Explanation } from './check.ts';
import { describeOperation, describeTimes, type Operation } from './history.ts';

/** Widest the drawn axis gets, in characters. */
const AXIS_WIDTH_MAX = 48;
/** Most operations a failure's timeline shows (those nearest the failure). */
export const TIMELINE_OPERATIONS_MAX = 40;

export interface TimelineMarks {
  /** Text appended to an operation's line, by operation index. */
  readonly notes?: ReadonlyMap<number, string>;
}

export function renderTimeline(operations: readonly Operation[], marks: TimelineMarks = {}): string {
  if (operations.length === 0) return '(no operations)';
  const times = [...new Set(operations.flatMap((op) => (op.return === null ? [op.call] : [op.call, op.return])))].sort((a, b) => a - b);
  const rank = new Map(times.map((t, i) => [t, i]));
  const columns = Math.min(AXIS_WIDTH_MAX, Math.max(2, times.length * 2));
  const column = (t: number): number => (times.length === 1 ? 0 : Math.round((rank.get(t)! * (columns - 1)) / (times.length - 1)));
  const byClient = new Map<number, Operation[]>();
  for (const op of [...operations].sort((a, b) => a.client - b.client || a.call - b.call || a.index - b.index)) {
    const list = byClient.get(op.client);
    if (list) list.push(op);
    else byClient.set(op.client, [op]);
  }
  const indexWidth = String(Math.max(...operations.map((op) => op.index))).length + 1;
  const lines = [`time ${times[0]} .. ${times[times.length - 1]} (${times.length} distinct instants, drawn in order; |---| call to return, |---> pending)`];
  for (const [client, ops] of byClient) {
    lines.push(`client ${client}`);
    for (const op of ops) {
      const start = column(op.call);
      const end = op.return === null ? columns - 1 : column(op.return);
      const bar = Array.from({ length: columns }, (_, c) => (c < start || c > end ? ' ' : c === start ? '|' : c === end ? (op.return === null ? '>' : '|') : '-'));
      if (start === end) bar[start] = '|';
      const note = marks.notes?.get(op.index);
      lines.push(`  ${`#${op.index}`.padEnd(indexWidth)} ${bar.join('')}  ${describeOperation(op)} ${describeTimes(op)}${note ? `  ${note}` : ''}`);
    }
  }
  return lines.join('\n');
}

/** The operations around a failure (the end of the prefix and all that could not come next), marked. */
export function renderFailureTimeline(e: Explanation, tail = 6): string {
  const focus = [...e.prefix.slice(-tail).map((p) => p.operation), ...e.blocked.map((b) => b.operation), e.mustPlace];
  const from = Math.min(...focus.map((op) => op.call));
  const to = Math.max(...focus.map((op) => op.return ?? op.call));
  let window = e.keyOperations.filter((op) => op.call <= to && (op.return === null || op.return >= from));
  if (window.length > TIMELINE_OPERATIONS_MAX) {
    const keep = new Set(focus.map((op) => op.index));
    const rest = window.filter((op) => !keep.has(op.index)).sort((a, b) => Math.abs(a.call - e.mustPlace.call) - Math.abs(b.call - e.mustPlace.call));
    const chosen = new Set([...keep, ...rest.slice(0, Math.max(0, TIMELINE_OPERATIONS_MAX - keep.size)).map((op) => op.index)]);
    window = window.filter((op) => chosen.has(op.index));
  }
  const notes = new Map<number, string>();
  e.prefix.forEach((p, i) => notes.set(p.operation.index, `linearised ${i + 1}${i + 1 === e.prefix.length ? ' (last)' : ''}`));
  for (const b of e.blocked) notes.set(b.operation.index, `cannot come next: ${b.reason}`);
  const prior = notes.get(e.mustPlace.index);
  notes.set(e.mustPlace.index, `${prior ? `${prior}; ` : ''}had to take effect by ${e.mustPlace.return}`);
  return renderTimeline(window, { notes });
}
