// `disk=separate`: the txn log as ZooKeeper's SyncRequestProcessor writes it, on the leader and on
// the followers: an append lands in a buffer (`Step.unsynced`, FileTxnLog.append), the flush is an
// event of its own (the timer LOG_FLUSH_TIMER: FileTxnLog.commit, the fsync) and only after it do
// the ACKs leave (SendAckRequestProcessor on a follower, AckRequestProcessor on the leader). With
// the engine's storage faults (`--disk-faults k`) a buffered append can fail (`write-error`: an
// IOException in append or flush) or be lost with the machine (`power-loss`).
import { afterLogged, followerShutdown } from './follower.ts';
import { leaderCommitted, leaderShutdown, ownAcks } from './leader.ts';
import type { Ctx, ZabState, ZabStep } from './context.ts';
import { lastZxidOf, type Durable } from './types.ts';

/** The flush of the txn log: what a server appended reaches the disk, and its ACKs follow. */
export const LOG_FLUSH_TIMER = 'logFlush';

/** The flush event: sync the log, then ACK what it holds (a follower) or count its own ACKs (the leader). */
export function logFlushed(c: Ctx, s: ZabState): ZabStep | undefined {
  const logged = s.volatile.unflushed ?? [];
  const role = s.volatile.role;
  if (logged.length === 0 || role.state === 'LOOKING') return undefined;
  const { unflushed: _, ...volatile } = s.volatile;
  const state: ZabState = { durable: s.durable, volatile };
  const step = role.state === 'FOLLOWING' ? afterLogged(c, state, role, logged) : ownAcks(c, state, logged.map((t) => t.zxid));
  return { ...step, sync: true };
}

/**
 * A `write-error`: the buffered appends failed (the engine has already put the log back to what is
 * on disk). SyncRequestProcessor is a critical thread: its IOException shuts the server down and it
 * goes back to LOOKING; since the fix of ZOOKEEPER-4882 it reloads its database from disk, which in
 * the model is what a server always does (it reports its log's last zxid). The ZK-4882 mutant keeps
 * its in-memory database, ahead of the log, and reports its last applied zxid (as ZK-2845's retained
 * database does), so the next leader's DIFF starts after txns its log does not hold.
 */
export function logWriteFailed(c: Ctx, s: ZabState): ZabStep | undefined {
  const role = s.volatile.role;
  const keep = c.behaviour.keepDatabaseAfterDiskError;
  if (role.state === 'FOLLOWING') {
    // The mutant's database is ahead of the log when it applied a COMMIT of a txn the failed write held.
    const ahead = keep && role.lastCommitted > lastZxidOf(s.durable.history);
    return ahead ? followerShutdown({ ...c, behaviour: { ...c.behaviour, retainDatabase: true } }, s, 'close') : followerShutdown(c, s, 'close');
  }
  if (role.state !== 'LEADING') return undefined;
  // The leader's in-memory database holds what it committed, appended or not: its log before the failure.
  const lost = (s.volatile.unflushed ?? []).filter((t) => !s.durable.history.some((h) => h.zxid === t.zxid));
  const applied = lastZxidOf(leaderCommitted({ ...s.durable, history: [...s.durable.history, ...lost] }, role));
  if (!keep || applied <= lastZxidOf(s.durable.history)) return leaderShutdown(c, s);
  const step = leaderShutdown({ ...c, behaviour: { ...c.behaviour, retainDatabase: true } }, { durable: { ...s.durable, history: [...s.durable.history, ...lost] }, volatile: s.volatile });
  return { ...step, state: { durable: s.durable, volatile: step.state.volatile } };
}

const onlyLogChanged = (a: Durable, b: Durable): boolean => {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Durable>;
  for (const k of keys) if (k !== 'history' && k !== 'readZxid' && a[k] !== b[k]) return false;
  return true;
};

/**
 * After every handler at `disk=separate`: while a server holds unflushed appends, a step that only
 * appends (or moves the MonotonicRead ghost) stays buffered, and the flush timer is armed. A step
 * that writes anything else to disk (an epoch file, or a ghost record: a leader's commit) writes
 * synchronously and so syncs the log with it (the engine's rule; it only narrows the window in which
 * a disk fault can strike, and keeps ghost records from being undone by one). A server that leaves
 * its role flushes first, as SyncRequestProcessor.shutdown does.
 */
export function bufferLog(before: ZabState, step: ZabStep | undefined): ZabStep | undefined {
  if (step === undefined || step.sync === true) return step;
  const was = before.volatile.unflushed ?? [];
  const now = step.state.volatile.unflushed ?? [];
  if (was.length === 0 && now.length === 0) return step;
  if (now.length === 0) return { ...step, sync: true, cancelTimers: [...(step.cancelTimers ?? []), LOG_FLUSH_TIMER] };
  const setTimers = (step.setTimers ?? []).includes(LOG_FLUSH_TIMER) ? step.setTimers : [...(step.setTimers ?? []), LOG_FLUSH_TIMER];
  return onlyLogChanged(before.durable, step.state.durable) && before.durable !== step.state.durable ? { ...step, setTimers, unsynced: true } : { ...step, setTimers };
}
