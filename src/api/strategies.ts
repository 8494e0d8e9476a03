// The strategy registry, as the command line and library users see it: the names, the kinds, and
// the lookup that rejects an unknown name (src/explore/strategies/index.ts).
export {
  EXHAUSTIVE_STRATEGY_NAMES,
  SIMULATION_STRATEGY_NAMES,
  STRATEGY_NAMES,
  strategyNamed,
  type ExhaustiveStrategyName,
  type SimulationStrategyName,
  type StrategyName,
} from '../explore/strategies/index.ts';
export type { ExhaustiveStrategy, SimulatedStrategy, Strategy, StrategyKind } from '../explore/strategy.ts';
export type { CancelSignal, RunControl } from '../explore/control.ts';
