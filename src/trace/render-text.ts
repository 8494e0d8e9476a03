// A counterexample as a step-by-step timeline a person can follow.
import type { Event } from '../model/system.ts';
import { diffPictures, short } from './diff.ts';

export interface TimelineInput {
  readonly title: string;
  /** One description per event (system.describe). */
  readonly descriptions: readonly string[];
  readonly events: readonly Event[];
  /** Pictures of every state, the initial one first. */
  readonly states: readonly unknown[];
  readonly footer?: readonly string[];
  /** A liveness lasso (Trace.loop): the index of the state where the loop starts; the timeline marks it. */
  readonly loop?: number;
}

/** Lines wider than this are broken into one line per field or element. */
const LINE_WIDTH_MAX = 100;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A state picture as an indented block: a value that fits on a line stays on one line; a wider
 * record gets a line per field (so an actor world gets a block per node), a wider list a line per
 * element. Iterative, so deep pictures cannot overflow the stack.
 */
export function pictureBlock(picture: unknown, indent: string): string[] {
  const lines: string[] = [];
  const todo: { label: string | null; value: unknown; depth: number }[] = [{ label: null, value: picture, depth: 0 }];
  while (todo.length > 0) {
    const { label, value, depth } = todo.pop()!;
    const pad = indent + '  '.repeat(depth);
    const prefix = label === null ? '' : `${label}: `;
    const oneLine = `${pad}${prefix}${short(value)}`;
    const wide = oneLine.length > LINE_WIDTH_MAX;
    const children: { label: string | null; value: unknown }[] = isRecord(value)
      ? Object.entries(value).map(([k, v]) => ({ label: k, value: v }))
      : Array.isArray(value)
      ? value.map((v, i) => ({ label: `[${i}]`, value: v }))
      : [];
    if (!wide || children.length === 0) {
      lines.push(oneLine);
      continue;
    }
    if (label !== null) lines.push(`${pad}${label}:`);
    const childDepth = label === null ? depth : depth + 1;
    for (let i = children.length - 1; i >= 0; i--) todo.push({ ...children[i], depth: childDepth });
  }
  return lines;
}

export function renderTimeline(input: TimelineInput): string {
  const lines = [input.title, '', '  initial state:', ...pictureBlock(input.states[0], '    ')];
  const loop = input.loop;
  const stutters = loop !== undefined && loop === input.descriptions.length;
  input.descriptions.forEach((d, i) => {
    if (i === loop) lines.push(`  ---- loop: the events below repeat forever (they lead back to the state after event ${loop}) ----`);
    lines.push(`  ${String(i + 1).padStart(3)}. ${d}`);
    for (const change of diffPictures(input.states[i], input.states[i + 1])) lines.push(`         ${change.trim()}`);
  });
  if (loop !== undefined) lines.push(stutters ? '  ---- the behaviour stops here forever: no fair event is enabled ----' : `  ---- back to the state after event ${loop}: the loop starts again ----`);
  if (input.footer) lines.push('', ...input.footer);
  return lines.join('\n');
}
