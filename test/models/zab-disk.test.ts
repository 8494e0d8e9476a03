// Zab's txn log at `disk=separate` with the engine's storage faults (models/zab/txnlog.ts): the
// correct model keeps every property with one disk fault, and the ZOOKEEPER-4882 mutant (a server
// that keeps its in-memory database after its txn-log write failed) and the stale-ACK mistake are
// found by their declared checks, with pinned counts and traces that replay.
import { describe, expect, it } from 'vitest';
import { story } from './zab-declared.ts';
import { zab } from '../../models/zab/index.ts';
import { check, replay } from '../../src/index.ts';

const ONE_DISK_FAULT = { crashes: 0, partitions: 0, drops: 0, duplicates: 0, diskFaults: 1 } as const;

/** The events of a trace's timeline, one line each, as `ordeal replay` prints them. */

describe('zab: txn-log writes and disk faults (disk=separate)', () => {
  it('the correct model passes one request with one disk fault: 40,952 states', async () => {
    const r = await check(zab, { params: { requests: 1, disk: 'separate' }, ...ONE_DISK_FAULT });
    expect(r.violation).toBeNull();
    expect(r.distinctStates).toBe(40952);
  });

  it('finds zk-4882 by its declared check: the follower rejoins claiming a txn its failed write lost', async () => {
    const decl = zab.variants['zk-4882'].check!;
    expect(decl.config?.faults?.diskFaults).toBe(1);
    const r = await check(zab, { variant: 'zk-4882', params: decl.params, ...decl.config!.faults });
    expect(r.violation?.property).toBe('MonotonicRead');
    expect(r.asExpected).toBe(true);
    expect(r.violation?.length).toBe(46);
    expect(r.distinctStates).toBe(26858);
    expect(r.violation?.message).toContain('s0 served up to 1.1 and now serves only up to 0.0');
    const lines = story(r.timeline!);
    for (const pattern of [/s2 -> s0: COMMIT\(1\.1\)/, /s0: DISK WRITE FAILS/, /s0 -> s2: FOLLOWERINFO\(acceptedEpoch 1, last 1\.1\)/, /s2 -> s0: DIFF \[\]/]) {
      expect(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
    }
    expect(replay(zab, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: 'MonotonicRead', step: 46 });
  });

  it('finds stale-acks by its declared check: a commit counts the ACK of a learner that truncated the txn since', async () => {
    const decl = zab.variants['stale-acks'].check!;
    const r = await check(zab, { variant: 'stale-acks', params: decl.params, ...decl.config!.faults });
    expect(r.violation?.property).toBe('CommittedLogDurability');
    expect(r.asExpected).toBe(true);
    expect(r.violation?.length).toBe(44);
    expect(r.distinctStates).toBe(136356);
    const lines = story(r.timeline!);
    for (const pattern of [/s1 -> s2: ACK\(1\.1\)/, /DISK WRITE FAILS/, /s2 -> s1: TRUNC to 0\.0/, /s2: timer 'logFlush' fires/]) {
      expect(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
    }
    expect(replay(zab, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: 'CommittedLogDurability', step: 44 });
  });
});
