// `node --import tsx bench/compare.ts [ref]`: the same commands timed on this checkout and on an
// earlier commit (default: the parent of HEAD), alternating A, B, A, B... in one run so that both
// sides see the same machine load. Each side runs its own built JavaScript (dist/, built here), each
// command in a fresh process; the time is the engine's own elapsed time where the command reports
// one (its JSON), else the wall clock of the process. Writes reports/bench-compare.md.
//   options: --runs N (default 5)   --out FILE   --only TEXT (only the commands whose name contains TEXT)
// On a shared machine, `chrt -r 10 node --import tsx bench/compare.ts ...` (as root) gives both sides a
// real-time priority over other jobs, which is what made the ratios repeatable here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' }, only: { type: 'string', default: '' }, out: { type: 'string', default: join(root, 'reports', 'bench-compare.md') } },
});
const runs = Number(options.runs);
const baseRef = positionals[0] ?? 'HEAD~1';

/** What is timed: the issue's three no-slowdown cases, each with the counts that must not change. */
const CASES: readonly { name: string; args: string[] }[] = [
  { name: 'check paxos-tla -p ballots=4', args: ['check', 'paxos-tla', '-p', 'ballots=4', '--json'] },
  { name: 'check paxos --no-symmetry', args: ['check', 'paxos', '--no-symmetry', '--json'] },
  // Random, the default until guided took its place: the same runs on both sides of the comparison.
  { name: 'simulate paxos --strategy random', args: ['simulate', 'paxos', '--strategy', 'random', '--json'] },
];

const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** A detached worktree of `ref` in a temporary folder, sharing this checkout's node_modules. */
function checkoutOf(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ordeal-compare-'));
  git('worktree', 'add', '--detach', dir, ref);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function build(dir: string): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, stdio: 'ignore' });
}

interface Sample {
  ms: number;
  counts: string;
}

/** One run of a command in `dir`: elapsed ms and the counts it reports (to compare both sides). */
function sample(dir: string, args: string[]): Sample {
  const started = performance.now();
  const child = spawnSync(process.execPath, [join(dir, 'bin', 'ordeal.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ORDEAL_FROM_SOURCE: '0' },
    maxBuffer: 1 << 28,
  });
  const wall = performance.now() - started;
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(child.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`${args.join(' ')} in ${dir} printed no JSON (exit ${child.status}): ${child.stderr.slice(0, 400)}`);
  }
  const pick = (k: string): unknown => json[k] ?? (json.outcome as Record<string, unknown> | undefined)?.[k];
  const counts = ['distinctStates', 'depth', 'result', 'runs', 'events', 'violations'].map((k) => `${k}=${JSON.stringify(pick(k))}`).join(' ');
  const elapsed = Number(pick('elapsedMs'));
  return { ms: Number.isFinite(elapsed) && elapsed > 0 ? elapsed : wall, counts };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const base = checkoutOf(baseRef);
try {
  const baseCommit = git('-C', base, 'rev-parse', '--short', 'HEAD');
  const headCommit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  build(base);
  build(root);
  const rows: string[] = [];
  for (const c of CASES.filter((k) => k.name.includes(options.only))) {
    const a: Sample[] = [];
    const b: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      b.push(sample(base, c.args));
      a.push(sample(root, c.args));
    }
    const same = a.every((s) => s.counts === b[0].counts) && b.every((s) => s.counts === b[0].counts);
    const ratio = median(b.map((s) => s.ms)) / median(a.map((s) => s.ms));
    // The spread, and the runs paired as they ran (base then this): a drift in the machine's speed
    // moves both of a pair, so the pairs this side won say more than two medians on a noisy machine.
    const range = (xs: Sample[]): string => `${Math.min(...xs.map((s) => s.ms)).toFixed(0)}-${Math.max(...xs.map((s) => s.ms)).toFixed(0)}`;
    const won = a.filter((s, i) => s.ms < b[i].ms).length;
    rows.push(`| ${c.name} | ${median(b.map((s) => s.ms)).toFixed(0)} (${range(b)}) | ${median(a.map((s) => s.ms)).toFixed(0)} (${range(a)}) | ${ratio.toFixed(3)}x | ${won} of ${runs} | ${same ? 'equal' : `DIFFER: ${b[0].counts} vs ${a[0].counts}`} |`);
    console.error(rows.at(-1));
  }
  const report = [
    '# Before and after: the same commands on two commits',
    '',
    `\`node --import tsx bench/compare.ts ${baseRef}\`, ${runs} runs a side, alternating; medians of the engine's own elapsed time.`,
    `Base ${baseCommit}, this checkout ${headCommit}${dirty ? ' (with uncommitted changes)' : ''}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average at the end ${loadavg()[0].toFixed(1)}.`,
    'A ratio above 1 means this checkout is faster than the base. Each run of the base is paired with the run of this checkout that followed it.',
    '',
    '| command | base ms (range) | this ms (range) | speed ratio | pairs this side was faster | counts |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(options.out, report);
  console.log(report);
} finally {
  git('worktree', 'remove', '--force', base);
  if (existsSync(base)) rmSync(base, { recursive: true, force: true });
}
