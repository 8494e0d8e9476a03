// ordeal's version, read from its package.json: the one source of the number the CLI prints, traces
// and checkpoints record, and `--version` shows.
import { readFileSync } from 'node:fs';

/** package.json is two levels up from the sources (src/api), three from the build (dist/src/api). */
export const ORDEAL_VERSION: string = (() => {
  const up = import.meta.url.endsWith('.ts') ? '../../package.json' : '../../../package.json';
  return (JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { version: string }).version;
})();
