import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import { failingPrefix, shrinkTrace } from '../../src/trace/shrink.ts';
import { replay } from '../../src/trace/replay.ts';
import { NO_FAULTS } from '../../src/model/define.ts';
import { modelNamed, request } from './helpers.ts';

describe('shrinking simulation counterexamples', () => {
  it('writes a shrunk trace that replays to the same violation, no longer than the run', async () => {
    for (const variant of ['ignores-reported-value', 'minority-quorums']) {
      const report = await simulate(request('paxos', variant, { runEnd: 2000 }));
      const trace = report.trace!;
      expect(trace.violation!.property).toBe('AtMostOneChosen');
      expect(trace.shrunkFrom).toBe(report.tally.violation!.events.length);
      expect(trace.events.length).toBeLessThanOrEqual(trace.shrunkFrom!);
      const result = replay(report.system, trace);
      expect(result).toMatchObject({ ok: true, property: 'AtMostOneChosen', step: trace.events.length });
    }
  });

  it('also writes an unshrunk trace that replays when asked not to shrink', async () => {
    const report = await simulate(request('paxos', 'ignores-reported-value', { runEnd: 2000, shrink: false }));
    expect(report.trace!.shrunkFrom).toBeUndefined();
    expect(replay(report.system, report.trace!).ok).toBe(true);
  });

  it('leaves a trace from which no single event can be removed (1-minimal)', async () => {
    const report = await simulate(request('ping', 'forgets', { runEnd: 5000 }));
    const trace = report.trace!;
    for (let i = 0; i < trace.events.length; i++) {
      const without = trace.events.filter((_, j) => j !== i);
      expect(failingPrefix(report.system, 0, without, 'AnswerOnce')).toBeNull();
    }
  });

  it('keeps a BFS counterexample at its length (BFS traces are already shortest)', () => {
    const model = modelNamed('paxos');
    const check = runCheck({
      model,
      variant: 'minority-quorums',
      params: resolveParams(model, {}),
      config: { network: 'unordered', faults: NO_FAULTS },
      strategy: 'bfs',
      search: {},
    });
    const { trace } = shrinkTrace(check.system, check.trace!);
    expect(trace.events.length).toBe(check.trace!.events.length);
    expect(replay(check.system, trace).ok).toBe(true);
  });
});
