// Driving the explorer page in the test suite's headless Chromium: wait for the page to have drawn
// a response (its body's data-position, no data-busy), click events by their description, and keep
// every request and script error so a test can say the page made no other.
import type { Browser, ElementHandle, Page } from 'puppeteer-core';

export interface OpenedPage {
  readonly page: Page;
  readonly requests: string[];
  readonly errors: string[];
}

export async function openExplorer(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  await settled(page);
  return { page, requests, errors };
}

/** Wait until the page has drawn the session at `position` (any position when absent) and is idle. */
export async function settled(page: Page, position?: number, length?: number): Promise<void> {
  const at = position === undefined ? '[data-position]' : `[data-position="${position}"]`;
  const len = length === undefined ? '' : `[data-length="${length}"]`;
  await page.waitForSelector(`body${at}${len}:not([data-busy])`, { timeout: 30_000 });
}

export const text = (page: Page, selector: string): Promise<string> => page.$eval(selector, (e) => e.textContent ?? '');

/** The enabled-event button with this exact description. */
export async function eventButton(page: Page, description: string): Promise<ElementHandle> {
  for (const button of await page.$$('#events button.event')) {
    if ((await button.evaluate((b) => b.textContent)) === description) return button;
  }
  const shown = await page.$$eval('#events button.event', (bs) => bs.map((b) => b.textContent));
  throw new Error(`no enabled event "${description}" among ${JSON.stringify(shown)}`);
}

/** Click the event with this description and wait for the page to show the step after it. */
export async function take(page: Page, description: string, position: number): Promise<void> {
  await (await eventButton(page, description)).click();
  await settled(page, position);
}

export const propertyClass = (page: Page, name: string): Promise<string> =>
  page.$$eval('#properties li', (lis, n) => lis.find((li) => li.getAttribute('data-name') === n)?.className ?? 'absent', name);

/** Replace an input's value by typing, as a person would. */
export async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(selector, (e) => {
    (e as unknown as { value: string }).value = '';
  });
  await page.type(selector, value);
}
