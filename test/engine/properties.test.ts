// Property-based tests of the engine itself (fast-check): purity, canonical fingerprints,
// strategy agreement, replay of every counterexample.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { bfs } from '../../src/explore/bfs.ts';
import { dfs } from '../../src/explore/dfs.ts';
import type { ActorSpec } from '../../src/model/actor.ts';
import type { RunConfig } from '../../src/model/define.ts';
import { replay } from '../../src/trace/replay.ts';
import { TRACE_FORMAT, TRACE_VERSION } from '../../src/trace/format.ts';
import { deepFreeze } from '../../src/util/canonical.ts';
import { newFingerprint } from '../../src/util/hash.ts';
import { compileActors } from '../../src/world/actor-system.ts';
import { pingModel, pingProtocol } from '../fixtures/ping.ts';

const configArb: fc.Arbitrary<RunConfig> = fc.record({
  network: fc.constantFrom('unordered' as const, 'set' as const, 'fifo' as const),
  faults: fc.record({
    crashes: fc.integer({ min: 0, max: 1 }),
    partitions: fc.integer({ min: 0, max: 1 }),
    drops: fc.integer({ min: 0, max: 1 }),
    duplicates: fc.integer({ min: 0, max: 1 }),
  }),
});

/** Wrap every handler so that the state it is handed is deep-frozen: a mutation throws. */
function frozenInputs<D, V, M>(spec: ActorSpec<D, V, M>): ActorSpec<D, V, M> {
  return {
    ...spec,
    onMessage: (id, state, from, msg) => spec.onMessage(id, deepFreeze(structuredClone(state)), from, deepFreeze(structuredClone(msg))),
    onTimer: (id, state, timer) => spec.onTimer(id, deepFreeze(structuredClone(state)), timer),
    onRestart: (id, durable) => spec.onRestart(id, deepFreeze(structuredClone(durable))),
  };
}

describe('the engine', () => {
  it('never hands a handler a state it then mutates: random walks with frozen inputs run clean', () => {
    fc.assert(
      fc.property(configArb, fc.array(fc.nat(), { maxLength: 30 }), (config, choices) => {
        const system = compileActors(frozenInputs(pingProtocol(3, 1, 'default')), config);
        let world = system.initialStates()[0];
        for (const c of choices) {
          const events = system.enabled(world);
          if (events.length === 0) break;
          world = system.step(world, events[c % events.length]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('does not mutate the world it steps from: a state keeps its fingerprint after every successor is taken', () => {
    fc.assert(
      fc.property(configArb, fc.array(fc.nat(), { maxLength: 20 }), (config, choices) => {
        const system = pingModel.build({ params: { nodes: 3, retries: 1 }, variant: 'default', config });
        let world = system.initialStates()[0];
        for (const c of choices) {
          const before = newFingerprint();
          system.fingerprint(world, before);
          const shown = JSON.stringify(system.show(world));
          const events = system.enabled(world);
          if (events.length === 0) break;
          for (const e of events) system.step(world, e);
          expect(JSON.stringify(system.show(world))).toBe(shown);
          world = system.step(world, events[c % events.length]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('fingerprints an unordered network by its contents, not by the order messages were sent', () => {
    type Msg = { type: string; n: number };
    const spec = (order: Msg[][]): ActorSpec<null, null, Msg> => ({
      nodeCount: 3,
      init: (id) => ({ state: { durable: null, volatile: null }, send: order[id].map((msg) => ({ to: (id + 1 + (msg.n % 2)) % 3, msg })) }),
      onMessage: () => undefined,
      onTimer: () => undefined,
      onRestart: () => ({ state: { durable: null, volatile: null } }),
      properties: [],
    });
    const msgArb = fc.record({ type: fc.constantFrom('a', 'b'), n: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(fc.array(msgArb, { maxLength: 5 }), { minLength: 3, maxLength: 3 }), fc.integer(), (sends, seed) => {
        const shuffled = sends.map((list) => fc.sample(fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }), { seed, numRuns: 1 })[0]);
        const config: RunConfig = { network: 'unordered', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } };
        const a = compileActors(spec(sends), config);
        const b = compileActors(spec(shuffled), config);
        const fa = newFingerprint();
        const fb = newFingerprint();
        a.fingerprint(a.initialStates()[0], fa);
        b.fingerprint(b.initialStates()[0], fb);
        expect(fb).toEqual(fa);
      }),
      { numRuns: 100 },
    );
  });

  it('visits exactly as many states with BFS as with unbounded DFS', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 2, max: 3 }), fc.integer({ min: 0, max: 1 }), fc.constantFrom('default', 'forgets'), (config, nodes, retries, variant) => {
        const make = () => pingModel.build({ params: { nodes, retries }, variant, config });
        const b = bfs(make());
        const d = dfs(make());
        if (b.result === 'violation') {
          expect(d.result).toBe('violation');
          expect(d.violation!.property).toBe(b.violation!.property);
          expect(d.violation!.length).toBeGreaterThanOrEqual(b.violation!.length);
        } else expect(d.distinctStates).toBe(b.distinctStates);
      }),
      { numRuns: 25 },
    );
  });

  it('visits as many states with BFS as with DFS on Paxos.tla for small parameters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), (acceptors, values, ballots) => {
        const make = () => paxosTla.build({ params: { acceptors, values, ballots }, variant: 'default', config: paxosTla.defaultConfig });
        expect(dfs(make()).distinctStates).toBe(bfs(make()).distinctStates);
      }),
      { numRuns: 12 },
    );
  });

  it('replays every counterexample it finds to the same violation at the same step', () => {
    fc.assert(
      fc.property(configArb, fc.constantFrom('bfs', 'dfs'), (config, strategy) => {
        const faults = { ...config.faults, crashes: 1 };
        const make = () => pingModel.build({ params: { nodes: 3, retries: 1 }, variant: 'forgets', config: { ...config, faults } });
        const outcome = (strategy === 'bfs' ? bfs : dfs)(make());
        if (outcome.result !== 'violation') return;
        const v = outcome.violation!;
        const trace = {
          format: TRACE_FORMAT,
          version: TRACE_VERSION,
          model: { name: 'ping', version: 1, variant: 'forgets', params: { nodes: 3, retries: 1 } },
          config: { ...config, faults },
          strategy,
          seed: null,
          initial: v.initialIndex,
          events: JSON.parse(JSON.stringify(v.events)),
          violation: { property: v.property, message: v.description, step: v.length },
        } as const;
        expect(replay(make(), trace)).toMatchObject({ ok: true, property: v.property, step: v.length });
      }),
      { numRuns: 30 },
    );
  });
});
