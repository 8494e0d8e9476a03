// The default abstract state of an actor world (src/world/abstraction.ts), what guided simulation
// counts as coverage when a model declares none: per node, down or the strings and booleans of its
// state (role, phase), never numbers or lists; made per interned node slot, without the picture.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walk } from '../helpers/walk.ts';
import { paxos } from '../../models/paxos/index.ts';
import type { NodeSlot } from '../../src/model/actor.ts';
import { SIMULATION_FAULT_BUDGETS } from '../../src/simulate/options.ts';
import { defaultNodeAbstraction } from '../../src/world/abstraction.ts';
import type { ActorSystem } from '../../src/world/actor-system.ts';

type System = ActorSystem<unknown, unknown, unknown>;
const params = Object.fromEntries(Object.entries(paxos.params).map(([k, d]) => [k, d.default]));
const build = (): System => paxos.build({ params, variant: 'default', config: { ...paxos.defaultConfig, faults: SIMULATION_FAULT_BUDGETS } }) as unknown as System;


describe('the default abstraction of actor worlds', () => {
  it('keeps a node\'s strings and booleans (two levels deep), never its numbers or lists', () => {
    const slot: NodeSlot<unknown, unknown> = {
      up: true,
      durable: { term: 3, note: 'x' },
      volatile: { role: 'leader', ready: true, epoch: 4, log: ['a'], sync: { phase: 'diff', count: 2, deeper: { hidden: 'y' } } },
      timers: ['election'],
    };
    expect(defaultNodeAbstraction(slot)).toBe('up ready=true role=leader phase=diff note=x');
    expect(defaultNodeAbstraction({ up: false, durable: { term: 3, note: 'x' }, volatile: null, timers: [] })).toBe('down note=x');
  });

  it('is made from the node slots, not the picture, and agrees with each node slot read afresh', () => {
    const system = build();
    // If the abstraction rendered the picture, this would throw.
    system.show = () => {
      throw new Error('show called');
    };
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 40 }), (picks) => {
        for (const w of walk(system, picks)) {
          const parts = system.abstraction!(w).split('|');
          expect(parts.slice(1)).toEqual(system.view(w).nodes.map((slot) => defaultNodeAbstraction(slot as NodeSlot<unknown, unknown>)));
          expect(parts[0]).toBe(system.view(w).partition === null ? 'p0' : parts[0]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('tells a crashed node and a partitioned network apart from the initial world', () => {
    const system = build();
    const w0 = system.initialStates()[0];
    const crash = system.enabled(w0).find((e) => e.kind === 'crash')!;
    const partition = system.enabled(w0).find((e) => e.kind === 'partition')!;
    const crashed = system.abstraction!(system.step(w0, crash));
    const split = system.abstraction!(system.step(w0, partition));
    expect(crashed).not.toBe(system.abstraction!(w0));
    expect(crashed.split('|').filter((p) => p.startsWith('down'))).toHaveLength(1);
    expect(split.startsWith('p0|')).toBe(false);
    expect(split.slice(split.indexOf('|'))).toBe(system.abstraction!(w0).slice(system.abstraction!(w0).indexOf('|')));
  });
});
