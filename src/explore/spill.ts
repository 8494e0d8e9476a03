// A BFS level, in memory or partly on disk: states (and, under sleep sets, each state's sleep set)
// are pushed in order; with a SpillStorage, once the words held in memory pass `memoryBytesMax`
// they go out as one batch (per state: its length, its words, its sleep set's length, its keys) to
// the storage, which compresses and writes it (src/workers/spill-files.ts; the engine itself
// touches no files). Read back in the order pushed: the batches, then what is still in memory.
// Without storage it is the plain in-memory frontier of bfs.ts, and pays one branch a push for it.
// States must be word arrays (packed specs, actor worlds) to spill; object states stay in memory.
import type { StateStore, TransitionSystem } from '../model/system.ts';
import { SleepStore, type SleepView } from './sleep-sets.ts';

/** Where spilled batches go; ids are the storage's own. */
export interface SpillStorage {
  write(words: Uint32Array): number;
  /** The batch written as `id`, which is then forgotten (its file removed). */
  take(id: number): Uint32Array;
  /** The batch written as `id`, kept for another read. */
  read(id: number): Uint32Array;
  /** Bytes on disk now, and the most there ever were. */
  readonly bytesOnDisk: number;
  readonly peakBytesOnDisk: number;
  /** Remove everything (the folder too). */
  close(): void;
}

/** A run of a level's states with their sleep sets (null without sleep sets). */
export interface LevelBatch<S> {
  readonly states: StateStore<S>;
  readonly sleeping: SleepStore | null;
}

export class SpillLevel<S> {
  private readonly batches: number[] = [];
  /** The states pushed since the last batch went out: the whole level when nothing spilled. */
  readonly tail: { states: StateStore<S>; sleeping: SleepStore | null };
  private held = 0;
  private total = 0;
  /** Index in `batches` of the next batch nextBatch returns (batches.length: the tail). */
  private reading = 0;
  private readBack: { states: StateStore<S>; sleeping: SleepStore | null } | null = null;
  batchesWritten = 0;

  constructor(
    private readonly system: TransitionSystem<S>,
    private readonly storage: SpillStorage | null,
    private readonly memoryBytesMax: number,
    withSleep: boolean,
    /** Keep batches on disk once read, until clear (checkpoints read the level being expanded again). */
    private readonly keep = false,
  ) {
    this.tail = { states: system.newStore(), sleeping: withSleep ? new SleepStore() : null };
  }

  get length(): number {
    return this.total;
  }

  /** True once a batch of this level went to disk (so `tail` no longer starts at index 0 of the level). */
  get spilled(): boolean {
    return this.batches.length > 0;
  }

  /** Bytes of the states and sleep sets held in memory, as their stores hold them. */
  get memoryBytes(): number {
    return this.tail.states.bytes() + (this.tail.sleeping?.bytes() ?? 0);
  }

  push(state: S, sleep: SleepView | null): void {
    this.tail.states.push(state);
    if (sleep) this.tail.sleeping!.push(sleep);
    this.total++;
    if (this.storage === null || !(state instanceof Uint32Array)) return;
    this.held += 4 * (state.length + 2 + (sleep ? sleep.count : 0));
    if (this.held > this.memoryBytesMax) this.flush();
  }

  private flush(): void {
    const states = this.tail.states as unknown as StateStore<Uint32Array>;
    const sleeping = this.tail.sleeping;
    // Exactly the batch's words, allocated per batch and dropped after it: no buffer outlives it.
    const buffer = new Uint32Array(this.held / 4);
    let at = 0;
    for (let i = 0; i < states.length; i++) {
      const words = states.get(i);
      buffer[at++] = words.length;
      buffer.set(words, at);
      at += words.length;
      const sleep = sleeping?.view(i);
      buffer[at++] = sleep ? sleep.count : 0;
      if (sleep) for (let k = 0; k < sleep.count; k++) buffer[at++] = sleep.keys[sleep.start + k];
    }
    if (at !== buffer.length) throw new Error(`spill: a batch of ${buffer.length} words holds ${at}`);
    this.batches.push(this.storage!.write(buffer));
    this.batchesWritten++;
    // Give the memory back: clear() keeps grown arrays, so the tail gets fresh ones.
    this.tail.states = this.system.newStore();
    if (sleeping) this.tail.sleeping = new SleepStore();
    this.held = 0;
  }

  /** Read the level from its start again (nextBatch). */
  rewind(): void {
    this.reading = 0;
  }

  /**
   * The next run of states in the order pushed: the batches from disk, then the tail; null after
   * the tail. A batch read back is removed from disk unless `keep` (a checkpoint may read it again).
   */
  nextBatch(): LevelBatch<S> | null {
    if (this.reading > this.batches.length) return null;
    if (this.reading === this.batches.length) {
      this.reading++;
      return this.tail;
    }
    const id = this.batches[this.reading++];
    const words = this.keep ? this.storage!.read(id) : this.storage!.take(id);
    if (!this.keep) this.batches[this.reading - 1] = -1;
    const reading = (this.readBack ??= { states: this.system.newStore(), sleeping: this.tail.sleeping ? new SleepStore() : null });
    const states = reading.states as unknown as StateStore<Uint32Array>;
    states.clear();
    reading.sleeping?.clear();
    const view: SleepView = { keys: words, start: 0, count: 0 };
    for (let at = 0; at < words.length; ) {
      const n = words[at++];
      states.push(words.subarray(at, at + n));
      at += n;
      view.start = at + 1;
      view.count = words[at];
      reading.sleeping?.push(view);
      at += 1 + view.count;
    }
    return reading;
  }

  /** Forget every state (the batches on disk too); keeps the memory of the tail's stores. */
  clear(): void {
    for (const id of this.batches) if (id >= 0) this.storage!.take(id);
    this.reading = 0;
    this.batches.length = 0;
    this.tail.states.clear();
    this.tail.sleeping?.clear();
    this.held = 0;
    this.total = 0;
    this.batchesWritten = 0;
  }
}
