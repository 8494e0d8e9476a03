// Parent links past RAM: the same 6 bytes a state as TraceLinks, but only the newest batch stays in
// memory; each full batch (parents, then events packed two to a word) goes to the spill storage,
// compressed, and stays there until the run ends. A search only ever appends links; a
// counterexample is rebuilt by walking parents backwards, which reads each batch at most once
// (parents always come before their children, so the walk only moves to earlier batches).
import type { ParentLinks } from './links.ts';
import type { SpillStorage } from './spill.ts';

const ROOT = 0xffffffff;

/** Links per batch by default: 4 Mi states, 24 MiB in memory. */
export const LINKS_PER_BATCH = 1 << 22;

export class SpilledLinks implements ParentLinks {
  private readonly parents: Uint32Array;
  private readonly events: Uint16Array;
  /** Links held in memory, for ordinals from `memoryStart`. */
  private held = 0;
  private memoryStart = 0;
  private readonly batchIds: number[] = [];
  private readonly batchStarts: number[] = [];
  batchesWritten = 0;

  constructor(
    private readonly storage: SpillStorage,
    private readonly perBatch = LINKS_PER_BATCH,
  ) {
    this.parents = new Uint32Array(perBatch);
    this.events = new Uint16Array(perBatch);
  }

  get size(): number {
    return this.memoryStart + this.held;
  }

  bytes(): number {
    return this.parents.byteLength + this.events.byteLength;
  }

  add(parent: number, eventIndex: number): number {
    if (eventIndex > 0xffff) throw new Error(`a state has more than 65535 enabled events`);
    if (this.held === this.perBatch) this.flush();
    this.parents[this.held] = parent;
    this.events[this.held] = eventIndex;
    return this.memoryStart + this.held++;
  }

  addRoot(initialIndex: number): number {
    return this.add(ROOT, initialIndex);
  }

  private flush(): void {
    const n = this.held;
    const words = new Uint32Array(n + Math.ceil(n / 2));
    words.set(this.parents.subarray(0, n));
    new Uint16Array(words.buffer, 4 * n, n).set(this.events.subarray(0, n));
    this.batchIds.push(this.storage.write(words));
    this.batchStarts.push(this.memoryStart);
    this.batchesWritten++;
    this.memoryStart += n;
    this.held = 0;
  }

  /** Batch `b`'s links, read back from disk (the layout flush writes). */
  private readBatch(b: number): { parents: Uint32Array; events: Uint16Array } {
    const n = (b + 1 < this.batchStarts.length ? this.batchStarts[b + 1] : this.memoryStart) - this.batchStarts[b];
    const words = this.storage.read(this.batchIds[b]);
    return { parents: words.subarray(0, n), events: new Uint16Array(words.buffer, 4 * n, n) };
  }

  route(ordinal: number): number[] {
    const out: number[] = [];
    let batch = this.batchIds.length; // the one in memory
    let parents = this.parents;
    let events = this.events;
    let start = this.memoryStart;
    for (let o = ordinal; o !== ROOT; ) {
      if (o >= this.size) throw new Error(`trace links: no state ${o}`);
      while (o < start) {
        batch--;
        ({ parents, events } = this.readBatch(batch));
        start = this.batchStarts[batch];
      }
      out.push(events[o - start]);
      o = parents[o - start];
      if (out.length > this.size) throw new Error('trace links form a cycle');
    }
    return out.reverse();
  }

  /** The links of ordinals below `count`, as arrays (read back from disk: for checkpoints). */
  slice(count: number): { parents: Uint32Array; events: Uint16Array } {
    const parents = new Uint32Array(count);
    const events = new Uint16Array(count);
    for (let b = 0; b < this.batchIds.length && this.batchStarts[b] < count; b++) {
      const start = this.batchStarts[b];
      const batch = this.readBatch(b);
      const take = Math.min(batch.parents.length, count - start);
      parents.set(batch.parents.subarray(0, take), start);
      events.set(batch.events.subarray(0, take), start);
    }
    const inMemory = Math.max(0, Math.min(this.held, count - this.memoryStart));
    if (inMemory > 0) {
      parents.set(this.parents.subarray(0, inMemory), this.memoryStart);
      events.set(this.events.subarray(0, inMemory), this.memoryStart);
    }
    return { parents, events };
  }
}
