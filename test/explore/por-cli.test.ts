// `check --por` / `--no-por` as a user runs them: the same counts either way, the reduction named
// in the output (on by default for BFS), and a note where the level engine ignores it.
import { describe, expect, it } from 'vitest';
import { ordeal } from '../helpers/cli.ts';

describe('check --por', () => {
  it('is on by default for BFS, says what it skipped, and leaves the counts of --no-por', () => {
    const byDefault = ordeal('check', 'multipaxos');
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stdout).toMatch(/reduction: sleep sets, [\d,]+ of 50,336 transitions skipped \(\d+%\)/);
    const [on, off] = ['--por', '--no-por'].map((flag) => JSON.parse(ordeal('check', 'multipaxos', flag, '--json').stdout));
    expect([on.distinctStates, on.transitions, on.depth, on.result]).toEqual([18322, 50336, off.depth, 'pass']);
    expect([off.distinctStates, off.transitions]).toEqual([18322, 50336]);
    expect(on.reduction.kind).toBe('sleep sets');
    expect(on.reduction.skipped).toBeGreaterThan(0);
    expect(off.reduction).toBeNull();
  });

  it('is asked for with DFS, and ignored with a note by the level engine', () => {
    const dfs = JSON.parse(ordeal('check', 'multipaxos', '--strategy', 'dfs', '--por', '--json').stdout);
    expect([dfs.distinctStates, dfs.result]).toEqual([18322, 'pass']);
    expect(dfs.reduction.reexpansions).toBeGreaterThan(0);
    const workers = ordeal('check', 'multipaxos', '--workers', '1', '--por', '--json');
    expect(workers.stderr).toMatch(/--por applies to the one-thread BFS and DFS only/);
    expect(JSON.parse(workers.stdout).distinctStates).toBe(18322);
  });
});
