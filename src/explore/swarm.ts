// A swarm's results, per search and together: what each search of `check --swarm N` (or of one
// `--shard i/N` job) found, and how shard summaries merge (`ordeal merge`): the first violation by
// a fixed order (shortest counterexample, then lowest search index), the union of coverage
// (sketch.ts), and the verdict, which is never "pass": a swarm is not exhaustive, so without a
// violation it says "no violation in the covered part" (inconclusive).
import type { Params, RunConfig } from '../model/define.ts';
import type { SearchOutcome } from './outcome.ts';
import { estimateOf, unionOf } from './sketch.ts';
import type { SwarmSearchResult } from './swarm-search.ts';

export const SWARM_SUMMARY_KIND = 'ordeal-check-swarm';

export interface SwarmSearchSummary {
  readonly index: number;
  readonly seed: number;
  readonly maxDepth: number | null;
  readonly visited: string;
  readonly bitstateBits: number;
  readonly result: SearchOutcome['result'];
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly missedNote: string;
  readonly violation: { readonly property: string; readonly message: string; readonly length: number } | null;
  readonly sketch: readonly number[];
}

/** What identifies the run a shard belongs to: shards merge only with shards of the same run. */
export interface SwarmIdentity {
  readonly model: string;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
  readonly count: number;
}

export interface SwarmSummary {
  readonly kind: typeof SWARM_SUMMARY_KIND;
  readonly identity: SwarmIdentity;
  readonly searches: readonly SwarmSearchSummary[];
  readonly result: 'violation' | 'inconclusive';
  /** The first violation by (counterexample length, search index), or null. */
  readonly firstViolation: { readonly search: number; readonly property: string; readonly message: string; readonly length: number; readonly trace: string | null } | null;
  /** Distinct states summed over the searches (a state seen by two counts twice). */
  readonly distinctStatesSum: number;
  /** Distinct states of the union, estimated from the searches' sketches. */
  readonly statesCoveredEstimate: number;
  readonly reasons: readonly string[];
}

export class SwarmMergeError extends Error {}

export function searchSummaryOf(r: SwarmSearchResult): SwarmSearchSummary {
  const o = r.outcome;
  return {
    index: r.plan.index,
    seed: r.plan.seed,
    maxDepth: r.plan.maxDepth ?? null,
    visited: r.plan.visited,
    bitstateBits: r.plan.bitstateBits,
    result: o.result,
    distinctStates: o.distinctStates,
    transitions: o.transitions,
    depth: o.depth,
    elapsedMs: Math.round(o.elapsedMs),
    missedNote: r.missedNote,
    violation: o.violation ? { property: o.violation.property, message: o.violation.description, length: o.violation.length } : null,
    sketch: r.sketch,
  };
}

/** The first violating search by (length, index), or null. */
export function firstViolating(searches: readonly SwarmSearchSummary[]): SwarmSearchSummary | null {
  let best: SwarmSearchSummary | null = null;
  for (const s of searches) {
    if (!s.violation) continue;
    if (!best || s.violation.length < best.violation!.length || (s.violation.length === best.violation!.length && s.index < best.index)) best = s;
  }
  return best;
}

export function swarmSummaryOf(identity: SwarmIdentity, searches: readonly SwarmSearchSummary[], trace: string | null = null): SwarmSummary {
  const sorted = [...searches].sort((a, b) => a.index - b.index);
  const first = firstViolating(sorted);
  const estimate = estimateOf(unionOf(sorted.map((s) => s.sketch)));
  const reasons = first
    ? []
    : [`no violation in the covered part: ${sorted.length} of ${identity.count} swarm searches, about ${estimate.toLocaleString('en-US')} distinct states covered; a swarm is not exhaustive`];
  return {
    kind: SWARM_SUMMARY_KIND,
    identity,
    searches: sorted,
    result: first ? 'violation' : 'inconclusive',
    firstViolation: first ? { search: first.index, ...first.violation!, trace } : null,
    distinctStatesSum: sorted.reduce((n, s) => n + s.distinctStates, 0),
    statesCoveredEstimate: estimate,
    reasons,
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Merge shard summaries of one swarm; throws SwarmMergeError for summaries of different runs or a search given twice. */
export function mergeSwarmSummaries(parts: readonly SwarmSummary[]): SwarmSummary {
  if (parts.length === 0) throw new SwarmMergeError('no summaries to merge');
  const identity = parts[0].identity;
  const seen = new Set<number>();
  for (const p of parts) {
    if (p.kind !== SWARM_SUMMARY_KIND) throw new SwarmMergeError(`not a check swarm summary (kind ${String(p.kind)})`);
    for (const key of ['model', 'variant', 'params', 'config', 'count'] as const) {
      if (!same(p.identity[key], identity[key])) throw new SwarmMergeError(`summaries of different runs: ${key} is ${JSON.stringify(identity[key])} in one, ${JSON.stringify(p.identity[key])} in another`);
    }
    for (const s of p.searches) {
      if (seen.has(s.index)) throw new SwarmMergeError(`search ${s.index} appears in two summaries`);
      seen.add(s.index);
    }
  }
  const searches = parts.flatMap((p) => p.searches);
  const first = firstViolating(searches);
  const trace = first ? (parts.find((p) => p.firstViolation?.search === first.index)?.firstViolation?.trace ?? null) : null;
  return swarmSummaryOf(identity, searches, trace);
}
