// tcp reconnection: when a partition heals, every pair of up nodes it had separated hears of it
// through `onConnect` (the retries a real server keeps making), within the heal event, in node then
// peer order; pairs that were never apart, or with an end that is down, hear nothing.
import { describe, expect, it } from 'vitest';
import { bfs } from '../../src/explore/bfs.ts';
import type { RunConfig } from '../../src/model/define.ts';
import type { TransitionSystem } from '../../src/model/system.ts';
import { compileActors } from '../../src/world/actor-system.ts';
import { streamProtocol, type StreamDurable } from '../fixtures/stream.ts';

type Picture = { nodes: Record<string, { durable?: StreamDurable; DOWN?: boolean }>; inFlight: string[] };

function system(faults: Partial<RunConfig['faults']>, reconnect = true): TransitionSystem<unknown> {
  const config: RunConfig = { network: 'tcp', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0, ...faults } };
  return compileActors(streamProtocol(3, 1, { reconnect }), config) as TransitionSystem<unknown>;
}

const connectsOf = (sys: TransitionSystem<unknown>, w: unknown): (readonly number[] | undefined)[] =>
  Object.values((sys.show(w) as Picture).nodes).map((n) => n.durable?.connects);

describe('tcp reconnection at heal', () => {
  it('tells both ends of every healed connection, in node then peer order, and lets them send at once', () => {
    const sys = system({ partitions: 1 });
    let w = sys.step(sys.initialStates()[0], { kind: 'partition', groups: [0, 0, 1] });
    w = sys.step(w, { kind: 'heal' });
    expect(connectsOf(sys, w)).toEqual([[2], [2], [0, 1]]);
    expect((sys.show(w) as Picture).inFlight).toEqual(['n2 -> n0: {"seq":0}', 'n2 -> n1: {"seq":1}', 'n0 -> n2: {"seq":0}', 'n1 -> n2: {"seq":0}']);
  });

  it('says nothing to a node that is down, nor about it', () => {
    const sys = system({ partitions: 1, crashes: 1 });
    let w = sys.step(sys.initialStates()[0], { kind: 'partition', groups: [0, 0, 1] });
    w = sys.step(w, { kind: 'crash', node: 0 });
    w = sys.step(w, { kind: 'heal' });
    expect(connectsOf(sys, w)).toEqual([undefined, [2], [1]]);
  });

  it('adds behaviour exhaustive search can see, and keeps the no-stale-message rule', () => {
    const withReconnect = bfs(system({ partitions: 1 }), {});
    const without = bfs(system({ partitions: 1 }, false), {});
    expect(withReconnect.result).toBe('pass');
    expect(without.result).toBe('pass');
    expect(without.distinctStates).toBe(5853);
    expect(withReconnect.distinctStates).toBeGreaterThan(without.distinctStates);
  });
});
