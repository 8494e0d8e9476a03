// A variant's declared check where users look: `check --variant V` and `simulate --variant V` use
// its parameters, budgets, strategy and seed unless the user gives their own (and say so in the
// header); `list` shows it; `expectModel` honours it; `summary` takes a model file.
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { findModel } from '../../src/model/resolve.ts';
import { expectModel } from '../../src/vitest/index.ts';
import { ordeal } from '../helpers/cli.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'ordeal-declared-'));

describe('declared checks', () => {
  it('check --variant uses the declared parameters and says so', () => {
    const r = ordeal('check', 'multipaxos', '--variant', 'local-reads', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toContain("(the variant's declared check: bfs, retries=1)");
    expect(r.stdout).toContain('VIOLATION of Linearizable  (expected: Linearizable, as expected)');
  }, 60_000);

  it('a parameter the user gives wins over the declared one', () => {
    const r = ordeal('check', 'multipaxos', '--variant', 'local-reads', '-p', 'retries=0', '--strategy', 'bfs', '--json', '--out', out);
    const json = JSON.parse(r.stdout);
    expect(json.params.retries).toBe(0);
    expect(json.declared).toBeNull();
  }, 60_000);

  it('a declared depth limit bounds check --variant, and --max-depth given by the user wins', () => {
    const r = ordeal('check', 'zab', '--variant', 'zk-1419-livelock', '--out', out);
    expect(r.stdout.split('\n')[0]).toContain('start=lost-epoch progress=true, depth 20,');
    expect(r.stdout).toContain('282 distinct states, 549 transitions, depth 20,');
    const shallow = ordeal('check', 'zab', '--variant', 'zk-1419-livelock', '--max-depth', '5', '--out', out);
    expect(shallow.stdout.split('\n')[0]).not.toContain('depth 20');
    expect(shallow.stdout).toContain('result: INCONCLUSIVE');
  }, 60_000);

  it('check --variant of a variant declared as a simulation runs that simulation (seed, runs, params, budgets)', () => {
    const r = ordeal('check', 'zab', '--variant', 'zk-1154', '--json', '--out', out);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ format: 'ordeal-simulation-summary', seed: 9, strategy: 'random', violation: { property: 'PrefixConsistency' } });
    expect(json.model.params).toMatchObject({ requests: 3, txnlog: true });
    expect(json.config.faults).toMatchObject({ crashes: 2, partitions: 2 });
    expect(json.declared).toContain('seed 9');
  }, 90_000);

  it('list shows each declared check', () => {
    const text = ordeal('list').stdout;
    expect(text).toMatch(/variant zk-1154 .*\n    declared check: random seed 9, 1,000 runs, requests=3 txnlog=true, faults 2 crashes 2 partitions/);
    const json = JSON.parse(ordeal('list', '--json').stdout);
    const local = json.models.find((m: { name: string }) => m.name === 'multipaxos').variants.find((v: { name: string }) => v.name === 'local-reads');
    expect(local.check).toEqual({ strategy: 'bfs', params: { retries: 1 } });
  });

  it('expectModel honours the declared check', async () => {
    await expectModel(findModel(builtinModels, 'multipaxos'), { variant: 'local-reads', paranoid: false, traceDir: out }).toViolate('Linearizable');
  }, 60_000);

  it('summary takes a model file', () => {
    const r = ordeal('summary', 'test/fixtures/nested.ts', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).rows;
    expect(rows.map((row: { model: string; variant: string; actual: string }) => [row.model, row.variant, row.actual])).toEqual([
      ['nested', 'default', 'pass'],
      ['nested', 'overflows', 'LogBounded'],
    ]);
  }, 60_000);
});
