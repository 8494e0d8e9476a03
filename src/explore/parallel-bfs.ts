// Level-synchronous BFS over shards (parallel BFS, checkpoints). Each shard owns the fingerprints
// its hash selects; within a level each shard expands its frontier round after round and every
// owner absorbs the batches it is sent in (round, sending shard) order as they arrive
// (parallel-level.ts), with no barrier before the level's end; then the new states take global
// ordinals owner by owner (prefix sums), so parent links and traces depend on the shard count only,
// never on timing. When a level holds several violations, the one with the
// smallest fingerprint is reported. The coordinator does no I/O: shards are handles, run in this
// thread (localShards) or in worker threads (src/cli/check-workers.ts).
import { violationTextOf, type TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import { rebuildPath, TraceLinks } from './links.ts';
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

/** The reason to stop now (a stop request or the time limit), or null. */
export function stopReasonOf(options: SearchOptions, started: number): () => string | null {
  const now = options.now ?? (() => 0);
  return () => {
    const requested = options.shouldStop?.() ?? null;
    if (requested) return requested;
    if (options.timeLimitMs !== undefined && now() - started > options.timeLimitMs) return `time limit ${options.timeLimitMs} ms reached`;
    return null;
  };
}

/**
 * The level engine with `count` shards in this thread: results equal those of `count` workers.
 * With `build`, every shard gets a system of its own (as a worker thread does).
 */
export function levelBfsLocal<S>(system: TransitionSystem<S>, count: number, options: LevelSearchOptions = {}, build?: () => TransitionSystem<S>): Promise<LevelSearchResult> {
  const stopReason = stopReasonOf(options, (options.now ?? (() => 0))());
  return levelBfs(system, localShards(system, count, () => stopReason() !== null, build), options);
}

/** Run a level-synchronous BFS over `shards`; `system` (this thread's copy) checks roots and rebuilds traces. */
export async function levelBfs<S>(
  system: TransitionSystem<S>,
  shards: ShardHandle<S>[],
  options: LevelSearchOptions = {},
): Promise<LevelSearchResult> {
  const now = options.now ?? (() => 0);
  const started = now();
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const k = shards.length;
  const stopReason = stopReasonOf(options, started);
  const parents = new GrowU32(1 << 16);
  const events = new GrowU32(1 << 16);
  const tracker = new PropertyTracker(system);
  let reached: (number | null)[] = tracker.report().map(() => null);
  const limitReasons: string[] = [];
  let transitions = 0;
  let depth = 0;
  let frontierSize = 0;
  let elapsedBefore = 0;
  let broken: { ordinal: number; property: string; description: string } | null = null;
  let visitedBytes = 0;
  let peakFrontierBytes = 0;

  if (options.resume) {
    const r = options.resume;
    parents.reserve(r.links.parents.length);
    parents.data.set(r.links.parents);
    parents.length = r.links.parents.length;
    events.reserve(r.links.events.length);
    events.data.set(r.links.events);
    events.length = r.links.events.length;
    depth = r.depth;
    transitions = r.transitions;
    elapsedBefore = r.elapsedMs;
    reached = [...r.reached];
    frontierSize = r.frontier.ordinals.length;
    const restore: ShardRestore = { ...r.frontier, fingerprints: r.fingerprints, frontierLength: depth - 1, reached };
    const needLinks = system.packedWords === undefined ? r.links : null;
    await Promise.all(shards.map((s) => s.restore(restore, needLinks)));
  } else {
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
        broken = { ordinal, property: bad.name, description: bad.description };
      }
    });
    reached = tracker.report().map((t) => t.reachedAtLength);
    frontierSize = parents.length;
    if (frontierSize > 0) depth = 1;
    if (!broken) await Promise.all(shards.map((s) => s.seed()));
  }

  let lost = false;
  try {
    search: while (frontierSize > 0 && !broken) {
      if (depth >= maxDepth) {
        limitReasons.push(`max depth ${maxDepth} reached with ${frontierSize} states unexpanded`);
        break;
      }
      if (parents.length >= maxStates) {
        limitReasons.push(`max states ${maxStates} reached (checked at level boundaries)`);
        break;
      }
      const before = stopReason();
      if (before) {
        limitReasons.push(before);
        break search;
      }
      const roundTransitions = new Array<number>(k).fill(0);
      const roundPending = new Array<number>(k).fill(0);
      const runs = await Promise.all(
        shards.map((s, d) =>
          s.runLevel((t, pending) => {
            roundTransitions[d] = t;
            roundPending[d] = pending;
            options.onProgress?.({
              distinctStates: parents.length + roundPending.reduce((n, p) => n + p, 0),
              transitions: transitions + roundTransitions.reduce((n, x) => n + x, 0),
              depth: depth + 1,
              queue: frontierSize,
              elapsedMs: elapsedBefore + now() - started,
            });
          }),
        ),
      );
      if (runs.some((r) => r.stopped)) {
        limitReasons.push(stopReason() ?? 'stop requested');
        break search;
      }
      const levelTransitions = runs.reduce((n, r) => n + r.transitions, 0);
      const reports = await Promise.all(shards.map((s) => s.endLevel()));
      transitions += levelTransitions;
      const bases: number[] = [];
      let choice: { hi: number; lo: number; ordinal: number; property: string; description: string } | null = null;
      let newStates = 0;
      visitedBytes = 0;
      let frontierBytes = 0;
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
        visitedBytes += report.visitedBytes;
        frontierBytes += report.frontierBytes;
        reached = reached.map((r, i) => minLength(r, report.reached[i]));
        const v = report.violation;
        if (v && (choice === null || v.hi < choice.hi || (v.hi === choice.hi && v.lo < choice.lo))) {
          choice = { hi: v.hi, lo: v.lo, ordinal: base + v.index, property: v.property, description: v.description };
        }
      }
      peakFrontierBytes = Math.max(peakFrontierBytes, frontierBytes);
      if (choice) {
        broken = { ordinal: choice.ordinal, property: choice.property, description: choice.description };
        if (newStates > 0) depth++;
        break;
      }
      await Promise.all(shards.map((s, d) => s.commit(bases[d])));
      frontierSize = newStates;
      if (newStates > 0) depth++;
    }
  } catch (error) {
    if (!(error instanceof ShardLost)) throw error;
    limitReasons.push(error.message);
    lost = true;
  }

  let checkpoint: LevelCheckpoint | null = null;
  const elapsedMs = elapsedBefore + now() - started;
  if (options.keepCheckpoint && !broken && !lost && limitReasons.length > 0) {
    const snaps = await Promise.all(shards.map((s) => s.snapshot()));
    checkpoint = mergeSnapshots(snaps, {
      depth,
      transitions,
      elapsedMs,
      reached,
      links: { parents: parents.slice(), events: Uint16Array.from(events.data.subarray(0, events.length)) },
    });
  }

  let violation: Violation | null = null;
  if (broken) {
    const b = broken as { ordinal: number; property: string; description: string };
    const path = rebuildPath(system, linksOf({ parents: parents.data, events: Uint16Array.from(events.data.subarray(0, events.length)) }, parents.length), b.ordinal);
    depth = path.events.length + 1;
    violation = {
      property: b.property,
      description: violationTextOf(system, b.property, b.description, path.states[path.states.length - 1]),
      length: path.events.length,
      initialIndex: path.initialIndex,
      events: path.events,
      states: path.states.map((s) => system.show(s)),
    };
  }
  const reachable = tracker.report().map((t, i) => ({ ...t, reachedAtLength: reached[i] }));
  const { result, inconclusiveReasons } = verdictOf(violation, limitReasons, reachable);
  const distinct = parents.length;
  const outcome: SearchOutcome = {
    strategy: 'bfs',
    result,
    inconclusiveReasons,
    violation,
    reachable,
    complete: !violation && limitReasons.length === 0,
    distinctStates: distinct,
    transitions,
    depth,
    elapsedMs,
    statesPerSecond: elapsedMs > 0 ? Math.round((distinct / elapsedMs) * 1000) : 0,
    visitedBytes,
    linkBytes: parents.data.byteLength + events.data.byteLength,
    peakFrontierBytes,
    collisionProbability: collisionProbability(distinct, transitions),
  };
  return { outcome, checkpoint, shards: k };
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
