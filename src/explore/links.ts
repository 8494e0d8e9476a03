// Compact parent links, one entry per discovered state (its ordinal): the parent's ordinal
// (uint32) and the index of the event in the parent's enabled list (uint16). 6 bytes per state;
// a trace is rebuilt at the end by re-running those events from the initial state.
import type { Event, TransitionSystem } from '../model/system.ts';

const ROOT = 0xffffffff;

/** Parent links as a search writes them and a counterexample reads them (TraceLinks, or SpilledLinks on disk). */
export interface ParentLinks {
  readonly size: number;
  /** Bytes held in memory. */
  bytes(): number;
  add(parent: number, eventIndex: number): number;
  addRoot(initialIndex: number): number;
  /** The event indices from the root to `ordinal`: the first is the initial state's index. */
  route(ordinal: number): number[];
  /** The links of ordinals below `count`, as arrays (a copy: for checkpoints). */
  slice(count: number): { parents: Uint32Array; events: Uint16Array };
}

export class TraceLinks implements ParentLinks {
  private parents = new Uint32Array(1 << 16);
  private events = new Uint16Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  bytes(): number {
    return this.parents.byteLength + this.events.byteLength;
  }

  /** Record a state reached from `parent` by its `eventIndex`-th enabled event; returns its ordinal. */
  add(parent: number, eventIndex: number): number {
    if (eventIndex > 0xffff) throw new Error(`a state has more than 65535 enabled events`);
    if (this.count === this.parents.length) {
      const p = new Uint32Array(this.count * 2);
      p.set(this.parents);
      this.parents = p;
      const e = new Uint16Array(this.count * 2);
      e.set(this.events);
      this.events = e;
    }
    this.parents[this.count] = parent;
    this.events[this.count] = eventIndex;
    return this.count++;
  }

  /** An initial state: `initialIndex` is its position in `initialStates()`. */
  addRoot(initialIndex: number): number {
    return this.add(ROOT, initialIndex);
  }

  /** Ordinals from the root to `ordinal`. No recursion: walk parents, then reverse. */
  chain(ordinal: number): number[] {
    const out: number[] = [];
    for (let o = ordinal; o !== ROOT; o = this.parents[o]) {
      out.push(o);
      if (out.length > this.count) throw new Error('trace links form a cycle');
    }
    return out.reverse();
  }

  eventIndex(ordinal: number): number {
    return this.events[ordinal];
  }

  route(ordinal: number): number[] {
    return this.chain(ordinal).map((o) => this.events[o]);
  }

  slice(count: number): { parents: Uint32Array; events: Uint16Array } {
    return { parents: this.parents.slice(0, count), events: this.events.slice(0, count) };
  }
}

export interface Path<S> {
  readonly initialIndex: number;
  readonly events: Event[];
  /** states[0] is the initial state, states[i+1] follows events[i]. Retained copies. */
  readonly states: S[];
}

/** Rebuild the path to `ordinal` by replaying the recorded event indices. */
export function rebuildPath<S>(system: TransitionSystem<S>, links: ParentLinks, ordinal: number): Path<S> {
  const route = links.route(ordinal);
  const initialIndex = route[0];
  let state = system.retain(system.initialStates()[initialIndex]);
  const states: S[] = [state];
  const events: Event[] = [];
  for (const index of route.slice(1)) {
    const event = system.enabled(state)[index];
    if (!event) throw new Error(`trace rebuild: event ${index} is not enabled`);
    state = system.retain(system.step(state, event));
    events.push(event);
    states.push(state);
  }
  return { initialIndex, events, states };
}
