// Raft as a user would test it: small exhaustive checks with pinned counts, and the paper's Figure 8
// schedule written out by hand as a trace, replayed through the public API.
import { describe, expect, it } from 'vitest';
import { check, replay, simulate, type Trace } from '../../src/index.ts';
import { raft } from '../../models/raft/index.ts';
import { builtinModels } from '../../models/index.ts';

const timer = (node: number, name: string) => ({ kind: 'timer', node, timer: name });
const deliver = (from: number, to: number, msg: Record<string, unknown>) => ({ kind: 'deliver', from, to, msg });
const entry = (term: number) => ({ term, value: `v${term}` });

/**
 * Figure 8 on three servers: s0 leads term 1 and logs v1 alone; s1 leads term 2 and logs v2 alone;
 * s0 leads term 3 and copies v1 to s2, so a majority stores it; s1 then wins term 4 with s2's vote
 * (its last term 2 beats s2's 1) although v1 may have been committed.
 */
const FIGURE_8 = [
  timer(0, 'election'),
  deliver(0, 1, { type: 'requestVote', term: 1, lastIndex: 0, lastTerm: 0 }),
  deliver(1, 0, { type: 'vote', term: 1 }),
  timer(0, 'client'),
  timer(1, 'election'),
  deliver(1, 2, { type: 'requestVote', term: 2, lastIndex: 0, lastTerm: 0 }),
  deliver(2, 1, { type: 'vote', term: 2 }),
  timer(1, 'client'),
  deliver(1, 0, { type: 'requestVote', term: 2, lastIndex: 0, lastTerm: 0 }),
  timer(0, 'election'),
  deliver(0, 2, { type: 'requestVote', term: 3, lastIndex: 1, lastTerm: 1 }),
  deliver(2, 0, { type: 'vote', term: 3 }),
  deliver(0, 2, { type: 'append', term: 3, entries: [entry(1)] }),
  deliver(2, 0, { type: 'appended', term: 3, match: 1 }),
  deliver(0, 1, { type: 'requestVote', term: 3, lastIndex: 1, lastTerm: 1 }),
  timer(1, 'election'),
  deliver(1, 2, { type: 'requestVote', term: 4, lastIndex: 1, lastTerm: 2 }),
  deliver(2, 1, { type: 'vote', term: 4 }),
];

function traceOf(variant: string, violation: Trace['violation']): Trace {
  return {
    format: 'ordeal-trace',
    version: 1,
    model: { name: 'raft', version: raft.version, variant, params: { servers: 3, maxTerm: 4 } },
    config: { network: 'unordered', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 }, symmetry: true },
    strategy: 'bfs',
    seed: null,
    initial: 0,
    events: FIGURE_8,
    violation,
  } as unknown as Trace;
}

describe('raft', () => {
  it.each([
    [2, 3, 21_015, 25],
    [3, 1, 6_829, 19],
  ])('passes exhaustively with %i servers, %i terms and a crash (%i states, depth %i)', async (servers, maxTerm, states, depth) => {
    const r = await check(raft, { params: { servers, maxTerm }, crashes: 1 });
    expect([r.result, r.distinctStates, r.depth]).toEqual(['pass', states, depth]);
    expect(r.reachable).toEqual([{ name: 'SomeEntryCommitted', reachedAtLength: 6 }]);
  });

  it('the Figure 8 schedule breaks LeaderCompleteness at its last step when a leader commits an earlier term by counting', () => {
    const r = replay(raft, traceOf('figure-8', { property: 'LeaderCompleteness', message: '', step: FIGURE_8.length }));
    expect(r.reason).toBeNull();
    expect([r.ok, r.property, r.step]).toEqual([true, 'LeaderCompleteness', FIGURE_8.length]);
    expect(r.timeline).toContain('nodes.s1.volatile.role: candidate -> leader');
  });

  it('the same schedule breaks nothing in Raft as specified (the commit waits for an entry of term 3)', () => {
    const r = replay(raft, traceOf('default', null));
    expect(r.reason).toBeNull();
    expect([r.ok, r.property]).toEqual([true, null]);
  });

  it.each([
    ['votes-without-log-check', 'LeaderCompleteness', 9, 9_221],
    ['volatile-vote', 'ElectionSafety', 8, 3_951],
  ])('mutant %s breaks %s in %i events (%i states, BFS)', async (variant, property, length, states) => {
    const r = await check(raft, { variant });
    expect([r.violation?.property, r.violation?.length, r.distinctStates]).toEqual([property, length, states]);
    const again = replay(raft, r.trace!);
    expect([again.ok, again.property]).toEqual([true, property]);
  });

  it('is a built-in model, after multipaxos', () => {
    const names = builtinModels.map((m) => m.name);
    expect(names.indexOf('raft')).toBe(names.indexOf('multipaxos') + 1);
  });

  it('figure-8 is held to LeaderCompleteness by its declared check: guided simulation, seed 10, run 768', async () => {
    const declared = raft.variants['figure-8'].check!;
    expect([declared.strategy, declared.seed, declared.runs]).toEqual(['guided', 10, undefined]);
    const r = await simulate(raft, { variant: 'figure-8', strategy: 'guided', seed: 10, shrink: false });
    expect([r.violation?.property, r.violation?.run, r.runs]).toEqual(['LeaderCompleteness', 767, 768]);
  }, 120_000);
});
