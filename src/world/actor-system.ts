// Compiles an actor protocol plus a run configuration (network semantics and fault budgets) into a
// transition system. The world is immutable: a step copies only what changes (one node, the
// network array). Fingerprints are incremental: each node slot is hashed once when created
// (structurally, no strings), an unordered network's hash is a sum of per-message hashes updated on
// send and delivery, and a world's fingerprint combines those parts.
//
// On a `tcp` network a crash or a partition also closes connections: the messages in flight on them
// are discarded, sends to a node that is down or across a partition are lost, and the surviving
// ends hear of it through the protocol's `onDisconnect` handler within the same event.
import { CLIENT, type ActorSpec, type Envelope, type NodeId, type NodeSlot, type Step, type WorldView } from '../model/actor.ts';
import type { RunConfig } from '../model/define.ts';
import { ObjectStore, type Event, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import { canonical, toJson } from '../util/canonical.ts';
import { combineOrdered, type Fingerprint } from '../util/hash.ts';
import { structuralHash } from '../util/structural-hash.ts';
import { EnvelopeTable } from './envelopes.ts';
import { deliverable, distinctIds, isOrdered, removeOne, sendTo, withoutChannels, type Network } from './network.ts';
import { allSplits, groupsText, type Groups } from './partitions.ts';
import { symmetricFingerprint } from './actor-symmetry.ts';

/** Fault budget usage, in the order crashes, partitions, drops, duplicates. */
type Used = readonly [number, number, number, number];

export interface World<D, V> {
  readonly nodes: readonly NodeSlot<D, V>[];
  readonly net: Network;
  /** Group per node while partitioned, else null. */
  readonly partition: Groups | null;
  readonly used: Used;
  /** Engine-owned hashes: node slots (lo, hi per node), then the network's sum (lo, hi). */
  readonly hashes: Uint32Array;
}

const CRASH = 0;
const PARTITION = 1;
const DROP = 2;
const DUPLICATE = 3;

/** Receives the enabled events of a world, in the one fixed order `scan` defines. */
interface Sink {
  deliver(id: number): void;
  timer(node: NodeId, timer: string): void;
  crash(node: NodeId): void;
  restart(node: NodeId): void;
  partition(split: number): void;
  heal(): void;
  drop(id: number): void;
  duplicate(id: number): void;
}

export function compileActors<D, V, M>(spec: ActorSpec<D, V, M>, config: RunConfig): TransitionSystem<World<D, V>> {
  const n = spec.nodeCount;
  const kind = config.network;
  const budget: Used = [config.faults.crashes, config.faults.partitions, config.faults.drops, config.faults.duplicates];
  const table = new EnvelopeTable<M>();
  const splits = budget[PARTITION] > 0 ? allSplits(n) : [];
  const name = (id: NodeId): string => (id === CLIENT ? 'client' : spec.nodeName ? spec.nodeName(id) : `n${id}`);
  const msgText = (msg: M): string => (spec.describeMessage ? spec.describeMessage(msg) : JSON.stringify(toJson(msg)));
  const fp: Fingerprint = { lo: 0, hi: 0 };

  // Event objects are made once and shared: events are immutable data.
  const crashEvents = Array.from({ length: n }, (_, node) => Object.freeze({ kind: 'crash', node }) as Event);
  const restartEvents = Array.from({ length: n }, (_, node) => Object.freeze({ kind: 'restart', node }) as Event);
  const partitionEvents = splits.map((groups) => Object.freeze({ kind: 'partition', groups }) as Event);
  const healEvent = Object.freeze({ kind: 'heal' }) as Event;
  const timerEvents = new Map<string, Event>();
  const timerEvent = (node: NodeId, timer: string): Event => {
    const key = `${node}:${timer}`;
    let e = timerEvents.get(key);
    if (!e) timerEvents.set(key, (e = Object.freeze({ kind: 'timer', node, timer })));
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

  const connected = (w: World<D, V>, from: NodeId, to: NodeId): boolean =>
    w.partition === null || from === CLIENT || w.partition[from] === w.partition[to];

  // ---- building worlds ----

  const makeSlot = (up: boolean, durable: D, volatile: V | null, timers: readonly string[]): NodeSlot<D, V> =>
    Object.freeze({ up, durable, volatile, timers: Object.freeze(timers) });

  const makeWorld = (nodes: NodeSlot<D, V>[], net: Network, partition: Groups | null, used: Used, hashes: Uint32Array): World<D, V> =>
    Object.freeze({ nodes: Object.freeze(nodes), net: Object.freeze(net), partition, used, hashes });

  const rehashSlot = (hashes: Uint32Array, id: NodeId, slot: NodeSlot<D, V>): void => {
    structuralHash(slot, fp);
    hashes[2 * id] = fp.lo;
    hashes[2 * id + 1] = fp.hi;
  };

  /** Add or remove one copy of envelope `id` in the network sum of `hashes`. */
  const netSum = (hashes: Uint32Array, id: number, sign: 1 | -1): void => {
    hashes[2 * n] = (hashes[2 * n] + sign * table.hashLo[id]) >>> 0;
    hashes[2 * n + 1] = (hashes[2 * n + 1] + sign * table.hashHi[id]) >>> 0;
  };

  const send = (net: Network, hashes: Uint32Array, id: number): Network => {
    const next = sendTo(kind, table, net, id);
    if (next !== net) netSum(hashes, id, 1);
    return next;
  };

  const tcp = kind === 'tcp';
  /** On tcp, whether a send from `from` to `to` reaches a connection (the receiver up, not cut off). */
  const reachable = (w: World<D, V>, from: NodeId, to: NodeId): boolean => !tcp || from === to || (w.nodes[to].up && connected(w, from, to));

  /** Discard what is in flight on the channels `cut` names, keeping the network's hash sum. */
  const closeChannels = (net: Network, hashes: Uint32Array, cut: (from: NodeId, to: NodeId) => boolean): Network => {
    const kept = withoutChannels(table, net, cut);
    if (kept.length !== net.length) for (const id of net) if (cut(table.envelopes[id].from, table.envelopes[id].to)) netSum(hashes, id, -1);
    return kept;
  };

  /** Tell each up node of each peer whose connection it lost, in node then peer order. */
  const disconnect = (w: World<D, V>, hashes: Uint32Array, lost: readonly (readonly [NodeId, NodeId])[]): World<D, V> => {
    if (!spec.onDisconnect) return w;
    for (const [id, peer] of lost) {
      const slot = w.nodes[id];
      if (!slot.up) continue;
      const result = spec.onDisconnect(id, stateOf(slot), peer);
      if (result !== undefined) w = applyStep(w, w.net, hashes, id, result);
    }
    return w;
  };

  /** Apply a handler's step to node `id`, on top of a network already updated to `net`. */
  const applyStep = (w: World<D, V>, net: Network, hashes: Uint32Array, id: NodeId, step: Step<D, V, M>): World<D, V> => {
    let timers = w.nodes[id].timers;
    if (step.cancelTimers?.length) timers = timers.filter((t) => !step.cancelTimers!.includes(t));
    if (step.setTimers?.length) timers = [...new Set([...timers, ...step.setTimers])].sort();
    const nodes = w.nodes.slice();
    nodes[id] = makeSlot(true, step.state.durable, step.state.volatile, timers);
    rehashSlot(hashes, id, nodes[id]);
    if (step.send) {
      for (const s of step.send) {
        if (!Number.isInteger(s.to) || s.to < 0 || s.to >= n) throw new Error(`${name(id)} sends to unknown node ${s.to}`);
        if (!reachable(w, id, s.to)) continue;
        net = send(net, hashes, table.intern(id, s.to, s.msg));
      }
    }
    return makeWorld(nodes, net, w.partition, w.used, hashes);
  };

  const withUsed = (w: World<D, V>, which: number): Used => {
    const used = [...w.used] as [number, number, number, number];
    used[which]++;
    return Object.freeze(used);
  };

  const stateOf = (slot: NodeSlot<D, V>) => ({ durable: slot.durable, volatile: slot.volatile as V });

  // ---- the moves, one function each ----

  const moves = {
    deliver(w: World<D, V>, id: number): World<D, V> {
      const env = table.envelopes[id];
      const hashes = w.hashes.slice();
      let net = w.net;
      if (kind !== 'set') {
        net = removeOne(w.net, id);
        netSum(hashes, id, -1);
      }
      const result = spec.onMessage(env.to, stateOf(w.nodes[env.to]), env.from, env.msg);
      if (result === undefined) return makeWorld(w.nodes.slice(), net, w.partition, w.used, hashes);
      return applyStep(w, net, hashes, env.to, result);
    },
    timer(w: World<D, V>, node: NodeId, timer: string): World<D, V> {
      // The timer fires once: it is disarmed before the handler runs (the handler may re-arm it).
      const slot = w.nodes[node];
      const nodes = w.nodes.slice();
      nodes[node] = makeSlot(true, slot.durable, slot.volatile, slot.timers.filter((t) => t !== timer));
      const hashes = w.hashes.slice();
      rehashSlot(hashes, node, nodes[node]);
      const disarmed = makeWorld(nodes, w.net, w.partition, w.used, hashes);
      const result = spec.onTimer(node, stateOf(slot), timer);
      return result === undefined ? disarmed : applyStep(disarmed, w.net, hashes.slice(), node, result);
    },
    crash(w: World<D, V>, node: NodeId): World<D, V> {
      const nodes = w.nodes.slice();
      nodes[node] = makeSlot(false, w.nodes[node].durable, null, []);
      const hashes = w.hashes.slice();
      rehashSlot(hashes, node, nodes[node]);
      if (!tcp) return makeWorld(nodes, w.net, w.partition, withUsed(w, CRASH), hashes);
      const net = closeChannels(w.net, hashes, (from, to) => from === node || to === node);
      const crashed = makeWorld(nodes, net, w.partition, withUsed(w, CRASH), hashes);
      const lost: [NodeId, NodeId][] = [];
      for (let id = 0; id < n; id++) if (id !== node && connected(w, id, node)) lost.push([id, node]);
      return disconnect(crashed, hashes, lost);
    },
    restart(w: World<D, V>, node: NodeId): World<D, V> {
      return applyStep(w, w.net, w.hashes.slice(), node, spec.onRestart(node, w.nodes[node].durable));
    },
    partition(w: World<D, V>, split: number): World<D, V> {
      const groups = splits[split];
      if (!tcp) return makeWorld(w.nodes.slice(), w.net, groups, withUsed(w, PARTITION), w.hashes);
      const hashes = w.hashes.slice();
      const apart = (a: NodeId, b: NodeId): boolean => a !== CLIENT && b !== CLIENT && groups[a] !== groups[b];
      const net = closeChannels(w.net, hashes, apart);
      const cut = makeWorld(w.nodes.slice(), net, groups, withUsed(w, PARTITION), hashes);
      const lost: [NodeId, NodeId][] = [];
      for (let id = 0; id < n; id++) for (let peer = 0; peer < n; peer++) if (apart(id, peer) && w.nodes[peer].up) lost.push([id, peer]);
      return disconnect(cut, hashes, lost);
    },
    heal(w: World<D, V>): World<D, V> {
      return makeWorld(w.nodes.slice(), w.net, null, w.used, w.hashes);
    },
    drop(w: World<D, V>, id: number): World<D, V> {
      const hashes = w.hashes.slice();
      netSum(hashes, id, -1);
      return makeWorld(w.nodes.slice(), removeOne(w.net, id), w.partition, withUsed(w, DROP), hashes);
    },
    duplicate(w: World<D, V>, id: number): World<D, V> {
      const hashes = w.hashes.slice();
      return makeWorld(w.nodes.slice(), send(w.net, hashes, id), w.partition, withUsed(w, DUPLICATE), hashes);
    },
  };

  /** The enabled events of `w`, in the one order every consumer sees. */
  function scan(w: World<D, V>, sink: Sink): void {
    for (const id of deliverable(kind, table, w.net)) {
      const e = table.envelopes[id];
      if (w.nodes[e.to].up && connected(w, e.from, e.to)) sink.deliver(id);
    }
    for (let node = 0; node < n; node++) {
      const slot = w.nodes[node];
      if (slot.up) for (const timer of slot.timers) sink.timer(node, timer);
    }
    for (let node = 0; node < n; node++) {
      if (w.nodes[node].up && w.used[CRASH] < budget[CRASH]) sink.crash(node);
      if (!w.nodes[node].up) sink.restart(node);
    }
    if (w.partition === null && w.used[PARTITION] < budget[PARTITION]) for (let i = 0; i < splits.length; i++) sink.partition(i);
    if (w.partition !== null) sink.heal();
    if (kind !== 'set' && !tcp && (w.used[DROP] < budget[DROP] || w.used[DUPLICATE] < budget[DUPLICATE])) {
      // On fifo only a channel's head can be lost; duplication needs an unordered network. A tcp
      // connection loses nothing unless it closes (crash, partition).
      const ids = kind === 'fifo' ? deliverable(kind, table, w.net) : distinctIds(w.net);
      if (w.used[DROP] < budget[DROP]) for (const id of ids) sink.drop(id);
      if (kind === 'unordered' && w.used[DUPLICATE] < budget[DUPLICATE]) for (const id of ids) sink.duplicate(id);
    }
  }

  /** Collects events (enabled) or, given a target, applies the matching move (step). */
  class EventSink implements Sink {
    events: Event[] = [];
    deliver(id: number) {
      this.events.push(table.deliverEvents[id]);
    }
    timer(node: NodeId, timer: string) {
      this.events.push(timerEvent(node, timer));
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

  /** Applies every move in order and hands each successor to `visit`. */
  class SuccessorSink implements Sink {
    w!: World<D, V>;
    index = 0;
    visit!: (next: World<D, V>, index: number) => void;
    deliver(id: number) {
      this.visit(moves.deliver(this.w, id), this.index++);
    }
    timer(node: NodeId, timer: string) {
      this.visit(moves.timer(this.w, node, timer), this.index++);
    }
    crash(node: NodeId) {
      this.visit(moves.crash(this.w, node), this.index++);
    }
    restart(node: NodeId) {
      this.visit(moves.restart(this.w, node), this.index++);
    }
    partition(split: number) {
      this.visit(moves.partition(this.w, split), this.index++);
    }
    heal() {
      this.visit(moves.heal(this.w), this.index++);
    }
    drop(id: number) {
      this.visit(moves.drop(this.w, id), this.index++);
    }
    duplicate(id: number) {
      this.visit(moves.duplicate(this.w, id), this.index++);
    }
  }
  const successorSink = new SuccessorSink();

  // Simulation asks for the enabled events and then steps one of them: the last list is kept, so
  // the step finds its event by identity instead of scanning the world again.
  let lastWorld: World<D, V> | null = null;
  let lastEvents: Event[] = [];

  function enabled(w: World<D, V>): Event[] {
    if (w === lastWorld) return lastEvents.slice();
    const sink = new EventSink();
    scan(w, sink);
    lastWorld = w;
    lastEvents = sink.events;
    return sink.events.slice();
  }

  /** The enabled event equal to `event` (by identity, else by content), or undefined. */
  function enabledMatch(w: World<D, V>, event: Event): Event | undefined {
    if (w !== lastWorld) enabled(w);
    if (lastEvents.includes(event)) return event;
    const key = canonical(event);
    return lastEvents.find((e) => canonical(e) === key);
  }

  const idOf = (e: Event): number => table.idOfEvent.get(e) ?? table.find(e.from as number, e.to as number, e.msg)!;

  function step(w: World<D, V>, event: Event): World<D, V> {
    const e = enabledMatch(w, event);
    if (e === undefined) throw new Error(`event not enabled: ${describe(event)}`);
    switch (e.kind) {
      case 'deliver':
        return moves.deliver(w, idOf(e));
      case 'timer':
        return moves.timer(w, e.node as number, e.timer as string);
      case 'crash':
        return moves.crash(w, e.node as number);
      case 'restart':
        return moves.restart(w, e.node as number);
      case 'partition':
        return moves.partition(w, partitionEvents.indexOf(e));
      case 'heal':
        return moves.heal(w);
      case 'drop':
        return moves.drop(w, idOf(e));
      default:
        return moves.duplicate(w, idOf(e));
    }
  }

  function describe(event: Event): string {
    const link = () => `${name(event.from as number)} -> ${name(event.to as number)}: ${msgText(event.msg as M)}`;
    switch (event.kind) {
      case 'deliver':
        return link();
      case 'timer':
        return `${name(event.node as number)}: timer '${String(event.timer)}' fires`;
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

  const view = (w: World<D, V>): WorldView<D, V, M> => ({
    nodes: w.nodes,
    get messages(): Envelope<M>[] {
      return w.net.map((id) => table.envelopes[id]);
    },
  });

  const properties: StatePredicate<World<D, V>>[] = spec.properties.map((p) => ({
    name: p.name,
    description: p.description,
    kind: p.kind,
    test: (w) => p.test(view(w)),
  }));

  function initialWorld(): World<D, V> {
    const hashes = new Uint32Array(2 * n + 2);
    const blank = makeSlot(true, undefined as D, null, []);
    let w = makeWorld(Array.from({ length: n }, () => blank), [], null, Object.freeze([0, 0, 0, 0]) as Used, hashes);
    for (let id = 0; id < n; id++) w = applyStep(w, w.net, w.hashes, id, spec.init(id));
    let net = w.net;
    for (const r of spec.clientRequests ?? []) net = send(net, w.hashes, table.intern(CLIENT, r.to, r.msg));
    return makeWorld(w.nodes.slice(), net, null, w.used, w.hashes);
  }

  /** Combine a world's parts into its fingerprint (slot hashes by position, then network, faults). */
  const combine = (slotHashes: Uint32Array, net: Network, netLo: number, netHi: number, partition: Groups | null, used: Used, out: Fingerprint): void => {
    const acc = { lo: 0x1234567, hi: 0x7654321 };
    for (let i = 0; i < n; i++) combineOrdered(acc, slotHashes[2 * i], slotHashes[2 * i + 1]);
    if (isOrdered(kind)) {
      // Order within a channel matters: hash the canonical sequence.
      combineOrdered(acc, net.length, 0x66);
      for (const id of net) combineOrdered(acc, table.hashLo[id], table.hashHi[id]);
    } else combineOrdered(acc, netLo, netHi ^ net.length);
    combineOrdered(acc, partition === null ? -1 : partition.length, used[0] | (used[1] << 8) | (used[2] << 16) | (used[3] << 24));
    if (partition !== null) for (const g of partition) combineOrdered(acc, g, 0x70);
    out.lo = acc.lo;
    out.hi = acc.hi;
  };

  const plainFingerprint = (w: World<D, V>, out: Fingerprint): void =>
    combine(w.hashes, w.net, w.hashes[2 * n], w.hashes[2 * n + 1], w.partition, w.used, out);

  // A protocol without a declared symmetry has nothing to rename: reduction is then the identity.
  const reduce = config.symmetry === true && spec.symmetry !== undefined;
  const fingerprint: (w: World<D, V>, out: Fingerprint) => void = reduce
    ? (() => {
        let used: Used = [0, 0, 0, 0];
        const reduced = symmetricFingerprint({
          nodeCount: n,
          kind,
          table,
          symmetry: spec.symmetry!,
          combine: (slotHashes, net, partition, out) => {
            let lo = 0;
            let hi = 0;
            for (const id of net) {
              lo = (lo + table.hashLo[id]) >>> 0;
              hi = (hi + table.hashHi[id]) >>> 0;
            }
            combine(slotHashes, net, lo, hi, partition, used, out);
          },
        });
        return (w: World<D, V>, out: Fingerprint) => {
          used = w.used;
          reduced(w, out);
        };
      })()
    : plainFingerprint;

  return {
    initialStates: () => [initialWorld()],
    forEachSuccessor(w, visit) {
      const sink = successorSink;
      const saved = { w: sink.w, index: sink.index, visit: sink.visit };
      sink.w = w;
      sink.index = 0;
      sink.visit = visit;
      scan(w, sink);
      const count = sink.index;
      Object.assign(sink, saved);
      return count;
    },
    enabled,
    step,
    fingerprint,
    properties,
    show(w) {
      const nodes: Record<string, unknown> = {};
      w.nodes.forEach((slot, id) => {
        nodes[name(id)] = slot.up
          ? { durable: toJson(slot.durable), volatile: toJson(slot.volatile), timers: [...slot.timers] }
          : { DOWN: true, durable: toJson(slot.durable) };
      });
      const inFlight = w.net.map((id) => {
        const e = table.envelopes[id];
        return `${name(e.from)} -> ${name(e.to)}: ${msgText(e.msg)}`;
      });
      return { nodes, inFlight, partition: w.partition ? groupsText(w.partition, name) : 'none', faultsUsed: { crashes: w.used[0], partitions: w.used[1], drops: w.used[2], duplicates: w.used[3] } };
    },
    describe: (event) => describe(event),
    retain: (w) => w,
    newStore: () => new ObjectStore<World<D, V>>(),
  };
}
