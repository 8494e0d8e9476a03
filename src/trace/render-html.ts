// A counterexample as one self-contained HTML page: a space-time diagram (a lane per node, steps
// down the page, messages as arrows from send to delivery, messages still in flight at the end as
// open arrows, faults marked) drawn here as SVG, and a small inline script that shows every node's
// state at the clicked step, what changed highlighted, with the arrow keys stepping through.
// No network fetches: the page works from file://. Every model or trace string is escaped.
import { VIEWER_SCRIPT, VIEWER_STYLE } from './html-viewer.ts';
import type { ReadMessage, ReadStep, TraceReading } from './reading.ts';

/** Diagram geometry, in SVG user units. */
const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 48;
const STEP_COLUMN_WIDTH = 330;
const LANE_WIDTH = 96;
const MARGIN_RIGHT = 200;
/** Step descriptions longer than this are cut in the diagram (the panel shows them whole). */
const DESCRIPTION_CHARS_MAX = 46;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside a <script> element: no `<` can close the element or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const cut = (text: string): string => (text.length > DESCRIPTION_CHARS_MAX ? `${text.slice(0, DESCRIPTION_CHARS_MAX - 1)}…` : text);

export function renderHtml(reading: TraceReading): string {
  const title = `${reading.model} [${reading.variant}]`;
  const params = Object.entries(reading.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const verdict = reading.violation
    ? `${reading.violation.kind === 'liveness' ? 'liveness failure' : 'violation'} of ${reading.violation.property} after step ${reading.violation.step}: ${reading.violation.message}`
    : 'no violation recorded';
  const data = {
    shape: reading.shape,
    lanes: reading.lanes,
    states: [reading.initial, ...reading.steps.map((s) => s.state)],
    descriptions: ['initial state', ...reading.steps.map((s) => s.description)],
    changes: [[], ...reading.steps.map((s) => s.changes)],
    changedPaths: [[], ...reading.steps.map((s) => s.changedPaths)],
    violationStep: reading.violation?.step ?? null,
  };
  const facts = [
    `${reading.shape === 'actors' ? `${reading.network} network, ` : ''}${reading.strategy}, ${reading.steps.length} steps`,
    params,
  ].filter((s) => s !== '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`ordeal: ${title}`)}</title>
<style>${VIEWER_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="facts">${facts.map(escapeHtml).join(' · ')}</p>
<p class="verdict${reading.violation ? ' bad' : ''}">${escapeHtml(verdict)}</p>
${reading.replay.ok ? '' : `<p class="verdict bad">${escapeHtml(`replay diverged: ${reading.replay.reason}`)}</p>\n`}<p class="help">Click a step, or use ↑ ↓ (or ← →), Home and End, to see every node's state there; what the step changed is highlighted.</p>
</header>
<main>
<div id="diagram">
${renderDiagram(reading)}
</div>
<aside id="panel" aria-live="polite">
<h2 id="step-title"></h2>
<ul id="changes"></ul>
<div id="state"></div>
</aside>
</main>
<script type="application/json" id="ordeal-data">${scriptJson(data)}</script>
<script>${VIEWER_SCRIPT}</script>
</body>
</html>
`;
}

const rowY = (step: number): number => HEADER_HEIGHT + step * ROW_HEIGHT + ROW_HEIGHT / 2;

function renderDiagram(reading: TraceReading): string {
  const lanes = reading.lanes;
  const laneX = new Map(lanes.map((lane, i) => [lane, STEP_COLUMN_WIDTH + i * LANE_WIDTH + LANE_WIDTH / 2]));
  const x = (lane: string | null): number => (lane !== null && laneX.has(lane) ? laneX.get(lane)! : STEP_COLUMN_WIDTH);
  const rows = reading.steps.length + 1;
  // One more row below the last step: where messages still in flight at the end point to.
  const endY = rowY(rows);
  const width = STEP_COLUMN_WIDTH + lanes.length * LANE_WIDTH + MARGIN_RIGHT;
  const height = endY + ROW_HEIGHT;
  const open = reading.messages.filter(isOpen).length;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="space-time" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="space-time diagram">`,
    '<defs>',
    '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head"/></marker>',
    '<marker id="open-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10" class="open-head"/></marker>',
    '<marker id="cross" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="9" markerHeight="9"><path d="M1,1 L9,9 M9,1 L1,9" class="cross"/></marker>',
    '</defs>',
  ];
  // Step rows first, so lanes and arrows draw over their backgrounds.
  for (let i = 0; i < rows; i++) out.push(stepRow(reading, i, width));
  if (open > 0) out.push(`<text class="label end" x="8" y="${endY + 4}">${open} message${open === 1 ? '' : 's'} still in flight at the end</text>`);
  lanes.forEach((lane) => out.push(laneLine(reading, lane, x(lane), endY)));
  for (const message of reading.messages) out.push(...messageArrows(message, x, endY));
  for (const step of reading.steps) out.push(eventMark(reading, step, x));
  if (reading.violation) {
    const y = rowY(reading.violation.step);
    out.push(`<text class="violation-label" x="${STEP_COLUMN_WIDTH + lanes.length * LANE_WIDTH + 8}" y="${y + 4}">✗ ${escapeHtml(reading.violation.property)}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function stepRow(reading: TraceReading, i: number, width: number): string {
  const description = i === 0 ? 'initial state' : reading.steps[i - 1].description;
  const bad = reading.violation?.step === i ? ' violation' : '';
  const y = rowY(i) - ROW_HEIGHT / 2;
  return [
    `<g class="step${bad}" data-step="${i}">`,
    `<title>${escapeHtml(`${i}. ${description}`)}</title>`,
    `<rect class="row" x="0" y="${y}" width="${width}" height="${ROW_HEIGHT}"/>`,
    `<text class="label" x="8" y="${rowY(i) + 4}">${escapeHtml(`${i}. ${cut(description)}`)}</text>`,
    '</g>',
  ].join('');
}

/** A lane: its name, a line down the page, dashed where the node is down (crash to restart). */
function laneLine(reading: TraceReading, lane: string, x: number, endY: number): string {
  const parts = [`<g class="lane" data-lane="${escapeHtml(lane)}">`, `<text class="lane-name" x="${x}" y="${HEADER_HEIGHT - 14}">${escapeHtml(lane)}</text>`];
  parts.push(`<line class="lifeline" x1="${x}" y1="${HEADER_HEIGHT - 6}" x2="${x}" y2="${endY}"/>`);
  let downSince: number | null = null;
  for (const step of reading.steps) {
    if (step.lane !== lane) continue;
    if (step.event.kind === 'crash') downSince = step.index;
    if (step.event.kind === 'restart' && downSince !== null) {
      parts.push(`<line class="down" x1="${x}" y1="${rowY(downSince)}" x2="${x}" y2="${rowY(step.index)}"/>`);
      downSince = null;
    }
  }
  if (downSince !== null) parts.push(`<line class="down" x1="${x}" y1="${rowY(downSince)}" x2="${x}" y2="${endY}"/>`);
  parts.push('</g>');
  return parts.join('');
}

/** Still in flight at the end: never delivered, dropped or lost. */
const isOpen = (m: ReadMessage): boolean => m.deliveredAt.length === 0 && m.droppedAt === null && m.lostAt === null;

/** One arrow per delivery; a dropped or lost copy ends in a cross; one still in flight ends open at the bottom. */
function messageArrows(m: ReadMessage, x: (lane: string | null) => number, endY: number): string[] {
  const line = (kind: string, toY: number, marker: string) =>
    `<line class="msg ${kind}" data-msg="${m.id}" x1="${x(m.from)}" y1="${rowY(m.sentAt)}" x2="${x(m.to)}" y2="${toY}" marker-end="url(#${marker})"><title>${escapeHtml(`${m.key} (sent at step ${m.sentAt})`)}</title></line>`;
  const arrows = m.deliveredAt.map((step) => line('delivered', rowY(step), 'arrow'));
  if (m.droppedAt !== null) arrows.push(line('dropped', rowY(m.droppedAt), 'cross'));
  if (m.lostAt !== null) arrows.push(line('lost', rowY(m.lostAt), 'cross'));
  if (isOpen(m)) arrows.push(line('open', endY, 'open-arrow'));
  return arrows;
}

/** The mark of a step on its lane: a dot for a delivery, a labelled box for timers and faults. */
function eventMark(reading: TraceReading, step: ReadStep, x: (lane: string | null) => number): string {
  const y = rowY(step.index);
  const kind = step.event.kind;
  if (reading.shape === 'spec') return '';
  if (kind === 'deliver') return `<circle class="mark deliver" cx="${x(step.lane)}" cy="${y}" r="4"/>`;
  if (kind === 'partition' || kind === 'heal') {
    const x1 = x(reading.lanes[0] ?? null) - LANE_WIDTH / 2 + 4;
    const x2 = x(reading.lanes[reading.lanes.length - 1] ?? null) + LANE_WIDTH / 2 - 4;
    return `<line class="mark ${kind}" x1="${x1}" y1="${y}" x2="${x2}" y2="${y}"/>`;
  }
  const message = step.message === null ? null : reading.messages[step.message];
  const lane = kind === 'drop' || kind === 'duplicate' ? (message ? message.from : null) : step.lane;
  const text = kind === 'timer' ? `⏱ ${String(step.event.timer)}` : kind === 'duplicate' ? 'dup' : kind;
  const cx = x(lane);
  const w = 8 + 7 * [...text].length;
  return `<g class="mark fault ${escapeHtml(kind)}"><rect x="${cx - w / 2}" y="${y - 9}" width="${w}" height="18" rx="4"/><text x="${cx}" y="${y + 4}">${escapeHtml(text)}</text></g>`;
}
