// One variant checked the way it declares (`VariantDecl.check`): BFS with the model's defaults
// unless the variant names another strategy, parameters or configuration. `ordeal summary` and the
// verdict tests both go through here, so npm start and the tests hold a variant to the same check.
import type { ModelDefinition, Params, RunConfig, VariantCheck } from '../model/define.ts';
import { resolveParams } from '../model/resolve.ts';
import { DEFAULT_LIVENESS_WINDOW_MS, DEFAULT_MAX_STEPS, SIMULATION_FAULT_BUDGETS, defaultOptions, type SimulationStrategy } from '../simulate/options.ts';
import { simulate } from '../simulate/simulate.ts';
import type { Trace } from '../trace/format.ts';
import type { ActionCoverage } from '../explore/coverage.ts';
import type { ReductionStats } from '../explore/sleep-sets.ts';
import { runCheck } from './run.ts';
import { isSimulationStrategy } from '../explore/strategies/index.ts';

export const DEFAULT_DECLARED_RUNS = 1000;
export const DEFAULT_DECLARED_SEED = 1;

export interface DeclaredOutcome {
  readonly strategy: VariantCheck['strategy'];
  readonly params: Params;
  readonly config: RunConfig;
  /** `pass`, the violated property's name, or `inconclusive`. */
  readonly actual: string;
  readonly expected: string;
  readonly asExpected: boolean;
  /** Distinct states (exhaustive) or runs (simulation) until the verdict. */
  readonly work: number;
  readonly workUnit: 'states' | 'runs';
  /** Depth (exhaustive) or events simulated (simulation). */
  readonly depth: number | null;
  readonly elapsedMs: number;
  /** The counterexample's length in events, if any. */
  readonly length: number | null;
  readonly trace: Trace | null;
  readonly seed: number | null;
  /** Exhaustive checks: per action, transitions and new states. */
  readonly coverage: readonly ActionCoverage[] | null;
  /** Exhaustive checks: the partial-order reduction applied and the transitions it took, else null. */
  readonly reduction?: { readonly stats: ReductionStats; readonly transitions: number } | null;
}

const isSimulation = (strategy: VariantCheck['strategy']): strategy is SimulationStrategy => isSimulationStrategy(strategy);

/** The declared check of a variant, with every default filled in. */
export function declaredCheck(model: ModelDefinition, variant: string): Required<Pick<VariantCheck, 'strategy'>> & VariantCheck {
  return model.variants[variant].check ?? { strategy: 'bfs' };
}

export async function checkDeclared(model: ModelDefinition, variant: string, options: { now?: () => number; timeLimitMs?: number } = {}): Promise<DeclaredOutcome> {
  const decl = declaredCheck(model, variant);
  const params = resolveParams(model, Object.entries(decl.params ?? {}).map(([k, v]) => `${k}=${v}`));
  const now = options.now ?? (() => 0);
  const expected = model.variants[variant].expected;
  if (!isSimulation(decl.strategy)) {
    const config: RunConfig = { ...model.defaultConfig, ...decl.config };
    const report = runCheck({ model, variant, params, config, strategy: decl.strategy, search: { now, timeLimitMs: options.timeLimitMs, maxDepth: decl.maxDepth }, coverage: true });
    const o = report.outcome;
    return {
      strategy: decl.strategy, params, config, actual: report.actual, expected, asExpected: report.asExpected,
      work: o.distinctStates, workUnit: 'states', depth: o.depth, elapsedMs: o.elapsedMs,
      length: o.violation?.length ?? null, trace: report.trace, seed: null, coverage: report.coverage,
      reduction: o.reduction ? { stats: o.reduction, transitions: o.transitions } : null,
    };
  }
  const faults = model.configurable.faults ? SIMULATION_FAULT_BUDGETS : model.defaultConfig.faults;
  const config: RunConfig = { ...model.defaultConfig, faults, ...decl.config };
  const maxSteps = decl.maxSteps ?? DEFAULT_MAX_STEPS;
  const seed = decl.seed ?? DEFAULT_DECLARED_SEED;
  const started = now();
  const report = await simulate({
    model, variant, params, config, seed,
    options: defaultOptions({
      strategy: decl.strategy,
      maxSteps,
      liveness: decl.liveness ? { faultPhaseSteps: Math.floor(maxSteps / 2), windowMs: DEFAULT_LIVENESS_WINDOW_MS } : null,
    }),
    runStart: 0,
    runEnd: decl.runs ?? DEFAULT_DECLARED_RUNS,
    stopAtViolation: true,
    workers: 1,
    shrink: false,
    now,
  });
  const t = report.tally;
  const actual = t.violation ? t.violation.property : t.targetRuns.some((r) => r === 0) ? 'inconclusive' : 'pass';
  return {
    strategy: decl.strategy, params, config, actual, expected, asExpected: actual === expected,
    work: t.runEnd - t.runStart, workUnit: 'runs', depth: t.events, elapsedMs: now() - started,
    length: t.violation ? t.violation.events.length : null, trace: report.trace, seed, coverage: null,
  };
}
