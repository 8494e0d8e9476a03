// A variant's declared check (`VariantDecl.check`) as the defaults of `ordeal check --variant V` and
// `ordeal simulate --variant V`: its parameters, fault budgets, strategy, seed, runs and steps are
// used wherever the user gave none of their own, and `declared` says what was taken, for the
// header line. A declared parameter yields to the same parameter given with -p, a budget to its flag.
import type { ModelDefinition, Params, VariantCheck } from '../model/define.ts';
import { isSimulationStrategy } from '../explore/strategies/index.ts';
import type { CheckOptions } from './check.ts';
import type { SimulateOptions } from './simulate.ts';
import type { RunOptions } from './options.ts';

/** Which options the user gave (flags on the command line, keys in a call). */
export type Given = (option: string) => boolean;

export interface Declared<O> {
  readonly options: O;
  /** What was taken from the declaration ("bfs, requests=1 txnlog=true, 0 crashes"), or null. */
  readonly declared: string | null;
}

const FAULTS = ['crashes', 'partitions', 'drops', 'duplicates', 'diskFaults'] as const;

/** The declaration of `options.variant`, or null (no variant of that name: validation reports it). */
export function variantCheck(model: ModelDefinition, variant: string | undefined): VariantCheck | null {
  const name = variant ?? 'default';
  return Object.hasOwn(model.variants ?? {}, name) ? model.variants[name].check ?? null : null;
}

/** True when `check --variant V` should run V's declared simulation (the user chose no strategy). */
export function declaresSimulation(model: ModelDefinition, options: RunOptions, given: Given): boolean {
  const decl = variantCheck(model, options.variant);
  return decl !== null && isSimulationStrategy(decl.strategy) && !given('strategy');
}

/** Declared parameters the user did not set, then the user's (which win). */
function mergedParams(decl: VariantCheck, params: RunOptions['params'], used: string[]): RunOptions['params'] {
  const declared = Object.entries(decl.params ?? {});
  if (declared.length === 0) return params;
  const mine = Array.isArray(params) ? (params as readonly string[]) : Object.entries((params ?? {}) as Params).map(([k, v]) => `${k}=${v}`);
  const set = new Set(mine.map((a) => a.slice(0, Math.max(0, a.indexOf('=')))));
  const taken = declared.filter(([k]) => !set.has(k)).map(([k, v]) => `${k}=${v}`);
  if (taken.length) used.push(taken.join(' '));
  return [...taken, ...mine];
}

/** Declared network and budgets where the user gave none. */
function mergedConfig<O extends RunOptions>(decl: VariantCheck, options: O, given: Given, used: string[]): O {
  const c = decl.config;
  if (!c) return options;
  const out: Record<string, unknown> = { ...(options as object) };
  const taken: string[] = [];
  if (c.network !== undefined && !given('network')) {
    out.network = c.network;
    taken.push(`${c.network} network`);
  }
  if (c.faults) {
    for (const f of FAULTS) {
      // diskFaults is optional in a declaration (absent: 0, and not named in the header).
      if (given(f) || c.faults[f] === undefined) continue;
      out[f] = c.faults[f];
      taken.push(`${c.faults[f]} ${f === 'diskFaults' ? 'disk faults' : f}`);
    }
  }
  if (c.partitionKinds !== undefined && !given('partitionKinds')) out.partitionKinds = c.partitionKinds;
  if (taken.length) used.push(taken.join(', '));
  return out as unknown as O;
}

/** `check` options with the variant's declared exhaustive check as defaults. */
export function declaredCheckOptions(model: ModelDefinition, options: CheckOptions, given: Given): Declared<CheckOptions> {
  const decl = variantCheck(model, options.variant);
  if (!decl || isSimulationStrategy(decl.strategy)) return { options, declared: null };
  const used: string[] = [];
  let out: CheckOptions = { ...options, params: mergedParams(decl, options.params, used) };
  if (!given('strategy')) {
    out = { ...out, strategy: decl.strategy as CheckOptions['strategy'] };
    used.unshift(decl.strategy);
  }
  if (decl.maxDepth !== undefined && !given('maxDepth')) {
    out = { ...out, maxDepth: decl.maxDepth };
    used.push(`depth ${decl.maxDepth}`);
  }
  out = mergedConfig(decl, out, given, used);
  return { options: out, declared: used.length ? used.join(', ') : null };
}

/** `simulate` options with the variant's declared check as defaults (strategy, seed, runs and steps when it is a simulation). */
export function declaredSimulateOptions(model: ModelDefinition, options: SimulateOptions, given: Given): Declared<SimulateOptions> {
  const decl = variantCheck(model, options.variant);
  if (!decl) return { options, declared: null };
  const used: string[] = [];
  let out: SimulateOptions = { ...options, params: mergedParams(decl, options.params, used) };
  if (isSimulationStrategy(decl.strategy)) {
    const taken: string[] = [];
    const take = <K extends 'strategy' | 'seed' | 'runs' | 'maxSteps'>(key: K, value: SimulateOptions[K] | undefined, text: string): void => {
      if (value === undefined || given(key) || (key === 'strategy' && given('swarm'))) return;
      out = { ...out, [key]: value };
      taken.push(text);
    };
    take('strategy', decl.strategy as SimulateOptions['strategy'], String(decl.strategy));
    take('seed', decl.seed, `seed ${decl.seed}`);
    take('runs', decl.runs, `${decl.runs} runs`);
    take('maxSteps', decl.maxSteps, `${decl.maxSteps} steps`);
    if (decl.liveness && !given('liveness')) {
      out = { ...out, liveness: true };
      taken.push('liveness');
    }
    used.unshift(...taken);
    out = mergedConfig(decl, out, given, used);
  }
  return { options: out, declared: used.length ? used.join(', ') : null };
}
