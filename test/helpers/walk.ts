// A path through a transition system chosen by numbers (fast-check draws them): at each step the
// enabled event `picks[i]` selects, modulo how many there are; it stops early at a dead end.
import type { TransitionSystem } from '../../src/model/system.ts';

/** The states reached from the first initial one, the initial state included. */
export function walk<S>(system: Pick<TransitionSystem<S>, 'initialStates' | 'enabled' | 'step'>, picks: readonly number[]): S[] {
  let state = system.initialStates()[0];
  const seen = [state];
  for (const p of picks) {
    const events = system.enabled(state);
    if (events.length === 0) break;
    state = system.step(state, events[p % events.length]);
    seen.push(state);
  }
  return seen;
}
