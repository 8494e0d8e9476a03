// Zab as a ZooKeeper ensemble on tcp: the protocol as designed keeps every property in small
// configurations and reaches its targets (a leader, a txn on every server, a follower synced by
// each of DIFF, TRUNC and SNAP); each ZooKeeper bug found by BFS is found with a fixed number of
// states and a fixed counterexample length, and the counterexample replays.
import { describe, expect, it } from 'vitest';
import { expectDeclaredFind, story } from './zab-declared.ts';
import { INIT_LIMIT, INIT_TIMER, NOTIFY_TIMER, PING_TIMER, SYNC_LIMIT, SYNC_LIMIT_TIMER } from '../../models/zab/context.ts';
import { zab, zabFor, zabWith } from '../../models/zab/index.ts';
import type { Durable, Msg, Volatile } from '../../models/zab/types.ts';
import { check, defineActorModel, modelParams, replay, shrink, simulate, type ActorSpec, type CheckOptions, type CheckResult, type NodeId, type NodeState, type Step } from '../../src/index.ts';

/** Shrunk lengths of the simulated counterexamples. */
const SHRUNK = { zk1154: 47, zk2355: 51, zk4643: 56 };

const NO_FAULTS = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } as const;

const checkZab = (variant: string, options: CheckOptions = {}) => check(zab, { variant, ...options });

/** The events of a trace's timeline, one line each, as `ordeal replay` prints them (without the state diffs). */

/** The search ran to its end: nothing but an unreached target can have left it inconclusive. */
const complete = (result: CheckResult): boolean => result.result !== 'violation' && result.inconclusiveReasons.every((r) => /^target '\w+' .* was never reached$/.test(r));

describe('zab: the protocol as designed', () => {
  it('elects a leader and establishes it in 10 events without faults or requests', async () => {
    const o = await checkZab('default', { params: { requests: 0 }, ...NO_FAULTS });
    expect(o.result).toBe('inconclusive'); // nothing to commit, no follower to TRUNC or SNAP
    expect(complete(o)).toBe(true);
    expect(o.reachable.find((r) => r.name === 'LeaderEstablished')?.reachedAtLength).toBe(10);
    expect(o.distinctStates).toBe(STATES.noFaultsNoRequests);
  });

  it('keeps every property with two requests and no faults, and commits a txn on every server', async () => {
    const o = await checkZab('default', NO_FAULTS);
    expect(complete(o)).toBe(true);
    expect(o.violation).toBeNull();
    expect(o.distinctStates).toBe(STATES.noFaultsTwoRequests);
    expect(o.reachable.find((r) => r.name === 'CommittedOnEveryServer')?.reachedAtLength).not.toBeNull();
  });

  it('keeps every property with one request and one crash, and reaches every target (DIFF, TRUNC and SNAP syncs)', async () => {
    const o = await checkZab('default', { params: { requests: 1 } });
    expect(o.result).toBe('pass');
    expect(o.distinctStates).toBe(STATES.oneCrashOneRequest);
    for (const r of o.reachable) expect(r.reachedAtLength, r.name).not.toBeNull();
  });

  it('keeps every property with one request and one crash when an empty learner is synced by DIFF (txnlog=true), where a follower that ACKs NEWLEADER before its sync thread wrote would lose a committed txn', async () => {
    const o = await checkZab('default', { params: { requests: 1, txnlog: true } });
    expect(o.violation).toBeNull();
    expect(complete(o)).toBe(true);
    expect(o.distinctStates).toBe(STATES.oneCrashOneRequestTxnLog);
    expect(o.reachable.find((r) => r.name === 'SyncedBySNAP')?.reachedAtLength).toBeNull();
  });
});

/** Mutants BFS finds, with the configuration, the property, the counterexample length and the states explored. */
const ONE = { requests: 1 };
const ONE_TXNLOG = { requests: 1, txnlog: true };
const MUTANTS: readonly { variant: string; params: CheckOptions['params']; property: string; length: number; states: number; story: RegExp[] }[] = [
  { variant: 'zk-335', params: ONE, property: 'Leadership', length: 20, states: 22961, story: [/CRASHES/, /LEADERINFO\(epoch 1\)/] },
  { variant: 'zk-2845', params: ONE, property: 'PrimaryIntegrity', length: 32, states: 291092, story: [/CRASHES/, /^s\d -> s\d: DIFF/] },
  { variant: 'zk-3911', params: ONE_TXNLOG, property: 'CommittedLogDurability', length: 27, states: 139905, story: [/CRASHES/, /DIFF \[1\.1/, /ACK\(NEWLEADER 2\)/] },
  { variant: 'zk-4394', params: ONE, property: 'MessageLegal', length: 24, states: 72032, story: [/proposals \[/, /COMMIT/] },
  { variant: 'zk-4646', params: ONE_TXNLOG, property: 'CommittedLogDurability', length: 27, states: 140353, story: [/CRASHES/, /DIFF \[1\.1/, /ACK\(NEWLEADER 2\)/] },
  { variant: 'zk-4685', params: ONE, property: 'MessageLegal', length: 22, states: 47482, story: [/timer 'sync' fires/, /ACK\(1\.1\)/] },
  { variant: 'zk-4712', params: ONE, property: 'ProcessConsistency', length: 26, states: 111992, story: [/CRASHES/, /timer 'sync' fires/] },
  { variant: 'broadcast-before-quorum', params: ONE, property: 'CommittedLogDurability', length: 24, states: 77351, story: [/NEWLEADER/] },
  { variant: 'epoch-not-above-quorum-unchecked', params: { requests: 0 }, property: 'Leadership', length: 20, states: 19505, story: [/CRASHES/, /FOLLOWERINFO\(acceptedEpoch 1,/, /ACKEPOCH\(currentEpoch 1,/] },
];

describe('zab: ZooKeeper bugs and protocol mistakes, each found by BFS', () => {
  for (const m of MUTANTS) {
    it(`finds ${m.variant} breaking ${m.property} after ${m.length} events, the trace replays and does not shrink`, async () => {
      const r = await checkZab(m.variant, { params: m.params });
      expect(r.violation?.property).toBe(m.property);
      expect(r.asExpected).toBe(true);
      expect(r.violation?.length).toBe(m.length);
      // After the property's description, the message names the servers involved (and the epochs or zxids).
      expect(r.violation?.message).toMatch(/: .*\bs\d\b/);
      expect(r.distinctStates).toBe(m.states);
      const lines = story(r.timeline!);
      expect(lines).toHaveLength(m.length);
      for (const pattern of m.story) expect(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
      expect(replay(zab, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: m.property, step: m.length });
      // BFS counterexamples are shortest: shrinking keeps every event.
      expect(shrink(zab, r.trace!).to).toBe(m.length);
    });
  }
});

/**
 * The new epoch not above a quorum's acceptedEpoch (the leader's own acceptedEpoch + 1) alone: the
 * same BFS that finds it when waitForEpochAck's check is skipped too (above) finds nothing, because
 * the check stops the second leader (see the README). A model of its own, as no variant declares it.
 */
describe('zab: the new epoch not above a quorum\'s acceptedEpoch, alone', () => {
  it('keeps Leadership and every other property by BFS (requests=0, 1 crash): waitForEpochAck\'s check stops the second leader', async () => {
    const alone = defineActorModel({
      name: 'zab-epoch-not-above-quorum', version: 1, description: 'zab with the new epoch taken from the leader\'s own acceptedEpoch',
      params: zab.params, variants: { default: { description: 'epochNotAboveQuorum alone', expected: 'pass' } }, defaultConfig: zab.defaultConfig,
      guard: false,
      protocol: (params) => zabWith(params, { epochNotAboveQuorum: true }),
    });
    const o = await check(alone, { params: { requests: 0 } });
    expect(complete(o)).toBe(true);
    expect(o.violation).toBeNull();
    expect(o.distinctStates).toBe(STATES.epochNotAboveQuorumAlone);
  });
});

/**
 * Mutants that need a second crash or a third request, found by random simulation from the seed
 * each variant declares (tcp, up to 2 crashes and 2 partitions): the run that finds it, the
 * length as simulated and as shrunk, and the shrunk trace replays to the same violation.
 */
const SIMULATED: readonly { variant: string; property: string; run: number; simulated: number; shrunk: number; story: RegExp[] }[] = [
  { variant: 'zk-1154', property: 'PrefixConsistency', run: 239, simulated: 56, shrunk: SHRUNK.zk1154, story: [/FOLLOWERINFO\(acceptedEpoch 1, last 1\.2\)/, /DIFF \[2\.1/] },
  { variant: 'zk-2355', property: 'PrefixConsistency', run: 13, simulated: 55, shrunk: SHRUNK.zk2355, story: [/DIFF \[1\.1/, /FOLLOWERINFO\(acceptedEpoch 1, last 1\.1\)/, /DIFF \[\]/] },
  { variant: 'zk-4643', property: 'CommittedLogDurability', run: 11, simulated: 60, shrunk: SHRUNK.zk4643, story: [/TRUNC/] },
];

describe('zab: ZooKeeper bugs found by simulation from a fixed seed', () => {
  for (const m of SIMULATED) {
    it(`finds ${m.variant} breaking ${m.property} in run ${m.run}, shrinks it from ${m.simulated} to ${m.shrunk} events, and the shrunk trace replays`, async () => {
      const lines = await expectDeclaredFind(m.variant, { strategy: 'random', property: m.property, run: m.run, shrunkFrom: m.simulated, length: m.shrunk });
      expect(lines).toHaveLength(m.shrunk);
      for (const pattern of m.story) expect(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
    });
  }
});

const STATES = { epochNotAboveQuorumAlone: 285163, noFaultsNoRequests: 177, noFaultsTwoRequests: 2106, oneCrashOneRequest: 1363367, oneCrashOneRequestTxnLog: 1387331 };

/**
 * Liveness of the correct model (`liveness=true`: initLimit timeouts and FLE's notification timeout
 * on, LeaderEstablished the only target): after faults stop, a leader is established in every run.
 * Without the timeouts this failed at run 1,883 of seed 1 (a leader whose learners went elsewhere
 * waited for ever).
 */
/** Zab's handlers return one step, never a Choice: typed so, the tests read `.state` directly. */
type OneStep = Omit<ActorSpec<Durable, Volatile, Msg>, 'onMessage' | 'onTimer'> & {
  onMessage(id: NodeId, state: NodeState<Durable, Volatile>, from: NodeId, msg: Msg): Step<Durable, Volatile, Msg> | undefined;
  onTimer(id: NodeId, state: NodeState<Durable, Volatile>, timer: string): Step<Durable, Volatile, Msg> | undefined;
};

describe('zab: liveness with timeouts', () => {
  const spec = zabFor(modelParams(zab, { liveness: true }), 'default') as OneStep;

  it('a leader not established gives up after INIT_LIMIT ticks of its init timer; an established one ignores it', () => {
    const d = spec.init(0).state.durable;
    const vote = { leader: 0, zxid: 0, epoch: 0 };
    const leading = (phase: 'discovery' | 'broadcast') => ({
      durable: d,
      volatile: { waiting: [], role: { state: 'LEADING' as const, round: 1, vote, phase, epoch: 0, learners: [], proposals: [], ticks: 0 } },
    });
    let s = leading('discovery');
    for (let tick = 1; tick < INIT_LIMIT; tick++) {
      const step = spec.onTimer(0, s, INIT_TIMER)!;
      expect(step.state.volatile.role).toMatchObject({ state: 'LEADING', ticks: tick });
      expect(step.setTimers).toEqual([INIT_TIMER]);
      s = step.state as typeof s;
    }
    const last = spec.onTimer(0, s, INIT_TIMER)!;
    expect(last.state.volatile.role).toMatchObject({ state: 'LOOKING', round: 2 });
    expect(last.setTimers).toEqual([NOTIFY_TIMER]);
    expect(spec.onTimer(0, leading('broadcast'), INIT_TIMER)).toBeUndefined();
  });

  it('simulate --liveness passes 300 random runs from seed 1, each establishing a leader after the faults', async () => {
    const r = await simulate(zab, { params: { liveness: true }, strategy: 'random', liveness: true, seed: 1, runs: 300 });
    expect(r.violation).toBeNull();
    // With liveness on, a run that does not establish a leader after the faults is a violation.
    expect(r.runs).toBe(300);
    expect(r.result).toBe('pass');
  });
});

/**
 * Heartbeats (`liveness=true`): an established leader PINGs the learners that answered its last PING
 * and steps down when, with itself, they are not a quorum; a serving follower that hears no PING
 * for SYNC_LIMIT firings of its syncLimit timer goes back to LOOKING. Hand-made states of s0
 * leading s1 and s2 (both UPTODATE) in epoch 1.
 */
describe('zab: heartbeats', () => {
  const spec = zabFor(modelParams(zab, { liveness: true }), 'default') as OneStep;
  const d = { ...spec.init(0).state.durable, acceptedEpoch: 1, currentEpoch: 1 };
  const vote = { leader: 0, zxid: 0, epoch: 0 };
  const learner = (sid: number) => ({ sid, stage: 'uptodate' as const, acceptedEpoch: 1, currentEpoch: 1, lastZxid: 0 });
  const leader = (pinged?: number[]) => ({
    durable: d,
    volatile: { waiting: [], role: { state: 'LEADING' as const, round: 1, vote, phase: 'broadcast' as const, epoch: 1, learners: [learner(1), learner(2)], proposals: [], ...(pinged ? { pinged } : {}) } },
  });
  const follower = (silent: number) => ({
    durable: d,
    volatile: {
      waiting: [],
      role: { state: 'FOLLOWING' as const, round: 1, vote, leader: 0, phase: 'broadcast' as const, newEpoch: 1, queue: [], uncommitted: [], lastCommitted: 0, snapshot: null, syncMode: null, silent },
    },
  });

  it('the leader PINGs every learner that answered, and only those', () => {
    const first = spec.onTimer(0, leader(), PING_TIMER)!;
    expect(first.send).toEqual([{ to: 1, msg: { type: 'PING' } }, { to: 2, msg: { type: 'PING' } }]);
    expect(first.state.volatile.role).toMatchObject({ state: 'LEADING', pinged: [1, 2] });
    expect(first.setTimers).toEqual([PING_TIMER]);
    // s1 answers, s2 does not: s0 and s1 are a quorum; s2 gets no second PING while one is outstanding.
    const answered = spec.onMessage(0, first.state, 1, { type: 'PING' })!;
    expect(answered.state.volatile.role).toMatchObject({ pinged: [2] });
    const second = spec.onTimer(0, answered.state, PING_TIMER)!;
    expect(second.state.volatile.role).toMatchObject({ state: 'LEADING', pinged: [1, 2] });
    expect(second.send).toEqual([{ to: 1, msg: { type: 'PING' } }]);
  });

  it('a leader cut off from a quorum (no learner answered its PINGs) steps down to LOOKING', () => {
    const step = spec.onTimer(0, leader([1, 2]), PING_TIMER)!;
    expect(step.state.volatile.role).toMatchObject({ state: 'LOOKING', round: 2 });
    expect(step.send).toEqual(expect.arrayContaining([{ to: 1, msg: { type: 'CLOSE' } }, { to: 2, msg: { type: 'CLOSE' } }]));
    expect(step.cancelTimers).toContain(PING_TIMER);
  });

  it('a follower answers PING and restarts its clock; without PINGs it goes LOOKING after SYNC_LIMIT firings', () => {
    expect(SYNC_LIMIT).toBe(2);
    const once = spec.onTimer(1, follower(0), SYNC_LIMIT_TIMER)!;
    expect(once.state.volatile.role).toMatchObject({ state: 'FOLLOWING', silent: 1 });
    expect(once.setTimers).toEqual([SYNC_LIMIT_TIMER]);
    const pinged = spec.onMessage(1, once.state, 0, { type: 'PING' })!;
    expect(pinged.send).toEqual([{ to: 0, msg: { type: 'PING' } }]);
    expect(pinged.state.volatile.role).toMatchObject({ state: 'FOLLOWING', silent: 0 });
    const twice = spec.onTimer(1, once.state, SYNC_LIMIT_TIMER)!;
    expect(twice.state.volatile.role).toMatchObject({ state: 'LOOKING', round: 2 });
    expect(twice.send).toEqual(expect.arrayContaining([{ to: 0, msg: { type: 'CLOSE' } }]));
    expect(twice.cancelTimers).toContain(SYNC_LIMIT_TIMER);
  });

  it('a server that closed a session drops the peer\'s packets until the peer\'s answering CLOSE; an unasked CLOSE is answered', () => {
    const looking = spec.init(0).state;
    const draining = { durable: looking.durable, volatile: { ...looking.volatile, draining: [2] } };
    expect(spec.onMessage(0, draining, 2, { type: 'LEADERINFO', epoch: 3 })).toBeUndefined();
    const ended = spec.onMessage(0, draining, 2, { type: 'CLOSE' })!;
    expect(ended.state.volatile.draining).toBeUndefined();
    expect(ended.send ?? []).toEqual([]);
    // A follower whose leader closes the session goes LOOKING and answers with its own CLOSE.
    const closed = spec.onMessage(1, follower(0), 0, { type: 'CLOSE' })!;
    expect(closed.state.volatile.role).toMatchObject({ state: 'LOOKING' });
    expect(closed.send).toContainEqual({ to: 0, msg: { type: 'CLOSE' } });
    expect(closed.state.volatile.draining).toBeUndefined();
    // A follower that gives up (syncLimit) drains its leader's packets until the answer.
    const gaveUp = spec.onTimer(1, spec.onTimer(1, follower(0), SYNC_LIMIT_TIMER)!.state, SYNC_LIMIT_TIMER)!;
    expect(gaveUp.state.volatile.draining).toEqual([0]);
    expect(spec.onMessage(1, gaveUp.state, 0, { type: 'PING' })).toBeUndefined();
  });

  it('a follower starts its syncLimit clock at UPTODATE', () => {
    const acked = follower(0);
    const { silent: _, ...role } = acked.volatile.role;
    const step = spec.onMessage(1, { durable: d, volatile: { waiting: [], role: { ...role, phase: 'acked' as const } } }, 0, { type: 'UPTODATE' })!;
    expect(step.state.volatile.role).toMatchObject({ phase: 'broadcast', silent: 0 });
    expect(step.setTimers).toEqual([SYNC_LIMIT_TIMER]);
  });
});

/**
 * MonotonicRead: every server records (ghost readZxid) the highest zxid it served; a serving server
 * whose applied prefix ends below it breaks the invariant. A hand-made world: a follower that
 * served 1.2, then was resynchronized to a prefix ending at 1.1 (as a TRUNC of a served txn would).
 */
describe('zab: MonotonicRead', () => {
  const spec = zabFor(modelParams(zab), 'default') as OneStep;
  const monotonicRead = spec.properties.find((p) => p.name === 'MonotonicRead')!;
  const txns = [{ zxid: 1.1, op: 'a' }, { zxid: 1.2, op: 'b' }];
  const follower = (history: typeof txns, readZxid: number) => {
    const base = spec.init(1).state;
    const role = {
      state: 'FOLLOWING' as const, round: 1, vote: { leader: 0, zxid: 1.2, epoch: 1 }, leader: 0, phase: 'broadcast' as const, newEpoch: 1,
      queue: [], uncommitted: [], lastCommitted: history[history.length - 1].zxid, snapshot: null, syncMode: null,
    };
    return { up: true, durable: { ...base.durable, history, currentEpoch: 1, acceptedEpoch: 1, readZxid }, volatile: { waiting: [], role }, timers: [] };
  };
  const world = (readZxid: number, history: typeof txns) => ({ nodes: [follower(history, readZxid)], messages: [] });

  it('holds while a server serves at least what it served before, and breaks when it serves less', () => {
    expect(monotonicRead.test(world(1.2, txns))).toBe(true);
    expect(monotonicRead.test(world(1.1, txns))).toBe(true);
    expect(monotonicRead.test(world(1.2, txns.slice(0, 1)))).toBe('s0 served up to 1.2 and now serves only up to 1.1');
  });

  it('the handlers record what a follower serves when UPTODATE arrives', () => {
    const f = follower(txns, 0);
    const step = spec.onMessage(1, { durable: f.durable, volatile: { ...f.volatile, role: { ...f.volatile.role, phase: 'acked' as const } } }, 0, { type: 'UPTODATE' })!;
    expect(step.state.durable.readZxid).toBe(1.2);
  });
});
