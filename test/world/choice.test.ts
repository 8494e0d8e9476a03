// A nondeterministic choice in the actor API: a handler returns `{ choose: [...] }` and each
// alternative is an enabled event of its own (the plain event plus `choice: k` and `of: n`).
import { describe, expect, it } from 'vitest';
import { bfs } from '../../src/explore/bfs.ts';
import type { ActorSpec, Step } from '../../src/model/actor.ts';
import type { RunConfig } from '../../src/model/define.ts';
import { guardActorSpec, MODEL_ERROR } from '../../src/model/guard.ts';
import type { Event } from '../../src/model/system.ts';
import { defaultOptions, NO_FAULT_MIX } from '../../src/simulate/options.ts';
import { simulateRun } from '../../src/simulate/run.ts';
import type { Trace } from '../../src/trace/format.ts';
import { replay } from '../../src/trace/replay.ts';
import { compileActors } from '../../src/world/actor-system.ts';

type D = { value: string | null };
type V = Record<string, never>;
type M = { type: 'pick' };

const keep = (value: string | null): Step<D, V, M> => ({ state: { durable: { value }, volatile: {} } });

/**
 * n0 asks n1 to pick; n1 picks 'a' or 'b'. n0's timer 'coin' lands 'heads' or 'tails'. Reachable
 * targets for each outcome; the invariant NeverB breaks once n1 picked 'b'.
 */
function chooser(overrides: Partial<ActorSpec<D, V, M>> = {}): ActorSpec<D, V, M> {
  return {
    nodeCount: 2,
    choices: true,
    init: (id) => (id === 0 ? { ...keep(null), send: [{ to: 1, msg: { type: 'pick' } }], setTimers: ['coin'] } : keep(null)),
    onMessage: () => ({ choose: [keep('a'), keep('b')] }),
    onTimer: () => ({ choose: [keep('heads'), keep('tails')] }),
    onRestart: (_id, durable) => ({ state: { durable, volatile: {} } }),
    describeMessage: (msg) => msg.type,
    properties: [
      { name: 'NeverB', description: 'n1 never picks b', kind: 'invariant', test: (w) => w.nodes[1].durable.value !== 'b' },
      { name: 'PickedA', description: 'n1 picks a', kind: 'reachable', test: (w) => w.nodes[1].durable.value === 'a' },
      { name: 'PickedB', description: 'n1 picks b', kind: 'reachable', test: (w) => w.nodes[1].durable.value === 'b' },
    ],
    ...overrides,
  };
}

const config: RunConfig = { network: 'unordered', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } };
const pick = (choice: number): Event => ({ kind: 'deliver', from: 0, to: 1, msg: { type: 'pick' }, choice, of: 2 });

describe('nondeterministic choice', () => {
  it('lists each alternative as its own event, in choice order, where the plain event was', () => {
    const sys = compileActors(chooser(), config);
    const events = sys.enabled(sys.initialStates()[0]);
    expect(events).toEqual([pick(0), pick(1), { kind: 'timer', node: 0, timer: 'coin', choice: 0, of: 2 }, { kind: 'timer', node: 0, timer: 'coin', choice: 1, of: 2 }]);
    expect(events.map((e) => sys.describe(e, sys.initialStates()[0]))).toEqual([
      'n0 -> n1: pick [choice 1 of 2]',
      'n0 -> n1: pick [choice 2 of 2]',
      "n0: timer 'coin' fires [choice 1 of 2]",
      "n0: timer 'coin' fires [choice 2 of 2]",
    ]);
  });

  it('exhaustive search reaches every outcome: 3 values of n1 times 3 of n0', () => {
    const noInvariant = chooser();
    const outcome = bfs(compileActors({ ...noInvariant, properties: noInvariant.properties.filter((p) => p.kind === 'reachable') }, config), {});
    expect(outcome.result).toBe('pass');
    expect(outcome.distinctStates).toBe(9);
    const found = bfs(compileActors(chooser(), config), {});
    expect(found.result).toBe('violation');
  });

  it('a trace naming a choice replays by content, to the alternative it names', () => {
    const sys = compileActors(chooser(), config);
    const trace = (events: Event[], step: number | null): Trace =>
      JSON.parse(
        JSON.stringify({
          format: 'ordeal-trace',
          version: 1,
          model: { name: 'chooser', version: 1, variant: 'default', params: {} },
          config,
          strategy: 'bfs',
          seed: null,
          initial: 0,
          events,
          violation: step === null ? null : { property: 'NeverB', message: '', step },
        }),
      ) as Trace;
    expect(replay(sys, trace([pick(1)], 1))).toMatchObject({ ok: true, property: 'NeverB', step: 1 });
    expect(replay(sys, trace([pick(0)], null))).toMatchObject({ ok: true, property: null });
    // The plain delivery is not enabled when the handler chooses, nor is a choice out of range.
    expect(() => sys.step(sys.initialStates()[0], { kind: 'deliver', from: 0, to: 1, msg: { type: 'pick' } })).toThrow(/not enabled/);
    expect(() => sys.step(sys.initialStates()[0], { ...pick(2), of: 2 })).toThrow(/not enabled/);
  });

  it('simulation from a seed takes both alternatives over many runs', () => {
    const sys = compileActors(chooser(), config);
    const options = defaultOptions({ mix: NO_FAULT_MIX, maxSteps: 10 });
    const ends = new Set<string>();
    for (let run = 0; run < 40; run++) {
      const r = simulateRun(sys, options, 7, run);
      ends.add(r.violation ? 'b' : r.reached[0] ? 'a' : 'none');
      // The same seed and run take the same alternative again.
      expect(simulateRun(sys, options, 7, run).events).toEqual(r.events);
    }
    expect([...ends].sort()).toEqual(['a', 'b']);
  });

  it('without `choices`, events and counts are as before: no choice field, handlers not run to list', () => {
    let calls = 0;
    const single = chooser({ choices: false, onMessage: () => (calls++, keep('a')), onTimer: () => (calls++, keep('heads')) });
    const sys = compileActors(single, config);
    const events = sys.enabled(sys.initialStates()[0]);
    expect(calls).toBe(0);
    expect(events).toEqual([{ kind: 'deliver', from: 0, to: 1, msg: { type: 'pick' } }, { kind: 'timer', node: 0, timer: 'coin' }]);
    expect(bfs(sys, {}).distinctStates).toBe(4);
  });

  it('guard: an empty choice, an invalid alternative, or a choice without `choices` is a model error', () => {
    const errorOf = (spec: ActorSpec<D, V, M>): string => {
      const sys = compileActors(guardActorSpec(spec), config);
      const w = sys.step(sys.initialStates()[0], sys.enabled(sys.initialStates()[0])[0]);
      expect(sys.properties.find((p) => p.name === MODEL_ERROR)!.test(w)).toBe(false);
      return JSON.stringify(sys.show(w));
    };
    expect(errorOf(chooser({ onMessage: () => ({ choose: [] }) }))).toMatch(/not a non-empty array of steps/);
    expect(errorOf(chooser({ onMessage: () => ({ choose: [keep('a'), { send: [] } as unknown as Step<D, V, M>] }) }))).toMatch(/alternative 1 of its choice returned a step whose state/);
    expect(errorOf(chooser({ choices: false }))).toMatch(/does not declare `choices: true`/);
  });
});
