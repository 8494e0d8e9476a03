// One entry point for every exhaustive strategy, chosen by name.
import type { TransitionSystem } from '../model/system.ts';
import { bfs } from './bfs.ts';
import { dfs } from './dfs.ts';
import type { SearchOptions, SearchOutcome } from './outcome.ts';

export type ExhaustiveStrategy = 'bfs' | 'dfs';
export const EXHAUSTIVE_STRATEGIES: readonly ExhaustiveStrategy[] = ['bfs', 'dfs'];

export function explore<S>(strategy: ExhaustiveStrategy, system: TransitionSystem<S>, options: SearchOptions): SearchOutcome {
  return strategy === 'bfs' ? bfs(system, options) : dfs(system, options);
}

export type { SearchOptions, SearchOutcome } from './outcome.ts';
