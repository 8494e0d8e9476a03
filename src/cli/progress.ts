// The live progress line on stderr (cli-progress), shown only for runs longer than a second and
// only on a terminal.
import cliProgress from 'cli-progress';
import type { Progress } from '../api/models.ts';
import { thousands } from './format.ts';

const SHOW_AFTER_MS = 1000;

export interface ProgressLine {
  update(progress: Progress): void;
  stop(): void;
}

export function progressLine(enabled: boolean): ProgressLine {
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(p) {
      if (!enabled || p.elapsedMs < SHOW_AFTER_MS) return;
      const payload = {
        states: thousands(p.distinctStates),
        rate: thousands(Math.round((p.distinctStates / p.elapsedMs) * 1000)),
        depth: p.depth,
        queue: thousands(p.queue),
        secs: (p.elapsedMs / 1000).toFixed(0),
      };
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            format: '  {states} states | {rate} states/s | depth {depth} | queue {queue} | {secs}s',
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: true,
            fps: 5,
          },
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
