// Options of the library functions (check, simulate) turned into a validated run description.
// Bad input throws an InputError whose message names the function and the option.
import type { ModelDefinition, NetworkKind, Params, RunConfig } from '../model/define.ts';
import { checkVariant, InputError, resolveConfig, resolveParams } from '../model/resolve.ts';

/** What every run of a model takes: which variant, parameters, network and fault budgets. */
export interface RunOptions {
  /** The variant to run (default `'default'`). */
  readonly variant?: string;
  /** Parameter values that replace the model's defaults, e.g. `{ participants: 3 }` or `{ fle: 'full' }`. */
  readonly params?: Params;
  /** Network semantics (actor models): `'set'`, `'unordered'`, `'fifo'` or `'tcp'`. */
  readonly network?: NetworkKind;
  /** Fault budgets (actor models): how many of each fault one execution may contain. */
  readonly crashes?: number;
  readonly partitions?: number;
  readonly drops?: number;
  readonly duplicates?: number;
  /** Symmetry reduction, for models that declare a symmetry. */
  readonly symmetry?: boolean;
  /** Paranoid mode: frozen handler inputs, no clocks or randomness, every handler run twice. */
  readonly paranoid?: boolean;
  /** Check only these invariants, by name (reachable targets still count); an unknown name throws an InputError. */
  readonly invariants?: readonly string[];
}

export interface ResolvedRun {
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
}

/** Validate `options` for `model`; `fn` names the public function in error messages. */
export function resolveRun(fn: string, model: ModelDefinition, options: RunOptions, faultDefaults?: RunConfig['faults']): ResolvedRun {
  try {
    if (typeof model !== 'object' || model === null || typeof model.build !== 'function') {
      throw new InputError('the first argument is not a model (use defineActorModel or defineModel)');
    }
    if (options.invariants !== undefined && (!Array.isArray(options.invariants) || !options.invariants.every((n) => typeof n === 'string'))) {
      throw new InputError('invariants must be an array of invariant names');
    }
    const variant = checkVariant(model, options.variant ?? 'default');
    const params = resolveParams(model, options.params ?? {});
    const config = resolveConfig(model, {
      network: options.network,
      crashes: options.crashes ?? (model.configurable.faults ? faultDefaults?.crashes : undefined),
      partitions: options.partitions ?? (model.configurable.faults ? faultDefaults?.partitions : undefined),
      drops: options.drops ?? (model.configurable.faults ? faultDefaults?.drops : undefined),
      duplicates: options.duplicates ?? (model.configurable.faults ? faultDefaults?.duplicates : undefined),
      symmetry: options.symmetry,
      paranoid: options.paranoid,
      invariant: options.invariants,
    });
    return { variant, params, config };
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${fn}: ${error.message}`);
    throw error;
  }
}

export function nonNegativeInteger(fn: string, name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new InputError(`${fn}: ${name} must be a non-negative integer, got ${String(value)}`);
  return value;
}
