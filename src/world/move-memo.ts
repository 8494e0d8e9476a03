// Handlers are pure, and in a hash-consed world their inputs are ids: the same node slot receiving
// the same envelope (or firing the same timer, restarting from the same durable state, hearing of
// the same lost or regained peer) always gives the same new slot and the same sends. The memo keeps that
// outcome per distinct input, so each handler runs once per distinct input instead of once per
// transition; sends are kept unfiltered (which of them the network loses depends on the world).
import { grown } from '../util/grow.ts';
import { TupleTable } from './intern.ts';

/** Distinct handler inputs remembered; beyond it handlers are just called. */
const MEMO_ENTRIES_MAX = 1 << 22;

/** What a memo entry is keyed by: the handler, then its inputs as ids. */
export const MEMO_DELIVER = 0;
export const MEMO_TIMER = 1;
export const MEMO_RESTART = 2;
export const MEMO_DISCONNECT = 3;
export const MEMO_CONNECT = 4;
/** How many alternatives a delivery or a timer offers (specs with `choices`): kept as the `slot`. */
export const MEMO_DELIVER_CHOICES = 5;
export const MEMO_TIMER_CHOICES = 6;

export class MoveMemo {
  private readonly keys = new TupleTable(4);
  private readonly key = new Uint32Array(4);
  private slotOf = new Uint32Array(1024);
  private sendStart = new Uint32Array(1024);
  private sendCount = new Uint32Array(1024);
  private pool = new Uint32Array(4096);
  private poolLength = 0;
  /** The entry `find` located (or will fill), or -1 when the memo is full. */
  private entry = -1;

  /** Looks up an input; true when it is known (then read `slot` and `sends`). */
  find(kind: number, a: number, b: number, c: number): boolean {
    if (this.keys.size >= MEMO_ENTRIES_MAX) {
      this.entry = -1;
      return false;
    }
    const k = this.key;
    k[0] = kind;
    k[1] = a;
    k[2] = b;
    k[3] = c;
    const before = this.keys.size;
    this.entry = this.keys.intern(k);
    return this.entry < before;
  }

  /** The new slot of the entry just found. */
  get slot(): number {
    return this.slotOf[this.entry];
  }

  /** Its sends, as envelope ids in send order: pool[start .. start + count). */
  get sendsStart(): number {
    return this.sendStart[this.entry];
  }

  get sendsCount(): number {
    return this.sendCount[this.entry];
  }

  get sendPool(): Uint32Array {
    return this.pool;
  }

  /** Fill the entry `find` just missed (no-op when the memo is full). */
  remember(slot: number, sends: Uint32Array, count: number): void {
    const e = this.entry;
    if (e < 0) return;
    while (e >= this.slotOf.length) {
      this.slotOf = grown(this.slotOf);
      this.sendStart = grown(this.sendStart);
      this.sendCount = grown(this.sendCount);
    }
    while (this.poolLength + count > this.pool.length) this.pool = grown(this.pool);
    this.slotOf[e] = slot;
    this.sendStart[e] = this.poolLength;
    this.sendCount[e] = count;
    this.pool.set(sends.subarray(0, count), this.poolLength);
    this.poolLength += count;
  }
}
