// `ordeal linearizable` as a user runs it: verdicts, exit codes 0/1/2/3, JSON output, errors.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateHistory, historyToJson } from '../../src/linearizability/index.ts';
import { ordeal, ordealArgs, repoRoot } from '../helpers/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const knossos = join(root, 'test', 'fixtures', 'linearizability', 'knossos');
const linearizable = (...args: string[]) => ordeal('linearizable', ...args);
const dir = mkdtempSync(join(tmpdir(), 'ordeal-linearizable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const staleRead = {
  spec: 'register',
  operations: [
    { client: 0, call: 0, return: 1, op: 'write', input: 1 },
    { client: 1, call: 2, return: 3, op: 'write', input: 2 },
    { client: 0, call: 4, return: 5, op: 'read', output: 1 },
  ],
};

/**
 * A linearizable 50-client kv history whose stalls (see generate.ts) make some keys very hard for
 * the search: a check of it runs until a bound or a signal stops it, while easy keys are decided.
 */
let stalledKvPath: string | undefined;
function stalledKv(): string {
  stalledKvPath ??= file(
    'stalled-kv.json',
    historyToJson(
      generateHistory({
        spec: 'kv',
        clients: 50,
        operations: 2000,
        seed: 1,
        keys: 10,
        mix: [['get', 0.3], ['put', 0.05], ['append', 0.65]],
        stalls: { everyTicks: 400, ticks: 150 },
      }).history,
    ),
  );
  return stalledKvPath;
}

/** Runs `ordeal linearizable` on the stalled history, sends `signals` after it has worked a while. */
function interrupted(signals: readonly NodeJS.Signals[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ordealArgs('linearizable', stalledKv()), { cwd: repoRoot });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer = setTimeout(() => signals.forEach((s) => child.kill(s)), SIGNAL_AFTER_MS);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    }),
  );
}
/** Long enough for the child to start (tsx, on a busy machine) and decide the easy keys; the hard ones take minutes. */
const SIGNAL_AFTER_MS = 8000;

describe('ordeal linearizable', () => {
  it('exits 0 on a linearizable JSON history and says so', () => {
    const r = linearizable(file('ok.json', { ...staleRead, operations: staleRead.operations.slice(0, 2) }));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^LINEARIZABLE \(register\): 2 operations, 2 searched in 1 key/);
  });

  it('exits 1 with the explanation and a timeline per client', () => {
    const r = linearizable(file('stale.json', staleRead));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT LINEARIZABLE (register): 3 operations');
    expect(r.stdout).toContain('#2 client 0 read -> 1 [4, 5] had to take effect by time 5');
    expect(r.stdout).toContain('read returned 1 but the register holds 2');
    expect(r.stdout).toMatch(/client 1\n {2}#1 +\|-+\| +write 2 \[2, 3\] +linearised 2 \(last\)/);
  });

  it('prints result, counts and time with --json', () => {
    const r = linearizable(file('stale2.json', staleRead), '--json');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ result: 'not-linearizable', spec: 'register', operations: 3, searched: 3, partitions: 1 });
    expect(typeof json.elapsedMs).toBe('number');
    expect(json.explanation.mustPlace).toMatchObject({ index: 2, client: 0, op: 'read', output: 1, call: 4, return: 5 });
  });

  it('reads Jepsen EDN by extension and answers as Knossos on its fixtures', () => {
    expect(linearizable(join(knossos, 'good', 'cas-register-bug.edn'), '--initial', '0').code).toBe(0);
    const bad = linearizable(join(knossos, 'bad', 'bad-analysis.edn'), '--initial', '0', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ result: 'not-linearizable', spec: 'cas-register', operations: 8 });
  });

  it('takes --format jepsen for any file name', () => {
    const edn = file('history.txt', '{:process 0 :type :invoke :f :read :value nil}\n{:process 0 :type :ok :f :read :value 3}\n');
    expect(linearizable(edn, '--format', 'jepsen', '--spec', 'register').code).toBe(1);
    expect(linearizable(edn, '--format', 'jepsen', '--spec', 'register', '--initial', '3').code).toBe(0);
  });

  it('exits 3 (unknown) when the budget runs out', () => {
    const ops = [1, 2, 3, 4, 5, 6].map((v, i) => ({ client: i, call: 0, return: 10, op: 'write', input: v }));
    const hard = file('hard.json', { spec: 'register', operations: [...ops, { client: 9, call: 11, return: 12, op: 'read', output: 7 }] });
    expect(linearizable(hard).code).toBe(1);
    const r = linearizable(hard, '--max-steps', '20');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('UNKNOWN (register)');
    expect(r.stdout).toContain('step budget of 20 spec applications spent');
    expect(JSON.parse(linearizable(hard, '--max-steps', '20', '--json').stdout)).toMatchObject({ result: 'unknown', reason: 'step budget of 20 spec applications spent' });
  });

  it('exits 3 (unknown) at the memory bound, naming it and how far the search got', () => {
    const r = linearizable(stalledKv(), '--max-memory', '4');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^UNKNOWN \(kv\): 2,000 operations/);
    expect(r.stdout).toMatch(/stopped: memory bound of 4 MiB reached \(the search's memo of configurations seen\) on key "k\d", after \d+ of \d+ operations linearised at most/);
    expect(r.stdout).toContain('raise --max-memory');
    expect(r.stdout).toMatch(/so far: \d of 10 keys decided linearizable; the furthest undecided search linearised/);
    const json = JSON.parse(linearizable(stalledKv(), '--max-memory', '4', '--json').stdout);
    expect(json).toMatchObject({ result: 'unknown', stoppedBy: 'memory', partitions: 10 });
    expect(json.progress.memoryBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it('stops on SIGINT with the keys decided so far and exit 3; a second signal exits at once', async () => {
    const [first, twice] = await Promise.all([interrupted(['SIGINT']), interrupted(['SIGINT', 'SIGTERM'])]);
    expect(first.code).toBe(3);
    expect(first.stdout).toMatch(/^UNKNOWN \(kv\): 2,000 operations/);
    expect(first.stdout).toContain('stopped: interrupted (SIGINT); the history may or may not be linearizable');
    const decided = Number(/so far: (\d+) of 10 keys decided linearizable/.exec(first.stdout)?.[1]);
    expect(decided).toBeGreaterThanOrEqual(1);
    expect(decided).toBeLessThan(10);
    // SIGINT then SIGTERM sent back to back may be handled in either order: either one is the second,
    // and the process ends at once by it (128 + 2 or 128 + 15), printing nothing.
    expect([130, 143]).toContain(twice.code);
    expect(twice.stdout).toBe('');
  }, 60_000);

  it.each([
    [['nosuch.json'], /cannot read nosuch\.json: ENOENT/],
    [[file('bad.json', '{"spec": ')], /not valid JSON/],
    [[file('badop.json', { spec: 'register', operations: [{ client: 0, call: 0, return: 1, op: 'put', key: 'k', input: 'x' }] })], /operations\[0\]\.op must be one of read, write/],
    [[file('bad.edn', '{:process 0 :type :ok :f :read :value 3}')], /process 0 completes \(:ok\) with no open :invoke/],
    [[file('k.json', { spec: 'kv', operations: [] }), '--initial', '0'], /--initial for kv must be a JSON string/],
    [[file('s.json', staleRead), '--spec', 'queue'], /argument 'queue' is invalid/],
    [[file('t.json', staleRead), '--time-limit', '-1'], /error/],
  ])('exits 2 on bad input %j with one line and nothing on stdout', (args, message) => {
    const r = linearizable(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});
