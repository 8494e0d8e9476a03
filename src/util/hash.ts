// 64-bit fingerprints as two independent 32-bit lanes (murmur3-style mixing with Math.imul).
// Two lanes with different seeds give a 64-bit fingerprint without BigInt on the hot path.

/** A reusable output slot for a 64-bit fingerprint, so hashing allocates nothing. */
export interface Fingerprint {
  lo: number;
  hi: number;
}

export const newFingerprint = (): Fingerprint => ({ lo: 0, hi: 0 });

const SEED_LO = 0x9747b28c;
const SEED_HI = 0x5bd1e995;

/** Mix one 32-bit word into a running hash (murmur3's body step). */
export function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3's finalizer. */
export function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const finalize = (h: number, length: number): number => finalMix(h ^ length);

/** Fingerprint `length` words of `words` starting at `offset`. */
export function hashWords(words: Uint32Array, offset: number, length: number, out: Fingerprint): void {
  let a = SEED_LO;
  let b = SEED_HI;
  for (let i = offset, end = offset + length; i < end; i++) {
    const w = words[i];
    a = mixWord(a, w);
    b = mixWord(b, w ^ 0x2545f491);
  }
  out.lo = finalize(a, length);
  out.hi = finalize(b ^ a, length + 0x3c6ef372);
}

/** Fingerprint a string (a canonical encoding) by its UTF-16 code units. */
export function hashString(text: string, out: Fingerprint): void {
  let a = SEED_LO;
  let b = SEED_HI;
  const n = text.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const w = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    a = mixWord(a, w);
    b = mixWord(b, w ^ 0x2545f491);
  }
  if (i < n) {
    const w = text.charCodeAt(i);
    a = mixWord(a, w);
    b = mixWord(b, w ^ 0x2545f491);
  }
  out.lo = finalize(a, n);
  out.hi = finalize(b ^ a, n + 0x3c6ef372);
}

/** Combine a running pair with another fingerprint, order-dependent. */
export function combineOrdered(acc: Fingerprint, lo: number, hi: number): void {
  acc.lo = finalize(mixWord(acc.lo, lo), 8);
  acc.hi = finalize(mixWord(acc.hi ^ 0x7f4a7c15, hi), 8);
}

/** 32-bit integer finalizer, used to spread small ids. */
export function mix32(x: number): number {
  return finalize(mixWord(SEED_LO, x), 4);
}
