// Exhaustive search's successor generation: the event scan applies each enabled event's move at
// once to a copy of the parent (no event objects are made) and hands each successor to `visit`.
// With partial-order reduction, each event's key and footprint (event-keys.ts) are offered to
// `take` first, and the move is made only when it answers true.
import type { NodeId } from '../model/actor.ts';
import type { EventKeys } from './event-keys.ts';
import { KEY_CLASS, keyOf, powerLossKey, writeErrorKey } from './event-keys.ts';
import { Work, type Rules } from './moves.ts';
import type { EventScan, Sink } from './scan.ts';

export type Visit = (next: Uint32Array, index: number) => void;
/** Asked before each move whether to take it (see Independence in src/model/system.ts). */
export type Take = (key: number, footprint: number, index: number) => boolean;

/** Applies every move in order to a copy of the parent and hands each successor to `visit`. */
class SuccessorSink<D, V, M> implements Sink {
  parent!: Uint32Array;
  index = 0;
  visit!: Visit;
  /** With reduction: asked before each move whether to take it. */
  take: Take | null = null;
  readonly work: Work;
  /** Output buffers by length, reused: a successor is valid only during `visit`. */
  private readonly outputs: Uint32Array[] = [];

  constructor(
    private readonly rules: Rules<D, V, M>,
    private readonly keys: EventKeys,
  ) {
    this.work = new Work(rules.n);
  }

  private emit(): void {
    const w = this.work;
    const size = w.words;
    let out = this.outputs[size];
    if (out === undefined) out = this.outputs[size] = new Uint32Array(size);
    w.write(out);
    this.visit(out, this.index++);
  }
  private load(): Work {
    this.work.load(this.parent);
    return this.work;
  }
  /** False when the reduction skips this event (its index is consumed). */
  private taken(key: number): boolean {
    if (this.take === null || this.take(key, this.keys.footprintOf(key), this.index)) return true;
    this.index++;
    return false;
  }
  deliver(id: number, at: number, choice: number, of: number) {
    if (this.take !== null && !this.taken(this.keys.deliver(id, choice, of))) return;
    this.rules.deliver(this.load(), at, choice);
    this.emit();
  }
  timer(node: NodeId, timer: string, choice: number, of: number) {
    if (this.take !== null && !this.taken(this.keys.timer(node, timer, choice, of))) return;
    this.rules.timer(this.load(), node, timer, choice);
    this.emit();
  }
  crash(node: NodeId) {
    if (this.take !== null && !this.taken(keyOf(node, KEY_CLASS.crash))) return;
    this.rules.crash(this.load(), node);
    this.emit();
  }
  restart(node: NodeId) {
    if (this.take !== null && !this.taken(keyOf(node, KEY_CLASS.restart))) return;
    this.rules.restart(this.load(), node);
    this.emit();
  }
  partition(split: number) {
    if (this.take !== null && !this.taken(keyOf(split + 1, KEY_CLASS.topology))) return;
    this.rules.partition(this.load(), split);
    this.emit();
  }
  heal() {
    if (this.take !== null && !this.taken(keyOf(0, KEY_CLASS.topology))) return;
    this.rules.heal(this.load());
    this.emit();
  }
  drop(id: number) {
    if (this.take !== null && !this.taken(keyOf(id, KEY_CLASS.drop))) return;
    this.rules.drop(this.load(), id);
    this.emit();
  }
  duplicate(id: number) {
    if (this.take !== null && !this.taken(keyOf(id, KEY_CLASS.duplicate))) return;
    this.rules.duplicate(this.load(), id);
    this.emit();
  }
  writeError(node: NodeId) {
    if (this.take !== null && !this.taken(writeErrorKey(node))) return;
    this.rules.writeError(this.load(), node);
    this.emit();
  }
  powerLoss(node: NodeId) {
    if (this.take !== null && !this.taken(powerLossKey(node))) return;
    this.rules.powerLoss(this.load(), node);
    this.emit();
  }
}

/** `forEachSuccessorOf` of a compiled world: successors of `w`, under reduction when `take` is given. */
export class Successors<D, V, M> {
  /** One sink per nesting level: a visitor may expand another world from inside `visit`. */
  private readonly sinks: SuccessorSink<D, V, M>[] = [];
  private nesting = 0;

  constructor(
    private readonly rules: Rules<D, V, M>,
    private readonly scanner: EventScan<D, V, M>,
    private readonly keys: EventKeys,
  ) {}

  /** Visit the successor of each enabled event of `w` (that `take` takes); returns the number of enabled events. */
  of(w: Uint32Array, take: Take | null, visit: Visit): number {
    const sink = (this.sinks[this.nesting] ??= new SuccessorSink(this.rules, this.keys));
    this.nesting++;
    try {
      sink.parent = w;
      sink.index = 0;
      sink.visit = visit;
      sink.take = take;
      this.scanner.scan(w, sink);
      return sink.index;
    } finally {
      this.nesting--;
    }
  }
}
