// swarm: swarm testing (Groce, Zhang, Eide, Chen, Regehr; ISSTA 2012). Instead of one fault mix for
// all runs, each run draws its own from its seed (which fault kinds are on, at what rates), so a bug
// that one kind of fault masks (drops hide a duplication bug by removing the duplicate) is still
// found by the runs that leave that kind off. Scheduling is as in random simulation.
import { drawSwarmMix } from '../../simulate/options.ts';
import { randomPolicy } from '../../simulate/random.ts';
import type { SimulatedStrategy } from '../strategy.ts';

export const swarm: SimulatedStrategy<'swarm'> = {
  name: 'swarm',
  kind: 'simulation',
  summary: 'random simulation where each run draws its own fault mix',
  mixForRun: (_options, rng) => drawSwarmMix(rng),
  policy: () => randomPolicy,
};
