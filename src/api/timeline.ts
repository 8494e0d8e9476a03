// A trace as the text timeline people read: every step, what changed, and how it ends.
import type { ModelDefinition } from '../model/define.ts';
import { findModelError } from '../model/guard.ts';
import type { Trace } from '../trace/format.ts';
import { readTrace } from '../trace/reading.ts';
import { renderTimeline } from '../trace/render-text.ts';

/** The model error (handler and message) a trace ends in, if its last state holds one. */
export function modelErrorOf(model: ModelDefinition, trace: Trace): { handler: string; message: string } | null {
  const reading = readTrace(model.build({ params: trace.model.params, variant: trace.model.variant, config: trace.config }), trace);
  return findModelError(reading.steps.length ? reading.steps[reading.steps.length - 1].state : reading.initial);
}

/** The text timeline of `trace` replayed through `model`. */
export function timelineOf(model: ModelDefinition, trace: Trace, title?: string): string {
  const system = model.build({ params: trace.model.params, variant: trace.model.variant, config: trace.config });
  const reading = readTrace(system, trace);
  const v = reading.violation;
  const last = reading.steps.length ? reading.steps[reading.steps.length - 1].state : reading.initial;
  const error = findModelError(last);
  // The message replay computes on the end state it reached, not the one the file records.
  const message = reading.replay.message ?? v?.message;
  const footer = [
    v ? `${v.kind === 'liveness' ? 'Liveness failure' : 'Violation'} of ${v.property} after event ${v.step}: ${message}` : 'The trace records no violation.',
    ...(error ? [`Model error in ${error.handler}: ${error.message}`] : []),
    ...(reading.replay.ok ? [] : [`Replay DIVERGED: ${reading.replay.reason}`]),
  ];
  return renderTimeline({
    title: title ?? `Counterexample: ${model.name} [${trace.model.variant}]${v ? `, ${v.property} after ${v.step} events` : ''}`,
    descriptions: reading.steps.map((s) => s.description),
    events: reading.steps.map((s) => s.event),
    states: [reading.initial, ...reading.steps.map((s) => s.state)],
    footer,
    ...(trace.loop !== undefined ? { loop: trace.loop } : {}),
  });
}
