// One Strategy interface, one registry: every strategy is found by its name and nothing else, an
// unknown name is refused naming the valid ones, and every strategy reports progress and stops when
// cancelled the same way (inconclusive, with what it found so far).
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { check, InputError, simulate } from '../../src/index.ts';
import {
  EXHAUSTIVE_STRATEGY_NAMES,
  SIMULATION_STRATEGY_NAMES,
  STRATEGY_NAMES,
  strategyNamed,
} from '../../src/explore/strategies/index.ts';

const paxos = builtinModels.find((m) => m.name === 'paxos')!;

describe('the strategy registry', () => {
  it('declares every strategy once, each under its own name and kind', () => {
    expect(STRATEGY_NAMES).toEqual(['bfs', 'dfs', 'random', 'swarm', 'pct', 'guided', 'liveness']);
    expect(EXHAUSTIVE_STRATEGY_NAMES).toEqual(['bfs', 'dfs', 'liveness']);
    expect(SIMULATION_STRATEGY_NAMES).toEqual(['random', 'swarm', 'pct', 'guided']);
    for (const name of STRATEGY_NAMES) expect(strategyNamed(name).name).toBe(name);
    expect(strategyNamed('bfs', 'exhaustive').searchShards).toBeTypeOf('function');
  });

  it('rejects an unknown name with an InputError naming the valid ones', () => {
    expect(() => strategyNamed('bfss')).toThrow(new InputError("strategy must be 'bfs', 'dfs', 'random', 'swarm', 'pct', 'guided' or 'liveness', got 'bfss'"));
    expect(() => strategyNamed('random', 'exhaustive')).toThrow(new InputError("strategy must be 'bfs', 'dfs' or 'liveness', got 'random'"));
    expect(() => strategyNamed('bfs', 'simulation', '--strategy')).toThrow(new InputError("--strategy must be 'random', 'swarm', 'pct' or 'guided', got 'bfs'"));
  });

  it('is what check() and simulate() look names up in', async () => {
    await expect(check(paxos, { strategy: 'random' as 'bfs' })).rejects.toThrow(new InputError("check: strategy must be 'bfs', 'dfs' or 'liveness', got 'random'"));
    await expect(simulate(paxos, { strategy: 'dfs' as 'pct' })).rejects.toThrow(new InputError("simulate: strategy must be 'random', 'swarm', 'pct' or 'guided', got 'dfs'"));
  });
});

describe('progress and cancellation, the same for every strategy', () => {
  const exhaustive = [...EXHAUSTIVE_STRATEGY_NAMES.map((strategy) => ({ strategy, workers: undefined })), { strategy: 'bfs' as const, workers: 2 }];
  it.each(exhaustive)('$strategy (workers $workers) stops after some states, inconclusive with the reason given', async ({ strategy, workers }) => {
    const controller = new AbortController();
    const seen: number[] = [];
    const r = await check(paxos, {
      strategy,
      workers,
      por: false,
      // The liveness search refuses symmetry, which paxos turns on by default.
      ...(strategy === 'liveness' ? { symmetry: false } : {}),
      onProgress: (p) => {
        seen.push(p.distinctStates);
        if (p.distinctStates >= 5000) controller.abort('enough states');
      },
      signal: controller.signal,
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(r.result).toBe('inconclusive');
    expect(r.inconclusiveReasons).toContain('enough states');
    expect(r.distinctStates).toBeGreaterThanOrEqual(5000);
    expect(r.distinctStates).toBeLessThan(35_751);
  }, 60_000);

  const simulated = [...SIMULATION_STRATEGY_NAMES.map((strategy) => ({ strategy, workers: 1 })), { strategy: 'random' as const, workers: 2 }];
  it.each(simulated)('$strategy (workers $workers) stops after some runs, inconclusive with the reason given', async ({ strategy, workers }) => {
    const controller = new AbortController();
    const seen: number[] = [];
    const r = await simulate(paxos, {
      strategy,
      workers,
      runs: 2000,
      onProgress: (p) => {
        seen.push(p.runs);
        if (p.runs >= 128) controller.abort('enough runs');
      },
      signal: controller.signal,
    });
    expect(seen[0]).toBeGreaterThan(0);
    expect(r.result).toBe('inconclusive');
    expect(r.inconclusiveReasons[0]).toBe('enough runs');
    expect(r.runs).toBeGreaterThanOrEqual(128);
    expect(r.runs).toBeLessThan(2000);
  }, 60_000);

  it('an AbortSignal aborted without a reason says cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await check(paxos, { signal: controller.signal, maxStates: 100_000 });
    expect(r).toMatchObject({ result: 'inconclusive', inconclusiveReasons: ['cancelled'] });
  });
});
