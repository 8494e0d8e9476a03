// One shard of the level engine (parallel BFS): it owns the fingerprints whose high lane selects it
// (ownerOf), the frontier states among them, and the new states it accepts for the next level.
// A level runs in rounds: a shard expands up to ROUND_PARENTS frontier states (expandRound),
// accepting the successors it owns at once and batching the others per owner. After its own
// expansion an owner absorbs the batches it was sent, sender by sender, each sender's in round
// order (absorb, driven by parallel-level.ts). The order of acceptance is therefore fixed by the
// shard count alone, never by timing, and no shard waits for another before the end of a level.
// Packed states travel as their words; actor worlds (words of ids into per-thread tables) as their
// words plus the content of ids new to the receiver (src/world/world-transfer.ts). A shard does no
// I/O: src/explore/parallel-bfs.ts drives shards in this thread, src/workers/shards.ts in
// worker threads.
import { grown } from '../util/grow.ts';
import type { StateStore, TransitionSystem } from '../model/system.ts';
import { newFingerprint } from '../util/hash.ts';
import type { WordReceiver, WordSender, WordTransfer, WorldDictionary } from '../world/world-transfer.ts';
import { EXPANSIONS_PER_POLL } from './outcome.ts';
import { ownerOf } from './parallel-set.ts';
import { FingerprintSet } from './visited.ts';
import { PropertyTracker } from './properties.ts';

/** Frontier states one shard expands per round (a fixed count, so rounds do not depend on timing). */
export const ROUND_PARENTS = 1 << 15;
/** Entries of the direct-mapped cache of fingerprints already sent to other shards (512 KiB: in one
 * thread, 2 shards spent about 6% less CPU than with 4,096 entries on paxos-tla and paxos). */
const SENT_CACHE_ENTRIES = 1 << 16;
/** Words before the state's own words in a batch record: lo, hi, parent ordinal, event index. */
const RECORD_HEADER_WORDS = 4;
/** Word systems (actor worlds) add the world's length to the header: worlds vary in length. */
const WORLD_HEADER_WORDS = 5;

/** Successors one shard sends to one owner in one round, in the order they were generated. */
export interface Batch<S> {
  /** The shard that sent it (a receiver translates a word system's ids per sender). */
  readonly sender: number;
  readonly count: number;
  /** Records: RECORD_HEADER_WORDS words (+ a packed state's words), or WORLD_HEADER_WORDS + a world's words. */
  readonly data: Uint32Array;
  /** Object systems only: the states, one per record. */
  readonly states: S[] | null;
  /** Word systems only: the contents of the ids this sender ships to this owner for the first time. */
  readonly dictionary: WorldDictionary | null;
}

/** How a system's states cross threads when they are words of per-thread ids (actor worlds), or undefined. */
export function wordTransferOf<S>(system: TransitionSystem<S>): WordTransfer | undefined {
  return (system as { readonly wordTransfer?: WordTransfer }).wordTransfer;
}

export interface ExpandResult<S> {
  readonly transitions: number;
  /** Per destination shard; null for this shard itself and for empty batches. */
  readonly batches: (Batch<S> | null)[];
  /** True when this shard's frontier is exhausted. */
  readonly finished: boolean;
  /** Set when the stop request was seen: the round (and level) is abandoned. */
  readonly stopped: boolean;
  /** New states accepted so far in this level (for progress). */
  readonly pending: number;
}

/** A broken invariant among a shard's new states: the one with the smallest fingerprint. */
export interface ShardViolation {
  readonly lo: number;
  readonly hi: number;
  /** Index among the shard's new states of the level. */
  readonly index: number;
  readonly property: string;
  readonly description: string;
}

export interface LevelReport {
  readonly newStates: number;
  /** Parent ordinal and event index of each new state, in acceptance order. */
  readonly parents: Uint32Array;
  readonly events: Uint16Array;
  readonly violation: ShardViolation | null;
  /** Per reachability target: the length at which this shard first saw it, or null. */
  readonly reached: (number | null)[];
  /** Bytes held by this shard's visited slice. */
  readonly visitedBytes: number;
  /** Bytes held by this shard's frontier, pending level and send cache. */
  readonly frontierBytes: number;
}

/** A shard's part of a checkpoint, taken at a level boundary. */
export interface ShardSnapshot {
  /** (lo, hi) pairs of every state of the committed levels this shard owns. */
  readonly fingerprints: Uint32Array;
  readonly ordinals: Uint32Array;
  /** Packed systems: the frontier states' words, in the order of `ordinals`; null for objects. */
  readonly words: Uint32Array | null;
}

/** What a shard keeps from a checkpoint (it filters the entries it owns). */
export interface ShardRestore {
  readonly fingerprints: Uint32Array;
  readonly ordinals: Uint32Array;
  readonly words: Uint32Array | null;
  /** Events from the initial state to each frontier state (levels - 1). */
  readonly frontierLength: number;
  readonly reached: (number | null)[];
}

/** A growable array of uint32, for per-level lists. */
export class GrowU32 {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }
  /** Make room for `extra` more entries. */
  reserve(extra: number): void {
    if (this.length + extra > this.data.length) this.data = grown(this.data, this.length + extra, this.length);
  }
  slice(): Uint32Array {
    return this.data.slice(0, this.length);
  }
  clear(): void {
    this.length = 0;
  }
}

/** Write a record's header (fingerprint, parent ordinal, event index) at the end of `batch`, whose room is reserved; returns where the record's body starts. */
function recordHeader(batch: GrowU32, lo: number, hi: number, parent: number, index: number): number {
  const data = batch.data;
  let at = batch.length;
  data[at++] = lo;
  data[at++] = hi;
  data[at++] = parent;
  data[at++] = index;
  return at;
}

export class Shard<S> {
  private fps = new FingerprintSet();
  private readonly tracker: PropertyTracker<S>;
  private readonly words: number;
  private frontier: StateStore<S>;
  private readonly frontierOrdinals = new GrowU32();
  private cursor = 0;
  private frontierLength = 0;
  private next: StateStore<S>;
  private readonly nextParents = new GrowU32();
  private readonly nextEvents = new GrowU32();
  private violation: ShardViolation | null = null;
  private readonly sentCache: Uint32Array;
  private readonly scratch: Uint32Array;
  private reachedFloor: (number | null)[];
  /** Word systems: one sender per owner, one receiver per sending shard (null for this shard). */
  private readonly senders: (WordSender | null)[] = [];
  private readonly receivers: (WordReceiver | null)[] = [];
  /** Words of the last round's batch per owner (a little more), to size the next one. */
  private readonly batchWords: number[] = [];

  constructor(
    private readonly system: TransitionSystem<S>,
    private readonly shard: number,
    private readonly shards: number,
  ) {
    if (!Number.isInteger(shards) || shards < 1) throw new Error(`shard count must be a positive integer, got ${shards}`);
    const transfer = wordTransferOf(system);
    if (shards > 1 && system.packedWords === undefined && transfer === undefined) {
      throw new Error('object systems run on one shard: their states cannot be sent between threads');
    }
    if (shards > 1 && transfer) {
      for (let d = 0; d < shards; d++) {
        this.senders.push(d === shard ? null : transfer.sender());
        this.receivers.push(d === shard ? null : transfer.receiver());
      }
    }
    this.tracker = new PropertyTracker(system);
    this.words = system.packedWords ?? 0;
    this.frontier = system.newStore();
    this.next = system.newStore();
    this.sentCache = new Uint32Array(shards > 1 ? 2 * SENT_CACHE_ENTRIES : 0);
    this.scratch = new Uint32Array(this.words);
    this.reachedFloor = this.tracker.report().map(() => null);
  }

  /** Take the initial states this shard owns; the j-th distinct initial state has ordinal j. */
  seed(): void {
    const seen = new FingerprintSet(64);
    const fp = newFingerprint();
    let ordinal = 0;
    for (const state of this.system.initialStates()) {
      this.system.fingerprint(state, fp);
      if (fp.lo === 0 && fp.hi === 0) fp.lo = 1;
      if (!seen.add(fp.lo, fp.hi)) continue;
      if (ownerOf(fp.hi, this.shards) === this.shard) {
        this.fps.add(fp.lo, fp.hi);
        this.tracker.check(state, 0);
        this.frontier.push(state);
        this.frontierOrdinals.push(ordinal);
      }
      ordinal++;
    }
  }

  /** Load a checkpoint: keep the fingerprints and frontier states this shard owns. */
  restore(from: ShardRestore, rebuild: ((ordinal: number) => S) | null): void {
    const f = from.fingerprints;
    // Sized up front: the list comes in slot order (sorted by hash), which would pile up into one
    // long probe run in a table still growing.
    this.fps = new FingerprintSet(Math.max(1 << 16, Math.ceil(f.length / this.shards)));
    for (let i = 0; i < f.length; i += 2) if (ownerOf(f[i + 1], this.shards) === this.shard) this.fps.add(f[i], f[i + 1]);
    const fp = newFingerprint();
    const w = this.words;
    for (let i = 0; i < from.ordinals.length; i++) {
      let state: S;
      if (from.words) {
        this.scratch.set(from.words.subarray(i * w, (i + 1) * w));
        state = this.scratch as unknown as S;
      } else {
        if (!rebuild) throw new Error('restoring an object frontier needs the parent links');
        state = rebuild(from.ordinals[i]);
      }
      this.system.fingerprint(state, fp);
      if (fp.lo === 0 && fp.hi === 0) fp.lo = 1;
      if (ownerOf(fp.hi, this.shards) !== this.shard) continue;
      if (!this.fps.has(fp.lo, fp.hi)) throw new Error(`checkpoint frontier state ${from.ordinals[i]} is not in the visited set`);
      this.frontier.push(state);
      this.frontierOrdinals.push(from.ordinals[i]);
    }
    this.frontierLength = from.frontierLength;
    this.reachedFloor = [...from.reached];
  }

  /** Expand up to ROUND_PARENTS frontier states; successors owned elsewhere are batched per owner. */
  expandRound(shouldStop: () => boolean): ExpandResult<S> {
    const { system, shards, shard, fps, sentCache, words, senders } = this;
    const packed = system.packedWords !== undefined;
    const worlds = !packed && senders.length > 0;
    const out: GrowU32[] = [];
    const outStates: S[][] = [];
    for (let d = 0; d < shards; d++) {
      // Sized like the last round's batch for that owner: growing by doubling copies it several times.
      out.push(new GrowU32(d === shard ? 0 : Math.max(4096, this.batchWords[d] ?? 0)));
      outStates.push([]);
    }
    const fp = newFingerprint();
    const cacheMask = SENT_CACHE_ENTRIES - 1;
    const length = this.frontierLength + 1;
    const recordWords = RECORD_HEADER_WORDS + words;
    const records = new Uint32Array(shards);
    let parent = 0;
    const visit = (state: S, index: number): void => {
      system.fingerprint(state, fp);
      let lo = fp.lo;
      const hi = fp.hi;
      if (lo === 0 && hi === 0) lo = 1;
      const owner = shards === 1 ? 0 : ownerOf(hi, shards);
      if (owner === shard) {
        if (fps.add(lo, hi)) this.accept(state, lo, hi, parent, index, length);
        return;
      }
      // A fingerprint this shard already sent reaches its owner earlier in the owner's fixed order,
      // so dropping the repeat changes nothing but the traffic.
      const c = 2 * (lo & cacheMask);
      if (sentCache[c] === lo >>> 0 && sentCache[c + 1] === hi >>> 0) return;
      sentCache[c] = lo;
      sentCache[c + 1] = hi;
      const batch = out[owner];
      records[owner]++;
      if (worlds) {
        const s = state as unknown as Uint32Array;
        senders[owner]!.note(s);
        batch.reserve(WORLD_HEADER_WORDS + s.length);
        const data = batch.data;
        let at = recordHeader(batch, lo, hi, parent, index);
        data[at++] = s.length;
        for (let k = 0; k < s.length; k++) data[at++] = s[k];
        batch.length = at;
        return;
      }
      if (batch.length + recordWords > batch.data.length) batch.reserve(recordWords);
      const data = batch.data;
      let at = recordHeader(batch, lo, hi, parent, index);
      if (packed) {
        const s = state as unknown as Uint32Array;
        for (let k = 0; k < words; k++) data[at++] = s[k];
      } else outStates[owner].push(state);
      batch.length = at;
    };
    let transitions = 0;
    const end = Math.min(this.frontier.length, this.cursor + ROUND_PARENTS);
    let polls = 0;
    for (let i = this.cursor; i < end; i++) {
      parent = this.frontierOrdinals.data[i];
      transitions += system.forEachSuccessor(this.frontier.get(i), visit);
      if (++polls === EXPANSIONS_PER_POLL) {
        polls = 0;
        if (shouldStop()) return { transitions, batches: [], finished: false, stopped: true, pending: this.next.length };
      }
    }
    this.cursor = end;
    for (let d = 0; d < shards; d++) this.batchWords[d] = out[d].length + (out[d].length >>> 3);
    // A batch keeps its builder's buffer (no copy): it is transferred to the owner whole.
    const batches = out.map((b, d): Batch<S> | null =>
      d === shard || b.length === 0
        ? null
        : { sender: shard, count: records[d], data: b.data.subarray(0, b.length), states: packed || worlds ? null : outStates[d], dictionary: worlds ? senders[d]!.take() : null },
    );
    return { transitions, batches, finished: this.cursor >= this.frontier.length, stopped: false, pending: this.next.length };
  }

  /** Accept the successors other shards sent, in the order given. */
  absorb(batches: readonly Batch<S>[]): void {
    const w = this.words;
    const recordWords = RECORD_HEADER_WORDS + w;
    const length = this.frontierLength + 1;
    for (const batch of batches) {
      const data = batch.data;
      if (this.senders.length > 0) {
        this.absorbWorlds(batch, this.receivers[batch.sender]!, length);
        continue;
      }
      for (let r = 0; r < batch.count; r++) {
        const at = r * recordWords;
        const lo = data[at];
        const hi = data[at + 1];
        if (!this.fps.add(lo, hi)) continue;
        let state: S;
        if (batch.states) state = batch.states[r];
        else {
          for (let k = 0; k < w; k++) this.scratch[k] = data[at + RECORD_HEADER_WORDS + k];
          state = this.scratch as unknown as S;
        }
        this.accept(state, lo, hi, data[at + 2], data[at + 3], length);
      }
    }
  }

  /** Accept a word system's batch: learn its dictionary, translate the worlds this shard keeps. */
  private absorbWorlds(batch: Batch<S>, receiver: WordReceiver, length: number): void {
    // The dictionary is read even if every world turns out to be known: the sender will not ship
    // those contents again.
    if (batch.dictionary) receiver.learn(batch.dictionary);
    const data = batch.data;
    let at = 0;
    for (let r = 0; r < batch.count; r++) {
      const lo = data[at];
      const hi = data[at + 1];
      const size = data[at + 4];
      if (this.fps.add(lo, hi)) {
        const state = receiver.translate(data, at + WORLD_HEADER_WORDS, size) as unknown as S;
        this.accept(state, lo, hi, data[at + 2], data[at + 3], length);
      }
      at += WORLD_HEADER_WORDS + size;
    }
  }

  private accept(state: S, lo: number, hi: number, parent: number, index: number, length: number): void {
    const index_ = this.next.length;
    this.next.push(state);
    this.nextParents.push(parent);
    this.nextEvents.push(index);
    const bad = this.tracker.check(state, length);
    if (!bad) return;
    const v = this.violation;
    if (v === null || hi >>> 0 < v.hi || (hi >>> 0 === v.hi && lo >>> 0 < v.lo)) {
      this.violation = { lo: lo >>> 0, hi: hi >>> 0, index: index_, property: bad.name, description: bad.description };
    }
  }

  endLevel(): LevelReport {
    const events = new Uint16Array(this.nextEvents.length);
    events.set(this.nextEvents.data.subarray(0, this.nextEvents.length));
    return {
      newStates: this.next.length,
      parents: this.nextParents.slice(),
      events,
      violation: this.violation,
      reached: this.reached(),
      visitedBytes: this.fps.bytes(),
      frontierBytes: this.bytes() - this.fps.bytes(),
    };
  }

  /** The new level becomes the frontier; its states take ordinals base, base + 1, ... */
  commit(base: number): void {
    [this.frontier, this.next] = [this.next, this.frontier];
    this.next.clear();
    this.frontierOrdinals.clear();
    this.frontierOrdinals.reserve(this.frontier.length);
    for (let i = 0; i < this.frontier.length; i++) this.frontierOrdinals.data[i] = base + i;
    this.frontierOrdinals.length = this.frontier.length;
    this.nextParents.clear();
    this.nextEvents.clear();
    this.cursor = 0;
    this.frontierLength++;
  }

  /** The committed levels: every fingerprint but those of a level in progress, and the frontier. */
  snapshot(): ShardSnapshot {
    let skip: FingerprintSet | null = null;
    if (this.next.length > 0) {
      skip = new FingerprintSet(Math.max(64, 2 * this.next.length));
      const fp = newFingerprint();
      for (let i = 0; i < this.next.length; i++) {
        this.system.fingerprint(this.next.get(i), fp);
        if (fp.lo === 0 && fp.hi === 0) fp.lo = 1;
        skip.add(fp.lo, fp.hi);
      }
    }
    const n = this.frontier.length;
    let words: Uint32Array | null = null;
    if (this.system.packedWords !== undefined) {
      const w = this.words;
      words = new Uint32Array(n * w);
      for (let i = 0; i < n; i++) words.set(this.frontier.get(i) as unknown as Uint32Array, i * w);
    }
    return { fingerprints: this.fps.list(skip), ordinals: this.frontierOrdinals.slice(), words };
  }

  bytes(): number {
    return this.fps.bytes() + this.frontier.bytes() + this.next.bytes() + 4 * (this.frontierOrdinals.data.length + this.nextParents.data.length + this.nextEvents.data.length) + this.sentCache.byteLength;
  }

  private reached(): (number | null)[] {
    return this.tracker.report().map((r, i) => minLength(r.reachedAtLength, this.reachedFloor[i]));
  }
}

export function minLength(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
