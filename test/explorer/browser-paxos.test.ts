// The explorer in a real headless Chromium, as a person would use it on paxos: take the events of
// the BFS counterexample of minority-quorums by clicking, see AtMostOneChosen break at step 8 and
// not before, go back, fork, search from there, save the path and replay it with the command line.
// Also: a hostile model's strings stay text, and the page makes no request but to its server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { check } from '../../src/api/check.ts';
import { ExploreSession } from '../../src/api/explore.ts';
import type { RunningExplorer } from '../../src/cli/explore-server.ts';
import { HOSTILE_NODE_NAMES, HOSTILE_PROPERTY, hostileModel } from '../fixtures/hostile.ts';
import { launchBrowser, screenshotPath } from '../helpers/browser.ts';
import { ordeal, repoRoot } from '../helpers/cli.ts';
import { fill, openExplorer, propertyClass, settled, take, text } from './page.ts';
import { serve } from './server-helpers.ts';

const paxos = builtinModels.find((m) => m.name === 'paxos')!;
const out = mkdtempSync(join(tmpdir(), 'ordeal-explore-'));
let browser: Browser;
const servers: RunningExplorer[] = [];

beforeAll(async () => {
  browser = await launchBrowser({ width: 1500, height: 900 });
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  rmSync(out, { recursive: true, force: true });
});

describe('ordeal explore in a real browser', () => {
  it('walks paxos minority-quorums to the violation by clicks, goes back, forks, searches, saves, and the CLI replays the save', async () => {
    const found = await check(paxos, { variant: 'minority-quorums' });
    expect(found.violation).toMatchObject({ property: 'AtMostOneChosen', length: 8 });
    const descriptions = new ExploreSession(paxos, { trace: found.trace }).view().steps.map((s) => s.description);
    const server = await serve(paxos, { variant: 'minority-quorums' }, out);
    servers.push(server);
    const { page, requests, errors } = await openExplorer(browser, server.url);
    expect(await text(page, '#title')).toBe('paxos [minority-quorums]');
    expect(await page.$$eval('#history th', (ths) => ths.map((t) => t.textContent))).toEqual(['#', 'client', 'a0', 'a1', 'a2', 'p0', 'p1', 'event']);

    for (let i = 1; i <= 8; i++) {
      expect(await propertyClass(page, 'AtMostOneChosen')).toBe('holds');
      await take(page, descriptions[i], i);
    }
    expect(await propertyClass(page, 'AtMostOneChosen')).toBe('broken');
    expect(await page.$eval('#properties li[data-name="AtMostOneChosen"]', (li) => li.textContent)).toContain(found.violation!.message);
    expect(await text(page, '#verdict')).toBe('✗ AtMostOneChosen breaks at step 8');
    expect(await page.$$eval('tr.step.broken', (rows) => rows.map((r) => r.getAttribute('data-step')))).toEqual(['8']);

    // Back two steps (a button, then the arrow key): the future is kept and the next event marked.
    await page.click('#back');
    await settled(page, 7);
    await page.keyboard.press('ArrowLeft');
    await settled(page, 6, 8);
    expect(await propertyClass(page, 'AtMostOneChosen')).toBe('holds');
    expect(await page.$eval('#events button.event.next', (b) => b.textContent)).toBe(descriptions[7]);

    // Fork: another delivery than the recorded one; the old future is dropped.
    const other = await page.$$eval('#events button.event[data-kind="deliver"]:not(.next)', (bs) => bs.map((b) => b.textContent!));
    expect(other.length).toBeGreaterThan(0);
    await take(page, other[0], 7);
    await settled(page, 7, 7);
    expect(await text(page, 'tr.step.current td.description')).toBe(other[0]);

    // A bounded BFS from the forked state, its result back as the path's future.
    await fill(page, '#bfs-states', '20000');
    await page.click('#bfs-run');
    await page.waitForSelector('#bfs-progress[data-done]', { timeout: 60_000 });
    await settled(page, 7);
    const done = await page.$eval('#bfs-progress', (e) => e.getAttribute('data-done'));
    const summary = await text(page, '#bfs-progress');
    expect(summary).toMatch(/^BFS from step 7: \d+ states/);
    if (done === 'violation') {
      const length = Number(await page.$eval('body', (b) => b.getAttribute('data-length')));
      expect(summary).toContain(`AtMostOneChosen breaks at step ${length}`);
      await page.click(`tr.step[data-step="${length}"]`);
      await settled(page, length);
      expect(await propertyClass(page, 'AtMostOneChosen')).toBe('broken');
    }

    // Save the path to here under --out, and replay it with the command line.
    await fill(page, '#save-name', 'forked');
    await page.click('#save');
    await page.waitForSelector('#save-status[data-saved]');
    const replayed = ordeal('replay', join(out, 'forked.json'));
    expect(replayed.stdout).toMatch(done === 'violation' ? /REPRODUCED: AtMostOneChosen is broken after event \d+/ : /REPRODUCED: all 7 events apply/);
    expect(replayed.code).toBe(0);

    await page.screenshot({ path: screenshotPath(repoRoot, 'explore-paxos.png') });
    const origin = `http://127.0.0.1:${server.port}/`;
    expect(requests.filter((r) => !r.startsWith(origin))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a hostile model\'s node names, messages and property as text, running none of them', async () => {
    const server = await serve(hostileModel);
    servers.push(server);
    const { page, errors } = await openExplorer(browser, server.url);
    expect(await page.$$eval('#history th', (ths) => ths.slice(1, -1).map((t) => t.textContent))).toEqual(HOSTILE_NODE_NAMES);
    const [event] = await page.$$eval('#events button.event', (bs) => bs.map((b) => b.textContent!));
    await take(page, event, 1);
    expect(await page.$$eval('#properties li', (lis) => lis.map((li) => li.getAttribute('data-name')))).toEqual([HOSTILE_PROPERTY]);
    expect(await propertyClass(page, HOSTILE_PROPERTY)).toBe('broken');
    expect(await page.$$eval('#state section', (ss) => ss.map((s) => s.getAttribute('data-part')))).toContain(HOSTILE_NODE_NAMES[0]);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(await page.$$('#state img, #state script, #state b, #history img')).toHaveLength(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
