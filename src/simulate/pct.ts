// PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte; ASPLOS 2010),
// adapted to message passing. In the original, n threads get distinct random priorities, the highest
// priority enabled thread always runs, and at d - 1 steps drawn uniformly from 1..k the running
// thread's priority drops below all others; any bug of depth d (d ordering constraints) is then
// found with probability at least 1 / (n * k^(d-1)) per run.
// Here a "thread" is an event source: the node that acts (the receiver of a delivery, the owner of
// a timer) or, for spec models, the action. Deliveries are always eligible; timers, restarts and
// heals become eligible once their virtual due time has passed (a timeout cannot beat every
// message), and when nothing is eligible the earliest due event fires. Among eligible events, the
// source with the highest priority wins; within a source the earliest due event goes first.
import type { Event } from '../model/system.ts';
import type { Candidates, SchedulePolicy } from './policy.ts';
import type { Rng } from './rng.ts';
import { earliestDue } from './random.ts';
import { eventSource } from './schedule.ts';

const alwaysEligible = (event: Event): boolean => event.kind === 'deliver' || event.kind === 'action';

export class PctPolicy implements SchedulePolicy {
  private readonly priorities = new Map<string, number>();
  /** Step index -> the low priority (1..d-1) given at that change point. */
  private readonly changePoints = new Map<number, number>();

  constructor(
    private readonly rng: Rng,
    readonly depth: number,
    readonly stepBound: number,
  ) {
    if (!Number.isInteger(depth) || depth < 1) throw new Error(`PCT: depth must be a positive integer, got ${depth}`);
    const wanted = Math.min(depth - 1, stepBound);
    // Distinct change points drawn uniformly from 0..k-1 (bounded loop: at most k draws each).
    for (let i = 0; i < wanted; i++) {
      for (let attempt = 0; attempt < stepBound; attempt++) {
        const at = rng.below(stepBound);
        if (!this.changePoints.has(at)) {
          this.changePoints.set(at, depth - 1 - i);
          break;
        }
      }
    }
  }

  private priorityOf(source: string): number {
    let p = this.priorities.get(source);
    if (p === undefined) {
      // Initial priorities lie in [d, d + 1): above every change-point priority (1..d-1), and a random
      // order among sources, as a random permutation of d..d+n-1 would give.
      p = this.depth + this.rng.next();
      this.priorities.set(source, p);
    }
    return p;
  }

  choose(c: Candidates, nowMs: number): number {
    let best = -1;
    let bestPriority = -Infinity;
    for (let i = 0; i < c.count; i++) {
      if (!alwaysEligible(c.events[i]) && c.dues[i] > nowMs) continue;
      const p = this.priorityOf(eventSource(c.events[i]));
      if (p > bestPriority || (p === bestPriority && c.dues[i] < c.dues[best])) {
        best = i;
        bestPriority = p;
      }
    }
    return best >= 0 ? best : earliestDue(c);
  }

  taken(event: Event, stepIndex: number): void {
    const low = this.changePoints.get(stepIndex);
    if (low !== undefined) this.priorities.set(eventSource(event), low);
  }
}
