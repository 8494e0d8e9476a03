// The network semantics themselves: FIFO order on `fifo` and `tcp`, and the rules of a tcp
// connection (a crash of either end or a separating partition closes it, discards what was in
// flight on it, and is reported to the surviving ends; a send to a down or cut-off node is lost).
import { describe, expect, it } from 'vitest';
import { bfs } from '../../src/explore/bfs.ts';
import type { FaultBudgets, NetworkKind, RunConfig } from '../../src/model/define.ts';
import type { TransitionSystem } from '../../src/model/system.ts';
import { newFingerprint } from '../../src/util/hash.ts';
import { resolveConfig } from '../../src/model/resolve.ts';
import { splitsOf } from '../../src/world/partitions.ts';
import { pingModel } from '../fixtures/ping.ts';
import { compileActors, type ActorSystem, type ActorWorld } from '../../src/world/actor-system.ts';
import { streamProtocol, type StreamDurable } from '../fixtures/stream.ts';

const NONE: FaultBudgets = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 };
type StreamSystem = ActorSystem<StreamDurable, { ticks: number }, { seq: number }>;

function system(network: NetworkKind, faults: Partial<FaultBudgets> = {}, nodes = 2, ticks = 2, only?: string) {
  const config: RunConfig = { network, faults: { ...NONE, ...faults } };
  const spec = streamProtocol(nodes, ticks);
  const properties = only ? spec.properties.filter((p) => p.name === only || p.kind === 'reachable') : spec.properties;
  return compileActors({ ...spec, properties }, config) as StreamSystem;
}

/** Every reachable world, by fingerprint (small systems only). */
function allWorlds(sys: StreamSystem): ActorWorld[] {
  const seen = new Set<string>();
  const fp = newFingerprint();
  const out: ActorWorld[] = [];
  const queue = sys.initialStates();
  while (queue.length) {
    const w = queue.pop()!;
    sys.fingerprint(w, fp);
    const key = `${fp.hi}:${fp.lo}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(w);
    sys.forEachSuccessor(w, (next) => queue.push(sys.retain(next)));
  }
  return out;
}

const check = (sys: TransitionSystem<unknown>) => bfs(sys, {});

describe('FIFO order', () => {
  it('holds on fifo and tcp networks: no message overtakes an earlier one on its channel', () => {
    for (const network of ['fifo', 'tcp'] as const) {
      const outcome = check(system(network, { crashes: 1, partitions: 1 }, 2, 3, 'InOrder'));
      expect(outcome.result, network).toBe('pass');
    }
  });

  it('is not given by an unordered network (the property can fail)', () => {
    const outcome = check(system('unordered'));
    expect(outcome.violation?.property).toBe('InOrder');
    // Two sends on one channel, then the later one delivered first.
    expect(outcome.violation?.length).toBe(4);
  });

  it('makes only the head of each channel deliverable, in send order', () => {
    const sys = system('fifo');
    let w = sys.initialStates()[0];
    w = sys.step(w, { kind: 'timer', node: 0, timer: 'tick' });
    w = sys.step(w, { kind: 'timer', node: 0, timer: 'tick' });
    const deliveries = sys.enabled(w).filter((e) => e.kind === 'deliver');
    expect(deliveries).toEqual([{ kind: 'deliver', from: 0, to: 1, msg: { seq: 0 } }]);
    w = sys.step(w, deliveries[0]);
    expect(sys.enabled(w).filter((e) => e.kind === 'deliver')).toEqual([{ kind: 'deliver', from: 0, to: 1, msg: { seq: 1 } }]);
  });
});

describe('tcp connections', () => {
  it('discard what was in flight when they close: nothing sent before a break arrives after it', () => {
    const outcome = check(system('tcp', { crashes: 1, partitions: 1 }));
    expect(outcome.result).toBe('pass');
    expect(outcome.distinctStates).toBe(2809);
  });

  it('are what makes that hold: on fifo, a message sent before a crash is delivered after the restart', () => {
    const sys = system('fifo', { crashes: 1 }, 2, 1);
    expect(check(system('fifo', { crashes: 1 })).violation?.property).toBe('NoStaleInFlight');
    let w = sys.initialStates()[0];
    w = sys.step(w, { kind: 'timer', node: 0, timer: 'tick' });
    w = sys.step(w, { kind: 'crash', node: 0 });
    w = sys.step(w, { kind: 'restart', node: 0 });
    const stale = sys.properties.find((p) => p.name === 'NoStaleInFlight')!;
    expect(stale.test(w)).toBe(false);
  });

  it('close when either end crashes: both directions are emptied and the survivors are told, in node order', () => {
    const sys = system('tcp', { crashes: 1 }, 3, 1);
    let w = sys.initialStates()[0];
    for (const node of [0, 1, 2]) w = sys.step(w, { kind: 'timer', node, timer: 'tick' });
    expect(sys.view(w).messages.length).toBe(6);
    w = sys.step(w, { kind: 'crash', node: 1 });
    expect(sys.show(w)).toMatchObject({ inFlight: ['n2 -> n0: {"seq":0}', 'n0 -> n2: {"seq":0}'] });
    const { nodes } = sys.view(w);
    expect(nodes[0].durable.disconnects).toEqual([1]);
    expect(nodes[2].durable.disconnects).toEqual([1]);
    expect(nodes[1].durable.disconnects).toEqual([]);
  });

  it('refuse sends to a node that is down, and a restart opens a fresh connection', () => {
    const sys = system('tcp', { crashes: 1 });
    let w = sys.initialStates()[0];
    w = sys.step(w, { kind: 'crash', node: 1 });
    w = sys.step(w, { kind: 'timer', node: 0, timer: 'tick' });
    expect(sys.view(w).messages.length).toBe(0);
    w = sys.step(w, { kind: 'restart', node: 1 });
    w = sys.step(w, { kind: 'timer', node: 0, timer: 'tick' });
    expect(sys.enabled(w).filter((e) => e.kind === 'deliver')).toEqual([{ kind: 'deliver', from: 0, to: 1, msg: { seq: 1 } }]);
  });

  it('close across a partition and stay closed after it heals; sends across it are lost', () => {
    const sys = system('tcp', { partitions: 1 }, 3, 2);
    let w = sys.initialStates()[0];
    for (const node of [0, 1, 2]) w = sys.step(w, { kind: 'timer', node, timer: 'tick' });
    w = sys.step(w, { kind: 'partition', groups: [0, 0, 1] });
    expect(sys.show(w)).toMatchObject({ inFlight: ['n1 -> n0: {"seq":0}', 'n0 -> n1: {"seq":0}'] });
    expect(sys.view(w).nodes.map((n) => n.durable.disconnects)).toEqual([[2], [2], [0, 1]]);
    w = sys.step(w, { kind: 'timer', node: 2, timer: 'tick' });
    expect(sys.view(w).messages.length).toBe(2);
    w = sys.step(w, { kind: 'heal' });
    expect(sys.view(w).messages.length).toBe(2);
  });

  it('never hold a message between nodes that are apart or down, in any reachable world', () => {
    const worlds = [system('tcp', { crashes: 1 }, 3, 1), system('tcp', { partitions: 1 }, 3, 1)].flatMap((sys) => allWorlds(sys).map((w) => [sys, w] as const));
    expect(worlds.length).toBe(2675 + 5853);
    let partitioned = 0;
    for (const [sys, w] of worlds) {
      const picture = sys.show(w) as { inFlight: string[] };
      const { nodes, partition } = sys.view(w);
      for (const line of picture.inFlight) {
        const [from, to] = /^n(\d) -> n(\d)/.exec(line)!.slice(1).map(Number);
        expect(nodes[from].up && nodes[to].up, line).toBe(true);
        if (partition) expect(partition[from], line).toBe(partition[to]);
      }
      if (partition) partitioned++;
    }
    expect(partitioned).toBeGreaterThan(0);
  });

  it('lose nothing else: drop and duplicate faults are not offered', () => {
    const sys = system('tcp', { drops: 1, duplicates: 1 });
    let w = sys.initialStates()[0];
    w = sys.step(w, { kind: 'timer', node: 0, timer: 'tick' });
    expect(sys.enabled(w).map((e) => e.kind).sort()).toEqual(['deliver', 'timer', 'timer']);
  });

  it('make a partition a fault with behaviour of its own: more states than without it, and more than on fifo', () => {
    const without = check(system('tcp')).distinctStates;
    const tcp = check(system('tcp', { partitions: 1 })).distinctStates;
    const fifo = check(system('fifo', { partitions: 1 })).distinctStates;
    expect([without, tcp, fifo]).toEqual([36, 497, 172]);
  });
});

describe('partitions on unordered and fifo networks', () => {
  it('lose what is in flight across them and what is sent across them, and keep the rest', () => {
    for (const network of ['unordered', 'fifo'] as const) {
      const sys = system(network, { partitions: 1 }, 3, 3);
      let w = sys.initialStates()[0];
      for (const node of [0, 1, 2]) w = sys.step(w, { kind: 'timer', node, timer: 'tick' });
      expect(sys.view(w).messages.length, network).toBe(6);
      w = sys.step(w, { kind: 'partition', groups: [0, 0, 1] });
      expect(sys.show(w), network).toMatchObject({ inFlight: ['n1 -> n0: {"seq":0}', 'n0 -> n1: {"seq":0}'] });
      w = sys.step(w, { kind: 'timer', node: 2, timer: 'tick' });
      expect(sys.view(w).messages.length, network).toBe(2);
      w = sys.step(w, { kind: 'heal' });
      w = sys.step(w, { kind: 'timer', node: 2, timer: 'tick' });
      expect(sys.view(w).messages.length, network).toBe(4);
    }
  });

  it('only block delivery on a set network, where messages are never lost', () => {
    const sys = system('set', { partitions: 1 }, 3, 1);
    let w = sys.initialStates()[0];
    w = sys.step(w, { kind: 'timer', node: 2, timer: 'tick' });
    w = sys.step(w, { kind: 'partition', groups: [0, 0, 1] });
    expect(sys.view(w).messages.length).toBe(2);
    expect(sys.enabled(w).filter((e) => e.kind === 'deliver')).toEqual([]);
    w = sys.step(w, { kind: 'heal' });
    expect(sys.enabled(w).filter((e) => e.kind === 'deliver').length).toBe(2);
  });
});

describe('--partition-kinds', () => {
  it('offers every split, the two-group splits, or the splits that cut one node off', () => {
    expect([2, 3, 4, 5].map((n) => splitsOf(n).length)).toEqual([1, 4, 14, 51]);
    expect([2, 3, 4, 5].map((n) => splitsOf(n, 'halves').length)).toEqual([1, 3, 7, 15]);
    expect([2, 3, 4, 5].map((n) => splitsOf(n, 'isolate').length)).toEqual([1, 3, 4, 5]);
    expect(splitsOf(4, 'isolate')).toEqual([[0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0], [0, 1, 1, 1]]);
  });

  it('makes the partition events of a run, and fewer kinds reach fewer states', () => {
    const counts = (['all', 'halves', 'isolate'] as const).map((partitionKinds) => {
      const sys = compileActors(streamProtocol(4, 1), { network: 'unordered', faults: { ...NONE, partitions: 1 }, partitionKinds });
      expect(sys.enabled(sys.initialStates()[0]).filter((e) => e.kind === 'partition').length).toBe(splitsOf(4, partitionKinds).length);
      return check(sys).distinctStates;
    });
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBeGreaterThan(counts[2]);
  });

  it('is checked at the edge: an unknown kind is refused with the known ones', () => {
    expect(resolveConfig(pingModel, { partitionKinds: 'halves' }).partitionKinds).toBe('halves');
    expect(() => resolveConfig(pingModel, { partitionKinds: 'thirds' })).toThrow(/all, halves, isolate/);
  });
});
