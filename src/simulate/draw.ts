// What guided simulation draws per run instead of taking it from the command line: the timing
// (swarm over timing, as TigerBeetle's VOPR varies its network and timeouts per seed) and the steps
// at which the fault budget's faults happen (so a budget of two crashes means two crashes in nearly
// every run, where a per-step rate of 0.01 leaves most 40-event runs without any).
// Every draw comes from the run's own generator, in a fixed order, and uses only ladders of
// constants (no transcendental functions), so a run's draw is the same on every machine.
import type { FaultBudgets } from '../model/define.ts';
import { DEFAULT_TIMING, FAULT_KINDS, type FaultKind, type FaultMix, type Timing } from './options.ts';
import type { Rng } from './rng.ts';

/** Upper bounds of message latency a run may draw, in virtual ms (the lower bound stays 1 ms). */
export const LATENCY_MS_MAX_LADDER: readonly number[] = [3, 10, 30, 100];
/**
 * Timeouts a run may draw for each timer name, as multiples of its latency bound: what matters is
 * how a timer races the messages (below 1: it fires before most messages land; 20: after nearly all).
 */
export const TIMER_TO_LATENCY_LADDER: readonly number[] = [0.25, 0.5, 1, 3, 10];
/** Delay-spike probabilities a run may draw (a spike multiplies one message's latency). */
export const DELAY_SPIKE_LADDER: readonly number[] = [0, 0.01, 0.05, 0.2];
/** Upper bounds of a crashed node's downtime, in virtual ms. */
export const DOWNTIME_MS_MAX_LADDER: readonly number[] = [20, 200, 2000];
/** Upper bounds of a partition's length, in virtual ms. */
export const PARTITION_MS_MAX_LADDER: readonly number[] = [50, 500, 5000];

/**
 * The share of runs in which each fault kind is on (its budget placed), as swarm testing draws:
 * crashes in half the runs, the other kinds in a quarter (measured on bench/deep.ts: Raft's Figure 8
 * needs runs without faults, Zab's bugs runs with crashes).
 */
export const FAULT_KIND_ON_PROBABILITY: Readonly<Record<FaultKind, number>> = { crash: 0.5, partition: 0.25, drop: 0.25, duplicate: 0.25 };

/** One budgeted fault of a run: it happens at the first step at or after `step` where it is enabled. */
export interface PlacedFault {
  readonly step: number;
  readonly kind: FaultKind;
}

/** The timer names a model declares, from its coverage actions ("server timer election" -> election). */
export function timerNamesOf(declaredActions: readonly string[] | undefined): string[] {
  const names = new Set<string>();
  for (const action of declaredActions ?? []) {
    const m = / timer (\S+)$/.exec(action);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}

/**
 * The timing of one run: each quantity the user left at its default is drawn from its ladder; one
 * the user set (`--latency`, `--timer-ms`, `--timer`) is kept. Each declared timer name draws its
 * own timeout, so an election timer far slower than a client timer (Raft's Figure 8) is one draw
 * in a few dozen rather than a flag to find by hand.
 */
export function drawTiming(rng: Rng, given: Timing, timerNames: readonly string[]): Timing {
  const latencyMsMax = rng.pick(LATENCY_MS_MAX_LADDER);
  // Half the runs give every timer one ratio (the timers keep their relative order), half draw one per name.
  const shared = rng.pick(TIMER_TO_LATENCY_LADDER);
  const perName = rng.chance(0.5);
  const timerOf = (): number => Math.max(1, Math.round(latencyMsMax * (perName ? rng.pick(TIMER_TO_LATENCY_LADDER) : shared)));
  const timerMs = timerOf();
  const byName: Record<string, number> = {};
  for (const name of timerNames) byName[name] = timerOf();
  const downtimeMsMax = rng.pick(DOWNTIME_MS_MAX_LADDER);
  const partitionMsMax = rng.pick(PARTITION_MS_MAX_LADDER);
  const latencyGiven = given.latencyMsMin !== DEFAULT_TIMING.latencyMsMin || given.latencyMsMax !== DEFAULT_TIMING.latencyMsMax;
  const timersGiven = given.timerMs !== DEFAULT_TIMING.timerMs || given.timerMsByName !== undefined;
  return Object.freeze({
    ...given,
    ...(latencyGiven ? {} : { latencyMsMin: 1, latencyMsMax }),
    ...(timersGiven ? {} : { timerMs, timerMsByName: Object.freeze(byName) }),
    downtimeMsMin: Math.min(given.downtimeMsMin, downtimeMsMax),
    downtimeMsMax,
    partitionMsMin: Math.min(given.partitionMsMin, partitionMsMax),
    partitionMsMax,
  });
}

/**
 * The spontaneous-fault mix of a guided run: the rates the user set, if any (then faults also fire
 * at those rates, as in random simulation), else none; delay spikes and fast restarts are drawn.
 */
export function drawMix(rng: Rng, given: FaultMix, ratesGiven: boolean): FaultMix {
  const delaySpikeProbability = rng.pick(DELAY_SPIKE_LADDER);
  const fastRestartProbability = rng.chance(0.5) ? 1 : 0;
  const rates = ratesGiven
    ? { crashProbability: given.crashProbability, partitionProbability: given.partitionProbability, dropProbability: given.dropProbability, duplicateProbability: given.duplicateProbability }
    : { crashProbability: 0, partitionProbability: 0, dropProbability: 0, duplicateProbability: 0 };
  return Object.freeze({ ...rates, delaySpikeProbability, fastRestartProbability });
}

/** True when any fault rate differs from the defaults (the user asked for rates). */
export function ratesGiven(mix: FaultMix, defaults: FaultMix): boolean {
  return (
    mix.crashProbability !== defaults.crashProbability ||
    mix.partitionProbability !== defaults.partitionProbability ||
    mix.dropProbability !== defaults.dropProbability ||
    mix.duplicateProbability !== defaults.duplicateProbability
  );
}

/**
 * The budgeted faults of one run, each at a step drawn uniformly from [fromStep, fromStep +
 * expectedSteps): the whole crash and partition budgets (they are what deep bugs need), and a drawn
 * share 0..budget of drops and duplications (which, in quantity, mask as many bugs as they expose).
 * Sorted by step, then kind.
 */
export function placeFaults(rng: Rng, budgets: FaultBudgets, fromStep: number, expectedSteps: number): PlacedFault[] {
  const span = Math.max(1, Math.floor(expectedSteps));
  // Swarm over fault kinds: each is on for half the runs (a kind often masks the bug another needs).
  const on = FAULT_KINDS.map((kind) => rng.chance(FAULT_KIND_ON_PROBABILITY[kind]));
  const counts: Record<FaultKind, number> = {
    crash: on[0] ? budgets.crashes : 0,
    partition: on[1] ? budgets.partitions : 0,
    drop: on[2] ? rng.between(1, Math.max(1, budgets.drops)) : 0,
    duplicate: on[3] ? rng.between(1, Math.max(1, budgets.duplicates)) : 0,
  };
  const placed: PlacedFault[] = [];
  for (const kind of FAULT_KINDS) for (let i = 0; i < counts[kind]; i++) placed.push({ step: fromStep + rng.below(span), kind });
  placed.sort((a, b) => a.step - b.step || FAULT_KINDS.indexOf(a.kind) - FAULT_KINDS.indexOf(b.kind));
  return placed;
}
