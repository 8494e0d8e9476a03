// CI reporters for `ordeal check` and `ordeal simulate`: JUnit XML (one test case per model,
// variant and property) and a Markdown summary for GitHub Actions' $GITHUB_STEP_SUMMARY. Pure: the
// CLI writes them. Both commands are first read into one `ReportedRun`.
import type { CheckReport } from '../api/models.ts';
import type { Params } from '../api/models.ts';
import type { SimulationSummary } from '../api/simulation.ts';
import { paramsText, thousands as n } from './format.ts';

/** What the reporters need of one check or simulation. */
export interface ReportedRun {
  readonly command: 'check' | 'simulate';
  readonly model: string;
  readonly variant: string;
  readonly params: Params;
  /** The strategy, for the JUnit properties ("bfs", "random"). */
  readonly strategy: string;
  readonly properties: readonly { readonly name: string; readonly kind: 'invariant' | 'reachable' }[];
  readonly result: 'pass' | 'violation' | 'inconclusive';
  readonly expected: string;
  readonly asExpected: boolean;
  readonly violation: { readonly property: string; readonly length: number; readonly message: string } | null;
  /** Per reachable target, how it was reached ("reached after 3 events"), or null when it was not. */
  readonly reached: Readonly<Record<string, string | null>>;
  /** True when nothing stopped the run short (no limit, no violation). */
  readonly complete: boolean;
  /** What an invariant that held was checked on ("holds in every reachable state"). */
  readonly heldDetail: string;
  /** The size of the run in words ("8,220 states, depth 4"). */
  readonly size: string;
  readonly elapsedMs: number;
}

export function checkRun(report: CheckReport): ReportedRun {
  const r = report.request;
  const o = report.outcome;
  return {
    command: 'check',
    model: r.model.name,
    variant: r.variant,
    params: r.params,
    strategy: r.strategy,
    properties: report.system.properties,
    result: o.result,
    expected: report.expected,
    asExpected: report.asExpected,
    violation: o.violation && { property: o.violation.property, length: o.violation.length, message: o.violation.description },
    reached: Object.fromEntries(o.reachable.map((t) => [t.name, t.reachedAtLength === null ? null : `reached after ${t.reachedAtLength} events`])),
    complete: o.complete,
    heldDetail: 'holds in every reachable state',
    size: `${n(o.distinctStates)} states, depth ${o.depth}`,
    elapsedMs: o.elapsedMs,
  };
}

/** A simulation, held to the variant's declared verdict as a check is. */
export function simulationRun(summary: SimulationSummary, properties: ReportedRun['properties'], expected: string): ReportedRun {
  const v = summary.violation;
  const actual = v ? v.property : summary.result;
  return {
    command: 'simulate',
    model: summary.model.name,
    variant: summary.model.variant,
    params: summary.model.params,
    strategy: summary.strategy,
    properties,
    result: summary.result,
    expected,
    asExpected: actual === expected,
    violation: v && { property: v.property, length: v.length, message: v.message },
    reached: Object.fromEntries(summary.targets.map((t) => [t.name, t.runs === 0 ? null : `reached in ${n(t.runs)} of ${n(summary.runs)} runs`])),
    complete: !v,
    heldDetail: `held in every state of ${n(summary.runs)} runs (seed ${summary.seed})`,
    size: `${n(summary.runs)} runs, ${n(summary.events)} events, seed ${summary.seed}`,
    elapsedMs: summary.elapsedMs,
  };
}

/** One property's verdict, held to the variant's declared expectation. */
export interface PropertyVerdict {
  readonly name: string;
  readonly kind: 'invariant' | 'reachable';
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped; what happened when it passed. */
  readonly detail: string;
}

export function propertyVerdicts(run: ReportedRun): PropertyVerdict[] {
  const violated = run.violation?.property ?? null;
  const expected = run.expected;
  return run.properties.map((p): PropertyVerdict => {
    const base = { name: p.name, kind: p.kind };
    // A liveness failure names a reachable target: it is that target's verdict.
    if (violated === p.name) {
      const length = `violated after ${run.violation!.length} events`;
      return expected === p.name ? { ...base, status: 'passed', detail: `${length}, as the variant declares` } : { ...base, status: 'failed', detail: `${length}: ${run.violation!.message}` };
    }
    if (p.kind === 'reachable') {
      const reached = run.reached[p.name] ?? null;
      if (reached !== null) return { ...base, status: 'passed', detail: reached };
      if (violated !== null || !run.complete) return { ...base, status: 'skipped', detail: `not reached before the ${run.command === 'check' ? 'search' : 'simulation'} stopped` };
      return { ...base, status: 'failed', detail: `never reached${run.command === 'check' ? '' : ' in any run'}: the ${run.command} may be vacuous` };
    }
    if (expected === p.name) return { ...base, status: 'failed', detail: `the variant declares a violation of ${p.name}; none was found` };
    if (violated !== null || (run.command === 'check' && run.result === 'inconclusive')) {
      return { ...base, status: 'skipped', detail: violated ? `not checked past the violation of ${violated}` : 'the search stopped before it was complete' };
    }
    return { ...base, status: 'passed', detail: run.heldDetail };
  });
}

const xml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(run: ReportedRun, tracePath: string | null, timeline: string | null): string {
  const suite = `${run.model} [${run.variant}]`;
  const verdicts = propertyVerdicts(run);
  const count = (s: PropertyVerdict['status']) => verdicts.filter((v) => v.status === s).length;
  const seconds = (run.elapsedMs / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ordeal" tests="${verdicts.length}" failures="${count('failed')}" skipped="${count('skipped')}" time="${seconds}">`,
    `  <testsuite name="${xml(suite)}" tests="${verdicts.length}" failures="${count('failed')}" skipped="${count('skipped')}" time="${seconds}">`,
    `    <properties><property name="command" value="${run.command}"/><property name="params" value="${xml(paramsText(run.params))}"/><property name="strategy" value="${xml(run.strategy)}"/></properties>`,
  ];
  for (const v of verdicts) {
    const open = `    <testcase classname="${xml(suite)}" name="${xml(`${v.kind} ${v.name}`)}" time="${seconds}">`;
    if (v.status === 'passed') lines.push(`${open}</testcase>`);
    else if (v.status === 'skipped') lines.push(`${open}<skipped message="${xml(v.detail)}"/></testcase>`);
    else {
      const body = [v.detail, ...(tracePath ? [`trace: ${tracePath}`, `replay: npx ordeal replay ${tracePath}`] : []), ...(timeline && run.violation?.property === v.name ? ['', timeline] : [])].join('\n');
      lines.push(`${open}<failure message="${xml(v.detail)}">${xml(body)}</failure></testcase>`);
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownSummary(run: ReportedRun, tracePath: string | null, timeline: string | null): string {
  const icon = { passed: '✅', failed: '❌', skipped: '⏭️' } as const;
  const lines = [
    `### ordeal ${run.command} ${run.model} [${run.variant}] ${paramsText(run.params)}`,
    '',
    `${run.violation ? `**violation of ${run.violation.property}**` : `**${run.result}**`} (expected: ${run.expected}${run.asExpected ? ', as expected' : ', NOT as expected'}); ` +
      `${run.size}, ${(run.elapsedMs / 1000).toFixed(2)} s`,
    '',
    '| property | kind | result | detail |',
    '|---|---|---|---|',
    ...propertyVerdicts(run).map((v) => `| ${cell(v.name)} | ${v.kind} | ${icon[v.status]} ${v.status} | ${cell(v.detail)} |`),
  ];
  if (tracePath) lines.push('', `Trace: \`${tracePath}\` — replay with \`npx ordeal replay ${tracePath}\``);
  if (timeline) lines.push('', '<details><summary>Counterexample</summary>', '', '```', timeline, '```', '', '</details>');
  lines.push('', '');
  return lines.join('\n');
}
