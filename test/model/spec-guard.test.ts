// Spec models' errors are results too: an action that throws, returns something that is not a
// state, or writes outside its schema breaks ModelError in an error state that names the action;
// every strategy finds it, its trace replays to it and shrinks, and the hot packed loop is the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectModel } from '../../src/vitest/index.ts';
import { check, replay, simulate } from '../../src/index.ts';
import { runCheck } from '../../src/check/run.ts';
import { shrinkTrace } from '../../src/trace/shrink.ts';
import { compileSpec } from '../../src/world/spec-system.ts';
import { argTuples, type PackedSpec } from '../../src/model/spec.ts';
import { bool, compileSchema, int, spareBit } from '../../src/model/schema.ts';
import { ModelFault } from '../../src/model/guard.ts';
import { faultyObject, faultyPacked } from '../fixtures/faulty-spec.ts';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { paxosTlaObject } from '../../models/paxos-tla/object.ts';

const STEP2 = 'Step(by=2)';

describe.each([
  ['packed', faultyPacked],
  ['object', faultyObject],
] as const)('a %s spec whose action misbehaves', (_kind, model) => {
  it('passes when nothing goes wrong, with the same counts every time', async () => {
    const r = await check(model);
    expect(r.result).toBe('pass');
    expect(r.violation).toBeNull();
  });

  it('an action that throws is a ModelError naming the action, at the shortest depth, and replays to it', async () => {
    const r = await check(model, { variant: 'throws' });
    expect(r.violation).toMatchObject({ property: 'ModelError', length: 2, message: expect.stringContaining(`${STEP2}: threw TypeError: cannot step 2 by 2`) });
    expect(r.modelError).toEqual({ handler: STEP2, message: 'threw TypeError: cannot step 2 by 2' });
    expect(r.asExpected).toBe(true);
    expect(r.trace!.events.map((e) => e.action)).toEqual(['Step', 'Step']);
    expect(r.timeline).toContain(`Model error in ${STEP2}: threw TypeError: cannot step 2 by 2`);
    expect(replay(model, r.trace!)).toMatchObject({ ok: true, property: 'ModelError', step: 2 });
  });

  it('DFS finds the same error', async () => {
    const r = await check(model, { variant: 'throws', strategy: 'dfs' });
    expect(r.violation?.property).toBe('ModelError');
    expect(r.modelError?.handler).toBe(STEP2);
  });

  it('a throwing initial state is a ModelError at step 0', async () => {
    const r = await check(model, { variant: 'init-throws' });
    expect(r.violation).toMatchObject({ property: 'ModelError', length: 0 });
    expect(r.modelError?.message).toBe('threw Error: no initial count');
    expect(replay(model, r.trace!)).toMatchObject({ ok: true, property: 'ModelError', step: 0 });
  });

  it('simulation reports it with its seed and run, and the shrunk trace replays to it', async () => {
    const r = await simulate(model, { variant: 'throws', runs: 20, seed: 3 });
    expect(r.violation?.property).toBe('ModelError');
    expect(r.trace).toMatchObject({ seed: 3, run: r.violation!.run });
    expect(r.modelError?.handler).toBe(STEP2);
    expect(replay(model, r.trace!).ok).toBe(true);
  });

  it('shrinking a long error trace keeps the error', async () => {
    // Random's run of seed 3 shrinks to the shortest error trace, 2 events (guided's to 3: 1-minimal, not shortest).
    const r = await simulate(model, { variant: 'throws', runs: 20, seed: 3, shrink: false, strategy: 'random' });
    const system = model.build({ params: {}, variant: 'throws', config: model.defaultConfig });
    const shrunk = shrinkTrace(system, r.trace!);
    expect(shrunk.trace.events.length).toBe(2);
    expect(replay(model, shrunk.trace)).toMatchObject({ ok: true, property: 'ModelError', step: 2 });
  });

  it('paranoid mode catches an action that mutates its input, and one that calls Math.random; neither is seen without it', async () => {
    const mutates = await check(model, { variant: 'mutates', paranoid: true });
    expect(mutates.modelError?.handler).toBe('Reset()');
    expect(mutates.modelError?.message).toMatch(_kind === 'packed' ? /^wrote to its input state/ : /Cannot assign to read only property 'count'.*\(it mutated its input, which paranoid mode freezes\)$/);
    expect(replay(model, mutates.trace!)).toMatchObject({ ok: true, property: 'ModelError' });
    const random = await check(model, { variant: 'random', paranoid: true });
    expect(random.modelError).toEqual({ handler: 'Step(by=1)', message: expect.stringMatching(/^called Math\.random, which makes the step differ between runs/) });
    expect((await check(model, { variant: 'mutates' })).result).toBe('pass');
    expect((await check(model, { variant: 'random' })).result).toBe('pass');
  });

  it('a correct spec passes in paranoid mode with the same counts', async () => {
    const plain = await check(model);
    const paranoid = await check(model, { paranoid: true });
    expect(paranoid).toMatchObject({ result: 'pass', distinctStates: plain.distinctStates, transitions: plain.transitions, depth: plain.depth });
  });

  it('a broken invariant may say why, and the counterexample prints it', async () => {
    const r = await check(model, { variant: 'says-why' });
    expect(r.violation?.property).toBe('Small');
    expect(r.violation!.message).toMatch(/^the counter stays below 3: count reached 3/);
    expect(r.trace!.violation!.message).toBe(r.violation!.message);
  });
});

describe('writes outside a schema', () => {
  it('a packed field written out of its range is a ModelError in the schema own words', async () => {
    const r = await check(faultyPacked, { variant: 'out-of-range' });
    expect(r.modelError).toEqual({ handler: STEP2, message: 'broke its schema: count = 4 is outside 0..3' });
    expect(replay(faultyPacked, r.trace!).ok).toBe(true);
  });

  it('an object action returning a non-state is a ModelError', async () => {
    const r = await check(faultyObject, { variant: 'out-of-range' });
    expect(r.modelError).toEqual({ handler: 'Step(by=1)', message: 'returned 4, not a state object (or undefined when not enabled)' });
  });

  it('a schema whose bits are all used gets one more word for the error flag, and still works', () => {
    const fields = { a: int(0, 2 ** 31 - 1), b: bool() };
    const schema = compileSchema(fields);
    expect(spareBit(schema.layout)).toBeNull();
    const spec: PackedSpec<typeof fields> = {
      representation: 'packed',
      schema,
      init: (s) => void (s.a = 2 ** 31 - 2),
      actions: [{ name: 'Inc', args: argTuples({}), apply: (s, next) => ((next.a = s.a + 1), true) }],
      properties: [],
    };
    const system = compileSpec(spec);
    expect(system.packedWords).toBe(2);
    const report = runCheck({ model: { build: () => system, variants: { default: { expected: 'pass' } } } as never, variant: 'default', params: {}, config: { network: 'set', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } }, strategy: 'bfs', search: {} });
    expect(report.outcome.violation).toMatchObject({ property: 'ModelError', length: 2 });
    expect(report.outcome.violation!.description).toContain('Inc(): broke its schema: a = 2147483648 is outside 0..2147483647');
  });
});

describe('ordeal/vitest on spec models (paranoid by default)', () => {
  const traceDir = mkdtempSync(join(tmpdir(), 'ordeal-spec-vitest-'));
  afterAll(() => rmSync(traceDir, { recursive: true, force: true }));

  it('expects a model error, and fails a passing expectation with the action named', async () => {
    await expectModel(faultyPacked, { variant: 'out-of-range', traceDir }).toViolate('ModelError');
    await expectModel(faultyObject, { variant: 'mutates', traceDir }).toViolate('ModelError');
    await expect(expectModel(faultyPacked, { variant: 'throws', traceDir }).toPass()).rejects.toThrow(/Step\(by=2\): threw TypeError: cannot step 2 by 2/);
  });
});

describe('paranoid mode on the built-in spec models', () => {
  it.each(['paxos-tla', 'paxos-tla-object'])('%s passes with the same counts (ballots=2: 3,921 states, 22,994 transitions)', async (name) => {
    const model = name === 'paxos-tla' ? paxosTla : paxosTlaObject;
    expect(await check(model, { params: { ballots: 2 }, paranoid: true })).toMatchObject({ result: 'pass', distinctStates: 3921, transitions: 22994, depth: 17 });
  });
});

describe('what is not a model error', () => {
  it('an error thrown by the engine while visiting a successor is not blamed on an action', () => {
    const system = faultyPacked.build({ params: {}, variant: 'default', config: faultyPacked.defaultConfig });
    const [initial] = system.initialStates();
    expect(() => system.forEachSuccessor(initial, () => {
      throw new Error('engine: out of memory');
    })).toThrow('engine: out of memory');
  });

  it('a property that throws is a ModelFault (exit 4 without a trace), as for actor models', () => {
    const system = compileSpec({
      representation: 'object',
      initialStates: () => [{ n: 0 }],
      actions: [],
      properties: [{ name: 'Bad', description: 'reads a missing field', kind: 'invariant', test: (s: { n: number }) => (s as never as { m: { x: number } }).m.x === 0 }],
    });
    const bad = system.properties.find((p) => p.name === 'Bad')!;
    expect(() => bad.test(system.initialStates()[0])).toThrow(ModelFault);
  });

  it('the fixture whose invariant throws at count 3 stops check with that ModelFault, packed and object alike', async () => {
    for (const model of [faultyPacked, faultyObject]) {
      await expect(check(model, { variant: 'property-throws' })).rejects.toThrow(new ModelFault('property Small threw Error: Small cannot read the count'));
    }
  });
});
