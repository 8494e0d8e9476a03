// The "done when", as a user would do it: the BFS counterexample of zab zk-2845 with one
// request, opened with `ordeal explore trace.json` (the real command line, which prints its URL);
// step back two events, take a different event (on its tcp network, s2's restart), search from there to see whether the bug still
// happens, with a watch expression on every node's phase and the filters of long Zab traces; save
// the path and replay it with the command line.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { check } from '../../src/api/check.ts';
import { launchBrowser, screenshotPath } from '../helpers/browser.ts';
import { ordeal, ordealArgs, repoRoot } from '../helpers/cli.ts';
import { fill, openExplorer, propertyClass, settled, take, text } from './page.ts';

const zab = builtinModels.find((m) => m.name === 'zab')!;
const dir = mkdtempSync(join(tmpdir(), 'ordeal-explore-zab-'));
let browser: Browser;
let child: ChildProcessWithoutNullStreams | null = null;

beforeAll(async () => {
  browser = await launchBrowser({ width: 1600, height: 1000 });
});
afterAll(async () => {
  await browser?.close();
  if (child !== null && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Start `ordeal explore ARGS` and resolve with the URL it prints. */
function startExplore(...args: string[]): Promise<string> {
  child = spawn(process.execPath, ordealArgs('explore', ...args), { cwd: dir });
  const started = child;
  let output = '';
  return new Promise((done, fail) => {
    started.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (url) done(url[1]);
    });
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.on('exit', (code) => fail(new Error(`ordeal explore exited with ${code}: ${output}`)));
  });
}

describe('ordeal explore on a Zab counterexample', () => {
  it('opens the zk-2845 trace at its violation; back two, another event, a search from there; watches, filters, collapse, save and replay', async () => {
    const found = await check(zab, { variant: 'zk-2845', params: { requests: 1 } });
    const length = found.violation!.length;
    expect(found.violation!.property).toBe('PrimaryIntegrity');
    const tracePath = join(dir, 'zk-2845.json');
    writeFileSync(tracePath, JSON.stringify(found.trace));
    const url = await startExplore(tracePath, '--out', 'explored');
    const { page, requests, errors } = await openExplorer(browser, url);
    await settled(page, length, length);
    expect(await text(page, '#verdict')).toBe(`✗ PrimaryIntegrity breaks at step ${length}`);
    expect(await propertyClass(page, 'PrimaryIntegrity')).toBe('broken');

    // A watch expression, evaluated at every step: a column of the path and a value here.
    await fill(page, '#watch-input', 'nodes.*.volatile.role.phase');
    await page.click('#watch-add');
    await page.waitForSelector('#watches li');
    expect(await page.$$eval('#history th', (ths) => ths.map((t) => t.textContent))).toContain('nodes.*.volatile.role.phase');
    expect(await text(page, '#watches li .watch-value')).toMatch(/^= \{s0=acked s1=broadcast/);
    expect(await page.$$eval('#history td.watch', (tds) => tds.length)).toBe(length + 1);
    await fill(page, '#watch-input', 'nodes[0].constructor(1)');
    await page.click('#watch-add');
    await page.waitForSelector('#error:not(:empty)');
    expect(await text(page, '#error')).toMatch(/unexpected "\("/);

    // Filters and collapse: runs of NOTIFICATION become one row each; a node filter keeps its steps.
    const rows = () => page.$$eval('#history tbody tr', (trs) => trs.length);
    expect(await rows()).toBe(length + 1);
    await page.select('#collapse', 'type');
    expect(await page.$$eval('tr.group', (trs) => trs.map((t) => t.textContent))).toContain('▸5 × NOTIFICATION (steps 2–6, click to expand)');
    await page.click('tr.group[data-first="2"]');
    await page.waitForSelector('tr.step[data-step="2"]');
    await page.select('#collapse', '');
    await page.select('#filter-node', 's2');
    const s2Rows = await page.$$eval('#history tbody tr.step', (trs) => trs.map((t) => Number(t.getAttribute('data-step'))));
    expect(s2Rows.length).toBeLessThan(length + 1);
    expect(s2Rows).toContain(24);
    await page.select('#filter-node', '');

    // Back two events, then a different delivery than the recorded one.
    await page.click('#back');
    await settled(page, length - 1);
    await page.click('#back');
    await settled(page, length - 2);
    expect(await propertyClass(page, 'PrimaryIntegrity')).toBe('holds');
    // On its tcp network each channel delivers in order, so here the one other event is s2's restart.
    const others = await page.$$eval('#events button.event:not(.next)', (bs) => bs.map((b) => b.textContent!));
    expect(others).toEqual(['s2 restarts from its durable state']);
    await take(page, others[0], length - 1);
    await settled(page, length - 1, length - 1);

    // Does the bug still happen from here? A bounded BFS answers, with its result as the new future.
    await fill(page, '#bfs-states', '3000');
    await fill(page, '#bfs-depth', '8');
    await page.click('#bfs-run');
    await page.waitForSelector('#bfs-progress[data-done]', { timeout: 90_000 });
    await settled(page, length - 1);
    const done = await page.$eval('#bfs-progress', (e) => e.getAttribute('data-done'));
    expect(['violation', 'pass', 'inconclusive']).toContain(done);
    expect(await text(page, '#bfs-progress')).toMatch(new RegExp(`^BFS from step ${length - 1}: \\d+ states`));

    // Save the path to here and replay it with the command line.
    await fill(page, '#save-name', 'zab-forked');
    await page.click('#save');
    await page.waitForSelector('#save-status[data-saved]');
    const replayed = ordeal('replay', join(dir, 'explored', 'zab-forked.json'));
    expect(replayed.stdout).toContain(`REPRODUCED: all ${length - 1} events apply and no invariant breaks`);
    expect(replayed.code).toBe(0);

    await page.screenshot({ path: screenshotPath(repoRoot, 'explore-zab.png') });
    expect(requests.filter((r) => !r.startsWith(new URL(url).origin))).toEqual([]);
    expect(errors.filter((e) => !e.includes('400 (Bad Request)'))).toEqual([]);
    await page.close();

    const exited = new Promise<number | null>((done) => child!.on('exit', (code) => done(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
