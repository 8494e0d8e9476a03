// What the command line formats about a simulation (its summary, defaults for help texts, the
// reproduce line) and the replay and timeline it shows; re-exported from src/simulate and
// src/trace so that src/cli reaches them only through src/api.
export {
  DEFAULT_FAULT_MIX,
  DEFAULT_LIVENESS_WINDOW_MS,
  DEFAULT_MAX_STEPS,
  DEFAULT_PCT_DEPTH,
  DEFAULT_TIMING,
  SIMULATION_FAULT_BUDGETS,
  type SimulationOptions,
} from '../simulate/options.ts';
export { SIMULATION_STRATEGY_NAMES, type SimulationStrategyName } from '../explore/strategies/index.ts';
export { mergeSummaries, MergeError, summaryOf, type SimulationSummary } from '../simulate/summary.ts';
export { replay as replayTrace } from '../trace/replay.ts';
export { renderTimeline } from '../trace/render-text.ts';
