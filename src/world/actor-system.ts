// Compiles an actor protocol plus a run configuration (network semantics and fault budgets) into a
// transition system. The world is immutable: a step copies only what changes (one node, the
// network array), and fingerprints of node slots are cached by identity.
import { CLIENT, type ActorSpec, type Envelope, type NodeId, type NodeSlot, type Step, type WorldView } from '../model/actor.ts';
import type { RunConfig } from '../model/define.ts';
import { ObjectStore, type Event, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import { canonical, toJson } from '../util/canonical.ts';
import { combineOrdered, hashString, type Fingerprint } from '../util/hash.ts';
import { EnvelopeTable } from './envelopes.ts';
import { deliverable, distinctIds, removeOne, sendTo, type Network } from './network.ts';
import { allSplits, groupsText, type Groups } from './partitions.ts';

/** Fault budget usage, in the order crashes, partitions, drops, duplicates. */
type Used = readonly [number, number, number, number];

export interface World<D, V> {
  readonly nodes: readonly NodeSlot<D, V>[];
  readonly net: Network;
  /** Group per node while partitioned, else null. */
  readonly partition: Groups | null;
  readonly used: Used;
}

const CRASH = 0;
const PARTITION = 1;
const DROP = 2;
const DUPLICATE = 3;

export function compileActors<D, V, M>(spec: ActorSpec<D, V, M>, config: RunConfig): TransitionSystem<World<D, V>> {
  const n = spec.nodeCount;
  const kind = config.network;
  const budget: Used = [config.faults.crashes, config.faults.partitions, config.faults.drops, config.faults.duplicates];
  const table = new EnvelopeTable<M>();
  const splits = budget[PARTITION] > 0 ? allSplits(n) : [];
  const name = (id: NodeId): string => (id === CLIENT ? 'client' : spec.nodeName ? spec.nodeName(id) : `n${id}`);
  const msgText = (msg: M): string => (spec.describeMessage ? spec.describeMessage(msg) : JSON.stringify(toJson(msg)));
  const slotHashes = new WeakMap<NodeSlot<D, V>, Fingerprint>();
  const worldHashes = new WeakMap<World<D, V>, Fingerprint>();
  const fixedEvents = {
    crash: Array.from({ length: n }, (_, node) => Object.freeze({ kind: 'crash', node }) as Event),
    restart: Array.from({ length: n }, (_, node) => Object.freeze({ kind: 'restart', node }) as Event),
    partition: splits.map((groups) => Object.freeze({ kind: 'partition', groups }) as Event),
    heal: Object.freeze({ kind: 'heal' }) as Event,
  };

  const connected = (w: World<D, V>, from: NodeId, to: NodeId): boolean =>
    w.partition === null || from === CLIENT || w.partition[from] === w.partition[to];

  /** Apply a handler's step to node `id` of a world whose network is `net`. */
  const applyStep = (w: World<D, V>, net: Network, id: NodeId, step: Step<D, V, M>): World<D, V> => {
    const old = w.nodes[id];
    let timers = old.timers;
    if (step.cancelTimers?.length) timers = timers.filter((t) => !step.cancelTimers!.includes(t));
    if (step.setTimers?.length) timers = [...new Set([...timers, ...step.setTimers])].sort();
    const slot: NodeSlot<D, V> = Object.freeze({ up: true, durable: step.state.durable, volatile: step.state.volatile, timers: Object.freeze(timers) });
    const nodes = w.nodes.slice();
    nodes[id] = slot;
    for (const s of step.send ?? []) {
      if (!Number.isInteger(s.to) || s.to < 0 || s.to >= n) throw new Error(`${name(id)} sends to unknown node ${s.to}`);
      net = sendTo(kind, table, net, table.intern(id, s.to, s.msg));
    }
    return Object.freeze({ nodes: Object.freeze(nodes), net: Object.freeze(net), partition: w.partition, used: w.used });
  };

  const withUsed = (w: World<D, V>, which: number): Used => {
    const used = [...w.used] as [number, number, number, number];
    used[which]++;
    return Object.freeze(used);
  };

  const stateOf = (slot: NodeSlot<D, V>) => ({ durable: slot.durable, volatile: slot.volatile as V });

  const idOf = (event: Event): number => {
    const id = table.find(event.from as number, event.to as number, event.msg);
    if (id === undefined) throw new Error(`message ${canonical(event.msg)} from ${String(event.from)} to ${String(event.to)} was never sent`);
    return id;
  };

  function enabled(w: World<D, V>): Event[] {
    const out: Event[] = [];
    for (const id of deliverable(kind, table, w.net)) {
      const e = table.envelopes[id];
      if (w.nodes[e.to].up && connected(w, e.from, e.to)) out.push(table.deliverEvents[id]);
    }
    w.nodes.forEach((slot, node) => {
      if (slot.up) for (const timer of slot.timers) out.push({ kind: 'timer', node, timer });
    });
    for (let node = 0; node < n; node++) {
      if (w.nodes[node].up && w.used[CRASH] < budget[CRASH]) out.push(fixedEvents.crash[node]);
      if (!w.nodes[node].up) out.push(fixedEvents.restart[node]);
    }
    if (w.partition === null && w.used[PARTITION] < budget[PARTITION]) out.push(...fixedEvents.partition);
    if (w.partition !== null) out.push(fixedEvents.heal);
    if (kind !== 'set') {
      const ids = kind === 'fifo' ? deliverable(kind, table, w.net) : distinctIds(w.net);
      if (w.used[DROP] < budget[DROP]) for (const id of ids) out.push({ ...table.deliverEvents[id], kind: 'drop' });
      if (kind === 'unordered' && w.used[DUPLICATE] < budget[DUPLICATE]) {
        for (const id of ids) out.push({ ...table.deliverEvents[id], kind: 'duplicate' });
      }
    }
    return out;
  }

  function step(w: World<D, V>, event: Event): World<D, V> {
    const fail = (why: string): never => {
      throw new Error(`event not enabled: ${describe(event)} (${why})`);
    };
    switch (event.kind) {
      case 'deliver': {
        const id = idOf(event);
        const env = table.envelopes[id];
        if (!deliverable(kind, table, w.net).includes(id)) fail('not deliverable');
        if (!w.nodes[env.to].up) fail('receiver is down');
        if (!connected(w, env.from, env.to)) fail('partitioned');
        const net = kind === 'set' ? w.net : removeOne(w.net, id);
        const result = spec.onMessage(env.to, stateOf(w.nodes[env.to]), env.from, env.msg);
        if (result === undefined) return Object.freeze({ ...w, net: Object.freeze(net) });
        return applyStep(w, net, env.to, result);
      }
      case 'timer': {
        const node = event.node as number;
        const slot = w.nodes[node];
        if (!slot?.up || !slot.timers.includes(event.timer as string)) fail('timer not armed');
        // The timer fires once: it is disarmed before the handler runs (the handler may re-arm it).
        const nodes = w.nodes.slice();
        nodes[node] = Object.freeze({ ...slot, timers: Object.freeze(slot.timers.filter((t) => t !== event.timer)) });
        const disarmed: World<D, V> = Object.freeze({ ...w, nodes: Object.freeze(nodes) });
        const result = spec.onTimer(node, stateOf(slot), event.timer as string);
        return result === undefined ? disarmed : applyStep(disarmed, w.net, node, result);
      }
      case 'crash': {
        const node = event.node as number;
        if (!w.nodes[node]?.up) fail('node is down');
        if (w.used[CRASH] >= budget[CRASH]) fail('crash budget spent');
        const nodes = w.nodes.slice();
        nodes[node] = Object.freeze({ up: false, durable: w.nodes[node].durable, volatile: null, timers: Object.freeze([]) });
        return Object.freeze({ ...w, nodes: Object.freeze(nodes), used: withUsed(w, CRASH) });
      }
      case 'restart': {
        const node = event.node as number;
        if (w.nodes[node] === undefined || w.nodes[node].up) fail('node is up');
        return applyStep(w, w.net, node, spec.onRestart(node, w.nodes[node].durable));
      }
      case 'partition': {
        if (w.partition !== null) fail('already partitioned');
        if (w.used[PARTITION] >= budget[PARTITION]) fail('partition budget spent');
        const groups = splits.find((g) => canonical(g) === canonical(event.groups));
        if (!groups) fail('not a split of the nodes');
        return Object.freeze({ ...w, partition: groups!, used: withUsed(w, PARTITION) });
      }
      case 'heal':
        if (w.partition === null) fail('not partitioned');
        return Object.freeze({ ...w, partition: null });
      case 'drop':
      case 'duplicate': {
        if (kind === 'set') fail(`no ${event.kind} on a set network`);
        const which = event.kind === 'drop' ? DROP : DUPLICATE;
        if (which === DUPLICATE && kind === 'fifo') fail('no duplication on a fifo network');
        if (w.used[which] >= budget[which]) fail(`${event.kind} budget spent`);
        const id = idOf(event);
        if (!w.net.includes(id)) fail('not in flight');
        if (kind === 'fifo' && !deliverable(kind, table, w.net).includes(id)) fail('only a channel head can be dropped');
        const net = which === DROP ? removeOne(w.net, id) : sendTo(kind, table, w.net, id);
        return Object.freeze({ ...w, net: Object.freeze(net), used: withUsed(w, which) });
      }
      default:
        return fail(`unknown event kind ${event.kind}`);
    }
  }

  function describe(event: Event): string {
    switch (event.kind) {
      case 'deliver':
        return `${name(event.from as number)} -> ${name(event.to as number)}: ${msgText(event.msg as M)}`;
      case 'timer':
        return `${name(event.node as number)}: timer '${String(event.timer)}' fires`;
      case 'crash':
        return `${name(event.node as number)} CRASHES (volatile state lost)`;
      case 'restart':
        return `${name(event.node as number)} restarts from its durable state`;
      case 'partition':
        return `network PARTITIONS into ${groupsText(event.groups as Groups, name)}`;
      case 'heal':
        return 'network heals';
      case 'drop':
        return `network DROPS ${name(event.from as number)} -> ${name(event.to as number)}: ${msgText(event.msg as M)}`;
      case 'duplicate':
        return `network DUPLICATES ${name(event.from as number)} -> ${name(event.to as number)}: ${msgText(event.msg as M)}`;
      default:
        return canonical(event);
    }
  }

  const slotHash = (slot: NodeSlot<D, V>): Fingerprint => {
    let fp = slotHashes.get(slot);
    if (!fp) {
      fp = { lo: 0, hi: 0 };
      hashString(canonical(slot), fp);
      slotHashes.set(slot, fp);
    }
    return fp;
  };

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
    let w: World<D, V> = {
      nodes: Array.from({ length: n }, () => Object.freeze({ up: true, durable: undefined as D, volatile: null, timers: Object.freeze([]) })),
      net: Object.freeze([]),
      partition: null,
      used: Object.freeze([0, 0, 0, 0]) as Used,
    };
    for (let id = 0; id < n; id++) w = applyStep(w, w.net, id, spec.init(id));
    let net = w.net;
    for (const r of spec.clientRequests ?? []) net = sendTo(kind, table, net, table.intern(CLIENT, r.to, r.msg));
    return Object.freeze({ ...w, net: Object.freeze(net) });
  }

  return {
    initialStates: () => [initialWorld()],
    forEachSuccessor(w, visit) {
      const events = enabled(w);
      for (let i = 0; i < events.length; i++) {
        const next = step(w, events[i]);
        visit(next, i);
      }
      return events.length;
    },
    enabled,
    step,
    fingerprint(w, out) {
      let fp = worldHashes.get(w);
      if (!fp) {
        const acc = { lo: 0x1234567, hi: 0x7654321 };
        for (const slot of w.nodes) {
          const h = slotHash(slot);
          combineOrdered(acc, h.lo, h.hi);
        }
        combineOrdered(acc, w.net.length, 0x6e6574);
        for (const id of w.net) combineOrdered(acc, table.hashLo[id], table.hashHi[id]);
        combineOrdered(acc, w.partition === null ? -1 : w.partition.length, w.used[0] | (w.used[1] << 8) | (w.used[2] << 16) | (w.used[3] << 24));
        if (w.partition !== null) for (const g of w.partition) combineOrdered(acc, g, 0x70);
        fp = { lo: acc.lo, hi: acc.hi };
        worldHashes.set(w, fp);
      }
      out.lo = fp.lo;
      out.hi = fp.hi;
    },
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
