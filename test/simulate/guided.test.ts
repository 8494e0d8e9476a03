// Guided simulation: deterministic from the seed on any worker count, its traces replay and shrink,
// it reaches Raft's Figure 8 within a bounded number of runs (thanks to its corpus: without it, and
// with random simulation, the same runs miss it), and its coverage report is sane.
import { describe, expect, it } from 'vitest';
import { simulate as simulateModel } from '../../src/api/simulate.ts';
import { raft } from '../../models/raft/index.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { defaultOptions, SIMULATION_FAULT_BUDGETS } from '../../src/simulate/options.ts';
import { simulate } from '../../src/simulate/simulate.ts';
import { replay } from '../../src/trace/replay.ts';
import { simulateGuided } from '../../src/simulate/guided.ts';
import { defaultAbstractionOf } from '../../src/simulate/abstraction.ts';

const raftConfig = { ...raft.defaultConfig, faults: SIMULATION_FAULT_BUDGETS };

function figure8(runEnd: number, seed = 1) {
  return simulate({
    model: raft, variant: 'figure-8', params: resolveParams(raft, {}), config: raftConfig, seed,
    options: defaultOptions({ strategy: 'guided' }), runStart: 0, runEnd, stopAtViolation: true,
  });
}

describe('guided simulation', () => {
  it("finds Raft's Figure 8 from seed 10 within 1,000 runs, as a trace that replays and shrinks", async () => {
    const report = await figure8(1000, 10);
    expect(report.tally.violation?.property).toBe('LeaderCompleteness');
    expect(report.tally.violation!.run).toBe(767);
    const trace = report.trace!;
    expect(trace.strategy).toBe('guided');
    expect(trace.shrunkFrom).toBe(report.tally.violation!.events.length);
    expect(trace.events.length).toBeLessThan(trace.shrunkFrom!);
    expect(replay(report.system, trace)).toMatchObject({ ok: true, property: 'LeaderCompleteness', step: trace.events.length });
  }, 120_000);

  it('owes that find to its corpus: the same 1,000 runs started fresh, and 1,000 random runs, find nothing', async () => {
    const system = raft.build({ params: resolveParams(raft, {}), variant: 'figure-8', config: raftConfig });
    const base = { system, options: defaultOptions({ strategy: 'guided' }), seed: 10, budgets: SIMULATION_FAULT_BUDGETS, runStart: 0, runEnd: 1000, stopAtViolation: true };
    expect(simulateGuided(base).violation?.run).toBe(767);
    const fresh = simulateGuided({ ...base, keepCorpus: false });
    expect([fresh.violation, fresh.runEnd, fresh.coverage!.corpus]).toEqual([null, 1000, 0]);
    const random = await simulate({
      model: raft, variant: 'figure-8', params: resolveParams(raft, {}), config: raftConfig, seed: 10,
      options: defaultOptions({ strategy: 'random' }), runStart: 0, runEnd: 1000, stopAtViolation: true,
    });
    expect(random.tally.violation).toBeNull();
  }, 120_000);

  it("a newcomer's model, with strategy 'guided' and nothing else, reaches Figure 8: its default runs (10,000) cover seed 1's find at run 6,017", async () => {
    // The model as a newcomer would write it: no declared check to lend a seed or a budget.
    const undeclared = { ...raft, variants: Object.fromEntries(Object.entries(raft.variants).map(([name, v]) => [name, { ...v, check: undefined }])) };
    const result = await simulateModel(undeclared, { variant: 'figure-8', strategy: 'guided', shrink: false });
    expect(result.result).toBe('violation');
    expect(result.violation?.property).toBe('LeaderCompleteness');
    expect(result.runs).toBe(6017);
    // With the other strategies' default of 1,000 runs it would stop short.
    expect((await simulateModel(undeclared, { variant: 'figure-8', strategy: 'guided', runs: 1000, shrink: false })).result).not.toBe('violation');
  }, 180_000);

  it('gives the same runs, violation and coverage for the same seed, in one thread or with workers: 2', async () => {
    const options = { variant: 'figure-8', strategy: 'guided' as const, runs: 300, seed: 5, shrink: false };
    const one = await simulateModel(raft, options);
    const again = await simulateModel(raft, options);
    const two = await simulateModel(raft, { ...options, workers: 2 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(one));
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(one.coverage!.abstractStates).toBeGreaterThan(50);
  }, 120_000);

  it('reproduces run r alone (--run r) by rebuilding the corpus from the runs before it', async () => {
    const system = raft.build({ params: resolveParams(raft, {}), variant: 'figure-8', config: raftConfig });
    const base = { system, options: defaultOptions({ strategy: 'guided' }), seed: 3, budgets: SIMULATION_FAULT_BUDGETS, stopAtViolation: false };
    const all = simulateGuided({ ...base, runStart: 0, runEnd: 200 });
    const last = simulateGuided({ ...base, runStart: 199, runEnd: 200 });
    expect(last.runEnd - last.runStart).toBe(1);
    expect(last.events).toBe(all.events - simulateGuided({ ...base, runStart: 0, runEnd: 199 }).events);
  }, 120_000);

  it('reports a non-decreasing coverage curve and a Good-Turing estimate in [0, 1]', async () => {
    const report = await figure8(640, 2);
    const coverage = report.tally.coverage!;
    expect(coverage.curve.length).toBeGreaterThan(1);
    for (let i = 1; i < coverage.curve.length; i++) {
      expect(coverage.curve[i].runs).toBeGreaterThan(coverage.curve[i - 1].runs);
      expect(coverage.curve[i].abstractStates).toBeGreaterThanOrEqual(coverage.curve[i - 1].abstractStates);
    }
    expect(coverage.curve.at(-1)!.abstractStates).toBe(coverage.abstractStates);
    expect(coverage.unseenEstimate).toBeGreaterThanOrEqual(0);
    expect(coverage.unseenEstimate).toBeLessThanOrEqual(1);
    expect(coverage.corpus).toBeGreaterThan(0);
  }, 120_000);

  it('keeps liveness for the other strategies (guided checks safety only)', async () => {
    await expect(simulateModel(raft, { strategy: 'guided', liveness: true, runs: 1 })).rejects.toThrow(/guided checks safety only/);
  });

  it('abstracts a picture by default to its strings and booleans, not its numbers or lists', () => {
    const picture = { nodes: { n0: { volatile: { role: 'leader', ready: true, epoch: 4, log: ['a'] } }, n1: { DOWN: true, durable: { epoch: 3 } } } };
    expect(defaultAbstractionOf(picture)).toBe('.nodes.n0.volatile.role=leader .nodes.n0.volatile.ready=true .nodes.n1.DOWN=true');
  });
});
