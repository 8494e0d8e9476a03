// Zab's sessions grain (`sessions=true`, models/zab/session-grain.ts): client sessions, the
// leader's session tracker and PrepRequestProcessor, local reads and sync(), and ZooKeeper's client
// guarantees judged from the clients' history. The guarantees are checked on hand-made histories
// first (each verdict both ways), then in the model: the correct model keeps them with pinned
// counts, ZOOKEEPER-1208 is found by its declared check, and a sync() answered without the leader
// breaks SequentialConsistency.
import { describe, expect, it } from 'vitest';
import { clientOps, fifoViolation, linearizable, scViolation } from '../../models/zab/client-guarantees.ts';
import { zab } from '../../models/zab/index.ts';
import { SESSION_SCRIPTS } from '../../models/zab/session-grain.ts';
import { check, replay, shrink } from '../../src/index.ts';

const NO_FAULTS = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } as const;
const SESSIONS = { sessions: true, requests: 0 } as const;
const story = (timeline: string): string[] => timeline.split('\n').flatMap((line) => /^ +\d+\. (.*)$/.exec(line)?.[1] ?? []);

// c0 (at s1): createSession, create -e /e; c1 (at s0): getData /e, sync, getData /e.
const created = ['call c0 0', 'return c0 0 "connected" 1.1 s1', 'call c0 1', 'return c0 1 "/e" 1.2 s1'];

describe('zab sessions: the client guarantees on hand-made histories', () => {
  it('a local read that misses a write already returned elsewhere is sequentially consistent, not linearizable', () => {
    const h = [...created, 'call c1 0', 'return c1 0 "NoNode" 1.1 s0'];
    const ops = clientOps(h, SESSION_SCRIPTS);
    expect(scViolation(ops, SESSION_SCRIPTS)).toBeNull();
    expect(fifoViolation(ops)).toBeNull();
    expect(linearizable(ops)).toBe(false);
    expect(linearizable(clientOps([...created, 'call c1 0', 'return c1 0 "" 1.2 s0'], SESSION_SCRIPTS))).toBe(true);
  });

  it('a read after sync() must see every write that returned before the sync was called', () => {
    const stale = [...created, 'call c1 0', 'return c1 0 "NoNode" 1.1 s0', 'call c1 1', 'call c1 2', 'return c1 1 "/" 1.1 s0', 'return c1 2 "NoNode" 1.1 s0'];
    expect(scViolation(clientOps(stale, SESSION_SCRIPTS), SESSION_SCRIPTS)).toContain('c1#2 getData /e -> "NoNode" at zxid 1.1 from s0 fits no order');
    const fresh = stale.map((e) => e.replace('return c1 2 "NoNode" 1.1', 'return c1 2 "" 1.2'));
    expect(scViolation(clientOps(fresh, SESSION_SCRIPTS), SESSION_SCRIPTS)).toBeNull();
    // The same stale read with the sync called before the create returned is allowed.
    const early = ['call c0 0', 'return c0 0 "connected" 1.1 s1', 'call c0 1', 'call c1 0', 'return c1 0 "NoNode" 1.1 s0', 'call c1 1', 'call c1 2', 'return c0 1 "/e" 1.2 s1', 'return c1 1 "/" 1.1 s0', 'return c1 2 "NoNode" 1.1 s0'];
    expect(scViolation(clientOps(early, SESSION_SCRIPTS), SESSION_SCRIPTS)).toBeNull();
  });

  it('a session may not read /e, then miss it (one order of writes for every session)', () => {
    const h = [...created, 'call c1 0', 'return c1 0 "" 1.2 s0', 'call c1 1', 'call c1 2', 'return c1 1 "/" 1.2 s0', 'return c1 2 "NoNode" 1.2 s0'];
    expect(scViolation(clientOps(h, SESSION_SCRIPTS), SESSION_SCRIPTS)).not.toBeNull();
    // Unless c0's session expired in between: its close deletes the ephemeral.
    const expired = h.map((e) => e.replace('return c1 2 "NoNode" 1.2', 'return c1 2 "NoNode" 1.3'));
    expect(scViolation(clientOps(expired, SESSION_SCRIPTS), SESSION_SCRIPTS)).toBeNull();
  });

  it('replies out of issue order, or with a zxid that goes down, break FIFO order', () => {
    const reordered = ['call c1 0', 'return c1 0 "NoNode" 1.1 s0', 'call c1 1', 'call c1 2', 'return c1 2 "NoNode" 1.1 s0', 'return c1 1 "/" 1.1 s0'];
    expect(fifoViolation(clientOps(reordered, SESSION_SCRIPTS))).toBe('c1#2 getData /e -> "NoNode" at zxid 1.1 from s0 returned before c1#1 sync -> "/" at zxid 1.1 from s0, issued earlier');
    const older = ['call c1 0', 'return c1 0 "NoNode" 1.2 s0', 'call c1 1', 'call c1 2', 'return c1 1 "/" 1.1 s0', 'return c1 2 "NoNode" 1.2 s0'];
    expect(fifoViolation(clientOps(older, SESSION_SCRIPTS))).toBe('c1#1 sync -> "/" at zxid 1.1 from s0 is older than c1#0 getData /e -> "NoNode" at zxid 1.2 from s0, issued earlier');
  });
});
