// The built-in models are defined with `guard: false` (no wrapper per handler call), for speed;
// asking for paranoid mode must still put them under its checks, not be ignored.
import { describe, expect, it } from 'vitest';
import { check, defineActorModel } from '../../src/index.ts';
import { builtinModels } from '../../models/index.ts';
import { faulty } from '../fixtures/faulty.ts';

const paxos = builtinModels.find((m) => m.name === 'paxos')!;

const builtinStyle = defineActorModel({ ...faulty, protocol: faulty.protocol, guard: false });

describe('a model defined unguarded, the way the built-in ones are', () => {
  it('is checked under the paranoid checks when asked: a handler mutating its input is a ModelError', async () => {
    const r = await check(builtinStyle, { variant: 'mutates', paranoid: true });
    expect(r.violation?.property).toBe('ModelError');
    expect(r.modelError!.message).toMatch(/it mutated its input, which paranoid mode freezes/);
  });

  it('catches Math.random in a handler when asked, which goes unnoticed otherwise', async () => {
    expect((await check(builtinStyle, { variant: 'random', paranoid: true })).violation?.property).toBe('ModelError');
    expect((await check(builtinStyle, { variant: 'random' })).violation?.property).toBe('Bounded');
  });

  it('changes no count of a correct built-in model (paxos)', async () => {
    const plain = await check(paxos, {});
    expect(plain.distinctStates).toBe(35_751);
    expect(await check(paxos, { paranoid: true })).toMatchObject({ result: 'pass', distinctStates: plain.distinctStates, transitions: plain.transitions, depth: plain.depth });
  });
});
