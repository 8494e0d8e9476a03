// Coverage-guided simulation (`--strategy guided`), after greybox fuzzers of distributed systems
// (Mallory, CCS 2023; AFL's corpus and energy). The corpus holds schedule prefixes that reached an
// abstract state no run had reached before (abstraction.ts); a run either starts fresh or replays a
// prefix of a corpus entry and diverges from it (guided-run.ts), with its own timing and fault
// placement drawn from its seed (draw.ts). Energy goes to entries whose children recently found
// new coverage, and to entries whose abstract state few runs reach (the frontier).
//
// Determinism: runs go in generations of GENERATION_RUNS. Run r's plan depends only on (seed, r)
// and the corpus as it stood when r's generation began; the generation's results are merged into
// the corpus in run order. So run r does the same on any worker count and in any order of
// execution; `--run R` rebuilds the corpus from runs 0..R-1 (uncounted) and reproduces run R.
import type { FaultBudgets } from '../model/define.ts';
import type { Event, TransitionSystem } from '../model/system.ts';
import { abstractionOf, CoverageCounter, type RunsReaching } from './abstraction.ts';
import { drawMix, drawTiming, placeFaults, ratesGiven, timerNamesOf } from './draw.ts';
import { guidedCursor, guidedRun, type Divergence, type GuidedPlan, type GuidedRunResult } from './guided-run.ts';
import { DEFAULT_FAULT_MIX, type FaultMix, type SimulationOptions, type Timing } from './options.ts';
import { Rng } from './rng.ts';
import { ActionTally, type FoundViolation, type Tally } from './tally.ts';
import { actionLabeller } from '../explore/coverage.ts';

/** Runs per generation: the corpus changes only between generations. */
export const GENERATION_RUNS = 64;
/** Corpus entries at most; beyond it the entry of least energy leaves. */
export const MAX_CORPUS_ENTRIES = 2048;
/** Share of runs that start fresh (no prefix) once the corpus is not empty. */
export const FRESH_RUN_SHARE = 0.1;
/** Share of runs grown from an entry that draw their own timing and mix instead of the entry's. */
export const TIMING_CHANGE_SHARE = 0.25;
/** An entry whose children found new coverage within this many generations gets RECENT_ENERGY times the energy. */
export const RECENT_GENERATIONS = 3;
export const RECENT_ENERGY = 4;
/** Expected run length (events) for placing faults before any run has been measured. */
export const FIRST_EXPECTED_STEPS = 50;

/** Share of runs grown from an entry that keep all of it (the rest cut near its end or anywhere). */
export const CUT_AT_END = 0.4;

const DIVERGENCES: readonly Divergence[] = ['other-event', 'other-event', 'fault', 'early-timer', 'none'];

interface CorpusEntry {
  readonly events: readonly Event[];
  /** The timing and fault mix of the run that found it (children keep them, mostly). */
  readonly timing: Timing;
  readonly mix: FaultMix;
  /** Generation in which a child of this entry (or the entry itself) last found new coverage. */
  lastNewGeneration: number;
  /** Children that found new coverage. */
  finds: number;
  /** Runs that grew from this entry. */
  picks: number;
  /**
   * How many runs reached the abstract state whose first sighting made this entry, kept up to date
   * by the coverage counter (null: a new action made it).
   */
  readonly reach: RunsReaching | null;
}

class Corpus {
  readonly entries: CorpusEntry[] = [];

  constructor(private readonly coverage: CoverageCounter) {}

  private energy(entry: CorpusEntry, generation: number): number {
    const recent = generation - entry.lastNewGeneration < RECENT_GENERATIONS ? RECENT_ENERGY : 1;
    // Rare states first (as AFL's rare-branch and Entropic schedules do): an entry whose state
    // few runs reach is the frontier; one every run passes through is not. (Math.sqrt is exact in
    // IEEE 754, unlike Math.pow, so the weights are the same on every machine.)
    return ((1 + entry.finds) * recent) / (1 + entry.picks / 4) / this.rarityOf(entry);
  }

  /** sqrt(runs that reached the entry's state): read through the counter's own record, no lookup. */
  private rarityOf(entry: CorpusEntry): number {
    return entry.reach === null ? 1 : Math.sqrt(entry.reach.runs);
  }

  /**
   * The energies of the entries, kept between picks: planning a generation changes no entry but
   * the one picked last (its `picks`), so the next pick recomputes only that one. Any other change
   * (an entry added or removed, a new generation, new coverage) recomputes them all.
   */
  private readonly weights: number[] = [];
  /** The generation the weights were computed in; -1 when an added entry made them stale. */
  private weightsGeneration = -1;
  private weightsVersion = -1;
  private lastPicked = -1;

  /** An entry drawn with probability proportional to its energy; counts it as picked. */
  pick(rng: Rng, generation: number): CorpusEntry {
    const weights = this.weights;
    const version = this.coverage.sightingsSoFar;
    if (generation !== this.weightsGeneration || version !== this.weightsVersion) {
      for (let i = 0; i < this.entries.length; i++) weights[i] = this.energy(this.entries[i], generation);
      this.weightsGeneration = generation;
      this.weightsVersion = version;
    } else if (this.lastPicked >= 0) {
      weights[this.lastPicked] = this.energy(this.entries[this.lastPicked], generation);
    }
    // The total is summed in entry order every time, so it is the same number however it was reached.
    let total = 0;
    for (let i = 0; i < this.entries.length; i++) total += weights[i];
    let x = rng.next() * total;
    let picked = this.entries.length - 1;
    for (let i = 0; i < this.entries.length; i++) {
      x -= weights[i];
      if (x < 0) {
        picked = i;
        break;
      }
    }
    this.lastPicked = picked;
    this.entries[picked].picks++;
    return this.entries[picked];
  }

  add(entry: CorpusEntry, generation: number): void {
    this.weightsGeneration = -1;
    this.entries.push(entry);
    if (this.entries.length <= MAX_CORPUS_ENTRIES) return;
    const energies = this.entries.map((e) => this.energy(e, generation));
    let weakest = 0;
    for (let i = 1; i < this.entries.length; i++) if (energies[i] < energies[weakest]) weakest = i;
    this.entries.splice(weakest, 1);
  }
}

export interface GuidedRequest<S> {
  readonly system: TransitionSystem<S>;
  readonly options: SimulationOptions;
  readonly seed: number;
  /** The fault budgets of the run configuration: what each run places. */
  readonly budgets: FaultBudgets;
  readonly runStart: number;
  /** Exclusive. */
  readonly runEnd: number;
  readonly stopAtViolation: boolean;
  /** Asked before every counted run; true ends the simulation there. */
  readonly shouldStop?: () => boolean;
  /** Told after every generation: runs and events counted so far. */
  readonly onGeneration?: (runs: number, events: number) => void;
  /** false: keep nothing in the corpus, so every run starts fresh (what the corpus adds, measured by tests). */
  readonly keepCorpus?: boolean;
}

/** The generator of guided run `run` (distinct from random simulation's run generators). */
export function guidedRng(seed: number, run: number): Rng {
  return Rng.fromSeed(`ordeal/guided/${seed}/${run}`);
}

interface Planned {
  readonly plan: GuidedPlan;
  readonly parent: CorpusEntry | null;
}

function planRun(request: GuidedRequest<unknown>, rng: Rng, corpus: Corpus, generation: number, expectedSteps: number, timerNames: readonly string[]): Planned {
  const { options } = request;
  let timing = drawTiming(rng, options.timing, timerNames);
  let mix = drawMix(rng, options.mix, ratesGiven(options.mix, DEFAULT_FAULT_MIX));
  const parent = corpus.entries.length > 0 && !rng.chance(FRESH_RUN_SHARE) ? corpus.pick(rng, generation) : null;
  // A child keeps its parent's timing and mix (the regime in which the parent found something new)
  // unless it draws a change.
  if (parent !== null && !rng.chance(TIMING_CHANGE_SHARE)) {
    timing = parent.timing;
    mix = parent.mix;
  }
  let prefix: readonly Event[] = [];
  let divergence: Divergence = 'none';
  if (parent !== null) {
    const length = parent.events.length;
    // From the entry's end (the new state it found) to go beyond it, else near the end, else anywhere.
    const at = rng.next();
    const cut = at < CUT_AT_END ? length : at < (1 + CUT_AT_END) / 2 ? length - rng.below(Math.min(length, 8) + 1) : rng.below(length + 1);
    prefix = parent.events.slice(0, cut);
    divergence = rng.pick(DIVERGENCES);
  }
  const faults = placeFaults(rng, request.budgets, prefix.length, expectedSteps);
  return { plan: { prefix, divergence, timing, mix, faults, maxSteps: options.maxSteps }, parent };
}

/** Simulate runs 0..runEnd-1 of guided simulation, counting [runStart, runEnd), as a tally with coverage. */
export function simulateGuided<S>(request: GuidedRequest<S>): Tally {
  const { system, runStart, runEnd } = request;
  if (request.options.liveness !== null) throw new Error('guided simulation checks safety only (use random, swarm or pct with liveness)');
  const abstraction = abstractionOf(system);
  const cursor = guidedCursor(system);
  const timerNames = timerNamesOf(system.declaredActions);
  const actionOf = actionLabeller(system);
  const targetCount = system.properties.filter((p) => p.kind === 'reachable').length;
  const coverage = new CoverageCounter();
  const actionsSeen = new Set<string>();
  const corpus = new Corpus(coverage);
  const actions = new ActionTally(system);
  const targetRuns = new Array<number>(targetCount).fill(0);
  let events = 0;
  let virtualTimeMs = 0;
  let violatingRuns = 0;
  let violation: FoundViolation | null = null;
  let counted = runStart;
  let expectedSteps = FIRST_EXPECTED_STEPS;

  const result = (stopped: boolean): Tally => ({
    runStart, runEnd: counted, events, virtualTimeMs, targetRuns, violatingRuns, mixes: {}, violation, stopped, actions: actions.result(),
    coverage: coverage.report(corpus.entries.length),
  });

  for (let generation = 0; generation * GENERATION_RUNS < runEnd; generation++) {
    const first = generation * GENERATION_RUNS;
    const last = Math.min(runEnd, first + GENERATION_RUNS);
    // Plans first, from the corpus as the generation found it; then the runs, merged in run order.
    const planned: Planned[] = [];
    const rngs: Rng[] = [];
    for (let run = first; run < last; run++) {
      const rng = guidedRng(request.seed, run);
      planned.push(planRun(request as GuidedRequest<unknown>, rng, corpus, generation, expectedSteps, timerNames));
      rngs.push(rng);
    }
    let stepsAfterPrefix = 0;
    for (let run = first; run < last; run++) {
      if (run >= runStart && request.shouldStop?.()) return result(false);
      const { plan, parent } = planned[run - first];
      const r: GuidedRunResult = guidedRun(system, cursor, abstraction, plan, rngs[run - first], run);
      stepsAfterPrefix += r.steps - Math.min(r.steps, plan.prefix.length);
      // Cut the run where it last reached something no earlier run had.
      let newUntil = -1;
      let found: string | null = null;
      r.abstractStates.forEach((a, i) => {
        if (!coverage.has(a) && r.reachedAtStep[i] >= newUntil) {
          newUntil = r.reachedAtStep[i];
          found = a;
        }
      });
      r.events.forEach((e, i) => {
        const label = actionOf(e);
        if (!actionsSeen.has(label)) {
          actionsSeen.add(label);
          if (i + 1 > newUntil) found = null;
          newUntil = Math.max(newUntil, i + 1);
        }
      });
      coverage.add(r.abstractStates);
      if (newUntil > 0 && request.keepCorpus !== false) {
        corpus.add({ events: r.events.slice(0, newUntil), timing: plan.timing, mix: plan.mix, lastNewGeneration: generation, finds: 0, picks: 0, reach: found === null ? null : coverage.reachOf(found) }, generation);
        if (parent !== null) {
          parent.finds++;
          parent.lastNewGeneration = generation;
        }
      }
      if (run < runStart) continue;
      counted = run + 1;
      events += r.steps;
      virtualTimeMs += Math.round(r.virtualTimeMs);
      actions.count(r.events);
      r.reached.forEach((reached, i) => (targetRuns[i] += reached ? 1 : 0));
      if (r.violation) {
        violatingRuns++;
        violation ??= { run, ...r.violation, mix: r.mix };
        if (request.stopAtViolation) {
          coverage.point(run + 1);
          return result(run + 1 < runEnd);
        }
      }
    }
    coverage.point(last);
    expectedSteps = Math.max(1, Math.round(stepsAfterPrefix / (last - first)));
    if (last > runStart) request.onGeneration?.(counted - runStart, events);
  }
  return result(false);
}
