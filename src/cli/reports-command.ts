// `npm run reports`: check every built-in model and variant the way it declares (as npm start
// does: BFS with the model's defaults unless the variant names another check), render each mutant's
// counterexample (JSON, Mermaid in Markdown, HTML), plot states per BFS level of each model's default
// variant, and write reports/index.html and reports/README.md. Files other commands write to
// reports/ (bench*.md, ...) are kept and listed. Output is in model and variant order; the run-date
// line and the measured times are the only parts that change from run to run.
import { MODEL_ERROR } from '../api/models.ts';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelDefinition, RunConfig } from '../api/models.ts';
import { resolveParams } from '../api/models.ts';
import { checkDeclared, declaredCheck } from '../api/reports.ts';
import { INITIAL_ACTION, neverFired, type ActionCoverage } from '../api/models.ts';
import { statesPerLevel } from '../api/reports.ts';
import { readTrace } from '../api/traces.ts';
import { DEFAULT_MAX_SHRINK_TESTS, shrinkTrace } from '../api/traces.ts';
import { renderHtml } from '../api/traces.ts';
import { renderMermaid } from '../api/traces.ts';
import { writeFileAtomic } from './files.ts';
import { paramsText } from './format.ts';
import { levelPlotSvg, mutantMarkdown, reportsHtml, reportsMarkdown, type ModelReport, type ReportRow } from './reports-page.ts';

export interface ReportsOptions {
  readonly models: readonly ModelDefinition[];
  /** The folder to write (reports/ of the repository for `npm run reports`). */
  readonly outDir: string;
  readonly timeLimitMs: number;
  readonly now: () => number;
  /** The day of the run, as YYYY-MM-DD, for the one run-date line. */
  readonly runDate: string;
  readonly log: (line: string) => void;
}

/** Folders this command owns inside the output folder: their stale files are removed. */
const MUTANTS_DIR = 'mutants';
const LEVELS_DIR = 'levels';
/** Files this command writes at the top of the output folder; everything else there is another command's. */
const OWN_FILES = ['index.html', 'README.md'];

export async function generateReports(options: ReportsOptions): Promise<{ mismatches: number; written: string[] }> {
  const written: string[] = [];
  const write = (relative: string, text: string) => {
    writeFileAtomic(join(options.outDir, relative), text);
    written.push(relative);
  };
  const models: ModelReport[] = [];
  let mismatches = 0;
  for (const model of options.models) {
    const rows: ReportRow[] = [];
    for (const variant of Object.keys(model.variants)) {
      const o = await checkDeclared(model, variant, { now: options.now, timeLimitMs: options.timeLimitMs });
      if (!o.asExpected) mismatches++;
      let files: string | null = null;
      let length = o.length;
      if (o.trace && o.trace.violation) {
        files = `${model.name}.${variant}`;
        const system = model.build({ params: o.params, variant, config: o.config });
        // BFS traces are already shortest; a simulation's is shrunk before people read it.
        const trace = o.workUnit === 'runs' ? shrinkTrace(system, o.trace, DEFAULT_MAX_SHRINK_TESTS).trace : o.trace;
        length = trace.events.length;
        const reading = readTrace(system, trace);
        write(join(MUTANTS_DIR, `${files}.json`), `${JSON.stringify(trace, null, 2)}\n`);
        write(join(MUTANTS_DIR, `${files}.html`), renderHtml(reading));
        const description = model.variants[variant].description;
        write(join(MUTANTS_DIR, `${files}.md`), mutantMarkdown({ model: model.name, variant, description, property: trace.violation!.property, length, files, mermaid: renderMermaid(reading) }));
      }
      rows.push({
        model: model.name,
        variant,
        description: model.variants[variant].description,
        params: paramsText(o.params),
        budgets: budgetsText(model, o.config),
        // The model's own properties: ModelError is the engine's check of the model, not one of them.
        properties: model.build({ params: o.params, variant, config: o.config }).properties.filter((p) => p.name !== MODEL_ERROR).map((p) => `${p.name} (${p.kind})`),
        strategy: o.seed === null ? o.strategy : `${o.strategy} seed ${o.seed}`,
        expected: o.expected,
        actual: o.actual,
        asExpected: o.asExpected,
        work: o.work,
        workUnit: o.workUnit,
        depth: o.depth,
        elapsedMs: o.elapsedMs,
        length,
        files,
        coverage: coverageText(o.coverage),
      });
      options.log(`  checked ${model.name} [${variant}]: ${o.actual}${o.asExpected ? '' : ' (NOT AS DECLARED)'}`);
    }
    models.push({ name: model.name, description: model.description, config: configText(model), rows, levels: levelsOf(model, options.log) });
    const levels = models[models.length - 1].levels;
    if (levels) write(join(LEVELS_DIR, `${model.name}.svg`), `${levelPlotSvg(model.name, levels)}\n`);
  }
  removeStale(options.outDir, written);
  const otherReports = readdirSync(options.outDir, { withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith('.') && !OWN_FILES.includes(d.name))
    .map((d) => d.name)
    .sort();
  const input = { models, otherReports, runLine: `Generated by npm run reports on ${options.runDate}; times are those of the machine that ran it.` };
  write('index.html', reportsHtml(input));
  write('README.md', reportsMarkdown(input));
  return { mismatches, written };
}

/**
 * New states per BFS level of the default variant, with the parameters and configuration its
 * declared check uses; null when that check is a simulation (the space is too large to walk).
 */
function levelsOf(model: ModelDefinition, log: (line: string) => void): ModelReport['levels'] {
  const decl = declaredCheck(model, 'default');
  if (decl.strategy !== 'bfs' && decl.strategy !== 'dfs') return null;
  const params = resolveParams(model, Object.entries(decl.params ?? {}).map(([k, v]) => `${k}=${v}`));
  const levels = statesPerLevel(model.build({ params, variant: 'default', config: { ...model.defaultConfig, ...decl.config } }));
  log(`  counted ${model.name} states per BFS level: ${levels.counts.length} levels`);
  return levels;
}

/** The network and fault budgets of one check in words ('' for models without them). */
function budgetsText(model: ModelDefinition, c: RunConfig): string {
  if (!model.configurable.faults && !model.configurable.network) return '';
  const f = c.faults;
  return `${c.network} network, ${f.crashes} crashes, ${f.partitions} partitions, ${f.drops} drops, ${f.duplicates} duplicates`;
}

/** The default run configuration in words: network, fault budgets, symmetry (what the model honours). */
function configText(model: ModelDefinition): string {
  const c = model.defaultConfig;
  const parts: string[] = [];
  if (model.configurable.network) parts.push(`${c.network} network`);
  if (model.configurable.faults) {
    const faults = Object.entries(c.faults).filter(([, k]) => k > 0).map(([name, k]) => `${name} ${k}`);
    parts.push(faults.length > 0 ? `fault budgets: ${faults.join(', ')}` : 'no faults');
  }
  if (c.symmetry) parts.push('symmetry reduction');
  return parts.join('; ');
}

/** Remove files in the folders this command owns that this run did not write (a renamed variant's). */
function removeStale(outDir: string, written: readonly string[]): void {
  for (const dir of [MUTANTS_DIR, LEVELS_DIR]) {
    const path = join(outDir, dir);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path)) if (!written.includes(join(dir, name))) rmSync(join(path, name));
  }
}

/** "6 of 7 declared actions fired; never: proposer timer retry" (or the count of actions seen). */
function coverageText(coverage: readonly ActionCoverage[] | null): string {
  if (coverage === null) return 'n/a (simulation)';
  const declared = coverage.filter((c) => c.declared && c.action !== INITIAL_ACTION);
  if (declared.length === 0) return `${coverage.filter((c) => c.fired > 0).length - 1} actions fired (none declared)`;
  const never = neverFired(coverage);
  return `${declared.length - never.length} of ${declared.length} declared actions fired${never.length ? `; never: ${never.join(', ')}` : ''}`;
}
