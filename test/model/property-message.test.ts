// A property may return a message instead of false: it is broken, and the counterexample prints
// "<description>: <message>" (check, simulate, shrink, the library API).
import { describe, expect, it } from 'vitest';
import { check, defineActorModel, simulate } from '../../src/index.ts';
import { paxos } from '../../models/paxos/index.ts';
import { shrinkTrace } from '../../src/trace/shrink.ts';
import { runCheck } from '../../src/check/run.ts';
import { resolveParams } from '../../src/model/resolve.ts';

const DESCRIPTION = 'at most one value is chosen (a value is chosen when a phase-2 quorum of acceptors voted for it in one ballot)';

// Two counters that count to 2; the property is broken once both reach 2, and says so in words.
const counters = defineActorModel<{ n: number }, null, 'tick'>({
  name: 'counters',
  version: 1,
  description: 'two nodes count to two',
  params: {},
  variants: { default: { description: 'as written', expected: 'NotBothTwo' } },
  defaultConfig: { network: 'unordered', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } },
  protocol: () => ({
    nodeCount: 2,
    init: () => ({ state: { durable: { n: 0 }, volatile: null }, setTimers: ['tick'] }),
    onMessage: () => undefined,
    onTimer: (_id, s) => ({ state: { durable: { n: s.durable.n + 1 }, volatile: null }, ...(s.durable.n + 1 < 2 ? { setTimers: ['tick'] } : {}) }),
    onRestart: (_id, durable) => ({ state: { durable, volatile: null } }),
    properties: [
      { name: 'Counts', description: 'counters stay small', kind: 'invariant', test: (w) => w.nodes.every((n) => n.durable.n <= 2) },
      {
        name: 'NotBothTwo',
        description: 'the two counters are never both 2',
        kind: 'invariant',
        test: (w) => (w.nodes.every((n) => n.durable.n === 2) ? `n0 reached ${w.nodes[0].durable.n} while n1 reached ${w.nodes[1].durable.n}` : true),
      },
      { name: 'Done', description: 'n0 reached 2', kind: 'reachable', test: (w) => (w.nodes[0].durable.n === 2 ? true : 'n0 not at 2 yet') },
    ],
  }),
});

describe('property messages', () => {
  it('a string is broken, true holds, and the message follows the description', async () => {
    const r = await check(counters);
    expect(r.result).toBe('violation');
    expect(r.violation).toMatchObject({ property: 'NotBothTwo', message: 'the two counters are never both 2: n0 reached 2 while n1 reached 2', length: 4 });
    expect(r.trace!.violation!.message).toBe('the two counters are never both 2: n0 reached 2 while n1 reached 2');
    expect(r.timeline).toContain('n0 reached 2 while n1 reached 2');
    // A reachable target that returns a string is simply not reached yet; it is reached later.
    expect(r.reachable).toEqual([{ name: 'Done', reachedAtLength: 2 }]);
  });

  it('simulation prints the message too', async () => {
    const r = await simulate(counters, { runs: 5 });
    expect(r.violation?.message).toBe('the two counters are never both 2: n0 reached 2 while n1 reached 2');
  });

  it("paxos AtMostOneChosen names the two values, their ballots and the acceptors that chose them", async () => {
    const report = runCheck({
      model: paxos,
      variant: 'ignores-reported-value',
      params: resolveParams(paxos),
      config: paxos.defaultConfig,
      strategy: 'bfs',
      search: {},
    });
    const message = report.outcome.violation!.description;
    expect(message).toMatch(new RegExp(`^${DESCRIPTION.replace(/[()]/g, '\\$&')}: two values chosen: "v\\d" in ballot \\d+ by a\\d, a\\d, and "v\\d" in ballot \\d+ by a\\d, a\\d$`));
    expect(message).toContain('"v0"');
    expect(message).toContain('"v1"');
    expect(report.trace!.violation!.message).toBe(message);
  });

  it('shrinking words the message for the shrunk end state', async () => {
    const r = await simulate(paxos, { variant: 'ignores-reported-value', shrink: false });
    const system = paxos.build({ params: r.trace!.model.params, variant: r.trace!.model.variant, config: r.trace!.config });
    const stale = { ...r.trace!, violation: { ...r.trace!.violation!, message: 'stale words' } };
    const shrunk = shrinkTrace(system, stale).trace;
    expect(shrunk.violation!.message).toMatch(/^at most one value is chosen .*: two values chosen: "v\d" in ballot \d+ by a\d/);
  });
});

describe('invariants option of the library', () => {
  it('checks only the named invariants, and refuses an unknown name', async () => {
    expect((await check(counters, { invariants: ['Counts'] })).result).toBe('pass');
    expect((await check(counters, { invariants: ['NotBothTwo'] })).trace!.config.invariants).toEqual(['NotBothTwo']);
    await expect(check(counters, { invariants: ['Nope'] })).rejects.toThrow("model counters has no invariant 'Nope' (known: Counts, NotBothTwo)");
  });
});

describe('ModelError under --invariant', () => {
  it('is always checked and never listed as a choice', async () => {
    const throwing = defineActorModel<{ n: number }, null, 'tick'>({
      ...counters,
      name: 'throwing',
      protocol: (params, variant) => ({ ...counters.protocol(params, variant), onTimer: () => { throw new TypeError('boom'); } }),
    });
    expect((await check(throwing, { invariants: ['Counts'] })).violation?.property).toBe('ModelError');
  });
});
