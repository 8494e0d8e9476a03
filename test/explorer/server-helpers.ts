// Raw HTTP against the explorer's server: every header set by hand (fetch will not let a test
// forge Host), so a test can try what a hostile page or a rebinding DNS name would send.
import { request } from 'node:http';
import type { ModelDefinition } from '../../src/model/define.ts';
import { ExploreSession, type SessionOptions } from '../../src/api/explore.ts';
import { startExploreServer, type RunningExplorer } from '../../src/cli/explore-server.ts';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string; host?: string }): Promise<RawResponse> {
  return new Promise((done, fail) => {
    const req = request(
      { host: options.host ?? '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Host: `127.0.0.1:${port}`, ...options.headers }, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', fail);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A POST as the page sends it: JSON, its own Origin, the token in a header. */
export function post(server: RunningExplorer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return raw(server.port, {
    method: 'POST',
    path,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${server.port}`, 'X-Ordeal-Token': server.token, ...headers },
  });
}

export async function serve(model: ModelDefinition, options: SessionOptions = {}, outDir: string | null = null): Promise<RunningExplorer> {
  return startExploreServer({ session: new ExploreSession(model, options), outDir, modelFile: null });
}
