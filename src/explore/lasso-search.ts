// `check --liveness`: the search that builds the explicit graph (lasso-graph.ts), reports a broken
// invariant as BFS would (a shortest path), and otherwise looks, target by target, for a fair lasso
// on which the target never holds (lasso.ts). Its counterexample is a prefix plus a loop: the
// violation's `loop` is the index of the state where the cycle starts (the events from there on are
// the cycle; none: the last state stutters forever).
//
// Reductions: none is applied. Sleep sets prune transitions, and a cycle (or the fairness of one)
// need not survive that; symmetry merges states whose events differ by a renaming, while fairness
// is per event. `check` refuses both with `liveness` (src/api/check.ts); here a symmetric system
// (fingerprints that stand for orbits) is refused again.
import { InputError } from '../model/resolve.ts';
import type { Event, TransitionSystem } from '../model/system.ts';
import { buildLassoGraph, LASSO_TARGETS_MAX, type LassoGraph } from './lasso-graph.ts';
import { findLasso, type Lasso } from './lasso.ts';
import { verdictOf, type ReachTarget, type SearchOptions, type SearchOutcome, type Violation } from './outcome.ts';
import { collisionProbability } from './visited.ts';
import { violationTextOf } from '../model/system.ts';

/** The fairness of a system's events: its declaration, or none (every behaviour may stutter anywhere). */
const fairnessOf = (system: TransitionSystem<unknown>): ((event: Event) => boolean) => system.fair ?? (() => false);

export function livenessSearch<S>(system: TransitionSystem<S>, options: SearchOptions = {}): SearchOutcome {
  if (system.independence !== undefined && !system.independence.exact) {
    throw new InputError('liveness cannot be checked under symmetry reduction (fairness is per event; a fair cycle of symmetry classes need not be one of states)');
  }
  const now = options.now ?? (() => 0);
  const started = now();
  const targets = system.properties.filter((p) => p.kind === 'reachable');
  if (targets.length > LASSO_TARGETS_MAX) throw new InputError(`liveness tracks at most ${LASSO_TARGETS_MAX} progress targets (reachable properties), the model has ${targets.length}`);
  const graph = buildLassoGraph(system, options, fairnessOf(system as TransitionSystem<unknown>));
  let violation: Violation | null = null;
  if (graph.broken !== null) {
    const path = graph.pathTo(graph.broken.ordinal);
    violation = violationOf(system, graph, { initial: path.initial, prefix: path.edges, loop: [] }, graph.broken.property, graph.broken.description, false);
  } else {
    for (let t = 0; t < targets.length && violation === null; t++) {
      const lasso = findLasso(graph, t);
      if (lasso !== null) violation = violationOf(system, graph, lasso, targets[t].name, targets[t].description, true);
    }
  }
  const reachable: ReachTarget[] = targets.map((target, t) => ({ name: target.name, description: target.description, reachedAtLength: firstHolding(graph, t) }));
  // A lasso found in an incomplete graph is still a real one (its states were all expanded).
  const { result, inconclusiveReasons } = verdictOf(violation, violation ? [] : graph.limitReasons, reachable);
  const elapsedMs = now() - started;
  let depth = 0;
  for (let s = 0; s < graph.size; s++) depth = Math.max(depth, graph.depth[s] + 1);
  return {
    strategy: 'liveness',
    result,
    inconclusiveReasons,
    violation,
    reachable,
    complete: !violation && graph.limitReasons.length === 0,
    distinctStates: graph.size,
    transitions: graph.transitions,
    depth,
    elapsedMs,
    statesPerSecond: elapsedMs > 0 ? Math.round((graph.size / elapsedMs) * 1000) : 0,
    visitedBytes: graph.size * 12,
    linkBytes: graph.bytes(),
    peakFrontierBytes: 0,
    collisionProbability: collisionProbability(graph.size, graph.transitions),
    reduction: null,
  };
}

/** The BFS level (in events) of the first state where target t holds, or null. */
function firstHolding(graph: LassoGraph, t: number): number | null {
  for (let s = 0; s < graph.size; s++) if ((graph.holds[s] & (1 << t)) !== 0) return graph.depth[s];
  return null;
}

/** Replay a lasso's edges through `step` (the engine checks its own graph) and word the violation. */
function violationOf<S>(system: TransitionSystem<S>, graph: LassoGraph, lasso: Lasso, property: string, description: string, liveness: boolean): Violation {
  const edges = [...lasso.prefix, ...lasso.loop];
  const events = edges.map((e) => graph.events[graph.edgeEvent[e]]);
  let state = system.retain(system.initialStates()[lasso.initial]);
  const states: S[] = [state];
  for (const event of events) {
    state = system.retain(system.step(state, event));
    states.push(state);
  }
  const last = states[states.length - 1];
  if (!liveness) {
    return { property, description: violationTextOf(system, property, description, last), length: events.length, initialIndex: lasso.initial, events, states: states.map((s) => system.show(s)) };
  }
  const loop = lasso.prefix.length;
  const how = lasso.loop.length === 0 ? 'the behaviour stops here (no fair event is enabled) and' : `events ${loop + 1}..${events.length} repeat forever (a fair cycle) and`;
  return {
    property,
    description: `${description}: never holds: ${how} it never holds on the way`,
    length: events.length,
    initialIndex: lasso.initial,
    events,
    states: states.map((s) => system.show(s)),
    loop,
    kind: 'liveness',
  };
}
