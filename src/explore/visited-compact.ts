// Hash compaction: whole 64-bit fingerprints in 6 bytes a slot, and at most about 8 bytes a state at
// every fill (docs/scale.md). The fingerprint (lo, k) is split by the top 6 bits of k into 64
// segments; in a segment the other 26 bits x of k choose a bucket of 8 slots, monotonically
// (bucket = floor(x * buckets / 2^26)), and a slot keeps lo (uint32) and the low 16 bits of x
// (uint16). An entry sits in its home bucket or, when that is full, in the next; with at least 2,048
// buckets a segment two neighbouring buckets cover at most 2^16 values of x, so the bucket and the
// stored 16 bits give x back exactly: two states collide only when their 64-bit fingerprints do,
// and the missed-state probability is TLC's. What fits in neither bucket goes to a small exact
// overflow set. A segment grows by 1/8 at load 7/8, so it stays between 7/9 and 7/8 full (6.9 to
// 7.7 bytes a state, plus the overflow), and a rehash holds two copies of one segment only.
// Segments keep their slots in blocks of one size from a pool the whole set shares: a segment
// grows into blocks from the pool and gives its old ones back, so the memory of growth is reused
// by the next segment to grow instead of being left to the garbage collector and the allocator
// (typed arrays of ever larger sizes, freed, stayed resident: 12 bytes a state of RSS for a table
// of 7.7, measured with 20 M random fingerprints).
import { finalMix } from '../util/hash.ts';
import { FingerprintSet } from './visited.ts';

const SEGMENT_BITS = 6;
const X_BITS = 32 - SEGMENT_BITS;
const X_RANGE = 2 ** X_BITS;
const BUCKET_SLOTS = 8;
/** Two neighbouring buckets must cover at most 2^16 values of x: X_RANGE / 2^15. */
const BUCKETS_MIN = X_RANGE / 2 ** 15;
const MAX_LOAD = 0.875;
const GROWTH = 1.125;
/** Slots a block: a segment's smallest table, and a multiple of a bucket (no bucket straddles two). */
const BLOCK_BITS = 14;
const BLOCK_SLOTS = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_SLOTS - 1;
/** lo (uint32) and 16 bits of x (uint16) a slot. */
const BLOCK_BYTES = 6 * BLOCK_SLOTS;

/** A run of slots: their lo and 16 bits of x, in one allocation. */
interface Block {
  readonly los: Uint32Array;
  readonly xs: Uint16Array;
}

/** The blocks no segment uses now, zeroed, for the next segment that grows. */
class BlockPool {
  private readonly free: Block[] = [];
  /** Blocks ever allocated (in a segment or here). */
  allocated = 0;

  take(): Block {
    const block = this.free.pop();
    if (block) return block;
    this.allocated++;
    const buffer = new ArrayBuffer(BLOCK_BYTES);
    return { los: new Uint32Array(buffer, 0, BLOCK_SLOTS), xs: new Uint16Array(buffer, 4 * BLOCK_SLOTS, BLOCK_SLOTS) };
  }

  give(block: Block): void {
    block.los.fill(0);
    block.xs.fill(0);
    this.free.push(block);
  }

  bytes(): number {
    return this.free.length * BLOCK_BYTES;
  }
}

/** Enough blocks for `buckets` buckets. */
function blocksFor(pool: BlockPool, buckets: number): Block[] {
  return Array.from({ length: Math.ceil((buckets * BUCKET_SLOTS) / BLOCK_SLOTS) }, () => pool.take());
}

/** The smallest x whose bucket is at least `b` among `buckets`: ceil(b * X_RANGE / buckets), exactly. */
function lowX(b: number, buckets: number): number {
  const n = b * X_RANGE + buckets - 1;
  let q = Math.floor(n / buckets);
  while (q * buckets > n) q--;
  while ((q + 1) * buckets <= n) q++;
  return q;
}

class Segment {
  buckets = BUCKETS_MIN;
  blocks: Block[];
  /** Entries in the slots (the overflow counts its own). */
  count = 0;
  /** Entries that fit in neither bucket, as (lo, x). */
  overflow = new FingerprintSet(1 << 6);

  constructor(private readonly pool: BlockPool) {
    this.blocks = blocksFor(pool, BUCKETS_MIN);
  }

  get size(): number {
    return this.count + this.overflow.size;
  }

  bytes(): number {
    return this.blocks.length * BLOCK_BYTES + this.overflow.bytes();
  }

  add(lo: number, x: number): boolean {
    if (this.size >= MAX_LOAD * this.buckets * BUCKET_SLOTS) this.grow();
    const x16 = x & 0xffff;
    const home = Math.floor((x * this.buckets) / X_RANGE);
    // The home bucket, then the next: an entry goes to the first with room, and is never moved, so
    // a bucket with room means the entry is not further on (and two entries equal in (lo, x16)
    // within two neighbouring buckets are the same fingerprint).
    for (let b = home; b <= home + 1 && b < this.buckets; b++) {
      const { los, xs } = this.blocks[(b * BUCKET_SLOTS) >>> BLOCK_BITS];
      for (let i = (b * BUCKET_SLOTS) & BLOCK_MASK, end = i + BUCKET_SLOTS; i < end; i++) {
        const l = los[i];
        const h = xs[i];
        if (l === 0 && h === 0) {
          los[i] = lo;
          xs[i] = x16;
          this.count++;
          return true;
        }
        if (l === lo && h === x16) return false;
      }
    }
    return this.overflow.add(lo, x);
  }

  forEach(visit: (lo: number, x: number) => void): void {
    entriesOf(this, visit);
  }

  /** Into new blocks (the pool's, else fresh), then the old ones back to the pool. */
  private grow(): void {
    const old = { buckets: this.buckets, blocks: this.blocks, overflow: this.overflow };
    this.buckets = Math.ceil(old.buckets * GROWTH);
    this.blocks = blocksFor(this.pool, this.buckets);
    this.overflow = new FingerprintSet(1 << 6);
    this.count = 0;
    // Each old entry is new here, and the grown segment has room for all of them: add only places.
    entriesOf(old, (lo, x) => this.add(lo, x));
    for (const block of old.blocks) this.pool.give(block);
  }
}

/** Every entry of a segment's tables as (lo, x), the slots' x recovered from their bucket. */
function entriesOf(t: { buckets: number; blocks: Block[]; overflow: FingerprintSet }, visit: (lo: number, x: number) => void): void {
  for (let b = 0; b < t.buckets; b++) {
    // The entry's home is b or b - 1: x is the one value of that range with these low 16 bits.
    const base = b === 0 ? 0 : lowX(b - 1, t.buckets);
    const { los, xs } = t.blocks[(b * BUCKET_SLOTS) >>> BLOCK_BITS];
    for (let i = (b * BUCKET_SLOTS) & BLOCK_MASK, end = i + BUCKET_SLOTS; i < end; i++) {
      const l = los[i];
      const h = xs[i];
      if (l === 0 && h === 0) break;
      visit(l, base + ((h - base) & 0xffff));
    }
  }
  const rest = t.overflow.list();
  for (let i = 0; i < rest.length; i += 2) visit(rest[i], rest[i + 1]);
}

export class CompactSet {
  private readonly pool = new BlockPool();
  private readonly segments = Array.from({ length: 1 << SEGMENT_BITS }, () => new Segment(this.pool));

  get size(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /** Bytes of the segments' blocks and overflows, and of the blocks the pool holds for growth. */
  bytes(): number {
    let n = this.pool.bytes();
    for (const s of this.segments) n += s.bytes();
    return n;
  }

  /** Bytes of every block ever allocated: growth reuses blocks, so about the tables plus one segment. */
  allocatedBytes(): number {
    return this.pool.allocated * BLOCK_BYTES;
  }

  add(lo: number, hi: number): boolean {
    // A bijective remix (so still the whole fingerprint): symmetric fingerprints' top bits are not uniform.
    const k = (hi ^ finalMix(lo)) >>> 0;
    let l = (lo ^ finalMix(k)) >>> 0;
    const x = k % X_RANGE;
    if (l === 0 && (x & 0xffff) === 0) l = 1;
    return this.segments[k >>> X_BITS].add(l, x);
  }

  /** Every fingerprint as (lo, hi) pairs, as they were added, except those `skip` holds (checkpoints). */
  list(skip: FingerprintSet | null = null): Uint32Array {
    const out = new Uint32Array(2 * this.size);
    let n = 0;
    this.segments.forEach((segment, s) =>
      segment.forEach((l, x) => {
        const k = (s * X_RANGE + x) >>> 0;
        const lo = (l ^ finalMix(k)) >>> 0;
        const hi = (k ^ finalMix(lo)) >>> 0;
        if (skip && skip.has(lo, hi)) return;
        out[n++] = lo;
        out[n++] = hi;
      }),
    );
    return out.slice(0, n);
  }
}
