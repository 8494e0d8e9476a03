// `check(model, options)`: one exhaustive search of one variant, as a result object. Never throws
// for what the model does (a violation, a model error, a limit); throws InputError for bad options.
import type { ModelDefinition } from '../model/define.ts';
import { strategyNamed, type ExhaustiveStrategyName } from '../explore/strategies/index.ts';
import { MODEL_ERROR, type ModelErrorDetail } from '../model/guard.ts';
import { runCheck } from '../check/run.ts';
import type { Trace } from '../trace/format.ts';
import { nonNegativeInteger, resolveRun, type RunOptions } from './options.ts';
import { modelErrorOf, timelineOf } from './timeline.ts';

export interface CheckOptions extends RunOptions {
  /** `'bfs'` (default: shortest counterexamples) or `'dfs'` (see the strategy registry). */
  readonly strategy?: ExhaustiveStrategyName;
  /** Stop (inconclusive) after this many distinct states. */
  readonly maxStates?: number;
  /** Do not expand states deeper than this many levels. */
  readonly maxDepth?: number;
  /** Stop (inconclusive) after this many milliseconds. */
  readonly timeLimitMs?: number;
}

/** A found violation: the property, its message and the counterexample's length in events. */
export interface FoundViolation {
  readonly property: string;
  readonly message: string;
  readonly length: number;
}

export interface CheckResult {
  /** `'pass'`: every invariant holds and every reachable target was reached. */
  readonly result: 'pass' | 'violation' | 'inconclusive';
  /** The variant's declared verdict (`'pass'` or a property name) and whether it was met. */
  readonly expected: string;
  readonly asExpected: boolean;
  readonly violation: FoundViolation | null;
  /** When the violation is `ModelError`: the handler that failed and why. */
  readonly modelError: ModelErrorDetail | null;
  /** The counterexample as a replayable trace (write it as JSON for `ordeal replay`). */
  readonly trace: Trace | null;
  /** The counterexample as a text timeline, or null. */
  readonly timeline: string | null;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly reachable: readonly { readonly name: string; readonly reachedAtLength: number | null }[];
  readonly inconclusiveReasons: readonly string[];
}

export function check(model: ModelDefinition, options: CheckOptions = {}): CheckResult {
  const run = resolveRun('check', model, options);
  const strategy = strategyNamed(options.strategy ?? 'bfs', 'exhaustive', 'check: strategy').name as ExhaustiveStrategyName;
  const report = runCheck({
    model,
    ...run,
    strategy,
    search: {
      maxStates: nonNegativeInteger('check', 'maxStates', options.maxStates),
      maxDepth: nonNegativeInteger('check', 'maxDepth', options.maxDepth),
      timeLimitMs: nonNegativeInteger('check', 'timeLimitMs', options.timeLimitMs),
      now: () => performance.now(),
    },
  });
  const o = report.outcome;
  const v = o.violation;
  return {
    result: o.result,
    expected: report.expected,
    asExpected: report.asExpected,
    violation: v ? { property: v.property, message: v.description, length: v.length } : null,
    modelError: v?.property === MODEL_ERROR && report.trace ? modelErrorOf(model, report.trace) : null,
    trace: report.trace,
    timeline: report.trace ? timelineOf(model, report.trace) : null,
    distinctStates: o.distinctStates,
    transitions: o.transitions,
    depth: o.depth,
    elapsedMs: o.elapsedMs,
    reachable: o.reachable.map((t) => ({ name: t.name, reachedAtLength: t.reachedAtLength })),
    inconclusiveReasons: o.inconclusiveReasons,
  };
}
