// Small random actor models for the partial-order reduction tests: every handler is a fixed
// pseudo-random function of its inputs (node, durable and volatile state, sender, message), over
// tiny state spaces, so one seed is one model. A node may send at most SEND_BUDGET times (the count
// is durable, so crashes do not reset it), which keeps every model finite.
import fc from 'fast-check';
import type { ActorSpec, ActorProperty, Choice, NodeId, Send, Step } from '../../src/model/actor.ts';
import type { NetworkKind, RunConfig } from '../../src/model/define.ts';
import type { Independence, StatePredicate, TransitionSystem } from '../../src/model/system.ts';
import { mixWord, finalMix, newFingerprint } from '../../src/util/hash.ts';
import { compileActors, type ActorWorld } from '../../src/world/actor-system.ts';

type D = { readonly d: number; readonly sent: number };
type V = { readonly v: number };
type M = { readonly m: number };

const SEND_BUDGET = 2;
const MESSAGE_KINDS = 2;

export interface RandomModel {
  readonly seed: number;
  readonly nodes: number;
  /** Handlers ignore node ids and address only themselves, the sender or everyone else. */
  readonly symmetric: boolean;
  readonly choices: boolean;
  readonly network: NetworkKind;
  readonly crashes: number;
  readonly partitions: number;
  readonly drops: number;
  readonly duplicates: number;
  readonly symmetry: boolean;
}

const hash = (...words: number[]): number => finalMix(words.reduce((h, w) => mixWord(h, w | 0), 0x2545f491)) >>> 0;

export const randomModel: fc.Arbitrary<RandomModel> = fc
  .record({
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
    nodes: fc.integer({ min: 2, max: 3 }),
    symmetric: fc.boolean(),
    choices: fc.boolean(),
    network: fc.constantFrom<NetworkKind>('set', 'unordered', 'fifo', 'tcp'),
    crashes: fc.integer({ min: 0, max: 1 }),
    partitions: fc.integer({ min: 0, max: 1 }),
    drops: fc.integer({ min: 0, max: 1 }),
    duplicates: fc.integer({ min: 0, max: 1 }),
  })
  .map((r) => ({ ...r, symmetry: r.symmetric && r.seed % 2 === 0 }));

/** The actor spec a random model stands for. */
export function randomSpec(model: RandomModel, invariantSeed: number | null = null): ActorSpec<D, V, M> {
  const { seed, nodes: n, symmetric } = model;
  const others = (id: NodeId): NodeId[] => Array.from({ length: n }, (_, i) => i).filter((i) => i !== id);

  /** One step from a behaviour word `r`: new state, sends (within budget) and timer changes. */
  const stepOf = (id: NodeId, durable: D, r: number, from: NodeId | null): Step<D, V, M> => {
    let sent = durable.sent;
    const send: Send<M>[] = [];
    const count = (r >>> 2) % 3;
    for (let i = 0; i < count && sent < SEND_BUDGET; i++, sent++) {
      const msg = { m: (r >>> (5 + 3 * i)) % MESSAGE_KINDS };
      const target = (r >>> (4 + 3 * i)) % 3;
      if (!symmetric) send.push({ to: (r >>> (12 + 2 * i)) % n, msg });
      else if (target === 0) send.push({ to: id, msg });
      else if (target === 1 && from !== null && from >= 0) send.push({ to: from, msg });
      else for (const to of others(id)) send.push({ to, msg });
    }
    const timers = (r >>> 18) % 4;
    return {
      state: { durable: { d: r % 2, sent }, volatile: { v: (r >>> 1) % 2 } },
      send,
      ...(timers === 1 ? { setTimers: ['t'] } : timers === 2 ? { cancelTimers: ['t'] } : timers === 3 ? { setTimers: ['u'] } : {}),
    };
  };

  /** A handler's answer: ignored now and then, a choice of two steps in specs with choices. */
  const answer = (id: NodeId, durable: D, r: number, from: NodeId | null): Step<D, V, M> | Choice<D, V, M> | undefined => {
    if ((r >>> 20) % 8 === 0) return undefined;
    const step = stepOf(id, durable, r, from);
    if (model.choices && (r >>> 23) % 3 === 0) return { choose: [step, stepOf(id, durable, hash(r, 7), from)] };
    return step;
  };
  const who = (id: NodeId): number => (symmetric ? 0 : id + 1);

  const properties: ActorProperty<D, V, M>[] = [];
  // Targets: each node (any node, when nodes are interchangeable) in each (d, v). BFS must reach
  // each first at the same depth with and without reduction.
  for (let id = 0; id < (symmetric ? 1 : n); id++) {
    for (let d = 0; d < 2; d++) {
      for (let v = 0; v < 2; v++) {
        const holds = (s: { durable: D; volatile: V | null }) => s.durable.d === d && s.volatile?.v === v;
        properties.push({
          name: symmetric ? `any-${d}${v}` : `n${id}-${d}${v}`,
          description: `${symmetric ? 'a node' : `n${id}`} holds d=${d}, v=${v}`,
          kind: 'reachable',
          test: (w) => (symmetric ? w.nodes.some(holds) : holds(w.nodes[id])),
        });
      }
    }
  }
  if (invariantSeed !== null) {
    // A random invariant over the nodes' valuations (symmetric in the nodes when the model is).
    const bad = (s: { d: number; v: number | undefined }, i: number) => hash(invariantSeed, symmetric ? 0 : i, s.d, s.v ?? 2) % 5 === 0;
    properties.push({
      name: 'Random',
      description: 'no two nodes in bad valuations',
      kind: 'invariant',
      test: (w) => w.nodes.filter((s, i) => bad({ d: s.durable.d, v: s.volatile?.v }, i)).length < 2,
    });
  }

  return {
    nodeCount: n,
    choices: model.choices,
    init: (id) => stepOf(id, { d: 0, sent: 0 }, hash(seed, who(id), 101), null),
    onMessage: (id, state, from, msg) =>
      answer(id, state.durable, hash(seed, who(id), 1, state.durable.d, state.durable.sent, state.volatile.v, symmetric ? (from === -1 ? 1 : 0) : from + 2, msg.m), from),
    onTimer: (id, state, timer) => answer(id, state.durable, hash(seed, who(id), 2, state.durable.d, state.durable.sent, state.volatile.v, timer === 't' ? 0 : 1), null),
    onRestart: (id, durable) => stepOf(id, durable, hash(seed, who(id), 3, durable.d, durable.sent), null),
    onDisconnect: (id, state, peer) => {
      const r = hash(seed, who(id), 4, state.durable.d, state.volatile.v, symmetric ? 0 : peer);
      return r % 2 === 0 ? undefined : stepOf(id, state.durable, r, peer);
    },
    clientRequests: symmetric ? [] : [{ to: 0, msg: { m: seed % MESSAGE_KINDS } }],
    describeMessage: (msg) => `m${msg.m}`,
    properties,
    symmetry: symmetric
      ? { groups: [Array.from({ length: n }, (_, i) => i)], renameDurable: (d) => d, renameVolatile: (v) => v, renameMessage: (m) => m }
      : undefined,
  };
}

export function configOf(model: RandomModel): RunConfig {
  return {
    network: model.network,
    faults: { crashes: model.crashes, partitions: model.partitions, drops: model.drops, duplicates: model.duplicates },
    symmetry: model.symmetry,
  };
}

/** The system of a random model, with a property that records the fingerprint of every state it is asked about. */
export function recordingSystem(model: RandomModel, invariantSeed: number | null = null) {
  const system = compileActors(randomSpec(model, invariantSeed), configOf(model));
  const seen = new Set<string>();
  /** Fingerprints in the order the search first checked them. */
  const order: string[] = [];
  const fp = newFingerprint();
  const recorder: StatePredicate<ActorWorld> = {
    name: 'Recorder',
    description: 'records every state checked',
    kind: 'invariant',
    test: (w) => {
      system.fingerprint(w, fp);
      const key = `${fp.lo}:${fp.hi}`;
      if (!seen.has(key)) order.push(key);
      seen.add(key);
      return true;
    },
  };
  return { system: { ...system, properties: [recorder, ...system.properties] } as TransitionSystem<ActorWorld>, seen, order };
}

/**
 * The same system with a wrong independence relation: events of one node are declared independent
 * whenever their keys differ in a hash (two deliveries to the same node "commute").
 */
export function withBrokenIndependence<S>(system: TransitionSystem<S>): TransitionSystem<S> {
  const real = system.independence!;
  const wrong = (key: number, footprint: number): number => (footprint === -1 ? -1 : 1 << (hash(key) % 30));
  const independence: Independence<S> = {
    same: real.same,
    exact: real.exact,
    footprintOf: (key) => wrong(key, real.footprintOf(key)),
    forEachSuccessorOf: (state, take, visit) => real.forEachSuccessorOf(state, (key, footprint, index) => take(key, wrong(key, footprint), index), visit),
  };
  return { ...system, independence };
}
