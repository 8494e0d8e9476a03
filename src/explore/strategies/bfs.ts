// bfs: breadth-first, level by level, so the first violation found has a shortest counterexample.
// In this thread with sleep-set reduction by default (explore/bfs.ts); with workers, the level
// engine over shards (explore/parallel-bfs.ts): same states, depth and verdict for any count.
import { bfs as searchBfs } from '../bfs.ts';
import { levelBfs } from '../parallel-bfs.ts';
import type { ExhaustiveStrategy } from '../strategy.ts';

export const bfs: ExhaustiveStrategy<'bfs'> = {
  name: 'bfs',
  kind: 'exhaustive',
  summary: 'breadth-first search: shortest counterexamples; parallel over worker threads',
  search: searchBfs,
  searchShards: levelBfs,
};
