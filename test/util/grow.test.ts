// The engine's growable buffers share one growth rule (src/util/grow.ts).
import { describe, expect, it } from 'vitest';
import { grown } from '../../src/util/grow.ts';

describe('grown', () => {
  it('keeps the used prefix, zeroes the rest, and at least doubles', () => {
    const a = new Uint32Array(20).fill(9);
    const b = grown(a, 21, 3);
    expect(b).toBeInstanceOf(Uint32Array);
    expect(b.length).toBe(40);
    expect(Array.from(b.subarray(0, 5))).toEqual([9, 9, 9, 0, 0]);
    expect(Array.from(grown(a)).filter((x) => x === 9).length).toBe(20);
  });

  it('makes room for what is needed when that is more than double, and keeps the type', () => {
    const b = grown(Int32Array.from({ length: 16 }, (_, i) => -i), 100);
    expect(b).toBeInstanceOf(Int32Array);
    expect(b.length).toBe(100);
    expect(Array.from(b.subarray(14, 17))).toEqual([-14, -15, 0]);
    expect(grown(new Uint8Array(0)).length).toBe(16);
  });
});
