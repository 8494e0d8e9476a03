// One check of one model variant: build the system, walk it, compare the verdict with the
// variant's expected one. Pure apart from the injected clock and callbacks.
import type { ModelDefinition, Params, RunConfig } from '../model/define.ts';
import type { TransitionSystem } from '../model/system.ts';
import { explore, type ExhaustiveStrategyName, type SearchOptions, type SearchOutcome } from '../explore/index.ts';
import { CoverageCounter, type ActionCoverage } from '../explore/coverage.ts';
import { TRACE_FORMAT, TRACE_VERSION, type Trace } from '../trace/format.ts';

export interface CheckRequest {
  readonly model: ModelDefinition;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
  readonly strategy: ExhaustiveStrategyName;
  readonly search: SearchOptions;
  /** Count transitions and new states per action (sequential BFS and DFS). */
  readonly coverage?: boolean;
}

export interface CheckReport {
  readonly request: CheckRequest;
  readonly outcome: SearchOutcome;
  readonly system: TransitionSystem<unknown>;
  /** `pass`, the violated property's name, or `inconclusive`. */
  readonly actual: string;
  readonly expected: string;
  /** Whether the actual verdict is the one the variant declares. */
  readonly asExpected: boolean;
  readonly trace: Trace | null;
  /** Per action: transitions and new states (when asked for), else null. */
  readonly coverage: readonly ActionCoverage[] | null;
}

export function buildSystem(request: Pick<CheckRequest, 'model' | 'variant' | 'params' | 'config'>): TransitionSystem<unknown> {
  return request.model.build({ params: request.params, variant: request.variant, config: request.config });
}

export function runCheck(request: CheckRequest): CheckReport {
  const system = buildSystem(request);
  if (!request.coverage) return reportOf(request, system, explore(request.strategy, system, request.search));
  const counter = new CoverageCounter(system);
  const report = reportOf(request, system, explore(request.strategy, system, { ...request.search, observer: counter }));
  return { ...report, coverage: counter.result() };
}

/** Hold an outcome (from any exhaustive engine) to the variant's declared verdict. */
export function reportOf(request: CheckRequest, system: TransitionSystem<unknown>, outcome: SearchOutcome): CheckReport {
  const actual = outcome.result === 'violation' ? outcome.violation!.property : outcome.result;
  const expected = request.model.variants[request.variant].expected;
  return {
    request,
    outcome,
    system,
    actual,
    expected,
    asExpected: actual === expected,
    trace: outcome.violation ? traceOf(request, outcome) : null,
    coverage: null,
  };
}

export function traceOf(request: CheckRequest, outcome: SearchOutcome): Trace {
  const v = outcome.violation!;
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    model: { name: request.model.name, version: request.model.version, variant: request.variant, params: request.params },
    config: request.config,
    strategy: request.strategy,
    seed: null,
    initial: v.initialIndex,
    events: v.events,
    violation: { property: v.property, message: v.description, step: v.length, ...(v.kind === 'liveness' ? { kind: 'liveness' as const } : {}) },
    ...(v.loop !== undefined ? { loop: v.loop } : {}),
  };
}
