// liveness: exhaustive search for fair lassos (explore/lasso-search.ts): a reachable cycle, or a
// state where the behaviour may stop, on which a progress target (a `reachable` property) never
// holds, under weak fairness of the model's fair events, as TLC checks `<>P`. One thread; no
// reduction (`check --liveness` refuses --symmetry and --por).
import { livenessSearch } from '../lasso-search.ts';
import type { ExhaustiveStrategy } from '../strategy.ts';

export const liveness: ExhaustiveStrategy<'liveness'> = {
  name: 'liveness',
  kind: 'exhaustive',
  summary: 'fair lassos: a cycle (or a stop) on which a reachable target never holds, under weak fairness (check --liveness)',
  search: livenessSearch,
};
