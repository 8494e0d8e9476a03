// The default step budget of `simulate --liveness` when `maxSteps` is not given: the fault phase,
// then room for a healed cluster to make progress, measured on the model itself instead of asking
// the user to raise --max-steps by hand. A few runs without faults (random schedule, seeds derived
// from the master seed, each at most HEALTHY_STEPS_MAX events) measure how many events a healthy run takes to reach every target; the
// healed phase gets HEALED_STEPS_FACTOR times their median, and never less than the old default.
import type { TransitionSystem } from '../model/system.ts';
import { NO_FAULT_MIX, type SimulationOptions } from '../simulate/options.ts';
import { simulateRun } from '../simulate/run.ts';

/** Healthy runs measured. */
export const HEALTHY_RUNS = 8;
/** Events a healthy run may take at most before it counts as not progressing. */
export const HEALTHY_STEPS_MAX = 20_000;
/** The healed phase allows this many times the median healthy run. */
export const HEALED_STEPS_FACTOR = 10;

/** Steps after the fault phase for a run of `system`: at least `floor`, else HEALED_STEPS_FACTOR x the median healthy run. */
export function healedStepsOf<S>(system: TransitionSystem<S>, options: SimulationOptions, seed: number, floor: number): number {
  const healthy: SimulationOptions = {
    ...options,
    strategy: 'random',
    mix: NO_FAULT_MIX,
    maxSteps: HEALTHY_STEPS_MAX,
    liveness: { faultPhaseSteps: 0, windowMs: Number.MAX_SAFE_INTEGER },
  };
  const lengths: number[] = [];
  for (let run = 0; run < HEALTHY_RUNS; run++) {
    const result = simulateRun(system, healthy, seed, run);
    if (result.end === 'progress') lengths.push(result.steps);
  }
  if (lengths.length === 0) return floor;
  lengths.sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)];
  return Math.max(floor, HEALED_STEPS_FACTOR * median);
}
