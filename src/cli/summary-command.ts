// `ordeal summary` (npm start): every built-in model and variant, checked with its defaults and
// held to its expected verdict. Exit 1 when any verdict differs from the expected one.
import type { ModelDefinition } from '../model/define.ts';
import { resolveParams } from '../model/resolve.ts';
import { runCheck } from '../check/run.ts';
import { paramsText, seconds } from './format.ts';

export function summaryCommand(models: readonly ModelDefinition[], flags: { timeLimit: number; json?: boolean }): number {
  const rows: Record<string, unknown>[] = [];
  const header = ['model', 'variant', 'params', 'expected', 'actual', 'states', 'depth', 'time', 'verdict'];
  const table: string[][] = [];
  let mismatches = 0;
  for (const model of models) {
    for (const variant of Object.keys(model.variants)) {
      const report = runCheck({
        model,
        variant,
        params: resolveParams(model, []),
        config: model.defaultConfig,
        strategy: 'bfs',
        search: { timeLimitMs: flags.timeLimit * 1000, now: () => performance.now() },
      });
      const o = report.outcome;
      if (!report.asExpected) mismatches++;
      rows.push({ model: model.name, variant, expected: report.expected, actual: report.actual, distinctStates: o.distinctStates, depth: o.depth, elapsedMs: Math.round(o.elapsedMs), asExpected: report.asExpected });
      const actual = o.violation ? `${report.actual} (${o.violation.length} events)` : report.actual;
      table.push([model.name, variant, paramsText(report.request.params), report.expected, actual, o.distinctStates.toLocaleString('en-US'), String(o.depth), seconds(o.elapsedMs), report.asExpected ? 'ok' : 'MISMATCH']);
      if (!flags.json) process.stderr.write(`  checked ${model.name} [${variant}]\n`);
    }
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ rows, mismatches })}\n`);
  } else {
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...table.map(line), '',
      mismatches === 0 ? `all ${table.length} variants behave as declared` : `${mismatches} of ${table.length} variants do NOT behave as declared`];
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return mismatches === 0 ? 0 : 1;
}
