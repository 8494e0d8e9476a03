// Messages in flight, hash-consed: each distinct message content gets an id (a ValueTable), and
// each distinct envelope (from, to, message id) gets a small envelope id with its content hash, its
// canonical message key and its shared deliver event, made once. Networks hold envelope ids.
// Ordering between envelopes uses their content (to, from, message key), never their id, so a
// network's order does not depend on the order in which messages were first seen.
import type { Envelope, NodeId } from '../model/actor.ts';
import type { Event } from '../model/system.ts';
import type { DeliverEvent } from './events.ts';
import { canonical } from '../util/canonical.ts';
import { finalMix, mixWord } from '../util/hash.ts';
import { grown } from '../util/grow.ts';
import { TupleTable, ValueTable } from './intern.ts';

export class EnvelopeTable<M> {
  readonly messages = new ValueTable<M>();
  private readonly tuples = new TupleTable(3);
  private readonly tuple = new Uint32Array(3);
  /** Canonical key per message id, for the content order. */
  private readonly messageKeys: string[] = [];
  readonly envelopes: Envelope<M>[] = [];
  readonly deliverEvents: DeliverEvent<M>[] = [];
  /** The envelope id behind each shared event object (deliver, drop, duplicate) made for it. */
  readonly idOfEvent = new Map<Event, number>();
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  messageOf = new Uint32Array(1024);
  hashLo = new Uint32Array(1024);
  hashHi = new Uint32Array(1024);

  get size(): number {
    return this.envelopes.length;
  }

  intern(from: NodeId, to: NodeId, msg: M): number {
    return this.internId(from, to, this.messages.intern(msg));
  }

  /** The envelope id of (from, to, message id). */
  internId(from: NodeId, to: NodeId, messageId: number): number {
    const t = this.tuple;
    t[0] = from + 1;
    t[1] = to;
    t[2] = messageId;
    const id = this.tuples.intern(t);
    if (id < this.envelopes.length) return id;
    while (messageId >= this.messageKeys.length) this.messageKeys.push(canonical(this.messages.values[this.messageKeys.length]));
    const msg = this.messages.values[messageId];
    this.envelopes.push(Object.freeze({ from, to, msg }));
    const event: DeliverEvent<M> = Object.freeze({ kind: 'deliver', from, to, msg });
    this.deliverEvents.push(event);
    this.idOfEvent.set(event, id);
    if (id === this.hashLo.length) {
      this.from = grown(this.from);
      this.to = grown(this.to);
      this.messageOf = grown(this.messageOf);
      this.hashLo = grown(this.hashLo);
      this.hashHi = grown(this.hashHi);
    }
    this.from[id] = from;
    this.to[id] = to;
    this.messageOf[id] = messageId;
    const [lo, hi] = envelopeHash(from, to, this.messages.hashLo[messageId], this.messages.hashHi[messageId]);
    this.hashLo[id] = lo;
    this.hashHi[id] = hi;
    return id;
  }

  /** Id of an envelope already seen, or undefined. */
  find(from: NodeId, to: NodeId, msg: unknown): number | undefined {
    const key = canonical(msg);
    for (let id = 0; id < this.envelopes.length; id++) {
      if (this.from[id] === from && this.to[id] === to && this.messageKeys[this.messageOf[id]] === key) return id;
    }
    return undefined;
  }

  /** Channel order: by receiver, then sender. */
  compareChannel(a: number, b: number): number {
    return this.to[a] - this.to[b] || this.from[a] - this.from[b];
  }

  /** Full content order: channel, then message key. */
  compare(a: number, b: number): number {
    if (a === b) return 0;
    const c = this.to[a] - this.to[b] || this.from[a] - this.from[b];
    if (c !== 0) return c;
    const ka = this.messageKeys[this.messageOf[a]];
    const kb = this.messageKeys[this.messageOf[b]];
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }
}

/** The content hash of an envelope (symmetry hashes renamed envelopes with it). */
export function envelopeHash(from: NodeId, to: NodeId, msgLo: number, msgHi: number): [number, number] {
  const a = mixWord(mixWord(mixWord(0x510e527f, from), to), msgLo);
  const b = mixWord(mixWord(mixWord(0x9b05688c, to), from), msgHi);
  return [finalMix(a), finalMix(b ^ a)];
}

