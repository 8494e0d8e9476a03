// The election at full grain (`fle=finalize`: FastLeaderElection's finalizeWait as an event of its
// own) and ZOOKEEPER-1419 as what its JIRA reports, an election that never settles: a fair lasso of
// check --liveness that replays and renders with its loop marked, while the correct model passes
// the same check under the same fairness.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FINALIZE_TIMER, POLL_TIMER } from '../../models/zab/context.ts';
import { zab, zabFor } from '../../models/zab/index.ts';
import type { Durable, Looking, Msg, Volatile } from '../../models/zab/types.ts';
import { check, modelParams, replay, simulate, type NodeState, type Step } from '../../src/index.ts';
import { ordeal } from '../helpers/cli.ts';

/** The declared check of zk-1419-livelock: two servers from the disks a failed epoch-1 attempt left, no faults. */
const BOUNDS = { servers: 2, requests: 0, fle: 'finalize', start: 'lost-epoch', progress: true } as const;
const NO_FAULTS = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } as const;
const LASSO = { length: 9, loop: 2, states: 282 };
const CORRECT = { states: 45, depth: 16 };

const dir = mkdtempSync(join(tmpdir(), 'ordeal-zab-liveness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const live = (variant: string) => check(zab, { variant, params: BOUNDS, network: 'tcp', ...NO_FAULTS, liveness: true, maxDepth: 20 });

describe('zab: ZOOKEEPER-1419 as a livelock (fle=finalize, check --liveness)', () => {
  it(`the declared check finds a fair lasso: ${LASSO.loop} events, then a loop of ${LASSO.length - LASSO.loop} that repeats forever (${LASSO.states} states)`, async () => {
    expect(zab.variants['zk-1419-livelock'].check).toMatchObject({ strategy: 'liveness', maxDepth: 20, params: BOUNDS });
    const o = await live('zk-1419-livelock');
    expect([o.violation?.property, o.asExpected, o.violation?.length, o.distinctStates]).toEqual(['LeaderEstablished', true, LASSO.length, LASSO.states]);
    expect(o.trace?.loop).toBe(LASSO.loop);
    // The command line takes the same declared check (strategy, parameters, budgets, depth).
    const cli = ordeal('check', 'zab', '--variant', 'zk-1419-livelock', '--out', dir);
    expect(cli.stdout).toContain('VIOLATION of LeaderEstablished  (expected: LeaderEstablished, as expected)');
    expect(cli.stdout).toContain(`${LASSO.states} distinct states`);
    expect(o.trace?.violation?.kind).toBe('liveness');
  });

  it('in the loop each server adopts the other\'s vote, its finalizeWait cut short each time, and the loop is fair: both poll events and every delivery are taken', async () => {
    const r = await live('zk-1419-livelock');
    const loop = r.trace!.events.slice(LASSO.loop);
    expect(loop.map((e) => e.kind)).toEqual(['deliver', 'deliver', 'timer', 'deliver', 'deliver', 'timer', 'timer']);
    expect(loop.filter((e) => e.kind === 'timer').map((e) => (e as unknown as { timer: string }).timer)).toEqual([POLL_TIMER, POLL_TIMER, POLL_TIMER]);
    expect(r.timeline).toContain('---- loop: the events below repeat forever');
    expect(r.timeline).toContain('---- back to the state after event 2');
    // The votes chased: (leader 0, epoch 1) beats (leader 1, epoch 0) by its epoch, and back by the id.
    expect(r.timeline).toMatch(/s1 -> s0: NOTIFICATION\(leader 0, zxid 0\.0, epoch 1; round 1, LOOKING\)/);
    expect(r.timeline).toMatch(/s0 -> s1: NOTIFICATION\(leader 1, zxid 0\.0, epoch 0; round 1, LOOKING\)/);
  });

  it('the lasso replays by step alone, and ordeal replay and render (text, Mermaid, HTML) mark its loop', async () => {
    const r = await live('zk-1419-livelock');
    expect(replay(zab, r.trace!).ok).toBe(true);
    const path = join(dir, 'zk-1419-livelock.json');
    writeFileSync(path, JSON.stringify(r.trace));
    const replayed = ordeal('replay', path);
    expect([replayed.code, replayed.stdout]).toEqual([0, expect.stringContaining('REPRODUCED (liveness lasso)')]);
    expect(ordeal('render', path).stdout).toContain(`---- back to the state after event ${LASSO.loop}: the loop starts again`);
    expect(ordeal('render', path, '--format', 'mermaid').stdout).toContain('loop: the steps below repeat forever');
    const page = join(dir, 'lasso.html');
    expect(ordeal('render', path, '--format', 'html', '-o', page).code).toBe(0);
    expect(readFileSync(page, 'utf8')).toContain(`lasso: the loop starts after step ${LASSO.loop}`);
  });

  it(`the correct model passes the same check under the same fairness: ${CORRECT.states} states, depth ${CORRECT.depth}, every state explored`, async () => {
    const r = await live('default');
    expect([r.result, r.distinctStates, r.depth, r.violation]).toEqual(['pass', CORRECT.states, CORRECT.depth, null]);
  });
});

describe('zab: ZOOKEEPER-1419\'s livelock with 3 servers, in simulation (no lasso within reach: README)', () => {
  // The same start and grain with a third server: every vote change goes to two peers, so a fair
  // loop needs at least 12 deliveries, deeper than check --liveness gets in seconds (no lasso to
  // depth 15, 2.6 M states). Random schedules show the symptom: no leader within 200 steps.
  const THREE = { strategy: 'random', seed: 1, liveness: true, maxSteps: 200, faultSteps: 0, params: { ...BOUNDS, servers: 3 }, ...NO_FAULTS } as const;

  it('the mutant\'s first run of seed 1 elects no leader in 200 steps, the votes still chasing; the correct model elects one in each of 1,000 runs', async () => {
    const bad = await simulate(zab, { variant: 'zk-1419-livelock', ...THREE, runs: 20 });
    expect([bad.violation?.property, bad.violation?.kind, bad.violation?.run, bad.violation?.length]).toEqual(['LeaderEstablished', 'liveness', 0, 200]);
    // In its last 60 events every server still passes on both votes that beat each other.
    const tail = bad.timeline!.split('\n').filter((line) => /^ +\d+\. /.test(line)).slice(-60).join('\n');
    for (const from of ['s0', 's1', 's2']) {
      expect(tail).toMatch(new RegExp(`${from} -> s\\d: NOTIFICATION\\(leader 1, zxid 0\\.0, epoch 1; round 1, LOOKING\\)`));
      expect(tail).toMatch(new RegExp(`${from} -> s\\d: NOTIFICATION\\(leader 2, zxid 0\\.0, epoch 0; round 1, LOOKING\\)`));
    }
    const good = await simulate(zab, { variant: 'default', ...THREE, runs: 1000 });
    expect([good.result, good.runs]).toEqual(['pass', 1000]);
  });
});

describe('zab: finalizeWait (fle=finalize) on hand-made states', () => {
  const spec = zabFor(modelParams(zab, { ...BOUNDS, servers: 3, start: 'empty' }), 'default');
  type State = NodeState<Durable, Volatile>;
  const lookingOf = (s: State) => s.volatile.role as Looking;
  const note = (leader: number, round = 1): Msg => ({ type: 'NOTIFICATION', vote: { leader, zxid: 0, epoch: 0 }, round, state: 'LOOKING' });
  type ZabStep = Step<Durable, Volatile, Msg>;
  const deliver = (s: State, from: number, msg: Msg) => spec.onMessage!(0, s, from, msg) as ZabStep | undefined;
  const fire = (s: State, timer: string) => spec.onTimer!(0, s, timer) as ZabStep;

  // s0 adopts s2's vote: a quorum (s0, s2) agrees, so the window opens and the finalize timer is armed.
  const start = spec.init(0).state;
  const waiting = deliver(start, 2, note(2))!;

  it('a quorum agreeing with the vote opens the window instead of deciding', () => {
    expect(lookingOf(waiting.state)).toMatchObject({ state: 'LOOKING', vote: { leader: 2 }, finalizing: true });
    expect(waiting.setTimers).toEqual([FINALIZE_TIMER]);
  });

  it('a notification not better than the vote is dropped in the window (a worse one of this round answered); the timer then decides', () => {
    const worse = deliver(waiting.state, 1, note(1))!;
    expect(worse.state).toEqual(waiting.state);
    expect(worse.send).toEqual([{ to: 1, msg: note(2) }]);
    expect(deliver(waiting.state, 2, note(2))).toBeUndefined();
    const decided = fire(waiting.state, FINALIZE_TIMER);
    expect(decided.state.volatile.role).toMatchObject({ state: 'FOLLOWING', leader: 2 });
  });

  it('a better notification closes the window and goes back to the queue; the poll adopts it', () => {
    const better: Msg = { type: 'NOTIFICATION', vote: { leader: 1, zxid: 0, epoch: 1 }, round: 1, state: 'LOOKING' };
    const put = deliver(waiting.state, 1, better)!;
    expect(lookingOf(put.state).finalizing).toBeUndefined();
    expect(lookingOf(put.state).requeued?.[0]).toBe(1);
    expect([put.cancelTimers, put.setTimers]).toEqual([[FINALIZE_TIMER], [POLL_TIMER]]);
    const polled = fire(put.state, POLL_TIMER);
    expect(lookingOf(polled.state)).toMatchObject({ vote: { leader: 1, epoch: 1 }, finalizing: true });
    expect(lookingOf(polled.state).requeued).toBeUndefined();
  });
});

describe('zab: ACKEPOCH reporting the accepted epoch (a planted mistake), found by simulate --liveness', () => {
  const declared = { strategy: 'random', seed: 1, liveness: true, params: { requests: 0, liveness: true } } as const;

  it('no leader is ever established: the first run ends without progress after the faults healed; the correct model passes 20 runs', async () => {
    expect(zab.variants['ackepoch-reports-accepted'].check).toEqual({ ...declared, runs: 100 });
    const bad = await simulate(zab, { variant: 'ackepoch-reports-accepted', ...declared, runs: 100 });
    expect([bad.violation?.property, bad.violation?.kind, bad.violation?.run]).toEqual(['LeaderEstablished', 'liveness', 0]);
    const good = await simulate(zab, { variant: 'default', ...declared, runs: 20 });
    expect(good.result).toBe('pass');
  });
});
