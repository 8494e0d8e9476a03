// A counterexample as one self-contained HTML page: a space-time diagram (a lane per node, steps
// down the page, messages as arrows from send to delivery, messages still in flight at the end as
// open arrows, faults marked) drawn here as SVG, and a small inline script that shows every node's
// state at the clicked step, what changed highlighted, with the arrow keys stepping through.
// No network fetches: the page works from file://. Every model or trace string is escaped.
//
// Layout: the page header stays at the top; the diagram scrolls in its own pane under a sticky row
// of lane names (with the badges a model declares), so the lanes stay named wherever it is
// scrolled. Step numbers sit left of the lanes and each step's description, whole, right of them,
// so the lanes come first at any width: six lanes fit in 600 px. Below 1100 px the state panel moves
// under the diagram. Marks are drawn shapes, not glyphs, so no font is needed to see them.
import { VIEWER_SCRIPT, VIEWER_STYLE } from './html-viewer.ts';
import type { LaneBadges } from './badges.ts';
import type { ReadMessage, ReadStep, TraceReading } from './reading.ts';

/** Diagram geometry, in SVG user units (CSS pixels). */
const ROW_HEIGHT = 30;
/** Space above the first row, under the sticky lane names. */
const TOP_MARGIN = 6;
/** The step numbers' column, left of the lanes. */
const NUMBER_COLUMN_WIDTH = 40;
const LANE_WIDTH = 80;
/** Gap between the last lane and the descriptions. */
const DESCRIPTION_GAP = 14;
/** Width of a character of the diagram's 12 px monospace text, rounded up, to size the drawing. */
const CHAR_WIDTH = 7.5;
const MARGIN_RIGHT = 24;

export interface HtmlOptions {
  /** Per step, each lane's badge (see readBadges): shown under the lane names at the selected step. */
  readonly badges?: LaneBadges;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside a <script> element: no `<` can close the element or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderHtml(reading: TraceReading, options: HtmlOptions = {}): string {
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
    loopStep: reading.loop ?? null,
    badges: options.badges ?? null,
  };
  const facts = [
    `${reading.shape === 'actors' ? `${reading.network} network, ` : ''}${reading.strategy}, ${reading.steps.length} steps`,
    reading.loop !== undefined ? `lasso: the loop starts after step ${reading.loop}` : '',
    params,
  ].filter((s) => s !== '');
  const geometry = geometryOf(reading);
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
<h1>${escapeHtml(title)} <span class="facts">${facts.map(escapeHtml).join(' · ')}</span></h1>
<p class="verdict${reading.violation ? ' bad' : ''}">${escapeHtml(verdict)}</p>
${reading.replay.ok ? '' : `<p class="verdict bad">${escapeHtml(`replay diverged: ${reading.replay.reason}`)}</p>\n`}<p class="help">Click a step, or use ↑ ↓ (or ← →), Home and End, to see every node's state there; what the step changed is highlighted.</p>
</header>
<main>
<div id="diagram" tabindex="-1">
${renderLaneHead(reading, geometry)}
${renderDiagram(reading, geometry)}
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

interface Geometry {
  /** Lane centre by lane name. */
  readonly laneX: ReadonlyMap<string, number>;
  /** Where descriptions start. */
  readonly textX: number;
  readonly width: number;
}

/** Texts of a row right of the lanes: the violation label (on its row) first, then the description. */
function rowTexts(reading: TraceReading, i: number): { label: string | null; description: string } {
  const description = i === 0 ? 'initial state' : reading.steps[i - 1].description;
  const label = reading.violation?.step === i ? `✗ ${reading.violation.property}` : null;
  return { label, description };
}

function geometryOf(reading: TraceReading): Geometry {
  const laneX = new Map(reading.lanes.map((lane, i) => [lane, NUMBER_COLUMN_WIDTH + i * LANE_WIDTH + LANE_WIDTH / 2]));
  const textX = NUMBER_COLUMN_WIDTH + reading.lanes.length * LANE_WIDTH + DESCRIPTION_GAP;
  let chars = 40;
  for (let i = 0; i <= reading.steps.length; i++) {
    const { label, description } = rowTexts(reading, i);
    chars = Math.max(chars, [...description].length + (label === null ? 0 : [...label].length + 2));
  }
  return { laneX, textX, width: Math.ceil(textX + chars * CHAR_WIDTH + MARGIN_RIGHT) };
}

/** The sticky row of lane names, each with its badge below (filled in by the script per step). */
function renderLaneHead(reading: TraceReading, geometry: Geometry): string {
  if (reading.lanes.length === 0) return '';
  const lanes = reading.lanes.map(
    (lane) =>
      `<div class="lane-title" data-lane="${escapeHtml(lane)}" style="width:${LANE_WIDTH}px"><span class="lane-name">${escapeHtml(lane)}</span><span class="lane-badge"></span></div>`,
  );
  return `<div id="lane-head" style="width:${geometry.width}px"><div class="lane-corner" style="width:${NUMBER_COLUMN_WIDTH}px">step</div>${lanes.join('')}</div>`;
}

const rowY = (step: number): number => TOP_MARGIN + step * ROW_HEIGHT + ROW_HEIGHT / 2;

function renderDiagram(reading: TraceReading, geometry: Geometry): string {
  const { laneX, width } = geometry;
  const x = (lane: string | null): number => (lane !== null && laneX.has(lane) ? laneX.get(lane)! : NUMBER_COLUMN_WIDTH);
  const rows = reading.steps.length + 1;
  // One more row below the last step: where messages still in flight at the end point to.
  const endY = rowY(rows);
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
  for (let i = 0; i < rows; i++) out.push(stepRow(reading, i, geometry));
  if (open > 0) out.push(`<text class="label end" x="${geometry.textX}" y="${endY + 4}">${open} message${open === 1 ? '' : 's'} still in flight at the end</text>`);
  reading.lanes.forEach((lane) => out.push(laneLine(reading, lane, x(lane), endY)));
  for (const message of reading.messages) out.push(...messageArrows(message, x, endY));
  for (const step of reading.steps) out.push(eventMark(reading, step, x));
  out.push('</svg>');
  return out.join('\n');
}

function stepRow(reading: TraceReading, i: number, geometry: Geometry): string {
  const { label, description } = rowTexts(reading, i);
  const bad = label !== null ? ' violation' : '';
  const y = rowY(i) - ROW_HEIGHT / 2;
  const labelSpan = label === null ? '' : `<tspan class="violation-label">${escapeHtml(label)}</tspan><tspan>  </tspan>`;
  return [
    `<g class="step${bad}" data-step="${i}">`,
    `<title>${escapeHtml(`${i}. ${description}`)}</title>`,
    `<rect class="row" x="0" y="${y}" width="${geometry.width}" height="${ROW_HEIGHT}"/>`,
    `<text class="number" x="${NUMBER_COLUMN_WIDTH - 8}" y="${rowY(i) + 4}">${i}</text>`,
    `<text class="label" x="${geometry.textX}" y="${rowY(i) + 4}">${labelSpan}<tspan class="description">${escapeHtml(description)}</tspan></text>`,
    '</g>',
  ].join('');
}

/** A lane: a line down the page, dashed where the node is down (crash to restart). */
function laneLine(reading: TraceReading, lane: string, x: number, endY: number): string {
  const parts = [`<g class="lane" data-lane="${escapeHtml(lane)}">`, `<line class="lifeline" x1="${x}" y1="0" x2="${x}" y2="${endY}"/>`];
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

/** A clock face with two hands, drawn as shapes: the timer mark needs no font to be seen. */
function clockIcon(cx: number, cy: number): string {
  return `<g class="clock"><circle cx="${cx}" cy="${cy}" r="5.5"/><path d="M${cx},${cy - 3.5} L${cx},${cy} L${cx + 2.5},${cy + 1.5}"/></g>`;
}

/** The mark of a step on its lane: a dot for a delivery, a labelled box for timers and faults. */
function eventMark(reading: TraceReading, step: ReadStep, x: (lane: string | null) => number): string {
  const y = rowY(step.index);
  const kind = step.event.kind;
  if (reading.shape === 'spec') return '';
  if (kind === 'deliver') return `<circle class="mark deliver" cx="${x(step.lane)}" cy="${y}" r="4"/>`;
  if (kind === 'partition' || kind === 'heal') {
    const x1 = NUMBER_COLUMN_WIDTH + 4;
    const x2 = NUMBER_COLUMN_WIDTH + reading.lanes.length * LANE_WIDTH - 4;
    return `<line class="mark ${kind}" x1="${x1}" y1="${y}" x2="${x2}" y2="${y}"/>`;
  }
  const message = step.message === null ? null : reading.messages[step.message];
  const lane = kind === 'drop' || kind === 'duplicate' ? (message ? message.from : null) : step.lane;
  const cx = x(lane);
  if (kind === 'timer') {
    const name = String(step.event.timer);
    const w = 24 + 6.6 * [...name].length;
    const left = cx - w / 2;
    return [
      `<g class="mark fault timer"><rect x="${left}" y="${y - 9}" width="${w}" height="18" rx="4"/>`,
      clockIcon(left + 10, y),
      `<text x="${left + 18}" y="${y + 4}">${escapeHtml(name)}</text></g>`,
    ].join('');
  }
  const text = kind === 'duplicate' ? 'dup' : kind;
  const w = 8 + 7 * [...text].length;
  return `<g class="mark fault ${escapeHtml(kind)}"><rect x="${cx - w / 2}" y="${y - 9}" width="${w}" height="18" rx="4"/><text class="centred" x="${cx}" y="${y + 4}">${escapeHtml(text)}</text></g>`;
}
