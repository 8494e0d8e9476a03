// Node slots, hash-consed: a slot (up, durable, volatile, armed timers, synced durable) is a tuple of interned ids,
// and each distinct slot gets one id with its NodeSlot object (what properties see), the NodeState
// object handlers are given, and its content hash, all made once. A world holds slot ids only.
// The synced durable state (docs/faults.md) is the durable state last on disk: it equals the durable
// state except after an `unsynced` step, and only then is it part of the slot's hash (so a model
// that never buffers a write, or runs without storage faults, hashes as it always did).
import type { NodeSlot, NodeState } from '../model/actor.ts';
import { finalMix, mixWord } from '../util/hash.ts';
import { grown } from '../util/grow.ts';
import { TupleTable, ValueTable } from './intern.ts';

/** The `volatile` id of a node that is down (its volatile state is null). */
const NO_VOLATILE = 0xffffffff;
/** What stands for the volatile state's hash in a down slot. */
export const DOWN_VOLATILE_LO = 0x5be0cd19;
export const DOWN_VOLATILE_HI = 0x1f83d9ab;

export class SlotTable<D, V> {
  readonly durables = new ValueTable<D>();
  readonly volatiles = new ValueTable<V>();
  private readonly tuples = new TupleTable(5);
  private readonly tuple = new Uint32Array(5);
  private readonly timerSetIds = new Map<string, number>();
  /** Armed timers per timer-set id, sorted by name (frozen). */
  readonly timerSets: (readonly string[])[] = [];
  private timerHashes: number[] = [];
  readonly slots: NodeSlot<D, V>[] = [];
  readonly states: NodeState<D, V>[] = [];
  durableOf = new Uint32Array(1024);
  /** The synced durable id of each slot (equal to durableOf unless a write is buffered). */
  syncedOf = new Uint32Array(1024);
  timersOf = new Uint32Array(1024);
  hashLo = new Uint32Array(1024);
  hashHi = new Uint32Array(1024);
  up = new Uint8Array(1024);

  get size(): number {
    return this.slots.length;
  }

  /** The id of a set of timer names (sorted, without repeats). */
  timerSet(names: readonly string[]): number {
    const key = names.join('\u0000');
    let id = this.timerSetIds.get(key);
    if (id === undefined) {
      id = this.timerSets.length;
      this.timerSetIds.set(key, id);
      this.timerSets.push(Object.freeze(names.slice()));
      let h = 0x6a09e667 ^ names.length;
      for (const name of names) for (let i = 0; i < name.length; i++) h = mixWord(h, name.charCodeAt(i) | (i === 0 ? 0x10000 : 0));
      this.timerHashes.push(finalMix(h));
    }
    return id;
  }

  /** The id of an up slot whose durable and volatile ids are already known. */
  upSlot(durableId: number, volatileId: number, timersId: number, syncedId = durableId): number {
    return this.slotOf(1, durableId, volatileId, timersId, syncedId);
  }

  /** The id of a down slot (durable state only, no timers). */
  downSlot(durableId: number, syncedId = durableId): number {
    return this.slotOf(0, durableId, NO_VOLATILE, this.timerSet([]), syncedId);
  }

  /** The same slot with another timer set. */
  withTimers(slot: number, timersId: number): number {
    const t = this.tuples.words;
    return this.slotOf(t[5 * slot], t[5 * slot + 1], t[5 * slot + 2], timersId, t[5 * slot + 4]);
  }

  /** The same (up) slot with its buffered writes gone: durable state back at the synced one. */
  reverted(slot: number): number {
    const t = this.tuples.words;
    return this.slotOf(t[5 * slot], this.syncedOf[slot], t[5 * slot + 2], t[5 * slot + 3], this.syncedOf[slot]);
  }

  durableId(slot: number): number {
    return this.durableOf[slot];
  }

  /** Whether the slot holds durable writes not yet on disk. */
  unsynced(slot: number): boolean {
    return this.syncedOf[slot] !== this.durableOf[slot];
  }

  volatileId(slot: number): number {
    return this.tuples.words[5 * slot + 2];
  }

  private slotOf(up: number, durableId: number, volatileId: number, timersId: number, syncedId: number): number {
    const t = this.tuple;
    t[0] = up;
    t[1] = durableId;
    t[2] = volatileId;
    t[3] = timersId;
    t[4] = syncedId;
    const id = this.tuples.intern(t);
    if (id < this.slots.length) return id;
    const durable = this.durables.values[durableId];
    const volatile = volatileId === NO_VOLATILE ? null : this.volatiles.values[volatileId];
    const timers = this.timerSets[timersId];
    this.slots.push(Object.freeze(syncedId === durableId ? { up: up === 1, durable, volatile, timers } : { up: up === 1, durable, volatile, timers, synced: this.durables.values[syncedId] }));
    this.states.push(Object.freeze({ durable, volatile: volatile as V }));
    if (id === this.hashLo.length) {
      this.durableOf = grown(this.durableOf);
      this.syncedOf = grown(this.syncedOf);
      this.timersOf = grown(this.timersOf);
      this.hashLo = grown(this.hashLo);
      this.hashHi = grown(this.hashHi);
      this.up = grown(this.up);
    }
    this.durableOf[id] = durableId;
    this.syncedOf[id] = syncedId;
    this.timersOf[id] = timersId;
    this.up[id] = up;
    const vLo = volatileId === NO_VOLATILE ? DOWN_VOLATILE_LO : this.volatiles.hashLo[volatileId];
    const vHi = volatileId === NO_VOLATILE ? DOWN_VOLATILE_HI : this.volatiles.hashHi[volatileId];
    let dLo = this.durables.hashLo[durableId];
    let dHi = this.durables.hashHi[durableId];
    if (syncedId !== durableId) {
      dLo = finalMix(mixWord(dLo, this.durables.hashLo[syncedId]) ^ 0x510e527f);
      dHi = finalMix(mixWord(dHi, this.durables.hashHi[syncedId]) ^ 0x9b05688c);
    }
    const [lo, hi] = slotHash(up, dLo, dHi, vLo, vHi, this.timerHashes[timersId]);
    this.hashLo[id] = lo;
    this.hashHi[id] = hi;
    return id;
  }

  /** The content hash of a slot given its parts' hashes (symmetry hashes renamed slots with it). */
  hashOfParts(slot: number, durableLo: number, durableHi: number, volatileLo: number, volatileHi: number): [number, number] {
    return slotHash(this.up[slot], durableLo, durableHi, volatileLo, volatileHi, this.timerHashes[this.timersOf[slot]]);
  }
}

function slotHash(up: number, dLo: number, dHi: number, vLo: number, vHi: number, timers: number): [number, number] {
  let a = mixWord(0x3c6ef372 ^ up, dLo);
  a = mixWord(mixWord(a, vLo), timers);
  let b = mixWord(0xa54ff53a ^ up, dHi);
  b = mixWord(mixWord(b, vHi), timers ^ 0x9e3779b9);
  return [finalMix(a), finalMix(b ^ a)];
}
