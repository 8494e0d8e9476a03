// Swarm testing (Groce, Zhang, Eide, Chen, Regehr; ISSTA 2012): instead of one fault mix for all
// runs, each run draws its own from its seed (which fault kinds are on, at what rates), so a bug that
// one kind of fault masks (say, drops hide a duplication bug by removing the duplicate) is still
// found by the runs that leave that kind off. Scheduling is as in random simulation.
import { drawSwarmMix, type FaultMix, type SimulationOptions } from './options.ts';
import type { Rng } from './rng.ts';

/** The fault mix of one run: drawn from the run's own generator under swarm, else the configured one. */
export function mixForRun(options: SimulationOptions, rng: Rng): FaultMix {
  return options.strategy === 'swarm' ? drawSwarmMix(rng) : options.mix;
}
