// A counterexample as a Mermaid sequenceDiagram (renders in Markdown on most forges): a participant
// per node, each message an arrow from its sender at the step that delivered it, faults and timers
// as notes, and the step where the property breaks highlighted with the property's name.
import type { ReadStep, TraceReading } from './reading.ts';

/** Longest list of messages still in flight named in the closing note; the rest are counted. */
const IN_FLIGHT_LISTED_MAX = 8;

/**
 * Mermaid text is one line per statement; `;` and `#` are syntax, and `<`/`>` reach the page as
 * HTML. ASCII outside a plain set (and control characters) is written as Mermaid's `#<decimal>;`
 * entity instead. The arrow of "a -> b" becomes "→", which needs no entity: Mermaid 11 leaves some
 * entities undecoded in its SVG (seen with "p0 #62; a2"), so the common case avoids them.
 */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text.replaceAll(' -> ', ' → ')) {
    const code = ch.codePointAt(0)!;
    const plain = /[A-Za-z0-9 ()[\]{}=,.'_+\-/*|!?@$^~:]/.test(ch) || (code > 0x9f && code !== 0x2028 && code !== 0x2029);
    out += plain ? ch : `#${code};`;
  }
  return out;
}

export function renderMermaid(reading: TraceReading): string {
  const lines = ['sequenceDiagram'];
  const ids = new Map<string, string>();
  const participants = reading.shape === 'actors' ? reading.lanes : [reading.model];
  participants.forEach((lane, i) => {
    ids.set(lane, `P${i}`);
    lines.push(`  participant P${i} as ${mermaidText(lane)}`);
  });
  const first = 'P0';
  const span = participants.length > 1 ? `${first},P${participants.length - 1}` : first;
  const idOf = (lane: string | null): string => (lane !== null && ids.has(lane) ? ids.get(lane)! : first);
  const title = `${reading.model} [${reading.variant}]`;
  lines.push(`  Note over ${span}: ${mermaidText(`${title}: initial state`)}`);
  const violationStep = reading.violation?.step ?? -1;
  for (const step of reading.steps) {
    if (reading.loop !== undefined && step.index === reading.loop + 1) lines.push(`  Note over ${span}: ${mermaidText('loop: the steps below repeat forever')}`);
    const highlight = step.index === violationStep;
    const indent = highlight ? '    ' : '  ';
    if (highlight) lines.push('  rect rgb(255, 221, 221)');
    lines.push(...stepLines(reading, step, idOf, span).map((l) => indent + l));
    if (highlight) {
      lines.push(`    Note over ${span}: ${mermaidText(violationNote(reading))}`);
      lines.push('  end');
    }
  }
  if (reading.violation !== null && violationStep === 0) lines.push(`  Note over ${span}: ${mermaidText(violationNote(reading))}`);
  const open = reading.messages.filter((m) => m.deliveredAt.length === 0 && m.droppedAt === null && m.lostAt === null);
  if (open.length > 0) {
    const listed = open.slice(0, IN_FLIGHT_LISTED_MAX).map((m) => m.key);
    const more = open.length > listed.length ? [`and ${open.length - listed.length} more`] : [];
    lines.push(`  Note over ${span}: ${['still in flight:', ...listed, ...more].map(mermaidText).join('<br/>')}`);
  }
  if (!reading.replay.ok) lines.push(`  Note over ${span}: ${mermaidText(`replay diverged: ${reading.replay.reason}`)}`);
  return `${lines.join('\n')}\n`;
}

function violationNote(reading: TraceReading): string {
  const v = reading.violation!;
  return `${v.kind === 'liveness' ? 'LIVENESS' : 'VIOLATED'}: ${v.property}: ${v.message}`;
}

/** The statements for one step: a delivery is an arrow; every other event is a note. */
function stepLines(reading: TraceReading, step: ReadStep, idOf: (lane: string | null) => string, span: string): string[] {
  const n = `${step.index}. `;
  const message = step.message === null ? null : reading.messages[step.message];
  const lines: string[] = [];
  switch (step.event.kind) {
    case 'deliver':
      lines.push(message
        ? `${idOf(message.from)}->>${idOf(message.to)}: ${mermaidText(n + message.label)}`
        : `Note over ${idOf(step.lane)}: ${mermaidText(n + step.description)}`);
      break;
    case 'drop':
    case 'duplicate': {
      const ends = message ? [...new Set([idOf(message.from), idOf(message.to)])].join(',') : span;
      lines.push(`Note over ${ends}: ${mermaidText(n + step.description)}`);
      break;
    }
    case 'partition':
    case 'heal':
      lines.push(`Note over ${span}: ${mermaidText(n + step.description)}`);
      break;
    default:
      lines.push(`Note over ${step.lane === null ? span : idOf(step.lane)}: ${mermaidText(n + step.description)}`);
  }
  const lost = reading.messages.filter((m) => m.lostAt === step.index);
  if (lost.length > 0) lines.push(`Note over ${span}: ${mermaidText(`lost with the connection: ${lost.map((m) => m.key).join(', ')}`)}`);
  return lines;
}
