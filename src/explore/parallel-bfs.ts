// Level-synchronous BFS over shards (parallel BFS, checkpoints). Each shard owns the fingerprints
// its hash selects; within a level each shard expands its frontier round after round and every
// owner absorbs the batches it is sent in (round, sending shard) order as they arrive
// (parallel-level.ts), with no barrier before the level's end; then the new states take global
// ordinals owner by owner (prefix sums), so parent links and traces depend on the shard count only,
// never on timing. When a level holds several violations, the one with the
// smallest fingerprint is reported. The coordinator does no I/O: shards are handles, run in this
// thread (localShards) or in worker threads (src/workers/shards.ts).
import type { TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import { stopReasonOf } from './control.ts';
import { rebuildPath, TraceLinks } from './links.ts';
import { violationAt } from './finish.ts';
import { verdictOf, type SearchOptions, type SearchOutcome, type Violation } from './outcome.ts';
import { ownerOf } from './parallel-set.ts';
import { runShardLevel, type LevelMessage, type LevelRun, type RoundProgress } from './parallel-level.ts';
import { GrowU32, minLength, Shard, type LevelReport, type ShardRestore, type ShardSnapshot } from './parallel-shard.ts';
import { PropertyTracker } from './properties.ts';
import { collisionProbability, FingerprintSet } from './visited.ts';

/** A shard as the coordinator sees it; replies arrive in the order requests were made. */
export interface ShardHandle<S> {
  seed(): Promise<void>;
  restore(from: ShardRestore, links: LinkArrays | null): Promise<void>;
  /** Expand the shard's frontier and absorb the level's batches (runShardLevel); `onRound` sees progress. */
  runLevel(onRound: RoundProgress): Promise<LevelRun>;
  endLevel(): Promise<LevelReport>;
  commit(base: number): Promise<void>;
  snapshot(): Promise<ShardSnapshot>;
  close(): Promise<void>;
}

/** A shard that can no longer answer (a worker out of memory): the run ends inconclusive. */
export class ShardLost extends Error {}

/** Parent links as plain arrays: one (parent ordinal, event index) per state, by ordinal. */
export interface LinkArrays {
  readonly parents: Uint32Array;
  readonly events: Uint16Array;
}

/** Everything needed to continue a BFS from a level boundary. */
export interface LevelCheckpoint {
  /** Levels done; the frontier is the last of them. */
  readonly depth: number;
  readonly transitions: number;
  readonly elapsedMs: number;
  readonly reached: (number | null)[];
  readonly links: LinkArrays;
  /** (lo, hi) pairs of every state of the levels done. */
  readonly fingerprints: Uint32Array;
  readonly frontier: { readonly ordinals: Uint32Array; readonly words: Uint32Array | null };
}

export interface LevelSearchOptions extends SearchOptions {
  /** Continue from a checkpoint instead of the initial states. */
  readonly resume?: LevelCheckpoint;
  /** Keep a checkpoint of the last complete level when a limit or stop request ends the run. */
  readonly keepCheckpoint?: boolean;
}

export interface LevelSearchResult {
  readonly outcome: SearchOutcome;
  /** Present when asked for and the run stopped before the end (inconclusive by a limit). */
  readonly checkpoint: LevelCheckpoint | null;
  readonly shards: number;
}

/**
 * Shards that run in this thread, one after the other (tests, and systems not in the registry).
 * They share one system (a shard never runs while another is inside a call to it), or with `build`
 * each has its own, as worker threads do: actor worlds then cross between separate tables.
 */
export function localShards<S>(system: TransitionSystem<S>, count: number, shouldStop: () => boolean, build?: () => TransitionSystem<S>): ShardHandle<S>[] {
  const mailboxes: LevelMessage<S>[][] = Array.from({ length: count }, () => []);
  // A shard that throws stops the others, which would otherwise wait for its batches forever.
  let failed = false;
  const stop = () => failed || shouldStop();
  return Array.from({ length: count }, (_, i) => {
    const own = build ? build() : system;
    const shard = new Shard(own, i, count);
    const transport = {
      post: (to: number, message: LevelMessage<S>) => void mailboxes[to].push(message),
      receive: () => mailboxes[i].splice(0),
      // Let the other shards run (they share this thread); a shard never yields inside a system call.
      wait: () => Promise.resolve(),
    };
    return {
      seed: async () => shard.seed(),
      restore: async (from, links) => shard.restore(from, links ? rebuilder(own, links) : null),
      runLevel: (onRound) =>
        runShardLevel(shard, i, count, transport, stop, onRound).catch((error: unknown) => {
          failed = true;
          throw error;
        }),
      endLevel: async () => shard.endLevel(),
      commit: async (base) => shard.commit(base),
      snapshot: async () => shard.snapshot(),
      close: async () => undefined,
    };
  });
}

export function linksOf(arrays: LinkArrays, count = arrays.parents.length): TraceLinks {
  const links = new TraceLinks();
  for (let i = 0; i < count; i++) links.add(arrays.parents[i], arrays.events[i]);
  return links;
}

/** Rebuild a frontier state of an object system from its ordinal by replaying its path. */
export function rebuilder<S>(system: TransitionSystem<S>, arrays: LinkArrays): (ordinal: number) => S {
  const links = linksOf(arrays);
  return (ordinal) => {
    const path = rebuildPath(system, links, ordinal);
    return path.states[path.states.length - 1];
  };
}

const ROOT = 0xffffffff;

/**
 * The level engine with `count` shards in this thread: results equal those of `count` workers.
 * With `build`, every shard gets a system of its own (as a worker thread does).
 */
export function levelBfsLocal<S>(system: TransitionSystem<S>, count: number, options: LevelSearchOptions = {}, build?: () => TransitionSystem<S>): Promise<LevelSearchResult> {
  const stopReason = stopReasonOf(options, (options.now ?? (() => 0))());
  return levelBfs(system, localShards(system, count, () => stopReason() !== null, build), options);
}

interface Broken {
  readonly ordinal: number;
  readonly property: string;
  readonly description: string;
}

/** What the coordinator keeps across levels: every state's parent link, counts, targets reached. */
class LevelBook<S> {
  readonly parents = new GrowU32(1 << 16);
  readonly events = new GrowU32(1 << 16);
  readonly tracker: PropertyTracker<S>;
  reached: (number | null)[];
  readonly limitReasons: string[] = [];
  transitions = 0;
  depth = 0;
  frontierSize = 0;
  elapsedBefore = 0;
  visitedBytes = 0;
  peakFrontierBytes = 0;
  broken: Broken | null = null;

  constructor(readonly system: TransitionSystem<S>) {
    this.tracker = new PropertyTracker(system);
    this.reached = this.tracker.report().map(() => null);
  }

  /** The parent links as plain arrays (events narrowed to 16 bits). */
  links(): LinkArrays {
    return { parents: this.parents.data, events: Uint16Array.from(this.events.data.subarray(0, this.events.length)) };
  }

  /** Continue from a checkpoint: its links and counts here, its states in the shards. */
  async resume(r: LevelCheckpoint, shards: ShardHandle<S>[]): Promise<void> {
    this.parents.reserve(r.links.parents.length);
    this.parents.data.set(r.links.parents);
    this.parents.length = r.links.parents.length;
    this.events.reserve(r.links.events.length);
    this.events.data.set(r.links.events);
    this.events.length = r.links.events.length;
    this.depth = r.depth;
    this.transitions = r.transitions;
    this.elapsedBefore = r.elapsedMs;
    this.reached = [...r.reached];
    this.frontierSize = r.frontier.ordinals.length;
    const restore: ShardRestore = { ...r.frontier, fingerprints: r.fingerprints, frontierLength: this.depth - 1, reached: this.reached };
    const needLinks = this.system.packedWords === undefined ? r.links : null;
    await Promise.all(shards.map((s) => s.restore(restore, needLinks)));
  }

  /** The initial states (their ordinals and invariants here), then every shard takes those it owns. */
  async seed(shards: ShardHandle<S>[]): Promise<void> {
    const { system, parents, events, tracker } = this;
    const seen = new FingerprintSet(64);
    const fp = newFingerprint();
    let best: { hi: number; lo: number } | null = null;
    system.initialStates().forEach((state, i) => {
      system.fingerprint(state, fp);
      if (fp.lo === 0 && fp.hi === 0) fp.lo = 1;
      if (!seen.add(fp.lo, fp.hi)) return;
      const ordinal = parents.length;
      parents.push(ROOT);
      events.push(i);
      const bad = tracker.check(state, 0);
      if (bad && (best === null || fp.hi < best.hi || (fp.hi === best.hi && fp.lo < best.lo))) {
        best = { hi: fp.hi, lo: fp.lo };
        this.broken = { ordinal, property: bad.name, description: bad.description };
      }
    });
    this.reached = tracker.report().map((t) => t.reachedAtLength);
    this.frontierSize = parents.length;
    if (this.frontierSize > 0) this.depth = 1;
    if (!this.broken) await Promise.all(shards.map((s) => s.seed()));
  }

  /**
   * Take the shards' new states of a level, owner by owner (prefix sums give their ordinals); of
   * several violations, the one with the smallest fingerprint is kept. Returns each shard's first
   * ordinal and the level's size.
   */
  absorbLevel(reports: readonly LevelReport[]): { bases: number[]; newStates: number } {
    const { parents, events } = this;
    const bases: number[] = [];
    let choice: { hi: number; lo: number; ordinal: number; property: string; description: string } | null = null;
    let newStates = 0;
    let frontierBytes = 0;
    this.visitedBytes = 0;
    for (const report of reports) {
      const base = parents.length;
      bases.push(base);
      parents.reserve(report.newStates);
      parents.data.set(report.parents, base);
      parents.length += report.newStates;
      events.reserve(report.newStates);
      events.data.set(report.events, base);
      events.length += report.newStates;
      newStates += report.newStates;
      this.visitedBytes += report.visitedBytes;
      frontierBytes += report.frontierBytes;
      this.reached = this.reached.map((r, i) => minLength(r, report.reached[i]));
      const v = report.violation;
      if (v && (choice === null || v.hi < choice.hi || (v.hi === choice.hi && v.lo < choice.lo))) {
        choice = { hi: v.hi, lo: v.lo, ordinal: base + v.index, property: v.property, description: v.description };
      }
    }
    this.peakFrontierBytes = Math.max(this.peakFrontierBytes, frontierBytes);
    if (choice) this.broken = { ordinal: choice.ordinal, property: choice.property, description: choice.description };
    return { bases, newStates };
  }

  /** The kept violation's counterexample, rebuilt from the parent links; the depth becomes its level. */
  violation(): Violation | null {
    const b = this.broken;
    if (!b) return null;
    const violation = violationAt(this.system, linksOf(this.links(), this.parents.length), b);
    this.depth = violation.length + 1;
    return violation;
  }

  outcome(elapsedMs: number): SearchOutcome {
    const violation = this.violation();
    const reachable = this.tracker.report().map((t, i) => ({ ...t, reachedAtLength: this.reached[i] }));
    const { result, inconclusiveReasons } = verdictOf(violation, this.limitReasons, reachable);
    const distinct = this.parents.length;
    return {
      strategy: 'bfs',
      result,
      inconclusiveReasons,
      violation,
      reachable,
      complete: !violation && this.limitReasons.length === 0,
      distinctStates: distinct,
      transitions: this.transitions,
      depth: this.depth,
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? Math.round((distinct / elapsedMs) * 1000) : 0,
      visitedBytes: this.visitedBytes,
      linkBytes: this.parents.data.byteLength + this.events.data.byteLength,
      peakFrontierBytes: this.peakFrontierBytes,
      collisionProbability: collisionProbability(distinct, this.transitions),
    };
  }
}

/** One level on every shard, with progress as rounds finish; false when a stop request abandoned it. */
async function runLevel<S>(book: LevelBook<S>, shards: ShardHandle<S>[], options: LevelSearchOptions, elapsed: () => number): Promise<boolean> {
  const k = shards.length;
  const roundTransitions = new Array<number>(k).fill(0);
  const roundPending = new Array<number>(k).fill(0);
  const runs = await Promise.all(
    shards.map((s, d) =>
      s.runLevel((t, pending) => {
        roundTransitions[d] = t;
        roundPending[d] = pending;
        options.onProgress?.({
          distinctStates: book.parents.length + roundPending.reduce((n, p) => n + p, 0),
          transitions: book.transitions + roundTransitions.reduce((n, x) => n + x, 0),
          depth: book.depth + 1,
          queue: book.frontierSize,
          elapsedMs: elapsed(),
        });
      }),
    ),
  );
  if (runs.some((r) => r.stopped)) return false;
  book.transitions += runs.reduce((n, r) => n + r.transitions, 0);
  return true;
}

/** Levels until the frontier is empty, a violation is found, or a limit or stop request ends the run. */
async function runLevels<S>(book: LevelBook<S>, shards: ShardHandle<S>[], options: LevelSearchOptions, elapsed: () => number, stopReason: () => string | null): Promise<void> {
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const limits = book.limitReasons;
  while (book.frontierSize > 0 && !book.broken) {
    if (book.depth >= maxDepth) {
      limits.push(`max depth ${maxDepth} reached with ${book.frontierSize} states unexpanded`);
      return;
    }
    if (book.parents.length >= maxStates) {
      limits.push(`max states ${maxStates} reached (checked at level boundaries)`);
      return;
    }
    const before = stopReason();
    if (before) {
      limits.push(before);
      return;
    }
    if (!(await runLevel(book, shards, options, elapsed))) {
      limits.push(stopReason() ?? 'stop requested');
      return;
    }
    const { bases, newStates } = book.absorbLevel(await Promise.all(shards.map((s) => s.endLevel())));
    if (newStates > 0) book.depth++;
    if (book.broken) return;
    await Promise.all(shards.map((s, d) => s.commit(bases[d])));
    book.frontierSize = newStates;
  }
}

/** Run a level-synchronous BFS over `shards`; `system` (this thread's copy) checks roots and rebuilds traces. */
export async function levelBfs<S>(system: TransitionSystem<S>, shards: ShardHandle<S>[], options: LevelSearchOptions = {}): Promise<LevelSearchResult> {
  const now = options.now ?? (() => 0);
  const started = now();
  const stopReason = stopReasonOf(options, started);
  const book = new LevelBook(system);
  if (options.resume) await book.resume(options.resume, shards);
  else await book.seed(shards);
  const elapsed = (): number => book.elapsedBefore + now() - started;

  let lost = false;
  try {
    await runLevels(book, shards, options, elapsed, stopReason);
  } catch (error) {
    if (!(error instanceof ShardLost)) throw error;
    book.limitReasons.push(error.message);
    lost = true;
  }

  let checkpoint: LevelCheckpoint | null = null;
  const elapsedMs = elapsed();
  if (options.keepCheckpoint && !book.broken && !lost && book.limitReasons.length > 0) {
    const snaps = await Promise.all(shards.map((s) => s.snapshot()));
    checkpoint = mergeSnapshots(snaps, {
      depth: book.depth,
      transitions: book.transitions,
      elapsedMs,
      reached: book.reached,
      links: { parents: book.parents.slice(), events: Uint16Array.from(book.events.data.subarray(0, book.events.length)) },
    });
  }
  return { outcome: book.outcome(elapsedMs), checkpoint, shards: shards.length };
}

function mergeSnapshots(
  snaps: ShardSnapshot[],
  rest: Omit<LevelCheckpoint, 'fingerprints' | 'frontier'>,
): LevelCheckpoint {
  const concat = (parts: Uint32Array[]): Uint32Array => {
    const out = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const words = snaps.every((s) => s.words !== null) ? concat(snaps.map((s) => s.words!)) : null;
  const checkpoint: LevelCheckpoint = {
    ...rest,
    fingerprints: concat(snaps.map((s) => s.fingerprints)),
    frontier: { ordinals: concat(snaps.map((s) => s.ordinals)), words },
  };
  if (checkpoint.fingerprints.length / 2 !== rest.links.parents.length) {
    throw new Error(`checkpoint: ${checkpoint.fingerprints.length / 2} fingerprints for ${rest.links.parents.length} states`);
  }
  return checkpoint;
}

export { ownerOf };
