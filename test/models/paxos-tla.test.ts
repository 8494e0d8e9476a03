// Lamport's Paxos.tla, held to the numbers of independent checkers on the same abstraction, and the
// same spec written a second time on plain objects (paxos-tla-object), which must agree on every
// count, so each checks the other's representation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { paxosTlaObject } from '../../models/paxos-tla/object.ts';
import { check, replay, type CheckOptions, type ModelDefinition } from '../../src/index.ts';

const checkTla = (ballots: number, options: CheckOptions & { acceptors?: number; values?: number } = {}, model: ModelDefinition = paxosTla) => {
  const { acceptors = 3, values = 2, ...rest } = options;
  return check(model, { ...rest, params: { acceptors, values, ballots } });
};

describe('paxos-tla', () => {
  it('matches TLC on MCPaxosTiny: 3 acceptors, 2 values, ballots 0..1 give 3,921 distinct states at depth 17', async () => {
    // tlaplus/Examples, specifications/PaxosHowToWinATuringAward/manifest.json, model MCPaxosTiny.cfg:
    // "distinctStates": 3921, "stateDepth": 17.
    const r = await checkTla(2);
    expect(r.result).toBe('pass');
    expect(r.distinctStates).toBe(3921);
    expect(r.depth).toBe(17);
  });

  it('matches Spin at ballots 0..1: 22,995 transitions counted by Spin as stored + matched, i.e. 22,994 successors', async () => {
    // ../shared/peers/spin/results.txt, NB=2 full, no POR: "3921 states, stored", "22995 transitions (= stored+matched)";
    // Spin counts the initial state as stored, so the successors generated are 22,995 - 1.
    expect((await checkTla(2)).transitions).toBe(22994);
  });

  it('matches Spin at ballots 0..2: 185,369 distinct states, depth 25 (Spin: depth reached 24, counted from 0)', async () => {
    // ../shared/peers/spin/results.txt, NB=3: "185369 states, stored", "depth reached 24".
    const r = await checkTla(3);
    expect(r.distinctStates).toBe(185369);
    expect(r.depth).toBe(25);
    expect(r.transitions).toBe(1316583);
  });

  it('reaches a chosen value in 6 events: Phase1a, two Phase1b, Phase2a, two Phase2b', async () => {
    expect((await checkTla(2)).reachable).toEqual([{ name: 'SomeValueChosen', reachedAtLength: 6 }]);
  });

  it('visits the same states with unbounded DFS as with BFS', async () => {
    expect((await checkTla(2, { strategy: 'dfs' })).distinctStates).toBe(3921);
  });

  it('chooses a value in 4 events when a single acceptor is the only quorum', async () => {
    const r = await checkTla(2, { acceptors: 1 });
    expect(r.result).toBe('pass');
    expect(r.reachable[0].reachedAtLength).toBe(4);
  });

  describe('the mutant whose Phase2a ignores the votes reported in 1b messages', () => {
    const mutant = { variant: 'phase2a-ignores-votes' };

    it('breaks Consistency with a shortest counterexample of 12 events (Spin -DBFS: trail ends after 12 steps)', async () => {
      const r = await checkTla(2, mutant);
      expect(r.result).toBe('violation');
      expect(r.asExpected).toBe(true);
      expect(r.violation?.property).toBe('Consistency');
      expect(r.violation?.length).toBe(12);
      const actions = r.trace!.events.map((e) => e.action);
      expect(actions.filter((k) => k === 'Phase2a')).toHaveLength(2);
      expect(actions.filter((k) => k === 'Phase2b')).toHaveLength(4);
    });

    it('is also found by DFS, with a counterexample no shorter than BFS finds', async () => {
      const r = await checkTla(2, { ...mutant, strategy: 'dfs' });
      expect(r.violation?.property).toBe('Consistency');
      expect(r.violation!.length).toBeGreaterThanOrEqual(12);
    });

    it('writes a trace that replays to the same violation at the same step', async () => {
      const r = await checkTla(2, mutant);
      expect(replay(paxosTla, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: 'Consistency', step: 12 });
    });

    it('replays against the correct spec without breaking Consistency: the divergence is reported', async () => {
      const { trace } = await checkTla(2, mutant);
      const result = replay(paxosTla, { ...trace!, model: { ...trace!.model, variant: 'default' } });
      expect(result.ok).toBe(false);
    });
  });

  it('stops at --max-states and calls the run inconclusive', async () => {
    const r = await checkTla(2, { maxStates: 100 });
    expect(r.result).toBe('inconclusive');
    expect(r.distinctStates).toBe(100);
    expect(r.inconclusiveReasons[0]).toMatch(/max states 100/);
  });

  it('stops at --max-depth and calls the run inconclusive', async () => {
    const r = await checkTla(2, { maxDepth: 5 });
    expect(r.result).toBe('inconclusive');
    expect(r.depth).toBe(5);
  });
});

describe('paxos-tla with symmetry reduction (acceptors and values interchangeable)', () => {
  it('stores 443 states at ballots 0..1, the orbits Burnside predicts (test/engine/paxos-tla-symmetry.test.ts)', async () => {
    const r = await checkTla(2, { symmetry: true });
    expect(r.distinctStates).toBe(443);
    expect(r.depth).toBe(17);
  });

  it('reduces 185,369 states to 17,153 at ballots 0..2 (a factor of 10.8 out of |G| = 12)', async () => {
    const r = await checkTla(3, { symmetry: true });
    expect(r.result).toBe('pass');
    expect(r.distinctStates).toBe(17153);
  });

  it('still finds the mutant with the same 12-event counterexample length', async () => {
    const r = await checkTla(2, { symmetry: true, variant: 'phase2a-ignores-votes' });
    expect(r.violation?.property).toBe('Consistency');
    expect(r.violation?.length).toBe(12);
  });
});

describe('the packed and the object path', () => {
  it('count the same states, transitions and depth for every small parameter choice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.constantFrom('default', 'phase2a-ignores-votes'), async (acceptors, values, ballots, variant) => {
        const packed = await checkTla(ballots, { acceptors, values, variant });
        const objects = await checkTla(ballots, { acceptors, values, variant }, paxosTlaObject);
        expect([objects.result, objects.distinctStates, objects.transitions, objects.depth, objects.violation?.length]).toEqual([
          packed.result,
          packed.distinctStates,
          packed.transitions,
          packed.depth,
          packed.violation?.length,
        ]);
      }),
      { numRuns: 15 },
    );
  });

  it('agree with Spin at ballots 0..2 on the object path too: 185,369 states', async () => {
    expect((await checkTla(3, {}, paxosTlaObject)).distinctStates).toBe(185369);
  });
});
