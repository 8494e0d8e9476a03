// Full fast leader election (`fle=full`): ZooKeeper's vote order, ZOOKEEPER-1419 found by BFS as a
// vote circle (SandTable's NoVoteCircle), the ghost behind that invariant on hand-made states, and
// the notification timeout that re-sends a LOOKING server's vote to every peer, without which the
// correct model's elections could stall under swarm schedules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { story } from './zab-declared.ts';
import { NOTIFY_TIMER } from '../../models/zab/context.ts';
import { betterVote } from '../../models/zab/election.ts';
import { zab, zabFor } from '../../models/zab/index.ts';
import { NORMAL, type Durable, type Looking, type Msg, type Volatile, type Vote } from '../../models/zab/types.ts';
import { check, modelParams, replay, shrink, simulate, type NodeId, type NodeState, type Step } from '../../src/index.ts';

/** The declared check of zk-1419: BFS, full FLE, no request, tcp, 1 crash (the model's default budget). */
const FULL_FLE_NO_REQUEST = { fle: 'full', requests: 0 } as const;
const ONE_CRASH = { crashes: 1, partitions: 0, drops: 0, duplicates: 0 } as const;
const ZK1419 = { property: 'NoVoteCircle', length: 16, states: 61745 };
/** The correct model under the same bounds, searched to the depth at which the mutant's circle shows. */
const CORRECT_TO_DEPTH = { depth: 17, states: 76328 };

const bfs = (variant: string, maxDepth?: number) => check(zab, { variant, params: FULL_FLE_NO_REQUEST, network: 'tcp', ...ONE_CRASH, maxDepth });

/** The events of a trace's timeline, one line each, as `ordeal replay` prints them (without the state diffs). */

type Handler = (id: NodeId, state: NodeState<Durable, Volatile>, from: NodeId, msg: Msg) => Step<Durable, Volatile, Msg> | undefined;

/** The order of the ZOOKEEPER-1419 mutant. */
const ZK1419_ORDER = { ...NORMAL, voteOrderIgnoresEpoch: true };

describe('zab: the vote order of fast leader election', () => {
  const vote = fc.record({ leader: fc.integer({ min: 0, max: 2 }), zxid: fc.constantFrom(0, 11, 12, 21), epoch: fc.integer({ min: 0, max: 2 }) });
  const same = (a: Vote, b: Vote) => a.leader === b.leader && a.zxid === b.zxid && a.epoch === b.epoch;

  it('is a strict total order as ZooKeeper fixed it: of two different votes exactly one is better, and better is transitive', () => {
    fc.assert(
      fc.property(vote, vote, vote, (a, b, c) => {
        if (!same(a, b)) expect(betterVote(a, b, NORMAL) !== betterVote(b, a, NORMAL)).toBe(true);
        else expect(betterVote(a, b, NORMAL)).toBe(false);
        if (betterVote(a, b, NORMAL) && betterVote(b, c, NORMAL)) expect(betterVote(a, c, NORMAL)).toBe(true);
      }),
      { seed: 1419, numRuns: 2000 },
    );
  });

  it('with ZOOKEEPER-1419\'s missing parentheses, two votes with the same zxid and different epochs each beat the other', () => {
    const higherEpoch: Vote = { leader: 1, zxid: 0, epoch: 1 };
    const higherId: Vote = { leader: 2, zxid: 0, epoch: 0 };
    expect([betterVote(higherEpoch, higherId, NORMAL), betterVote(higherId, higherEpoch, NORMAL)]).toEqual([true, false]);
    expect([betterVote(higherEpoch, higherId, ZK1419_ORDER), betterVote(higherId, higherEpoch, ZK1419_ORDER)]).toEqual([true, true]);
  });
});

describe('zab: ZOOKEEPER-1419 found by BFS as a vote circle', () => {
  it(`breaks ${ZK1419.property} after ${ZK1419.length} events and ${ZK1419.states} states: a restarted server's higher epoch and a higher id each beat the other`, async () => {
    expect(zab.variants['zk-1419'].check).toEqual({ strategy: 'bfs', params: FULL_FLE_NO_REQUEST });
    const o = await bfs('zk-1419');
    expect(o.violation?.property).toBe(ZK1419.property);
    expect(o.asExpected).toBe(true);
    expect(o.violation?.length).toBe(ZK1419.length);
    expect(o.distinctStates).toBe(ZK1419.states);
    const lines = story(o.timeline!);
    expect(lines).toHaveLength(ZK1419.length);
    // s0 follows s2's vote, adopts s1's after s1 restarts with epoch 1, then s2's again.
    expect(lines.at(-3)).toMatch(/restarts/);
    expect(lines.at(-2)).toBe('s1 -> s0: NOTIFICATION(leader 1, zxid 0.0, epoch 1; round 1, LOOKING)');
    expect(lines.at(-1)).toBe('s2 -> s0: NOTIFICATION(leader 2, zxid 0.0, epoch 0; round 1, LOOKING)');
    expect(replay(zab, JSON.stringify(o.trace))).toMatchObject({ ok: true, property: ZK1419.property, step: ZK1419.length });
    // BFS counterexamples are shortest: shrinking keeps every event.
    expect(shrink(zab, o.trace!).to).toBe(ZK1419.length);
  });

  it(`the correct model under the same bounds keeps every invariant to depth ${CORRECT_TO_DEPTH.depth} (the whole space, 2.8 M states, in the README)`, async () => {
    const o = await bfs('default', CORRECT_TO_DEPTH.depth);
    expect(o.violation).toBeNull();
    expect(o.distinctStates).toBe(CORRECT_TO_DEPTH.states);
  });
});

describe('zab: the NoVoteCircle ghost', () => {
  // Five servers, so that s0, not having heard from s3 and s4, stays LOOKING.
  const fle5 = modelParams(zab, { fle: 'full', servers: 5 });
  const behaviours = { correct: zabFor(fle5, 'default'), mutant: zabFor(fle5, 'zk-1419') };
  const s1Epoch1: Vote = { leader: 1, zxid: 0, epoch: 1 };
  const s2Epoch0: Vote = { leader: 2, zxid: 0, epoch: 0 };
  /** s0 LOOKING in round 1, having adopted s2's vote and then s1's (epoch 1), as in the BFS trace; s3 and s4 not heard yet. */
  const s0 = (): NodeState<Durable, Volatile> => {
    const base = behaviours.correct.init(0).state;
    const role: Looking = { state: 'LOOKING', round: 1, vote: s1Epoch1, votes: [[0, s1Epoch1], [1, s1Epoch1], [2, s2Epoch0]], outOfElection: [], early: [], lost: [], adopted: [s2Epoch0, s1Epoch1] };
    return { durable: base.durable, volatile: { waiting: [], role } };
  };
  const s2Notification: Msg = { type: 'NOTIFICATION', vote: s2Epoch0, round: 1, state: 'LOOKING' };

  it('the mutant goes back to the vote it left and the circle is noted; the correct order keeps s1\'s vote', () => {
    const mutant = (behaviours.mutant.onMessage as Handler)(0, s0(), 2, s2Notification)!;
    expect(mutant.state.durable.voteCircle).toBe('s0 adopted (leader 2, zxid 0.0, epoch 0) again in round 1');
    const noVoteCircle = behaviours.mutant.properties.find((p) => p.name === 'NoVoteCircle')!;
    expect(noVoteCircle.test({ nodes: [{ up: true, durable: mutant.state.durable, volatile: mutant.state.volatile, timers: [] }], messages: [] })).toMatch(/^s0 adopted \(leader \d, zxid \d\.\d, epoch \d\) again in round \d+$/);
    const correct = (behaviours.correct.onMessage as Handler)(0, s0(), 2, s2Notification);
    expect(correct?.state.durable.voteCircle).toBeUndefined();
    expect(correct?.state.volatile.role).toMatchObject({ state: 'LOOKING', vote: s1Epoch1, adopted: [s2Epoch0, s1Epoch1] });
  });

  it('a server that loses the peer it voted for falls back and starts its list again (a new election in ZooKeeper)', () => {
    const step = behaviours.correct.onDisconnect!(0, s0(), 1)!;
    const role = step.state.volatile.role as Looking;
    expect(role.vote).toEqual(s2Epoch0);
    expect(role.adopted).toEqual([s2Epoch0]);
  });

  it('with one vote per round (fle=one-vote) no list is kept', () => {
    const oneVote = zabFor(modelParams(zab, { fle: 'one-vote', servers: 5 }), 'zk-1419');
    const { adopted: _, ...role } = s0().volatile.role as Looking;
    const step = (oneVote.onMessage as Handler)(0, { durable: s0().durable, volatile: { waiting: [], role } }, 2, s2Notification)!;
    expect(step.state.durable.voteCircle).toBeUndefined();
    expect((step.state.volatile.role as Looking).adopted).toBeUndefined();
  });
});

describe('zab: the notification timeout with full FLE', () => {
  it('re-sends the vote to every peer, also those already heard from (one of them may have restarted and lost it)', () => {
    const spec = zabFor(modelParams(zab, { fle: 'full', liveness: true }), 'default');
    const s = spec.init(1).state;
    const vote: Vote = { leader: 1, zxid: 0, epoch: 0 };
    const role: Looking = { state: 'LOOKING', round: 1, vote, votes: [[0, { leader: 0, zxid: 0, epoch: 0 }], [1, vote], [2, { leader: 2, zxid: 0, epoch: 0 }]], outOfElection: [], early: [], lost: [] };
    const step = (spec.onTimer as (id: NodeId, state: NodeState<Durable, Volatile>, timer: string) => Step<Durable, Volatile, Msg> | undefined)(1, { durable: s.durable, volatile: { waiting: [], role } }, NOTIFY_TIMER)!;
    const notification: Msg = { type: 'NOTIFICATION', vote, round: 1, state: 'LOOKING' };
    expect(step.send).toEqual([{ to: 0, msg: notification }, { to: 2, msg: notification }]);
    expect(step.setTimers).toEqual([NOTIFY_TIMER]);
  });

  it('a server that closed a session during a partition stops draining that peer when the partition heals (its CLOSE, and the answer it waited for, were lost)', () => {
    const spec = zabFor(modelParams(zab, { fle: 'full', liveness: true }), 'default');
    const looking = spec.init(0).state;
    const draining = { durable: looking.durable, volatile: { ...looking.volatile, draining: [2] } };
    const step = spec.onConnect!(0, draining, 2)!;
    expect(step.state.volatile.draining).toBeUndefined();
    expect(step.send).toEqual([{ to: 2, msg: { type: 'NOTIFICATION', vote: looking.volatile.role.vote, round: 1, state: 'LOOKING' } }]);
    // Draining another peer is kept.
    expect(spec.onConnect!(0, { ...draining, volatile: { ...draining.volatile, draining: [1, 2] } }, 2)!.state.volatile.draining).toEqual([1]);
  });

  /** simulate --liveness -p liveness=true -p fle=full --strategy swarm, runs [firstRun, firstRun + runs) of `seed`. */
  const swarmLiveness = (seed: number, firstRun: number, runs: number) =>
    simulate(zab, { params: { liveness: true, fle: 'full' }, strategy: 'swarm', liveness: true, seed, firstRun, runs });

  // With liveness on, a run that does not establish a leader after the faults is a violation.
  it('simulate --liveness with fle=full passes 100 swarm runs from seed 1 (it failed at run 29 when only silent peers got the vote again)', async () => {
    const r = await swarmLiveness(1, 0, 100);
    expect(r.violation).toBeNull();
    expect(r.runs).toBe(100);
    expect(r.result).toBe('pass');
  });

  it('the swarm runs that stalled on a drain left by a CLOSE lost in a partition now elect a leader (run 1644 of seed 2, run 1128 of seed 3)', async () => {
    for (const [seed, run] of [[2, 1644], [3, 1128]]) {
      const r = await swarmLiveness(seed, run, 1);
      expect(r.violation, `seed ${seed} run ${run}`).toBeNull();
      expect(r.runs).toBe(1);
      expect(r.result).toBe('pass');
    }
  });
});
