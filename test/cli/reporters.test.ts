// CI reporters: JUnit XML with one test case per property, held to the variant's declared verdict,
// and the Markdown summary appended to $GITHUB_STEP_SUMMARY; the check header names the network
// and the fault budgets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'ordeal-reporters-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const ordeal = (env: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'ordeal.js'), ...args, '--out', out], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const fixtures = join(root, 'test', 'fixtures');

describe('check reporters', () => {
  it('junit: every property passes for a correct model', () => {
    const r = ordeal({}, 'check', join(fixtures, 'twopc', 'twopc.ts'), '--reporter', 'junit');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<testsuite name="two-phase-commit [default]" tests="3" failures="0" skipped="0"');
    expect(r.stdout).toContain('<testcase classname="two-phase-commit [default]" name="invariant Atomicity"');
    expect(r.stdout).toContain('name="reachable SomeCommit"');
  });

  it('junit: a property broken against the declared verdict fails with the trace, and the declared one fails when not broken', () => {
    const r = ordeal({}, 'check', join(fixtures, 'faulty.ts'), '--variant', 'random', '--reporter', 'junit');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('failures="2"');
    expect(r.stdout).toMatch(/name="invariant Bounded" [^>]*><failure message="violated after \d+ events: node 1 counts at most one inc">[^<]*trace: /);
    expect(r.stdout).toContain('<failure message="the variant declares a violation of ModelError; none was found">');
  });

  it('appends a Markdown summary to $GITHUB_STEP_SUMMARY', () => {
    const summary = join(out, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = ordeal({ GITHUB_STEP_SUMMARY: summary }, 'check', join(fixtures, 'twopc', 'twopc.ts'), '--variant', 'majority-commit', '--crashes', '1');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('two-phase-commit [majority-commit] participants=3 — BFS, unordered network, faults: 1 crashes, 0 partitions, 0 drops, 0 duplicates');
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^# earlier step\n### ordeal check two-phase-commit \[majority-commit\] participants=3\n/);
    expect(md).toContain('| Atomicity | invariant | ✅ passed | violated after 6 events, as the variant declares |');
    expect(md).toContain('<details><summary>Counterexample</summary>');
  });
});

describe('simulate reporters', () => {
  it('junit: one test case per property, held to the declared verdict, with the run counts', () => {
    const r = ordeal({}, 'simulate', join(fixtures, 'twopc', 'twopc.ts'), '--variant', 'majority-commit', '--crashes', '1', '--runs', '300', '--reporter', 'junit');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('<testsuite name="two-phase-commit [majority-commit]" tests="3" failures="0" skipped="1"');
    expect(r.stdout).toContain('<property name="command" value="simulate"/>');
    expect(r.stdout).toMatch(/name="invariant Atomicity" [^>]*><\/testcase>/);
    expect(r.stdout).toContain('<skipped message="not checked past the violation of Atomicity"/>');
  });

  it('junit: a property broken against the declared verdict fails with its trace', () => {
    const r = ordeal({}, 'simulate', join(fixtures, 'faulty.ts'), '--variant', 'random', '--runs', '50', '--reporter', 'junit');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/name="invariant Bounded" [^>]*><failure message="violated after \d+ events: node 1 counts at most one inc">[^<]*trace: /);
    expect(r.stdout).toContain('<failure message="the variant declares a violation of ModelError; none was found">');
  });

  it('refuses --json with --reporter junit (exit 2) before simulating', () => {
    const r = ordeal({}, 'simulate', join(fixtures, 'twopc', 'twopc.ts'), '--json', '--reporter', 'junit');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ordeal: --json and --reporter junit both choose what stdout holds: pick one\n');
  });

  it('appends a Markdown summary to $GITHUB_STEP_SUMMARY', () => {
    const summary = join(out, 'simulate-summary.md');
    const r = ordeal({ GITHUB_STEP_SUMMARY: summary }, 'simulate', join(fixtures, 'twopc', 'twopc.ts'), '--runs', '100', '--seed', '4');
    expect(r.code).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^### ordeal simulate two-phase-commit \[default\] participants=3\n\n\*\*pass\*\* \(expected: pass, as expected\); 100 runs, [\d,]+ events, seed 4, /);
    expect(md).toContain('| Atomicity | invariant | ✅ passed | held in every state of 100 runs (seed 4) |');
    expect(md).toMatch(/\| SomeCommit \| reachable \| ✅ passed \| reached in \d+ of 100 runs \|/);
  });
});
