// One numbering of the events of an actor world, shared by partial-order reduction (sleep sets keep
// keys and ask their footprints, src/explore/sleep-sets.ts) and simulation's schedule (the cursor's
// `enabledKeys`). A key is a uint32: 8 * what tells two events of a class apart, plus the class
// (KEY_CLASS). The same event has the same key in every world of a run, and no other event has it.
//
// Footprints (the Independence contract of src/model/system.ts): a delivery or a timer reads and
// writes only its node's slot and adds to the network; its sends go into a multiset or set, or onto
// the tail of a FIFO channel, whose head (the only deliverable message) they leave alone; whether a
// send is lost depends on the partition and on which nodes are up (where the network says so),
// which only faults change. A crash or restart changes its node's slot (a crash also the crash
// budget) and nothing else, unless the network makes it reach other nodes (it closes connections,
// or decides whether sends to the node are lost): then it touches everything, as partitions and
// heals always do. A drop or a duplication removes or adds one copy of an envelope to a node (on an
// ordered network, the head of its channel) and uses its budget: it touches that node's deliveries
// and the budget. Storage faults (docs/faults.md) fold into two classes with `what` past
// DISK_WHAT: a write error (restart class) touches its node's slot and the storage budget only; a
// power loss (crash class) is a crash that also uses the storage budget.
import type { NodeId } from '../model/actor.ts';
import { FOOTPRINT_ALL as ALL } from '../model/system.ts';
import type { EnvelopeTable } from './envelopes.ts';
import { upDownReachesOthers, type NetworkSemantics } from './network-kinds.ts';

/** The class of an event key (its low 3 bits), and what the rest of the key (`what`) numbers. */
export const KEY_CLASS = {
  /** A delivery; what: its envelope id. */
  deliver: 0,
  /** A timer firing; what: its (node, timer name) pair, numbered as first met. */
  timer: 1,
  /** A crash; what: the node (a power loss: DISK_WHAT + the node). */
  crash: 2,
  /** A restart; what: the node (a write error: DISK_WHAT + the node). */
  restart: 3,
  /** One alternative of a delivery's or a timer's choice; what: the alternative, numbered as first met. */
  alternative: 4,
  /** A drop; what: the envelope id. */
  drop: 5,
  /** A duplication; what: the envelope id. */
  duplicate: 6,
  /** A partition or a heal; what: the partition word it leaves (0 whole, 1 + the split's index). */
  topology: 7,
} as const;

export type KeyClass = (typeof KEY_CLASS)[keyof typeof KEY_CLASS];

/** Bits of a key that hold its class. */
export const KEY_CLASS_BITS = 3;
const CLASS_MASK = (1 << KEY_CLASS_BITS) - 1;
/** Largest `what` (envelopes, timers, alternatives) a key can hold: keys are uint32. */
export const KEYED_MAX = 2 ** (32 - KEY_CLASS_BITS);
/** Largest choice (number of alternatives) an alternative key tells apart. */
const ALTERNATIVES_MAX = 1 << 16;

/** Where storage faults' `what` starts in the crash and restart classes (node ids stay below it). */
export const DISK_WHAT = 1 << 20;

/** The key of node `node`'s write error (restart class, past DISK_WHAT). */
export const writeErrorKey = (node: NodeId): number => keyOf(DISK_WHAT + node, KEY_CLASS.restart);
/** The key of node `node`'s power loss (crash class, past DISK_WHAT). */
export const powerLossKey = (node: NodeId): number => keyOf(DISK_WHAT + node, KEY_CLASS.crash);

/** The key of the event of class `keyClass` that `what` tells apart from the others of its class. */
export const keyOf = (what: number, keyClass: KeyClass): number => what * (CLASS_MASK + 1) + keyClass;
/** The class of a key. */
export const classOf = (key: number): number => key & CLASS_MASK;
/** The `what` of a key. */
export const whatOf = (key: number): number => key >>> KEY_CLASS_BITS;

// Footprint bits: a node's bit (nodes beyond the 27th share bits with others: more dependence, never
// less), and one bit per fault budget a fault uses.
const CRASH_BUDGET_BIT = 1 << 30;
const DROP_BUDGET_BIT = 1 << 29;
const DUPLICATE_BUDGET_BIT = 1 << 28;
const DISK_BUDGET_BIT = 1 << 27;
const nodeBit = (node: NodeId): number => 1 << node % 27;

/** The keys of one compiled world (timers and alternatives are numbered as met) and their footprints. */
export class EventKeys {
  private readonly timerKeys: Map<string, number>[];
  /** The node of each timer number. */
  private readonly timerNodes: NodeId[] = [];
  /** Per class (delivery, timer): the alternative number of each (what, choice, of) met so far. */
  private readonly alternatives = [new Map<number, Map<number, number>>(), new Map<number, Map<number, number>>()];
  /** The plain event's key behind each alternative (by alternative number). */
  private readonly alternativeOf: number[] = [];
  private readonly upDownReachesOthers: boolean;

  constructor(
    nodeCount: number,
    private readonly table: EnvelopeTable<unknown>,
    net: NetworkSemantics,
  ) {
    this.timerKeys = Array.from({ length: nodeCount }, () => new Map<string, number>());
    this.upDownReachesOthers = upDownReachesOthers(net);
  }

  /** A delivery of envelope `id`; `choice` (of `of`) is -1 for a plain delivery. */
  deliver(id: number, choice: number, of: number): number {
    return this.plainOrAlternative(id, KEY_CLASS.deliver, choice, of);
  }

  /** Timer `timer` of node `node` firing; `choice` (of `of`) is -1 for a plain one. */
  timer(node: NodeId, timer: string, choice: number, of: number): number {
    return this.plainOrAlternative(this.timerNumber(node, timer), KEY_CLASS.timer, choice, of);
  }

  /** What the event with this key reads or writes (see above): derived, so stores keep keys only. */
  footprintOf(key: number): number {
    const what = whatOf(key);
    switch (classOf(key)) {
      case KEY_CLASS.deliver:
        return nodeBit(this.table.to[what]);
      case KEY_CLASS.timer:
        return nodeBit(this.timerNodes[what]);
      case KEY_CLASS.crash:
        if (this.upDownReachesOthers) return ALL;
        return what >= DISK_WHAT ? nodeBit(what - DISK_WHAT) | CRASH_BUDGET_BIT | DISK_BUDGET_BIT : nodeBit(what) | CRASH_BUDGET_BIT;
      case KEY_CLASS.restart:
        if (what >= DISK_WHAT) return nodeBit(what - DISK_WHAT) | DISK_BUDGET_BIT;
        return this.upDownReachesOthers ? ALL : nodeBit(what);
      case KEY_CLASS.alternative:
        return this.footprintOf(this.alternativeOf[what]);
      case KEY_CLASS.drop:
        return nodeBit(this.table.to[what]) | DROP_BUDGET_BIT;
      case KEY_CLASS.duplicate:
        return nodeBit(this.table.to[what]) | DUPLICATE_BUDGET_BIT;
      default:
        return ALL;
    }
  }

  private timerNumber(node: NodeId, timer: string): number {
    const keys = this.timerKeys[node];
    let k = keys.get(timer);
    if (k === undefined) {
      keys.set(timer, (k = this.timerNodes.length));
      this.timerNodes.push(node);
    }
    return k;
  }

  private plainOrAlternative(what: number, keyClass: typeof KEY_CLASS.deliver | typeof KEY_CLASS.timer, choice: number, of: number): number {
    if (what >= KEYED_MAX) throw new Error(`more than ${KEYED_MAX} envelopes or timers are not supported`);
    if (choice < 0) return keyOf(what, keyClass);
    if (choice >= ALTERNATIVES_MAX || of > ALTERNATIVES_MAX) throw new Error('more alternatives of choices than supported');
    // Keyed by (what, choice), then by `of` (one number would pass 2^53).
    const byPair = this.alternatives[keyClass];
    const pair = what * ALTERNATIVES_MAX + choice;
    let byOf = byPair.get(pair);
    if (byOf === undefined) byPair.set(pair, (byOf = new Map<number, number>()));
    let number = byOf.get(of);
    if (number === undefined) {
      if (this.alternativeOf.length >= KEYED_MAX) throw new Error('more alternatives of choices than supported');
      byOf.set(of, (number = this.alternativeOf.length));
      this.alternativeOf.push(keyOf(what, keyClass));
    }
    return keyOf(number, KEY_CLASS.alternative);
  }
}
