// Interning of messages in flight: each distinct (from, to, message) gets a small integer id the
// first time it is sent, with its canonical key and hash computed once. Networks hold ids.
// Ordering between envelopes uses their content (to, from, key), never their id, so a network's
// canonical form does not depend on the order in which messages were first seen.
import type { Envelope, NodeId } from '../model/actor.ts';
import type { Event } from '../model/system.ts';
import { canonical } from '../util/canonical.ts';
import { hashString, type Fingerprint } from '../util/hash.ts';

export class EnvelopeTable<M> {
  private readonly ids = new Map<string, number>();
  readonly envelopes: Envelope<M>[] = [];
  readonly keys: string[] = [];
  readonly hashLo: number[] = [];
  readonly hashHi: number[] = [];
  readonly deliverEvents: Event[] = [];
  /** The envelope id behind each shared event object (deliver, drop, duplicate) made for it. */
  readonly idOfEvent = new Map<Event, number>();
  private readonly fp: Fingerprint = { lo: 0, hi: 0 };

  intern(from: NodeId, to: NodeId, msg: M): number {
    const msgKey = canonical(msg);
    const key = `${to}<${from}:${msgKey}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.envelopes.length;
      this.ids.set(key, id);
      this.envelopes.push(Object.freeze({ from, to, msg }));
      this.keys.push(msgKey);
      hashString(key, this.fp);
      this.hashLo.push(this.fp.lo);
      this.hashHi.push(this.fp.hi);
      const event: Event = Object.freeze({ kind: 'deliver', from, to, msg });
      this.deliverEvents.push(event);
      this.idOfEvent.set(event, id);
    }
    return id;
  }

  /** Id of an envelope already seen, or undefined. */
  find(from: NodeId, to: NodeId, msg: unknown): number | undefined {
    return this.ids.get(`${to}<${from}:${canonical(msg)}`);
  }

  /** Channel order: by receiver, then sender. */
  compareChannel(a: number, b: number): number {
    const ea = this.envelopes[a];
    const eb = this.envelopes[b];
    return ea.to - eb.to || ea.from - eb.from;
  }

  /** Full content order: channel, then message key. */
  compare(a: number, b: number): number {
    if (a === b) return 0;
    const c = this.compareChannel(a, b);
    if (c !== 0) return c;
    return this.keys[a] < this.keys[b] ? -1 : this.keys[a] > this.keys[b] ? 1 : 0;
  }
}
