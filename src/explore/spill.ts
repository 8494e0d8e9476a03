// A BFS level, in memory or partly on disk: states (and, under sleep sets, each state's sleep set)
// are pushed in order; with a SpillStorage, once the words held in memory pass `memoryBytesMax`
// they go out as one batch (per state: its length, its words, its sleep set's length, its keys) to
// the storage, which compresses and writes it (src/workers/spill-files.ts; the engine itself
// touches no files). Read back in the order pushed: the batches (each viewed where it lies,
// spill-batch.ts, not copied), then what is still in memory.
// Without storage it is the plain in-memory frontier of bfs.ts, and pays one branch a push for it.
// States must be word arrays (packed specs, actor worlds) to spill; object states stay in memory.
import type { StateStore, TransitionSystem } from '../model/system.ts';
import { BatchView } from './spill-batch.ts';
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

/** A run of a level's states with their sleep sets (null without sleep sets), to be read in order. */
export interface LevelBatch<S> {
  readonly states: { readonly length: number; get(index: number): S };
  readonly sleeping: { view(index: number): SleepView } | null;
}

export class SpillLevel<S> {
  private readonly batches: number[] = [];
  /** The states pushed since the last batch went out: the whole level when nothing spilled. */
  readonly tail: { readonly states: StateStore<S>; readonly sleeping: SleepStore | null };
  private held = 0;
  private total = 0;
  /** Index in `batches` of the next batch nextBatch returns (batches.length: the tail). */
  private reading = 0;
  /** The batch read back last, viewed in place. */
  private readonly readBack = new BatchView();
  batchesWritten = 0;

  constructor(
    system: TransitionSystem<S>,
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

  /** Bytes of the states and sleep sets held in memory: the tail's stores and the batch read back. */
  get memoryBytes(): number {
    return this.tail.states.bytes() + (this.tail.sleeping?.bytes() ?? 0) + this.readBack.bytes();
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
    // The tail's arrays are kept: they hold at most the budget (twice, by doubling), and arrays
    // allocated afresh for every batch cost the allocator more than they gave back.
    states.clear();
    sleeping?.clear();
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
    this.readBack.load(words);
    return { states: this.readBack as unknown as LevelBatch<S>['states'], sleeping: this.tail.sleeping ? this.readBack : null };
  }

  /** Forget every state (the batches on disk too); keeps the memory of the tail's stores. */
  clear(): void {
    for (const id of this.batches) if (id >= 0) this.storage!.take(id);
    this.reading = 0;
    this.batches.length = 0;
    this.tail.states.clear();
    this.tail.sleeping?.clear();
    this.readBack.clear();
    this.held = 0;
    this.total = 0;
    this.batchesWritten = 0;
  }
}
