// dfs: depth-first with an explicit stack (explore/dfs.ts): little memory for deep spaces, complete
// up to a depth bound; one thread.
import { dfs as searchDfs } from '../dfs.ts';
import type { ExhaustiveStrategy } from '../strategy.ts';

export const dfs: ExhaustiveStrategy<'dfs'> = {
  name: 'dfs',
  kind: 'exhaustive',
  summary: 'depth-first search: small memory for deep state spaces; complete up to --max-depth',
  search: searchDfs,
};
