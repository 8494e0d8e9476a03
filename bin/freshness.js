// Whether dist/ (the built package) is up to date with src/ and models/: the newest modification
// time among the sources, compared with the one recorded when dist/ was built.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_DIRS = ['src', 'models'];

/** Newest mtime (ms) of any file under src/ and models/ (0 when there are none). */
export function newestSourceMs(root) {
  let newest = 0;
  for (const dir of SOURCE_DIRS) {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const ms = statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs;
      if (ms > newest) newest = ms;
    }
  }
  return newest;
}

/** True when dist/ exists and no source changed since it was built. */
export function distIsFresh(root) {
  try {
    const built = JSON.parse(readFileSync(join(root, 'dist', 'build.json'), 'utf8'));
    return typeof built.newestSourceMs === 'number' && newestSourceMs(root) <= built.newestSourceMs;
  } catch {
    return false;
  }
}
