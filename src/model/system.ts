// The one interface every strategy walks: a deterministic transition system.
// Spec models (src/world/spec-system.ts) and actor worlds (src/world/actor-system.ts) both compile to it.
import { grown } from '../util/grow.ts';
import type { Fingerprint } from '../util/hash.ts';

/**
 * An event is plain JSON identified by its content (never by its position in a list), so a trace
 * survives shrinking and replays after unrelated code changes. This is the shape every strategy,
 * trace and renderer handles; each kind of system has its own events within it, as a discriminated
 * union on `kind`: an actor world's are `ActorEvent` (src/world/events.ts: deliver, timer, crash,
 * restart, partition, heal, drop, duplicate), a spec model's are its actions
 * (`{kind: 'action', action, args}`, src/world/spec-common.ts). A system narrows an event it is
 * given (which may come from a trace file) once, at its edge.
 */
export interface Event {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** A named predicate on states. */
export interface StatePredicate<S> {
  readonly name: string;
  readonly description: string;
  /** Invariants must hold in every reachable state; `reachable` targets must hold in some state. */
  readonly kind: 'invariant' | 'reachable';
  /** For an invariant: true when it holds. For a reachable target: true when the target is reached. */
  test(state: S): boolean;
  /**
   * Optional: why the property does not hold in `state` (an actor property that returned a string),
   * or undefined. Asked only of a state that breaks it, to word the counterexample.
   */
  message?(state: S): string | undefined;
}

/** How a broken property is reported: its description, then its message when it gave one. */
export function violationText<S>(property: StatePredicate<S>, state: S): string {
  const message = property.message?.(state);
  return message ? `${property.description}: ${message}` : property.description;
}

/** `violationText` for a property named in a system (the description given when it is unknown). */
export function violationTextOf<S>(system: TransitionSystem<S>, name: string, description: string, state: S): string {
  const property = system.properties.find((p) => p.name === name);
  return property ? violationText(property, state) : description;
}

/**
 * Frontier storage chosen by the representation: packed systems keep states as words in typed
 * arrays, object systems keep references.
 */
export interface StateStore<S> {
  readonly length: number;
  push(state: S): void;
  /** The state at `index`. Packed stores return a buffer reused by the next `get`. */
  get(index: number): S;
  /** Remove and return the last state (stacks). Packed stores return a reused buffer. */
  pop(): S;
  /** Bytes this store holds now (for memory reporting). */
  bytes(): number;
  clear(): void;
}

export interface TransitionSystem<S> {
  /** Number of 32-bit words per state when the system is packed; undefined for objects. */
  readonly packedWords?: number;
  initialStates(): S[];
  /**
   * Call `visit` for the successor of every enabled event, in the order of `enabled(state)`;
   * `index` is that event's position. Successors equal to their parent may be skipped (their index
   * is still consumed). A packed system passes a scratch buffer valid only during the call.
   * Returns the number of enabled events (transitions generated, self-loops included).
   */
  forEachSuccessor(state: S, visit: (next: S, index: number) => void): number;
  /** Enabled events, in a fixed order. */
  enabled(state: S): Event[];
  /** Apply an enabled event; throws if it is not enabled. */
  step(state: S, event: Event): S;
  /** 64-bit fingerprint of the state's canonical form. */
  fingerprint(state: S, out: Fingerprint): void;
  readonly properties: readonly StatePredicate<S>[];
  /** A JSON-friendly picture of a state, for traces and timelines. */
  show(state: S): unknown;
  /** One short line describing an event for timelines. */
  describe(event: Event, before: S): string;
  /**
   * The action an event performs, for coverage: a spec action's name, or for actor worlds the
   * receiving role and message type ("acceptor receives prepare"), a timer, a fault. Default: the kind.
   */
  actionOf?(event: Event): string;
  /** Optional: the model's abstract state, the coverage guided simulation keeps (ActorSpec.abstraction). */
  abstraction?(state: S): string;
  /** The actions the model declares it can perform; coverage flags the ones that never fire. */
  readonly declaredActions?: readonly string[];
  /** An independent copy of a state that outlives scratch buffers. */
  retain(state: S): S;
  newStore(): StateStore<S>;
  /**
   * Optional: a cursor that steps one mutable state in place (simulation), for systems that can do
   * better than `step` plus `retain`. It must take the same events to the same states.
   */
  cursor?(): Cursor<S>;
  /**
   * Optional, for liveness (`check --liveness`): whether an event is weakly fair (an actor model's
   * `fair` declaration). Absent: no event is, and a behaviour may stop anywhere.
   */
  readonly fair?: (event: Event) => boolean;
  /** Optional: what partial-order reduction needs to know of events (src/explore/sleep-sets.ts). */
  readonly independence?: Independence<S>;
}

/** The footprint of an event that may read or write any part of the state. */
export const FOOTPRINT_ALL = -1;

/**
 * Event identity and a sufficient independence relation, for sleep-set reduction. Each enabled
 * event has a `key`, a uint32 (the same event in two states has the same key, no other event has it;
 * an actor world numbers them once for reduction and simulation, src/world/event-keys.ts), and
 * a `footprint`: a nonzero 32-bit mask of the parts of the state it reads or writes (-1: all). The
 * contract: two events enabled in a state whose footprints share no bit are independent there:
 * each stays enabled after the other, and both orders reach the same state.
 */
export interface Independence<S> {
  /**
   * `forEachSuccessor`, except that `take(key, footprint, index)` is asked first for each enabled
   * event in the same order, and the successor is computed and visited only when it answers true.
   * Returns the number of enabled events.
   */
  forEachSuccessorOf(state: S, take: (key: number, footprint: number, index: number) => boolean, visit: (next: S, index: number) => void): number;
  /** The footprint `take` is given for the event with this key (sleep sets store keys only). */
  footprintOf(key: number): number;
  /** Whether two states with the same fingerprint are the same state (not only the same orbit). */
  same(a: S, b: S): boolean;
  /** True when equal fingerprints always mean the same state (no symmetry reduction). */
  readonly exact: boolean;
}

/** One state stepped in place: what simulation walks. */
export interface Cursor<S> {
  /** Back to initial state `index`. */
  reset(index: number): void;
  /** The enabled events, as `enabled(state)` lists them; valid until the next `take` or `reset`. */
  enabled(): readonly Event[];
  /**
   * Optional: an integer per event of the last `enabled()` list (the first `enabled().length`
   * entries count), equal exactly when the events are equal (simulation keys its schedule by it
   * instead of by the event's content). An actor world gives its `Independence` keys.
   */
  enabledKeys?(): readonly number[];
  /** Take an event of the last `enabled()` list. */
  take(event: Event): void;
  /** The current state; valid until the next `take` or `reset`. */
  readonly state: S;
}

/** A cursor for any system: `enabled`, then `step` and `retain`. */
export function stepCursor<S>(system: TransitionSystem<S>): Cursor<S> {
  let state = system.retain(system.initialStates()[0]);
  let events: Event[] | null = null;
  return {
    reset(index) {
      state = system.retain(system.initialStates()[index]);
      events = null;
    },
    enabled: () => (events ??= system.enabled(state)),
    take(event) {
      state = system.retain(system.step(state, event));
      events = null;
    },
    get state() {
      return state;
    },
  };
}

/** Object-representation store: states are immutable objects kept by reference. */
export class ObjectStore<S> implements StateStore<S> {
  private items: S[] = [];
  get length(): number {
    return this.items.length;
  }
  push(state: S): void {
    this.items.push(state);
  }
  get(index: number): S {
    return this.items[index];
  }
  pop(): S {
    const last = this.items.pop();
    if (last === undefined) throw new Error('ObjectStore.pop: empty');
    return last;
  }
  bytes(): number {
    return this.items.length * 8;
  }
  clear(): void {
    this.items = [];
  }
}

/** Packed store: `words` words per state in one growable Uint32Array. */
export class PackedStore implements StateStore<Uint32Array> {
  private data: Uint32Array;
  private count = 0;
  private readonly out: Uint32Array;
  constructor(private readonly words: number, initialCapacity = 1024) {
    this.data = new Uint32Array(words * initialCapacity);
    this.out = new Uint32Array(words);
  }
  get length(): number {
    return this.count;
  }
  push(state: Uint32Array): void {
    const at = this.count * this.words;
    if (at + this.words > this.data.length) this.data = grown(this.data, at + this.words);
    for (let i = 0; i < this.words; i++) this.data[at + i] = state[i];
    this.count++;
  }
  get(index: number): Uint32Array {
    const at = index * this.words;
    for (let i = 0; i < this.words; i++) this.out[i] = this.data[at + i];
    return this.out;
  }
  pop(): Uint32Array {
    if (this.count === 0) throw new Error('PackedStore.pop: empty');
    this.count--;
    return this.get(this.count);
  }
  bytes(): number {
    return this.data.byteLength;
  }
  clear(): void {
    this.count = 0;
  }
}
