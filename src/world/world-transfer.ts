// Moving actor worlds between threads (parallel BFS). A world's words are ids into tables that each
// thread fills in its own order (node slots, envelopes), so they mean nothing in another thread;
// their content does, and fingerprints are hashed from content alone (intern.ts, fingerprint.ts).
// A sender ships a world as its own ids plus, once per receiver, the content of every id it has not
// shipped to that receiver before (WorldSender remembers which). The receiver keeps one translation
// per sender (WorldReceiver: sender's id -> its own id), interning the content the first time a
// world it accepts uses the id. Batches from one sender must be read in the order they were sent.
import { grown } from '../util/grow.ts';
import type { Envelope, NodeSlot } from '../model/actor.ts';
import type { Rules } from './moves.ts';

/** A slot as shipped: the sender's id, then its content. */
/** A slot as shipped; a slot with buffered durable writes (docs/faults.md) adds its synced durable state. */
type ShippedSlot = readonly [id: number, up: boolean, durable: unknown, volatile: unknown, timers: readonly string[], synced?: unknown];
/** An envelope as shipped: the sender's id, then its content. */
type ShippedEnvelope = readonly [id: number, from: number, to: number, msg: unknown];

/** The contents a sender ships with one batch (plain data: it crosses threads by structured clone). */
export interface WorldDictionary {
  readonly slots: ShippedSlot[];
  readonly envelopes: ShippedEnvelope[];
}

/** How word states whose words are per-thread ids cross threads: one sender per receiver, one receiver per sender. */
export interface WordTransfer {
  sender(): WordSender;
  receiver(): WordReceiver;
}

export interface WordSender {
  /** Note a world about to be shipped: the ids this receiver has not been sent yet join the dictionary. */
  note(words: ArrayLike<number>): void;
  /** The dictionary of the worlds noted since the last call, or null when it is empty. */
  take(): WorldDictionary | null;
}

export interface WordReceiver {
  /** Read a dictionary of this sender (in the order the sender took them). */
  learn(dictionary: WorldDictionary): void;
  /** The world `source[at .. at + length)` of this sender in this thread's ids (a buffer reused by the next call). */
  translate(source: ArrayLike<number>, at: number, length: number): Uint32Array;
}

const UNKNOWN = 0xffffffff;

/** Per id: shipped yet? */
class Marks {
  private bits = new Uint8Array(1024);
  /** Mark `id`; true when it was not marked before. */
  mark(id: number): boolean {
    if (id >= this.bits.length) this.bits = grown(this.bits, id + 1);
    if (this.bits[id] === 1) return false;
    this.bits[id] = 1;
    return true;
  }
}

/** Sender id -> own id, UNKNOWN until first used. */
class Translation {
  own = new Uint32Array(1024).fill(UNKNOWN);
  get(id: number): number {
    return id < this.own.length ? this.own[id] : UNKNOWN;
  }
  set(id: number, value: number): void {
    if (id >= this.own.length) {
      const known = this.own.length;
      this.own = grown(this.own, id + 1);
      this.own.fill(UNKNOWN, known);
    }
    this.own[id] = value;
  }
}

/** The transfer of worlds compiled from `rules` (each thread has its own rules and tables). */
export function worldTransfer<D, V, M>(rules: Rules<D, V, M>): WordTransfer {
  const n = rules.n;
  const { slots, table } = rules;

  const sender = (): WordSender => {
    const slotMarks = new Marks();
    const envelopeMarks = new Marks();
    let pending: { slots: ShippedSlot[]; envelopes: ShippedEnvelope[] } = { slots: [], envelopes: [] };
    return {
      note(words) {
        for (let i = 0; i < n; i++) {
          const id = words[i];
          if (!slotMarks.mark(id)) continue;
          const s: NodeSlot<D, V> = slots.slots[id];
          pending.slots.push(s.synced === undefined ? [id, s.up, s.durable, s.volatile, s.timers] : [id, s.up, s.durable, s.volatile, s.timers, s.synced]);
        }
        for (let i = n + 2; i < words.length; i++) {
          const id = words[i];
          if (!envelopeMarks.mark(id)) continue;
          const e: Envelope<M> = table.envelopes[id];
          pending.envelopes.push([id, e.from, e.to, e.msg]);
        }
      },
      take() {
        if (pending.slots.length === 0 && pending.envelopes.length === 0) return null;
        const out = pending;
        pending = { slots: [], envelopes: [] };
        return out;
      },
    };
  };

  /** A sender's id -> own id, interning the shipped content on first use (then forgetting it). */
  function translator<C extends readonly unknown[]>(what: string, intern: (content: C) => number) {
    const map = new Translation();
    const content: (C | undefined)[] = [];
    const own = (id: number): number => {
      let mine = map.get(id);
      if (mine !== UNKNOWN) return mine;
      const c = content[id];
      if (c === undefined) throw new Error(`world transfer: ${what} ${id} arrived without its content`);
      mine = intern(c);
      map.set(id, mine);
      content[id] = undefined;
      return mine;
    };
    return { content, own };
  }

  const receiver = (): WordReceiver => {
    const slot = translator<ShippedSlot>('slot', (shipped) => {
      const [, up, durable, volatile, timers] = shipped;
      const durableId = slots.durables.intern(durable as D);
      const syncedId = shipped.length > 5 ? slots.durables.intern(shipped[5] as D) : durableId;
      const timersId = slots.timerSet(timers);
      // A down slot has no volatile state; its timers (none, normally) are kept as shipped.
      return up ? slots.upSlot(durableId, slots.volatiles.intern(volatile as V), timersId, syncedId) : slots.withTimers(slots.downSlot(durableId, syncedId), timersId);
    });
    const envelope = translator<ShippedEnvelope>('envelope', (c) => table.intern(c[1], c[2], c[3] as M));
    // One output buffer per world length, reused: a translated world is read before the next call.
    const outputs: Uint32Array[] = [];

    return {
      learn(dictionary) {
        for (const s of dictionary.slots) slot.content[s[0]] = s;
        for (const e of dictionary.envelopes) envelope.content[e[0]] = e;
      },
      translate(source, at, length) {
        const w = (outputs[length] ??= new Uint32Array(length));
        for (let i = 0; i < n; i++) w[i] = slot.own(source[at + i]);
        w[n] = source[at + n];
        w[n + 1] = source[at + n + 1];
        // The network's order is by content (network.ts), so it survives the renaming of ids.
        for (let i = n + 2; i < length; i++) w[i] = envelope.own(source[at + i]);
        return w;
      },
    };
  };

  return { sender, receiver };
}
