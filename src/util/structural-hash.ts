// A 64-bit structural hash of plain immutable data that needs no canonical string and no sorting:
// records, Sets and Maps combine their entries with a commutative sum (so key and element order
// do not matter), arrays combine in order. Equal data (as `canonical` defines it) hashes equally.
import type { Fingerprint } from './hash.ts';

const M1 = 0x85ebca6b;
const M2 = 0xc2b2ae35;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, M1);
  h ^= h >>> 13;
  h = Math.imul(h, M2);
  return (h ^ (h >>> 16)) >>> 0;
}

// Frozen records (interned messages, shared sub-states) are hashed once and remembered.
// Arrays are walked before this check, so only records are cached.
const frozenCache = new WeakMap<object, Fingerprint>();

const stringCache = new Map<string, number>();
const STRING_CACHE_MAX = 1 << 16;

function stringHash(s: string): number {
  let h = stringCache.get(s);
  if (h !== undefined) return h;
  h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = fmix(h ^ s.length);
  if (stringCache.size < STRING_CACHE_MAX) stringCache.set(s, h);
  return h;
}

// The two lanes are computed together; `lo`/`hi` hold the result of the last `walk`.
let lo = 0;
let hi = 0;

function walk(value: unknown): void {
  switch (typeof value) {
    case 'number':
      if (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff) {
        lo = fmix((value as number) ^ 0x1b873593);
        hi = fmix(Math.imul((value as number) + 0x3c6ef372, 0x9e3779b1));
      } else {
        const s = stringHash(`f${value}`);
        lo = s;
        hi = fmix(s ^ 0x27d4eb2f);
      }
      return;
    case 'string': {
      const s = stringHash(value as string);
      lo = fmix(s ^ 0x5bd1e995);
      hi = fmix(s + 0x68e31da4);
      return;
    }
    case 'boolean':
      lo = value ? 0x2545f491 : 0x4f1bbcdd;
      hi = value ? 0x7fb5d329 : 0x1d8e4e27;
      return;
    case 'undefined':
      lo = 0x61c88647;
      hi = 0x0f2a5b3c;
      return;
    case 'object': {
      if (value === null) {
        lo = 0x3243f6a8;
        hi = 0x13198a2e;
        return;
      }
      if (Array.isArray(value)) {
        let a = 0x243f6a88 ^ value.length;
        let b = 0x85a308d3 ^ value.length;
        for (let i = 0; i < value.length; i++) {
          walk(value[i]);
          a = fmix(Math.imul(a, 31) + lo);
          b = fmix(Math.imul(b, 37) + hi);
        }
        lo = a;
        hi = b;
        return;
      }
      // Sets and Maps can change while frozen, so only plain records and arrays are remembered.
      const frozen = !(value instanceof Set) && !(value instanceof Map) && Object.isFrozen(value);
      if (frozen) {
        const known = frozenCache.get(value);
        if (known) {
          lo = known.lo;
          hi = known.hi;
          return;
        }
      }
      let a = 0;
      let b = 0;
      let tagLo: number;
      let tagHi: number;
      if (value instanceof Set) {
        for (const x of value) {
          walk(x);
          a = (a + lo) | 0;
          b = (b + hi) | 0;
        }
        tagLo = 0x452821e6;
        tagHi = 0x38d01377;
      } else if (value instanceof Map) {
        for (const [k, v] of value) {
          walk(k);
          const kl = lo;
          const kh = hi;
          walk(v);
          a = (a + fmix(kl ^ Math.imul(lo, 0x9e3779b1))) | 0;
          b = (b + fmix(kh ^ Math.imul(hi, 0x7f4a7c15))) | 0;
        }
        tagLo = 0xbe5466cf;
        tagHi = 0x34e90c6c;
      } else {
        const record = value as Record<string, unknown>;
        for (const key in record) {
          const k = stringHash(key);
          walk(record[key]);
          a = (a + fmix(k ^ Math.imul(lo, 0x9e3779b1))) | 0;
          b = (b + fmix((k + 0x7f4a7c15) ^ Math.imul(hi, 0x94d049bb))) | 0;
        }
        tagLo = 0xc0ac29b7;
        tagHi = 0xc97c50dd;
      }
      lo = fmix(a ^ tagLo);
      hi = fmix(b ^ tagHi);
      if (frozen) frozenCache.set(value, { lo, hi });
      return;
    }
    default:
      throw new TypeError(`structuralHash: cannot hash a value of type ${typeof value}`);
  }
}

export function structuralHash(value: unknown, out: Fingerprint): void {
  walk(value);
  out.lo = lo;
  out.hi = hi;
}
