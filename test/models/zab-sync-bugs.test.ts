// Bugs of the learner's sync at `sync=packets`. ZOOKEEPER-4785 by its variant's declared check (BFS).
// ZOOKEEPER-5094, first driven through the handlers on hand-made states: a learner synced by TRUNC
// applies the txns after the TRUNC to memory before NEWLEADER; its leader is lost before
// NEWLEADER. The mutant (switch `truncSyncKeptInMemory`) keeps them above its truncated log,
// reports them, gets a DIFF that builds on them and, after a restart, holds a log with a hole. Then
// the variant zk-5094 by its declared check: random simulation from `start=orphan-txn` (a server
// holding a txn nobody else has, and an epoch committed without it), two crashes.
import { describe, expect, it } from 'vitest';
import { expectDeclaredFind, story } from './zab-declared.ts';
import { SYNC_TIMER } from '../../models/zab/context.ts';
import { zab, zabWith } from '../../models/zab/index.ts';
import { served } from '../../models/zab/properties.ts';
import { zxidOf, type Behaviour, type Durable, type Following, type Msg, type Txn, type Volatile } from '../../models/zab/types.ts';
import { check, modelParams, replay, shrink, simulate, type ActorSpec, type NodeId, type NodeState, type Step } from '../../src/index.ts';

type State = NodeState<Durable, Volatile>;
type OneStep = Omit<ActorSpec<Durable, Volatile, Msg>, 'onMessage' | 'onTimer' | 'onDisconnect'> & {
  onMessage(id: NodeId, state: State, from: NodeId, msg: Msg): Step<Durable, Volatile, Msg> | undefined;
  onTimer(id: NodeId, state: State, timer: string): Step<Durable, Volatile, Msg> | undefined;
  onDisconnect(id: NodeId, state: State, peer: NodeId): Step<Durable, Volatile, Msg> | undefined;
};

const NO_FAULTS = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } as const;
const PARAMS = modelParams(zab, { requests: 3, sync: 'packets' });
const spec = (b: Partial<Behaviour>) => zabWith(PARAMS, b) as OneStep;
const t11: Txn = { zxid: zxidOf(1, 1), op: 'create -e /e s1' };
const t21: Txn = { zxid: zxidOf(2, 1), op: 'closeSession s1' };
const t31: Txn = { zxid: zxidOf(3, 1), op: 'create /a' };

/** s2 follows `leader` in the sync phase, acceptedEpoch `epoch`, with `durable` and what its volatile state carries. */
function syncing(durable: Durable, volatile: Partial<Volatile>, leader: NodeId, epoch: number): State {
  const role: Following = {
    state: 'FOLLOWING', round: 2, vote: { leader, zxid: 0, epoch: 0 }, leader, phase: 'sync', newEpoch: 0,
    queue: [], uncommitted: [], lastCommitted: 0, snapshot: null, syncMode: null,
  };
  return { durable: { ...durable, acceptedEpoch: epoch }, volatile: { waiting: [], ...volatile, role } };
}

/** Feed s2 the packets from `from`, one by one, as the world would deliver them. */
function read(s: OneStep, state: State, from: NodeId, msgs: readonly Msg[]): State {
  return msgs.reduce((st, msg) => s.onMessage(2, st, from, msg)!.state, state);
}

/** s2 logged 1.1 alone (epoch 1); s1 leads epoch 2 with [2.1]: TRUNC to 0.0, 2.1 as PROPOSAL + COMMIT; then s1 is lost before NEWLEADER. */
function interruptedTrunc(s: OneStep): Step<Durable, Volatile, Msg> {
  const d0: Durable = { ...s.init(2).state.durable, currentEpoch: 1, history: [t11] };
  const synced = read(s, syncing(d0, {}, 1, 2), 1, [
    { type: 'SYNC', mode: 'TRUNC', truncZxid: 0, committed: [], outstanding: [] },
    { type: 'PROPOSAL', txn: t21 },
    { type: 'COMMIT', zxid: t21.zxid },
  ]);
  expect(synced.durable.history).toEqual([]);
  return s.onDisconnect(2, synced, 1)!;
}

const votedZxids = (step: Step<Durable, Volatile, Msg>): number[] =>
  (step.send ?? []).flatMap((m) => (m.msg.type === 'NOTIFICATION' ? [m.msg.vote.zxid] : []));

describe('zab: ZOOKEEPER-5094, an interrupted TRUNC sync (sync=packets)', () => {
  it('the correct learner drops what the TRUNC sync applied and votes with its log (0.0); the mutant keeps 2.1 in memory and votes with it', () => {
    const correct = interruptedTrunc(spec({}));
    expect(correct.state.volatile.role.state).toBe('LOOKING');
    expect(correct.state.volatile.memSnapshot).toBeUndefined();
    expect(votedZxids(correct)).toEqual([0, 0]);
    const mutant = interruptedTrunc(spec({ truncSyncKeptInMemory: true }));
    expect(mutant.state.volatile.memSnapshot).toEqual([t21]);
    expect(mutant.state.durable.history).toEqual([]);
    expect(votedZxids(mutant)).toEqual([t21.zxid, t21.zxid]);
  });

  it('the mutant then gets an empty DIFF from s0 (epoch 3), logs only 3.1, and after a restart its log [3.1] has a hole where 2.1 was', () => {
    const s = spec({ truncSyncKeptInMemory: true });
    const looking = interruptedTrunc(s).state;
    // s0 leads epoch 3; s2's FOLLOWERINFO reported 2.1, which s0 has, so s0 sends an empty DIFF.
    const following = read(s, syncing(looking.durable, { memSnapshot: looking.volatile.memSnapshot }, 0, 3), 0, [
      { type: 'SYNC', mode: 'DIFF', truncZxid: 0, committed: [], outstanding: [] },
      { type: 'NEWLEADER', epoch: 3 },
      { type: 'UPTODATE' },
    ]);
    const slot = (st: State) => ({ up: true, durable: st.durable, volatile: st.volatile, timers: [] });
    expect(served(slot(following))).toEqual([t21]);
    const proposed = s.onMessage(2, following, 0, { type: 'PROPOSAL', txn: t31 })!;
    expect(proposed.setTimers).toContain(SYNC_TIMER);
    const logged = s.onTimer(2, proposed.state, SYNC_TIMER)!.state;
    expect(logged.durable.history).toEqual([t31]);
    expect(served(slot(s.onMessage(2, logged, 0, { type: 'COMMIT', zxid: t31.zxid })!.state))).toEqual([t21, t31]);
    // A restart loses the memory: s2 reports 3.1 (so no leader sends it 2.1 again) from a log without 2.1.
    const restarted = s.onRestart!(2, logged.durable);
    expect(votedZxids(restarted)).toEqual([t31.zxid, t31.zxid]);
    expect(restarted.state.durable.history.map((t) => t.zxid)).toEqual([t31.zxid]);
  });
});

/** The events of a trace's timeline, one line each, as `ordeal replay` prints them. */

describe('zab: ZOOKEEPER-4785, proposals read during the sync not logged at NEWLEADER (sync=packets)', () => {
  it('BFS (the declared check) finds zk-4785 breaking PrefixConsistency after 35 events and 2,546 states; the trace replays and does not shrink', async () => {
    const decl = zab.variants['zk-4785'].check!;
    expect(decl.strategy).toBe('bfs');
    const r = await check(zab, { variant: 'zk-4785', params: decl.params, ...decl.config?.faults });
    expect(r.violation?.property).toBe('PrefixConsistency');
    expect(r.asExpected).toBe(true);
    expect(r.violation?.message).toContain('s1 serves [1.2 closeSession s1] and s2 serves [1.1 create -e /e s1, 1.2 closeSession s1]: neither is a prefix');
    expect(r.violation?.length).toBe(35);
    expect(r.distinctStates).toBe(2546);
    const lines = story(r.timeline!);
    // s1 reads the outstanding 1.1 during its sync, then NEWLEADER, ACKs at once, and applies COMMIT(1.1) with nothing logged.
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const order = [/s2 -> s1: DIFF \[\]/, /s2 -> s1: PROPOSAL\(1\.1/, /s2 -> s1: NEWLEADER/, /s2 -> s1: COMMIT\(1\.1\)/, /s1 -> s2: ACK\(NEWLEADER 1\)/, /s2 -> s1: COMMIT\(1\.2\)/];
    const positions = order.map(at);
    expect(positions.every((p) => p >= 0), lines.join('\n')).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(replay(zab, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: 'PrefixConsistency', step: 35 });
    expect(shrink(zab, r.trace!).to).toBe(35);
  });

  it('the correct model under the same bounds passes (2,406 states)', async () => {
    const decl = zab.variants['zk-4785'].check!;
    const r = await check(zab, { params: decl.params, ...decl.config?.faults });
    expect(r.violation).toBeNull();
    expect(r.distinctStates).toBe(2406);
  });
});

describe('zab: ZOOKEEPER-5094 by its declared check (random simulation from start=orphan-txn)', () => {
  it('start=orphan-txn: s2 holds 1.2 that nobody else has, s0 and s1 committed 2.1 in epoch 2; without faults the correct model syncs s2 by TRUNC (806 states, SNAP unreachable)', async () => {
    const r = await check(zab, { params: { requests: 4, sync: 'packets', start: 'orphan-txn' }, ...NO_FAULTS });
    expect(r.violation).toBeNull();
    expect(r.distinctStates).toBe(806);
    expect(r.depth).toBe(33);
    expect(r.reachable.filter((t) => t.reachedAtLength === null).map((t) => t.name)).toEqual(['SyncedBySNAP']);
    expect(r.reachable.find((t) => t.name === 'SyncedByTRUNC')?.reachedAtLength).toBe(13);
    const disks = [0, 1, 2].map((id) => zabWith(modelParams(zab, { requests: 4, sync: 'packets', start: 'orphan-txn' }), {}).init(id).state.durable);
    expect(disks.map((d) => d.history.map((t) => t.zxid))).toEqual([[zxidOf(1, 1), zxidOf(2, 1)], [zxidOf(1, 1), zxidOf(2, 1)], [zxidOf(1, 1), zxidOf(1, 2)]]);
    expect(disks.map((d) => d.currentEpoch)).toEqual([2, 2, 1]);
  });

  it('finds zk-5094 breaking CommittedLogDurability in run 804 of seed 5, shrinks it from 63 to 51 events, and the shrunk trace replays', async () => {
    const lines = await expectDeclaredFind('zk-5094', {
      strategy: 'random', property: 'CommittedLogDurability', run: 804, shrunkFrom: 63, length: 51,
      message: '2.1 create /a, committed by s0, s1, is on the disk of only s0 (a quorum is 2)',
    });
    expect(lines).toHaveLength(51);
    // s1 (epoch 3) syncs s2 by TRUNC to 1.1 and 2.1, crashes before NEWLEADER; s2 reports 2.1 from
    // memory, gets an empty DIFF from s0 (epoch 4) and logs 4.1 after its hole; s2 crashes and
    // restarts with the log [1.1, 4.1], leads epoch 5 and truncates the committed 2.1 from s1.
    const order = [
      /s1 -> s2: TRUNC to 1\.1/, /s1 -> s2: COMMIT\(2\.1\)/, /s1 CRASHES/, /s2 -> s0: FOLLOWERINFO\(acceptedEpoch 3, last 2\.1\)/, /s0 -> s2: DIFF \[\]/,
      /s0 -> s2: PROPOSAL\(4\.1/, /s2: timer 'sync' fires/, /s2 CRASHES/, /s2 restarts/, /s2 -> s1: LEADERINFO\(epoch 5\)/, /s2 -> s1: TRUNC to 1\.1/,
    ];
    const positions = order.map((pattern) => lines.findIndex((l) => pattern.test(l)));
    expect(positions.every((p) => p >= 0), lines.join('\n')).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('the correct model under the same declared check breaks nothing (1,000 runs of seed 5)', async () => {
    const decl = zab.variants['zk-5094'].check!;
    const r = await simulate(zab, { params: decl.params, ...decl.config?.faults, seed: decl.seed, runs: decl.runs, strategy: 'random' });
    expect(r.violation).toBeNull();
    expect(r.runs).toBe(1000);
  });
});
