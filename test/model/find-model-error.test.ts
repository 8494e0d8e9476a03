// findModelError walks a caller's state looking for a model-error marker. It must only read: it once
// reversed the state's own arrays in place, so `check` printed diffs of changes no handler made.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findModelError, MODEL_ERROR_KEY } from '../../src/model/guard.ts';

describe('findModelError', () => {
  it('leaves any value it searches exactly as it was', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const before = structuredClone(value);
        findModelError(value);
        expect(value).toEqual(before);
      }),
      { seed: 17, numRuns: 500 },
    );
  });

  it('searches frozen states without throwing (the engine freezes states in paranoid mode)', () => {
    const state = Object.freeze({ votes: Object.freeze([Object.freeze({ value: 'v0' }), Object.freeze({ value: 'v1' })]) });
    expect(findModelError(state)).toBeNull();
    expect(state.votes.map((v) => v.value)).toEqual(['v0', 'v1']);
  });

  it('finds the first marker in document order', () => {
    const marker = (handler: string) => ({ [MODEL_ERROR_KEY]: { handler } });
    const found = findModelError({ a: [1, marker('first')], b: marker('second') }) as unknown as { handler: string } | null;
    expect(found?.handler).toBe('first');
  });
});
