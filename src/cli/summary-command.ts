// `ordeal summary` (npm start): every built-in model and variant, checked the way the variant
// declares (BFS with the model's defaults unless it names a cheaper way to its verdict) and held to
// its expected verdict. Exit 1 when any verdict differs from the expected one.
import type { ModelDefinition } from '../api/models.ts';
import { checkDeclared } from '../api/reports.ts';
import { paramsText, seconds, thousands } from './format.ts';
import { neverFired } from '../api/models.ts';

export async function summaryCommand(models: readonly ModelDefinition[], flags: { timeLimit: number; json?: boolean }): Promise<number> {
  const rows: Record<string, unknown>[] = [];
  const header = ['model', 'variant', 'params', 'check', 'expected', 'actual', 'work', 'slept', 'time', 'verdict'];
  const table: string[][] = [];
  let mismatches = 0;
  const unfired: string[] = [];
  const started = performance.now();
  for (const model of models) {
    for (const variant of Object.keys(model.variants)) {
      const o = await checkDeclared(model, variant, { now: () => performance.now(), timeLimitMs: flags.timeLimit * 1000 });
      if (!o.asExpected) mismatches++;
      const network = model.configurable.network ? ` ${o.config.network}` : '';
      const check = o.seed === null ? `${o.strategy}${network}` : `${o.strategy} seed ${o.seed}${network}`;
      rows.push({
        model: model.name, variant, params: o.params, strategy: o.strategy, seed: o.seed, expected: o.expected, actual: o.actual,
        [o.workUnit === 'states' ? 'distinctStates' : 'runs']: o.work, depth: o.workUnit === 'states' ? o.depth : undefined,
        length: o.length, elapsedMs: Math.round(o.elapsedMs), asExpected: o.asExpected,
        ...(o.coverage ? { neverFired: neverFired(o.coverage) } : {}),
        ...(o.reduction ? { reduction: { ...o.reduction.stats, transitions: o.reduction.transitions } } : {}),
      });
      // A passing variant whose declared actions did not all fire is checked less than it claims.
      const missing = o.coverage && o.actual === 'pass' ? neverFired(o.coverage) : [];
      if (missing.length) unfired.push(`  ${model.name} [${variant}]: ${missing.join(', ')}`);
      const actual = o.length !== null ? `${o.actual} (${o.length} events)` : o.actual;
      const work = `${thousands(o.work)} ${o.workUnit}${o.workUnit === 'states' ? `, depth ${o.depth}` : ''}`;
      // The share of transitions sleep sets skipped (actor models), as a percentage.
      const slept = o.reduction ? sleptShare(o.reduction.stats.skipped, o.reduction.transitions) : '-';
      table.push([model.name, variant, paramsText(o.params), check, o.expected, actual, work, slept, seconds(o.elapsedMs), o.asExpected ? 'ok' : 'MISMATCH']);
      if (!flags.json) process.stderr.write(`  checked ${model.name} [${variant}] in ${seconds(o.elapsedMs)}\n`);
    }
  }
  const elapsedMs = performance.now() - started;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ rows, mismatches, elapsedMs: Math.round(elapsedMs) })}\n`);
  } else {
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...table.map(line), '',
      ...(unfired.length ? ['actions that never fired (a handler nothing reaches, or bounds too small for it):', ...unfired, ''] : []),
      `${mismatches === 0 ? `all ${table.length} variants behave as declared` : `${mismatches} of ${table.length} variants do NOT behave as declared`} (${seconds(elapsedMs)})`];
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return mismatches === 0 ? 0 : 1;
}

const sleptShare = (skipped: number, transitions: number): string => `${Math.round((100 * skipped) / Math.max(1, transitions))}%`;
