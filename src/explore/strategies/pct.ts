// pct: probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010) adapted to message
// passing: event sources get random priorities, lowered at d - 1 random steps (simulate/pct.ts).
import { PctPolicy } from '../../simulate/pct.ts';
import type { SimulatedStrategy } from '../strategy.ts';

export const pct: SimulatedStrategy<'pct'> = {
  name: 'pct',
  kind: 'simulation',
  summary: 'priority-based schedules with a bug-depth guarantee (--depth d)',
  mixForRun: (options) => options.mix,
  policy: (rng, options) => new PctPolicy(rng, options.pctDepth, options.maxSteps),
};
