// The network records (src/world/network-kinds.ts): each record answers consistently, the engine
// does what each field says (checked on the worlds the stream fixture reaches under every kind),
// and a new record plugs in without touching the engine.
import { afterEach, describe, expect, it } from 'vitest';
import { bfs } from '../../src/explore/bfs.ts';
import type { FaultBudgets, NetworkKind } from '../../src/model/define.ts';
import type { Event } from '../../src/model/system.ts';
import { compileActors, type ActorSystem, type ActorWorld } from '../../src/world/actor-system.ts';
import { NETWORKS, networkOf, type NetworkSemantics } from '../../src/world/network-kinds.ts';
import { streamProtocol, type StreamDurable } from '../fixtures/stream.ts';

const NONE: FaultBudgets = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 };
const ALL_FAULTS: FaultBudgets = { crashes: 1, partitions: 1, drops: 1, duplicates: 1 };
type StreamSystem = ActorSystem<StreamDurable, { ticks: number }, { seq: number }>;
const KINDS = Object.keys(NETWORKS) as NetworkKind[];

function system(network: NetworkKind, faults: FaultBudgets = NONE, nodes = 2, ticks = 2): StreamSystem {
  return compileActors(streamProtocol(nodes, ticks), { network, faults }) as StreamSystem;
}

/** Every world reachable within `limit` worlds, each with its enabled events. */
function walk(sys: StreamSystem, limit = 400): { world: ActorWorld; events: Event[] }[] {
  const out: { world: ActorWorld; events: Event[] }[] = [];
  const queue = sys.initialStates();
  const seen = new Set<string>();
  while (queue.length > 0 && out.length < limit) {
    const world = queue.shift()!;
    const key = world.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const events = sys.enabled(world);
    out.push({ world, events });
    for (const e of events) queue.push(sys.step(world, e));
  }
  return out;
}

describe('each network record', () => {
  it.each(KINDS)('%s: is filed under its own kind and found by it', (kind) => {
    expect(NETWORKS[kind].kind).toBe(kind);
    expect(networkOf(kind)).toBe(NETWORKS[kind]);
  });

  it.each(KINDS)('%s: answers consistently', (kind) => {
    const net: NetworkSemantics = NETWORKS[kind];
    // A network that keeps delivered messages never loses one: no loss, no message faults.
    if (net.keepsDelivered) expect([net.partition, net.drops, net.duplicates]).toEqual(['blocks', false, false]);
    // A duplicate would overtake the messages sent after the original: it breaks per-channel order.
    if (net.ordered) expect(net.duplicates).toBe(false);
    // Closing connections on a partition means the network has connections: a crash closes them too,
    // and a send needs both ends up.
    if (net.partition === 'closes') expect([net.crashClosesConnections, net.losesSendsToDownNodes]).toEqual([true, true]);
    if (net.crashClosesConnections) expect(net.partition).toBe('closes');
  });

  it('keeps the meaning the docs give each built-in kind', () => {
    // ordered, keepsDelivered, mergesCopies, partition, crashClosesConnections, losesSendsToDownNodes, drops, duplicates
    const row = (n: NetworkSemantics) => [n.ordered, n.keepsDelivered, n.mergesCopies, n.partition, n.crashClosesConnections, n.losesSendsToDownNodes, n.drops, n.duplicates];
    expect(Object.fromEntries(KINDS.map((k) => [k, row(NETWORKS[k])]))).toEqual({
      set: [false, true, true, 'blocks', false, false, false, false],
      unordered: [false, false, false, 'loses', false, false, true, true],
      fifo: [true, false, false, 'loses', false, false, true, false],
      tcp: [true, false, false, 'closes', true, true, false, false],
    });
  });

  it('is the only way to name a network: an unknown kind is refused with the known ones', () => {
    expect(() => networkOf('carrier-pigeon' as NetworkKind)).toThrow(/unknown network kind 'carrier-pigeon' \(known: set, unordered, fifo, tcp\)/);
  });
});

describe('the engine does what the record says', () => {
  it.each(KINDS)('%s: message faults are enabled exactly where the record allows them', (kind) => {
    const net = NETWORKS[kind];
    const events = walk(system(kind, ALL_FAULTS)).flatMap((s) => s.events);
    expect(events.some((e) => e.kind === 'drop')).toBe(net.drops);
    expect(events.some((e) => e.kind === 'duplicate')).toBe(net.duplicates);
  });

  it.each(KINDS)('%s: a delivered message stays deliverable exactly when the record keeps it', (kind) => {
    const sys = system(kind);
    let w = sys.step(sys.initialStates()[0], { kind: 'timer', node: 0, timer: 'tick' });
    const delivery = sys.enabled(w).find((e) => e.kind === 'deliver')!;
    w = sys.step(w, delivery);
    expect(sys.enabled(w).includes(delivery)).toBe(NETWORKS[kind].keepsDelivered);
  });

  it.each(KINDS)('%s: only channel heads are deliverable exactly when the record is ordered', (kind) => {
    const sys = system(kind);
    let w = sys.initialStates()[0];
    w = sys.step(w, { kind: 'timer', node: 0, timer: 'tick' });
    w = sys.step(w, { kind: 'timer', node: 0, timer: 'tick' });
    const deliveries = sys.enabled(w).filter((e) => e.kind === 'deliver');
    expect(deliveries.length).toBe(NETWORKS[kind].ordered ? 1 : 2);
  });

  it.each(KINDS)('%s: a partition loses what is in flight across it exactly when the record says it does', (kind) => {
    const sys = system(kind, { ...NONE, partitions: 1 });
    let w = sys.step(sys.initialStates()[0], { kind: 'timer', node: 0, timer: 'tick' });
    w = sys.step(w, sys.enabled(w).find((e) => e.kind === 'partition')!);
    w = sys.step(w, { kind: 'heal' });
    expect(sys.view(w).messages.length).toBe(NETWORKS[kind].partition === 'blocks' ? 1 : 0);
  });

  it.each(KINDS)('%s: a crash closes the connections exactly when the record says so', (kind) => {
    const sys = system(kind, { ...NONE, crashes: 1 });
    let w = sys.step(sys.initialStates()[0], { kind: 'timer', node: 0, timer: 'tick' });
    w = sys.step(w, { kind: 'crash', node: 0 });
    expect(sys.view(w).messages.length).toBe(NETWORKS[kind].crashClosesConnections ? 0 : 1);
    // Node 1 heard of it only where there are connections.
    expect(sys.view(w).nodes[1].durable.disconnects).toEqual(NETWORKS[kind].crashClosesConnections ? [0] : []);
  });
});

describe('a new network kind', () => {
  const registry = NETWORKS as unknown as Record<string, NetworkSemantics>;
  afterEach(() => {
    delete registry['unordered-no-duplicates'];
  });

  it('is one record: an unordered network without duplication is searched with no change to the engine', () => {
    registry['unordered-no-duplicates'] = { ...NETWORKS.unordered, kind: 'unordered-no-duplicates' as NetworkKind, duplicates: false };
    const custom = bfs(system('unordered-no-duplicates' as NetworkKind, ALL_FAULTS), {});
    const events = walk(system('unordered-no-duplicates' as NetworkKind, ALL_FAULTS)).flatMap((s) => s.events);
    expect(events.some((e) => e.kind === 'duplicate')).toBe(false);
    expect(events.some((e) => e.kind === 'drop')).toBe(true);
    // The same state space as `unordered` with no duplicate budget.
    const reference = bfs(system('unordered', { ...ALL_FAULTS, duplicates: 0 }), {});
    expect(custom.distinctStates).toBe(reference.distinctStates);
    expect(custom.result).toBe(reference.result);
  });
});
