// Results of a range of runs, reduced to what a report needs. A tally covers runs
// [runStart, runEnd): when it stops at a violation, runEnd is one past the violating run, so tallies
// of consecutive ranges merge in run order into exactly the tally of the whole range, whichever
// worker, process or machine computed each part.
import type { Event, TransitionSystem } from '../model/system.ts';
import { mixLabel, type FaultMix, type SimulationOptions } from './options.ts';
import { simulateRun } from './run.ts';
import { actionLabeller } from '../explore/coverage.ts';
import type { CoverageReport } from './abstraction.ts';

export interface FoundViolation {
  readonly run: number;
  readonly kind: 'safety' | 'liveness';
  readonly property: string;
  readonly message: string;
  readonly events: readonly Event[];
  readonly mix: FaultMix;
}

export interface MixCount {
  runs: number;
  violations: number;
}

export interface Tally {
  readonly runStart: number;
  /** Exclusive; one past the last run counted. */
  readonly runEnd: number;
  readonly events: number;
  readonly virtualTimeMs: number;
  /** Runs in which each reachable target held at some step (in property order). */
  readonly targetRuns: readonly number[];
  readonly violatingRuns: number;
  /** Swarm only: runs and violating runs per fault-mix label. */
  readonly mixes: Readonly<Record<string, MixCount>>;
  /** The violation of the lowest run index in the range, or null. */
  readonly violation: FoundViolation | null;
  /** True when the tally ended at a violation before its requested end. */
  readonly stopped: boolean;
  /** Events taken per action, every declared action listed (0: it never fired), sorted by name. */
  readonly actions: Readonly<Record<string, number>>;
  /** Guided simulation only: abstract states reached, over runs, and what is likely unseen. */
  readonly coverage?: CoverageReport;
}

export interface TallyRequest {
  readonly options: SimulationOptions;
  readonly seed: number;
  /** Stop at the first violation (the default); false keeps counting every run of the range. */
  readonly stopAtViolation: boolean;
}

/** Simulate runs [runStart, runEnd) in order; `shouldStop`, asked before every run, ends the range early. */
export function simulateRange<S>(system: TransitionSystem<S>, request: TallyRequest, runStart: number, runEnd: number, shouldStop?: () => boolean): Tally {
  const targetCount = system.properties.filter((p) => p.kind === 'reachable').length;
  const targetRuns = new Array<number>(targetCount).fill(0);
  const mixes: Record<string, MixCount> = {};
  let events = 0;
  let virtualTimeMs = 0;
  let violatingRuns = 0;
  let violation: FoundViolation | null = null;
  const actions = new ActionTally(system);
  for (let run = runStart; run < runEnd; run++) {
    if (shouldStop?.()) {
      return { runStart, runEnd: run, events, virtualTimeMs, targetRuns, violatingRuns, mixes: sortedRecord(mixes), violation, stopped: false, actions: actions.result() };
    }
    const result = simulateRun(system, request.options, request.seed, run);
    events += result.steps;
    actions.count(result.events);
    // Whole milliseconds: integer sums are exact, so merging in any grouping gives the same total.
    virtualTimeMs += Math.round(result.virtualTimeMs);
    result.reached.forEach((r, i) => (targetRuns[i] += r ? 1 : 0));
    if (request.options.strategy === 'swarm') {
      const label = mixLabel(result.mix);
      const count = (mixes[label] ??= { runs: 0, violations: 0 });
      count.runs++;
      if (result.violation) count.violations++;
    }
    if (result.violation) {
      violatingRuns++;
      violation ??= { run, ...result.violation, events: result.violation.events, mix: result.mix };
      if (request.stopAtViolation) {
        return { runStart, runEnd: run + 1, events, virtualTimeMs, targetRuns, violatingRuns, mixes: sortedRecord(mixes), violation, stopped: run + 1 < runEnd, actions: actions.result() };
      }
    }
  }
  return { runStart, runEnd, events, virtualTimeMs, targetRuns, violatingRuns, mixes: sortedRecord(mixes), violation, stopped: false, actions: actions.result() };
}

/** Counts taken events per action. */
export class ActionTally {
  private readonly counts = new Map<string, number>();
  private readonly actionOf: (event: Event) => string;
  constructor(system: TransitionSystem<unknown>) {
    this.actionOf = actionLabeller(system);
    for (const action of system.declaredActions ?? []) this.counts.set(action, 0);
  }
  count(events: readonly Event[]): void {
    for (const e of events) {
      const label = this.actionOf(e);
      this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    }
  }
  result(): Record<string, number> {
    return sortedRecord(Object.fromEntries(this.counts));
  }
}

/** Sum of per-action counts (tallies and summaries merge the same way). */
export function sumActions(records: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const r of records) for (const [action, n] of Object.entries(r)) sum[action] = (sum[action] ?? 0) + n;
  return sortedRecord(sum);
}

export function emptyTally(runStart: number, targetCount: number): Tally {
  return { runStart, runEnd: runStart, events: 0, virtualTimeMs: 0, targetRuns: new Array<number>(targetCount).fill(0), violatingRuns: 0, mixes: {}, violation: null, stopped: false, actions: {} };
}

/**
 * Merge tallies of consecutive ranges, in run order. With `stopAtViolation`, everything after the
 * first tally holding a violation is discarded, as a single sequential pass would never have run it.
 */
export function mergeTallies(tallies: readonly Tally[], stopAtViolation: boolean): Tally {
  if (tallies.length === 0) throw new Error('mergeTallies: nothing to merge');
  const sorted = [...tallies].sort((a, b) => a.runStart - b.runStart);
  let merged = sorted[0];
  for (let i = 1; i < sorted.length; i++) {
    if (stopAtViolation && merged.violation) {
      merged = { ...merged, stopped: true };
      break;
    }
    const next = sorted[i];
    if (next.runStart !== merged.runEnd) {
      throw new Error(`mergeTallies: runs ${merged.runEnd}..${next.runStart - 1} are missing (ranges must be consecutive)`);
    }
    const mixes: Record<string, MixCount> = {};
    for (const source of [merged.mixes, next.mixes]) {
      for (const [label, c] of Object.entries(source)) {
        const m = (mixes[label] ??= { runs: 0, violations: 0 });
        m.runs += c.runs;
        m.violations += c.violations;
      }
    }
    merged = {
      runStart: merged.runStart,
      runEnd: next.runEnd,
      events: merged.events + next.events,
      virtualTimeMs: merged.virtualTimeMs + next.virtualTimeMs,
      targetRuns: merged.targetRuns.map((r, t) => r + next.targetRuns[t]),
      violatingRuns: merged.violatingRuns + next.violatingRuns,
      mixes: sortedRecord(mixes),
      violation: merged.violation ?? next.violation,
      stopped: next.stopped,
      actions: sumActions([merged.actions, next.actions]),
    };
  }
  return { ...merged, mixes: sortedRecord(merged.mixes) };
}

function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
