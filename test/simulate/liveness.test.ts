import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/simulate.ts';
import { replay } from '../../src/trace/replay.ts';
import { modelNamed, request } from './helpers.ts';

const crashesOnly = { network: 'unordered' as const, faults: { crashes: 2, partitions: 0, drops: 0, duplicates: 0 } };
const partitionsOnly = { network: 'unordered' as const, faults: { crashes: 0, partitions: 1, drops: 0, duplicates: 0 } };
const liveness = { faultPhaseSteps: 20, windowMs: 5000 };

describe('liveness after the fault phase', () => {
  it('reports a pinger that forgets its round on a crash as a liveness violation', async () => {
    const report = await simulate(request('ping', 'default', { runEnd: 500, config: crashesOnly, options: { liveness } }));
    const v = report.tally.violation!;
    expect(v.kind).toBe('liveness');
    expect(v.property).toBe('AllPonged');
    expect(report.trace!.violation!.kind).toBe('liveness');
    // Liveness traces are reported as simulated (shrinking would remove the progress they are about).
    expect(report.trace!.events.length).toBe(v.events.length);
  });

  it('writes a liveness trace that replays: every event applies and the target still does not hold', async () => {
    const report = await simulate(request('ping', 'default', { runEnd: 500, config: crashesOnly, options: { liveness } }));
    const trace = report.trace!;
    const system = modelNamed('ping').build({ params: trace.model.params, variant: trace.model.variant, config: trace.config });
    expect(replay(system, trace)).toMatchObject({ ok: true, property: 'AllPonged', step: trace.events.length });
    // The same events without the crash that stalls progress no longer end in a stalled target.
    const healthy = { ...trace, events: trace.events.filter((e) => e.kind !== 'crash' && e.kind !== 'restart') };
    expect(replay(system, healthy).ok).toBe(false);
  });

  it('passes when partitions heal and the messages they held are then delivered (a set network loses nothing)', async () => {
    const report = await simulate(request('ping', 'default', { runEnd: 300, config: { ...partitionsOnly, network: 'set' as const }, options: { liveness } }));
    expect(report.tally.violation).toBeNull();
    expect(report.tally.targetRuns).toEqual([300]);
  });

  it('reports a ping lost to a partition on an unordered network, which loses what crosses a partition', async () => {
    const report = await simulate(request('ping', 'default', { runEnd: 300, config: partitionsOnly, options: { liveness } }));
    const v = report.tally.violation!;
    expect(v.kind).toBe('liveness');
    expect(v.property).toBe('AllPonged');
    expect(v.events.some((e) => e.kind === 'partition')).toBe(true);
  });

  it('reports no liveness violation when not asked to check liveness', async () => {
    const report = await simulate(request('ping', 'default', { runEnd: 500, config: crashesOnly }));
    expect(report.tally.violation).toBeNull();
  });
});
