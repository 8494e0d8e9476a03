// Lamport's Paxos.tla, held to the numbers of independent checkers on the same abstraction.
import { describe, expect, it } from 'vitest';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { runCheck } from '../../src/check/run.ts';
import { bfs } from '../../src/explore/bfs.ts';
import { dfs } from '../../src/explore/dfs.ts';
import { replay } from '../../src/trace/replay.ts';

const build = (ballots: number, variant = 'default', acceptors = 3, values = 2) =>
  paxosTla.build({ params: { acceptors, values, ballots }, variant, config: paxosTla.defaultConfig });

const checkMutant = () =>
  runCheck({
    model: paxosTla,
    variant: 'phase2a-ignores-votes',
    params: { acceptors: 3, values: 2, ballots: 2 },
    config: paxosTla.defaultConfig,
    strategy: 'bfs',
    search: {},
  });

describe('paxos-tla', () => {
  it('matches TLC on MCPaxosTiny: 3 acceptors, 2 values, ballots 0..1 give 3,921 distinct states at depth 17', () => {
    // tlaplus/Examples, specifications/PaxosHowToWinATuringAward/manifest.json, model MCPaxosTiny.cfg:
    // "distinctStates": 3921, "stateDepth": 17.
    const o = bfs(build(2));
    expect(o.result).toBe('pass');
    expect(o.distinctStates).toBe(3921);
    expect(o.depth).toBe(17);
  });

  it('matches Spin at ballots 0..1: 22,995 transitions counted by Spin as stored + matched, i.e. 22,994 successors', () => {
    // ../shared/peers/spin/results.txt, NB=2 full, no POR: "3921 states, stored", "22995 transitions (= stored+matched)";
    // Spin counts the initial state as stored, so the successors generated are 22,995 - 1.
    const o = bfs(build(2));
    expect(o.transitions).toBe(22994);
  });

  it('matches Spin at ballots 0..2: 185,369 distinct states, depth 25 (Spin: depth reached 24, counted from 0)', () => {
    // ../shared/peers/spin/results.txt, NB=3: "185369 states, stored", "depth reached 24".
    const o = bfs(build(3));
    expect(o.distinctStates).toBe(185369);
    expect(o.depth).toBe(25);
    expect(o.transitions).toBe(1316583);
  });

  it('reaches a chosen value in 6 events: Phase1a, two Phase1b, Phase2a, two Phase2b', () => {
    const o = bfs(build(2));
    expect(o.reachable).toEqual([{ name: 'SomeValueChosen', description: 'some value is chosen', reachedAtLength: 6 }]);
  });

  it('visits the same states with unbounded DFS as with BFS', () => {
    expect(dfs(build(2)).distinctStates).toBe(3921);
  });

  it('chooses a value in 4 events when a single acceptor is the only quorum', () => {
    const o = bfs(build(2, 'default', 1, 2));
    expect(o.result).toBe('pass');
    expect(o.reachable[0].reachedAtLength).toBe(4);
  });

  describe('the mutant whose Phase2a ignores the votes reported in 1b messages', () => {
    it('breaks Consistency with a shortest counterexample of 12 events (Spin -DBFS: trail ends after 12 steps)', () => {
      const o = bfs(build(2, 'phase2a-ignores-votes'));
      expect(o.result).toBe('violation');
      expect(o.violation?.property).toBe('Consistency');
      expect(o.violation?.length).toBe(12);
      const kinds = o.violation!.events.map((e) => e.action);
      expect(kinds.filter((k) => k === 'Phase2a')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'Phase2b')).toHaveLength(4);
    });

    it('is also found by DFS, with a counterexample no shorter than BFS finds', () => {
      const o = dfs(build(2, 'phase2a-ignores-votes'));
      expect(o.violation?.property).toBe('Consistency');
      expect(o.violation!.length).toBeGreaterThanOrEqual(12);
    });

    it('writes a trace that replays to the same violation at the same step', () => {
      const report = checkMutant();
      expect(report.asExpected).toBe(true);
      const trace = JSON.parse(JSON.stringify(report.trace));
      const result = replay(build(2, 'phase2a-ignores-votes'), trace);
      expect(result).toMatchObject({ ok: true, property: 'Consistency', step: 12 });
    });

    it('replays against the correct spec without breaking Consistency: the divergence is reported', () => {
      const report = checkMutant();
      const result = replay(build(2, 'default'), report.trace!);
      expect(result.ok).toBe(false);
    });
  });

  it('stops at --max-states and calls the run inconclusive', () => {
    const o = bfs(build(2), { maxStates: 100 });
    expect(o.result).toBe('inconclusive');
    expect(o.distinctStates).toBe(100);
    expect(o.inconclusiveReasons[0]).toMatch(/max states 100/);
  });

  it('stops at --max-depth and calls the run inconclusive', () => {
    const o = bfs(build(2), { maxDepth: 5 });
    expect(o.result).toBe('inconclusive');
    expect(o.depth).toBe(5);
  });
});
