// Runs the reference Promela model (bench/spin/paxos.pml) under Spin: generate the verifier with
// `spin -a`, compile it with gcc, run `pan`, and parse its summary. Builds in bench/build (scratch).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface SpinRun {
  readonly statesStored: number;
  /** Spin's "transitions (= stored+matched)"; it counts the initial state as one. */
  readonly transitions: number;
  readonly depthReached: number;
  readonly stateVectorBytes: number;
  readonly elapsedSeconds: number;
  /** Spin's own rate line; absent when the run took less than its clock resolution. */
  readonly statesPerSecond: number | null;
  readonly totalMemoryMiB: number;
  readonly wallSeconds: number;
}

export const GCC_FLAGS = ['-O2', '-DSAFETY', '-DNOREDUCE', '-DMEMLIM=16384'];

/** Hash table size exponent for pan, as the shared reference run uses it (2^24 slots, 2^27 from 4 ballots). */
export const panHashBits = (ballots: number): number => (ballots >= 4 ? 27 : 24);

export function panFlags(ballots: number): string[] {
  return ['-m100000', `-w${panHashBits(ballots)}`];
}

/** The spin version line, or null when spin or gcc is not installed. */
export function spinVersion(): string | null {
  for (const tool of ['spin', 'gcc']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (found.status !== 0) return null;
  }
  const out = spawnSync('spin', ['-V'], { encoding: 'utf8' });
  return (out.stdout || out.stderr).trim().split('\n')[0] ?? 'spin';
}

/** Generate and compile pan for `ballots` in a fresh directory under `buildRoot`; returns the directory. */
export function buildPan(modelPath: string, buildRoot: string, ballots: number): string {
  const dir = join(buildRoot, `spin-nb${ballots}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(modelPath, join(dir, 'paxos.pml'));
  execFileSync('spin', [`-DNB=${ballots}`, '-a', 'paxos.pml'], { cwd: dir, stdio: 'pipe' });
  execFileSync('gcc', [...GCC_FLAGS, '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'pipe' });
  return dir;
}

function numberAfter(text: string, pattern: RegExp, what: string): number {
  const match = pattern.exec(text);
  if (!match) throw new Error(`spin output has no ${what}:\n${text}`);
  return Number(match[1]);
}

export function parsePan(text: string, wallSeconds: number): SpinRun {
  const rate = /pan: rate\s+([\d.]+) states\/second/.exec(text);
  return {
    statesStored: numberAfter(text, /(\d+) states, stored/, 'states stored'),
    transitions: numberAfter(text, /(\d+) transitions \(= stored\+matched\)/, 'transitions'),
    depthReached: numberAfter(text, /depth reached (\d+)/, 'depth'),
    stateVectorBytes: numberAfter(text, /State-vector (\d+) byte/, 'state vector'),
    elapsedSeconds: numberAfter(text, /pan: elapsed time ([\d.e+-]+) seconds/, 'elapsed time'),
    statesPerSecond: rate ? Number(rate[1]) : null,
    totalMemoryMiB: numberAfter(text, /([\d.]+)\s+total actual memory usage/, 'memory usage'),
    wallSeconds,
  };
}

export function runPan(dir: string, ballots: number): SpinRun {
  const started = performance.now();
  const out = execFileSync(join(dir, 'pan'), panFlags(ballots), { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (/errors: [1-9]/.test(out)) throw new Error(`pan found an error:\n${out}`);
  return parsePan(out, wallSeconds);
}
