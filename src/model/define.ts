// What every model declares: name, parameters with defaults, variants with expected verdicts,
// and how to build a transition system for one run configuration.
import type { TransitionSystem } from './system.ts';
import type { StrategyName } from '../explore/strategies/index.ts';
import { InputError, resolveParams } from './resolve.ts';
import { MODEL_ERROR } from './guard.ts';

/** `pass`, or the name of the property a deliberately buggy variant (a mutant) must break. */
export type ExpectedVerdict = 'pass' | string;

/** An integer parameter in `min..max` (the kind a declaration without `type` is). */
export interface IntegerParamDecl {
  readonly type?: 'integer';
  readonly default: number;
  readonly description: string;
  readonly min: number;
  readonly max: number;
}

/** A switch: `-p name=true` or `-p name=false` (`1` and `0` are read as true and false). */
export interface BooleanParamDecl {
  readonly type: 'boolean';
  readonly default: boolean;
  readonly description: string;
}

/** One of a few named choices: `-p name=choice`. */
export interface EnumParamDecl<C extends string = string> {
  readonly type: 'enum';
  /** The valid values; `legacyNumbers` lets old traces that recorded choice i as the number i replay. */
  readonly choices: readonly C[];
  readonly default: C;
  readonly description: string;
  /** Accept the number i as `choices[i]` (a parameter that used to be a 0/1 switch; old traces). */
  readonly legacyNumbers?: boolean;
}

/** A model parameter: an integer in a range, a boolean switch, or an enumeration. */
export type ParamDecl = IntegerParamDecl | BooleanParamDecl | EnumParamDecl;

/** The parameter declarations of a model, by name. */
export type ParamDecls = Readonly<Record<string, ParamDecl>>;

/** A parameter's value: an integer, a boolean or an enumeration's choice. */
export type ParamValue = number | boolean | string;

/** The value type a declaration gives: number, boolean, or the union of an enum's choices. */
export type ParamValueOf<P extends ParamDecl> = P extends { readonly type: 'boolean' }
  ? boolean
  : P extends { readonly type: 'enum'; readonly choices: readonly (infer C)[] }
    ? C
    : number;

/** The parameter values of one run, typed from the declarations (`ParamsOf<typeof PARAMS>`). */
export type ParamsOf<P extends ParamDecls> = { readonly [K in keyof P]: ParamValueOf<P[K]> };

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
  /**
   * Exhaustive only: the depth searched at most. For a liveness check of a model whose bug makes the
   * state space infinite (a livelock that fills channels): a lasso found within it is a real one.
   */
  readonly maxDepth?: number;
  /** Parameter values that replace the model's defaults for this check. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Run configuration fields that replace the model's default configuration for this check. */
  readonly config?: Partial<RunConfig>;
}

/** Parameter values of one run, by name (validated against the declarations by resolveParams). */
export type Params = Readonly<Record<string, ParamValue>>;

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
  /**
   * Storage faults (docs/faults.md): `write-error` (buffered writes fail, the node is told) and
   * `power-loss` (a crash that also loses the buffered writes). Absent means 0.
   */
  readonly diskFaults?: number;
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
  readonly params: ParamDecls;
  /** Always has a `default` variant. */
  readonly variants: Readonly<Record<string, VariantDecl>>;
  /** Run configuration used when the command line does not override it. */
  readonly defaultConfig: RunConfig;
  /** Which parts of the run configuration this model honours (spec models have no network). */
  readonly configurable: { readonly network: boolean; readonly faults: boolean; readonly symmetry?: boolean };
  build(input: BuildInput): TransitionSystem<any>;
}

/** What `defineModel` takes: a model whose `build` gets its parameters typed from `params`. */
export interface ModelDeclaration<P extends ParamDecls> extends Omit<ModelDefinition, 'params' | 'build'> {
  readonly params: P;
  build(input: BuildInput & { readonly params: ParamsOf<P> }): TransitionSystem<any>;
}

export function defineModel<const P extends ParamDecls = ParamDecls>(declaration: ModelDeclaration<P>): ModelDefinition {
  // Sound: `build` below is only ever called with parameters resolveParams checked against `params`.
  const model = declaration as unknown as ModelDefinition;
  if (!model.variants.default) throw new Error(`model ${model.name}: a 'default' variant is required`);
  for (const [name, p] of Object.entries(model.params)) {
    const problem = paramDeclProblem(p);
    if (problem) throw new Error(`model ${model.name}: parameter ${name} ${problem}`);
  }
  const build = model.build;
  // Parameters are resolved here too, so every way to a system (a check, a trace's replay, a
  // render) hands the model typed values, also from a trace that recorded a switch as 0/1.
  return { ...model, build: (input) => selectInvariants(model.name, build({ ...input, params: resolveParams(model, input.params) }), input.config.invariants) };
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

/** What is wrong with a parameter declaration, or null. */
function paramDeclProblem(p: ParamDecl): string | null {
  const given: unknown = p.default;
  switch (p.type) {
    case 'boolean':
      return typeof given === 'boolean' ? null : `default ${String(given)} is not a boolean`;
    case 'enum':
      if (!Array.isArray(p.choices) || p.choices.length === 0 || !p.choices.every((c) => typeof c === 'string' && c !== '')) return 'needs a non-empty list of choices';
      return p.choices.includes(p.default) ? null : `default '${String(given)}' is not one of ${p.choices.join(', ')}`;
    case undefined:
    case 'integer':
      return Number.isInteger(p.default) && p.default >= p.min && p.default <= p.max ? null : `default ${p.default} outside ${p.min}..${p.max}`;
    default:
      return `has an unknown type '${String((p as { type: unknown }).type)}' (integer, boolean or enum)`;
  }
}
