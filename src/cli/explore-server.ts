// The HTTP layer of `ordeal explore`: Node's `http` on 127.0.0.1 serving one generated page and a
// JSON API over one ExploreSession (src/api/explore.ts). Every request is checked before routing:
//   - the peer is on loopback (the socket is bound to 127.0.0.1 anyway);
//   - the Host header is 127.0.0.1:<port> or localhost:<port> (DNS rebinding);
//   - an Origin header, when sent, is this server's own; a non-GET request must send it or say
//     `Sec-Fetch-Site: same-origin`, and no API request may say it comes from another site (CSRF);
//   - the per-run token is given, in the URL (`?token=`), the `X-Ordeal-Token` header or the
//     HttpOnly SameSite=Strict cookie the page sets, and compared in constant time;
//   - only the routes below answer; no file is ever read from a request's path;
//   - the page runs under a Content-Security-Policy with a per-response nonce (no other script, no
//     external request) and writes every model string with textContent.
// `POST /api/save` writes `<name>.json` only directly in the folder given with --out.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve, sep, isAbsolute } from 'node:path';
import { ExploreSession, type SearchSummary } from '../api/explore.ts';
import type { CancelSignal } from '../api/strategies.ts';
import { InputError, type Trace } from '../api/models.ts';
import { explorePage } from './explore-page.ts';
import { writeFileAtomic } from './files.ts';
import { withModelFile } from './model-file.ts';

/** The largest request body read (a trace to load), in bytes. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
const SAVE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface ExploreServerOptions {
  readonly session: ExploreSession;
  /** 0 or absent: a free port chosen by the system. */
  readonly port?: number;
  /** Where `POST /api/save` may write, or null (saving to disk is off; download still works). */
  readonly outDir: string | null;
  /** The model file (for traces that name it), or null for a built-in model. */
  readonly modelFile: { readonly path: string; readonly sha256: string } | null;
  /** A fixed token (tests); default 32 random bytes. */
  readonly token?: string;
  /** Stops a running search with its partial result (the command's Ctrl-C watcher). */
  readonly signal?: CancelSignal;
  /** Told of each search's summary (the command prints an interrupted one). */
  readonly onSearch?: (summary: SearchSummary) => void;
}

export interface RunningExplorer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

class HttpRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::ffff:127.0.0.1', '::1']);

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // same-origin, not no-referrer: under no-referrer a browser sends no Origin (or "null") on the page's own POSTs.
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...headers,
  });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void =>
  send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...extra });

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new HttpRefusal(415, 'a JSON body is expected (Content-Type: application/json)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpRefusal(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new HttpRefusal(400, 'the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpRefusal(400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

const optionalInteger = (value: unknown, name: string): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new InputError(`${name} must be an integer`);
  return value;
};

/** The file `POST /api/save` writes for `name`: directly inside `outDir`, or refused. */
export function savePath(outDir: string, name: unknown): string {
  if (typeof name !== 'string') throw new InputError('name must be a string');
  const base = name.endsWith('.json') ? name.slice(0, -5) : name;
  if (!SAVE_NAME.test(base) || base.includes('..')) throw new InputError('name may hold letters, digits, ".", "_" and "-" only (no folders), and start with a letter or digit');
  const root = resolve(outDir);
  const path = join(root, `${base}.json`);
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.includes(sep)) throw new InputError('name must stay inside the --out folder');
  return path;
}

/** Start the explorer's server; resolves once it listens. */
export async function startExploreServer(options: ExploreServerOptions): Promise<RunningExplorer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const { session } = options;
  let port = 0;
  const cookieName = () => `ordeal_explore_${port}`;
  const traceWithSource = (trace: Trace, where: string): Trace => withModelFile(trace, options.modelFile, where);

  const api: Record<string, (body: Record<string, unknown>, res: ServerResponse) => void> = {
    '/api/step': (body) => session.take(body.event),
    '/api/back': () => session.back(),
    '/api/forward': () => session.forward(),
    '/api/goto': (body) => session.goto(optionalInteger(body.step, 'step') ?? -1),
    '/api/load': (body) => session.load(body.trace, optionalInteger(body.step, 'step')),
    '/api/watch': (body) => (body.remove === true ? session.removeWatch(String(body.expression)) : session.addWatch(String(body.expression))),
  };

  function check(req: IncomingMessage, url: URL): void {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) throw new HttpRefusal(403, 'the explorer answers on loopback only');
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!hosts.includes(req.headers.host ?? '')) throw new HttpRefusal(403, 'wrong Host header: open the URL the explorer printed');
    const origin = req.headers.origin;
    const origins = hosts.map((h) => `http://${h}`);
    if (origin !== undefined && !origins.includes(origin)) throw new HttpRefusal(403, 'foreign Origin');
    // Chromium sends no Origin on a same-origin POST, but it and every current browser send
    // Sec-Fetch-Site; a request from another site carries a foreign Origin or says cross-site.
    const site = req.headers['sec-fetch-site'];
    if (url.pathname !== '/' && (site === 'cross-site' || site === 'same-site')) throw new HttpRefusal(403, 'a request from another site');
    if (req.method !== 'GET' && origin === undefined && site !== 'same-origin') {
      throw new HttpRefusal(403, 'a request that changes the session must come from the explorer page (Origin or Sec-Fetch-Site header)');
    }
    const given = url.searchParams.get('token') ?? (req.headers['x-ordeal-token'] as string | undefined) ?? cookieToken(req, cookieName());
    if (!sameToken(given ?? undefined, token)) throw new HttpRefusal(403, 'missing or wrong token: open the URL the explorer printed');
  }

  function search(body: Record<string, unknown>, res: ServerResponse): void {
    // The search holds this thread; progress lines are streamed as it goes (the socket writes at once).
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    try {
      const summary = session.search(
        { maxStates: optionalInteger(body.maxStates, 'maxStates'), maxDepth: optionalInteger(body.maxDepth, 'maxDepth'), timeLimitMs: optionalInteger(body.timeLimitMs, 'timeLimitMs') },
        (p) => {
          res.write(`${JSON.stringify({ progress: p })}\n`);
          // Node corks a response's socket until the next tick, which never comes while the search
          // holds the thread: uncork so that each line leaves now, not all at the end.
          res.socket?.uncork();
        },
        options.signal,
      );
      options.onSearch?.(summary);
      res.end(`${JSON.stringify({ summary })}\n`);
    } catch (error) {
      res.end(`${JSON.stringify({ error: (error as Error).message })}\n`);
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/') {
      const nonce = randomBytes(16).toString('base64');
      const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`;
      send(res, 200, explorePage({ nonce, token, title: `${session.model.name} [${session.variant}]`, canSave: options.outDir !== null }), {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': csp,
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
      return;
    }
    if (req.method === 'GET' && path === '/api/state') return sendJson(res, 200, session.view());
    if (req.method === 'GET' && path === '/api/trace') {
      const name = `${session.model.name}.${session.variant}.explore.json`;
      return sendJson(res, 200, traceWithSource(session.trace(), join(process.cwd(), name)), { 'Content-Disposition': `attachment; filename="${name}"` });
    }
    if (req.method === 'POST' && path === '/api/bfs') return search(await readJsonBody(req), res);
    if (req.method === 'POST' && path === '/api/save') {
      const body = await readJsonBody(req);
      if (options.outDir === null) throw new HttpRefusal(403, 'saving to disk is off: start the explorer with --out FOLDER');
      const file = savePath(options.outDir, body.name);
      writeFileAtomic(file, `${JSON.stringify(traceWithSource(session.trace(), file), null, 2)}\n`);
      return sendJson(res, 200, { saved: relative(process.cwd(), file) || file, replay: `ordeal replay ${relative(process.cwd(), file) || file}` });
    }
    if (req.method === 'POST' && Object.hasOwn(api, path)) {
      api[path](await readJsonBody(req), res);
      return sendJson(res, 200, session.view());
    }
    throw new HttpRefusal(404, 'not found');
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        check(req, url);
        await route(req, res, url);
      } catch (error) {
        if (res.headersSent) return void res.end();
        if (error instanceof HttpRefusal) return sendJson(res, error.status, { error: error.message });
        if (error instanceof InputError) return sendJson(res, 400, { error: error.message });
        sendJson(res, 500, { error: `internal error: ${(error as Error).message}` });
      }
    })();
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => done());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
