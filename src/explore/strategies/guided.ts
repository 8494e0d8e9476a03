// guided: coverage-guided simulation (src/simulate/guided.ts). Runs grow from a corpus of schedule
// prefixes that reached new abstract states, in generations, each run with its own drawn timing and
// its fault budget placed at random steps. Its runs depend on earlier generations, so simulate()
// drives them itself; mixForRun and policy describe a run's tail (no spontaneous faults beyond the
// rates the user set, the event due first fires next).
import { randomPolicy } from '../../simulate/random.ts';
import type { SimulatedStrategy } from '../strategy.ts';

export const guided: SimulatedStrategy<'guided'> = {
  name: 'guided',
  kind: 'simulation',
  summary: 'coverage-guided simulation: runs grow from schedule prefixes that reached new abstract states; timing and fault steps drawn per run',
  mixForRun: (options) => options.mix,
  policy: () => randomPolicy,
};
