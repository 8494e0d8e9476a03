// Runs the `ordeal` command as a user would (bin/ordeal.js in a child process) and returns its
// exit code and output: the CLI tests' one way to call it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The node arguments that run `ordeal ARGS` (for tests that spawn it themselves, e.g. to signal it). */
export function ordealArgs(...args: string[]): string[] {
  return [join(repoRoot, 'bin', 'ordeal.js'), ...args];
}

/** `ordeal ARGS` run in the folder `cwd`, to its end. */
export function ordealIn(cwd: string, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, ordealArgs(...args), { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `ordeal ARGS` run from the repository root, to its end. */
export function ordeal(...args: string[]): CliRun {
  return ordealIn(repoRoot, ...args);
}
