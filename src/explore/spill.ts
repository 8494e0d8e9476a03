// A BFS level that may live on disk: states are pushed in order, and when the words held in memory
// pass `memoryBytesMax` they go out as one batch (length-prefixed words) to a SpillStorage, which
// compresses and writes it (src/workers/spill-files.ts; the engine itself touches no files). Read
// back in the order pushed: the batches, then the states still in memory. States must be word
// arrays (packed specs, actor worlds) to spill; object states stay in memory.
import type { StateStore, TransitionSystem } from '../model/system.ts';

/** Where spilled batches go; ids are the storage's own. */
export interface SpillStorage {
  write(words: Uint32Array): number;
  /** The batch written as `id`, which is then forgotten (its file removed). */
  take(id: number): Uint32Array;
  /** Bytes on disk now, and the most there ever were. */
  readonly bytesOnDisk: number;
  readonly peakBytesOnDisk: number;
  /** Remove everything (the folder too). */
  close(): void;
}

export class SpillLevel<S> {
  private readonly batches: number[] = [];
  private tail: StateStore<S>;
  private held = 0;
  private total = 0;
  batchesWritten = 0;

  constructor(
    private readonly system: TransitionSystem<S>,
    private readonly storage: SpillStorage | null,
    private readonly memoryBytesMax: number,
  ) {
    this.tail = system.newStore();
  }

  get length(): number {
    return this.total;
  }

  /** Bytes of the states held in memory (words), not counting the store's slack. */
  get memoryBytes(): number {
    return this.tail.bytes();
  }

  push(state: S): void {
    this.tail.push(state);
    this.total++;
    if (!(state instanceof Uint32Array) || this.storage === null) return;
    this.held += 4 * (state.length + 1);
    if (this.held > this.memoryBytesMax) this.flush();
  }

  private flush(): void {
    const tail = this.tail as unknown as StateStore<Uint32Array>;
    // Exactly the batch's words, allocated per batch and dropped after it: no buffer outlives it.
    const buffer = new Uint32Array(this.held / 4);
    let at = 0;
    for (let i = 0; i < tail.length; i++) {
      const words = tail.get(i);
      buffer[at++] = words.length;
      buffer.set(words, at);
      at += words.length;
    }
    if (at !== buffer.length) throw new Error(`spill: a batch of ${buffer.length} words holds ${at}`);
    this.batches.push(this.storage!.write(buffer));
    this.batchesWritten++;
    // A fresh store: clear() keeps the grown arrays, and the point is to give the memory back.
    this.tail = this.system.newStore();
    this.held = 0;
  }

  /** Every state in the order pushed, batch by batch; `visit` sees a store and an index in it. Empties the level. */
  drain(visit: (store: StateStore<S>, count: number) => boolean): void {
    const reading = this.system.newStore() as unknown as StateStore<Uint32Array>;
    while (this.batches.length > 0) {
      const words = this.storage!.take(this.batches.shift()!);
      reading.clear();
      for (let at = 0; at < words.length; ) {
        const n = words[at++];
        reading.push(words.subarray(at, at + n));
        at += n;
      }
      if (!visit(reading as unknown as StateStore<S>, reading.length)) return;
    }
    const tail = this.tail;
    visit(tail, tail.length);
  }

  /** Forget every state (the batches on disk too). */
  clear(): void {
    for (const id of this.batches) this.storage!.take(id);
    this.batches.length = 0;
    this.tail = this.system.newStore();
    this.held = 0;
    this.total = 0;
  }
}
