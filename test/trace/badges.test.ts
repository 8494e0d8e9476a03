// readBadges: a model's per-lane badges at every step of a trace, read from each node's real state.
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { NO_FAULTS } from '../../src/model/define.ts';
import { DOWN_BADGE, readBadges } from '../../src/trace/badges.ts';
import { TRACE_FORMAT, TRACE_VERSION, type Trace } from '../../src/trace/format.ts';
import { defineActorModel } from '../../src/api/define-actor-model.ts';
import { relayModel, relayProtocol } from '../fixtures/relay.ts';

function traceOf(events: Trace['events'], crashes = 0): Trace {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    model: { name: 'relay', version: 1, variant: 'default', params: { laps: 4 } },
    config: { network: 'unordered', faults: { ...NO_FAULTS, crashes } },
    strategy: 'hand',
    seed: null,
    initial: 0,
    events,
    violation: null,
  };
}

describe('readBadges', () => {
  it('gives each node its badge at every step, by lane name, and "down" for a node that is down', () => {
    const badges = readBadges(relayModel, traceOf([{ kind: 'timer', node: 0, timer: 'pass' }, { kind: 'crash', node: 2 }], 1))!;
    expect(badges).toHaveLength(3);
    expect(badges[0]).toEqual({ n0: 'holding\nlap 1', n1: 'idle\npassed 0', n2: 'idle\npassed 0', n3: 'idle\npassed 0', n4: 'idle\npassed 0', n5: 'idle\npassed 0' });
    expect(badges[1].n0).toBe('idle\npassed 1');
    expect(badges[2].n2).toBe(DOWN_BADGE);
  });

  it('stops where the trace stops replaying, and words a badge that throws', () => {
    const throwing = defineActorModel({
      ...relayModel,
      protocol: (params) => ({ ...relayProtocol(params.laps), badge: () => { throw new Error('no role'); } }),
    });
    const badges = readBadges(throwing, traceOf([{ kind: 'timer', node: 0, timer: 'pass' }, { kind: 'timer', node: 0, timer: 'pass' }]))!;
    expect(badges).toHaveLength(2); // the second timer is not armed: replay stops there
    expect(badges[0].n0).toBe('badge failed: no role');
  });

  it('is undefined for a model that declares no badge, and for a spec model', () => {
    const paxos = builtinModels.find((m) => m.name === 'paxos')!;
    expect(readBadges(paxos, { ...traceOf([]), model: { name: 'paxos', version: 1, variant: 'default', params: { acceptors: 3, proposers: 2, values: 2, rounds: 1, deadAcceptors: 0, q1: 0, q2: 0 } }, config: paxos.defaultConfig })).toBeUndefined();
    const spec = builtinModels.find((m) => m.name === 'paxos-tla')!;
    expect(readBadges(spec, { ...traceOf([]), model: { name: 'paxos-tla', version: 1, variant: 'default', params: { acceptors: 3, values: 2, ballots: 2 } }, config: spec.defaultConfig })).toBeUndefined();
  });
});
