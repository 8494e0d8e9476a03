// One JSON schema (docs/ordeal-json.schema.json, shipped in the package) for `check --json`,
// `simulate --json` and trace files; a violation's text is always `message`, and always the message
// of the trace it sits beside. Replay computes its own message and requires the violation at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { findModel } from '../../src/model/resolve.ts';
import { simulate as simulateRuns } from '../../src/simulate/simulate.ts';
import { summaryOf } from '../../src/simulate/summary.ts';
import { defaultOptions } from '../../src/simulate/options.ts';
import { replay as replayTrace } from '../../src/trace/replay.ts';
import { check, replay, timelineOf, type Trace } from '../../src/index.ts';
import { ordeal, repoRoot } from '../helpers/cli.ts';
import { validate } from '../helpers/json-schema.ts';

const schema = JSON.parse(readFileSync(join(repoRoot, 'docs', 'ordeal-json.schema.json'), 'utf8'));
const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ordeal-json-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('one JSON schema', () => {
  it('is shipped with the package', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('docs/');
    expect(pkg.exports['./schema.json']).toBe('./docs/ordeal-json.schema.json');
  });

  it('check --json (a violation and a pass) and its trace follow it; the message is the trace\'s', () => {
    const out = scratch();
    const r = ordeal('check', 'paxos', '--variant', 'same-ballot', '--json', '--out', out);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(validate(schema, json)).toEqual([]);
    expect(json.violation.description).toBeUndefined();
    const trace = JSON.parse(readFileSync(json.trace, 'utf8'));
    expect(validate(schema, trace)).toEqual([]);
    expect(json.violation.message).toBe(trace.violation.message);
    expect(json.violation.length).toBe(trace.events.length);
    const pass = ordeal('check', 'paxos-tla', '--json');
    expect(validate(schema, JSON.parse(pass.stdout))).toEqual([]);
  });

  it('simulate --json and its shrunk trace follow it; the message and length are the shrunk trace\'s', () => {
    const out = scratch();
    const r = ordeal('simulate', 'paxos', '--variant', 'minority-quorums', '--json', '--out', out);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(validate(schema, json)).toEqual([]);
    const trace = JSON.parse(readFileSync(json.trace, 'utf8'));
    expect(validate(schema, trace)).toEqual([]);
    expect(json.violation.length).toBe(trace.events.length);
    expect(json.violation.length).toBeLessThan(json.violation.originalLength);
    expect(json.violation.message).toBe(trace.violation.message);
  });

  it('a schema violation is caught (the validator is not vacuous)', () => {
    expect(validate(schema, { format: 'ordeal-check', violation: { property: 'X', description: 'y', length: 1 } })).not.toEqual([]);
  });
});

describe('the message beside a trace', () => {
  it('summaryOf takes the reported (shrunk) trace\'s message, not the unshrunk run\'s', async () => {
    const model = findModel(builtinModels, 'paxos');
    const report = await simulateRuns({
      model, variant: 'minority-quorums', params: { ...Object.fromEntries(Object.entries(model.params).map(([k, p]) => [k, p.default])), q1: 1, q2: 1 },
      config: { ...model.defaultConfig, faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } },
      seed: 1, options: defaultOptions({ strategy: 'random', maxSteps: 200, liveness: null }), runStart: 0, runEnd: 200, stopAtViolation: true,
    });
    expect(report.trace).not.toBeNull();
    const reworded = { ...report, trace: { ...report.trace!, violation: { ...report.trace!.violation!, message: 'the shrunk end state\'s words' } } };
    expect(summaryOf(reworded, null, null).violation!.message).toBe('the shrunk end state\'s words');
  });

  it('timelineOf and replay print the message replay computes, not a stale one the file records', async () => {
    const paxos = findModel(builtinModels, 'paxos-tla');
    const found = await check(paxos, { variant: 'phase2a-ignores-votes' });
    const stale: Trace = { ...found.trace!, violation: { ...found.trace!.violation!, message: 'STALE MESSAGE' } };
    expect(timelineOf(paxos, stale)).not.toContain('STALE MESSAGE');
    expect(timelineOf(paxos, stale)).toContain(found.violation!.message);
    expect(replay(paxos, stale).timeline).not.toContain('STALE MESSAGE');
  });

  it('replay diverges when the recorded violation is not at the end of the trace', async () => {
    const paxos = findModel(builtinModels, 'paxos-tla');
    const found = await check(paxos, { variant: 'phase2a-ignores-votes' });
    const trace = found.trace!;
    const system = paxos.build({ params: trace.model.params, variant: trace.model.variant, config: trace.config });
    expect(replayTrace(system, trace).ok).toBe(true);
    // Events recorded past the violation: a counterexample ends where its violation holds.
    const early: Trace = { ...trace, events: [...trace.events, trace.events[trace.events.length - 1]] };
    const r = replayTrace(system, early);
    expect(r.ok).toBe(false);
    expect(replay(paxos, early).ok).toBe(false);
  });
});
