// check --liveness on the duel fixture: fair lassos found, unfair cycles filtered, the counterexample
// a prefix plus a loop that replays (by `step` alone) and renders with its loop marked.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/api/check.ts';
import { replay } from '../../src/api/replay.ts';
import { renderMermaid, readTrace, renderHtml } from '../../src/api/traces.ts';
import { duelModel } from '../fixtures/duel.ts';
import { diskModel } from '../fixtures/disk.ts';

const live = (variant: string, extra: Record<string, unknown> = {}) => check(duelModel, { variant, liveness: true, ...extra });

describe('check --liveness', () => {
  it('a model that makes progress under its fairness passes: 34 states', async () => {
    const r = await live('default');
    expect([r.result, r.distinctStates, r.transitions, r.depth]).toEqual(['pass', 34, 46, 8]);
  });

  it('finds the duel as a fair lasso: no prefix, a loop of 4 events, and it replays', async () => {
    const r = await live('livelock');
    expect([r.result, r.violation?.property, r.violation?.length, r.distinctStates]).toEqual(['violation', 'Decided', 4, 28]);
    expect(r.trace?.loop).toBe(0);
    expect(r.trace?.violation?.kind).toBe('liveness');
    expect(r.trace!.events.map((e) => e.kind)).toEqual(['timer', 'timer', 'deliver', 'deliver']);
    expect(replay(duelModel, r.trace!).ok).toBe(true);
    expect(r.timeline).toContain('---- loop: the events below repeat forever');
    expect(r.timeline).toContain('---- back to the state after event 0');
  });

  it('filters the duel when a fair timer stays enabled along it and is never taken: 86 states pass', async () => {
    const r = await live('giveup');
    expect([r.result, r.distinctStates, r.transitions]).toEqual(['pass', 86, 173]);
  });

  it('reports the same duel when that timer is not fair', async () => {
    const r = await live('giveup-unfair');
    expect([r.result, r.violation?.length, r.trace?.loop]).toEqual(['violation', 4, 0]);
    expect(replay(duelModel, r.trace!).ok).toBe(true);
  });

  it('with timers not fair (the default fairness) the behaviour may stop at the start: a stutter of 0 events', async () => {
    const r = await live('timers-unfair');
    expect([r.violation?.length, r.trace?.loop]).toEqual([0, 0]);
    expect(replay(duelModel, r.trace!).ok).toBe(true);
    expect(r.timeline).toContain('the behaviour stops here forever');
  });

  it('replay refuses a loop that does not return, and one that starves a fair event', async () => {
    const r = await live('livelock');
    const notBack = { ...r.trace!, events: r.trace!.events.slice(0, 3) };
    expect(replay(duelModel, { ...notBack, violation: { ...r.trace!.violation!, step: 3 } })).toMatchObject({ ok: false });
    const unfair = await live('giveup-unfair');
    const judgedFair = { ...unfair.trace!, model: { ...unfair.trace!.model, variant: 'giveup' } };
    const result = replay(duelModel, judgedFair);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/not fair: .*giveup.* never taken/);
  });

  it('renders the lasso in Mermaid and HTML with the loop marked', async () => {
    const r = await live('livelock');
    const reading = readTrace(duelModel.build({ params: {}, variant: 'livelock', config: r.trace!.config }), r.trace!);
    expect(renderMermaid(reading)).toContain('loop: the steps below repeat forever');
    expect(renderHtml(reading)).toContain('lasso: the loop starts after step 0');
  });

  it('a broken invariant is reported as BFS would, with a shortest path', async () => {
    const r = await check(diskModel, { variant: 'ack-before-sync', diskFaults: 1, liveness: true });
    expect([r.violation?.property, r.violation?.length, r.trace?.loop]).toEqual(['AckedDurable', 3, undefined]);
  });

  it('refuses symmetry, sleep sets and another strategy, naming the option', async () => {
    const { pingModel } = await import('../fixtures/ping.ts');
    await expect(check(pingModel, { liveness: true, symmetry: true })).rejects.toThrow(/check: liveness cannot be combined with symmetry/);
    await expect(live('default', { por: true })).rejects.toThrow(/check: liveness cannot be combined with por/);
    await expect(live('default', { strategy: 'dfs' })).rejects.toThrow(/check: liveness is its own search/);
    await expect(check(pingModel, { strategy: 'liveness', symmetry: true })).rejects.toThrow(/strategy liveness cannot be combined with symmetry/);
  });

  it('is bounded like check: a state limit makes it inconclusive when no lasso is found', async () => {
    const r = await live('giveup', { maxStates: 10 });
    expect(r.result).toBe('inconclusive');
  });
});
