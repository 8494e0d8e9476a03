// The progress of a long run on stderr: on a terminal a live line (cli-progress) once the run has
// taken a second; elsewhere (CI logs, a file) one plain line every 10 seconds; nothing with --quiet.
import cliProgress from 'cli-progress';
import type { Progress } from '../api/models.ts';
import type { SimulateOptions } from '../api/simulate.ts';
import { thousands } from './format.ts';

const SHOW_AFTER_MS = 1000;
/** Without a terminal, one line this often. */
export const LOG_EVERY_MS = 10_000;

export type ProgressMode = 'terminal' | 'log' | 'off';

export interface ProgressLine<P = Progress> {
  update(progress: P): void;
  stop(): void;
}

/** How progress is shown: off with --quiet; a live line on a terminal (unless stdout is JSON); else log lines. */
export function progressMode(flags: { quiet?: boolean; json?: boolean }, stderrIsTTY = process.stderr.isTTY === true): ProgressMode {
  if (flags.quiet) return 'off';
  if (stderrIsTTY) return flags.json ? 'off' : 'terminal';
  return 'log';
}

/** A check's progress in words: `1,234 states | 5,678 states/s | depth 7 | queue 90 | 12s`. */
export function checkProgressText(p: Progress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.distinctStates / p.elapsedMs) * 1000) : 0;
  return `${thousands(p.distinctStates)} states | ${thousands(rate)} states/s | depth ${p.depth} | queue ${thousands(p.queue)} | ${(p.elapsedMs / 1000).toFixed(0)}s`;
}

type SimulationProgress = Parameters<NonNullable<SimulateOptions['onProgress']>>[0];

/** A simulation's progress in words: `1,234 runs | 56,789 events | 12s`. */
export function simulationProgressText(p: SimulationProgress): string {
  return `${thousands(p.runs)} runs | ${thousands(p.events)} events | ${(p.elapsedMs / 1000).toFixed(0)}s`;
}

export function progressLine(mode: ProgressMode | boolean): ProgressLine<Progress>;
export function progressLine<P extends { readonly elapsedMs: number }>(mode: ProgressMode | boolean, text: (p: P) => string, write?: (line: string) => void): ProgressLine<P>;
export function progressLine<P extends { readonly elapsedMs: number }>(
  mode: ProgressMode | boolean,
  text: (p: P) => string = checkProgressText as unknown as (p: P) => string,
  write: (line: string) => void = (line) => process.stderr.write(line),
): ProgressLine<P> {
  const how: ProgressMode = mode === true ? 'terminal' : mode === false ? 'off' : mode;
  let bar: cliProgress.SingleBar | null = null;
  let nextLogMs = LOG_EVERY_MS;
  return {
    update(p) {
      if (how === 'off') return;
      if (how === 'log') {
        if (p.elapsedMs < nextLogMs) return;
        nextLogMs = (Math.floor(p.elapsedMs / LOG_EVERY_MS) + 1) * LOG_EVERY_MS;
        write(`  progress: ${text(p)}\n`);
        return;
      }
      if (p.elapsedMs < SHOW_AFTER_MS) return;
      const payload = { text: text(p) };
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: '  {text}', stream: process.stderr, hideCursor: true, clearOnComplete: true, fps: 5 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(1, 0, payload);
      } else bar.update(0, payload);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
