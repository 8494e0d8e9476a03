// A headless Chromium for tests that look at pages as a person would. It comes from `npm install`:
// @sparticuz/chromium ships a Chromium binary inside the npm package (Linux x64), driven by
// puppeteer-core. Elsewhere a local Chrome or Chromium is found by path, or named by ORDEAL_CHROME.
// No browser at all is an error that says how to get one, never a silently skipped test.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const LOCAL_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export const NO_BROWSER_HINT =
  'no headless browser found: run `npm install` (it brings @sparticuz/chromium on Linux x64), or install Chrome or Chromium ' +
  '(Debian: `apt-get install chromium`), or set ORDEAL_CHROME to its executable';

async function findBrowser(): Promise<{ executablePath: string; args: string[] }> {
  const named = process.env.ORDEAL_CHROME;
  if (named) {
    if (!existsSync(named)) throw new Error(`ORDEAL_CHROME=${named} does not exist; ${NO_BROWSER_HINT}`);
    return { executablePath: named, args: ['--no-sandbox'] };
  }
  if (process.platform === 'linux' && process.arch === 'x64') {
    const chromium = (await import('@sparticuz/chromium')).default;
    return { executablePath: await chromium.executablePath(), args: chromium.args };
  }
  const local = LOCAL_BROWSERS.find((path) => existsSync(path));
  if (local === undefined) throw new Error(NO_BROWSER_HINT);
  return { executablePath: local, args: ['--no-sandbox'] };
}

export async function launchBrowser(viewport: { width: number; height: number }): Promise<Browser> {
  const { executablePath, args } = await findBrowser();
  return puppeteer.launch({ executablePath, args, headless: true, defaultViewport: viewport });
}

let scratch: string | null = null;

/**
 * Where a browser test saves screenshot `name`: in `root`/reports/screenshots (the pictures the
 * README shows) when ORDEAL_SCREENSHOTS=1, else in a temporary folder, so that a plain `npm test`
 * leaves the working tree as it found it (the pixels differ from run to run: times, counts).
 */
export function screenshotPath(root: string, name: string): `${string}.png` {
  const dir = process.env.ORDEAL_SCREENSHOTS === '1' ? join(root, 'reports', 'screenshots') : (scratch ??= mkdtempSync(join(tmpdir(), 'ordeal-screenshots-')));
  mkdirSync(dir, { recursive: true });
  return join(dir, name) as `${string}.png`;
}
