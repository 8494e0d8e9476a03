// How the one-thread BFS (bfs.ts) starts and stops at a level boundary: its first level from the
// initial states or from a checkpoint (the level engine's format, checkpoint.ts, so either engine
// resumes the other's), and a checkpoint of the last complete level when a limit stops it midway.
// The visited set then also holds the partly generated next level: those fingerprints are left out.
import type { TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import type { TransitionObserver } from './coverage.ts';
import type { Broken } from './finish.ts';
import { rebuildPath, type ParentLinks } from './links.ts';
import type { LevelCheckpoint } from './parallel-bfs.ts';
import type { PropertyTracker } from './properties.ts';
import { NO_SLEEP } from './sleep-sets.ts';
import type { SpillLevel } from './spill.ts';
import { FingerprintSet } from './visited.ts';
import type { VisitedSet } from './visited-modes.ts';

/** Where the BFS stands at the start of a level: what a checkpoint of that level records. */
export interface LevelMark {
  readonly depth: number;
  readonly transitions: number;
  /** Ordinal of the level's first state, and of the next level's first. */
  readonly levelStart: number;
  readonly nextStart: number;
  readonly reached: (number | null)[];
}

export interface LevelStart {
  readonly broken: Broken | null;
  readonly depth: number;
  readonly transitions: number;
  readonly levelStart: number;
}

interface Parts<S> {
  readonly visited: VisitedSet;
  readonly links: ParentLinks;
  readonly tracker: PropertyTracker<S>;
  readonly level: SpillLevel<S>;
  readonly withSleep: boolean;
}

/** The initial states as the first level (each new one checked, and linked as a root). */
export function seedLevel<S>(system: TransitionSystem<S>, parts: Parts<S> & { readonly exact: FingerprintSet | null; readonly observer?: TransitionObserver<S> }): LevelStart {
  const { visited, exact, links, tracker, level, observer } = parts;
  const fp = newFingerprint();
  let broken: Broken | null = null;
  system.initialStates().forEach((state, i) => {
    system.fingerprint(state, fp);
    const added = visited.add(fp.lo, fp.hi);
    observer?.initial(added);
    if (!added) return;
    const ordinal = links.addRoot(i);
    exact?.setValue(ordinal);
    const bad = tracker.check(state, 0);
    if (bad && !broken) broken = { ordinal, property: bad.name, description: bad.description };
    level.push(state, parts.withSleep ? NO_SLEEP : null);
  });
  return { broken, depth: level.length > 0 ? 1 : 0, transitions: 0, levelStart: 0 };
}

/**
 * A checkpoint's last level as the first: links, fingerprints and reached targets restored, the
 * frontier in ordinal order (object states rebuilt by replaying their paths), with empty sleep
 * sets (sleep sets only skip transitions, so the counts stay those of an uninterrupted run).
 */
export function resumeLevel<S>(system: TransitionSystem<S>, c: LevelCheckpoint, parts: Parts<S>): LevelStart {
  const { visited, links, tracker, level } = parts;
  for (let i = 0; i < c.links.parents.length; i++) links.add(c.links.parents[i], c.links.events[i]);
  const f = c.fingerprints;
  for (let i = 0; i < f.length; i += 2) visited.add(f[i], f[i + 1]);
  tracker.restore(c.reached);
  const { ordinals, words } = c.frontier;
  const order = Array.from(ordinals.keys()).sort((a, b) => ordinals[a] - ordinals[b]);
  const levelStart = ordinals.length > 0 ? ordinals[order[0]] : links.size;
  if (levelStart + ordinals.length !== links.size || order.some((j, i) => ordinals[j] !== levelStart + i)) {
    throw new Error('checkpoint: the frontier is not the last level of the parent links');
  }
  const w = system.packedWords ?? 0;
  for (const j of order) {
    const state = words ? (words.subarray(j * w, (j + 1) * w) as unknown as S) : lastState(system, links, ordinals[j]);
    level.push(state, parts.withSleep ? NO_SLEEP : null);
  }
  return { broken: null, depth: c.depth, transitions: c.transitions, levelStart };
}

function lastState<S>(system: TransitionSystem<S>, links: ParentLinks, ordinal: number): S {
  const path = rebuildPath(system, links, ordinal);
  return path.states[path.states.length - 1];
}

interface Stopped<S> {
  readonly mark: LevelMark;
  readonly visited: VisitedSet;
  readonly links: ParentLinks;
  /** The level being expanded (whole, read again from its start) and the one being generated. */
  readonly current: SpillLevel<S>;
  readonly next: SpillLevel<S>;
  readonly elapsedMs: number;
}

/** The last complete level as a checkpoint: the level engine resumes it, and so does bfs. */
export function levelCheckpointOf<S>(system: TransitionSystem<S>, s: Stopped<S>): LevelCheckpoint {
  const { mark, visited } = s;
  if (!visited.list) throw new Error(`checkpoint: this visited set cannot list its fingerprints`);
  const fp = newFingerprint();
  const partial = new FingerprintSet(Math.max(1 << 10, 2 * s.next.length));
  s.next.rewind();
  for (let batch = s.next.nextBatch(); batch !== null; batch = s.next.nextBatch()) {
    for (let i = 0; i < batch.states.length; i++) {
      system.fingerprint(batch.states.get(i), fp);
      partial.add(fp.lo, fp.hi);
    }
  }
  const fingerprints = visited.list(partial);
  if (fingerprints.length / 2 !== mark.nextStart) throw new Error(`checkpoint: ${fingerprints.length / 2} fingerprints for ${mark.nextStart} states`);
  const size = s.current.length;
  const ordinals = Uint32Array.from({ length: size }, (_, i) => mark.levelStart + i);
  const w = system.packedWords;
  let words: Uint32Array | null = null;
  if (w !== undefined) {
    words = new Uint32Array(size * w);
    let at = 0;
    s.current.rewind();
    for (let batch = s.current.nextBatch(); batch !== null; batch = s.current.nextBatch()) {
      for (let i = 0; i < batch.states.length; i++, at += w) words.set(batch.states.get(i) as unknown as Uint32Array, at);
    }
  }
  return {
    depth: mark.depth,
    transitions: mark.transitions,
    elapsedMs: s.elapsedMs,
    reached: mark.reached,
    links: s.links.slice(mark.nextStart),
    fingerprints,
    frontier: { ordinals, words },
  };
}
