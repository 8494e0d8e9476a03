// Action coverage: per action, transitions taken and new states found, as TLC reports it; the new
// states of all actions add up to the distinct states; a declared action that never fires is flagged.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { runCheck } from '../../src/check/run.ts';
import { neverFired } from '../../src/explore/coverage.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { simulateRange } from '../../src/simulate/tally.ts';
import { defaultOptions } from '../../src/simulate/options.ts';
import { unreachable } from '../fixtures/unreachable.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const model = (name: string) => builtinModels.find((m) => m.name === name)!;

function covered(m: ReturnType<typeof model>, strategy: 'bfs' | 'dfs' = 'bfs') {
  return runCheck({ model: m, variant: 'default', params: resolveParams(m, []), config: m.defaultConfig, strategy, search: {}, coverage: true });
}

describe('action coverage', () => {
  it('counts every spec action of paxos-tla, and its new states add up to the distinct states', () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const report = covered(model('paxos-tla'), strategy);
      const rows = report.coverage!;
      expect(rows.map((r) => r.action)).toEqual(['Init', 'Phase1a', 'Phase1b', 'Phase2a', 'Phase2b']);
      expect(rows.reduce((sum, r) => sum + r.newStates, 0)).toBe(report.outcome.distinctStates);
      expect(rows.reduce((sum, r) => sum + r.fired, 0) - 1).toBe(report.outcome.transitions);
    }
  });

  it('names actor actions by role and message type, and leaves the search unchanged', () => {
    const with_ = covered(model('paxos'));
    const without = runCheck({ model: model('paxos'), variant: 'default', params: resolveParams(model('paxos'), []), config: model('paxos').defaultConfig, strategy: 'bfs', search: {} });
    expect(with_.outcome.distinctStates).toBe(without.outcome.distinctStates);
    expect(without.coverage).toBeNull();
    const actions = with_.coverage!.map((r) => r.action);
    expect(actions).toContain('acceptor receives prepare');
    expect(actions).toContain('crash');
    // With one round per proposer (the default), nothing ever retries.
    expect(neverFired(with_.coverage!)).toEqual(['proposer timer retry']);
  });

  it('flags a declared handler that nothing reaches', () => {
    const report = covered(unreachable);
    expect(report.actual).toBe('pass');
    expect(neverFired(report.coverage!)).toEqual(['leader receives nack']);
    const row = report.coverage!.find((r) => r.action === 'follower receives ask')!;
    // Each follower passes ask pending -> ack pending -> ack delivered: 9 states; an ask is delivered
    // from the 3 states of the other follower, 6 times in all; BFS first meets 4 states that way.
    expect(report.outcome.distinctStates).toBe(9);
    expect([row.fired, row.newStates]).toEqual([6, 4]);
  });

  it('is printed by check --coverage and carried by --json', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'ordeal.js'), 'check', './test/fixtures/unreachable.ts', '--coverage', ...args], { cwd: root, encoding: 'utf8' });
    const text = run();
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/leader receives nack\s+0\s+0\s+<- NEVER FIRED/);
    const json = JSON.parse(run('--json').stdout);
    expect(json.neverFired).toEqual(['leader receives nack']);
    expect(json.coverage[0]).toEqual({ action: 'Init', fired: 1, newStates: 1, declared: true });
  });

  it('counts simulated events per action, declared actions that never fired included with 0', () => {
    const system = unreachable.build({ params: {}, variant: 'default', config: unreachable.defaultConfig });
    const tally = simulateRange(system, { options: defaultOptions(), seed: 5, stopAtViolation: true }, 0, 20);
    expect(tally.actions).toEqual({ 'follower receives ask': 40, 'leader receives ack': 40, 'leader receives nack': 0 });
    const paxos = model('paxos');
    const sys = paxos.build({ params: resolveParams(paxos, []), variant: 'default', config: paxos.defaultConfig });
    const whole = simulateRange(sys, { options: defaultOptions(), seed: 1, stopAtViolation: true }, 0, 50);
    expect(Object.values(whole.actions).reduce((a, b) => a + b, 0)).toBe(whole.events);
    expect(whole.actions['proposer timer retry']).toBe(0);
  });

  it('tells what a Zab bound leaves unexercised: without client requests or crashes, no broadcast, no sync thread, no CLOSE', () => {
    const zab = model('zab');
    const report = runCheck({ model: zab, variant: 'default', params: resolveParams(zab, ['requests=0']), config: { ...zab.defaultConfig, faults: { ...zab.defaultConfig.faults, crashes: 0 } }, strategy: 'bfs', search: {}, coverage: true });
    expect(report.outcome.distinctStates).toBe(177);
    expect(neverFired(report.coverage!)).toEqual(['server receives REQUEST', 'server receives PROPOSAL', 'server receives ACK', 'server receives COMMIT', 'server receives CLOSE', 'server timer sync']);
    // The heartbeats are declared only when the timeouts are on (liveness=1).
    expect(report.coverage!.some((c) => c.action === 'server receives PING')).toBe(false);
  });
});
