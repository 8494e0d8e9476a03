// Shared by the Zab tests of bugs found by simulation: run a variant's declared check as a user
// would, hold it to the run, property, message and shrink it declares, replay the shrunk trace,
// and hand back the numbered lines of its timeline (the story each test reads in order).
import { expect } from 'vitest';
import { zab } from '../../models/zab/index.ts';
import { replay, simulate } from '../../src/index.ts';

/** The numbered event lines of a text timeline, without their numbers. */
export const story = (timeline: string): string[] => timeline.split('\n').flatMap((line) => /^ +\d+\. (.*)$/.exec(line)?.[1] ?? []);

export interface DeclaredFind {
  readonly strategy: 'random' | 'guided';
  readonly property: string;
  /** Words the violation's message must contain (not checked when absent). */
  readonly message?: string;
  readonly run: number;
  /** Events of the violating run, and of the shrunk trace. */
  readonly shrunkFrom: number;
  readonly length: number;
}

/** Simulate `variant` by its declared check and expect `find`; returns the shrunk trace's story. */
export async function expectDeclaredFind(variant: string, find: DeclaredFind): Promise<string[]> {
  const decl = zab.variants[variant].check!;
  expect(decl.strategy).toBe(find.strategy);
  const r = await simulate(zab, { variant, params: decl.params, ...decl.config?.faults, seed: decl.seed, runs: decl.runs, strategy: find.strategy });
  expect(r.violation?.property).toBe(find.property);
  if (find.message !== undefined) expect(r.violation?.message).toContain(find.message);
  expect(r.violation?.run).toBe(find.run);
  const trace = r.trace!;
  expect(trace.shrunkFrom).toBe(find.shrunkFrom);
  expect(trace.events.length).toBe(find.length);
  expect(replay(zab, JSON.stringify(trace))).toMatchObject({ ok: true, property: find.property, step: find.length });
  return story(r.timeline!);
}
