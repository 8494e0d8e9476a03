// The messages in flight over interned envelope ids, on a mutable array kept in canonical order:
// sorted by content on an unordered network (so two worlds with the same messages hold the same
// ids in the same order however they were sent), grouped by channel in send order on an ordered
// one. What else a network kind does (loss, faults, connections) is in its record (network-kinds.ts).
import { grown } from '../util/grow.ts';
import type { EnvelopeTable } from './envelopes.ts';
import type { NetworkSemantics } from './network-kinds.ts';

/** A network being changed in place: `ids[0 .. length)`. */
export class NetBuffer {
  ids = new Uint32Array(64);
  length = 0;

  load(source: ArrayLike<number>, from: number, to: number): void {
    const count = to - from;
    if (count > this.ids.length) this.ids = new Uint32Array(Math.max(count, 2 * this.ids.length));
    for (let i = 0; i < count; i++) this.ids[i] = source[from + i];
    this.length = count;
  }

  private insertAt(at: number, id: number): void {
    if (this.length === this.ids.length) this.ids = grown(this.ids, this.length + 1);
    this.ids.copyWithin(at + 1, at, this.length);
    this.ids[at] = id;
    this.length++;
  }

  removeAt(at: number): void {
    this.ids.copyWithin(at, at + 1, this.length);
    this.length--;
  }

  /** Position of the first copy of `id`, or -1. */
  indexOf(id: number): number {
    for (let i = 0; i < this.length; i++) if (this.ids[i] === id) return i;
    return -1;
  }

  /** Remove one copy of `id` (the first; on an ordered network that is its channel's head). */
  removeOne(id: number): void {
    const at = this.indexOf(id);
    if (at < 0) throw new Error(`network: message ${id} is not in flight`);
    this.removeAt(at);
  }

  /** Add one copy of `id`; false when a network that merges copies already holds it (nothing changes). */
  send<M>(net: NetworkSemantics, table: EnvelopeTable<M>, id: number): boolean {
    const ids = this.ids;
    if (net.ordered) {
      // Append after the last message of the same channel.
      let at = this.length;
      while (at > 0 && table.compareChannel(ids[at - 1], id) > 0) at--;
      this.insertAt(at, id);
      return true;
    }
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (table.compare(ids[mid], id) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (net.mergesCopies && lo < this.length && ids[lo] === id) return false;
    this.insertAt(lo, id);
    return true;
  }

  /** Drop every message whose channel `cut(from, to)` says is broken. */
  removeChannels<M>(table: EnvelopeTable<M>, cut: (from: number, to: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const id = this.ids[i];
      if (!cut(table.from[id], table.to[id])) this.ids[kept++] = id;
    }
    this.length = kept;
  }
}
