// The disk side of a spilled BFS frontier (explore/spill.ts): each batch deflated (zlib, level 1:
// frontier words compress well and speed matters more than size) into its own file in a fresh
// folder, under the OS temp dir or a chosen one; a frontier batch's file is removed once taken back
// (parent links are only read), and the folder when the run ends.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { SpillStorage } from '../explore/spill.ts';

export class SpillFiles implements SpillStorage {
  readonly folder: string;
  private readonly sizes = new Map<number, number>();
  private nextId = 0;
  bytesOnDisk = 0;
  peakBytesOnDisk = 0;

  /** A new folder `ordeal-spill-*` in `parent` (default: the OS temp dir). */
  constructor(parent: string = tmpdir()) {
    this.folder = mkdtempSync(join(parent, 'ordeal-spill-'));
  }

  private path(id: number): string {
    return join(this.folder, `batch-${id}.deflate`);
  }

  write(words: Uint32Array): number {
    const id = this.nextId++;
    const bytes = deflateRawSync(new Uint8Array(words.buffer, words.byteOffset, words.byteLength), { level: 1 });
    writeFileSync(this.path(id), bytes);
    this.sizes.set(id, bytes.byteLength);
    this.bytesOnDisk += bytes.byteLength;
    this.peakBytesOnDisk = Math.max(this.peakBytesOnDisk, this.bytesOnDisk);
    return id;
  }

  take(id: number): Uint32Array {
    const words = this.read(id);
    rmSync(this.path(id));
    this.bytesOnDisk -= this.sizes.get(id)!;
    this.sizes.delete(id);
    return words;
  }

  read(id: number): Uint32Array {
    if (!this.sizes.has(id)) throw new Error(`spill: batch ${id} was never written or already taken`);
    const raw = inflateRawSync(readFileSync(this.path(id)));
    // A copy aligned for Uint32Array (the inflated buffer may sit at any offset of a pool).
    const words = new Uint32Array(raw.byteLength / 4);
    new Uint8Array(words.buffer).set(raw);
    return words;
  }

  close(): void {
    rmSync(this.folder, { recursive: true, force: true });
    this.sizes.clear();
    this.bytesOnDisk = 0;
  }
}
