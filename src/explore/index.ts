// One entry point for every exhaustive strategy, chosen by name in the strategy registry.
import type { TransitionSystem } from '../model/system.ts';
import { strategyNamed, EXHAUSTIVE_STRATEGY_NAMES, type ExhaustiveStrategyName } from './strategies/index.ts';
import type { SearchOptions, SearchOutcome } from './outcome.ts';

export { EXHAUSTIVE_STRATEGY_NAMES, type ExhaustiveStrategyName };

/** Search `system` in this thread with the exhaustive strategy called `name`. */
export function explore<S>(name: ExhaustiveStrategyName, system: TransitionSystem<S>, options: SearchOptions): SearchOutcome {
  return strategyNamed(name, 'exhaustive').search(system, options);
}

export type { SearchOptions, SearchOutcome } from './outcome.ts';
