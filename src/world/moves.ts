// The moves of an actor world, applied in place to a mutable world (`Work`): exhaustive search
// loads a parent's words into one, applies a move and writes the successor's words; simulation
// keeps one and steps it, never hashing anything. A move costs at most one handler call plus the
// ids it changes: node slots and messages are interned (slots.ts, envelopes.ts), so nothing is
// copied deeply or rehashed, and a handler's outcome is remembered per distinct input
// (move-memo.ts), so it runs once per input.
//
// What the network does to messages (kept after delivery, lost across a partition or to a node that
// is down, connections closed by a crash or a partition) is read from its record (network-kinds.ts).
// Where a crash or a partition closes connections, the messages in flight on them are discarded and
// the surviving ends hear of it through the protocol's `onDisconnect` handler within the same event.
import { CLIENT, isChoice, type ActorSpec, type Choice, type NodeId, type Step } from '../model/actor.ts';
import type { RunConfig } from '../model/define.ts';
import { EnvelopeTable } from './envelopes.ts';
import { MEMO_CONNECT, MEMO_DELIVER, MEMO_DELIVER_CHOICES, MEMO_DISCONNECT, MEMO_RESTART, MEMO_TIMER, MEMO_TIMER_CHOICES, MoveMemo } from './move-memo.ts';
import { NetBuffer } from './network.ts';
import { networkOf, sendsMayBeLost, type NetworkSemantics } from './network-kinds.ts';
import type { Groups } from './partitions.ts';
import { SlotTable } from './slots.ts';

export const CRASH = 0;
export const PARTITION = 1;
export const DROP = 2;
export const DUPLICATE = 3;
/** The storage-fault budget (docs/faults.md): its used count lives in the partition word's high byte. */
export const DISK = 4;
/** The partition word: the split (0 whole, else 1 + its index) in the low bits, storage faults used in the high byte. */
export const PARTITION_MASK = 0xffffff;
const DISK_SHIFT = 24;
/** The partition part of a world's partition word. */
export const partitionOf = (w: ArrayLike<number>, n: number): number => w[n] & PARTITION_MASK;
/** The storage faults used in world `w`. */
export const diskUsedOf = (w: ArrayLike<number>, n: number): number => w[n] >>> DISK_SHIFT;
/** Timer names a protocol may use: a memo key holds a timer's id and its choice in one word. */
const TIMER_IDS_MAX = 1 << 16;
/** Fault budgets are kept in one word, a byte each. */
export const BUDGET_MAX = 255;

/** A world being changed in place. `partition` is 0 when whole, else 1 + the split's index. */
export class Work {
  readonly slots: Uint32Array;
  partition = 0;
  readonly used = new Uint8Array(4);
  /** Storage faults used (kept apart from `used`, whose word holds four budgets). */
  diskUsed = 0;
  readonly net = new NetBuffer();

  constructor(readonly nodeCount: number) {
    this.slots = new Uint32Array(nodeCount);
  }

  /** Load a world's words (layout: slot ids, partition, used budgets, network ids). */
  load(words: ArrayLike<number>): void {
    const n = this.nodeCount;
    for (let i = 0; i < n; i++) this.slots[i] = words[i];
    this.partition = partitionOf(words, n);
    this.diskUsed = diskUsedOf(words, n);
    const used = words[n + 1];
    for (let k = 0; k < 4; k++) this.used[k] = (used >>> (8 * k)) & 0xff;
    this.net.load(words, n + 2, words.length);
  }

  /** Number of words `write` fills. */
  get words(): number {
    return this.nodeCount + 2 + this.net.length;
  }

  write(out: Uint32Array): void {
    const n = this.nodeCount;
    for (let i = 0; i < n; i++) out[i] = this.slots[i];
    out[n] = (this.partition | (this.diskUsed << DISK_SHIFT)) >>> 0;
    out[n + 1] = this.used[0] | (this.used[1] << 8) | (this.used[2] << 16) | (this.used[3] << 24);
    const ids = this.net.ids;
    for (let i = 0, m = this.net.length; i < m; i++) out[n + 2 + i] = ids[i];
  }

}

/** The protocol, its tables and the run configuration: everything a move needs besides the world. */
export class Rules<D, V, M> {
  readonly n: number;
  /** The network kind's semantics (network-kinds.ts). */
  readonly net: NetworkSemantics;
  /** Whether sends can be lost at all (across a partition, or to a node that is down). */
  readonly lossy: boolean;
  readonly budget: Uint8Array;
  readonly slots = new SlotTable<D, V>();
  readonly table = new EnvelopeTable<M>();
  readonly name: (id: NodeId) => string;
  private readonly noTimers: number;
  private readonly timerScratch: string[] = [];
  private readonly memo = new MoveMemo();
  private readonly timerIds = new Map<string, number>();
  /** Envelope ids sent by the step `resolve` handled last. */
  private sends = new Uint32Array(16);
  private sendCount = 0;

  constructor(
    readonly spec: ActorSpec<D, V, M>,
    config: RunConfig,
    readonly splits: readonly Groups[],
  ) {
    this.n = spec.nodeCount;
    this.net = networkOf(config.network);
    this.lossy = sendsMayBeLost(this.net);
    const f = config.faults;
    const budget = [f.crashes, f.partitions, f.drops, f.duplicates, f.diskFaults ?? 0];
    for (const b of budget) if (b > BUDGET_MAX) throw new Error(`fault budgets above ${BUDGET_MAX} are not supported (got ${b})`);
    this.budget = Uint8Array.from(budget);
    this.name = (id) => (id === CLIENT ? 'client' : spec.nodeName ? spec.nodeName(id) : `n${id}`);
    this.noTimers = this.slots.timerSet([]);
  }

  /** The initial world: every node's init step, then the client requests. */
  initial(w: Work): void {
    // Before its init step a node counts as up (a send to it during init is not lost).
    const blank = this.slots.upSlot(this.slots.durables.intern(undefined as D), this.slots.volatiles.intern(null as V), this.noTimers);
    w.slots.fill(blank);
    w.partition = 0;
    w.used.fill(0);
    w.diskUsed = 0;
    w.net.length = 0;
    for (let id = 0; id < this.n; id++) this.applyStep(w, id, this.spec.init(id));
    for (const r of this.spec.clientRequests ?? []) w.net.send(this.net, this.table, this.table.intern(CLIENT, r.to, r.msg));
  }

  connected(w: Work, from: NodeId, to: NodeId): boolean {
    if (w.partition === 0 || from === CLIENT) return true;
    const groups = this.splits[w.partition - 1];
    return groups[from] === groups[to];
  }

  /**
   * Whether a send from `from` to `to` gets into the network: not across a partition where the
   * network loses such sends, nor to a node that is down where the network loses those.
   */
  private reaches(w: Work, from: NodeId, to: NodeId): boolean {
    if (from === to) return true;
    if (this.net.partition !== 'blocks' && !this.connected(w, from, to)) return false;
    return !this.net.losesSendsToDownNodes || this.slots.up[w.slots[to]] === 1;
  }

  /** Apply a handler's step to node `id` (which is then up). */
  applyStep(w: Work, id: NodeId, step: Step<D, V, M>): void {
    const slot = this.resolve(w.slots[id], id, step);
    this.commit(w, id, slot, this.sends, 0, this.sendCount);
  }

  /** The slot a step gives node `id` from slot `current`; its sends go to `sends[0 .. sendCount)`. */
  private resolve(current: number, id: NodeId, step: Step<D, V, M>): number {
    const slots = this.slots;
    let timersId = slots.timersOf[current];
    if (!slots.up[current]) timersId = this.noTimers;
    if (step.cancelTimers?.length || step.setTimers?.length) timersId = this.changedTimers(timersId, step);
    const old = slots.slots[current];
    const durable = step.state.durable;
    const durableId = durable === old.durable ? slots.durableId(current) : slots.durables.intern(durable);
    const volatile = step.state.volatile;
    const volatileId = old.volatile !== null && volatile === old.volatile ? slots.volatileId(current) : slots.volatiles.intern(volatile);
    const syncedId = this.syncedAfter(current, durableId, step);
    this.sendCount = 0;
    if (step.send) {
      const n = this.n;
      if (step.send.length > this.sends.length) this.sends = new Uint32Array(2 * step.send.length);
      for (const s of step.send) {
        if (!Number.isInteger(s.to) || s.to < 0 || s.to >= n) throw new Error(`${this.name(id)} sends to unknown node ${s.to}`);
        this.sends[this.sendCount++] = this.table.intern(id, s.to, s.msg);
      }
    }
    return slots.upSlot(durableId, volatileId, timersId, syncedId);
  }

  /**
   * The synced durable id after `step` takes a node from slot `current` to durable `durableId`:
   * buffered writes matter only with a storage-fault budget; a `sync`, or a durable write that is
   * not `unsynced`, puts everything on disk (an fsync flushes what was buffered before it).
   */
  private syncedAfter(current: number, durableId: number, step: Step<D, V, M>): number {
    if (this.budget[DISK] === 0 || step.sync === true) return durableId;
    const before = this.slots.durableId(current);
    if (durableId !== before && step.unsynced !== true) return durableId;
    return this.slots.syncedOf[current];
  }

  /** Node `id` takes `slot` and sends the envelopes `pool[start .. start + count)`. */
  private commit(w: Work, id: NodeId, slot: number, pool: Uint32Array, start: number, count: number): void {
    w.slots[id] = slot;
    for (let i = start; i < start + count; i++) {
      const e = pool[i];
      if (this.lossy && !this.reaches(w, id, this.table.to[e])) continue;
      w.net.send(this.net, this.table, e);
    }
  }

  /** Commit what the memo entry just found says. */
  private replay(w: Work, id: NodeId): void {
    const m = this.memo;
    this.commit(w, id, m.slot, m.sendPool, m.sendsStart, m.sendsCount);
  }

  /** Remember what `resolve` just gave (or, for an ignored input, `slot` and no sends), and commit it. */
  private rememberAndCommit(w: Work, id: NodeId, slot: number, handled: boolean): void {
    if (!handled) this.sendCount = 0;
    this.memo.remember(slot, this.sends, this.sendCount);
    this.commit(w, id, slot, this.sends, 0, this.sendCount);
  }

  private changedTimers(timersId: number, step: Step<D, V, M>): number {
    const names = this.timerScratch;
    names.length = 0;
    for (const t of this.slots.timerSets[timersId]) if (!step.cancelTimers?.includes(t)) names.push(t);
    if (step.setTimers) for (const t of step.setTimers) if (!names.includes(t)) names.push(t);
    names.sort();
    return this.slots.timerSet(names);
  }

  /**
   * Deliver the message at network position `at`; `choice` is the alternative taken when the
   * handler returns a Choice (-1 when it returns one step).
   */
  deliver(w: Work, at: number, choice = -1): void {
    const id = w.net.ids[at];
    const t = this.table;
    if (!this.net.keepsDelivered) w.net.removeAt(at);
    const to = t.to[id];
    const slot = w.slots[to];
    if (this.memo.find(MEMO_DELIVER, slot, id, choice + 1)) return this.replay(w, to);
    const result = this.pick(this.spec.onMessage(to, this.slots.states[slot], t.from[id], t.messages.values[t.messageOf[id]]), choice, to);
    this.rememberAndCommit(w, to, result === undefined ? slot : this.resolve(slot, to, result), result !== undefined);
  }

  /** The timer fires once: it is disarmed before the handler runs (the handler may re-arm it). */
  timer(w: Work, node: NodeId, timer: string, choice = -1): void {
    const slots = this.slots;
    const slot = w.slots[node];
    const timerId = this.timerId(timer);
    if (this.memo.find(MEMO_TIMER, node, slot, timerId + (choice + 1) * TIMER_IDS_MAX)) return this.replay(w, node);
    const names = slots.timerSets[slots.timersOf[slot]].filter((t) => t !== timer);
    const disarmed = slots.withTimers(slot, slots.timerSet(names));
    const result = this.pick(this.spec.onTimer(node, slots.states[slot], timer), choice, node);
    this.rememberAndCommit(w, node, result === undefined ? disarmed : this.resolve(disarmed, node, result), result !== undefined);
  }

  private timerId(timer: string): number {
    let timerId = this.timerIds.get(timer);
    if (timerId === undefined) {
      if (this.timerIds.size >= TIMER_IDS_MAX) throw new Error(`more than ${TIMER_IDS_MAX} distinct timer names are not supported`);
      this.timerIds.set(timer, (timerId = this.timerIds.size));
    }
    return timerId;
  }

  /** Alternative `choice` of a handler's answer (the answer itself when it is one step or none). */
  private pick(result: Step<D, V, M> | Choice<D, V, M> | undefined, choice: number, id: NodeId): Step<D, V, M> | undefined {
    if (!isChoice(result)) {
      if (choice >= 0) throw new Error(`${this.name(id)}: an event names choice ${choice} but the handler returned one step`);
      return result;
    }
    if (!this.spec.choices) throw new Error(`${this.name(id)}: a handler returned a choice, but the spec does not declare \`choices: true\``);
    if (choice < 0 || choice >= result.choose.length) throw new Error(`${this.name(id)}: choice ${choice} of ${result.choose.length} alternatives`);
    return result.choose[choice];
  }

  /** How many alternatives a handler's answer offers: 0 for one step or none, else the choice's length. */
  private static count(result: unknown): number {
    return isChoice(result as Step<unknown, unknown, unknown>) ? (result as Choice<unknown, unknown, unknown>).choose.length : 0;
  }

  /**
   * For specs with `choices`: how many alternatives delivering envelope `id` to a node holding
   * `slot` offers (0: the handler returned one step or none). Remembered per input.
   */
  deliverChoices(slot: number, id: number): number {
    const m = this.memo;
    if (m.find(MEMO_DELIVER_CHOICES, slot, id, 0)) return m.slot;
    const t = this.table;
    const count = Rules.count(this.spec.onMessage(t.to[id], this.slots.states[slot], t.from[id], t.messages.values[t.messageOf[id]]));
    m.remember(count, this.sends, 0);
    return count;
  }

  /** For specs with `choices`: how many alternatives timer `timer` of `node` (holding `slot`) offers. */
  timerChoices(node: NodeId, slot: number, timer: string): number {
    const m = this.memo;
    if (m.find(MEMO_TIMER_CHOICES, node, slot, this.timerId(timer))) return m.slot;
    const count = Rules.count(this.spec.onTimer(node, this.slots.states[slot], timer));
    m.remember(count, this.sends, 0);
    return count;
  }

  /** A process crash: buffered writes survive it (the operating system still writes them out). */
  crash(w: Work, node: NodeId): void {
    this.down(w, node, this.slots.durableId(w.slots[node]));
  }

  /** A machine crash (docs/faults.md): the node goes down and its buffered writes are lost. */
  powerLoss(w: Work, node: NodeId): void {
    w.diskUsed++;
    this.down(w, node, this.slots.syncedOf[w.slots[node]]);
  }

  /**
   * Buffered writes fail (docs/faults.md): the node's durable state goes back to the synced one and
   * `onWriteError` runs on what is left (volatile state and timers as they were).
   */
  writeError(w: Work, node: NodeId): void {
    w.diskUsed++;
    const reverted = this.slots.reverted(w.slots[node]);
    const result = this.spec.onWriteError?.(node, this.slots.states[reverted]);
    if (result === undefined) return this.commit(w, node, reverted, this.sends, 0, 0);
    this.applyResolved(w, node, reverted, result);
  }

  private applyResolved(w: Work, id: NodeId, from: number, step: Step<D, V, M>): void {
    const slot = this.resolve(from, id, step);
    this.commit(w, id, slot, this.sends, 0, this.sendCount);
  }

  private down(w: Work, node: NodeId, durableId: number): void {
    w.slots[node] = this.slots.downSlot(durableId);
    w.used[CRASH]++;
    if (!this.net.crashClosesConnections) return;
    w.net.removeChannels(this.table, (from, to) => from === node || to === node);
    for (let id = 0; id < this.n; id++) if (id !== node && this.connected(w, id, node)) this.disconnect(w, id, node);
  }

  restart(w: Work, node: NodeId): void {
    const slot = w.slots[node];
    const durableId = this.slots.durableId(slot);
    if (this.memo.find(MEMO_RESTART, node, durableId, 0)) return this.replay(w, node);
    const result = this.spec.onRestart(node, this.slots.durables.values[durableId]);
    this.rememberAndCommit(w, node, this.resolve(slot, node, result), true);
  }

  /**
   * A partition loses what is in flight across it (and, while it lasts, what is sent across it):
   * a partition that only delayed messages would add nothing an asynchronous network does not
   * already do. Where the network never loses messages (`set`) it only blocks delivery; where it
   * has connections, it also closes the ones it separates.
   */
  partition(w: Work, split: number): void {
    w.partition = split + 1;
    w.used[PARTITION]++;
    if (this.net.partition === 'blocks') return;
    const groups = this.splits[split];
    const apart = (a: NodeId, b: NodeId): boolean => a !== CLIENT && b !== CLIENT && groups[a] !== groups[b];
    w.net.removeChannels(this.table, apart);
    if (this.net.partition !== 'closes') return;
    const up = Array.from(w.slots, (s) => this.slots.up[s] === 1);
    for (let id = 0; id < this.n; id++) for (let peer = 0; peer < this.n; peer++) if (apart(id, peer) && up[peer]) this.disconnect(w, id, peer);
  }

  /** Where a partition closed connections, the pairs it had separated can connect again: both ends hear of it. */
  heal(w: Work): void {
    const split = w.partition - 1;
    w.partition = 0;
    if (this.net.partition !== 'closes' || !this.spec.onConnect || split < 0) return;
    const groups = this.splits[split];
    const up = Array.from(w.slots, (s) => this.slots.up[s] === 1);
    for (let id = 0; id < this.n; id++) for (let peer = 0; peer < this.n; peer++) if (groups[id] !== groups[peer] && up[id] && up[peer]) this.connect(w, id, peer);
  }

  drop(w: Work, id: number): void {
    w.net.removeOne(id);
    w.used[DROP]++;
  }

  duplicate(w: Work, id: number): void {
    w.net.send(this.net, this.table, id);
    w.used[DUPLICATE]++;
  }

  /** Tell node `id` (if up) that its connection to `peer` closed. */
  private disconnect(w: Work, id: NodeId, peer: NodeId): void {
    const handler = this.spec.onDisconnect;
    const slot = w.slots[id];
    if (!handler || this.slots.up[slot] !== 1) return;
    if (this.memo.find(MEMO_DISCONNECT, id, slot, peer)) return this.replay(w, id);
    const result = handler.call(this.spec, id, this.slots.states[slot], peer);
    this.rememberAndCommit(w, id, result === undefined ? slot : this.resolve(slot, id, result), result !== undefined);
  }

  /** Tell node `id` (if up) that it can reach `peer` again. */
  private connect(w: Work, id: NodeId, peer: NodeId): void {
    const handler = this.spec.onConnect!;
    const slot = w.slots[id];
    if (this.slots.up[slot] !== 1) return;
    if (this.memo.find(MEMO_CONNECT, id, slot, peer)) return this.replay(w, id);
    const result = handler.call(this.spec, id, this.slots.states[slot], peer);
    this.rememberAndCommit(w, id, result === undefined ? slot : this.resolve(slot, id, result), result !== undefined);
  }

  get ordered(): boolean {
    return this.net.ordered;
  }
}
