// The actor events as a discriminated union (src/world/events.ts): their JSON is the trace format
// (kind first, then the fields in the order traces have always held them), and an event read from
// a trace is narrowed once, at the edge, by its kind's fields.
import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/model/system.ts';
import { compileActors } from '../../src/world/actor-system.ts';
import { ACTOR_EVENT_KINDS, asActorEvent } from '../../src/world/events.ts';
import { streamProtocol } from '../fixtures/stream.ts';

describe('actor events', () => {
  it('are written as traces have always held them, one shape per kind', () => {
    const sys = compileActors(streamProtocol(2, 1), { network: 'unordered', faults: { crashes: 1, partitions: 1, drops: 1, duplicates: 1 } });
    let w = sys.step(sys.initialStates()[0], { kind: 'timer', node: 0, timer: 'tick' });
    const json = sys.enabled(w).map((e) => JSON.stringify(e));
    expect(json).toEqual([
      '{"kind":"deliver","from":0,"to":1,"msg":{"seq":0}}',
      '{"kind":"timer","node":1,"timer":"tick"}',
      '{"kind":"crash","node":0}',
      '{"kind":"crash","node":1}',
      '{"kind":"partition","groups":[0,1]}',
      '{"kind":"drop","from":0,"to":1,"msg":{"seq":0}}',
      '{"kind":"duplicate","from":0,"to":1,"msg":{"seq":0}}',
    ]);
    w = sys.step(w, { kind: 'crash', node: 0 });
    w = sys.step(w, { kind: 'partition', groups: [0, 1] });
    expect(sys.enabled(w).map((e) => JSON.stringify(e))).toEqual(expect.arrayContaining(['{"kind":"restart","node":0}', '{"kind":"heal"}']));
  });

  it('narrow an event of each kind from a trace, and refuse one that lacks its kind\'s fields', () => {
    const good: Event[] = [
      { kind: 'deliver', from: -1, to: 0, msg: null, choice: 1, of: 2 },
      { kind: 'timer', node: 0, timer: 't' },
      { kind: 'crash', node: 1 },
      { kind: 'restart', node: 1 },
      { kind: 'partition', groups: [0, 1] },
      { kind: 'heal' },
      { kind: 'drop', from: 0, to: 1, msg: 'm' },
      { kind: 'duplicate', from: 0, to: 1, msg: 'm' },
      { kind: 'write-error', node: 0 },
      { kind: 'power-loss', node: 1 },
    ];
    expect(good.map((e) => asActorEvent(e)?.kind)).toEqual([...ACTOR_EVENT_KINDS]);
    const bad: Event[] = [
      { kind: 'deliver', to: 'x' },
      { kind: 'deliver', from: 0, to: 1 },
      { kind: 'deliver', from: 0, to: 1, msg: 1, choice: '1' },
      { kind: 'timer', node: 0 },
      { kind: 'crash', node: '0' },
      { kind: 'power-loss' },
      { kind: 'partition', groups: 'all' },
      { kind: 'action', action: 'Step', args: {} },
    ];
    expect(bad.map((e) => asActorEvent(e))).toEqual(bad.map(() => undefined));
  });
});
