// Options of the library functions (check, simulate) turned into a validated run description: the
// one place input is validated, for the library and the command line alike. Bad input throws an
// InputError whose message names the option as the caller spells it: `check: maxSteps ...` for a
// library call, `--max-steps ...` for the command line (see Caller).
import type { ModelDefinition, NetworkKind, Params, PartitionKinds, RunConfig } from '../model/define.ts';
import { checkVariant, InputError, resolveConfig, resolveParams } from '../model/resolve.ts';
import type { CancelSignal } from '../explore/control.ts';

/** What every run of a model takes: which variant, parameters, network and fault budgets. */
export interface RunOptions {
  /** The variant to run (default `'default'`). */
  readonly variant?: string;
  /**
   * Parameter values that replace the model's defaults, e.g. `{ participants: 3 }` or `{ fle: 'full' }`,
   * or the command line's assignments, e.g. `['participants=3']` (`-p`).
   */
  readonly params?: Params | readonly string[];
  /** Network semantics (actor models): `'set'`, `'unordered'`, `'fifo'` or `'tcp'`. */
  readonly network?: NetworkKind;
  /** Fault budgets (actor models): how many of each fault one execution may contain. */
  readonly crashes?: number;
  readonly partitions?: number;
  readonly drops?: number;
  readonly duplicates?: number;
  /** Storage faults (docs/faults.md): write errors and power losses that lose buffered durable writes (default 0). */
  readonly diskFaults?: number;
  /** Splits a partition makes: `'all'` (every split), `'halves'` (two groups) or `'isolate'` (one node cut off). */
  readonly partitionKinds?: PartitionKinds;
  /** Symmetry reduction, for models that declare a symmetry. */
  readonly symmetry?: boolean;
  /** Paranoid mode: frozen handler inputs, no clocks or randomness, every handler run twice. */
  readonly paranoid?: boolean;
  /** Check only these invariants, by name (`--invariant`, repeatable); an unknown name throws an InputError. */
  readonly invariants?: readonly string[];
  /** Once aborted (an AbortSignal fits), the run stops at its next polling point: inconclusive, with what it found. */
  readonly signal?: CancelSignal;
  /**
   * The module that exports the model (a path or file URL, e.g. `new URL('./model.ts',
   * import.meta.url)`): worker threads load the model from it. Not needed for the built-in models.
   */
  readonly modelFile?: string | URL;
}

/** Who is asking, for error messages: the library function, or the command line (flags). */
export interface Caller {
  /** Prefix of every message (`check: `), or '' on the command line. */
  readonly prefix: string;
  /** How an option is written: `maxSteps` for the library, `--max-steps` for the command line. */
  spell(option: string): string;
}

/** A library function's caller: options by name, messages prefixed with the function. */
export const libraryCaller = (fn: string): Caller => ({ prefix: `${fn}: `, spell: (option) => option });

/** The command line: options as flags (camelCase to kebab-case), messages without prefix. */
export const commandLineCaller: Caller = {
  prefix: '',
  spell: (option) => `--${(REPEATABLE_FLAGS[option] ?? option).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
};

/** Options that gather a repeatable flag: plural in the library, singular on the command line. */
const REPEATABLE_FLAGS: Readonly<Record<string, string>> = { params: 'param', invariants: 'invariant', timers: 'timer' };

export function inputError(caller: Caller, message: string): InputError {
  return new InputError(`${caller.prefix}${message}`);
}

export interface ResolvedRun {
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
}

/** Validate `options` for `model`; fault budgets default to `faultDefaults` where the model has faults. */
export function resolveRun(caller: Caller, model: ModelDefinition, options: RunOptions, faultDefaults?: RunConfig['faults']): ResolvedRun {
  try {
    if (typeof model !== 'object' || model === null || typeof model.build !== 'function') {
      throw new InputError('the first argument is not a model (use defineActorModel or defineModel)');
    }
    if (options.invariants !== undefined && (!Array.isArray(options.invariants) || !options.invariants.every((n) => typeof n === 'string'))) {
      throw new InputError('invariants must be an array of invariant names');
    }
    const variant = checkVariant(model, options.variant ?? 'default');
    const params = resolveParams(model, options.params ?? {});
    const budgets = model.configurable.faults ? faultDefaults : undefined;
    const config = resolveConfig(model, {
      network: options.network,
      crashes: options.crashes ?? budgets?.crashes,
      partitions: options.partitions ?? budgets?.partitions,
      partitionKinds: options.partitionKinds,
      drops: options.drops ?? budgets?.drops,
      duplicates: options.duplicates ?? budgets?.duplicates,
      diskFaults: options.diskFaults ?? budgets?.diskFaults,
      symmetry: options.symmetry,
      paranoid: options.paranoid,
      invariant: options.invariants,
    });
    return { variant, params, config };
  } catch (error) {
    if (error instanceof InputError && caller.prefix !== '') throw new InputError(`${caller.prefix}${error.message}`);
    throw error;
  }
}

export function nonNegativeInteger(caller: Caller, name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw inputError(caller, `${caller.spell(name)} must be a non-negative integer, got ${String(value)}`);
  return value;
}

/** A whole number of at least `min`, or undefined. */
export function integerAtLeast(caller: Caller, name: string, value: number | undefined, min: number): number | undefined {
  nonNegativeInteger(caller, name, value);
  if (value !== undefined && value < min) throw inputError(caller, `${caller.spell(name)} must be at least ${min}`);
  return value;
}

/** A probability (0..1), or undefined. */
export function probability(caller: Caller, name: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) {
    throw inputError(caller, `${caller.spell(name)} must be a probability per step, from 0 to 1, got ${String(value)}`);
  }
  return value;
}
