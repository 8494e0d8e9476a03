// A vote order that ignores the zxid (a mistake planted from outside, variant
// vote-order-ignores-zxid): from start=missed-txn it elects the one server whose log lacks the
// committed 1.1. It is harmless for safety, because waitForEpochAck refuses a leader with a learner
// ahead of it (with that check skipped too, the committed txn is lost at once); what it costs is
// liveness, every round the same refused leader, found by simulate --liveness.
import { describe, expect, it } from 'vitest';
import { story } from './zab-declared.ts';
import { betterVote } from '../../models/zab/election.ts';
import { zab, zabWith } from '../../models/zab/index.ts';
import { NORMAL, type Behaviour, type Vote } from '../../models/zab/types.ts';
import { check, defineActorModel, modelParams, simulate } from '../../src/index.ts';

const ZXID_BLIND: Behaviour = { ...NORMAL, voteOrderIgnoresZxid: true };
const START = { requests: 1, start: 'missed-txn' } as const;
const NO_FAULTS = { network: 'tcp', crashes: 0, partitions: 0, drops: 0, duplicates: 0 } as const;
/** The declared check: random simulation with liveness, the model's timeouts on (liveness=true). */
const DECLARED = { strategy: 'random', seed: 1, runs: 100, liveness: true, params: { ...START, liveness: true } } as const;

/** The events of a trace's timeline, one line each (without the state diffs). */

/** The protocol with its own mix of switches, as a model of one variant. */
const modelWith = (behaviour: Partial<Behaviour>) =>
  defineActorModel({
    name: 'zab-mix', version: 1, description: 'zab with a mix of switches',
    params: zab.params, variants: { default: { description: 'the mix', expected: 'pass' } }, defaultConfig: zab.defaultConfig,
    guard: false,
    protocol: (params) => zabWith(params, behaviour),
  });

describe('zab: a vote order that ignores the zxid', () => {
  it('prefers the highest server of the latest epoch whatever its log holds, where ZooKeeper\'s order takes the longer log', () => {
    const holds11: Vote = { leader: 1, zxid: 1.1, epoch: 1 };
    const empty: Vote = { leader: 2, zxid: 0, epoch: 1 };
    expect([betterVote(holds11, empty, NORMAL), betterVote(empty, holds11, NORMAL)]).toEqual([true, false]);
    expect([betterVote(holds11, empty, ZXID_BLIND), betterVote(empty, holds11, ZXID_BLIND)]).toEqual([false, true]);
    // The epoch still comes first.
    expect(betterVote({ leader: 0, zxid: 0, epoch: 2 }, empty, ZXID_BLIND)).toBe(true);
  });

  it('start=missed-txn: every server in epoch 1, 1.1 committed by s1 on s0 and s1, s2\'s log empty', () => {
    const disks = [0, 1, 2].map((id) => zabWith(modelParams(zab, START), {}).init(id).state.durable);
    expect(disks.map((d) => [d.currentEpoch, d.history.map((t) => t.zxid)])).toEqual([[1, [1.1]], [1, [1.1]], [1, []]]);
    expect(disks[1].committed.map((t) => t.zxid)).toEqual([1.1]);
    expect(() => zabWith(modelParams(zab, { ...START, servers: 2 }), {}).init(0)).toThrow(/servers >= 3/);
  });

  it('is harmless for safety: the correct model (whole graph, 177 states) and the mutant (to depth 30, 21,468 states) keep every invariant', async () => {
    const correct = await check(zab, { params: START, ...NO_FAULTS });
    expect([correct.violation, correct.distinctStates, correct.depth]).toEqual([null, 177, 21]);
    const mutant = await check(zab, { variant: 'vote-order-ignores-zxid', params: START, ...NO_FAULTS, maxDepth: 30 });
    expect([mutant.violation, mutant.distinctStates, mutant.depth]).toEqual([null, 21468, 30]);
  });

  it('what keeps it safe is waitForEpochAck: with that check skipped too, s2 leads and truncates the committed 1.1 (CommittedLogDurability, 8 events)', async () => {
    const r = await check(modelWith({ voteOrderIgnoresZxid: true, skipEpochAckCheck: true }), { params: START, ...NO_FAULTS });
    expect([r.violation?.property, r.violation?.length, r.distinctStates]).toEqual(['CommittedLogDurability', 8, 94]);
    expect(story(r.timeline!).slice(-3)).toEqual(['s2 -> s0: LEADERINFO(epoch 2)', 's0 -> s2: ACKEPOCH(currentEpoch 1, last 1.1)', 's2 -> s0: TRUNC to 0.0 []']);
    // The correct order with the check skipped elects s1, which holds 1.1: the same 177 states as the correct model.
    const checkOnly = await check(modelWith({ skipEpochAckCheck: true }), { params: START, ...NO_FAULTS });
    expect([checkOnly.violation, checkOnly.distinctStates]).toEqual([null, 177]);
  });

  it('costs liveness: by its declared check run 10 of seed 1 never establishes a leader (s2 leads and gives up, epoch after epoch); the correct model passes 30 such runs', async () => {
    expect(zab.variants['vote-order-ignores-zxid'].check).toEqual(DECLARED);
    const bad = await simulate(zab, { variant: 'vote-order-ignores-zxid', ...DECLARED });
    expect([bad.violation?.property, bad.violation?.kind, bad.violation?.run]).toEqual(['LeaderEstablished', 'liveness', 10]);
    const tail = story(bad.timeline!).slice(-200);
    expect(tail).toContain('s0 -> s2: ACKEPOCH(currentEpoch 1, last 1.1)');
    expect(tail.filter((line) => /^s2 -> s\d: LEADERINFO/.test(line)).length).toBeGreaterThan(3);
    const good = await simulate(zab, { variant: 'default', ...DECLARED, runs: 30 });
    expect(good.result).toBe('pass');
  });
});
