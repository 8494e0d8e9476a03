// Sleep sets (Godefroid): a partial-order reduction that keeps every reachable state and skips
// transitions. If a state p enables two independent events a and b, the orders a·b and b·a reach
// the same state, so once p has explored a, the state p·b need not explore a again: a "sleeps" in
// p·b. What sleeps in a state is its sleep set; the argument for soundness, and what it guarantees
// under BFS and DFS, is in docs/reduction.md. This file holds the part both strategies share: one
// expansion of a state under its sleep set (which events to skip, and each successor's sleep set),
// and the store of sleep sets for the states waiting to be expanded. Event keys and footprints are
// the system's (Independence in src/model/system.ts); an actor world numbers its events once, for
// this and for simulation's schedule alike (src/world/event-keys.ts).
import { FOOTPRINT_ALL, type Independence } from '../model/system.ts';
import { grown } from '../util/grow.ts';

/**
 * A set of sleeping events: the `count` event keys from `start` in a store's pool (footprints are
 * asked of the system when needed). Views are reused by whoever hands them out: read one before
 * asking for the next.
 */
export interface SleepView {
  keys: Uint32Array;
  start: number;
  count: number;
}

const ALL = FOOTPRINT_ALL;

export const NO_SLEEP: SleepView = { keys: new Uint32Array(0), start: 0, count: 0 };

/** What a search reports of the reduction. */
export interface ReductionStats {
  readonly kind: 'sleep sets';
  /**
   * Transitions (enabled events of expanded states) whose successor was not computed: the
   * transitions minus the successors computed (net of DFS re-expansions, which compute some again).
   */
  readonly skipped: number;
  /** Largest number of bytes the stored sleep sets held at once. */
  readonly peakSleepBytes: number;
  /** DFS: expansions repeated because a state's sleep set shrank after it was expanded. */
  readonly reexpansions?: number;
}

/**
 * Sleeping events a store keeps in all (4 bytes each); beyond it new states are stored with an
 * empty sleep set, which is always sound (they are expanded in full).
 */
export const SLEEP_MEMBERS_MAX = 1 << 27;

/**
 * Expands states under sleep sets. Per expansion: `expand` lists the enabled events through the
 * system's `take` question, skips the sleeping ones, and while a successor is being visited,
 * `childView` gives that successor's sleep set: the events of the parent that come before it in
 * the enabled order, or sleep in the parent, and are independent of it (their footprints share no
 * bit with its own).
 */
export class SleepExpander<S> {
  /** Enabled events of the state being expanded, in order, up to the one being visited. */
  private seenKeys = new Uint32Array(64);
  private seenFootprints = new Int32Array(64);
  private seenCount = 0;
  /** The sleep set of the state being expanded, copied (the store may change during expansion). */
  private parent: SleepView = { keys: new Uint32Array(64), start: 0, count: 0 };
  private parentFootprints = new Int32Array(64);
  /** Per parent sleep member: already listed (so it is among the seen events). */
  private parentSeen = new Uint8Array(64);
  /** The sleep set childView made last. */
  private childKeys = new Uint32Array(64);
  private childCount = 0;
  /** Successors computed so far (events taken). */
  computed = 0;
  private readonly take: (key: number, footprint: number, index: number) => boolean;

  constructor(readonly independence: Independence<S>) {
    this.take = (key, footprint) => {
      const at = this.seenCount++;
      if (at === this.seenKeys.length) this.growSeen();
      this.seenKeys[at] = key;
      this.seenFootprints[at] = footprint;
      // An event that touches everything is independent of nothing: it never sleeps.
      if (footprint === ALL) {
        this.computed++;
        return true;
      }
      const p = this.parent;
      for (let j = 0; j < p.count; j++) {
        if (p.keys[p.start + j] === key) {
          this.parentSeen[j] = 1;
          return false;
        }
      }
      this.computed++;
      return true;
    };
  }

  /**
   * Visit the successors of `state` by the events not in `sleep`; returns the number of enabled
   * events, as `forEachSuccessor` does (a search's transitions count the state graph's edges with
   * or without reduction; `computed` says how many successors were computed).
   */
  expand(state: S, sleep: SleepView, visit: (next: S, index: number) => void): number {
    const p = this.parent;
    if (p.keys.length < sleep.count) {
      p.keys = new Uint32Array(2 * sleep.count);
      this.parentFootprints = new Int32Array(2 * sleep.count);
    }
    for (let i = 0; i < sleep.count; i++) {
      const key = sleep.keys[sleep.start + i];
      p.keys[i] = key;
      this.parentFootprints[i] = this.independence.footprintOf(key);
    }
    p.count = sleep.count;
    this.seenCount = 0;
    if (this.parentSeen.length < sleep.count) this.parentSeen = new Uint8Array(2 * sleep.count);
    this.parentSeen.fill(0, 0, sleep.count);
    return this.independence.forEachSuccessorOf(state, this.take, visit);
  }

  /** The sleep set of the successor being visited now, as a view valid until the next call. */
  childView(): SleepView {
    const last = this.seenCount - 1;
    const footprint = this.seenFootprints[last];
    this.childCount = 0;
    if (footprint === ALL) return this.view();
    for (let i = 0; i < last; i++) {
      const f = this.seenFootprints[i];
      if ((f & footprint) === 0) this.pushChild(this.seenKeys[i]);
    }
    const p = this.parent;
    for (let j = 0; j < p.count; j++) {
      if (this.parentSeen[j] === 0 && (this.parentFootprints[j] & footprint) === 0) this.pushChild(p.keys[j]);
    }
    return this.view();
  }

  private readonly child: SleepView = { keys: this.childKeys, start: 0, count: 0 };
  private view(): SleepView {
    const c = this.child;
    c.keys = this.childKeys;
    c.count = this.childCount;
    return c;
  }

  private pushChild(key: number): void {
    const at = this.childCount++;
    if (at === this.childKeys.length) this.childKeys = grown(this.childKeys, at + 1);
    this.childKeys[at] = key;
  }

  private growSeen(): void {
    this.seenKeys = grown(this.seenKeys, this.seenKeys.length + 1);
    this.seenFootprints = grown(this.seenFootprints, this.seenFootprints.length + 1);
  }
}

/**
 * Sleep sets by position (in a BFS level, or a DFS ordinal): the keys of each set are contiguous
 * in one pool, 4 bytes a key plus 6 a set. A set only ever shrinks in place.
 */
export class SleepStore {
  private keys = new Uint32Array(1 << 12);
  private starts = new Uint32Array(1 << 10);
  /** A set holds at most the enabled events of a state, fewer than 2^16 (see links.ts). */
  private counts = new Uint16Array(1 << 10);
  private length = 0;
  private end = 0;

  get size(): number {
    return this.length;
  }

  /** Append a copy of `set` for the next position (an empty set once the store is full). */
  push(set: SleepView): void {
    const count = this.end + set.count <= SLEEP_MEMBERS_MAX ? set.count : 0;
    if (this.length === this.starts.length) {
      this.starts = grown(this.starts, this.length + 1);
      this.counts = grown(this.counts, this.length + 1);
    }
    if (this.end + count > this.keys.length) this.keys = grown(this.keys, this.end + count, this.end);
    for (let i = 0; i < count; i++) this.keys[this.end + i] = set.keys[set.start + i];
    this.starts[this.length] = this.end;
    this.counts[this.length] = count;
    this.length++;
    this.end += count;
  }

  private readonly shown: SleepView = { keys: this.keys, start: 0, count: 0 };
  view(index: number): SleepView {
    const v = this.shown;
    v.keys = this.keys;
    v.start = this.starts[index];
    v.count = this.counts[index];
    return v;
  }

  count(index: number): number {
    return this.counts[index];
  }

  /** Keep only the members of set `index` that are also in `other`. */
  intersect(index: number, other: SleepView): void {
    const { keys, count } = other;
    const start = this.starts[index];
    const n = this.counts[index];
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const key = this.keys[start + i];
      let found = false;
      for (let j = other.start; j < other.start + count; j++) {
        if (keys[j] === key) {
          found = true;
          break;
        }
      }
      if (!found) continue;
      this.keys[start + kept] = key;
      kept++;
    }
    this.counts[index] = kept;
  }

  /** Make set `index` empty. */
  empty(index: number): void {
    this.counts[index] = 0;
  }

  bytes(): number {
    return this.keys.byteLength + this.starts.byteLength + this.counts.byteLength;
  }

  clear(): void {
    this.length = 0;
    this.end = 0;
  }
}

