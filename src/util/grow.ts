// Growing a typed array: the one rule every growable buffer of the engine follows (at least double,
// at least what is needed), so amortized appends stay linear.

type Growable = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/**
 * A copy of `array` with room for `needed` entries (at least twice its length, and at least 16);
 * its first `used` entries are kept, the rest are zero. Callers test for room themselves, so the
 * hot path pays nothing here.
 */
export function grown<T extends Growable>(array: T, needed: number = array.length + 1, used: number = array.length): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(16, 2 * array.length, needed));
  bigger.set(used === array.length ? array : array.subarray(0, used));
  return bigger;
}
