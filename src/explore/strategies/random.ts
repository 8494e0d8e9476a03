// random: plain random simulation. The event with the smallest due time fires next (ties go to the
// first in the system's fixed order); the randomness is in the due times (latencies, timeouts,
// downtimes) and in the faults, injected at the configured rates.
import { randomPolicy } from '../../simulate/random.ts';
import type { SimulatedStrategy } from '../strategy.ts';

export const random: SimulatedStrategy<'random'> = {
  name: 'random',
  kind: 'simulation',
  summary: 'seeded simulation in virtual time: the event due first fires next; faults at fixed rates',
  mixForRun: (options) => options.mix,
  policy: () => randomPolicy,
};
