// The JSON summary of a simulation (what `simulate --json` prints and `merge` combines). Everything
// in it except `elapsedMs` and `eventsPerSecond` depends only on the model, configuration, options,
// seed and run range: never on the machine, the worker count or the sharding.
import type { Params, RunConfig } from '../model/define.ts';
import { sumActions, type MixCount } from './tally.ts';
import type { SimulateReport } from './simulate.ts';
import { recordedOptions } from './simulate.ts';
import type { CoverageReport } from './abstraction.ts';

export const SUMMARY_FORMAT = 'ordeal-simulation-summary';
export const SUMMARY_VERSION = 1;

export type SimulationVerdict = 'pass' | 'violation' | 'inconclusive';

export interface SummaryViolation {
  readonly kind: 'safety' | 'liveness';
  readonly property: string;
  readonly message: string;
  readonly run: number;
  /** Events in the reported (shrunk) trace. */
  readonly length: number;
  /** Events in the run as simulated, before shrinking. */
  readonly originalLength: number;
  readonly mix: Readonly<Record<string, number>>;
  /** The one command that reproduces this run alone. */
  readonly reproduce: string;
}

export interface SimulationSummary {
  readonly format: typeof SUMMARY_FORMAT;
  readonly version: number;
  readonly result: SimulationVerdict;
  readonly model: { readonly name: string; readonly version: number; readonly variant: string; readonly params: Params };
  readonly config: RunConfig;
  readonly strategy: string;
  readonly seed: number;
  readonly options: Readonly<Record<string, unknown>>;
  readonly stopAtViolation: boolean;
  /** The run range asked for: [start, end). */
  readonly requested: { readonly runStart: number; readonly runEnd: number };
  /** Runs counted (up to and including the first violating run when stopping at violations). */
  readonly runs: number;
  readonly runStart: number;
  readonly runEnd: number;
  readonly events: number;
  readonly virtualTimeMs: number;
  readonly targets: readonly { readonly name: string; readonly description: string; readonly runs: number }[];
  readonly inconclusiveReasons: readonly string[];
  readonly violatingRuns: number;
  readonly mixes: Readonly<Record<string, MixCount>>;
  /** Events taken per action over all runs; declared actions that never fired are listed with 0. */
  readonly actions: Readonly<Record<string, number>>;
  readonly violation: SummaryViolation | null;
  /** The trace file written for the violation, or null. */
  readonly trace: string | null;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
  /** Guided simulation only: abstract states over runs and the Good-Turing estimate of the unseen. */
  readonly coverage?: CoverageReport;
}

export function verdictOf(violation: unknown, targets: SimulationSummary['targets']): { result: SimulationVerdict; reasons: string[] } {
  if (violation) return { result: 'violation', reasons: [] };
  const reasons = targets.filter((t) => t.runs === 0).map((t) => `target '${t.name}' (${t.description}) was never reached in any run`);
  return { result: reasons.length ? 'inconclusive' : 'pass', reasons };
}

export const perSecond = (events: number, elapsedMs: number): number => (elapsedMs > 0 ? Math.round((events * 1000) / elapsedMs) : 0);

export function summaryOf(report: SimulateReport, tracePath: string | null, reproduce: string | null): SimulationSummary {
  const { request, tally } = report;
  const targets = report.system.properties
    .filter((p) => p.kind === 'reachable')
    .map((p, i) => ({ name: p.name, description: p.description, runs: tally.targetRuns[i] }));
  const v = tally.violation;
  const verdict = verdictOf(v, targets);
  // A run stopped before its end (cancelled, time limit) proves nothing about the runs it skipped.
  const stopped = !v && report.stopReason !== null;
  const result = stopped ? 'inconclusive' : verdict.result;
  const reasons = stopped ? [report.stopReason!, ...verdict.reasons] : verdict.reasons;
  return {
    format: SUMMARY_FORMAT,
    version: SUMMARY_VERSION,
    result,
    model: { name: request.model.name, version: request.model.version, variant: request.variant, params: request.params },
    config: request.config,
    strategy: request.options.strategy,
    seed: request.seed,
    options: recordedOptions(request.options),
    stopAtViolation: request.stopAtViolation,
    requested: { runStart: request.runStart, runEnd: request.runEnd },
    runs: tally.runEnd - tally.runStart,
    runStart: tally.runStart,
    runEnd: tally.runEnd,
    events: tally.events,
    virtualTimeMs: Math.round(tally.virtualTimeMs),
    targets,
    inconclusiveReasons: reasons,
    violatingRuns: tally.violatingRuns,
    mixes: tally.mixes,
    actions: tally.actions,
    violation: v && {
      kind: v.kind,
      property: v.property,
      // The message of the trace reported beside it (shrinking rewords it for the shrunk end state).
      message: report.trace?.violation?.message ?? v.message,
      run: v.run,
      length: report.trace?.events.length ?? v.events.length,
      originalLength: v.events.length,
      mix: { ...v.mix },
      reproduce: reproduce ?? '',
    },
    trace: tracePath,
    elapsedMs: Math.round(report.elapsedMs),
    eventsPerSecond: perSecond(tally.events, report.elapsedMs),
    ...(tally.coverage ? { coverage: tally.coverage } : {}),
  };
}

export class MergeError extends Error {}

/**
 * Combine summaries of consecutive run ranges (shards) into the summary one unsharded run would
 * give: same counts, targets, mixes and reported violation (the lowest run's).
 */
export function mergeSummaries(parts: readonly SimulationSummary[]): SimulationSummary {
  if (parts.length === 0) throw new MergeError('nothing to merge');
  const sorted = [...parts].sort((a, b) => a.requested.runStart - b.requested.runStart);
  const first = sorted[0];
  const same = (s: SimulationSummary): string => JSON.stringify([s.model, s.config, s.strategy, s.seed, s.options, s.stopAtViolation]);
  for (const s of sorted) {
    if (s.format !== SUMMARY_FORMAT || s.version !== SUMMARY_VERSION) throw new MergeError(`not an ordeal simulation summary (version ${SUMMARY_VERSION})`);
    if (same(s) !== same(first)) throw new MergeError('summaries come from different models, configurations, options or seeds');
  }
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].requested.runStart !== sorted[i - 1].requested.runEnd) {
      throw new MergeError(`shards do not cover consecutive runs: one ends at ${sorted[i - 1].requested.runEnd}, the next starts at ${sorted[i].requested.runStart}`);
    }
  }
  let included = sorted;
  if (first.stopAtViolation) {
    const at = sorted.findIndex((s) => s.violation !== null);
    if (at >= 0) included = sorted.slice(0, at + 1);
  }
  const last = included[included.length - 1];
  const mixes: Record<string, MixCount> = {};
  for (const s of included) {
    for (const [label, c] of Object.entries(s.mixes)) {
      const m = (mixes[label] ??= { runs: 0, violations: 0 });
      m.runs += c.runs;
      m.violations += c.violations;
    }
  }
  const targets = first.targets.map((t, i) => ({ ...t, runs: included.reduce((sum, s) => sum + s.targets[i].runs, 0) }));
  const violationPart = included.find((s) => s.violation !== null) ?? null;
  const { result, reasons } = verdictOf(violationPart?.violation, targets);
  const events = included.reduce((sum, s) => sum + s.events, 0);
  const elapsedMs = parts.reduce((sum, s) => sum + s.elapsedMs, 0);
  return {
    ...first,
    result,
    requested: { runStart: first.requested.runStart, runEnd: sorted[sorted.length - 1].requested.runEnd },
    runs: last.runEnd - first.runStart,
    runStart: first.runStart,
    runEnd: last.runEnd,
    events,
    virtualTimeMs: included.reduce((sum, s) => sum + s.virtualTimeMs, 0),
    targets,
    inconclusiveReasons: reasons,
    violatingRuns: included.reduce((sum, s) => sum + s.violatingRuns, 0),
    mixes: Object.fromEntries(Object.entries(mixes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    actions: sumActions(included.map((s) => s.actions ?? {})),
    violation: violationPart?.violation ?? null,
    trace: violationPart?.trace ?? null,
    elapsedMs,
    eventsPerSecond: perSecond(events, elapsedMs),
    // Guided shards rebuild the corpus from run 0, so the last one's coverage covers every run.
    coverage: last.coverage,
  };
}
