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
}

export function renderTimeline(input: TimelineInput): string {
  const lines = [input.title, '', `  initial state: ${short(input.states[0])}`];
  input.descriptions.forEach((d, i) => {
    lines.push(`  ${String(i + 1).padStart(3)}. ${d}`);
    for (const change of diffPictures(input.states[i], input.states[i + 1])) lines.push(`         ${change.trim()}`);
  });
  if (input.footer) lines.push('', ...input.footer);
  return lines.join('\n');
}
