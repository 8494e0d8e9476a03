// What a simulation is asked to do: the schedule strategy, virtual-time distributions, fault rates
// and the limits of one run. Every number has a unit in its name and a named default.
import type { FaultBudgets } from '../model/define.ts';
import type { Rng } from './rng.ts';
import type { SimulationStrategyName } from '../explore/strategies/index.ts';

/** A simulation strategy's name (declared in the strategy registry). */
export type SimulationStrategy = SimulationStrategyName;

/** The spontaneous faults a run may inject (restart and heal follow a crash and a partition). */
export const FAULT_KINDS = ['crash', 'partition', 'drop', 'duplicate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** How often faults happen in one run: a probability per step for each kind, plus delay spikes. */
export interface FaultMix {
  readonly crashProbability: number;
  readonly partitionProbability: number;
  readonly dropProbability: number;
  readonly duplicateProbability: number;
  /** Probability that one message's latency is multiplied by `delaySpikeFactor` (reorders it). */
  readonly delaySpikeProbability: number;
  /**
   * Probability that a crashed node comes back within `fastRestartMsMax` instead of the usual
   * downtime, so messages sent before the crash are still in flight after the restart (where
   * state the node forgot bites).
   */
  readonly fastRestartProbability: number;
}

export const DEFAULT_FAULT_MIX: FaultMix = Object.freeze({
  crashProbability: 0.01,
  partitionProbability: 0.005,
  dropProbability: 0.02,
  duplicateProbability: 0.02,
  delaySpikeProbability: 0.02,
  fastRestartProbability: 0,
});

export const NO_FAULT_MIX: FaultMix = Object.freeze({
  crashProbability: 0,
  partitionProbability: 0,
  dropProbability: 0,
  duplicateProbability: 0,
  delaySpikeProbability: 0,
  fastRestartProbability: 0,
});

/** Virtual-time distributions, in milliseconds of simulated time. */
export interface Timing {
  readonly latencyMsMin: number;
  readonly latencyMsMax: number;
  readonly delaySpikeFactor: number;
  /** A timer fires this long after it is armed, times a jitter in [1, 1 + timerJitter). */
  readonly timerMs: number;
  /** Optional: a timeout per timer name, in place of `timerMs` for the timers it names. */
  readonly timerMsByName?: Readonly<Record<string, number>>;
  readonly timerJitter: number;
  readonly downtimeMsMin: number;
  readonly downtimeMsMax: number;
  /** Downtime bound of a fast restart (see FaultMix.fastRestart); fast restarts take 1 ms or more. */
  readonly fastRestartMsMax: number;
  readonly partitionMsMin: number;
  readonly partitionMsMax: number;
}

export const DEFAULT_TIMING: Timing = Object.freeze({
  latencyMsMin: 1,
  latencyMsMax: 10,
  delaySpikeFactor: 20,
  timerMs: 50,
  timerJitter: 0.5,
  downtimeMsMin: 10,
  downtimeMsMax: 200,
  fastRestartMsMax: 5,
  partitionMsMin: 20,
  partitionMsMax: 500,
});

/** Fault budgets used by `simulate` when the command line gives none (exhaustive checks use the model's). */
export const SIMULATION_FAULT_BUDGETS: FaultBudgets = Object.freeze({ crashes: 3, partitions: 2, drops: 10, duplicates: 10 });

export interface LivenessOptions {
  /** Faults are injected only during the first `faultPhaseSteps` steps of a run. */
  readonly faultPhaseSteps: number;
  /** After the fault phase, every reachable target must hold within this much virtual time. */
  readonly windowMs: number;
}

export interface SimulationOptions {
  readonly strategy: SimulationStrategy;
  /** Fault mix of every run (random, pct); swarm draws one per run instead. */
  readonly mix: FaultMix;
  readonly timing: Timing;
  /** Steps per run at most (a named bound: a run also ends when no event is enabled). */
  readonly maxSteps: number;
  /** PCT bug depth d (d - 1 priority change points); ignored by other strategies. */
  readonly pctDepth: number;
  /** Set to check progress after the fault phase (VOPR style); null checks safety only. */
  readonly liveness: LivenessOptions | null;
}

export const DEFAULT_MAX_STEPS = 1000;
export const DEFAULT_PCT_DEPTH = 3;
export const DEFAULT_LIVENESS_WINDOW_MS = 5000;

export function defaultOptions(overrides: Partial<SimulationOptions> = {}): SimulationOptions {
  return {
    strategy: 'random',
    mix: DEFAULT_FAULT_MIX,
    timing: DEFAULT_TIMING,
    maxSteps: DEFAULT_MAX_STEPS,
    pctDepth: DEFAULT_PCT_DEPTH,
    liveness: null,
    ...overrides,
  };
}

export function probabilityOf(mix: FaultMix, kind: FaultKind): number {
  switch (kind) {
    case 'crash':
      return mix.crashProbability;
    case 'partition':
      return mix.partitionProbability;
    case 'drop':
      return mix.dropProbability;
    case 'duplicate':
      return mix.duplicateProbability;
  }
}

/** A short stable name for a mix: the fault kinds switched on, e.g. "crash+drop+spike" or "none". */
export function mixLabel(mix: FaultMix): string {
  const on = FAULT_KINDS.filter((k) => probabilityOf(mix, k) > 0) as string[];
  if (mix.delaySpikeProbability > 0) on.push('spike');
  if (mix.fastRestartProbability > 0) on.push('fast-restart');
  return on.length ? on.join('+') : 'none';
}

/**
 * Swarm testing (Groce et al., ISSTA 2012): each fault kind is on with probability 1/2, at a rate
 * picked from a fixed log-spaced ladder (no transcendental functions, whose last bit may differ
 * between machines, so a mix is the same everywhere).
 */
export const SWARM_PROBABILITIES: readonly number[] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1];

export function drawSwarmMix(rng: Rng): FaultMix {
  const draw = (): number => (rng.chance(0.5) ? rng.pick(SWARM_PROBABILITIES) : 0);
  return Object.freeze({
    crashProbability: draw(),
    partitionProbability: draw(),
    dropProbability: draw(),
    duplicateProbability: draw(),
    delaySpikeProbability: draw(),
    // Fast restarts are all or nothing for a run: a rare fast restart would hide among slow ones.
    fastRestartProbability: rng.chance(0.5) ? 1 : 0,
  });
}
