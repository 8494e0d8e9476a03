// `ordeal render` as a user runs it: formats, -o, and exit code 2 with nothing written on bad input.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { runCheck } from '../../src/check/run.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { ordeal } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ordeal-render-'));
const tracePath = join(dir, 'minority-quorums.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  const paxos = builtinModels.find((m) => m.name === 'paxos')!;
  const report = runCheck({ model: paxos, variant: 'minority-quorums', params: resolveParams(paxos, []), config: paxos.defaultConfig, strategy: 'bfs', search: {} });
  writeFileSync(tracePath, JSON.stringify(report.trace));
});

describe('ordeal render', () => {
  it('writes the HTML page with -o and the Mermaid diagram to stdout', () => {
    const out = join(dir, 'page.html');
    const html = ordeal('render', tracePath, '--format', 'html', '-o', out);
    expect(html.code).toBe(0);
    expect(html.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<svg[\s\S]*AtMostOneChosen[\s\S]*<\/html>\n$/);
    const mermaid = ordeal('render', tracePath, '--format', 'mermaid');
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.startsWith('sequenceDiagram\n')).toBe(true);
  });

  it('prints the text timeline by default', () => {
    const r = ordeal('render', tracePath);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  initial state:\n    nodes:\n      a0:');
    expect(r.stdout).toContain('    8. p1 -> a1: accept(11, v1)');
  });

  it('exits 2 with one line and writes nothing for an unknown format or an unreadable trace', () => {
    const out = join(dir, 'never.html');
    const format = ordeal('render', tracePath, '--format', 'pdf', '-o', out);
    expect(format.code).toBe(2);
    expect(format.stderr.trim().split('\n')).toHaveLength(1);
    const missing = ordeal('render', join(dir, 'missing.json'), '--format', 'html', '-o', out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ordeal: cannot read .*missing\.json: ENOENT\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
