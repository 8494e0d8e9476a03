// Tests that fail fast on realistic one-line engine breaks that the rest of the suite once let
// through: PCT's priorities never changing, a state diff listing fields that did not change,
// --paranoid no longer comparing a handler's two runs, depth-bounded DFS re-expanding a state met
// deeper instead of shallower, BFS sleep sets under symmetry ignoring later arrivals, and faults
// that no longer spend their budget (a search bounded here, so such a break fails in seconds
// instead of running on). (Replay requiring the violation at the end: test/cli/json-schema.test.ts.)
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { check, defineActorModel, NO_FAULTS } from '../../src/index.ts';
import { PctPolicy } from '../../src/simulate/pct.ts';
import { Rng } from '../../src/simulate/rng.ts';
import type { Candidates } from '../../src/simulate/policy.ts';
import type { Event } from '../../src/model/system.ts';
import { diffPictures } from '../../src/trace/diff.ts';
import { pingModel } from '../fixtures/ping.ts';
import { defineModel } from '../../src/model/define.ts';
import type { ObjectSpec } from '../../src/model/spec.ts';
import { compileSpec } from '../../src/world/spec-system.ts';

/**
 * A counter that steps by one up to 20, with a shortcut from 0 straight to 3: under a depth bound
 * the states past the bound on the long path are reached only through the shortcut, which DFS
 * meets after (or before, by variant: the actions' order) the long path to 3.
 */
function shortcut(order: string): ObjectSpec<{ readonly x: number }> {
  const step = { name: 'Step', args: [{}], apply: (s: { x: number }) => (s.x < 20 ? { x: s.x + 1 } : undefined) };
  const jump = { name: 'Jump', args: [{}], apply: (s: { x: number }) => (s.x === 0 ? { x: 3 } : undefined) };
  return { representation: 'object', initialStates: () => [{ x: 0 }], actions: order === 'jump-first' ? [jump, step] : [step, jump], properties: [] };
}
const shortcutModel = defineModel({
  name: 'shortcut',
  version: 1,
  description: 'test fixture: a counter with a shortcut',
  params: {},
  variants: { default: { description: 'step first', expected: 'pass' }, 'jump-first': { description: 'jump first', expected: 'pass' } },
  defaultConfig: { network: 'set', faults: NO_FAULTS },
  configurable: { network: false, faults: false },
  build: ({ variant }) => compileSpec(shortcut(variant), {}),
});

const model = (name: string) => builtinModels.find((m) => m.name === name)!;

describe('engine breaks', () => {
  it('PCT lowers the running source\'s priority at its change points', () => {
    // Three always-eligible sources; without a priority change the same one would run every step.
    const deliver = (to: number): Event => ({ kind: 'deliver', to, from: 0, msg: 'm' });
    let switched = 0;
    for (let seed = 0; seed < 20; seed++) {
      const policy = new PctPolicy(Rng.fromSeed(`pct-${seed}`), 3, 10);
      const c: Candidates = { events: [deliver(1), deliver(2), deliver(3)], keys: [1, 2, 3], dues: [0, 0, 0], count: 3 };
      const chosen: number[] = [];
      for (let step = 0; step < 10; step++) {
        const i = policy.choose(c, 0);
        chosen.push(i);
        policy.taken(c.events[i], step);
      }
      if (new Set(chosen).size > 1) switched++;
    }
    expect(switched).toBeGreaterThan(10);
  });

  it('a state diff lists only what changed', () => {
    const before = { nodes: { a: { term: 1, log: [1, 2], role: { name: 'leader', since: 3 } }, b: { term: 1 } }, n: 5 };
    const after = { nodes: { a: { term: 2, log: [1, 2], role: { name: 'leader', since: 3 } }, b: { term: 1 } }, n: 5 };
    expect(diffPictures(before, after).map((l) => l.trim())).toEqual(['nodes.a.term: 1 -> 2']);
    expect(diffPictures(before, structuredClone(before))).toEqual([]);
  });

  it('--paranoid catches a handler that returns different steps for the same input (state kept outside the model)', async () => {
    let calls = 0;
    const leaky = defineActorModel({
      name: 'leaky',
      version: 1,
      description: 'test fixture: a handler that counts its calls in a closure',
      params: {},
      variants: { default: { description: 'the only variant', expected: 'pass' } },
      defaultConfig: { network: 'unordered', faults: NO_FAULTS },
      protocol: () => ({
        nodeCount: 2,
        init: (id) => ({ state: { durable: { seen: 0 }, volatile: null }, send: id === 0 ? [{ to: 1, msg: 'hi' }] : [] }),
        onMessage: (_id, state) => ({ state: { ...state, durable: { seen: (calls++ % 2) + 1 } } }),
        onTimer: () => undefined,
        onRestart: (_id, durable) => ({ state: { durable, volatile: null } }),
        properties: [],
      }),
    });
    const r = await check(leaky, { paranoid: true });
    expect(r.result).toBe('violation');
    expect(r.modelError?.message).toMatch(/returned different steps for the same input/);
  });

  it('depth-bounded DFS is complete up to its bound (a state met deep, then shallower, is expanded again)', async () => {
    for (const variant of ['default', 'jump-first']) {
      const bfs = await check(shortcutModel, { variant, strategy: 'bfs', maxDepth: 6 });
      const dfs = await check(shortcutModel, { variant, strategy: 'dfs', maxDepth: 6 });
      expect([variant, bfs.distinctStates, dfs.distinctStates]).toEqual([variant, 8, 8]);
    }
    for (const name of ['paxos-tla', 'paxos']) {
      for (const maxDepth of [6, 9]) {
        const bfs = await check(model(name), { strategy: 'bfs', maxDepth });
        const dfs = await check(model(name), { strategy: 'dfs', maxDepth, maxStates: bfs.distinctStates * 4, timeLimitMs: 30_000 });
        expect([name, maxDepth, dfs.distinctStates]).toEqual([name, maxDepth, bfs.distinctStates]);
        expect(dfs.inconclusiveReasons.filter((r) => /max states|time limit/.test(r))).toEqual([]);
      }
    }
  }, 60_000);

  it('BFS sleep sets under symmetry reach the same states as no reduction', async () => {
    for (const [m, options] of [
      [pingModel, { params: { nodes: 4 }, crashes: 1, symmetry: true }],
      [pingModel, { params: { nodes: 4 }, duplicates: 1, symmetry: true }],
      [model('paxos'), { symmetry: true, crashes: 1 }],
      [model('paxos-tla'), { symmetry: true }],
    ] as const) {
      const off = await check(m, { ...options, por: false });
      const on = await check(m, { ...options, por: true, maxStates: off.distinctStates * 2, timeLimitMs: 30_000 });
      expect([m.name, on.distinctStates, on.depth]).toEqual([m.name, off.distinctStates, off.depth]);
    }
  }, 60_000);

  it('crashes and duplications spend their budget: counts are exact and a runaway search stops at a bound', async () => {
    const bounded = { maxStates: 20_000, timeLimitMs: 30_000 };
    const crash = await check(pingModel, { crashes: 1, ...bounded });
    expect([crash.result, crash.distinctStates, crash.depth]).toEqual(['pass', 1531, 12]);
    const dup = await check(pingModel, { duplicates: 1, ...bounded });
    expect([dup.result, dup.distinctStates, dup.depth]).toEqual(['pass', 1580, 12]);
    const paxos = await check(model('paxos'), { crashes: 1, duplicates: 1, maxStates: 2_000_000, timeLimitMs: 40_000 });
    expect(paxos.inconclusiveReasons).toEqual([]);
  }, 60_000);
});
