// Zab's finer grains (models/zab/index.ts, "Grains"): each keeps every property in small
// configurations with pinned counts, the coarse default is untouched by them, and each bug that
// lives only at a finer grain is found there, by the variant's declared check, with a pinned
// number of states and a pinned counterexample that replays and does not shrink.
import { describe, expect, it } from 'vitest';
import { expectDeclaredFind, story } from './zab-declared.ts';
import { zab } from '../../models/zab/index.ts';
import { check, replay, shrink, simulate, type CheckOptions } from '../../src/index.ts';

const NO_FAULTS = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } as const;

/** The events of a trace's timeline, one line each, as `ordeal replay` prints them. */

/** Per grain: states with two requests and no faults (the whole space), and with no request and one crash to depth 22. */
const GRAINS: readonly { name: string; params: CheckOptions['params']; twoRequests: number; crashDepth22: number }[] = [
  { name: 'coarse (the defaults)', params: {}, twoRequests: 2106, crashDepth22: 26156 },
  { name: 'detect=timeout', params: { detect: 'timeout' }, twoRequests: 2106, crashDepth22: 118045 },
  { name: 'sync=packets', params: { sync: 'packets' }, twoRequests: 2406, crashDepth22: 27588 },
  { name: 'disk=separate', params: { disk: 'separate' }, twoRequests: 6314, crashDepth22: 24443 },
];

describe('zab: each grain keeps every property', () => {
  for (const g of GRAINS) {
    it(`${g.name}: two requests, no faults, ${g.twoRequests} states; no request, one crash, ${g.crashDepth22} states to depth 22`, async () => {
      const whole = await check(zab, { params: g.params, ...NO_FAULTS });
      expect(whole.violation).toBeNull();
      expect(whole.distinctStates).toBe(g.twoRequests);
      expect(whole.reachable.find((r) => r.name === 'CommittedOnEveryServer')?.reachedAtLength).not.toBeNull();
      const crash = await check(zab, { params: { requests: 0, ...g.params }, maxDepth: 22 });
      expect(crash.violation).toBeNull();
      expect(crash.distinctStates).toBe(g.crashDepth22);
    });
  }

});

/** Bugs of the finer grains, each by its variant's declared check (the same as `npm start`). */
const MUTANTS: readonly { variant: string; params: CheckOptions['params']; property: string; message: string; length: number; states: number; story: RegExp[] }[] = [
  {
    variant: 'zk-962', params: { requests: 2, sync: 'packets' }, property: 'PrefixConsistency', length: 33,
    message: 's1 serves [1.2 closeSession s1] and s2 serves [1.1 create -e /e s1, 1.2 closeSession s1]: neither is a prefix of the other', states: 2163,
    story: [/s2 -> s1: DIFF \[\]/, /s0 -> s2: ACK\(1\.1\)/, /timer 'startForwarding' fires/, /s2 -> s1: COMMIT\(1\.2\)/],
  },
  {
    variant: 'zk-1291', params: { requests: 0, disk: 'separate' }, property: 'EpochOrder', length: 8,
    message: 's2\'s disk holds currentEpoch 1 above acceptedEpoch 0', states: 107,
    story: [/s2 -> s0: LEADERINFO\(epoch 1\)/, /s0: timer 'epochWrite' fires/, /s0 -> s2: ACKEPOCH/],
  },
];

describe('zab: ZooKeeper bugs that live at a finer grain', () => {
  for (const m of MUTANTS) {
    it(`finds ${m.variant} breaking ${m.property} after ${m.length} events and ${m.states} states, the trace replays and does not shrink`, async () => {
      const r = await check(zab, { variant: m.variant, params: m.params, ...NO_FAULTS });
      expect(r.violation?.property).toBe(m.property);
      expect(r.asExpected).toBe(true);
      expect(r.violation?.length).toBe(m.length);
      expect(r.violation?.message).toContain(m.message);
      expect(r.distinctStates).toBe(m.states);
      const lines = story(r.timeline!);
      for (const pattern of m.story) expect(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
      expect(replay(zab, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: m.property, step: m.length });
      expect(shrink(zab, r.trace!).to).toBe(m.length);
    });
  }

  it('the correct model under zk-962\'s and zk-1291\'s bounds passes', async () => {
    for (const params of [{ requests: 2, sync: 'packets' }, { requests: 0, disk: 'separate' }] as CheckOptions['params'][]) {
      const r = await check(zab, { params, ...NO_FAULTS });
      expect(r.violation, JSON.stringify(params)).toBeNull();
    }
  });
});

describe('zab: ZOOKEEPER-3642 by random simulation from its declared seed', () => {
  it('finds zk-3642 breaking PrefixConsistency in run 3484, shrinks it from 83 to 75 events, and the shrunk trace replays', async () => {
    const lines = await expectDeclaredFind('zk-3642', {
      strategy: 'random', property: 'PrefixConsistency', run: 3484, shrunkFrom: 83, length: 75,
      message: 's0 serves [1.1 create -e /e s1, 2.1 closeSession s1] and s1 serves [2.1 closeSession s1]: neither is a prefix',
    });
    // The learner reads a SNAP, loses its leader before NEWLEADER, gets an empty DIFF on top of the snapshot it holds only in memory, restarts.
    for (const pattern of [/s2 -> s1: SNAP \[1\.1/, /s1 -> s2: ACKEPOCH\(currentEpoch 0, last 1\.1\)/, /s1 CRASHES/, /s1 -> s2: FOLLOWERINFO\(acceptedEpoch 2, last 2\.1\)/]) {
      expect(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
    }
  });
});

describe('zab: the follower\'s leader-epoch check, found at detect=timeout by guided simulation', () => {
  it('finds leader-epoch-unchecked breaking CommittedLogDurability in run 4336 of seed 1, shrinks it from 90 to 82 events, and the shrunk trace replays', async () => {
    const lines = await expectDeclaredFind('leader-epoch-unchecked', {
      strategy: 'guided', property: 'CommittedLogDurability', run: 4336, shrunkFrom: 90, length: 82,
      message: '2.1 create -e /e s1, committed by s2, is on the disk of only s1 (a quorum is 2)',
    });
    // s1 and s2 establish epoch 3 while s0, cut off, still leads epoch 2; after the heal s2 (acceptedEpoch 3)
    // takes s0's LEADERINFO(epoch 2), which the correct follower refuses, and is synced by TRUNC.
    const order = [
      /s2 -> s1: LEADERINFO\(epoch 3\)/, /s1 -> s2: ACK\(NEWLEADER 3\)/, /s2 -> s0: FOLLOWERINFO\(acceptedEpoch 3, last 2\.1\)/, /s0 -> s2: LEADERINFO\(epoch 2\)/,
      /s2 -> s0: ACKEPOCH\(currentEpoch 3, last 2\.1\)/, /s0 -> s2: TRUNC to 0\.0/,
    ];
    // Each line after the one before it (s0 sent LEADERINFO(epoch 2) once before, to its first learners).
    let at = -1;
    for (const pattern of order) {
      at = lines.findIndex((l, i) => i > at && pattern.test(l));
      expect(at, `${pattern} in\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
    }
  });

  it('the correct model under the same declared check breaks nothing (5,000 guided runs of seed 1)', async () => {
    const decl = zab.variants['leader-epoch-unchecked'].check!;
    const r = await simulate(zab, { params: decl.params, ...decl.config?.faults, seed: decl.seed, runs: decl.runs, strategy: 'guided' });
    expect(r.violation).toBeNull();
    expect(r.runs).toBe(5000);
  });
});
