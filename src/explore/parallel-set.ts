// Ownership of fingerprints in the level engine (parallel BFS, checkpoints): each shard owns the
// fingerprints whose high lane selects it, and keeps them in an ordinary FingerprintSet (visited.ts).
// Slots come from `lo`; the owning shard comes from `hi`, so the two stay independent.

/** The shard (0..shards-1) that owns a fingerprint: multiply-shift of the high lane. */
export function ownerOf(hi: number, shards: number): number {
  return Math.floor(((hi >>> 0) * shards) / 4294967296);
}
