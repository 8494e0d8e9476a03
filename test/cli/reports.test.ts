// `npm run reports` on a small set of models: every file it links exists, the plots count what BFS
// counts, other reports are kept, stale counterexamples go, and two runs differ only in their times.
import mermaid from 'mermaid';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { statesPerLevel } from '../../src/check/levels.ts';
import type { ModelDefinition } from '../../src/model/define.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { generateReports } from '../../src/cli/reports-command.ts';
import { pingModel } from '../fixtures/ping.ts';

const paxosTla = builtinModels.find((m) => m.name === 'paxos-tla')!;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** ping whose `forgets` mutant declares a simulation (crashes included), so it is found. */
const pingBySimulation: ModelDefinition = {
  ...pingModel,
  name: 'ping-sim',
  variants: { ...pingModel.variants, forgets: { ...pingModel.variants.forgets, check: { strategy: 'random', runs: 1000, seed: 1, params: { retries: 3 } } } },
};

function run(outDir: string) {
  return generateReports({ models: [paxosTla, pingModel, pingBySimulation], outDir, timeLimitMs: 60_000, now: () => performance.now(), runDate: '2026-01-02', log: () => {} });
}

/** Times are measurements; everything else must be the same from run to run. */
const withoutTimes = (text: string) => text.replace(/\d+\.\d\ds/g, 'T');

describe('npm run reports', () => {
  const out = mkdtempSync(join(tmpdir(), 'ordeal-reports-'));
  dirs.push(out);
  writeFileSync(join(out, 'bench.md'), 'another command wrote this\n');
  mkdirSync(join(out, 'mutants'));
  writeFileSync(join(out, 'mutants', 'paxos-tla.renamed-long-ago.json'), '{}');
  let first: Awaited<ReturnType<typeof run>>;
  let index = '';
  let readme = '';
  beforeAll(async () => {
    first = await run(out);
    index = readFileSync(join(out, 'index.html'), 'utf8');
    readme = readFileSync(join(out, 'README.md'), 'utf8');
  });

  it('writes every mutant counterexample as JSON, Mermaid in Markdown and HTML, linked from the index and the README', async () => {
    const base = 'mutants/paxos-tla.phase2a-ignores-votes';
    for (const ext of ['json', 'md', 'html']) {
      expect(existsSync(join(out, `${base}.${ext}`))).toBe(true);
      expect(index).toContain(`href="${base}.${ext}"`);
      expect(readme).toContain(`(${base}.${ext})`);
    }
    const md = readFileSync(join(out, `${base}.md`), 'utf8');
    const diagram = md.slice(md.indexOf('```mermaid\n') + 11, md.lastIndexOf('```'));
    expect(await mermaid.parse(diagram)).toBeTruthy();
    expect(JSON.parse(readFileSync(join(out, `${base}.json`), 'utf8')).events).toHaveLength(12);
    expect(readme).toMatch(/\| \*\*phase2a-ignores-votes\*\*: [^|]+ \| acceptors=3 values=2 ballots=2 \| bfs \| 3,464 states \| depth 13 \|/);
    // Properties once per model, not per row; each row's parameters and budgets; the variant's description.
    expect(readme).toContain('Properties (every variant): Consistency (invariant), Validity (invariant), SomeValueChosen (reachable)');
    expect(readme.split('\n').filter((l) => l.includes('SomeValueChosen (reachable)'))).toHaveLength(1);
    // Coverage of an exhaustive check: every declared spec action (Phase1a..Phase2b) fired.
    expect(readme).toMatch(/\| \*\*phase2a-ignores-votes\*\*.*\| 4 of 4 declared actions fired \|/);
  });

  it('lists every model and variant, flags a variant that does not behave as declared, and plots states per level', () => {
    for (const name of ['paxos-tla', 'ping']) {
      expect(index).toContain(`<section id="${name}">`);
      expect(readme).toContain(`## ${name}`);
      expect(readme).toContain(`![states per BFS level of ${name}](levels/${name}.svg)`);
    }
    // ping's `forgets` mutant needs a crash, and ping's default config has none.
    expect(first.mismatches).toBe(1); // ping [forgets]; ping-sim [forgets] is found by its declared simulation
    expect(readme).toContain('Default parameters: nodes=3 retries=1; unordered network; no faults');
    expect(readme).toMatch(/\| \*\*forgets\*\*.*\| AnswerOnce \| pass \*\*NOT AS DECLARED\*\* \|/);
    const svg = readFileSync(join(out, 'levels', 'paxos-tla.svg'), 'utf8');
    expect(svg).toContain('paxos-tla: new states per BFS level (3,921 states, depth 17)');
    expect(svg.match(/<rect x=/g)).toHaveLength(17);
    expect(index).toContain('paxos-tla: new states per BFS level (3,921 states, depth 17)');
  });

  it("runs a variant's declared simulation and keeps its counterexample shrunk", () => {
    const row = readme.split('\n').find((l) => l.startsWith('| **forgets**') && l.includes('random seed 1'))!;
    expect(row).toMatch(/nodes=3 retries=3; unordered network, \d+ crashes, \d+ partitions, \d+ drops, \d+ duplicates \| random seed 1 \| \d+ runs \| [\d,]+ events \| [\d.]+s \| AnswerOnce \| AnswerOnce \((\d+) events\) \| n\/a \(simulation\) \| \[mermaid\]\(mutants\/ping-sim\.forgets\.md\)/);
    const trace = JSON.parse(readFileSync(join(out, 'mutants', 'ping-sim.forgets.json'), 'utf8'));
    expect(row).toContain(`AnswerOnce (${trace.events.length} events)`);
    expect(trace.shrunkFrom).toBeGreaterThanOrEqual(trace.events.length);
    const html = readFileSync(join(out, 'mutants', 'ping-sim.forgets.html'), 'utf8');
    expect(html).toContain('violation of AnswerOnce');
    expect(html).not.toContain('replay diverged');
  });

  it('keeps the reports of other commands, lists them, and removes counterexamples no variant produced', () => {
    expect(readFileSync(join(out, 'bench.md'), 'utf8')).toBe('another command wrote this\n');
    expect(readme).toContain('- [bench.md](bench.md)');
    expect(existsSync(join(out, 'mutants', 'paxos-tla.renamed-long-ago.json'))).toBe(false);
  });

  it('produces the same files on a second run, times aside', async () => {
    const second = await run(out);
    expect(second.written).toEqual(first.written);
    expect(withoutTimes(readFileSync(join(out, 'README.md'), 'utf8'))).toBe(withoutTimes(readme));
    expect(withoutTimes(readFileSync(join(out, 'index.html'), 'utf8'))).toBe(withoutTimes(index));
  });
});

describe('states per BFS level', () => {
  it('adds up to the TLC count of Paxos.tla, level by level as BFS finds them', () => {
    const system = paxosTla.build({ params: resolveParams(paxosTla, []), variant: 'default', config: paxosTla.defaultConfig });
    const { counts, complete } = statesPerLevel(system);
    expect(complete).toBe(true);
    expect(counts).toHaveLength(17);
    expect(counts[0]).toBe(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3921);
    expect(statesPerLevel(system, 100)).toMatchObject({ complete: false });
  });
});
