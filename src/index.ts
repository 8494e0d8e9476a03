// The public API of ordeal: everything `import ... from 'ordeal'` gives. Whatever is not exported
// here is internal and may change without notice. See docs/api.md.

/**
 * Declare an actor model: parameters with defaults, variants with expected verdicts, a default
 * run configuration, and `protocol(params, variant)` returning the {@link ActorSpec}. Handlers run
 * under guard: a throw or an invalid step becomes a `ModelError` counterexample, not a crash.
 *
 * @example
 * export const pingPong = defineActorModel({
 *   name: 'ping-pong', version: 1, description: '...',
 *   params: { nodes: { default: 2, min: 2, max: 4, description: 'nodes' } },
 *   variants: { default: { description: 'as designed', expected: 'pass' } },
 *   defaultConfig: { network: 'unordered', faults: NO_FAULTS },
 *   protocol: (params, variant) => ({ nodeCount: params.nodes, init, onMessage, onTimer, onRestart, properties }),
 * });
 */
export { defineActorModel } from './api/define-actor-model.ts';
export type { ActorModel, ActorModelDeclaration } from './api/define-actor-model.ts';

/**
 * Exhaustively check one variant (BFS by default, so a counterexample is a shortest one), in this
 * thread or in `workers` threads. Resolves to a {@link CheckResult}; never rejects for what the
 * model does. Rejects with `InputError` for bad options.
 */
export { check } from './api/check.ts';
export type { CheckOptions, CheckResult, FoundViolation } from './api/check.ts';

/**
 * Seeded simulation in virtual time (guided, random, swarm or PCT schedules). The same seed gives
 * the same runs; the lowest-run violation comes back shrunk as a replayable trace. With no strategy
 * named it runs DEFAULT_STRATEGY (guided), or DEFAULT_LIVENESS_STRATEGY (random) with `liveness`.
 */
export { simulate, DEFAULT_STRATEGY, DEFAULT_LIVENESS_STRATEGY } from './api/simulate.ts';
export type { SimulateOptions, SimulationResult } from './api/simulate.ts';

/** Re-execute a trace (object or JSON text) and confirm its violation at the same step. */
export { replay } from './api/replay.ts';
export type { ReplayResult } from './api/replay.ts';

/** Options every run takes: variant, params, network, fault budgets, symmetry, paranoid, signal. */
export type { RunOptions } from './api/options.ts';

/**
 * Strategies, progress and cancellation: the names of the registry (`check` takes an exhaustive
 * one, `simulate` a simulation one), what `onProgress` is told, and the AbortSignal-like `signal`.
 */
export { EXHAUSTIVE_STRATEGY_NAMES, SIMULATION_STRATEGY_NAMES, STRATEGY_NAMES } from './api/strategies.ts';
export type { CancelSignal, ExhaustiveStrategyName, SimulationStrategyName, StrategyName } from './api/strategies.ts';
export type { Progress } from './explore/outcome.ts';
export type { SimulationProgress } from './simulate/simulate.ts';

/** ordeal's version (from its package.json), as traces and checkpoints record it. */
export { ORDEAL_VERSION } from './api/version.ts';

/** A trace replayed through its model as a text timeline (each step, what changed, the verdict). */
export { timelineOf } from './api/timeline.ts';

/** The versioned JSON trace format; `parseTrace` validates parsed JSON as a trace. */
export { parseTrace, TRACE_FORMAT, TRACE_VERSION } from './trace/format.ts';
export type { Trace, ModelFileRef } from './trace/format.ts';

/** Bad input to a public function (unknown variant, parameter out of range, malformed trace). */
export { InputError } from './model/resolve.ts';

/**
 * Model errors: the invariant `ModelError` a failing handler breaks, the detail recorded in the
 * state, and the guard itself (already applied by `defineActorModel`).
 */
export { MODEL_ERROR, guardActorSpec, findModelError } from './model/guard.ts';
export type { ModelErrorDetail, GuardOptions } from './model/guard.ts';

/** The actor API a protocol is written against (see the TSDoc of each type). */
export { CLIENT } from './model/actor.ts';
export type { ActorProperty, ActorSpec, ActorSymmetry, Choice, Envelope, NodeId, NodeSlot, NodeState, Send, Step, WorldView } from './model/actor.ts';

/** Model declarations: parameters, variants, run configuration; `NO_FAULTS` is the zero budget. */
export { NO_FAULTS } from './model/define.ts';
export type { ExpectedVerdict, FaultBudgets, ModelDefinition, NetworkKind, ParamDecl, Params, RunConfig, VariantCheck, VariantDecl } from './model/define.ts';

// ---- What a model folder needs (models/ imports only this file; see docs/models.md) ----

/**
 * Typed model parameters: an integer range (`{ default, min, max }`), a switch
 * (`{ type: 'boolean', default }`) or an enumeration (`{ type: 'enum', choices, default }`);
 * `ParamsOf<typeof PARAMS>` is the type of their values that `protocol` and `spec` receive.
 */
export type { BooleanParamDecl, EnumParamDecl, IntegerParamDecl, ParamDecls, ParamsOf, ParamValue, ParamValueOf } from './model/define.ts';

/** Shrink a trace (object or JSON text) to a shorter one that still breaks its property, as `ordeal shrink` does. */
export { shrink } from './api/shrink.ts';
export type { ShrinkResult } from './api/shrink.ts';

/** A model's parameter values with some replaced, checked as `-p` is (for calling a protocol or spec directly). */
export { modelParams } from './api/params.ts';

/**
 * Declare a spec model: a transition system written as TLA+ writes one (state plus named actions
 * with finite argument tuples), packed by a schema or on plain objects; no network, no faults.
 */
export { defineSpecModel } from './api/define-spec-model.ts';
export type { SpecModel, SpecModelDeclaration } from './api/define-spec-model.ts';

/** The spec API: packed and object specs, their actions' argument tuples, properties and symmetry. */
export type { Args, ObjectSpec, PackedSpec, PackedSymmetry, Spec, SpecProperty } from './model/spec.ts';

/** Helpers for actions' argument domains: `range(n)`, `subsetsOfSize(n, min)` (quorums), `argTuples(domains)`. */
export { argTuples, range, subsetsOfSize } from './model/spec.ts';

/**
 * Schema builders for packed state: bounded `int`, `bool`, `intArray`, `bitset` fields, and
 * `compileSchema`, which generates the typed `View` a packed spec's actions read and write.
 */
export { bitset, bool, compileSchema, int, intArray } from './model/schema.ts';
export type { BitsetField, BoolField, CompiledSchema, Field, IntArrayField, IntField, Schema, View } from './model/schema.ts';

/**
 * Linearizability of a client history (Wing and Gong's search with P-compositionality), for models
 * whose invariant judges the history their clients record; `SPECS` are the sequential specs (register, cas-register, kv, znode).
 */
export { checkLinearizability, describeOperation, formatExplanation, SPECS } from './linearizability/index.ts';
export type { Explanation, History, LinearizabilityResult, Operation, SequentialSpec, Value } from './linearizability/index.ts';
