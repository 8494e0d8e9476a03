import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimulationSummary } from '../../src/simulate/summary.ts';
import { withoutTiming } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'ordeal-simulate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function ordeal(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/ordeal.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const json = (text: string): SimulationSummary => JSON.parse(text) as SimulationSummary;

describe('ordeal simulate, shrink and merge from the command line', () => {
  it('exits 1 on a mutant, writes a trace that replays, and prints a command that reproduces the run alone', () => {
    const out = join(scratch, 'ce');
    const found = ordeal('simulate', 'paxos', '--variant', 'ignores-reported-value', '--strategy', 'random', '--runs', '2000', '--workers', '2', '--out', out, '--json');
    expect(found.code).toBe(1);
    const summary = json(found.stdout);
    expect(summary.violation!.property).toBe('AtMostOneChosen');
    expect(summary.violation!.length).toBeLessThanOrEqual(summary.violation!.originalLength);
    expect(summary.trace!.startsWith(out)).toBe(true);
    expect(summary.violation!.reproduce).toContain(`--seed 1 --run ${summary.violation!.run}`);
    expect(ordeal('replay', summary.trace!).code).toBe(0);

    const args = summary.violation!.reproduce.replace(/^npx ordeal /, '').split(' ');
    const alone = ordeal(...args, '--out', out, '--json');
    expect(alone.code).toBe(1);
    const again = json(alone.stdout);
    expect(again.runs).toBe(1);
    expect(readFileSync(again.trace!, 'utf8')).toBe(readFileSync(summary.trace!, 'utf8'));
  }, 60_000);

  it('exits 2 on bad input', () => {
    expect(ordeal('simulate', 'paxos', '--shard', '3/3').code).toBe(2);
    expect(ordeal('simulate', 'nosuchmodel').code).toBe(2);
  });

  it.each(['random', 'guided'])('merges %s shard summaries into the summary of one unsharded simulation', (strategy) => {
    for (const variant of ['default', 'ignores-reported-value']) {
      const common = ['simulate', 'paxos', '--variant', variant, '--strategy', strategy, '--runs', '300', '--out', join(scratch, 'merge'), '--json'];
      const whole = json(ordeal(...common).stdout);
      const files = [0, 1, 2].map((i) => {
        const file = join(scratch, `${strategy}.${variant}.shard${i}.json`);
        writeFileSync(file, ordeal(...common, '--shard', `${i}/3`).stdout);
        return file;
      });
      const merged = ordeal('merge', ...files, '--json');
      expect(merged.code).toBe(whole.result === 'violation' ? 1 : 0);
      expect(withoutTiming(json(merged.stdout))).toEqual(withoutTiming(whole));
    }
  }, 120_000);

  it('shrinks a BFS counterexample to the same length', () => {
    const out = join(scratch, 'bfs');
    const check = ordeal('check', 'paxos', '--variant', 'minority-quorums', '--out', out, '--json');
    expect(check.code).toBe(1);
    const tracePath = (JSON.parse(check.stdout) as { trace: string }).trace;
    const shrunkPath = join(out, 'shrunk.json');
    const shrink = ordeal('shrink', tracePath, '--out', shrunkPath, '--json');
    expect(shrink.code).toBe(0);
    const result = JSON.parse(shrink.stdout) as { originalLength: number; length: number; replays: boolean };
    expect(result.length).toBe(result.originalLength);
    expect(result.replays).toBe(true);
    expect(ordeal('replay', shrunkPath).code).toBe(0);
  }, 60_000);
});
