// `ordeal render <trace.json> --format text|mermaid|html [-o FILE]`: replay a trace through its
// model and draw it for people: a text timeline, a Mermaid sequence diagram, or one self-contained
// HTML page with a space-time diagram and the state at every step.
import { Option, type Command } from 'commander';
import type { ModelDefinition } from '../api/models.ts';
import { resolveConfig, resolveParams } from '../api/models.ts';
import { buildSystem } from '../api/models.ts';
import { readTrace, type TraceReading } from '../api/traces.ts';
import { renderHtml } from '../api/traces.ts';
import { renderMermaid } from '../api/traces.ts';
import { renderTimeline } from '../api/traces.ts';
import { writeFileAtomic } from './files.ts';
import { loadTrace } from './replay-command.ts';

export const RENDER_FORMATS = ['text', 'mermaid', 'html'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

export function renderText(reading: TraceReading, title: string): string {
  const v = reading.violation;
  const footer = [
    v ? `${v.kind === 'liveness' ? 'Liveness failure' : 'Violation'} of ${v.property} after event ${v.step}: ${reading.replay.message ?? v.message}` : 'The trace records no violation.',
    ...(reading.replay.ok ? [] : [`Replay DIVERGED: ${reading.replay.reason}`]),
  ];
  return `${renderTimeline({
    title,
    descriptions: reading.steps.map((s) => s.description),
    events: reading.steps.map((s) => s.event),
    states: [reading.initial, ...reading.steps.map((s) => s.state)],
    footer,
    loop: reading.loop,
  })}\n`;
}

/** The trace at `path`, replayed and rendered in `format`. */
export function renderTraceFile(models: readonly ModelDefinition[], path: string, format: RenderFormat): { text: string; reading: TraceReading } {
  const { trace, model } = loadTrace(models, path);
  const params = resolveParams(model, trace.model.params);
  const system = buildSystem({ model, variant: trace.model.variant, params, config: { ...resolveConfig(model, {}), ...trace.config } });
  const reading = readTrace(system, trace);
  const text =
    format === 'html' ? renderHtml(reading) : format === 'mermaid' ? renderMermaid(reading) : renderText(reading, `${path} (${model.name} [${trace.model.variant}])`);
  return { text, reading };
}

export function renderCommand(models: readonly ModelDefinition[], path: string, flags: { format: RenderFormat; out?: string }): number {
  const { text, reading } = renderTraceFile(models, path, flags.format);
  if (flags.out === undefined) process.stdout.write(text);
  else writeFileAtomic(flags.out, text);
  if (!reading.replay.ok) {
    process.stderr.write(`ordeal: ${path} did not replay (${reading.replay.reason}); rendered up to where it diverged\n`);
    return 1;
  }
  return 0;
}

export function registerRender(program: Command, modelsFor: (trace: string) => Promise<readonly ModelDefinition[]>, setExit: (code: number) => void): void {
  program
    .command('render')
    .description('draw a trace: a text timeline, a Mermaid sequence diagram, or a self-contained HTML space-time view')
    .argument('<trace>', 'trace JSON file')
    .addOption(new Option('--format <format>', 'output format').choices(RENDER_FORMATS).default('text'))
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      '\nThe trace is replayed through its model to get every state. Exit 0 when it replays as recorded;\n' +
        '1 when it diverges (what applied is still rendered, with the reason); 2 for an unreadable or foreign trace.',
    )
    .action(async (path: string, flags: { format: RenderFormat; out?: string }) => setExit(renderCommand(await modelsFor(path), path, flags)));
}
