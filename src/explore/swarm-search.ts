// One search of a swarm (Holzmann, Joshi and Groce, "Swarm verification", 2008): a depth-first
// search with an explicit stack, a bitstate or hash-compact visited set, the successors of every
// state taken in an order permuted by the search's seed, and a depth bound of its own. Many such
// searches, each small and each different, cover more of a space too big for one exhaustive run
// than any one of them; none of them is exhaustive, and neither is the swarm. A search is
// deterministic from its plan, so its counterexample replays and any search can be re-run alone.
import type { TransitionSystem } from '../model/system.ts';
import { finalMix, newFingerprint } from '../util/hash.ts';
import { stopReasonOf } from './control.ts';
import { finishSearch, type Broken } from './finish.ts';
import { TraceLinks } from './links.ts';
import { EXPANSIONS_PER_POLL, type SearchOptions, type SearchOutcome } from './outcome.ts';
import { PropertyTracker } from './properties.ts';
import { MinValues } from './sketch.ts';
import { BitstateSet, CompactSet, missedStateNote, type VisitedSet } from './visited-modes.ts';

/** What makes search `index` of a swarm different from the others. */
export interface SwarmPlan {
  readonly index: number;
  readonly count: number;
  readonly seed: number;
  /** Levels (the initial state is 1); undefined: no bound but the visited set's. */
  readonly maxDepth: number | undefined;
  readonly visited: 'bitstate' | 'compact';
  readonly bitstateBits: number;
}

/** Default bitstate size of a swarm search: 2^24 bits, 2 MiB. */
export const SWARM_BITSTATE_BITS = 24;
/** Depth bounds of the searches vary over this share of the chosen one: 1, 3/4, 1/2, then again. */
const DEPTH_SHARES = [1, 0.75, 0.5];

/** The plan of search `index` of `count`: its seed from the swarm's, its depth bound, its visited set. */
export function swarmPlan(index: number, count: number, base: { seed: number; maxDepth?: number; visited?: 'bitstate' | 'compact'; bitstateBits?: number }): SwarmPlan {
  const seed = finalMix((base.seed * 0x9e3779b1) ^ finalMix(index + 1));
  const share = DEPTH_SHARES[index % DEPTH_SHARES.length];
  const maxDepth = base.maxDepth === undefined ? undefined : Math.max(2, Math.round(base.maxDepth * share));
  return { index, count, seed, maxDepth, visited: base.visited ?? 'bitstate', bitstateBits: base.bitstateBits ?? SWARM_BITSTATE_BITS };
}

export interface SwarmSearchResult {
  readonly plan: SwarmPlan;
  readonly outcome: SearchOutcome;
  readonly missedNote: string;
  /** The K smallest fingerprints seen (sketch.ts), to estimate the union of the searches. */
  readonly sketch: number[];
}

/** A permutation of 0..n-1 from `seed` mixed with the parent's fingerprint (Fisher-Yates). */
function permutation(n: number, seed: number, order: number[]): number[] {
  order.length = n;
  for (let i = 0; i < n; i++) order[i] = i;
  let x = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    x = finalMix(x + 0x6d2b79f5);
    const j = x % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

export function swarmSearch<S>(system: TransitionSystem<S>, plan: SwarmPlan, options: SearchOptions = {}): SwarmSearchResult {
  const now = options.now ?? (() => 0);
  const started = now();
  const stopReason = stopReasonOf(options, started);
  const maxDepth = plan.maxDepth ?? Infinity;
  const visited: VisitedSet = plan.visited === 'bitstate' ? new BitstateSet(plan.bitstateBits, plan.seed) : new CompactSet();
  const sketch = new MinValues();
  const links = new TraceLinks();
  const tracker = new PropertyTracker(system);
  const fp = newFingerprint();
  const stack: { state: S; ordinal: number; depth: number }[] = [];
  const limitReasons: string[] = [];
  let broken: Broken | null = null;
  let transitions = 0;
  let deepest = 0;
  let cut = 0;

  const arrive = (state: S, ordinal: () => number, depth: number): void => {
    system.fingerprint(state, fp);
    if (!visited.add(fp.lo, fp.hi)) return;
    sketch.offer(fp.lo, fp.hi);
    const at = ordinal();
    const bad = tracker.check(state, depth - 1);
    if (bad && !broken) broken = { ordinal: at, property: bad.name, description: bad.description };
    stack.push({ state: system.retain(state), ordinal: at, depth });
    if (depth > deepest) deepest = depth;
  };
  system.initialStates().forEach((state, i) => arrive(state, () => links.addRoot(i), 1));
  stack.reverse();

  const successors: { state: S; index: number }[] = [];
  const order: number[] = [];
  let polls = 0;
  while (stack.length > 0 && !broken) {
    const top = stack.pop()!;
    if (top.depth >= maxDepth) {
      cut++;
      continue;
    }
    successors.length = 0;
    transitions += system.forEachSuccessor(top.state, (next, index) => void successors.push({ state: system.retain(next), index }));
    system.fingerprint(top.state, fp);
    // Pushed in permuted order; the last pushed is expanded first.
    for (const k of permutation(successors.length, plan.seed ^ fp.lo, order)) {
      const { state, index } = successors[k];
      arrive(state, () => links.add(top.ordinal, index), top.depth + 1);
      if (broken) break;
    }
    if (++polls === EXPANSIONS_PER_POLL) {
      polls = 0;
      const stop = stopReason();
      if (stop) {
        limitReasons.push(stop);
        break;
      }
      options.onProgress?.({ distinctStates: visited.size, transitions, depth: deepest, queue: stack.length, elapsedMs: now() - started });
    }
  }
  if (cut > 0 && !broken) limitReasons.push(`max depth ${maxDepth} cut ${cut} states`);
  const outcome = finishSearch({
    strategy: 'swarm-dfs',
    reduction: null,
    system,
    visited,
    links,
    tracker,
    broken: broken as Broken | null,
    limitReasons,
    transitions,
    depth: deepest,
    depthIsViolationLevel: false,
    peakFrontierBytes: 0,
    elapsedMs: now() - started,
  });
  return { plan, outcome, missedNote: missedStateNote(plan.visited, visited, outcome.distinctStates, transitions), sketch: sketch.list() };
}
