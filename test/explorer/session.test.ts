// The explorer's core without a browser: a session walks paxos by hand along the BFS
// counterexample, sees the property break at the right step, forks, searches from a state, and
// gives a trace that replays; watch expressions are parsed, never evaluated as code.
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { check } from '../../src/api/check.ts';
import { ExploreSession } from '../../src/api/explore.ts';
import { evaluateWatch, parseWatch } from '../../src/api/explore-watch.ts';
import { replay } from '../../src/api/replay.ts';

const paxos = builtinModels.find((m) => m.name === 'paxos')!;

describe('an explore session', () => {
  it('takes the events of the minority-quorums counterexample and sees AtMostOneChosen break after the last', async () => {
    const found = await check(paxos, { variant: 'minority-quorums' });
    const session = new ExploreSession(paxos, { variant: 'minority-quorums' });
    found.trace!.events.forEach((event, i) => {
      expect(session.view().firstViolation).toBeNull();
      expect(session.view().properties.find((p) => p.name === 'AtMostOneChosen')!.holds).toBe(true);
      session.take(event);
      expect(session.at).toBe(i + 1);
    });
    const view = session.view();
    expect(view.firstViolation).toMatchObject({ step: 8, property: 'AtMostOneChosen' });
    expect(view.properties.find((p) => p.name === 'AtMostOneChosen')).toMatchObject({ holds: false, message: found.violation!.message });
    expect(replay(paxos, session.trace())).toMatchObject({ ok: true, step: 8, property: 'AtMostOneChosen' });
  });

  it('goes back, keeps the future until another event is taken, then forks', async () => {
    const found = await check(paxos, { variant: 'minority-quorums' });
    const session = new ExploreSession(paxos, { trace: found.trace });
    expect(session.at).toBe(8);
    session.back();
    session.back();
    expect(session.at).toBe(6);
    session.forward();
    expect(session.at).toBe(7);
    session.back();
    const other = session.enabled().find((e) => JSON.stringify(e.event) !== JSON.stringify(found.trace!.events[6]))!;
    session.take(other.event);
    expect(session.length).toBe(7);
    expect(session.view().steps[7].description).toBe(other.description);
    expect(() => session.take({ kind: 'deliver', from: 9, to: 9, msg: {} })).toThrow(/not enabled/);
  });

  it('searches from the current state and puts the counterexample found on the path', () => {
    const session = new ExploreSession(paxos, { variant: 'minority-quorums' });
    const summary = session.search({ maxStates: 50_000 });
    expect(summary).toMatchObject({ result: 'violation', from: 0, violation: { property: 'AtMostOneChosen', step: 8 } });
    expect(session.length).toBe(8);
    expect(session.at).toBe(0);
    expect(replay(paxos, session.trace(8)).ok).toBe(true);
  });

  it('evaluates watch expressions over every step', () => {
    const session = new ExploreSession(paxos, {});
    session.addWatch('nodes.a0.durable.promised');
    session.addWatch('nodes[3].volatile.phase');
    session.addWatch('nodes.*.up');
    session.addWatch('inFlight.length');
    const [promised, phase, up, inFlight] = session.view().watches;
    expect(promised.values).toEqual([-1]);
    expect(phase.values).toEqual(['idle']);
    expect(Object.keys(up.values[0] as object)).toEqual(['a0', 'a1', 'a2', 'p0', 'p1']);
    expect(inFlight.values[0]).toBeGreaterThan(0);
    expect(() => session.addWatch('constructor.constructor("return 1")()')).toThrow(/unexpected/);
    expect(evaluateWatch(parseWatch('__proto__.x'), {})).toEqual({ value: undefined, error: null });
  });

  it('walks a spec model too: its actions are the events, with no lanes', () => {
    const spec = builtinModels.find((m) => m.name === 'paxos-tla')!;
    const session = new ExploreSession(spec, {});
    const [first] = session.enabled();
    expect(first).toMatchObject({ kind: 'action', type: 'Phase1a', nodes: [] });
    session.take(first.event);
    expect(session.view()).toMatchObject({ lanes: [], position: 1, changes: ['+ msgs 1a(bal=0)'] });
    expect(replay(spec, session.trace()).ok).toBe(true);
  });
});
