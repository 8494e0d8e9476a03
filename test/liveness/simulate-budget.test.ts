// simulate --liveness: the default step budget is measured on the model (src/api/liveness-budget.ts),
// and running out of it after the faults healed is worded as VOPR's liveness mode words it.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/api/simulate.ts';
import { defineActorModel } from '../../src/api/define-actor-model.ts';

/** One node counting timer ticks in memory; the target holds once it counted `needed` (never, for 0). */
const counter = (needed: number) =>
  defineActorModel({
    name: `counter-${needed}`,
    version: 1,
    description: 'counts ticks of a timer',
    params: {},
    variants: { default: { description: 'counts', expected: 'pass' } },
    defaultConfig: { network: 'unordered', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } },
    protocol: () => ({
      nodeCount: 1,
      init: () => ({ state: { durable: null, volatile: 0 }, setTimers: ['tick'] }),
      onMessage: () => undefined,
      onTimer: (_id: number, s: { durable: null; volatile: number }) => ({ state: { durable: null, volatile: s.volatile + 1 }, setTimers: ['tick'] }),
      onRestart: () => ({ state: { durable: null, volatile: 0 }, setTimers: ['tick'] }),
      properties: [{ name: 'Counted', description: `counted ${needed} ticks`, kind: 'reachable' as const, test: (w: { nodes: readonly { volatile: number | null }[] }) => needed > 0 && (w.nodes[0].volatile ?? 0) >= needed }],
    }),
  });

describe('simulate --liveness budget', () => {
  it('gives a healed run ten times a healthy run: 1500 ticks fit without --max-steps, not in the old 1000 steps', async () => {
    const model = counter(1500);
    const options = { liveness: true, crashes: 0, partitions: 0, drops: 0, duplicates: 0, livenessWindow: 10_000_000, runs: 3, seed: 1 };
    expect((await simulate(model, options)).result).toBe('pass');
    const old = await simulate(model, { ...options, maxSteps: 1000 });
    expect(old.violation?.message).toMatch(/^no progress after the faults healed: 'counted 1500 ticks' not reached within 500 steps after step 500$/);
  });

  it('words a run out of virtual time the same way', async () => {
    const r = await simulate(counter(0), { liveness: true, runs: 1, seed: 1 });
    expect(r.violation?.kind).toBe('liveness');
    expect(r.violation?.message).toMatch(/^no progress after the faults healed: 'counted 0 ticks' not reached within 5000 ms of virtual time after step 500$/);
  });
});
