// The engine's growable buffers share one growth rule (src/util/grow.ts).
import { describe, expect, it } from 'vitest';
import { grown } from '../../src/util/grow.ts';

describe('grown', () => {
  it('keeps the used prefix, zeroes the rest, and at least doubles', () => {
    const a = Uint32Array.from([1, 2, 3, 4]);
    const b = grown(a, 5, 3);
    expect(b).toBeInstanceOf(Uint32Array);
    expect(Array.from(b)).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
  });

  it('makes room for what is needed when that is more than double, and keeps the type', () => {
    const b = grown(Uint8Array.from([7, 8]), 9);
    expect(b).toBeInstanceOf(Uint8Array);
    expect(b.length).toBe(9);
    expect(Array.from(b.subarray(0, 3))).toEqual([7, 8, 0]);
  });
});
