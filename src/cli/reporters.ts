// CI reporters for `ordeal check`: JUnit XML (one test case per model, variant and property) and a
// Markdown summary for GitHub Actions' $GITHUB_STEP_SUMMARY. Pure: the CLI writes them.
import type { CheckReport } from '../check/run.ts';
import { paramsText } from './format.ts';

/** One property's verdict, held to the variant's declared expectation. */
export interface PropertyVerdict {
  readonly name: string;
  readonly kind: 'invariant' | 'reachable';
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped; what happened when it passed. */
  readonly detail: string;
}

export function propertyVerdicts(report: CheckReport): PropertyVerdict[] {
  const o = report.outcome;
  const violated = o.violation?.property ?? null;
  const expected = report.expected;
  return report.system.properties.map((p): PropertyVerdict => {
    const base = { name: p.name, kind: p.kind };
    if (p.kind === 'reachable') {
      const t = o.reachable.find((r) => r.name === p.name);
      if (t && t.reachedAtLength !== null) return { ...base, status: 'passed', detail: `reached after ${t.reachedAtLength} events` };
      if (violated !== null || !o.complete) return { ...base, status: 'skipped', detail: 'not reached before the search stopped' };
      return { ...base, status: 'failed', detail: 'never reached: the check may be vacuous' };
    }
    if (violated === p.name) {
      const length = `violated after ${o.violation!.length} events`;
      return expected === p.name ? { ...base, status: 'passed', detail: `${length}, as the variant declares` } : { ...base, status: 'failed', detail: `${length}: ${o.violation!.description}` };
    }
    if (expected === p.name) return { ...base, status: 'failed', detail: `the variant declares a violation of ${p.name}; none was found` };
    if (violated !== null || o.result === 'inconclusive') return { ...base, status: 'skipped', detail: violated ? `not checked past the violation of ${violated}` : 'the search stopped before it was complete' };
    return { ...base, status: 'passed', detail: 'holds in every reachable state' };
  });
}

const xml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junitXml(report: CheckReport, tracePath: string | null, timeline: string | null): string {
  const r = report.request;
  const suite = `${r.model.name} [${r.variant}]`;
  const verdicts = propertyVerdicts(report);
  const count = (s: PropertyVerdict['status']) => verdicts.filter((v) => v.status === s).length;
  const seconds = (report.outcome.elapsedMs / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ordeal" tests="${verdicts.length}" failures="${count('failed')}" skipped="${count('skipped')}" time="${seconds}">`,
    `  <testsuite name="${xml(suite)}" tests="${verdicts.length}" failures="${count('failed')}" skipped="${count('skipped')}" time="${seconds}">`,
    `    <properties><property name="params" value="${xml(paramsText(r.params))}"/><property name="strategy" value="${r.strategy}"/></properties>`,
  ];
  for (const v of verdicts) {
    const open = `    <testcase classname="${xml(suite)}" name="${xml(`${v.kind} ${v.name}`)}" time="${seconds}">`;
    if (v.status === 'passed') lines.push(`${open}</testcase>`);
    else if (v.status === 'skipped') lines.push(`${open}<skipped message="${xml(v.detail)}"/></testcase>`);
    else {
      const body = [v.detail, ...(tracePath ? [`trace: ${tracePath}`, `replay: npx ordeal replay ${tracePath}`] : []), ...(timeline && report.outcome.violation?.property === v.name ? ['', timeline] : [])].join('\n');
      lines.push(`${open}<failure message="${xml(v.detail)}">${xml(body)}</failure></testcase>`);
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownSummary(report: CheckReport, tracePath: string | null, timeline: string | null): string {
  const r = report.request;
  const o = report.outcome;
  const icon = { passed: '✅', failed: '❌', skipped: '⏭️' } as const;
  const lines = [
    `### ordeal check ${r.model.name} [${r.variant}] ${paramsText(r.params)}`,
    '',
    `${o.result === 'violation' ? `**violation of ${o.violation!.property}**` : `**${o.result}**`} (expected: ${report.expected}${report.asExpected ? ', as expected' : ', NOT as expected'}); ` +
      `${o.distinctStates.toLocaleString('en-US')} states, depth ${o.depth}, ${(o.elapsedMs / 1000).toFixed(2)} s`,
    '',
    '| property | kind | result | detail |',
    '|---|---|---|---|',
    ...propertyVerdicts(report).map((v) => `| ${cell(v.name)} | ${v.kind} | ${icon[v.status]} ${v.status} | ${cell(v.detail)} |`),
  ];
  if (tracePath) lines.push('', `Trace: \`${tracePath}\` — replay with \`npx ordeal replay ${tracePath}\``);
  if (timeline) lines.push('', '<details><summary>Counterexample</summary>', '', '```', timeline, '```', '', '</details>');
  lines.push('', '');
  return lines.join('\n');
}
