// How a state space grows: the distinct states first reached at each BFS level, counted by a
// separate breadth-first pass over the same successor function and fingerprints as the checker's
// BFS (so the same reduction applies), without properties or parent links. For the reports' plots.
import type { TransitionSystem } from '../model/system.ts';
import { FingerprintSet } from '../explore/visited.ts';
import { newFingerprint } from '../util/hash.ts';

export interface LevelCounts {
  /** counts[0] is level 1 (the initial states), as TLC counts depth. */
  readonly counts: readonly number[];
  /** False when `maxStates` stopped the pass before the space was exhausted. */
  readonly complete: boolean;
}

/** Default bound on the pass, so a plot never costs more than a check of a few million states. */
export const LEVEL_PASS_STATES_MAX = 5_000_000;

export function statesPerLevel<S>(system: TransitionSystem<S>, maxStates = LEVEL_PASS_STATES_MAX): LevelCounts {
  const visited = new FingerprintSet();
  const fp = newFingerprint();
  const counts: number[] = [];
  let current = system.newStore();
  let next = system.newStore();
  for (const state of system.initialStates()) {
    system.fingerprint(state, fp);
    if (visited.add(fp.lo, fp.hi)) current.push(state);
  }
  const visit = (state: S): void => {
    system.fingerprint(state, fp);
    if (visited.add(fp.lo, fp.hi)) next.push(state);
  };
  while (current.length > 0) {
    counts.push(current.length);
    if (visited.size >= maxStates) return { counts, complete: false };
    for (let i = 0; i < current.length; i++) system.forEachSuccessor(current.get(i), visit);
    [current, next] = [next, current];
    next.clear();
  }
  return { counts, complete: true };
}
