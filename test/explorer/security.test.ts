// The explorer's server tried from outside, as a hostile page, a rebinding DNS name or a curious
// local user would: each request below is refused, and the one well-formed request is answered.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import type { RunningExplorer } from '../../src/cli/explore-server.ts';
import { HOSTILE_NODE_NAMES, hostileModel } from '../fixtures/hostile.ts';
import { post, raw, serve } from './server-helpers.ts';

const paxos = builtinModels.find((m) => m.name === 'paxos')!;
const out = mkdtempSync(join(tmpdir(), 'ordeal-explore-out-'));
let server: RunningExplorer;

beforeAll(async () => {
  server = await serve(paxos, { variant: 'minority-quorums' }, out);
});
afterAll(async () => {
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

const state = (query: string, headers: Record<string, string> = {}) => raw(server.port, { path: `/api/state${query}`, headers });

describe('the explorer server refuses what does not come from its own page', () => {
  it('answers the page and the API with the token, and sets it as an HttpOnly SameSite=Strict cookie', async () => {
    const page = await raw(server.port, { path: `/?token=${server.token}` });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'nonce-[^']+'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe/);
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await state(`?token=${server.token}`)).status).toBe(200);
    expect((await state('', { 'X-Ordeal-Token': server.token })).status).toBe(200);
    expect((await state('', { Cookie: cookie.split(';')[0] })).status).toBe(200);
  });

  it('refuses every request without the token, or with a wrong one', async () => {
    expect((await raw(server.port, { path: '/' })).status).toBe(403);
    expect((await state('')).status).toBe(403);
    expect((await state('?token=x')).status).toBe(403);
    expect((await state(`?token=${server.token.slice(0, -1)}`)).status).toBe(403);
    expect((await post(server, '/api/back', {}, { 'X-Ordeal-Token': 'wrong' })).status).toBe(403);
  });

  it('refuses a wrong Host header (DNS rebinding), even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`, '']) {
      const r = await raw(server.port, { path: `/api/state?token=${server.token}`, headers: { Host: host } });
      expect(r.status, host).toBe(403);
    }
    expect((await raw(server.port, { path: `/api/state?token=${server.token}`, headers: { Host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('refuses a foreign Origin, and a change without an Origin', async () => {
    expect((await post(server, '/api/back', {}, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(server, '/api/back', {}, { Origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await post(server, '/api/back', {}, { Origin: 'null' })).status).toBe(403);
    expect((await state(`?token=${server.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
    const noOrigin = await raw(server.port, { method: 'POST', path: `/api/back?token=${server.token}`, body: '{}', headers: { 'Content-Type': 'application/json' } });
    expect(noOrigin.status).toBe(403);
    const crossSite = await raw(server.port, { method: 'POST', path: `/api/back?token=${server.token}`, body: '{}', headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await state(`?token=${server.token}`, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await post(server, '/api/back', {})).status).toBe(200);
  });

  it('serves no file: traversal and source paths are not found', async () => {
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/api/../package.json', '/package.json', '/src/cli/main.ts', '/..%2fpackage.json', '//etc/passwd']) {
      const r = await raw(server.port, { path: `${path}${path.includes('?') ? '&' : '?'}token=${server.token}` });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toMatch(/root:|"name": "ordeal"|commander/);
    }
  });

  it('saves only directly inside the --out folder', async () => {
    for (const name of ['../escaped', '/tmp/escaped', 'a/b', '..', '.hidden', 'a\\..\\b', '']) {
      const r = await post(server, '/api/save', { name });
      expect(r.status, name).toBe(400);
    }
    expect(existsSync(join(out, '..', 'escaped.json'))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    const ok = await post(server, '/api/save', { name: 'fine' });
    expect(ok.status).toBe(200);
    expect(readdirSync(out)).toEqual(['fine.json']);
  });

  it('refuses a save when no --out folder was given', async () => {
    const other = await serve(paxos);
    try {
      expect((await post(other, '/api/save', { name: 'x' })).status).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces()).flat().find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
    if (external === undefined) return; // no other interface to try from
    await expect(raw(server.port, { host: external!.address, path: `/api/state?token=${server.token}` })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('sends a hostile model\'s strings as JSON only, never inside the page', async () => {
    const hostile = await serve(hostileModel);
    try {
      const page = await raw(hostile.port, { path: `/?token=${hostile.token}` });
      for (const name of HOSTILE_NODE_NAMES) expect(page.body).not.toContain(name);
      const api = await raw(hostile.port, { path: `/api/state?token=${hostile.token}` });
      expect(api.headers['content-type']).toMatch(/^application\/json/);
      expect(api.headers['x-content-type-options']).toBe('nosniff');
      expect(JSON.parse(api.body).lanes).toEqual(HOSTILE_NODE_NAMES);
    } finally {
      await hostile.close();
    }
  });
});
