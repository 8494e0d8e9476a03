// The one interface every search implements, as stateright's `Checker`: a strategy says only what
// is particular to it; what every search shares is done once around it. Progress and cancellation
// come in the options (explore/control.ts), threads are a count any run may ask for (`workers`),
// and the registry (strategies/index.ts) is the only place a strategy's name is declared: a new
// strategy is one file in strategies/ plus one line there.
//
// Two kinds of search walk the same transition system:
// - exhaustive: every reachable state within the limits, once each (fingerprints), as a
//   SearchOutcome. A strategy that can split its frontier over shards (worker threads, each owning
//   a slice of the visited set) also gives `searchShards`; the caller makes the shards.
// - simulation: seeded runs of bounded length in virtual time (src/simulate). Runs are split over
//   workers by run index, the same for every such strategy, so a strategy gives only what differs
//   between runs: the fault mix of a run and the policy that picks the next event.
import type { TransitionSystem } from '../model/system.ts';
import type { FaultMix, SimulationOptions } from '../simulate/options.ts';
import type { SchedulePolicy } from '../simulate/policy.ts';
import type { Rng } from '../simulate/rng.ts';
import type { SearchOptions, SearchOutcome } from './outcome.ts';
import type { LevelSearchOptions, LevelSearchResult, ShardHandle } from './parallel-bfs.ts';

export type StrategyKind = 'exhaustive' | 'simulation';

interface StrategyBase<N extends string> {
  /** What users write (`--strategy NAME`, `strategy: 'NAME'`); unique in the registry. */
  readonly name: N;
  readonly kind: StrategyKind;
  /** One line for help texts. */
  readonly summary: string;
}

/** A search of every reachable state (within its limits). */
export interface ExhaustiveStrategy<N extends string = string> extends StrategyBase<N> {
  readonly kind: 'exhaustive';
  /** Search in this thread. */
  search<S>(system: TransitionSystem<S>, options: SearchOptions): SearchOutcome;
  /**
   * Search over shards, each owning the fingerprints its hash selects (`workers`); absent for a
   * strategy that runs in one thread only. Same states, depth and verdict for any shard count.
   */
  readonly searchShards?: <S>(system: TransitionSystem<S>, shards: ShardHandle<S>[], options: LevelSearchOptions) => Promise<LevelSearchResult>;
}

/** Seeded simulation: what one run of the strategy does differently from another strategy's. */
export interface SimulatedStrategy<N extends string = string> extends StrategyBase<N> {
  readonly kind: 'simulation';
  /** The fault mix of one run: the configured one, or one drawn from the run's generator. */
  mixForRun(options: SimulationOptions, rng: Rng): FaultMix;
  /** The policy that picks the next event of one run (drawn after the mix, from the same generator). */
  policy(rng: Rng, options: SimulationOptions): SchedulePolicy;
}

export type Strategy<N extends string = string> = ExhaustiveStrategy<N> | SimulatedStrategy<N>;
