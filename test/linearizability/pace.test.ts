// The checker keeps pace on a 50-client key-value history with one anomaly, and stays inside its
// memory bound: the shape of Porcupine's c50-bad history (which once grew to 4.6 GB and crashed
// ordeal), made here by the generator. A server that stalls (a leader change) and then applies
// what piled up in a shuffled order makes some keys very hard for a depth-first search; the stale
// read is planted on a later key, which a search that finished each key before the next never
// reached within the budget.
import { describe, expect, it } from 'vitest';
import { checkLinearizability, generateHistory, injectStaleRead, LinearizabilityCheck, type History, type LinearizabilityResult } from '../../src/linearizability/index.ts';

const SEED = 1;
const generated = generateHistory({
  spec: 'kv',
  clients: 50,
  operations: 2000,
  seed: SEED,
  keys: 10,
  mix: [['get', 0.3], ['put', 0.05], ['append', 0.65]],
  stalls: { everyTicks: 400, ticks: 150 },
});
const stale = injectStaleRead(generated, SEED)!;
const staleKey = generated.history.operations[stale.read].key;
const keyAlone = (h: History, key: string): History => ({ spec: h.spec, operations: h.operations.filter((op) => op.key === key).map((op, index) => ({ ...op, index })) });
/** The budget every check here gets: far more than the answer needs, far less than the hard keys. */
const MAX_STEPS = 1_000_000;

describe('a 50-client kv history with one stale read', () => {
  it('has a key before the stale one that the budget cannot decide alone', () => {
    expect(staleKey).toBe('k5');
    expect(checkLinearizability(keyAlone(stale.history, 'k1'), { maxSteps: MAX_STEPS }).result).toBe('unknown');
  });

  it('is found not linearizable on the stale read\'s key, well within the budget', () => {
    const r = checkLinearizability(stale.history, { maxSteps: MAX_STEPS });
    expect(r.result).toBe('not-linearizable');
    expect(r.explanation?.key).toBe(staleKey);
    expect(r.explanation?.mustPlace.index).toBe(stale.read);
    expect(r.steps).toBeLessThan(MAX_STEPS / 2);
  });

  it('gives the same answer and steps every time (turns are counted in steps, not time)', () => {
    const a = checkLinearizability(stale.history, { maxSteps: MAX_STEPS });
    const b = checkLinearizability(stale.history, { maxSteps: MAX_STEPS });
    expect(a.steps).toBe(b.steps);
    expect(a.explanation?.prefix.length).toBe(b.explanation?.prefix.length);
  });

  it('gives the same answer and steps when run in slices, as the CLI runs it', () => {
    const whole = checkLinearizability(stale.history, { maxSteps: MAX_STEPS });
    const check = new LinearizabilityCheck(stale.history, { maxSteps: MAX_STEPS });
    let sliced: LinearizabilityResult | undefined;
    while (sliced === undefined) sliced = check.advance(777);
    expect(sliced.steps).toBe(whole.steps);
    expect(sliced.explanation).toEqual(whole.explanation);
  });
});

describe('the memory bound', () => {
  const MIB = 1024 * 1024;

  it('ends a search that would pass it in unknown, saying which bound and how far it got', () => {
    const r = checkLinearizability(keyAlone(stale.history, 'k1'), { maxMemoryBytes: 8 * MIB, maxSteps: 5 * MAX_STEPS });
    expect(r.result).toBe('unknown');
    expect(r.reason).toMatch(/^memory bound of 8 MiB reached \(the search's memo of configurations seen\) on key "k1", after \d+ of \d+ operations linearised at most$/);
    expect(r.progress!.memoryBytes).toBeLessThanOrEqual(8 * MIB);
    expect(r.progress!.configurations).toBeGreaterThan(10_000);
    expect(r.progress!.deepest).toMatchObject({ key: 'k1' });
  });

  it('is shared by the keys: the stale read is still found under a small bound', () => {
    const r = checkLinearizability(stale.history, { maxMemoryBytes: 64 * MIB, maxSteps: MAX_STEPS });
    expect(r.result).toBe('not-linearizable');
  });

  it('is refused when not positive', () => {
    expect(() => checkLinearizability(stale.history, { maxMemoryBytes: 0, maxSteps: MAX_STEPS })).toThrow(/maxMemoryBytes must be positive/);
  });
});
