// Reading a counterexample in model tests: its events as `ordeal replay` prints them, and a replay
// from the trace as written to a file, by a system built afresh as `ordeal replay` builds one.
import { expect } from 'vitest';
import type { ModelDefinition } from '../../src/model/define.ts';
import type { Event, TransitionSystem } from '../../src/model/system.ts';
import type { Trace } from '../../src/trace/format.ts';
import { replay } from '../../src/trace/replay.ts';

/** Each event's line as `ordeal replay` prints it (without the state diffs). */
export function storyOf(system: TransitionSystem<unknown>, events: readonly Event[], initial = 0): string[] {
  let state = system.initialStates()[initial];
  return events.map((event) => {
    const line = system.describe(event, state);
    state = system.step(state, event);
    return line;
  });
}

/** The trace, through JSON and a fresh system, reproduces `expected` at its step. */
export function expectReplays(model: ModelDefinition, trace: Trace, expected: { property: string; step: number }): void {
  const system = model.build({ params: trace.model.params, variant: trace.model.variant, config: trace.config });
  expect(replay(system, JSON.parse(JSON.stringify(trace)))).toMatchObject({ ok: true, ...expected });
}
