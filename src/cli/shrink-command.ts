// `ordeal shrink <trace.json> [--out file]`: minimize any trace ending in a safety violation (delta
// debugging over its events), confirm the result replays, write it.
import type { Command } from 'commander';
import type { ModelDefinition } from '../api/models.ts';
import { InputError, resolveConfig, resolveParams } from '../api/models.ts';
import { buildSystem } from '../api/models.ts';
import { replay } from '../api/traces.ts';
import { DEFAULT_MAX_SHRINK_TESTS, failingPrefix, shrinkTrace } from '../api/traces.ts';
import { writeFileAtomic } from './files.ts';
import { loadTrace } from './replay-command.ts';
import { fileRefFor, recordedModelPath } from './model-file.ts';
import type { Trace } from '../api/models.ts';

/** A trace moved from `from` to `to`: its model file, recorded relative to the trace, still found. */
function relocated(trace: Trace, from: string, to: string): Trace {
  const ref = trace.model.source;
  return ref ? { ...trace, model: { ...trace.model, source: fileRefFor({ path: recordedModelPath(ref, from), sha256: ref.sha256 }, to) } } : trace;
}

export function shrinkCommand(models: readonly ModelDefinition[], path: string, flags: { out?: string; maxTests: number; json?: boolean }): number {
  const { trace, model } = loadTrace(models, path);
  if (trace.violation === null) throw new InputError(`${path} records no violation, so there is nothing to keep while shrinking`);
  const params = resolveParams(model, trace.model.params);
  const system = buildSystem({ model, variant: trace.model.variant, params, config: { ...resolveConfig(model, {}), ...trace.config } });
  if (trace.violation.kind !== 'liveness' && failingPrefix(system, trace.initial, trace.events, trace.violation.property) === null) {
    throw new InputError(`${path} does not break ${trace.violation.property} when replayed (run \`ordeal replay ${path}\` to see where it diverges)`);
  }
  const { trace: shrunk, result } = shrinkTrace(system, trace, flags.maxTests);
  const check = replay(system, shrunk);
  const out = flags.out ?? path.replace(/(\.json)?$/, '.shrunk.json');
  writeFileAtomic(out, `${JSON.stringify(relocated(shrunk, path, out), null, 2)}\n`);
  const summary = {
    trace: path,
    out,
    property: trace.violation.property,
    originalLength: trace.events.length,
    length: shrunk.events.length,
    tests: result?.tests ?? 0,
    exhausted: result?.exhausted ?? false,
    replays: check.ok,
  };
  if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const note = trace.violation.kind === 'liveness' ? ' (liveness traces are not shrunk: removing events removes the progress they are about)' : '';
    process.stdout.write(
      `shrunk ${path}: ${summary.originalLength} -> ${summary.length} events, ${trace.violation.property} still broken${note}\n` +
        `  ${summary.tests} candidate replays${summary.exhausted ? ` (stopped at the limit of ${flags.maxTests}: not 1-minimal)` : ''}\n` +
        `  written to ${out}; ${check.ok ? 'it replays' : `REPLAY FAILED: ${check.ok ? '' : check.reason}`}\n`,
    );
  }
  return check.ok ? 0 : 1;
}

export function registerShrink(program: Command, modelsFor: (trace: string) => Promise<readonly ModelDefinition[]>, setExit: (code: number) => void): void {
  program
    .command('shrink')
    .description('minimize a counterexample trace (delta debugging) while the same invariant still breaks at its end')
    .argument('<trace>', 'trace JSON file')
    .option('--out <file>', 'where to write the shrunk trace (default: <trace>.shrunk.json)')
    .option('--max-tests <n>', 'candidate replays at most', (t) => Number(t), DEFAULT_MAX_SHRINK_TESTS)
    .option('--json', 'print one JSON object on stdout')
    .action(async (path: string, flags: { out?: string; maxTests: number; json?: boolean }) => setExit(shrinkCommand(await modelsFor(path), path, flags)));
}
