// Fair lassos in an explicit state graph (lasso-graph.ts): the counterexamples of a progress target
// `<>P` (TLC's liveness check). A lasso is a path from an initial state into a cycle, with P false
// in every state of both, that is fair: under weak fairness, every fair event enabled in every state
// of the cycle is taken somewhere on it. A state in which no fair event is enabled is a lasso too: the
// behaviour may stutter there forever (a cycle of no events), as TLA+ allows.
//
// For one target: the states reachable from an initial state through states where P is false (a BFS,
// whose parent links give the shortest prefixes); their strongly connected components (Tarjan, with
// an explicit stack); and for each component with a cycle, the weak-fairness test on the component
// as a whole. That test is exact: a walk through every state and edge of a component C is fair iff
// every fair event enabled in all of C labels an edge inside C, and if that walk is unfair then so
// is every cycle inside C (such an event is enabled on all of it and taken nowhere in C). The lasso
// reported enters the candidate (a fair component, or a stuttering state) nearest an initial state.
import type { LassoGraph } from './lasso-graph.ts';

/** A lasso: the initial state's index, the edges of the prefix, and the edges of the loop (none: stutter). */
export interface Lasso {
  readonly initial: number;
  readonly prefix: readonly number[];
  readonly loop: readonly number[];
}

/** The states of a component, and a mark per state (its component number + 1) to test membership. */
interface Component {
  readonly states: number[];
  readonly id: number;
}

/** The nearest fair lasso on which target `t` never holds, or null. */
export function findLasso(graph: LassoGraph, t: number): Lasso | null {
  const bit = 1 << t;
  const { dist, order } = reachWithout(graph, bit);
  const comp = new Int32Array(graph.size).fill(-1);
  let best: { at: number; component: Component | null } | null = null;
  const consider = (at: number, component: Component | null): void => {
    if (best === null || dist[at] < dist[best.at]) best = { at, component };
  };
  for (const s of order) if (s < graph.expanded && !hasFairEdge(graph, s)) consider(s, null);
  for (const component of components(graph, order, dist, comp)) {
    if (component.states.length < 2 || !componentIsFair(graph, component, comp)) continue;
    let entry = component.states[0];
    for (const s of component.states) if (dist[s] < dist[entry]) entry = s;
    consider(entry, component);
  }
  if (best === null) return null;
  const { at, component } = best as { at: number; component: Component | null };
  const { initial, edges } = graph.pathTo(at);
  return { initial, prefix: edges, loop: component === null ? [] : loopThrough(graph, component, comp, at) };
}

/** Whether state `s` has an edge labelled with a fair event. */
function hasFairEdge(graph: LassoGraph, s: number): boolean {
  for (let e = graph.edgeStart[s]; e < graph.edgeStart[s + 1]; e++) if (graph.fair[graph.edgeEvent[e]] === 1) return true;
  return false;
}

/** BFS from the initial states through states where the target (bit) is false: distances (-1: not reached) and the order met. */
function reachWithout(graph: LassoGraph, bit: number): { dist: Int32Array; order: number[] } {
  const dist = new Int32Array(graph.size).fill(-1);
  const order: number[] = [];
  for (let s = 0; s < graph.size && graph.parent[s] < 0; s++) {
    if ((graph.holds[s] & bit) === 0) {
      dist[s] = 0;
      order.push(s);
    }
  }
  for (let i = 0; i < order.length; i++) {
    const s = order[i];
    if (s >= graph.expanded) continue;
    for (let e = graph.edgeStart[s]; e < graph.edgeStart[s + 1]; e++) {
      const to = graph.edgeTo[e];
      if (dist[to] >= 0 || (graph.holds[to] & bit) !== 0) continue;
      dist[to] = dist[s] + 1;
      order.push(to);
    }
  }
  return { dist, order };
}

/** Tarjan's strongly connected components of the states in `order` (edges within them only), iteratively. */
function components(graph: LassoGraph, order: readonly number[], dist: Int32Array, comp: Int32Array): Component[] {
  const index = new Int32Array(graph.size).fill(-1);
  const low = new Int32Array(graph.size);
  const onStack = new Uint8Array(graph.size);
  const stack: number[] = [];
  const result: Component[] = [];
  const frames: { s: number; e: number }[] = [];
  let next = 0;
  const edgesOf = (s: number): [number, number] => (s < graph.expanded ? [graph.edgeStart[s], graph.edgeStart[s + 1]] : [0, 0]);
  for (const root of order) {
    if (index[root] >= 0) continue;
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    frames.push({ s: root, e: edgesOf(root)[0] });
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [, end] = edgesOf(frame.s);
      if (frame.e < end) {
        const to = graph.edgeTo[frame.e++];
        if (dist[to] < 0) continue;
        if (index[to] < 0) {
          index[to] = low[to] = next++;
          stack.push(to);
          onStack[to] = 1;
          frames.push({ s: to, e: edgesOf(to)[0] });
        } else if (onStack[to] === 1) low[frame.s] = Math.min(low[frame.s], index[to]);
        continue;
      }
      frames.pop();
      if (frames.length > 0) low[frames[frames.length - 1].s] = Math.min(low[frames[frames.length - 1].s], low[frame.s]);
      if (low[frame.s] !== index[frame.s]) continue;
      const states: number[] = [];
      let s: number;
      do {
        s = stack.pop()!;
        onStack[s] = 0;
        comp[s] = result.length;
        states.push(s);
      } while (s !== frame.s);
      result.push({ states, id: result.length });
    }
  }
  return result;
}

/** The fair events enabled in every state of `states` (each state's fair edge labels, intersected). */
function fairEverywhere(graph: LassoGraph, states: readonly number[]): number[] {
  const count = new Map<number, number>();
  for (const s of states) {
    const seen = new Set<number>();
    for (let e = graph.edgeStart[s]; e < graph.edgeStart[s + 1]; e++) {
      const id = graph.edgeEvent[e];
      if (graph.fair[id] === 1 && !seen.has(id)) {
        seen.add(id);
        count.set(id, (count.get(id) ?? 0) + 1);
      }
    }
  }
  return [...count].filter(([, n]) => n === states.length).map(([id]) => id);
}

/** Weak fairness of the walk through all of a component: each fair event enabled throughout it labels an edge inside it. */
function componentIsFair(graph: LassoGraph, component: Component, comp: Int32Array): boolean {
  return fairEverywhere(graph, component.states).every((id) => insideEdge(graph, component, comp, id) >= 0);
}

/** An edge inside the component labelled `id` (-1: none). */
function insideEdge(graph: LassoGraph, component: Component, comp: Int32Array, id: number): number {
  for (const s of component.states) {
    for (let e = graph.edgeStart[s]; e < graph.edgeStart[s + 1]; e++) if (graph.edgeEvent[e] === id && comp[graph.edgeTo[e]] === component.id) return e;
  }
  return -1;
}

/** The edges of a shortest path from `from` to `to` inside the component (BFS). */
function pathInside(graph: LassoGraph, component: Component, comp: Int32Array, from: number, to: number): number[] {
  if (from === to) return [];
  const via = new Map<number, number>([[from, -1]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i];
    for (let e = graph.edgeStart[s]; e < graph.edgeStart[s + 1]; e++) {
      const next = graph.edgeTo[e];
      if (comp[next] !== component.id || via.has(next)) continue;
      via.set(next, e);
      if (next === to) {
        const edges: number[] = [];
        for (let at = to; at !== from; at = sourceOf(graph, edges[edges.length - 1])) edges.push(via.get(at)!);
        return edges.reverse();
      }
      queue.push(next);
    }
  }
  throw new Error('lasso: a component is not strongly connected');
}

/**
 * A loop from `entry` back to it inside the component that is weakly fair: it first takes an edge of
 * each fair event enabled throughout the component; when the states it visits then leave some fair
 * event enabled all along and untaken, it is rebuilt to visit every state of the component.
 */
function loopThrough(graph: LassoGraph, component: Component, comp: Int32Array, entry: number): number[] {
  const required = fairEverywhere(graph, component.states).map((id) => insideEdge(graph, component, comp, id));
  const walk = (stops: readonly number[], edgesToTake: readonly number[]): number[] => {
    const loop: number[] = [];
    let at = entry;
    const go = (edges: number[]): void => {
      for (const e of edges) loop.push(e);
      if (edges.length > 0) at = graph.edgeTo[edges[edges.length - 1]];
    };
    for (const s of stops) go(pathInside(graph, component, comp, at, s));
    for (const e of edgesToTake) {
      go(pathInside(graph, component, comp, at, sourceOf(graph, e)));
      go([e]);
    }
    if (loop.length === 0) go([firstInsideEdge(graph, component, comp, entry)]);
    go(pathInside(graph, component, comp, at, entry));
    return loop;
  };
  const short = walk([], required);
  if (loopIsFair(graph, entry, short)) return short;
  return walk(component.states, required);
}

function sourceOf(graph: LassoGraph, edge: number): number {
  let lo = 0;
  let hi = graph.expanded - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (graph.edgeStart[mid] <= edge) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function firstInsideEdge(graph: LassoGraph, component: Component, comp: Int32Array, s: number): number {
  for (let e = graph.edgeStart[s]; e < graph.edgeStart[s + 1]; e++) if (comp[graph.edgeTo[e]] === component.id) return e;
  throw new Error('lasso: a state of a component has no edge inside it');
}

/** Weak fairness of a loop of edges starting at `entry`: every fair event enabled in all its states is taken on it. */
export function loopIsFair(graph: LassoGraph, entry: number, loop: readonly number[]): boolean {
  const states = [entry, ...loop.slice(0, -1).map((e) => graph.edgeTo[e])];
  const taken = new Set(loop.map((e) => graph.edgeEvent[e]));
  return fairEverywhere(graph, states).every((id) => taken.has(id));
}
