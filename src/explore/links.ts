// Compact parent links, one entry per discovered state (its ordinal): the parent's ordinal
// (uint32) and the index of the event in the parent's enabled list (uint16). 6 bytes per state;
// a trace is rebuilt at the end by re-running those events from the initial state.
import type { Event, TransitionSystem } from '../model/system.ts';

const ROOT = 0xffffffff;

export class TraceLinks {
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
}

export interface Path<S> {
  readonly initialIndex: number;
  readonly events: Event[];
  /** states[0] is the initial state, states[i+1] follows events[i]. Retained copies. */
  readonly states: S[];
}

/** Rebuild the path to `ordinal` by replaying the recorded event indices. */
export function rebuildPath<S>(system: TransitionSystem<S>, links: TraceLinks, ordinal: number): Path<S> {
  const chain = links.chain(ordinal);
  const initialIndex = links.eventIndex(chain[0]);
  let state = system.retain(system.initialStates()[initialIndex]);
  const states: S[] = [state];
  const events: Event[] = [];
  for (const o of chain.slice(1)) {
    const event = system.enabled(state)[links.eventIndex(o)];
    if (!event) throw new Error(`trace rebuild: event ${links.eventIndex(o)} is not enabled`);
    state = system.retain(system.step(state, event));
    events.push(event);
    states.push(state);
  }
  return { initialIndex, events, states };
}
