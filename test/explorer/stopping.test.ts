// Ctrl-C while a search runs in the explorer's server: the search holds the event loop, so only the
// signal watcher can stop it. The search ends with its partial result (the page gets it), the
// server closes, the command prints what was searched and exits 3. Idle, Ctrl-C exits 0.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ordealArgs, repoRoot } from '../helpers/cli.ts';

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly token: string;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startExplore(...args: string[]): Promise<Started> {
  const child = spawn(process.execPath, ordealArgs('explore', ...args), { cwd: repoRoot });
  let output = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /open http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/.exec(output);
      if (url) done({ child, port: Number(url[1]), token: url[2], output: () => output, exited });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => fail(new Error(`ordeal explore exited with ${code}: ${output}`)));
  });
}

/** POST a search; call `onLine` with each streamed line; resolve with all of them. */
function search(s: Started, body: unknown, onLine: (line: Record<string, unknown>) => void): Promise<Record<string, unknown>[]> {
  return new Promise((done, fail) => {
    const text = JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1', port: s.port, method: 'POST', path: '/api/bfs',
        headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${s.port}`, 'X-Ordeal-Token': s.token, 'Content-Length': Buffer.byteLength(text) },
      },
      (res) => {
        const lines: Record<string, unknown>[] = [];
        let buffered = '';
        res.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
            const line = JSON.parse(buffered.slice(0, at)) as Record<string, unknown>;
            buffered = buffered.slice(at + 1);
            lines.push(line);
            onLine(line);
          }
        });
        res.on('end', () => done(lines));
      },
    );
    req.on('error', fail);
    req.end(text);
  });
}

describe('ordeal explore: stopping well', () => {
  it('SIGINT during a search: the page gets the partial result, the command prints it and exits 3', async () => {
    const s = await startExplore('zab', '-p', 'requests=2');
    let signalled = false;
    const lines = await search(s, { maxStates: 2_000_000, maxDepth: 60, timeLimitMs: 120_000 }, (line) => {
      if (!signalled && line.progress) {
        signalled = true;
        s.child.kill('SIGINT');
      }
    });
    expect(signalled).toBe(true);
    const summary = lines.at(-1)!.summary as { result: string; reasons: string[]; distinctStates: number; depth: number };
    expect(summary.result).toBe('inconclusive');
    expect(summary.reasons).toContain('interrupted (SIGINT)');
    expect(summary.distinctStates).toBeGreaterThan(0);
    expect(summary.distinctStates).toBeLessThan(2_000_000);
    expect(await s.exited).toBe(3);
    expect(s.output()).toContain(`SIGINT: the search from step 0 stopped with its partial result: ${summary.distinctStates.toLocaleString('en-US')} distinct states, depth ${summary.depth}`);
  }, 120_000);

  it('SIGTERM with no search running closes the server and exits 0', async () => {
    const s = await startExplore('paxos');
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  }, 60_000);
});
