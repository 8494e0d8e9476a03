// The packed representation: schemas pack and unpack faithfully, writes outside a domain are
// refused, and the fingerprint set behaves like a set.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitset, bool, compileSchema, int, intArray } from '../../src/model/schema.ts';
import { FingerprintSet } from '../../src/explore/visited.ts';

describe('a packed schema', () => {
  const fields = { round: int(-1, 6), flag: bool(), votes: intArray(5, -1, 3), msgs: bitset(70), tail: int(0, 1000) };
  const schema = compileSchema(fields);

  it('reads back every value written, for random assignments', () => {
    const valueArb = fc.record({
      round: fc.integer({ min: -1, max: 6 }),
      flag: fc.boolean(),
      votes: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 5, maxLength: 5 }),
      msgs: fc.uniqueArray(fc.integer({ min: 0, max: 69 })),
      tail: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(valueArb, (v) => {
        const words = new Uint32Array(schema.layout.words);
        const s = schema.view(words);
        s.round = v.round;
        s.flag = v.flag;
        v.votes.forEach((x, i) => s.votes.set(i, x));
        v.msgs.forEach((m) => s.msgs.add(m));
        s.tail = v.tail;
        expect(schema.unpack(words)).toEqual({ ...v, msgs: [...v.msgs].sort((a, b) => a - b) });
      }),
    );
  });

  it('refuses a value outside its domain, as a TypeOK would', () => {
    const s = schema.view(new Uint32Array(schema.layout.words));
    expect(() => (s.round = 7)).toThrow(RangeError);
    expect(() => s.votes.set(0, -2)).toThrow(RangeError);
    expect(() => s.votes.set(5, 0)).toThrow(RangeError);
    expect(() => s.msgs.add(70)).toThrow(RangeError);
  });
});

describe('the fingerprint set', () => {
  it('agrees with a JavaScript Set on which fingerprints are new, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 })), { maxLength: 400 }), (fps) => {
        const set = new FingerprintSet(4);
        const oracle = new Set<string>();
        for (const [lo, hi] of fps) {
          const key = `${lo === 0 && hi === 0 ? 1 : lo},${hi}`;
          expect(set.add(lo, hi)).toBe(!oracle.has(key));
          oracle.add(key);
        }
        expect(set.size).toBe(oracle.size);
        for (const [lo, hi] of fps) expect(set.has(lo, hi)).toBe(true);
      }),
    );
  });

  it('stays within 16 bytes per fingerprint once grown', () => {
    const set = new FingerprintSet(16);
    for (let i = 1; i <= 200_000; i++) {
      set.add(Math.imul(i, 0x9e3779b1) >>> 0, i);
      if (i > 1000 && i % 997 === 0) expect(set.bytes() / set.size).toBeLessThanOrEqual(16);
    }
  });
});
