// The simulator's side schedule: every enabled event that is not a spontaneous fault gets a due time
// in virtual time when it becomes enabled (a delivery after a latency, a timer after its timeout, a
// restart after a downtime, a heal after a partition's length). The schedule is keyed by event
// content, so it never depends on an event's position in the enabled list.
import type { Event } from '../model/system.ts';
import { canonical } from '../util/canonical.ts';
import { FAULT_KINDS, probabilityOf, type FaultKind, type FaultMix, type Timing } from './options.ts';
import type { Candidates } from './policy.ts';
import type { Rng } from './rng.ts';

/** Event kinds that fire spontaneously at the fault mix's rates rather than at a due time. */
export function faultKindOf(event: Event): FaultKind | null {
  switch (event.kind) {
    // Storage faults (docs/faults.md) fire at the crash rate, within their own budget.
    case 'write-error':
    case 'power-loss':
      return 'crash';
    case 'crash':
    case 'partition':
    case 'drop':
    case 'duplicate':
      return event.kind;
    default:
      return null;
  }
}

/** faultKindOf as an index into FAULT_KINDS (checked below), or -1. */
export function faultIndexOf(event: Event): number {
  switch (event.kind) {
    // Storage faults (docs/faults.md) fire at the crash rate, within their own budget.
    case 'write-error':
    case 'power-loss':
    case 'crash':
      return 0;
    case 'partition':
      return 1;
    case 'drop':
      return 2;
    case 'duplicate':
      return 3;
    default:
      return -1;
  }
}

const keyCache = new WeakMap<Event, string>();

/** A content key for an event, cached by identity (actor worlds hand out shared event objects). */
export function eventKey(event: Event): string {
  let key = keyCache.get(event);
  if (key === undefined) {
    key = contentKey(event);
    keyCache.set(event, key);
  }
  return key;
}

function contentKey(event: Event): string {
  switch (event.kind) {
    case 'timer':
      return `timer|${String(event.node)}|${String(event.timer)}`;
    case 'crash':
    case 'restart':
      return `${event.kind}|${String(event.node)}`;
    case 'heal':
      return 'heal';
    default:
      return canonical(event);
  }
}

/** The source of an event for PCT priorities: the node that acts (receiver, timer owner), else the action. */
export function eventSource(event: Event): string {
  if (event.kind === 'deliver') return `node ${String(event.to)}`;
  if (typeof event.node === 'number') return `node ${event.node}`;
  if (event.kind === 'action') return `action ${String(event.action)}`;
  return event.kind;
}

interface Entry {
  due: number;
  /** The step at which the event was last seen enabled. */
  seenAt: number;
}

export class Schedule {
  private readonly entries = new Map<string | number, Entry>();

  constructor(
    private readonly rng: Rng,
    private readonly timing: Timing,
    private readonly mix: FaultMix,
  ) {}

  /**
   * Due time of an enabled event at step `stepIndex`, drawing one when the event was not enabled at
   * the previous step (newly sent, re-armed, or enabled again after a partition or a restart).
   */
  dueOf(key: string | number, event: Event, stepIndex: number, nowMs: number): number {
    let entry = this.entries.get(key);
    if (entry === undefined || entry.seenAt < stepIndex - 1) {
      entry = { due: nowMs + this.delayOf(event), seenAt: stepIndex };
      this.entries.set(key, entry);
    } else {
      entry.seenAt = stepIndex;
    }
    return entry.due;
  }

  /** Forget an event that was just taken (a copy still in flight gets a fresh latency). */
  taken(key: string | number): void {
    this.entries.delete(key);
  }

  private delayOf(event: Event): number {
    const t = this.timing;
    switch (event.kind) {
      case 'timer': {
        const named = t.timerMsByName;
        const timer = String(event.timer);
        const ms = named !== undefined && Object.hasOwn(named, timer) ? named[timer] : t.timerMs;
        return ms * (1 + this.rng.next() * t.timerJitter);
      }
      case 'restart':
        return this.mix.fastRestartProbability > 0 && this.rng.chance(this.mix.fastRestartProbability)
          ? this.rng.between(1, t.fastRestartMsMax)
          : this.rng.between(t.downtimeMsMin, t.downtimeMsMax);
      case 'heal':
        return this.rng.between(t.partitionMsMin, t.partitionMsMax);
      default: {
        const latency = t.latencyMsMin + this.rng.next() * (t.latencyMsMax - t.latencyMsMin);
        return this.rng.chance(this.mix.delaySpikeProbability) ? latency * t.delaySpikeFactor : latency;
      }
    }
  }
}

if (FAULT_KINDS.some((kind, i) => faultIndexOf({ kind }) !== i)) throw new Error('schedule: faultIndexOf disagrees with FAULT_KINDS');

/**
 * One step's enabled events, sorted as every simulation loop needs them: faults counted by kind
 * (FAULT_KINDS order; only while `faultsOn`), every other event a candidate with its due time (a
 * repair due at once when `repairsNow`, as liveness mode's healing phase wants). Shared by random
 * runs (run.ts) and guided runs (guided-run.ts), so the two cannot schedule differently.
 */
export function sortEnabled(
  enabled: readonly Event[], keys: readonly number[] | null, schedule: Schedule, stepIndex: number, nowMs: number,
  into: { candidates: Candidates; faultCounts: Uint32Array }, faultsOn: boolean, repairsNow: boolean,
): void {
  const { candidates, faultCounts } = into;
  candidates.count = 0;
  faultCounts.fill(0);
  for (let i = 0; i < enabled.length; i++) {
    const event = enabled[i];
    const fault = faultIndexOf(event);
    if (fault >= 0) {
      if (faultsOn) faultCounts[fault]++;
      continue;
    }
    const key = keys !== null ? keys[i] : eventKey(event);
    const at = candidates.count++;
    candidates.events[at] = event;
    candidates.keys[at] = key;
    // dueOf always runs: it draws the event's due time from the run's generator when first enabled.
    const due = schedule.dueOf(key, event, stepIndex, nowMs);
    candidates.dues[at] = repairsNow && (event.kind === 'restart' || event.kind === 'heal') ? nowMs : due;
  }
}

/** The `n`-th enabled fault event of kind index `k`. */
export function nthFault(enabled: readonly Event[], k: number, n: number): Event {
  for (const event of enabled) if (faultIndexOf(event) === k && n-- === 0) return event;
  throw new Error(`simulate: fault ${FAULT_KINDS[k]} #${n} is not enabled`);
}

/** A spontaneous fault at the mix's per-step rates (kinds in FAULT_KINDS order), or null. */
export function faultAtRates(enabled: readonly Event[], faultCounts: Uint32Array, mix: FaultMix, rng: Rng): Event | null {
  for (let k = 0; k < FAULT_KINDS.length; k++) {
    if (faultCounts[k] > 0 && rng.chance(probabilityOf(mix, FAULT_KINDS[k]))) return nthFault(enabled, k, rng.below(faultCounts[k]));
  }
  return null;
}
