// The explicit state graph that liveness checking (lasso.ts) searches for fair cycles: every
// reachable state (within the limits) by ordinal in breadth-first order, its outgoing edges labelled
// with event ids, and which progress targets hold in it. Built level by level as BFS does, so the
// parent links give shortest paths, and invariants are checked on the way (a broken one ends the
// build: it is reported as the safety violation it is). Self-loops are not edges: an event that
// leaves the state as it is, is a stutter (TLA+'s <A>_vars), neither enabled nor taken for fairness.
import type { Event, TransitionSystem } from '../model/system.ts';
import { canonical } from '../util/canonical.ts';
import { newFingerprint } from '../util/hash.ts';
import { grown } from '../util/grow.ts';
import { stopReasonOf } from './control.ts';
import { EXPANSIONS_PER_POLL, type SearchOptions } from './outcome.ts';
import { FingerprintSet } from './visited.ts';

/** Progress targets a graph tracks (one bit each in `holds`). */
export const LASSO_TARGETS_MAX = 32;

export class LassoGraph {
  /** States found (ordinals 0 .. size-1, in BFS order). */
  size = 0;
  /** States expanded: ordinals below it have their edges; the rest were cut off by a limit. */
  expanded = 0;
  /** Edges of state s: indices edgeStart[s] .. edgeStart[s + 1] (for s below `expanded`). */
  edgeStart = new Uint32Array(1025);
  edgeTo = new Uint32Array(4096);
  edgeEvent = new Uint32Array(4096);
  edges = 0;
  /** Per state: bit t set when target t holds. */
  holds = new Uint32Array(1024);
  /** Per state: BFS level (0 for initial states), parent ordinal and the edge from it (roots: their initial index). */
  depth = new Uint32Array(1024);
  parent = new Int32Array(1024);
  parentEdge = new Uint32Array(1024);
  /** Events by id, and whether each is fair. */
  readonly events: Event[] = [];
  fair = new Uint8Array(256);
  /** Set when an invariant broke: the state and the property. */
  broken: { readonly ordinal: number; readonly property: string; readonly description: string } | null = null;
  limitReasons: string[] = [];
  transitions = 0;
  private readonly idsByObject = new Map<Event, number>();
  private readonly idsByContent = new Map<string, number>();

  /** The id of an event (the same id for equal events). */
  eventId(event: Event, isFair: (event: Event) => boolean): number {
    let id = this.idsByObject.get(event);
    if (id !== undefined) return id;
    const key = canonical(event);
    id = this.idsByContent.get(key);
    if (id === undefined) {
      id = this.events.length;
      this.events.push(event);
      this.idsByContent.set(key, id);
      if (id >= this.fair.length) this.fair = grown(this.fair, id + 1);
      this.fair[id] = isFair(event) ? 1 : 0;
    }
    this.idsByObject.set(event, id);
    return id;
  }

  addState(depth: number, parent: number, parentEdge: number, holds: number): number {
    const s = this.size++;
    if (s === this.holds.length) {
      this.holds = grown(this.holds);
      this.depth = grown(this.depth);
      this.parent = grown(this.parent);
      this.parentEdge = grown(this.parentEdge);
    }
    this.holds[s] = holds;
    this.depth[s] = depth;
    this.parent[s] = parent;
    this.parentEdge[s] = parentEdge;
    return s;
  }

  addEdge(to: number, event: number): number {
    const e = this.edges++;
    if (e === this.edgeTo.length) {
      this.edgeTo = grown(this.edgeTo);
      this.edgeEvent = grown(this.edgeEvent);
    }
    this.edgeTo[e] = to;
    this.edgeEvent[e] = event;
    return e;
  }

  /** Close state `s`'s edge list (states are expanded in ordinal order). */
  closeState(s: number): void {
    if (s + 2 > this.edgeStart.length) this.edgeStart = grown(this.edgeStart, s + 2);
    this.edgeStart[s + 1] = this.edges;
    this.expanded = s + 1;
  }

  /** The edges from the initial state to `s`: the initial index and the edge indices. */
  pathTo(s: number): { readonly initial: number; readonly edges: number[] } {
    const edges: number[] = [];
    while (this.parent[s] >= 0) {
      edges.push(this.parentEdge[s]);
      s = this.parent[s];
    }
    return { initial: this.parentEdge[s], edges: edges.reverse() };
  }

  bytes(): number {
    return this.edgeStart.byteLength + this.edgeTo.byteLength * 2 + this.holds.byteLength * 5;
  }
}

/** Build the graph of `system` within the limits of `options`; `targets` are the progress targets tracked. */
export function buildLassoGraph<S>(system: TransitionSystem<S>, options: SearchOptions, isFair: (event: Event) => boolean): LassoGraph {
  const now = options.now ?? (() => 0);
  const started = now();
  const stopReason = stopReasonOf(options, started);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const targets = system.properties.filter((p) => p.kind === 'reachable').slice(0, LASSO_TARGETS_MAX);
  const invariants = system.properties.filter((p) => p.kind === 'invariant');
  const holdsOf = (state: S): number => {
    let bits = 0;
    for (let t = 0; t < targets.length; t++) if (targets[t].test(state)) bits |= 1 << t;
    return bits;
  };
  const graph = new LassoGraph();
  const visited = new FingerprintSet(1 << 16, true);
  const store = system.newStore();
  const fp = newFingerprint();
  /** Add a state (or find it); false when an invariant breaks in a new one. */
  const arrive = (state: S, depth: number, parent: number, parentEdge: number): number => {
    system.fingerprint(state, fp);
    if (!visited.add(fp.lo, fp.hi)) return visited.getValue();
    const s = graph.addState(depth, parent, parentEdge, holdsOf(state));
    visited.setValue(s);
    store.push(state);
    const broken = invariants.find((p) => !p.test(state));
    if (broken && graph.broken === null) graph.broken = { ordinal: s, property: broken.name, description: broken.description };
    return s;
  };
  system.initialStates().forEach((state, index) => arrive(state, 0, -1, index));
  let polls = 0;
  for (let s = 0; s < graph.size && graph.broken === null; s++) {
    if (graph.size >= maxStates) {
      graph.limitReasons.push(`state limit ${maxStates} reached`);
      break;
    }
    if (graph.depth[s] + 1 >= maxDepth) {
      graph.limitReasons.push(`depth limit ${maxDepth} reached`);
      break;
    }
    if (++polls % EXPANSIONS_PER_POLL === 0) {
      options.onProgress?.({ distinctStates: graph.size, transitions: graph.transitions, depth: graph.depth[s] + 1, queue: graph.size - s, elapsedMs: now() - started });
      const reason = stopReason();
      if (reason) {
        graph.limitReasons.push(reason);
        break;
      }
    }
    const state = system.retain(store.get(s));
    const events = system.enabled(state);
    const ids = events.map((e) => graph.eventId(e, isFair));
    graph.transitions += system.forEachSuccessor(state, (next, index) => {
      const to = arrive(next, graph.depth[s] + 1, s, graph.edges);
      if (to !== s) graph.addEdge(to, ids[index]);
    });
    graph.closeState(s);
  }
  return graph;
}
