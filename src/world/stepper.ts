// Applying one event object to a world: `step` for the transition system (replay, shrinking, the
// generic cursor), and `apply` for simulation's cursor, which already knows what the move needs.
import type { Event } from '../model/system.ts';
import type { EventCatalog } from './event-catalog.ts';
import type { EnabledEvents } from './event-list.ts';
import type { ActorEvent } from './events.ts';
import { Work, type Rules } from './moves.ts';
import type { WorldText } from './world-text.ts';

export class Stepper<D, V, M> {
  private readonly work: Work;

  constructor(
    private readonly rules: Rules<D, V, M>,
    private readonly catalog: EventCatalog<M>,
    private readonly list: EnabledEvents<D, V, M>,
    private readonly text: WorldText<D, V, M>,
  ) {
    this.work = new Work(rules.n);
  }

  /**
   * Apply enabled event `e` to `work`. `aux` is what its move needs beyond the event: a delivery's
   * position in the network, a partition's split, a dropped or duplicated envelope's id.
   */
  apply(work: Work, e: ActorEvent<M>, aux: number): void {
    const rules = this.rules;
    switch (e.kind) {
      case 'deliver':
        return rules.deliver(work, aux, e.choice ?? -1);
      case 'timer':
        return rules.timer(work, e.node, e.timer, e.choice ?? -1);
      case 'crash':
        return rules.crash(work, e.node);
      case 'restart':
        return rules.restart(work, e.node);
      case 'partition':
        return rules.partition(work, aux);
      case 'heal':
        return rules.heal(work);
      case 'drop':
        return rules.drop(work, aux);
      case 'duplicate':
        return rules.duplicate(work, aux);
      case 'write-error':
        return rules.writeError(work, e.node);
      case 'power-loss':
        return rules.powerLoss(work, e.node);
    }
  }

  /** The `aux` of `apply` for enabled event `e` of the world loaded in `work`. */
  auxOf(work: Work, e: ActorEvent<M>): number {
    switch (e.kind) {
      case 'deliver':
        return work.net.indexOf(this.catalog.idOf(e));
      case 'partition':
        return this.catalog.partition.indexOf(e);
      case 'drop':
      case 'duplicate':
        return this.catalog.idOf(e);
      default:
        return 0;
    }
  }

  /** The world after event `event`; throws when it is not enabled in `w`. */
  step(w: Uint32Array, event: Event): Uint32Array {
    const e = this.list.matchOrUndefined(w, event);
    if (e === undefined) throw new Error(`event not enabled: ${this.text.describeOrJson(event)}`);
    const work = this.work;
    work.load(w);
    this.apply(work, e, this.auxOf(work, e));
    const out = new Uint32Array(work.words);
    work.write(out);
    return out;
  }

  /** The initial world: every node's init step, then the client requests. */
  initialWorld(): Uint32Array {
    const work = new Work(this.rules.n);
    this.rules.initial(work);
    const out = new Uint32Array(work.words);
    work.write(out);
    return out;
  }
}
