// Models from anywhere: `ordeal check ./file.ts`, traces that remember their model file and
// refuse it once changed, and every bad model file as one line and exit 2.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ordealIn } from '../helpers/cli.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const ordeal = ordealIn;
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordeal-model-file-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A user's folder: an ESM package whose model file re-exports the 2PC fixture. */
function userFolder(): string {
  const dir = scratch();
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'model.ts'), `export { twoPhaseCommit } from ${JSON.stringify(pathToFileURL(join(fixtures, 'twopc', 'twopc.ts')).href)};\n`);
  return dir;
}

describe('ordeal check <file>', () => {
  it('checks a model file, writes a trace that records the file, and replays it from another directory', () => {
    const dir = userFolder();
    const r = ordeal(dir, 'check', './model.ts', '--variant', 'majority-commit', '--out', 'traces');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('VIOLATION of Atomicity');
    const [file] = readdirSync(join(dir, 'traces'));
    const trace = JSON.parse(readFileSync(join(dir, 'traces', file), 'utf8'));
    expect(trace.model.source.file).toBe('../model.ts');
    expect(trace.model.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    const replayed = ordeal(root, 'replay', join(dir, 'traces', file));
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain('REPRODUCED: Atomicity');
    const shrunk = ordeal(dir, 'shrink', join('traces', file), '--out', join('elsewhere', 'deeper', 'shrunk.json'));
    expect(shrunk.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'elsewhere', 'deeper', 'shrunk.json'), 'utf8')).model.source.file).toBe('../../model.ts');
    expect(ordeal(dir, 'render', join('elsewhere', 'deeper', 'shrunk.json')).code).toBe(0);

    appendFileSync(join(dir, 'model.ts'), '// changed\n');
    const refused = ordeal(dir, 'replay', join('traces', file));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/was written from \.\.\/model\.ts with sha256 [0-9a-f]{12}…; the file has changed since/);
    rmSync(join(dir, 'model.ts'));
    const missing = ordeal(dir, 'replay', join('traces', file));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('which cannot be read');
  });

  it('simulates a model file in worker threads (they load it through the module URL)', () => {
    const dir = userFolder();
    const r = ordeal(dir, 'simulate', './model.ts', '--variant', 'first-yes', '--runs', '200', '--workers', '2', '--json', '--out', 'traces');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.violation.property).toBe('Atomicity');
    expect(summary.violation.reproduce).toContain('./model.ts --model two-phase-commit');
  });

  it('picks one of several exported models with --model', () => {
    const several = join(fixtures, 'user-models', 'several.ts');
    const ambiguous = ordeal(root, 'check', several);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toBe(`ordeal: ${several} exports several models (ping, two-phase-commit): pick one with --model NAME\n`);
    const picked = ordeal(root, 'check', several, '--model', 'two-phase-commit', '--json');
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.stdout)).toMatchObject({ model: 'two-phase-commit', result: 'pass' });
    const unknown = ordeal(root, 'check', several, '--model', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown model 'nope' (known: ping, two-phase-commit)");
  });

  it('refuses bad model files with one line and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['check', 'no/such/model.ts'], /^ordeal: cannot read model file no\/such\/model\.ts: ENOENT\n$/],
      [['check', join(fixtures, 'user-models', 'none.ts')], /exports no model \(export the result of defineActorModel/],
      [['check', join(fixtures, 'user-models', 'broken.ts')], /cannot load model file .*broken\.ts: this model file is broken on purpose\n$/],
      [['check', 'paxos', '--model', 'paxos'], /--model picks a model from a file; 'paxos' is a built-in model's name/],
    ];
    for (const [args, message] of cases) {
      const r = ordeal(root, ...args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toMatch(message);
    }
  });
});
