// Actor worlds as words: slot ids (one per node), the partition (0 when whole, else 1 + split
// index), the used fault budgets (a byte each), then the in-flight envelope ids in canonical order.
// Their length varies with the network, so the frontier keeps them in one growable Uint32Array with
// an offset per world.
import { grown } from '../util/grow.ts';
import type { StateStore } from '../model/system.ts';

export class WorldStore implements StateStore<Uint32Array> {
  private data = new Uint32Array(1 << 12);
  private offsets = new Uint32Array(1 << 10);
  private count = 0;
  private end = 0;
  /** Output buffers of `get`, by length. */
  private readonly outputs: Uint32Array[] = [];

  get length(): number {
    return this.count;
  }

  push(world: Uint32Array): void {
    const size = world.length;
    if (this.end + size > this.data.length) this.data = grown(this.data, this.end + size, this.end);
    if (this.count + 1 >= this.offsets.length) this.offsets = grown(this.offsets, this.count + 2);
    this.data.set(world, this.end);
    this.offsets[this.count] = this.end;
    this.end += size;
    this.count++;
    this.offsets[this.count] = this.end;
  }

  /**
   * World `index`, in a buffer of this store's that the next `get` (or `pop`) of a world of its
   * length overwrites, as StateStore allows: a copy into it costs less than making a subarray.
   */
  get(index: number): Uint32Array {
    const start = this.offsets[index];
    const size = this.offsets[index + 1] - start;
    let out = this.outputs[size];
    if (out === undefined) out = this.outputs[size] = new Uint32Array(size);
    const data = this.data;
    for (let i = 0; i < size; i++) out[i] = data[start + i];
    return out;
  }

  pop(): Uint32Array {
    if (this.count === 0) throw new Error('WorldStore.pop: empty');
    this.count--;
    const world = this.get(this.count);
    this.end = this.offsets[this.count];
    return world;
  }

  bytes(): number {
    return this.data.byteLength + this.offsets.byteLength;
  }

  clear(): void {
    this.count = 0;
    this.end = 0;
    this.offsets[0] = 0;
  }
}
