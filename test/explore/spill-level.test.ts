// One BFS level through spill.ts: worlds of varying length with their sleep sets, pushed past the
// memory budget many times, come back from the storage in the order pushed with the same words and
// the same sleep sets, and the level never holds more than its budget (twice, by doubling) plus
// the batch read back: the arrays of the part kept in memory are reused after each batch.
import { describe, expect, it } from 'vitest';
import { paxos } from '../../models/paxos/index.ts';
import { SpillLevel, type SpillStorage } from '../../src/explore/spill.ts';

/** Batches kept in a Map, copied in and out as files would be. */
class MemoryStorage implements SpillStorage {
  private readonly batches = new Map<number, Uint32Array>();
  private next = 0;
  bytesOnDisk = 0;
  peakBytesOnDisk = 0;
  write(words: Uint32Array): number {
    this.batches.set(this.next, words.slice());
    this.bytesOnDisk += words.byteLength;
    this.peakBytesOnDisk = Math.max(this.peakBytesOnDisk, this.bytesOnDisk);
    return this.next++;
  }
  take(id: number): Uint32Array {
    const words = this.read(id);
    this.batches.delete(id);
    this.bytesOnDisk -= words.byteLength;
    return words;
  }
  read(id: number): Uint32Array {
    const words = this.batches.get(id);
    if (!words) throw new Error(`no batch ${id}`);
    return words.slice();
  }
  close(): void {
    this.batches.clear();
  }
}

const system = paxos.build({ params: {}, variant: 'default', config: paxos.defaultConfig });
/** World i: 5 + i % 13 words, each a function of (i, position); its sleep set i % 4 keys. */
const world = (i: number) => Uint32Array.from({ length: 5 + (i % 13) }, (_, k) => i * 31 + k);
const sleep = (i: number) => ({ keys: Uint32Array.from({ length: i % 4 }, (_, k) => 1000 * i + k), start: 0, count: i % 4 });

describe('a spilled level', () => {
  it('reads back every world and sleep set in the order pushed, holding at most its budget', () => {
    const budget = 64 * 1024;
    const storage = new MemoryStorage();
    const level = new SpillLevel(system, storage, budget, true);
    const count = 60_000;
    let held = 0;
    for (let i = 0; i < count; i++) {
      level.push(world(i), sleep(i));
      held = Math.max(held, level.memoryBytes);
    }
    expect(level.batchesWritten).toBeGreaterThan(50);
    let i = 0;
    for (let batch = level.nextBatch(); batch !== null; batch = level.nextBatch()) {
      for (let j = 0; j < batch.states.length; j++, i++) {
        expect(Array.from(batch.states.get(j))).toEqual(Array.from(world(i)));
        const v = batch.sleeping!.view(j);
        expect(Array.from(v.keys.subarray(v.start, v.start + v.count))).toEqual(Array.from(sleep(i).keys));
      }
      held = Math.max(held, level.memoryBytes);
    }
    expect(i).toBe(count);
    // The tail's stores (words, offsets, sleep sets: their first sizes, then at most twice what the
    // budget holds) and one batch read back with its offsets.
    expect(held).toBeLessThan(4 * budget + 48 * 1024);
    level.clear();
    expect(storage.bytesOnDisk).toBe(0);
  });
});
