// Model errors are results: every model bug becomes a ModelError counterexample that names the
// handler and replays to the same error; paranoid mode catches mutation and randomness.
import { describe, expect, it } from 'vitest';
import { check, replay, simulate } from '../../src/index.ts';
import { faulty } from '../fixtures/faulty.ts';

describe('a handler that misbehaves', () => {
  const cases: [string, boolean, RegExp][] = [
    ['throws', false, /^threw TypeError: cannot read the ballot of undefined$/],
    ['bad-send', false, /^sends \{"to":7,"msg":\{"type":"inc"\}\} to node 7, which does not exist \(nodes are 0\.\.1\)$/],
    ['no-state', false, /^returned a step whose state is undefined, not \{durable, volatile\}$/],
    ['mutates', true, /Cannot assign to read only property 'count'.*\(it mutated its input, which paranoid mode freezes\)$/],
    ['random', true, /^called Math\.random, which makes the step differ between runs/],
  ];
  for (const [variant, paranoid, message] of cases) {
    it(`${variant}${paranoid ? ' (paranoid)' : ''} is a ModelError naming the handler, and its trace replays to it`, async () => {
      const r = await check(faulty, { variant, paranoid });
      expect(r.violation).toMatchObject({ property: 'ModelError', length: 1 });
      expect(r.modelError!.handler).toBe('onMessage(n1, from n0, {"type":"inc"})');
      expect(r.modelError!.message).toMatch(message);
      expect(r.asExpected).toBe(true);
      expect(r.timeline).toContain('Model error in onMessage(n1, from n0, {"type":"inc"})');
      expect(replay(faulty, r.trace!)).toMatchObject({ ok: true, property: 'ModelError', step: 1 });
    });
  }

  it('randomness goes unnoticed without paranoid mode (a bogus Bounded counterexample, as the issue saw)', async () => {
    expect((await check(faulty, { variant: 'random' })).violation?.property).toBe('Bounded');
  });

  it('a correct model passes in paranoid mode', async () => {
    expect((await check(faulty, { paranoid: true })).result).toBe('pass');
  });

  it('simulation reports the model error with its seed and run', async () => {
    const r = await simulate(faulty, { variant: 'throws', runs: 5, seed: 7 });
    expect(r.violation).toMatchObject({ property: 'ModelError', run: 0 });
    expect(r.trace).toMatchObject({ seed: 7, run: 0 });
    expect(r.modelError?.message).toBe('threw TypeError: cannot read the ballot of undefined');
  });
});
