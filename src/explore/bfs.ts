// Breadth-first search, level by level: the first violation found is at the smallest depth, so its
// counterexample is a shortest one. Frontier states live in the system's store (typed arrays for
// packed systems); the visited set holds fingerprints only; parent links rebuild the trace.
//
// With sleep sets (options.por, on systems that describe their independence), a state is expanded
// under the sleep set of its first arrival: that arrival is along the lexicographically least
// shortest path to it, which no sleep set prunes, so every state is reached at its BFS depth from
// the same parent as without reduction: same states, depth, order and counterexample. Where a
// fingerprint stands for a symmetry orbit, the first arrival at an orbit need not be that path, so
// a state sleeps only on what every arrival from the level before agrees on (an arrival at another
// member of its orbit empties it); docs/reduction.md gives both arguments.
//
// Past RAM (bfs-scale.ts sets it up): the visited set may be hash-compact or bitstate
// (visited-modes.ts), and with a SpillStorage the levels spill to disk in compressed batches
// (spill.ts, with their sleep sets) and so do the parent links (links-spill.ts). States are taken
// in the same order either way, so the counts, depth and counterexample are those of the default.
// Intersecting sleep sets needs the next level in memory and each state's ordinal in the visited
// set, so under symmetry a spilling or non-exact search runs without sleep sets.
import type { TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import { stopReasonOf } from './control.ts';
import { finishSearch, type Broken } from './finish.ts';
import { TraceLinks, type ParentLinks } from './links.ts';
import { SpilledLinks } from './links-spill.ts';
import { EXPANSIONS_PER_POLL, type SearchOptions, type SearchOutcome } from './outcome.ts';
import type { LevelCheckpoint } from './parallel-bfs.ts';
import { PropertyTracker } from './properties.ts';
import { SleepExpander } from './sleep-sets.ts';
import { SpillLevel, type SpillStorage } from './spill.ts';
import { FingerprintSet } from './visited.ts';
import { missedStateNote, newVisitedSet, type VisitedMode } from './visited-modes.ts';
import { levelCheckpointOf, resumeLevel, seedLevel, type LevelMark } from './bfs-levels.ts';

export interface BfsOptions extends SearchOptions {
  readonly visited?: VisitedMode;
  /** log2 of the bitstate array's bits (visited 'bitstate'). */
  readonly bitstateBits?: number;
  /** Varies the bitstate hash positions. */
  readonly seed?: number;
  /** Where frontier batches and parent links go; absent: everything in memory. */
  readonly spill?: SpillStorage | null;
  /** Bytes of the level being generated kept in memory before a batch goes to disk. */
  readonly frontierBytesMax?: number;
  /** Parent links per batch on disk (default LINKS_PER_BATCH). */
  readonly linksPerBatch?: number;
  /** Continue from a checkpoint (of this search or of the level engine) instead of the initial states. */
  readonly resume?: LevelCheckpoint;
  /** Keep a checkpoint of the last complete level when a limit or stop request ends the run. */
  readonly keepCheckpoint?: boolean;
}

export interface BfsRun {
  readonly outcome: SearchOutcome;
  /** How the visited set may have missed states (TLC's or Holzmann's estimate). */
  readonly missedNote: string;
  /** Whether sleep sets were used (they are dropped under symmetry when spilling or not exact). */
  readonly sleepSets: boolean;
  readonly spilledBatches: number;
  /** Batches of parent links written to disk. */
  readonly linkBatches: number;
  readonly peakDiskBytes: number;
  readonly checkpoint: LevelCheckpoint | null;
}

/**
 * Default in-memory budget of the level being generated, when spilling: also the size of a batch.
 * Small, because a batch costs about three times its size at the moment it is written.
 */
export const FRONTIER_BYTES_DEFAULT = 8 * 1024 * 1024;

export function bfs<S>(system: TransitionSystem<S>, options: SearchOptions = {}): SearchOutcome {
  return bfsRun(system, options).outcome;
}

export function bfsRun<S>(system: TransitionSystem<S>, options: BfsOptions = {}): BfsRun {
  const now = options.now ?? (() => 0);
  const started = now();
  const stopReason = stopReasonOf(options, started);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const mode = options.visited ?? 'exact';
  const storage = options.spill ?? null;
  let independence = options.por ?? true ? system.independence : undefined;
  if (independence && !independence.exact && (mode !== 'exact' || storage)) independence = undefined;
  // Where a fingerprint stands for a symmetry orbit, later arrivals count too (see the header):
  // the visited set then keeps each state's ordinal, to find it in the next level.
  const intersect = independence !== undefined && !independence.exact;
  const visited = mode === 'exact' ? new FingerprintSet(1 << 16, intersect) : newVisitedSet(mode, options.bitstateBits, options.seed);
  const exact = visited instanceof FingerprintSet ? visited : null;
  const expander = independence ? new SleepExpander(independence) : null;
  let peakSleepBytes = 0;
  let nextStart = 0;
  const links: ParentLinks = storage ? new SpilledLinks(storage, options.linksPerBatch) : new TraceLinks();
  const tracker = new PropertyTracker(system);
  const fp = newFingerprint();
  const budget = options.frontierBytesMax ?? FRONTIER_BYTES_DEFAULT;
  const keep = options.keepCheckpoint === true;
  let current = new SpillLevel(system, storage, budget, expander !== null, keep);
  let next = new SpillLevel(system, storage, budget, expander !== null, keep);
  let peakFrontierBytes = 0;
  let spilledBatches = 0;
  let broken: Broken | null = null;
  const limitReasons: string[] = [];
  const observer = options.observer;

  const start = options.resume
    ? resumeLevel(system, options.resume, { visited, links, tracker, level: current, withSleep: expander !== null })
    : seedLevel(system, { visited, exact, links, tracker, level: current, observer, withSleep: expander !== null });
  broken = start.broken;
  let depth = start.depth;
  let transitions = start.transitions;
  let levelStart = start.levelStart;
  let mark: LevelMark = { depth, transitions, levelStart, nextStart: links.size, reached: tracker.reachedLengths() };

  // The level being generated: its states have length `depth` and ordinals from `nextStart`.
  let parentOrdinal = 0;
  let stateLimitHit = false;
  const visit = (state: S, index: number): void => {
    system.fingerprint(state, fp);
    const added = visited.add(fp.lo, fp.hi);
    observer?.transition(index, added);
    if (!added) {
      // Another arrival at a state of the next level: it sleeps only where every arrival did. An
      // arrival at another member of its symmetry orbit says nothing of the stored one's events.
      if (!intersect) return;
      const at = exact!.getValue() - nextStart;
      const sleeping = next.tail.sleeping!;
      if (at < 0 || sleeping.count(at) === 0) return;
      if (independence!.same(state, next.tail.states.get(at))) sleeping.intersect(at, expander!.childView());
      else sleeping.empty(at);
      return;
    }
    const ordinal = links.add(parentOrdinal, index);
    if (intersect) exact!.setValue(ordinal);
    const bad = tracker.check(state, depth);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    next.push(state, expander ? expander.childView() : null);
    if (visited.size >= maxStates) stateLimitHit = true;
  };

  let polls = 0;
  search: while (current.length > 0 && !broken) {
    nextStart = links.size;
    if (keep) mark = { depth, transitions, levelStart, nextStart, reached: tracker.reachedLengths() };
    if (depth >= maxDepth) {
      limitReasons.push(`max depth ${maxDepth} reached with ${current.length} states unexpanded`);
      break;
    }
    const levelSize = current.length;
    let done = 0;
    for (let batch = current.nextBatch(); batch !== null; batch = current.nextBatch()) {
      const { states, sleeping } = batch;
      for (let i = 0, count = states.length; i < count; i++, done++) {
        parentOrdinal = levelStart + done;
        const state = states.get(i);
        observer?.expanding(state);
        transitions += expander ? expander.expand(state, sleeping!.view(i), visit) : system.forEachSuccessor(state, visit);
        if (broken) break search;
        if (stateLimitHit) {
          limitReasons.push(`max states ${maxStates} reached`);
          break search;
        }
        if (++polls === EXPANSIONS_PER_POLL) {
          polls = 0;
          const stop = stopReason();
          if (stop) {
            limitReasons.push(stop);
            break search;
          }
          options.onProgress?.({ distinctStates: visited.size, transitions, depth: depth + 1, queue: levelSize - done + next.length, elapsedMs: now() - started });
        }
      }
    }
    peakFrontierBytes = Math.max(peakFrontierBytes, current.tail.states.bytes() + next.tail.states.bytes());
    peakSleepBytes = Math.max(peakSleepBytes, (current.tail.sleeping?.bytes() ?? 0) + (next.tail.sleeping?.bytes() ?? 0));
    spilledBatches += next.batchesWritten;
    levelStart = nextStart;
    [current, next] = [next, current];
    next.clear();
    if (current.length > 0) depth++;
  }
  peakFrontierBytes = Math.max(peakFrontierBytes, current.tail.states.bytes() + next.tail.states.bytes());
  spilledBatches += next.batchesWritten;

  const checkpoint = keep && !broken && limitReasons.length > 0 && mode !== 'bitstate' ? levelCheckpointOf(system, { mark, visited, links, current, next, elapsedMs: (options.resume?.elapsedMs ?? 0) + now() - started }) : null;
  current.clear();
  next.clear();
  const outcome = finishSearch({
    strategy: 'bfs',
    reduction: expander ? { kind: 'sleep sets', skipped: transitions - expander.computed, peakSleepBytes } : null,
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
    elapsedMs: (options.resume?.elapsedMs ?? 0) + now() - started,
  });
  const missedNote = missedStateNote(mode, visited, outcome.distinctStates, transitions);
  return { outcome, missedNote, sleepSets: expander !== null, spilledBatches, linkBatches: links instanceof SpilledLinks ? links.batchesWritten : 0, peakDiskBytes: storage?.peakBytesOnDisk ?? 0, checkpoint };
}
