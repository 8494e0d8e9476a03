// What every model declares: name, parameters with defaults, variants with expected verdicts,
// and how to build a transition system for one run configuration.
import type { TransitionSystem } from './system.ts';
import type { StrategyName } from '../explore/strategies/index.ts';
import { InputError } from './resolve.ts';
import { MODEL_ERROR } from './guard.ts';

/** `pass`, or the name of the property a deliberately buggy variant (a mutant) must break. */
export type ExpectedVerdict = 'pass' | string;

export interface ParamDecl {
  readonly default: number;
  readonly description: string;
  readonly min: number;
  readonly max: number;
}

export interface VariantDecl {
  readonly description: string;
  readonly expected: ExpectedVerdict;
  /**
   * How `ordeal summary` (npm start) and the verdict tests check this variant, when plain BFS with
   * the model's defaults is not the cheapest way to its verdict (a deep bug simulation finds in
   * milliseconds, a liveness bug that only simulation can see). Omitted: BFS with the defaults.
   */
  readonly check?: VariantCheck;
}

/** A variant's declared way to its verdict. */
export interface VariantCheck {
  readonly strategy: StrategyName;
  /** Simulation only: the master seed and the number of runs (defaults: 1 and 1000). */
  readonly seed?: number;
  readonly runs?: number;
  /** Simulation only: check liveness (the variant's expected verdict is then a liveness property). */
  readonly liveness?: boolean;
  /** Simulation only: steps per run at most. */
  readonly maxSteps?: number;
  /** Parameter values that replace the model's defaults for this check. */
  readonly params?: Readonly<Record<string, number>>;
  /** Run configuration fields that replace the model's default configuration for this check. */
  readonly config?: Partial<RunConfig>;
}

export type Params = Readonly<Record<string, number>>;

/** Network semantics of an actor world. */
export type NetworkKind =
  /** Messages are never removed once sent (Paxos.tla's `msgs`): delivery leaves them deliverable. */
  | 'set'
  /** A multiset: any in-flight message may be delivered next, each copy once. */
  | 'unordered'
  /** Per-channel FIFO queues that never break (a channel's head may still be dropped as a fault). */
  | 'fifo'
  /**
   * TCP connections, as Zab assumes: FIFO per channel, and a crash of either end or a partition
   * that separates two nodes closes their connection, discarding what was in flight on it; a send
   * to a node that is down or across a partition is lost. No drop or duplicate faults.
   */
  | 'tcp';

/** Fault budgets: how many of each fault event one execution may contain. */
export interface FaultBudgets {
  readonly crashes: number;
  readonly partitions: number;
  readonly drops: number;
  readonly duplicates: number;
}

/** Which splits a partition event may make: every one, two groups only, or one node cut off. */
export type PartitionKinds = 'all' | 'halves' | 'isolate';

export interface RunConfig {
  readonly network: NetworkKind;
  readonly faults: FaultBudgets;
  /** Which splits partition events make (default `all`). */
  readonly partitionKinds?: PartitionKinds;
  /** Symmetry reduction (models that declare a symmetry): one state per equivalence class. */
  readonly symmetry?: boolean;
  /**
   * Paranoid mode (actor models defined through the public `defineActorModel`): handlers get
   * frozen inputs, may not read clocks or randomness, and run twice; see src/model/guard.ts.
   */
  readonly paranoid?: boolean;
  /**
   * Check only these invariants (by name); absent means all. Reachable targets always count. The
   * selection is part of the configuration, so a trace's replay, shrink and render judge it alike.
   */
  readonly invariants?: readonly string[];
}

export const NO_FAULTS: FaultBudgets = Object.freeze({ crashes: 0, partitions: 0, drops: 0, duplicates: 0 });

export interface BuildInput {
  readonly params: Params;
  readonly variant: string;
  readonly config: RunConfig;
}

export interface ModelDefinition {
  readonly name: string;
  /** Bumped when the model's semantics change, so old traces are refused rather than misread. */
  readonly version: number;
  readonly description: string;
  readonly params: Readonly<Record<string, ParamDecl>>;
  /** Always has a `default` variant. */
  readonly variants: Readonly<Record<string, VariantDecl>>;
  /** Run configuration used when the command line does not override it. */
  readonly defaultConfig: RunConfig;
  /** Which parts of the run configuration this model honours (spec models have no network). */
  readonly configurable: { readonly network: boolean; readonly faults: boolean; readonly symmetry?: boolean };
  build(input: BuildInput): TransitionSystem<any>;
}

export function defineModel(model: ModelDefinition): ModelDefinition {
  if (!model.variants.default) throw new Error(`model ${model.name}: a 'default' variant is required`);
  for (const [name, p] of Object.entries(model.params)) {
    if (!Number.isInteger(p.default) || p.default < p.min || p.default > p.max) {
      throw new Error(`model ${model.name}: parameter ${name} default ${p.default} outside ${p.min}..${p.max}`);
    }
  }
  const build = model.build;
  return { ...model, build: (input) => selectInvariants(model.name, build(input), input.config.invariants) };
}

/**
 * The system with only the named invariants (reachable targets kept): the one place `--invariant`
 * is applied, since every model is built through `defineModel`. An unknown name is an InputError.
 * ModelError (a handler that threw or returned an invalid step) is always checked.
 */
export function selectInvariants<S>(modelName: string, system: TransitionSystem<S>, names: readonly string[] | undefined): TransitionSystem<S> {
  if (names === undefined) return system;
  const known = system.properties.filter((p) => p.kind === 'invariant' && p.name !== MODEL_ERROR).map((p) => p.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new InputError(`model ${modelName} has no invariant ${unknown.map((n) => `'${n}'`).join(', ')} (known: ${known.join(', ') || 'none'})`);
  }
  return { ...system, properties: system.properties.filter((p) => p.kind !== 'invariant' || p.name === MODEL_ERROR || names.includes(p.name)) };
}
