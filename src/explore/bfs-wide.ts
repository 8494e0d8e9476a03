// BFS past RAM: the one-thread BFS of bfs.ts with a visited set of a chosen kind (exact, hash
// compaction or bitstate: visited-modes.ts) and a frontier that spills to disk in batches
// (spill.ts) once a level's states in memory pass a budget. States are taken in the same order as
// bfs.ts takes them, so with the exact or compact set it finds the same states, transitions, depth
// and first violation. No sleep sets (their sets would have to spill too) and no action coverage:
// the default BFS keeps those; this one is chosen by `visited` other than exact, or by spilling.
import type { TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import { stopReasonOf } from './control.ts';
import { finishSearch, type Broken } from './finish.ts';
import { TraceLinks } from './links.ts';
import { EXPANSIONS_PER_POLL, type SearchOptions, type SearchOutcome } from './outcome.ts';
import { PropertyTracker } from './properties.ts';
import { SpillLevel, type SpillStorage } from './spill.ts';
import { missedStateNote, newVisitedSet, type VisitedMode } from './visited-modes.ts';

export interface WideSearchOptions extends SearchOptions {
  readonly visited?: VisitedMode;
  /** log2 of the bitstate array's bits (visited 'bitstate'). */
  readonly bitstateBits?: number;
  /** Varies the bitstate hash positions. */
  readonly seed?: number;
  /** Where batches go; null keeps every level in memory. */
  readonly spill?: SpillStorage | null;
  /** Bytes of the level being generated kept in memory before a batch goes to disk. */
  readonly frontierBytesMax?: number;
}

export interface WideOutcome {
  readonly outcome: SearchOutcome;
  /** How the visited set may have missed states (TLC's or Holzmann's estimate). */
  readonly missedNote: string;
  readonly spilledBatches: number;
  readonly peakDiskBytes: number;
}

/**
 * Default in-memory budget of the level being generated, when spilling: also the size of a batch.
 * Small, because a batch costs about three times its size at the moment it is written (the store
 * grown by doubling, the batch's words, the deflated bytes).
 */
export const FRONTIER_BYTES_DEFAULT = 32 * 1024 * 1024;

export function bfsWide<S>(system: TransitionSystem<S>, options: WideSearchOptions = {}): WideOutcome {
  const now = options.now ?? (() => 0);
  const started = now();
  const stopReason = stopReasonOf(options, started);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const mode = options.visited ?? 'exact';
  const visited = newVisitedSet(mode, options.bitstateBits, options.seed);
  const storage = options.spill ?? null;
  const budget = options.frontierBytesMax ?? FRONTIER_BYTES_DEFAULT;
  const links = new TraceLinks();
  const tracker = new PropertyTracker(system);
  const fp = newFingerprint();
  let current = new SpillLevel(system, storage, budget);
  let next = new SpillLevel(system, storage, budget);
  let transitions = 0;
  let depth = 0;
  let peakFrontierBytes = 0;
  let spilledBatches = 0;
  let broken: Broken | null = null;
  const limitReasons: string[] = [];

  system.initialStates().forEach((state, i) => {
    system.fingerprint(state, fp);
    if (!visited.add(fp.lo, fp.hi)) return;
    const ordinal = links.addRoot(i);
    const bad = tracker.check(state, 0);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    current.push(state);
  });
  if (current.length > 0) depth = 1;

  let parentOrdinal = 0;
  let stateLimitHit = false;
  const visit = (state: S, index: number): void => {
    system.fingerprint(state, fp);
    if (!visited.add(fp.lo, fp.hi)) return;
    const ordinal = links.add(parentOrdinal, index);
    const bad = tracker.check(state, depth);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    next.push(state);
    if (visited.size >= maxStates) stateLimitHit = true;
  };

  let levelStart = 0;
  let polls = 0;
  let stopped = false;
  while (current.length > 0 && !broken && !stopped) {
    if (depth >= maxDepth) {
      limitReasons.push(`max depth ${maxDepth} reached with ${current.length} states unexpanded`);
      break;
    }
    const levelSize = current.length;
    let done = 0;
    current.drain((store, count) => {
      for (let i = 0; i < count; i++, done++) {
        parentOrdinal = levelStart + done;
        transitions += system.forEachSuccessor(store.get(i), visit);
        if (broken) return (stopped = true), false;
        if (stateLimitHit) return limitReasons.push(`max states ${maxStates} reached`), (stopped = true), false;
        if (++polls === EXPANSIONS_PER_POLL) {
          polls = 0;
          const stop = stopReason();
          if (stop) return limitReasons.push(stop), (stopped = true), false;
          options.onProgress?.({ distinctStates: visited.size, transitions, depth: depth + 1, queue: levelSize - done + next.length, elapsedMs: now() - started });
        }
      }
      peakFrontierBytes = Math.max(peakFrontierBytes, store.bytes() + next.memoryBytes);
      return true;
    });
    if (stopped) break;
    spilledBatches += next.batchesWritten;
    levelStart += levelSize;
    current.clear();
    [current, next] = [next, current];
    next.batchesWritten = 0;
    if (current.length > 0) depth++;
  }
  spilledBatches += next.batchesWritten + current.batchesWritten;
  const peakDiskBytes = storage?.peakBytesOnDisk ?? 0;
  current.clear();
  next.clear();
  const outcome = finishSearch({
    strategy: 'bfs',
    reduction: null,
    system,
    visited,
    links,
    tracker,
    broken: broken as Broken | null,
    limitReasons,
    transitions,
    depth,
    depthIsViolationLevel: true,
    peakFrontierBytes,
    elapsedMs: now() - started,
  });
  return { outcome, missedNote: missedStateNote(mode, visited, outcome.distinctStates, transitions), spilledBatches, peakDiskBytes };
}
