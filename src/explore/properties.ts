// Property bookkeeping shared by the strategies: invariants checked on every new state,
// reachability targets remembered the first time they hold.
import type { StatePredicate, TransitionSystem } from '../model/system.ts';
import type { ReachTarget } from './outcome.ts';

export class PropertyTracker<S> {
  private readonly invariants: StatePredicate<S>[];
  private readonly targets: StatePredicate<S>[];
  private readonly reachedAt: (number | null)[];
  private unreached: number;

  constructor(system: TransitionSystem<S>) {
    this.invariants = system.properties.filter((p) => p.kind === 'invariant');
    this.targets = system.properties.filter((p) => p.kind === 'reachable');
    this.reachedAt = this.targets.map(() => null);
    this.unreached = this.targets.length;
  }

  /** The first invariant broken by `state`, or null. Also records targets reached at `length`. */
  check(state: S, length: number): StatePredicate<S> | null {
    if (this.unreached > 0) {
      for (let i = 0; i < this.targets.length; i++) {
        if (this.reachedAt[i] === null && this.targets[i].test(state)) {
          this.reachedAt[i] = length;
          this.unreached--;
        }
      }
    }
    for (let i = 0; i < this.invariants.length; i++) {
      if (!this.invariants[i].test(state)) return this.invariants[i];
    }
    return null;
  }

  /** The length at which each target was first reached, or null (for checkpoints). */
  reachedLengths(): (number | null)[] {
    return [...this.reachedAt];
  }

  /** Continue from a checkpoint's reached lengths. */
  restore(reached: readonly (number | null)[]): void {
    reached.forEach((r, i) => {
      if (i < this.reachedAt.length) this.reachedAt[i] = r;
    });
    this.unreached = this.reachedAt.filter((r) => r === null).length;
  }

  report(): ReachTarget[] {
    return this.targets.map((t, i) => ({ name: t.name, description: t.description, reachedAtLength: this.reachedAt[i] }));
  }
}
