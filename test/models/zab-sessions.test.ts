// Zab's sessions grain (`sessions=true`, models/zab/session-grain.ts): client sessions, the
// leader's session tracker and PrepRequestProcessor, local reads and sync(), and ZooKeeper's client
// guarantees judged from the clients' history. The guarantees are checked on hand-made histories
// first (each verdict both ways), then in the model: the correct model keeps them with pinned
// counts, ZOOKEEPER-1208 is found by its declared check, and a sync() answered without the leader
// breaks SequentialConsistency.
import { describe, expect, it } from 'vitest';
import { story } from './zab-declared.ts';
import { clientOps, fifoViolation, linearizable, scViolation } from '../../models/zab/client-guarantees.ts';
import { zab, zabWith } from '../../models/zab/index.ts';
import { SESSION_SCRIPTS } from '../../models/zab/session-grain.ts';
import { check, defineActorModel, replay, shrink } from '../../src/index.ts';

const NO_FAULTS = { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } as const;
const SESSIONS = { sessions: true, requests: 0 } as const;

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

describe('zab sessions: the model', () => {
  it('the coarse default has no client node (sessions=false keeps its counts: zab-grains.test.ts pins them)', async () => {
    const r = await check(zab, { params: { requests: 2 }, ...NO_FAULTS });
    expect(r.distinctStates).toBe(2106);
    expect(r.reachable.map((t) => t.name)).not.toContain('StaleReadAllowed');
  });

  it('the correct model keeps every invariant (2 servers to depth 26: 13,857 states) and reaches a stale read and an expiry', async () => {
    const r = await check(zab, { params: { ...SESSIONS, servers: 2 }, ...NO_FAULTS, maxDepth: 26 });
    expect(r.violation).toBeNull();
    expect(r.distinctStates).toBe(13857);
    const at = Object.fromEntries(r.reachable.map((t) => [t.name, t.reachedAtLength]));
    expect(at).toMatchObject({ StaleReadAllowed: 25, SessionExpired: 21, CommittedOnEveryServer: 15 });
  });

  it('finds zk-1208 by its declared check: breaks NoEphemeralOutlivesSession after 28 events and 1,989 states; the trace replays and does not shrink', async () => {
    const decl = zab.variants['zk-1208'].check!;
    expect(decl).toMatchObject({ strategy: 'bfs', params: SESSIONS });
    const r = await check(zab, { variant: 'zk-1208', params: decl.params, ...decl.config!.faults });
    expect(r.asExpected).toBe(true);
    expect(r.violation?.property).toBe('NoEphemeralOutlivesSession');
    expect(r.violation?.message).toContain('s2 holds ephemeral /e of session c0: created by the txn 1.3 after the closeSession 1.2');
    expect(r.violation?.length).toBe(28);
    expect(r.distinctStates).toBe(1989);
    const lines = story(r.timeline!);
    const index = (pattern: RegExp): number => lines.findIndex((l) => pattern.test(l));
    // The leader expires c0 (closeSession 1.2 proposed), then prepares c0's create as a txn after it.
    expect(index(/s2: timer 'expire c0' fires/)).toBeGreaterThan(0);
    expect(index(/PROPOSAL\(1\.2 closeSession c0\)/)).toBeGreaterThan(index(/s2: timer 'expire c0' fires/));
    expect(index(/FORWARD\(c0#1 create -e \/e\)/)).toBeGreaterThan(index(/PROPOSAL\(1\.2 closeSession c0\)/));
    expect(index(/PROPOSAL\(1\.3 create -e \/e c0\)/)).toBeGreaterThan(index(/FORWARD\(c0#1 create -e \/e\)/));
    expect(replay(zab, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: 'NoEphemeralOutlivesSession', step: 28 });
    expect(shrink(zab, r.trace!).to).toBe(28);
  });

  it('the correct model under zk-1208\'s bounds turns the late create into an error txn (to depth 30, no violation)', async () => {
    const r = await check(zab, { params: SESSIONS, ...NO_FAULTS, maxDepth: 30 });
    expect(r.violation).toBeNull();
  });

  it('a follower that answers sync() without the leader breaks SequentialConsistency (2 servers: 103,823 states, 31 events)', async () => {
    const localSync = defineActorModel({
      name: 'zab-local-sync', version: 1, description: 'zab sessions with sync() answered by the follower alone',
      params: zab.params, variants: { default: { description: 'syncServedLocally', expected: 'pass' } }, defaultConfig: zab.defaultConfig,
      guard: false,
      protocol: (params) => zabWith(params, { syncServedLocally: true }),
    });
    const r = await check(localSync, { params: { ...SESSIONS, servers: 2 }, ...NO_FAULTS });
    expect(r.violation?.property).toBe('SequentialConsistency');
    expect(r.violation?.message).toContain('it follows a sync, so it must come after c0#1 create -e /e -> "/e"');
    expect(r.violation?.length).toBe(31);
    expect(r.distinctStates).toBe(103823);
    // c0's create returned at zxid 1.2 before c1 called sync; s0 answered the sync and the read at 1.1.
    const lines = story(r.timeline!);
    expect(lines.slice(-7)).toEqual([
      's1 -> clients: CREPLY(c0#1 -> "/e", zxid 1.2)',
      "clients: timer 'call c1' fires",
      'clients -> s0: CREQUEST(c1#1 sync)',
      's0 -> clients: CREPLY(c1#1 -> "/", zxid 1.1)',
      "clients: timer 'call c1' fires",
      'clients -> s0: CREQUEST(c1#2 getData /e)',
      's0 -> clients: CREPLY(c1#2 -> "NoNode", zxid 1.1)',
    ]);
  });

  it('finds lastzxid-unchecked by its declared check: a reconnect accepted by a server behind the client breaks SessionFIFO after 26 events and 191 states', async () => {
    const decl = zab.variants['lastzxid-unchecked'].check!;
    expect(decl).toMatchObject({ strategy: 'bfs', params: { ...SESSIONS, servers: 2, reconnect: true } });
    const r = await check(zab, { variant: 'lastzxid-unchecked', params: decl.params, ...decl.config!.faults });
    expect(r.asExpected).toBe(true);
    expect(r.violation?.property).toBe('SessionFIFO');
    expect(r.violation?.message).toContain('c1#2 reconnect s0 -> "connected" at zxid 0.0 from s0 is older than c1#1 getData /e -> "NoNode" at zxid 1.2 from s1, issued earlier');
    expect(r.violation?.length).toBe(26);
    expect(r.distinctStates).toBe(191);
    expect(story(r.timeline!).slice(-2)).toEqual(['clients -> s0: CREQUEST(c1#2 reconnect s0)', 's0 -> clients: CREPLY(c1#2 -> "connected", zxid 0.0)']);
    expect(replay(zab, JSON.stringify(r.trace))).toMatchObject({ ok: true, property: 'SessionFIFO', step: 26 });
  });

  it('the correct model with the reconnect keeps every invariant: s0 holds the connection until it applied what c1 saw (2 servers, 969 states)', async () => {
    const r = await check(zab, { params: { ...SESSIONS, servers: 2, reconnect: true }, ...NO_FAULTS });
    expect(r.violation).toBeNull();
    expect(r.asExpected).toBe(true);
    expect(r.distinctStates).toBe(969);
  });
});
