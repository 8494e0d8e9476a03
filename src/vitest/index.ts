// `ordeal/vitest`: models in a test suite. `await expectModel(model, { crashes: 1 }).toPass()` and
// `await expectModel(model, { variant: 'majority-commit' }).toViolate('Atomicity')` check the model
// (paranoid mode on unless turned off) and, on failure, throw an Error whose message leads with how
// to reproduce (the trace file and the replay command), then the counterexample's timeline. No
// import of vitest itself, so it works with whichever copy the user's project has (and any runner).
// `simulationProperty(fc, model, options)` runs simulation seeds as a fast-check property.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, type CheckOptions, type CheckResult } from '../api/check.ts';
import { simulate, type SimulateOptions, type SimulationResult } from '../api/simulate.ts';
import { withModelFile } from '../cli/model-file.ts';
import { sha256Of } from '../workers/model-module.ts';
import { writeFileAtomic } from '../cli/files.ts';
import type { ModelDefinition } from '../model/define.ts';
import type { RunOptions } from '../api/options.ts';
import { declaredCheckOptions, declaredSimulateOptions, declaresSimulation, type Given } from '../api/declared.ts';
import type { Trace } from '../trace/format.ts';

export interface ExpectModelOptions extends CheckOptions {
  /** Simulate instead of checking exhaustively (seed, runs, strategy...). */
  readonly simulate?: Omit<SimulateOptions, keyof RunOptions> | boolean;
  /** Where a counterexample trace is written (default reports/counterexamples under the cwd; `--out` on the command line). */
  readonly traceDir?: string;
  /**
   * The model's file (path or file URL, e.g. `new URL('./model.ts', import.meta.url)`): recorded in
   * the trace so that `npx ordeal replay <trace>` finds the model without being told, and loaded
   * by worker threads (`workers`).
   */
  readonly modelFile?: string | URL;
}

type Outcome = CheckResult | SimulationResult;

export interface ModelExpectation {
  /** Resolves when every invariant holds and every reachable target is reached; rejects otherwise. */
  toPass(): Promise<Outcome>;
  /** Resolves when `property` is violated; rejects when the model passes or breaks another property. */
  toViolate(property: string): Promise<Outcome>;
}

const DEFAULT_TRACE_DIR = join('reports', 'counterexamples');

function filePath(file: string | URL): string {
  return file instanceof URL || file.startsWith('file:') ? fileURLToPath(file) : resolve(file);
}

/** Write the trace (with its model file, when known); its path. */
function writeTrace(model: ModelDefinition, trace: Trace, options: ExpectModelOptions): string {
  const params = Object.entries(trace.model.params).map(([k, v]) => `${k}${v}`).join('-');
  const seed = trace.seed === null ? '' : `.seed${trace.seed}.run${trace.run ?? 0}`;
  const path = join(options.traceDir ?? DEFAULT_TRACE_DIR, `${model.name}.${trace.model.variant}.${params}.${trace.violation?.property ?? 'trace'}.${trace.strategy}${seed}.json`);
  const file = options.modelFile === undefined ? null : { path: filePath(options.modelFile), sha256: sha256Of(filePath(options.modelFile)) };
  writeFileAtomic(path, `${JSON.stringify(withModelFile(trace, file, path), null, 2)}\n`);
  return path;
}

/** The options every run takes (RunOptions), picked from an expectation's options. */
function runOptionsOf(options: ExpectModelOptions): RunOptions {
  const keys: readonly (keyof RunOptions)[] = ['variant', 'params', 'network', 'crashes', 'partitions', 'drops', 'duplicates', 'partitionKinds', 'symmetry', 'paranoid', 'invariants', 'signal', 'modelFile'];
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])) as RunOptions;
}

/**
 * Check (or simulate) as asked, with the variant's declared check (parameters, budgets, strategy,
 * seed) wherever the options do not say otherwise, as `ordeal check --variant V` does.
 */
async function run(model: ModelDefinition, options: ExpectModelOptions): Promise<Outcome> {
  const { simulate: asked, traceDir: _dir, ...checkOptions } = options;
  const paranoid = options.paranoid ?? true;
  const simOptions = typeof asked === 'object' ? (asked as Record<string, unknown>) : {};
  const given: Given = (key) => (options as Record<string, unknown>)[key] !== undefined || simOptions[key] !== undefined;
  const sim = asked ?? (declaresSimulation(model, options, given) ? true : undefined);
  if (sim) return simulate(model, { ...declaredSimulateOptions(model, { ...runOptionsOf(options), ...simOptions }, given).options, paranoid });
  return check(model, { ...declaredCheckOptions(model, checkOptions, given).options, paranoid });
}

function failure(model: ModelDefinition, options: ExpectModelOptions, outcome: Outcome, wanted: string): Error {
  const variant = options.variant ?? 'default';
  const got =
    outcome.result === 'violation'
      ? `violates ${outcome.violation!.property}${outcome.modelError ? ` (model error in ${outcome.modelError.handler}: ${outcome.modelError.message})` : ''}`
      : outcome.result === 'inconclusive'
      ? `is inconclusive: ${outcome.inconclusiveReasons.join('; ')}`
      : 'passes';
  const lines = [`${model.name} [${variant}] ${got}; expected it to ${wanted}.`];
  if (outcome.trace) {
    const path = writeTrace(model, outcome.trace, options);
    lines.push(`trace: ${path}`, `replay: npx ordeal replay ${path}${options.modelFile === undefined ? '  (pass modelFile to expectModel so replay finds the model)' : ''}`);
  }
  if (outcome.timeline) lines.push('', outcome.timeline);
  const error = new Error(lines.join('\n'));
  error.name = 'ModelExpectationError';
  return error;
}

/** Expectations about a model; see the module comment. */
export function expectModel(model: ModelDefinition, options: ExpectModelOptions = {}): ModelExpectation {
  return {
    async toPass() {
      const outcome = await run(model, options);
      if (outcome.result !== 'pass') throw failure(model, options, outcome, 'pass');
      return outcome;
    },
    async toViolate(property: string) {
      const outcome = await run(model, options);
      if (outcome.result !== 'violation' || outcome.violation!.property !== property) throw failure(model, options, outcome, `violate ${property}`);
      return outcome;
    },
  };
}

/** The part of fast-check this bridge uses (pass the `fc` your project imports). */
export interface FastCheckLike<Arbitrary, Property> {
  integer(constraints: { min: number; max: number }): Arbitrary;
  asyncProperty(arbitrary: Arbitrary, predicate: (seed: number) => Promise<void>): Property;
}

/**
 * A fast-check property over simulation seeds: each seed simulates one run (paranoid) and throws
 * the failure message (reproduction first, then the timeline) when it violates a property. Run it
 * with `await fc.assert(simulationProperty(fc, model, options), { numRuns: 200 })`; fast-check's
 * report then carries `{ seed, path }` to replay the failing seed.
 */
export function simulationProperty<Arbitrary, Property>(
  fc: FastCheckLike<Arbitrary, Property>,
  model: ModelDefinition,
  options: Omit<ExpectModelOptions, 'simulate'> & { readonly simulate?: Omit<SimulateOptions, keyof RunOptions | 'seed' | 'runs'> } = {},
): Property {
  return fc.asyncProperty(fc.integer({ min: 0, max: 0x7fffffff }), async (seed) => {
    const outcome = await run(model, { ...options, simulate: { ...options.simulate, seed, runs: 1 } });
    if (outcome.result === 'violation') throw failure(model, options, outcome, 'pass');
  });
}

export type { CheckResult, SimulationResult };
