// The HTML counterexample page in a real headless Chromium: opened from file:// with no network,
// lanes and arrows counted against the trace, a click and the arrow keys checked against the state
// panel, hostile strings shown as text, and a screenshot saved for the README. The Mermaid diagrams
// are drawn by mermaid itself, as a forge would, and read back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { runCheck } from '../../src/check/run.ts';
import type { ModelDefinition } from '../../src/model/define.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { readTrace, type TraceReading } from '../../src/trace/reading.ts';
import { renderHtml } from '../../src/trace/render-html.ts';
import { renderMermaid } from '../../src/trace/render-mermaid.ts';
import { HOSTILE_MESSAGE, HOSTILE_NODE_NAMES, hostileModel } from '../fixtures/hostile.ts';
import { launchBrowser, screenshotPath } from '../helpers/browser.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ordeal-browser-'));
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser({ width: 1600, height: 900 });
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function read(model: ModelDefinition, variant: string): TraceReading {
  const report = runCheck({ model, variant, params: resolveParams(model, []), config: model.defaultConfig, strategy: 'bfs', search: {} });
  return readTrace(report.system, report.trace!);
}

/** Open the page from a file and record every request it makes and every script error. */
async function open(name: string, html: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const file = join(dir, name);
  writeFileSync(file, html);
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests, errors };
}

const panelTitle = (page: Page) => page.$eval('#step-title', (e) => e.textContent);
const selectedStep = (page: Page) => page.$$eval('g.step.selected', (rows) => rows.map((r) => r.getAttribute('data-step')));

describe('the HTML counterexample in a real browser', () => {
  it('shows paxos minority-quorums: lanes, arrows, a clicked step and the arrow keys', async () => {
    const reading = read(builtinModels.find((m) => m.name === 'paxos')!, 'minority-quorums');
    const { page, requests, errors } = await open('minority-quorums.html', renderHtml(reading));
    expect(requests).toEqual([pathToFileURL(join(dir, 'minority-quorums.html')).href]);
    expect(errors).toEqual([]);

    // A lane per node (and the client), drawn left to right in the model's order.
    const lanes = await page.$$eval('g.lane', (gs) => gs.map((g) => ({ name: g.getAttribute('data-lane'), x: g.getBoundingClientRect().x })));
    expect(lanes.map((l) => l.name)).toEqual(['client', 'a0', 'a1', 'a2', 'p0', 'p1']);
    expect(lanes.every((l, i) => i === 0 || l.x > lanes[i - 1].x)).toBe(true);

    // An arrow per delivery (all 8 events deliver), each ending inside its delivery step's row;
    // an open arrow per message still in flight at the end.
    const deliveries = reading.steps.filter((s) => s.event.kind === 'deliver').length;
    expect(deliveries).toBe(8);
    const arrows = await page.$$eval('line.msg.delivered', (ls) => ls.map((l) => ({ id: Number(l.getAttribute('data-msg')), bottom: l.getBoundingClientRect().bottom })));
    expect(arrows).toHaveLength(deliveries);
    for (const arrow of arrows) {
      const step = reading.messages[arrow.id].deliveredAt[0];
      const row = await page.$eval(`g.step[data-step="${step}"] rect`, (r) => ({ top: r.getBoundingClientRect().top, bottom: r.getBoundingClientRect().bottom }));
      expect(arrow.bottom).toBeGreaterThan(row.top);
      expect(arrow.bottom).toBeLessThanOrEqual(row.bottom);
    }
    const finalInFlight = (reading.steps[reading.steps.length - 1].state as { inFlight: string[] }).inFlight;
    expect(await page.$$eval('line.msg.open', (ls) => ls.length)).toBe(finalInFlight.length);

    // The page opens at the violating step.
    expect(await selectedStep(page)).toEqual(['8']);
    expect(await panelTitle(page)).toContain('step 8: p1 -> a1: accept(11, v1)');

    // Click step 2: a0 promises ballot 10, and the panel highlights exactly that in a0.
    await page.click('g.step[data-step="2"] text');
    expect(await selectedStep(page)).toEqual(['2']);
    expect(await panelTitle(page)).toBe('step 2: p0 -> a0: prepare(10)');
    const a0 = await page.$eval('section[data-part="a0"]', (s) => ({
      heading: s.querySelector('h3')!.className,
      changed: [...s.querySelectorAll('dt.changed')].map((e) => e.textContent),
      promised: [...s.querySelectorAll('dt')].find((e) => e.textContent === 'promised')!.nextElementSibling!.textContent,
    }));
    expect(a0).toEqual({ heading: 'changed', changed: ['durable', 'promised'], promised: '10' });
    expect(await page.$eval('section[data-part="a1"] h3', (h) => h.className)).toBe('');
    expect(await page.$$eval('#changes li', (ls) => ls.map((l) => l.textContent))).toContain('nodes.a0.durable.promised: -1 -> 10');

    // The arrow keys step through; Home and End jump to the ends.
    await page.keyboard.press('ArrowDown');
    expect(await selectedStep(page)).toEqual(['3']);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    expect(await panelTitle(page)).toBe('step 1: client -> p0: propose(v0)');
    await page.keyboard.press('Home');
    expect(await selectedStep(page)).toEqual(['0']);
    await page.keyboard.press('ArrowUp');
    expect(await selectedStep(page)).toEqual(['0']);
    await page.keyboard.press('End');
    expect(await panelTitle(page)).toContain('(the property is broken here)');

    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath(root, 'paxos-minority-quorums.png') });
    await page.close();
  });

  it('renders the Mermaid diagrams with mermaid itself: every message and note as readable text', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: join(root, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    const render = (text: string) =>
      page.evaluate(async (source) => {
        const m = (globalThis as unknown as { mermaid: { initialize(c: object): void; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
        m.initialize({ startOnLoad: false });
        const { svg } = await m.render(`d${Math.random().toString(36).slice(2)}`, source);
        type Node = { innerHTML: string; querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
        const box = (globalThis as unknown as { document: { createElement(tag: string): Node } }).document.createElement('div');
        box.innerHTML = svg;
        return Array.from(box.querySelectorAll('text, tspan, foreignObject div, foreignObject span')).map((t) => t.textContent ?? '').join('\n');
      }, text);
    const paxos = await render(renderMermaid(read(builtinModels.find((m) => m.name === 'paxos')!, 'minority-quorums')));
    expect(paxos).toContain('8. accept(11, v1)');
    expect(paxos).toContain('VIOLATED: AtMostOneChosen');
    expect(paxos).toContain('p0 → a1: prepare(10)');
    expect(paxos).not.toMatch(/ﬂ°|¶ß/);
    const hostile = await render(renderMermaid(read(hostileModel, 'default')));
    expect(hostile).toContain(HOSTILE_NODE_NAMES[0]);
    expect(hostile).toContain(`say(${HOSTILE_MESSAGE})`);
    expect(hostile).not.toMatch(/ﬂ°|¶ß/);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fails with a line saying how to get a browser when the named one does not exist', async () => {
    const saved = process.env.ORDEAL_CHROME;
    process.env.ORDEAL_CHROME = join(dir, 'no-such-chrome');
    try {
      await expect(launchBrowser({ width: 100, height: 100 })).rejects.toThrow(/does not exist; no headless browser found: run `npm install`.*apt-get install chromium/);
    } finally {
      if (saved === undefined) delete process.env.ORDEAL_CHROME;
      else process.env.ORDEAL_CHROME = saved;
    }
  });

  it('shows hostile model strings as text and runs none of them', async () => {
    const { page, errors } = await open('hostile.html', renderHtml(read(hostileModel, 'default')));
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.$$eval('.lane-name', (ts) => ts.map((t) => t.textContent))).toEqual(HOSTILE_NODE_NAMES);
    expect(await page.$$eval('img', (is) => is.length)).toBe(0);
    expect(await page.$$eval('script', (ss) => ss.length)).toBe(2);
    await page.close();
  });
});
