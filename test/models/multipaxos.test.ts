// The Multi-Paxos kv store: the protocol as designed keeps its logs in agreement and its clients'
// history linearizable under faults, exhaustively; each mutant is found by its declared check, and
// its counterexample replays and shows the clients' history the checker rejects.
import { describe, expect, it } from 'vitest';
import { historyOf, isLinearizable, judge } from '../../models/multipaxos/history.ts';
import { multipaxos } from '../../models/multipaxos/index.ts';
import { applyOperation, WORKLOAD } from '../../models/multipaxos/kv.ts';
import type { Durable, Msg, ServerDurable, ServerVolatile, Volatile } from '../../models/multipaxos/types.ts';
import { check, modelParams, replay, simulate, SPECS, type CheckOptions, type CheckResult, type NodeSlot, type Operation, type WorldView } from '../../src/index.ts';

const NO_FAULTS = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } as const;

const checkMultiPaxos = (variant: string, options: CheckOptions = {}) => check(multipaxos, { variant, ...options });

/** The variant checked as it declares (its strategy and parameters), as `ordeal summary` checks it. */
const checkDeclared = (variant: string) => {
  const declared = multipaxos.variants[variant].check;
  const strategy = declared?.strategy ?? 'bfs';
  if (strategy !== 'bfs' && strategy !== 'dfs') throw new Error(`${variant} declares a simulation`);
  return checkMultiPaxos(variant, { strategy, params: declared?.params });
};

/** The counterexample's events, one line each, as `ordeal replay` prints them (without the state diffs). */
const story = (result: CheckResult): string[] => result.timeline!.split('\n').flatMap((line) => /^ +\d+\. (.*)$/.exec(line)?.[1] ?? []);

/** The clients node's history at the end of the counterexample: what its timeline shows appended, in order. */
const clientHistory = (result: CheckResult): string[] =>
  result.timeline!.split('\n').flatMap((line) => /^ +\+ nodes\.clients\.durable\.history (.*)$/.exec(line)?.[1] ?? []);

/** The search ran to its end: nothing but an unreached target can have left it inconclusive. */
const complete = (result: CheckResult): boolean => result.result !== 'violation' && result.inconclusiveReasons.every((r) => /^target '\w+' .* was never reached$/.test(r));

describe('multipaxos: the protocol as designed', () => {
  it('keeps every property without faults: 2,094 states to depth 22; a command is decided after 5 events, an operation returns after 6', async () => {
    const o = await checkMultiPaxos('default', NO_FAULTS);
    expect(o.result).toBe('pass');
    expect(o.distinctStates).toBe(2094);
    expect(o.depth).toBe(22);
    expect(o.reachable.map((r) => [r.name, r.reachedAtLength])).toEqual([['CommandDecided', 5], ['OperationCompleted', 6]]);
  });

  it('keeps every property under the default budget of one crash (and restart), exhaustively: 18,322 states', async () => {
    const o = await checkMultiPaxos('default');
    expect(o.result).toBe('pass');
    expect(complete(o)).toBe(true);
    expect(o.distinctStates).toBe(18322);
    expect(o.depth).toBe(24);
  });

  it('keeps every property with a partition, a drop, two crashes, two candidates or two rounds (counts in models/multipaxos/README.md)', async () => {
    for (const [options, states] of [
      [{ ...NO_FAULTS, partitions: 1 }, 28984],
      [{ ...NO_FAULTS, drops: 1 }, 5888],
      [{ crashes: 2 }, 70051],
      [{ ...NO_FAULTS, params: { candidates: 2 } }, 11835],
      [{ ...NO_FAULTS, params: { rounds: 2 } }, 9774],
    ] as const) {
      const o = await checkMultiPaxos('default', options);
      expect(o.result, JSON.stringify(options)).toBe('pass');
      expect(o.distinctStates, JSON.stringify(options)).toBe(states);
    }
  });

  it('deduplicates a retried command: one cas retried once, with a crash, stays linearizable (4,512 states)', async () => {
    const o = await checkMultiPaxos('default', { params: { operations: 1, retries: 1 } });
    expect(o.result).toBe('pass');
    expect(o.distinctStates).toBe(4512);
  });
});

describe('multipaxos: beyond exhaustive bounds', () => {
  /** Swarm simulation with three operations, two retries each, two candidates and two rounds, with every fault kind. */
  const swarm = (variant: string) =>
    simulate(multipaxos, { variant, seed: 7, params: { operations: 3, retries: 2, candidates: 2, rounds: 2 }, strategy: 'swarm', runs: 400, shrink: false });

  it('passes 400 swarm runs with larger bounds (crashes, partitions, drops, duplicates), and a mutant under the same runs does not', async () => {
    const ok = await swarm('default');
    expect(ok.violation).toBeNull();
    expect(ok.runs).toBe(400);
    expect(ok.result).toBe('pass'); // every target reached in some run
    const broken = await swarm('no-dedup');
    expect(broken.violation?.property).toBe('Linearizable');
  });

  it('has pure handlers: under the paranoid guard (frozen inputs, every handler run twice) the default check is unchanged', async () => {
    const o = await checkMultiPaxos('default', { paranoid: true });
    expect(o.result).toBe('pass');
    expect(o.distinctStates).toBe(18322);
  });
});

/** Every mutant: the property its declared check finds broken, states explored, events, and lines its story must contain. */
const MUTANTS: readonly { variant: string; property: string; states: number; length: number; story: RegExp[]; history?: string[]; why?: string }[] = [
  {
    variant: 'local-reads', property: 'Linearizable', states: 35771, length: 12,
    story: [/^s1 -> s2: prepare\(11\)/, /^s1 -> clients: reply\(#0 -> true\)/, /^clients -> s0: request\(#1 get k\)/, /^s0 -> clients: reply\(#1 -> ""\)/],
    history: ['call 0', 'return 0 true', 'call 1', 'return 1 ""'],
    why: 'after #0 cas "k" ""->"1" -> true (the key holds "1"), #1 get "k" -> "" had to take effect by its return (entry 3) but nothing can come next: #1 get "k" -> "": get returned "" but the key holds "1"',
  },
  {
    variant: 'skips-phase-1', property: 'SlotAgreement', states: 1478, length: 10,
    story: [/^s0 -> s2: accept\(0, slot 0, #1 get k\)/, /^s1 -> s2: accept\(11, slot 0, #0 cas/],
  },
  {
    variant: 'ignores-reported-command', property: 'SlotAgreement', states: 4761, length: 12,
    story: [/^s2 -> s1: promise\(11, votes slot 0=0:#1 get k\)/, /^s1 -> s2: accept\(11, slot 0, #0 cas/],
  },
  {
    variant: 'no-dedup', property: 'Linearizable', states: 31134, length: 11,
    story: [/^s0 -> s2: accept\(0, slot 0, #0 cas/, /^s0 -> s2: accept\(0, slot 1, #0 cas/, /^s0 -> clients: reply\(#0 -> false\)/],
    history: ['call 0', 'return 0 false'],
    why: 'after no operation (the key holds ""), #0 cas "k" ""->"1" -> false had to take effect by its return (entry 1) but nothing can come next: #0 cas "k" ""->"1" -> false: cas failed but the key holds "", which it would have matched',
  },
];

describe('multipaxos: the mutants, each found by the check it declares', () => {
  for (const m of MUTANTS) {
    it(`finds ${m.variant} breaking ${m.property} after ${m.length} events (${m.states} states), and the trace replays`, async () => {
      expect(multipaxos.variants[m.variant].check?.strategy ?? 'bfs').toBe('bfs');
      const r = await checkDeclared(m.variant);
      expect(r.asExpected).toBe(true);
      expect(r.violation?.property).toBe(m.property);
      expect(r.distinctStates).toBe(m.states);
      expect(r.violation?.length).toBe(m.length);
      const lines = story(r);
      expect(lines).toHaveLength(m.length);
      for (const pattern of m.story) expect(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
      expect(replay(multipaxos, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: m.property, step: m.length });
      if (m.history) {
        // The counterexample ends with the clients' history the checker rejects, in the client node's state.
        const history = clientHistory(r);
        expect(history).toEqual(m.history);
        expect(judge(history).result).toBe('not-linearizable');
        expect(isLinearizable(history.slice(0, -1))).toBe(true);
      }
      // The violation names what the checker found: the prefix and the operation nothing can follow.
      if (m.why) expect(r.violation?.message?.endsWith(`: ${m.why}`), r.violation?.message).toBe(true);
    });
  }

  it('needs the retry it declares: local-reads and no-dedup pass without retries', async () => {
    for (const variant of ['local-reads', 'no-dedup']) expect((await checkMultiPaxos(variant)).result).toBe('pass');
  });

  it('finds the phase-1 mutants with broadcast messages too', async () => {
    for (const [variant, length] of [['skips-phase-1', 10], ['ignores-reported-command', 12]] as const) {
      const o = await checkMultiPaxos(variant, { params: { broadcast: true }, ...NO_FAULTS });
      expect(o.violation?.property).toBe('SlotAgreement');
      expect(o.violation?.length).toBe(length);
    }
  });
});

describe('multipaxos: counterexamples show the history', () => {
  it('the stale read reads as a story: the clients node records the calls and returns the checker rejects', async () => {
    const r = await checkDeclared('local-reads');
    const text = r.timeline!;
    expect(text).toContain('s1: timer \'elect\' fires');
    expect(text).toContain('+ nodes.clients.durable.history return 0 true');
    expect(text).toContain('+ nodes.clients.durable.history return 1 ""');
    const explanation = judge(clientHistory(r)).explanation!;
    expect(explanation.mustPlace.op).toBe('get');
    expect(explanation.blocked.map((b) => b.reason)).toContain('get returned "" but the key holds "1"');
  });
});

describe('multipaxos: the pieces', () => {
  it('the replica applies operations as the checker\'s kv spec does', () => {
    const values = ['', '1', '2'];
    for (const value of values) {
      WORKLOAD.forEach((w, i) => {
        const { value: after, output } = applyOperation(value, w);
        const op: Operation = {
          index: 0, client: i, call: 0, return: 1, op: w.op, key: 'k', output,
          input: w.op === 'get' ? null : w.op === 'put' ? w.value : { from: w.from, to: w.to },
        };
        expect(SPECS.kv.apply(value, op)).toBe(after);
      });
    }
  });

  it('turns the client node\'s record into a history whose times are positions', () => {
    const h = historyOf(['call 1', 'call 0', 'return 0 true', 'return 1 "1"']);
    expect(h.operations.map((o) => [o.op, o.call, o.return, o.output])).toEqual([['get', 0, 3, '1'], ['cas', 1, 2, true]]);
    expect(isLinearizable(['call 1', 'call 0', 'return 0 true', 'return 1 "1"'])).toBe(true);
    expect(isLinearizable(['call 0', 'return 0 true', 'call 1', 'return 1 ""'])).toBe(false);
    expect(isLinearizable(['call 0', 'return 0 false'])).toBe(false);
    expect(isLinearizable(['call 0', 'call 1', 'return 1 ""'])).toBe(true);
  });

  // Hand-made worlds: the two server properties are not vacuous.
  const spec = multipaxos.protocol(modelParams(multipaxos), 'default');
  const property = (name: string) => spec.properties.find((p) => p.name === name)!;
  const base = [0, 1, 2, 3].map((id) => spec.init(id).state);
  const server = (log: (number | null)[], replica: Partial<ServerVolatile> = {}): NodeSlot<Durable, Volatile> => ({
    up: true, timers: [],
    durable: { ...(base[0].durable as ServerDurable), log },
    volatile: { ...(base[0].volatile as ServerVolatile), ...replica },
  });
  const world = (servers: NodeSlot<Durable, Volatile>[]): WorldView<Durable, Volatile, Msg> => ({
    nodes: [...servers, { up: true, timers: [], durable: base[3].durable, volatile: base[3].volatile }],
    messages: [],
  });

  it('SlotAgreement fails when two servers decided different commands in one slot', () => {
    expect(property('SlotAgreement').test(world([server([0, 1]), server([0]), server([])]))).toBe(true);
    expect(property('SlotAgreement').test(world([server([0, 1]), server([null, 0]), server([])]))).toBe(false);
  });

  it('AppliedInOrder fails when a replica applied past a hole or its state is not its log replayed', () => {
    const ok = server([0, null, 1], { applied: 1, value: '1', outputs: [{ id: 0, output: true }] });
    expect(property('AppliedInOrder').test(world([ok, server([]), server([])]))).toBe(true);
    const pastHole = server([0, null, 1], { applied: 3, value: '1', outputs: [{ id: 0, output: true }, { id: 1, output: '1' }] });
    expect(property('AppliedInOrder').test(world([pastHole, server([]), server([])]))).toBe(false);
    const wrongValue = server([0], { applied: 1, value: '', outputs: [{ id: 0, output: true }] });
    expect(property('AppliedInOrder').test(world([wrongValue, server([]), server([])]))).toBe(false);
  });
});
