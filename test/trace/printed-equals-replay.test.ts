// What a user reads of a counterexample is what replay computes: over every built-in mutant (each
// with its declared check) and a fixture with arrays and nested objects, the steps `check` prints,
// `timelineOf`, `render --format text` and the states replay computes agree exactly. (A guard that
// reversed a state's own arrays in place once made `check` print changes that never happened.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { checkDeclared, declaredCheck } from '../../src/check/declared.ts';
import { runCheck } from '../../src/check/run.ts';
import { formatTimeline } from '../../src/cli/format.ts';
import { findModelError } from '../../src/model/guard.ts';
import { renderTraceFile } from '../../src/cli/render-command.ts';
import type { ModelDefinition } from '../../src/model/define.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { isSimulationStrategy } from '../../src/explore/strategies/index.ts';
import { replay } from '../../src/trace/replay.ts';
import { timelineOf, type Trace } from '../../src/index.ts';
import { nestedModel } from '../fixtures/nested.ts';

const dir = mkdtempSync(join(tmpdir(), 'ordeal-agree-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A timeline's steps: the initial state and every step with its changes (no title, no footer). */
function steps(text: string): string {
  const lines = text.split('\n').slice(2);
  const end = lines.indexOf('');
  return (end < 0 ? lines : lines.slice(0, end)).join('\n').trimEnd();
}

function rendered(models: readonly ModelDefinition[], trace: Trace, name: string): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(trace));
  return renderTraceFile(models, path, 'text').text;
}

const mutants = builtinModels.flatMap((model) => Object.entries(model.variants).filter(([, v]) => v.expected !== 'pass').map(([variant]) => ({ model, variant })));
const cases = [...mutants, { model: nestedModel as ModelDefinition, variant: 'overflows' }];

describe('printed counterexamples agree with replay', () => {
  it('covers every built-in mutant', () => {
    expect(mutants.length).toBeGreaterThan(20);
  });

  it.each(cases.map((c) => [`${c.model.name} [${c.variant}]`, c] as const))('%s', async (_name, { model, variant }) => {
    const models = model === nestedModel ? [nestedModel as ModelDefinition] : builtinModels;
    const decl = declaredCheck(model, variant);
    let trace: Trace;
    let printed: string | null = null;
    let searched: readonly unknown[] | null = null;
    if (!isSimulationStrategy(decl.strategy)) {
      const params = resolveParams(model, Object.entries(decl.params ?? {}).map(([k, v]) => `${k}=${v}`));
      const report = runCheck({ model, variant, params, config: { ...model.defaultConfig, ...decl.config }, strategy: decl.strategy, search: decl.maxDepth === undefined ? {} : { maxDepth: decl.maxDepth }, coverage: false });
      expect(report.trace, 'the declared check finds its violation').not.toBeNull();
      trace = report.trace!;
      searched = report.outcome.violation!.states;
      // As `ordeal check` prints it: it looks for a model error in the last state first.
      findModelError(searched[searched.length - 1]);
      printed = formatTimeline(report);
    } else {
      const outcome = await checkDeclared(model, variant);
      expect(outcome.trace, 'the declared simulation finds its violation').not.toBeNull();
      trace = outcome.trace!;
    }
    const system = model.build({ params: trace.model.params, variant: trace.model.variant, config: trace.config });
    const replayed = replay(system, trace);
    expect(replayed.ok).toBe(true);
    if (searched) expect(replayed.states).toEqual(searched);
    const library = steps(timelineOf(model, trace));
    const render = steps(rendered(models, trace, `${model.name}.${variant}`));
    expect(render).toBe(library);
    if (printed !== null) expect(steps(printed)).toBe(library);
    // Every change a step lists is a change between replay's states at that step.
    expect(library.split('\n').filter((l) => /^\s+\d+\. /.test(l))).toHaveLength(trace.events.length);
  }, 120_000);
});
