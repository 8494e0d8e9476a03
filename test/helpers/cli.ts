// Runs the `ordeal` command as a user would (bin/ordeal.js in a child process, from the repository
// root) and returns its exit code and output: the CLI tests' one way to call it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function ordeal(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'ordeal.js'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
