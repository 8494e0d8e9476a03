// Compiles an actor protocol plus a run configuration (network semantics and fault budgets) into a
// transition system over hash-consed worlds. A world is a short array of words (world-store.ts):
// node slot ids, the partition, the used fault budgets and the in-flight envelope ids. A successor
// is one move on a mutable copy of its parent (moves.ts): one handler call plus the interned ids it
// changes. Fingerprints combine the parts' cached content hashes (fingerprint.ts); properties see
// the interned NodeSlot objects, and an invariant that reads only the nodes is evaluated once per
// distinct tuple of node slots.
import { grown } from '../util/grow.ts';
import { type ActorSpec, type Envelope, type NodeId, type NodeSlot, type WorldView } from '../model/actor.ts';
import type { RunConfig } from '../model/define.ts';
import { FOOTPRINT_ALL as ALL, type Event, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import { canonical, toJson } from '../util/canonical.ts';
import type { Fingerprint } from '../util/hash.ts';
import { symmetricFingerprint } from './actor-symmetry.ts';
import { combineWorld, groupsHash } from './fingerprint.ts';
import { TupleTable } from './intern.ts';
import { CRASH, DROP, DUPLICATE, PARTITION, Rules, Work } from './moves.ts';
import { groupsText, splitsOf, type Groups } from './partitions.ts';
import { WorldStore } from './world-store.ts';
import { actorActionOf } from './actor-actions.ts';
import { worldTransfer, type WordTransfer } from './world-transfer.ts';

/** An actor world: its words (see world-store.ts). Read it through `ActorSystem.view`. */
export type ActorWorld = Uint32Array;

/** What tests and tools may read of a world: the property view plus the partition. */
export interface WorldPicture<D, V, M> extends WorldView<D, V, M> {
  /** Group per node while partitioned, else null. */
  readonly partition: Groups | null;
}

export interface ActorSystem<D, V, M> extends TransitionSystem<ActorWorld> {
  view(world: ActorWorld): WorldPicture<D, V, M>;
  /** How worlds cross threads (parallel BFS): their ids are this system's own. */
  readonly wordTransfer: WordTransfer;
}

/** Distinct node-slot tuples remembered for property results; beyond it properties are just run. */
const PROPERTY_MEMO_TUPLES_MAX = 1 << 22;

/** Receives the enabled events of a world, in the one fixed order `scan` defines. */
interface Sink {
  /** `choice` is -1, or alternative `choice` of the handler's `of` (specs with `choices`). */
  deliver(id: number, at: number, choice: number, of: number): void;
  timer(node: NodeId, timer: string, choice: number, of: number): void;
  crash(node: NodeId): void;
  restart(node: NodeId): void;
  partition(split: number): void;
  heal(): void;
  drop(id: number): void;
  duplicate(id: number): void;
}

export function compileActors<D, V, M>(spec: ActorSpec<D, V, M>, config: RunConfig): ActorSystem<D, V, M> {
  const n = spec.nodeCount;
  const kind = config.network;
  const splits = config.faults.partitions > 0 ? splitsOf(n, config.partitionKinds) : [];
  const rules = new Rules(spec, config, splits);
  const { slots, table, budget, tcp, name } = rules;
  const msgText = (msg: M): string => (spec.describeMessage ? spec.describeMessage(msg) : JSON.stringify(toJson(msg)));
  const ordered = rules.ordered;

  // Event objects are made once and shared: events are immutable data.
  const crashEvents = Array.from({ length: n }, (_, node) => Object.freeze({ kind: 'crash', node }) as Event);
  const restartEvents = Array.from({ length: n }, (_, node) => Object.freeze({ kind: 'restart', node }) as Event);
  const partitionEvents = splits.map((groups) => Object.freeze({ kind: 'partition', groups }) as Event);
  const healEvent = Object.freeze({ kind: 'heal' }) as Event;
  const timerEvents = Array.from({ length: n }, () => new Map<string, Event>());
  const timerEvent = (node: NodeId, timer: string): Event => {
    let e = timerEvents[node].get(timer);
    if (!e) timerEvents[node].set(timer, (e = Object.freeze({ kind: 'timer', node, timer })));
    return e;
  };
  // Alternative k of a delivery or timer: the plain event plus `choice: k` and `of: n`.
  const choiceEvents = new Map<string, Event>();
  const choiceEvent = (plain: Event, choice: number, of: number, id: number): Event => {
    const key = plain.kind === 'deliver' ? `d${id}/${choice}/${of}` : `t${plain.node as number}/${String(plain.timer)}/${choice}/${of}`;
    let e = choiceEvents.get(key);
    if (!e) {
      choiceEvents.set(key, (e = Object.freeze({ ...plain, choice, of })));
      if (plain.kind === 'deliver') table.idOfEvent.set(e, id);
    }
    return e;
  };
  const faultEvents = { drop: [] as Event[], duplicate: [] as Event[] };
  const faultEvent = (which: 'drop' | 'duplicate', id: number): Event => {
    let e = faultEvents[which][id];
    if (!e) {
      e = faultEvents[which][id] = Object.freeze({ ...table.deliverEvents[id], kind: which });
      table.idOfEvent.set(e, id);
    }
    return e;
  };

  const connected = (w: Uint32Array, from: NodeId, to: NodeId): boolean => {
    const p = w[n];
    if (p === 0 || from < 0) return true;
    const groups = splits[p - 1];
    return groups[from] === groups[to];
  };
  const used = (w: Uint32Array, which: number): number => (w[n + 1] >>> (8 * which)) & 0xff;

  const faultTargets: number[] = [];
  // Only a spec that declares choices pays for running handlers while listing events.
  const choices = spec.choices === true;
  /** The enabled events of `w`, in the one order every consumer sees. */
  function scan(w: Uint32Array, sink: Sink): void {
    const end = w.length;
    const up = slots.up;
    for (let i = n + 2; i < end; i++) {
      const id = w[i];
      if (i > n + 2 && (ordered ? table.compareChannel(w[i - 1], id) === 0 : w[i - 1] === id)) continue;
      const to = table.to[id];
      if (up[w[to]] === 1 && connected(w, table.from[id], to)) {
        const of = choices ? rules.deliverChoices(w[to], id) : 0;
        if (of === 0) sink.deliver(id, i - n - 2, -1, 0);
        else for (let k = 0; k < of; k++) sink.deliver(id, i - n - 2, k, of);
      }
    }
    for (let node = 0; node < n; node++) {
      const s = w[node];
      if (up[s] !== 1) continue;
      for (const timer of slots.timerSets[slots.timersOf[s]]) {
        const of = choices ? rules.timerChoices(node, s, timer) : 0;
        if (of === 0) sink.timer(node, timer, -1, 0);
        else for (let k = 0; k < of; k++) sink.timer(node, timer, k, of);
      }
    }
    const crashesLeft = used(w, CRASH) < budget[CRASH];
    for (let node = 0; node < n; node++) {
      if (up[w[node]] === 1) {
        if (crashesLeft) sink.crash(node);
      } else sink.restart(node);
    }
    if (w[n] === 0 && used(w, PARTITION) < budget[PARTITION]) for (let i = 0; i < splits.length; i++) sink.partition(i);
    if (w[n] !== 0) sink.heal();
    const dropsLeft = used(w, DROP) < budget[DROP];
    const duplicatesLeft = used(w, DUPLICATE) < budget[DUPLICATE];
    if (kind !== 'set' && !tcp && (dropsLeft || duplicatesLeft)) {
      // On fifo only a channel's head can be lost; duplication needs an unordered network. A tcp
      // connection loses nothing unless it closes (crash, partition).
      const ids = faultTargets;
      ids.length = 0;
      for (let i = n + 2; i < end; i++) {
        if (i > n + 2 && (ordered ? table.compareChannel(w[i - 1], w[i]) === 0 : w[i - 1] === w[i])) continue;
        ids.push(w[i]);
      }
      if (dropsLeft) for (const id of ids) sink.drop(id);
      if (kind === 'unordered' && duplicatesLeft) for (const id of ids) sink.duplicate(id);
    }
  }

  /** Collects events (enabled). */
  class EventSink implements Sink {
    events: Event[] = [];
    deliver(id: number, _at: number, choice: number, of: number) {
      const plain = table.deliverEvents[id];
      this.events.push(choice < 0 ? plain : choiceEvent(plain, choice, of, id));
    }
    timer(node: NodeId, timer: string, choice: number, of: number) {
      const plain = timerEvent(node, timer);
      this.events.push(choice < 0 ? plain : choiceEvent(plain, choice, of, -1));
    }
    crash(node: NodeId) {
      this.events.push(crashEvents[node]);
    }
    restart(node: NodeId) {
      this.events.push(restartEvents[node]);
    }
    partition(split: number) {
      this.events.push(partitionEvents[split]);
    }
    heal() {
      this.events.push(healEvent);
    }
    drop(id: number) {
      this.events.push(faultEvent('drop', id));
    }
    duplicate(id: number) {
      this.events.push(faultEvent('duplicate', id));
    }
  }

  /** Applies every move in order to a copy of the parent and hands each successor to `visit`. */
  class SuccessorSink implements Sink {
    parent!: Uint32Array;
    index = 0;
    visit!: (next: Uint32Array, index: number) => void;
    /** With reduction: asked before each move whether to take it (see Independence). */
    take: ((key: number, agent: number, index: number) => boolean) | null = null;
    readonly work = new Work(n);
    /** Output buffers by length, reused: a successor is valid only during `visit`. */
    private readonly outputs: Uint32Array[] = [];
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
      if (this.take === null || this.take(key, footprintOf(key), this.index)) return true;
      this.index++;
      return false;
    }
    deliver(id: number, at: number, choice: number) {
      if (this.take !== null && !this.taken(deliverKey(id, choice))) return;
      rules.deliver(this.load(), at, choice);
      this.emit();
    }
    timer(node: NodeId, timer: string, choice: number) {
      if (this.take !== null && !this.taken(timerEventKey(node, timer, choice))) return;
      rules.timer(this.load(), node, timer, choice);
      this.emit();
    }
    crash(node: NodeId) {
      if (!this.taken(8 * node + CRASH_KEY)) return;
      rules.crash(this.load(), node);
      this.emit();
    }
    restart(node: NodeId) {
      if (!this.taken(8 * node + RESTART_KEY)) return;
      rules.restart(this.load(), node);
      this.emit();
    }
    partition(split: number) {
      if (!this.taken(FAULT_KEY)) return;
      rules.partition(this.load(), split);
      this.emit();
    }
    heal() {
      if (!this.taken(FAULT_KEY)) return;
      rules.heal(this.load());
      this.emit();
    }
    drop(id: number) {
      if (!this.taken(8 * id + DROP_KEY)) return;
      rules.drop(this.load(), id);
      this.emit();
    }
    duplicate(id: number) {
      if (!this.taken(8 * id + DUPLICATE_KEY)) return;
      rules.duplicate(this.load(), id);
      this.emit();
    }
  }
  // One sink per nesting level: a visitor may expand another world from inside `visit`.
  const successorSinks: SuccessorSink[] = [];
  let nesting = 0;

  // Simulation asks for the enabled events and then steps one of them: the last list is kept, so
  // the step finds its event by identity instead of scanning the world again.
  let lastWorld: Uint32Array | null = null;
  let lastCopy = new Uint32Array(0);
  let lastEvents: Event[] = [];
  const sameAsLast = (w: Uint32Array): boolean => {
    if (w !== lastWorld || w.length !== lastCopy.length) return false;
    for (let i = 0; i < w.length; i++) if (w[i] !== lastCopy[i]) return false;
    return true;
  };

  function enabled(w: Uint32Array): Event[] {
    if (sameAsLast(w)) return lastEvents.slice();
    const sink = new EventSink();
    scan(w, sink);
    lastWorld = w;
    lastCopy = w.slice();
    lastEvents = sink.events;
    return sink.events.slice();
  }

  /** The enabled event equal to `event` (by identity, else by content), or undefined. */
  function enabledMatch(w: Uint32Array, event: Event): Event | undefined {
    if (!sameAsLast(w)) enabled(w);
    if (lastEvents.includes(event)) return event;
    const key = canonical(event);
    return lastEvents.find((e) => canonical(e) === key);
  }

  const idOf = (e: Event): number => table.idOfEvent.get(e) ?? table.find(e.from as number, e.to as number, e.msg)!;
  const stepWork = new Work(n);

  /**
   * Apply enabled event `e` to `work`. `aux` is what its move needs beyond the event: a delivery's
   * position in the network, a partition's split, a dropped or duplicated envelope's id.
   */
  function applyEvent(work: Work, e: Event, aux: number): void {
    switch (e.kind) {
      case 'deliver':
        return rules.deliver(work, aux, (e.choice as number | undefined) ?? -1);
      case 'timer':
        return rules.timer(work, e.node as number, e.timer as string, (e.choice as number | undefined) ?? -1);
      case 'crash':
        return rules.crash(work, e.node as number);
      case 'restart':
        return rules.restart(work, e.node as number);
      case 'partition':
        return rules.partition(work, aux);
      case 'heal':
        return rules.heal(work);
      case 'drop':
        return rules.drop(work, aux);
      default:
        return rules.duplicate(work, aux);
    }
  }

  function step(w: Uint32Array, event: Event): Uint32Array {
    const e = matchOrUndefined(w, event);
    if (e === undefined) throw new Error(`event not enabled: ${describeOrJson(event)}`);
    const work = stepWork;
    work.load(w);
    const aux = e.kind === 'deliver' ? work.net.indexOf(idOf(e)) : e.kind === 'partition' ? partitionEvents.indexOf(e) : e.kind === 'drop' || e.kind === 'duplicate' ? idOf(e) : 0;
    applyEvent(work, e, aux);
    const out = new Uint32Array(work.words);
    work.write(out);
    return out;
  }

  // An event from a hand-edited or foreign trace may lack the fields an event of this world has (no
  // message, a node that is not a number): it is simply not enabled, and is named by its JSON.
  function matchOrUndefined(w: Uint32Array, event: Event): Event | undefined {
    try {
      return enabledMatch(w, event);
    } catch {
      return undefined;
    }
  }

  function describeOrJson(event: Event): string {
    try {
      return describe(event);
    } catch {
      return canonical(event);
    }
  }

  function describe(event: Event): string {
    const link = () => `${name(event.from as number)} -> ${name(event.to as number)}: ${msgText(event.msg as M)}`;
    const chosen = typeof event.choice === 'number' ? ` [choice ${event.choice + 1} of ${String(event.of)}]` : '';
    switch (event.kind) {
      case 'deliver':
        return link() + chosen;
      case 'timer':
        return `${name(event.node as number)}: timer '${String(event.timer)}' fires${chosen}`;
      case 'crash':
        return `${name(event.node as number)} CRASHES (volatile state lost${tcp ? '; its connections close' : ''})`;
      case 'restart':
        return `${name(event.node as number)} restarts from its durable state`;
      case 'partition':
        return `network PARTITIONS into ${groupsText(event.groups as Groups, name)}${tcp ? ' (connections across it close)' : ''}`;
      case 'heal':
        return 'network heals';
      case 'drop':
        return `network DROPS ${link()}`;
      case 'duplicate':
        return `network DUPLICATES ${link()}`;
      default:
        return canonical(event);
    }
  }

  const nodesOf = (w: Uint32Array): NodeSlot<D, V>[] => {
    const nodes = new Array<NodeSlot<D, V>>(n);
    for (let i = 0; i < n; i++) nodes[i] = slots.slots[w[i]];
    return nodes;
  };
  const messagesOf = (w: Uint32Array): Envelope<M>[] => Array.from(w.subarray(n + 2), (id) => table.envelopes[id]);

  function view(w: Uint32Array): WorldPicture<D, V, M> {
    return { nodes: nodesOf(w), messages: messagesOf(w), partition: w[n] === 0 ? null : splits[w[n] - 1] };
  }

  // Properties. A property that does not read `messages` on a world is a function of its nodes
  // there, so its result is remembered per distinct tuple of node slots.
  const nodeTuples = new TupleTable(n);
  // The properties of one world are tested one after the other: its tuple is looked up once.
  const lastNodes = new Uint32Array(n);
  let lastTuple = -1;
  const tupleOf = (w: Uint32Array): number => {
    if (lastTuple >= 0) {
      let i = 0;
      while (i < n && w[i] === lastNodes[i]) i++;
      if (i === n) return lastTuple;
    }
    for (let i = 0; i < n; i++) lastNodes[i] = w[i];
    return (lastTuple = nodeTuples.intern(w, 0));
  };
  let touchedMessages = false;
  // A property returns true (holds), false or a message (does not); only the verdict is remembered,
  // and `message` asks the property again for the words of a counterexample.
  const evaluate = (p: (typeof spec.properties)[number], w: Uint32Array): boolean => {
    touchedMessages = false;
    const result = p.test({
      nodes: nodesOf(w),
      get messages() {
        touchedMessages = true;
        return messagesOf(w);
      },
    });
    return typeof result === 'string' ? false : Boolean(result);
  };
  const messageOf = (p: (typeof spec.properties)[number], w: Uint32Array): string | undefined => {
    const result = p.test({ nodes: nodesOf(w), messages: messagesOf(w) });
    return typeof result === 'string' ? result : undefined;
  };
  const properties: StatePredicate<Uint32Array>[] = spec.properties.map((p) => {
    let memo = new Uint8Array(1024);
    return {
      name: p.name,
      description: p.description,
      kind: p.kind,
      message: (w) => messageOf(p, w),
      test: (w) => {
        if (nodeTuples.size >= PROPERTY_MEMO_TUPLES_MAX) return evaluate(p, w);
        const tuple = tupleOf(w);
        if (tuple >= memo.length) memo = grown(memo, tuple + 1);
        const known = memo[tuple];
        if (known === 1) return true;
        if (known === 2) return false;
        const holds = evaluate(p, w);
        if (!touchedMessages) memo[tuple] = holds ? 1 : 2;
        return holds;
      },
    };
  });

  // Fingerprints.
  const splitHashes = splits.map(groupsHash);
  const loByNode = new Uint32Array(n);
  const hiByNode = new Uint32Array(n);
  const plainFingerprint = (w: Uint32Array, out: Fingerprint): void => {
    for (let i = 0; i < n; i++) {
      loByNode[i] = slots.hashLo[w[i]];
      hiByNode[i] = slots.hashHi[w[i]];
    }
    combineWorld(n, loByNode, hiByNode, w[n] === 0 ? 0 : splitHashes[w[n] - 1], w, ordered, table, table.hashLo, table.hashHi, out);
  };
  // A protocol without a declared symmetry has nothing to rename: reduction is then the identity.
  const fingerprint = config.symmetry === true && spec.symmetry !== undefined ? symmetricFingerprint(rules, spec.symmetry) : plainFingerprint;

  // Event keys for simulation's schedule: the kind in the low 3 bits, above them what tells two
  // events of that kind apart.
  const timerKeys = Array.from({ length: n }, () => new Map<string, number>());
  let timerKeyCount = 0;
  const timerKey = (node: NodeId, timer: string): number => {
    let k = timerKeys[node].get(timer);
    if (k === undefined) {
      timerKeys[node].set(timer, (k = timerKeyCount++));
      timerNodes.push(node);
    }
    return k;
  };
  /** The node of each timer key. */
  const timerNodes: NodeId[] = [];

  // Partial-order reduction (see Independence): event keys and footprints. A key is 8 * what tells
  // the event apart + its class: a delivery's envelope (0), a timer's (node, name) (1), a crash's or
  // a restart's node (2, 3), an alternative of a choice, numbered as first met (4), a dropped or
  // duplicated envelope (5, 6). A delivery or a timer reads and writes only its node's slot and adds
  // to the network: its sends go into a multiset or set, or onto the tail of a FIFO channel, whose
  // head (the only deliverable message) they leave alone; whether a send is lost depends on the
  // partition and, on tcp, on which nodes are up, which only faults change. Off tcp a crash or
  // restart changes its node's slot (a crash also the crash budget) and nothing else; on tcp it
  // closes connections and calls handlers at other nodes, so it touches everything, as partitions
  // and heals do. A drop or a duplication (never on set or tcp) removes or adds one copy of an
  // envelope to a node (on fifo, the head of its channel) and uses its budget: it touches that
  // node's deliveries and the budget.
  const CRASH_BUDGET_BIT = 1 << 30;
  const DROP_BUDGET_BIT = 1 << 29;
  const DUPLICATE_BUDGET_BIT = 1 << 28;
  const [DELIVER_KEY, TIMER_KEY, CRASH_KEY, RESTART_KEY, ALTERNATIVE_KEY, DROP_KEY, DUPLICATE_KEY] = [0, 1, 2, 3, 4, 5, 6];
  // Partitions and heals never sleep (they touch everything), so their key is never compared.
  const FAULT_KEY = 7;
  // Nodes beyond the 28th share bits with others: more dependence, never less.
  const nodeBit = (node: NodeId): number => 1 << node % 28;
  const KEYED_MAX = 2 ** 29;
  /** Per class (delivery, timer): the key of each (what, alternative) pair met so far. */
  const alternativeKeys = [new Map<number, number>(), new Map<number, number>()];
  /** The plain event's key behind each alternative (by alternative number). */
  const alternativeOf: number[] = [];
  function keyOf(what: number, kind: typeof DELIVER_KEY | typeof TIMER_KEY, choice: number): number {
    if (what >= KEYED_MAX) throw new Error(`more than ${KEYED_MAX} envelopes or timers are not supported`);
    if (choice < 0) return 8 * what + kind;
    const pair = what * 65536 + choice;
    let key = alternativeKeys[kind].get(pair);
    if (key === undefined) {
      if (alternativeOf.length >= KEYED_MAX || choice >= 65536) throw new Error(`more alternatives of choices than supported`);
      alternativeKeys[kind].set(pair, (key = 8 * alternativeOf.length + ALTERNATIVE_KEY));
      alternativeOf.push(8 * what + kind);
    }
    return key;
  }
  const deliverKey = (id: number, choice: number): number => keyOf(id, DELIVER_KEY, choice);
  const timerEventKey = (node: NodeId, timer: string, choice: number): number => keyOf(timerKey(node, timer), TIMER_KEY, choice);
  /** What the event with this key reads or writes (see above): derived, so stores keep keys only. */
  function footprintOf(key: number): number {
    const what = key >>> 3;
    switch (key & 7) {
      case DELIVER_KEY:
        return nodeBit(table.to[what]);
      case TIMER_KEY:
        return nodeBit(timerNodes[what]);
      case CRASH_KEY:
        return tcp ? ALL : nodeBit(what) | CRASH_BUDGET_BIT;
      case RESTART_KEY:
        return tcp ? ALL : nodeBit(what);
      case ALTERNATIVE_KEY:
        return footprintOf(alternativeOf[what]);
      case DROP_KEY:
        return nodeBit(table.to[what]) | DROP_BUDGET_BIT;
      case DUPLICATE_KEY:
        return nodeBit(table.to[what]) | DUPLICATE_BUDGET_BIT;
      default:
        return ALL;
    }
  }

  // An alternative of a choice is keyed by a negative number of its own.
  const choiceKeys = new Map<Event, number>();
  const choiceKey = (e: Event): number => {
    let k = choiceKeys.get(e);
    if (k === undefined) choiceKeys.set(e, (k = -1 - choiceKeys.size));
    return k;
  };

  /** Collects events with what their move needs (delivery position, split, envelope id) and keys. */
  class CursorSink extends EventSink {
    aux: number[] = [];
    keys: number[] = [];
    private keep(aux: number, key: number) {
      const i = this.events.length - 1;
      this.aux[i] = aux;
      this.keys[i] = key;
    }
    override deliver(id: number, at: number, choice: number, of: number) {
      super.deliver(id, at, choice, of);
      this.keep(at, choice < 0 ? 8 * id : choiceKey(this.events[this.events.length - 1]));
    }
    override timer(node: NodeId, timer: string, choice: number, of: number) {
      super.timer(node, timer, choice, of);
      this.keep(0, choice < 0 ? 8 * timerKey(node, timer) + 1 : choiceKey(this.events[this.events.length - 1]));
    }
    override crash(node: NodeId) {
      super.crash(node);
      this.keep(0, 8 * node + 2);
    }
    override restart(node: NodeId) {
      super.restart(node);
      this.keep(0, 8 * node + 3);
    }
    override partition(split: number) {
      super.partition(split);
      this.keep(split, 8 * split + 4);
    }
    override heal() {
      super.heal();
      this.keep(0, 5);
    }
    override drop(id: number) {
      super.drop(id);
      this.keep(id, 8 * id + 6);
    }
    override duplicate(id: number) {
      super.duplicate(id);
      this.keep(id, 8 * id + 7);
    }
  }

  /** Simulation's cursor: one mutable world stepped in place; nothing is hashed or copied. */
  function cursor() {
    const work = new Work(n);
    const initial = initialWorld();
    const buffers: Uint32Array[] = [];
    let words = initial;
    let written = false;
    let listed = false;
    const sink = new CursorSink();
    const sync = (): Uint32Array => {
      if (!written) {
        const size = work.words;
        words = buffers[size] ??= new Uint32Array(size);
        work.write(words);
        written = true;
      }
      return words;
    };
    const changed = (): void => {
      written = false;
      listed = false;
    };
    return {
      reset(index: number) {
        if (index !== 0) throw new Error(`an actor world has one initial state, not ${index + 1}`);
        work.load(initial);
        changed();
      },
      enabled(): readonly Event[] {
        if (!listed) {
          sink.events.length = 0;
          scan(sync(), sink);
          listed = true;
        }
        return sink.events;
      },
      enabledKeys(): readonly number[] {
        this.enabled();
        return sink.keys;
      },
      take(event: Event) {
        let i = listed ? sink.events.indexOf(event) : -1;
        if (i < 0) {
          const match = enabledMatch(sync(), event);
          if (match === undefined) throw new Error(`event not enabled: ${describe(event)}`);
          this.enabled();
          i = sink.events.indexOf(match);
        }
        applyEvent(work, sink.events[i], sink.aux[i]);
        changed();
      },
      get state() {
        return sync();
      },
    };
  }

  function initialWorld(): Uint32Array {
    const work = new Work(n);
    rules.initial(work);
    const out = new Uint32Array(work.words);
    work.write(out);
    return out;
  }

  // Under symmetry two worlds of one orbit share a fingerprint; only equal words are the same world.
  function sameWords(a: Uint32Array, b: Uint32Array): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function successors(w: Uint32Array, take: SuccessorSink['take'], visit: (next: Uint32Array, index: number) => void): number {
    const sink = (successorSinks[nesting] ??= new SuccessorSink());
    nesting++;
    try {
      sink.parent = w;
      sink.index = 0;
      sink.visit = visit;
      sink.take = take;
      scan(w, sink);
      return sink.index;
    } finally {
      nesting--;
    }
  }

  return {
    initialStates: () => [initialWorld()],
    forEachSuccessor: (w, visit) => successors(w, null, visit),
    independence: {
      forEachSuccessorOf: successors,
      same: sameWords,
      footprintOf,
      exact: fingerprint === plainFingerprint,
    },
    enabled,
    step,
    cursor,
    fingerprint,
    properties,
    view,
    show(w) {
      const nodes: Record<string, unknown> = {};
      nodesOf(w).forEach((slot, id) => {
        nodes[name(id)] = slot.up
          ? { durable: toJson(slot.durable), volatile: toJson(slot.volatile), timers: [...slot.timers] }
          : { DOWN: true, durable: toJson(slot.durable) };
      });
      const inFlight = messagesOf(w).map((e) => `${name(e.from)} -> ${name(e.to)}: ${msgText(e.msg)}`);
      const u = (k: number) => used(w, k);
      return {
        nodes,
        inFlight,
        partition: w[n] !== 0 ? groupsText(splits[w[n] - 1], name) : 'none',
        faultsUsed: { crashes: u(CRASH), partitions: u(PARTITION), drops: u(DROP), duplicates: u(DUPLICATE) },
      };
    },
    describe: (event) => describe(event),
    actionOf: actorActionOf(spec, name),
    declaredActions: spec.actions,
    retain: (w) => w.slice(),
    newStore: () => new WorldStore(),
    wordTransfer: worldTransfer(rules),
  };
}
