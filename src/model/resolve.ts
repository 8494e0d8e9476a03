// Turning user input (model name, variant, key=value parameters, run options) into a validated
// run description. Every problem is an InputError with one clear sentence (the CLI exits 2).
import type { FaultBudgets, ModelDefinition, NetworkKind, ParamDecl, Params, ParamValue, PartitionKinds, RunConfig } from './define.ts';

export class InputError extends Error {}

export function findModel(models: readonly ModelDefinition[], name: string): ModelDefinition {
  const model = models.find((m) => m.name === name);
  if (!model) throw new InputError(`unknown model '${name}' (known: ${models.map((m) => m.name).join(', ')})`);
  return model;
}

export function checkVariant(model: ModelDefinition, variant: string): string {
  if (!Object.hasOwn(model.variants, variant)) {
    throw new InputError(`model ${model.name} has no variant '${variant}' (known: ${Object.keys(model.variants).join(', ')})`);
  }
  return variant;
}

export function parseInteger(text: string, what: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new InputError(`${what} must be an integer, got '${text}'`);
  return Number(text);
}

/**
 * Merge `key=value` assignments (or values by name) over the model's defaults, checking each
 * against its declaration: an integer in its range, a boolean (`true`/`false`), or one of an
 * enum's choices. A boolean, or an enum declared with `legacyNumbers`, also takes the 0/1 it was
 * written as before it had a type, so old traces replay. The result holds typed values.
 */
export function resolveParams(model: ModelDefinition, assignments: readonly string[] | Readonly<Record<string, unknown>> = []): Params {
  const params: Record<string, ParamValue> = Object.fromEntries(Object.entries(model.params).map(([k, p]) => [k, p.default]));
  const pairs: [string, unknown][] = Array.isArray(assignments)
    ? assignments.map((a) => {
        const eq = a.indexOf('=');
        if (eq <= 0) throw new InputError(`parameter '${a}' must be written name=value`);
        return [a.slice(0, eq), a.slice(eq + 1)];
      })
    : Object.entries(assignments);
  for (const [name, raw] of pairs) {
    const decl = model.params[name];
    if (!decl || !Object.hasOwn(model.params, name)) {
      throw new InputError(`model ${model.name} has no parameter '${name}' (known: ${Object.keys(model.params).join(', ')})`);
    }
    params[name] = paramValue(name, decl, raw);
  }
  return Object.freeze(params);
}

/** `raw` (text from `-p`, or a value from code or a trace) as the value `decl` declares. */
function paramValue(name: string, decl: ParamDecl, raw: unknown): ParamValue {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (decl.type) {
    case 'boolean': {
      if (text === true || text === 'true' || text === 1 || text === '1') return true;
      if (text === false || text === 'false' || text === 0 || text === '0') return false;
      throw new InputError(`parameter ${name} must be true or false, got '${String(raw)}'`);
    }
    case 'enum': {
      if (typeof text === 'string' && decl.choices.includes(text)) return text;
      const index = typeof text === 'number' ? text : typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : NaN;
      if (decl.legacyNumbers && Number.isInteger(index) && index >= 0 && index < decl.choices.length) return decl.choices[index];
      throw new InputError(`parameter ${name} must be one of ${decl.choices.join(', ')}, got '${String(raw)}'`);
    }
    default: {
      const value = typeof text === 'number' ? text : parseInteger(String(raw), `parameter ${name}`);
      if (!Number.isInteger(value) || value < decl.min || value > decl.max) {
        throw new InputError(`parameter ${name} = ${value} is outside ${decl.min}..${decl.max}`);
      }
      return value;
    }
  }
}

export interface ConfigOverrides {
  readonly network?: string;
  readonly crashes?: number;
  readonly partitions?: number;
  readonly drops?: number;
  readonly duplicates?: number;
  /** Storage faults (docs/faults.md); left out of the configuration when not given. */
  readonly diskFaults?: number;
  readonly symmetry?: boolean;
  readonly paranoid?: boolean;
  readonly partitionKinds?: string;
  /** `--invariant NAME` (repeatable): check only these invariants; names are checked when the system is built. */
  readonly invariant?: readonly string[];
}

const PARTITION_KINDS: readonly PartitionKinds[] = ['all', 'halves', 'isolate'];

const NETWORKS: readonly NetworkKind[] = ['set', 'unordered', 'fifo', 'tcp'];

export function resolveConfig(model: ModelDefinition, overrides: ConfigOverrides): RunConfig {
  const base = model.defaultConfig;
  if (overrides.network !== undefined) {
    if (!model.configurable.network) throw new InputError(`model ${model.name} has no network to configure (it is a spec model)`);
    if (!NETWORKS.includes(overrides.network as NetworkKind)) {
      throw new InputError(`network must be one of ${NETWORKS.join(', ')}, got '${overrides.network}'`);
    }
  }
  const faults: Record<keyof FaultBudgets, number> = { ...base.faults } as Record<keyof FaultBudgets, number>;
  for (const key of ['crashes', 'partitions', 'drops', 'duplicates', 'diskFaults'] as const) {
    const value = overrides[key];
    if (value === undefined) continue;
    const flag = key === 'diskFaults' ? 'disk-faults' : key;
    if (!model.configurable.faults) throw new InputError(`model ${model.name} has no fault model (--${flag} does not apply)`);
    if (!Number.isInteger(value) || value < 0) throw new InputError(`--${flag} must be a non-negative integer, got ${value}`);
    faults[key] = value;
  }
  if (overrides.symmetry && !model.configurable.symmetry) throw new InputError(`model ${model.name} declares no symmetry (--symmetry does not apply)`);
  const symmetry = overrides.symmetry ?? base.symmetry;
  // A slot's synced durable state is not renamed by the symmetry's hashes (src/world/slots.ts).
  if (symmetry && (faults.diskFaults ?? 0) > 0) throw new InputError('--disk-faults cannot be combined with --symmetry (storage faults are not symmetry-reduced)');
  const kinds = overrides.partitionKinds ?? base.partitionKinds;
  if (kinds !== undefined && !PARTITION_KINDS.includes(kinds as PartitionKinds)) {
    throw new InputError(`--partition-kinds must be one of ${PARTITION_KINDS.join(', ')}, got '${kinds}'`);
  }
  if (overrides.partitionKinds !== undefined && !model.configurable.faults) throw new InputError(`model ${model.name} has no fault model (--partition-kinds does not apply)`);
  return Object.freeze({
    network: (overrides.network as NetworkKind) ?? base.network,
    faults: Object.freeze(faults),
    ...(symmetry ? { symmetry: true } : {}),
    ...(overrides.paranoid ? { paranoid: true } : {}),
    ...(kinds !== undefined && kinds !== 'all' ? { partitionKinds: kinds as PartitionKinds } : {}),
    ...(overrides.invariant !== undefined && overrides.invariant.length > 0 ? { invariants: Object.freeze([...new Set(overrides.invariant)]) } : {}),
  });
}
