// The reports page (reports/index.html) and its Markdown twin (reports/README.md), built from the
// rows `npm run reports` measured. Pure: the run date comes in as text; every model string escaped.
import type { DeclaredOutcome } from '../api/reports.ts';
import { escapeHtml } from '../api/traces.ts';
import { thousands as n } from './format.ts';

/** One variant's row: its declared check's outcome (verdict, work, depth, time, length) in words. */
export interface ReportRow extends Pick<DeclaredOutcome, 'expected' | 'actual' | 'asExpected' | 'work' | 'workUnit' | 'depth' | 'elapsedMs' | 'length'> {
  readonly model: string;
  readonly variant: string;
  readonly description: string;
  readonly params: string;
  /** The network and fault budgets the declared check ran with, in words ('' for spec models). */
  readonly budgets?: string;
  /** Invariants and reachable targets, as "name (invariant)" (listed once per model, above its table). */
  readonly properties: readonly string[];
  readonly strategy: string;
  /** Base name (no extension) of the counterexample files under mutants/, when there is one. */
  readonly files: string | null;
  /** Action coverage in one line (exhaustive checks): declared actions fired, and those that never did. */
  readonly coverage: string;
}

export interface ModelReport {
  readonly name: string;
  readonly description: string;
  /** The default run configuration in words (network, fault budgets, symmetry); empty for specs. */
  readonly config: string;
  readonly rows: readonly ReportRow[];
  /** New distinct states per BFS level of the default variant; null when not measured. */
  readonly levels: { readonly counts: readonly number[]; readonly complete: boolean } | null;
}

export interface ReportsInput {
  readonly models: readonly ModelReport[];
  /** One line saying when and how the reports were made (the only line that changes run to run besides times). */
  readonly runLine: string;
  /** Other report files in the folder (benchmarks, ...), listed by name. */
  readonly otherReports: readonly string[];
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)}s`;
const resultText = (r: ReportRow): string => (r.length === null ? r.actual : `${r.actual} (${r.length} events)`);
const workText = (r: ReportRow): string => `${n(r.work)} ${r.workUnit}`;
const depthText = (r: ReportRow): string => (r.depth === null ? '' : r.workUnit === 'states' ? `depth ${r.depth}` : `${n(r.depth)} events`);
/** The parameters and budgets a row's check ran with. */
const runText = (r: ReportRow): string => [r.params, r.budgets ?? ''].filter((x) => x !== '').join('; ');
/** The properties of a model, once: those of its first row (every variant checks the same ones). */
const propertiesOf = (m: ModelReport): string => (m.rows[0]?.properties ?? []).join(', ');

/** A bar chart of states per level as a standalone SVG (escaped; no scripts, no external references). */
export function levelPlotSvg(model: string, levels: NonNullable<ModelReport['levels']>): string {
  const width = 560;
  const height = 220;
  const left = 64;
  const bottom = 30;
  const top = 28;
  const counts = levels.counts;
  const max = Math.max(1, ...counts);
  const plotWidth = width - left - 12;
  const plotHeight = height - top - bottom;
  const barWidth = plotWidth / Math.max(1, counts.length);
  const total = counts.reduce((a, b) => a + b, 0);
  const title = `${model}: new states per BFS level (${n(total)} states, depth ${counts.length}${levels.complete ? '' : ', stopped early'})`;
  const bars = counts.map((c, i) => {
    const h = Math.round((c / max) * plotHeight * 10) / 10;
    const x = Math.round((left + i * barWidth + 1) * 10) / 10;
    const w = Math.max(1, Math.round((barWidth - 2) * 10) / 10);
    return `<rect x="${x}" y="${Math.round((top + plotHeight - h) * 10) / 10}" width="${w}" height="${h}" fill="#4a7bd0"><title>level ${i + 1}: ${n(c)} states</title></rect>`;
  });
  const tickEvery = Math.max(1, Math.ceil(counts.length / 12));
  const ticks = counts
    .map((_, i) => i)
    .filter((i) => i % tickEvery === 0)
    .map((i) => `<text x="${Math.round(left + (i + 0.5) * barWidth)}" y="${height - bottom + 14}" text-anchor="middle">${i + 1}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeHtml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="16" font-size="12" font-weight="bold">${escapeHtml(title)}</text>`,
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 12}" y2="${top + plotHeight}" stroke="#718096"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="#718096"/>`,
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${n(max)}</text>`,
    `<text x="${left - 6}" y="${top + plotHeight}" text-anchor="end">0</text>`,
    ...bars,
    ...ticks,
    `<text x="${left + plotWidth / 2}" y="${height - 4}" text-anchor="middle">BFS level</text>`,
    '</svg>',
  ].join('\n');
}

const HEADER = ['variant', 'parameters and budgets', 'check', 'states / runs', 'depth or events', 'time', 'expected', 'result', 'coverage', 'counterexample'];
const NUMERIC = ['states / runs', 'depth or events', 'time'];

export function reportsHtml(input: ReportsInput): string {
  const e = escapeHtml;
  const sections = input.models.map((m) => {
    const rows = m.rows.map((r) => {
      const links = r.files === null ? '' : ['html', 'md', 'json'].map((ext) => `<a href="mutants/${e(encodeURIComponent(r.files!))}.${ext}">${ext === 'md' ? 'mermaid' : ext}</a>`).join(' · ');
      const cells = [
        `<td><b>${e(r.variant)}</b><br><small>${e(r.description)}</small></td>`,
        `<td>${e(runText(r))}</td>`,
        `<td>${e(r.strategy)}</td>`,
        `<td class="num">${workText(r)}</td>`,
        `<td class="num">${depthText(r)}</td>`,
        `<td class="num">${seconds(r.elapsedMs)}</td>`,
        `<td>${e(r.expected)}</td>`,
        `<td class="${r.asExpected ? 'ok' : 'bad'}">${e(resultText(r))}${r.asExpected ? '' : ' — NOT AS DECLARED'}</td>`,
        `<td>${e(r.coverage)}</td>`,
        `<td>${links}</td>`,
      ];
      return `<tr>${cells.join('')}</tr>`;
    });
    const params = m.rows[0]?.params ?? '';
    return [
      `<section id="${e(m.name)}">`,
      `<h2>${e(m.name)}</h2>`,
      `<p>${e(m.description)}</p>`,
      `<p class="facts">default parameters: ${e(params)}${m.config ? `; ${e(m.config)}` : ''}</p>`,
      `<p class="facts">properties (every variant): ${e(propertiesOf(m))}</p>`,
      m.levels ? `<figure>${levelPlotSvg(m.name, m.levels)}</figure>` : '',
      '<table>',
      `<thead><tr>${HEADER.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`,
      `<tbody>\n${rows.join('\n')}\n</tbody>`,
      '</table>',
      '</section>',
    ].filter((s) => s !== '').join('\n');
  });
  const others = input.otherReports.map((f) => `<li><a href="${e(encodeURIComponent(f))}">${e(f)}</a></li>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ordeal reports</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 16px 24px; color: #1a202c; }
table { border-collapse: collapse; margin: 8px 0 24px; }
th, td { border: 1px solid #e2e8f0; padding: 3px 8px; text-align: left; vertical-align: top; font-size: 13px; }
th { background: #f7fafc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.ok { color: #276749; }
td.bad { color: #c53030; font-weight: bold; }
.facts { color: #4a5568; }
figure { margin: 8px 0; }
</style>
</head>
<body>
<h1>ordeal reports</h1>
<p>Every built-in model and variant checked the way it declares (BFS with the model's defaults unless the
variant names another check, as <code>npm start</code> does), held to its declared verdict. Each mutant's
counterexample (shortest from BFS; shrunk from simulation) is linked as an HTML space-time view, a Mermaid sequence diagram and the JSON trace
(<code>npx ordeal replay</code> re-executes it). Regenerate with <code>npm run reports</code>.</p>
<p class="facts">${e(input.runLine)}</p>
${sections.join('\n')}
${others.length > 0 ? `<h2>Other reports</h2>\n<ul>\n${others.join('\n')}\n</ul>\n` : ''}</body>
</html>
`;
}

/** Markdown table cells cannot hold `|` or line breaks. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function reportsMarkdown(input: ReportsInput): string {
  const lines = [
    '# ordeal reports',
    '',
    "Every built-in model and variant checked the way it declares (BFS with the model's defaults unless the",
    'variant names another check, as `npm start` does), held to its declared verdict. Each',
    "mutant's counterexample (shortest from BFS; shrunk from simulation) is linked as a Mermaid sequence diagram (renders on the forge), an HTML",
    'space-time view (download and open it) and the JSON trace (`npx ordeal replay` re-executes it). The same',
    'tables with the plots inline: [index.html](index.html). Regenerate with `npm run reports`.',
    '',
    input.runLine,
  ];
  for (const m of input.models) {
    lines.push('', `## ${cell(m.name)}`, '', cell(m.description), '', `Default parameters: ${cell(m.rows[0]?.params ?? '')}${m.config ? `; ${cell(m.config)}` : ''}`, '', `Properties (every variant): ${cell(propertiesOf(m))}`, '');
    if (m.levels) lines.push(`![states per BFS level of ${cell(m.name)}](levels/${encodeURIComponent(m.name)}.svg)`, '');
    lines.push(`| ${HEADER.join(' | ')} |`, `|${HEADER.map((h) => (NUMERIC.includes(h) ? '---:' : '---')).join('|')}|`);
    for (const r of m.rows) {
      const base = r.files === null ? null : `mutants/${encodeURIComponent(r.files)}`;
      const links = base === null ? '' : `[mermaid](${base}.md) · [html](${base}.html) · [json](${base}.json)`;
      const result = `${resultText(r)}${r.asExpected ? '' : ' **NOT AS DECLARED**'}`;
      lines.push(`| ${[`**${r.variant}**: ${r.description}`, runText(r), r.strategy, workText(r), depthText(r), seconds(r.elapsedMs), r.expected, result, r.coverage, links].map(cell).join(' | ')} |`);
    }
  }
  if (input.otherReports.length > 0) {
    lines.push('', '## Other reports', '', ...input.otherReports.map((f) => `- [${cell(f)}](${encodeURIComponent(f)})`));
  }
  return `${lines.join('\n')}\n`;
}

/** A mutant's counterexample as Markdown around its Mermaid diagram. */
export function mutantMarkdown(input: { model: string; variant: string; description: string; property: string; length: number; files: string; mermaid: string }): string {
  return [
    `# ${input.model} [${input.variant}]: ${input.property} broken after ${input.length} events`,
    '',
    input.description,
    '',
    `Replay it with \`npx ordeal replay reports/mutants/${input.files}.json\`; the same trace as a space-time view: [${input.files}.html](${encodeURIComponent(input.files)}.html).`,
    '',
    '```mermaid',
    input.mermaid.trimEnd(),
    '```',
    '',
  ].join('\n');
}
