// Human-readable output of checks: one-run summaries, the model list, the summary table.
import type { ModelDefinition, Params, RunConfig, VariantCheck } from '../api/models.ts';
import type { ReductionStats } from '../api/models.ts';
import type { CheckReport } from '../api/models.ts';
import { renderTimeline } from '../api/traces.ts';
import { neverFired, type ActionCoverage } from '../api/models.ts';
import type { ModelErrorDetail } from '../api/models.ts';

/** `--paranoid`'s help, the same for check and simulate (src/model/guard.ts, spec-system.ts). */
export const PARANOID_HELP =
  'catch model bugs: handlers and spec actions get frozen inputs (a packed action is checked not to write its own), may not call Math.random or Date.now, and run twice (the same result required)';

/** A count with thousands separators, as every CLI output prints counts ("8,220,065"). */
export const thousands = (x: number): string => x.toLocaleString('en-US');

/**
 * The one stderr line of a model error: the handler or action, why, and where (model, variant,
 * step; seed and run for a simulation), e.g. `ordeal: model error in Step(by=2): threw TypeError:
 * ... (faulty [throws], step 2, seed 1, run 0)`.
 */
export function modelErrorLine(detail: ModelErrorDetail, where: { model: string; variant: string; step: number; seed?: number | null; run?: number }): string {
  const simulation = where.seed != null && where.run !== undefined ? `, seed ${where.seed}, run ${where.run}` : '';
  return `ordeal: model error in ${detail.handler}: ${detail.message} (${where.model} [${where.variant}], step ${where.step}${simulation})\n`;
}
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)}s`;

export function paramsText(params: Params): string {
  return Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');
}

/** A parameter's type as `ordeal list` shows it: `2..5`, `true|false`, `one-vote|full`. */
function paramTypeText(p: ModelDefinition['params'][string]): string {
  if (p.type === 'boolean') return 'true|false';
  if (p.type === 'enum') return p.choices.join('|');
  return `${p.min}..${p.max}`;
}

export function formatList(models: readonly ModelDefinition[]): string {
  const lines: string[] = [];
  for (const m of models) {
    lines.push(`${m.name} (v${m.version}): ${m.description}`);
    lines.push(`  parameters: ${Object.entries(m.params).map(([k, p]) => `${k}=${p.default} (${paramTypeText(p)}, ${p.description})`).join('; ')}`);
    for (const [name, v] of Object.entries(m.variants)) {
      lines.push(`  variant ${name} [expect ${v.expected}]: ${v.description}`);
      if (v.check) lines.push(`    declared check: ${declaredCheckText(v.check)}`);
    }
  }
  return lines.join('\n');
}

/** A declared check in words: `random seed 9, 1000 runs, requests=3 txnlog=true, faults 2 crashes 2 partitions`. */
export function declaredCheckText(c: VariantCheck): string {
  const parts = [c.seed === undefined ? c.strategy : `${c.strategy} seed ${c.seed}`];
  if (c.runs !== undefined) parts.push(`${thousands(c.runs)} runs`);
  if (c.maxSteps !== undefined) parts.push(`${thousands(c.maxSteps)} steps`);
  if (c.maxDepth !== undefined) parts.push(`depth ${c.maxDepth}`);
  if (c.liveness) parts.push('liveness');
  if (c.params && Object.keys(c.params).length) parts.push(paramsText(c.params));
  if (c.config?.network) parts.push(`${c.config.network} network`);
  const f = c.config?.faults;
  if (f) parts.push(`faults ${f.crashes} crashes ${f.partitions} partitions ${f.drops} drops ${f.duplicates} duplicates`);
  return parts.join(', ');
}

export function listJson(models: readonly ModelDefinition[]): unknown {
  return {
    models: models.map((m) => ({
      name: m.name,
      version: m.version,
      description: m.description,
      params: Object.entries(m.params).map(([name, p]) => ({
        name,
        type: p.type ?? 'integer',
        default: p.default,
        ...(p.type === 'enum' ? { choices: p.choices } : p.type === 'boolean' ? {} : { min: p.min, max: p.max }),
        description: p.description,
      })),
      variants: Object.entries(m.variants).map(([name, v]) => ({ name, description: v.description, expected: v.expected, check: v.check ?? null })),
    })),
  };
}

/** Below this many states, bytes per state mostly measure the tables' initial size: give totals. */
const STATES_FOR_PER_STATE_BYTES = 10_000;

function bytesText(bytes: number, states: number): string {
  if (states < STATES_FOR_PER_STATE_BYTES) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / states).toFixed(1)} B/state`;
}

/** The network and fault budgets of a run, for models that have them ('' for spec models). */
export function configText(model: ModelDefinition, config: RunConfig): string {
  const only = config.invariants ? `, only invariant${config.invariants.length > 1 ? 's' : ''} ${config.invariants.join(', ')}` : '';
  if (!model.configurable.network && !model.configurable.faults) return `${config.paranoid ? ', paranoid' : ''}${only}`;
  const f = config.faults;
  const faults = f.crashes + f.partitions + f.drops + f.duplicates === 0
    ? 'no faults'
    : `faults: ${f.crashes} crashes, ${f.partitions} partitions, ${f.drops} drops, ${f.duplicates} duplicates`;
  return `, ${config.network} network, ${faults}${config.paranoid ? ', paranoid' : ''}${only}`;
}

export function formatTimeline(report: CheckReport): string {
  const v = report.outcome.violation!;
  const { system } = report;
  const descriptions: string[] = [];
  let state = system.retain(system.initialStates()[v.initialIndex]);
  for (const e of v.events) {
    descriptions.push(system.describe(e, state));
    state = system.retain(system.step(state, e));
  }
  return renderTimeline({
    title: v.loop !== undefined ? `Liveness counterexample (a lasso): ${v.property} (${v.description})` : `Counterexample: ${v.property} (${v.description}) is broken after ${v.length} events`,
    descriptions,
    events: v.events,
    states: v.states,
    loop: v.loop,
  });
}

/** What a partial-order reduction saved: `sleep sets, 570,413 of 869,635 transitions skipped (66%), ...`. */
export function reductionText(r: ReductionStats, transitions: number): string {
  const share = transitions ? Math.round((100 * r.skipped) / transitions) : 0;
  const again = r.reexpansions ? `, ${thousands(r.reexpansions)} states expanded again` : '';
  return `${r.kind}, ${thousands(r.skipped)} of ${thousands(transitions)} transitions skipped (${share}%)${again}; sets held at most ${(r.peakSleepBytes / 1048576).toFixed(1)} MiB`;
}

/** `declared`: what the variant's declared check supplied, said in the header line. */
export function formatOutcome(report: CheckReport, tracePath: string | null, declared: string | null = null): string {
  const { outcome: o, request: r } = report;
  const lines = [
    `${r.model.name} [${r.variant}] ${paramsText(r.params)} — ${o.strategy.toUpperCase()}${configText(r.model, r.config)}${declared ? ` (the variant's declared check: ${declared})` : ''}`,
    `  result: ${o.result === 'violation' ? `VIOLATION of ${o.violation!.property}` : o.result.toUpperCase()}` +
      `  (expected: ${report.expected}${report.asExpected ? ', as expected' : ', NOT as expected'})`,
    `  ${thousands(o.distinctStates)} distinct states, ${thousands(o.transitions)} transitions, depth ${o.depth}, ` +
      `${seconds(o.elapsedMs)}, ${thousands(o.statesPerSecond)} states/s`,
    `  memory: visited set ${bytesText(o.visitedBytes, o.distinctStates)}, ` +
      `trace links ${bytesText(o.linkBytes, o.distinctStates)}, ` +
      `peak frontier ${(o.peakFrontierBytes / 1048576).toFixed(1)} MiB; fingerprint collision probability ${o.collisionProbability.toExponential(1)}`,
  ];
  if (o.reduction) lines.push(`  reduction: ${reductionText(o.reduction, o.transitions)}`);
  for (const t of o.reachable) {
    lines.push(`  reachable ${t.name}: ${t.reachedAtLength === null ? 'NEVER REACHED' : `reached after ${t.reachedAtLength} events`}`);
  }
  for (const reason of o.inconclusiveReasons) lines.push(`  inconclusive: ${reason}`);
  if (report.coverage) lines.push(...coverageLines(report.coverage));
  if (o.violation) {
    lines.push('', formatTimeline(report));
    if (tracePath) lines.push('', `trace written to ${tracePath}`, `replay it with: npx ordeal replay ${tracePath}`);
  }
  return lines.join('\n');
}

export function outcomeJson(report: CheckReport, tracePath: string | null): Record<string, unknown> {
  const o = report.outcome;
  return {
    // docs/ordeal-json.schema.json describes this object (and simulate --json, and traces).
    format: 'ordeal-check',
    version: 1,
    model: report.request.model.name,
    variant: report.request.variant,
    params: report.request.params,
    config: report.request.config,
    strategy: o.strategy,
    result: o.result,
    expected: report.expected,
    actual: report.actual,
    asExpected: report.asExpected,
    distinctStates: o.distinctStates,
    transitions: o.transitions,
    depth: o.depth,
    elapsedMs: Math.round(o.elapsedMs),
    statesPerSecond: o.statesPerSecond,
    visitedBytesPerState: o.distinctStates ? o.visitedBytes / o.distinctStates : 0,
    linkBytesPerState: o.distinctStates ? o.linkBytes / o.distinctStates : 0,
    peakFrontierBytes: o.peakFrontierBytes,
    collisionProbability: o.collisionProbability,
    reachable: o.reachable,
    reduction: o.reduction ?? null,
    inconclusiveReasons: o.inconclusiveReasons,
    complete: o.complete,
    violation: o.violation
      ? { property: o.violation.property, message: o.violation.description, length: o.violation.length }
      : null,
    trace: tracePath,
    ...(report.coverage ? { coverage: report.coverage, neverFired: neverFired(report.coverage) } : {}),
  };
}

/** The coverage table (TLC's per-action lines), never-fired declared actions flagged. */
export function coverageLines(coverage: readonly ActionCoverage[]): string[] {
  const width = Math.max(...coverage.map((c) => c.action.length));
  const lines = ['  coverage (action: transitions taken, new states found):'];
  for (const c of coverage) {
    const flag = c.declared && c.fired === 0 ? '   <- NEVER FIRED' : '';
    lines.push(`    ${c.action.padEnd(width)}  ${thousands(c.fired).padStart(12)}  ${thousands(c.newStates).padStart(12)}${flag}`);
  }
  const unfired = neverFired(coverage);
  if (unfired.length) lines.push(`  never fired: ${unfired.join(', ')} (a handler nothing reaches, or bounds too small for it)`);
  return lines;
}
