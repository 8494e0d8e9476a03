// The fingerprint of an actor world, from the cached content hashes of its parts: node slots in
// node order, the partition's groups, the used fault budgets, and the network. An unordered or set
// network adds its envelopes' hashes (a commutative sum, so the order of ids does not matter); an
// ordered network hashes each channel's sequence in order and adds the channels' hashes. Nothing
// is walked but the world's words.
import type { EnvelopeTable } from './envelopes.ts';
import { finalMix, mixWord, type Fingerprint } from '../util/hash.ts';
import { partitionOf, type Rules } from './moves.ts';
import type { Groups } from './partitions.ts';

/** Hash of a partition's groups (0 stands for no partition). */
export function groupsHash(groups: Groups): number {
  let h = 0x1f83d9ab ^ groups.length;
  for (const g of groups) h = mixWord(h, g);
  return finalMix(h) | 1;
}

/** Combine a world's parts; `lo/hiByNode` are slot hashes by node position. */
export function combineWorld<M>(
  n: number,
  loByNode: Uint32Array,
  hiByNode: Uint32Array,
  partitionHash: number,
  words: ArrayLike<number>,
  ordered: boolean,
  table: EnvelopeTable<M>,
  envelopeLo: Uint32Array,
  envelopeHi: Uint32Array,
  out: Fingerprint,
): void {
  let a = 0x6a09e667;
  let b = 0xbb67ae85;
  for (let i = 0; i < n; i++) {
    a = mixWord(a, loByNode[i]);
    b = mixWord(b, hiByNode[i]);
  }
  const used = words[n + 1];
  a = mixWord(mixWord(a, partitionHash), used);
  b = mixWord(mixWord(b, partitionHash ^ 0x3c6ef372), used);
  // Storage faults used (the partition word's high byte) count only once one is used: worlds without them hash as before.
  const diskUsed = words[n] >>> 24;
  if (diskUsed !== 0) {
    a = mixWord(a, diskUsed ^ 0x5be0cd19);
    b = mixWord(b, diskUsed ^ 0x1f83d9ab);
  }
  const end = words.length;
  let sumLo = 0;
  let sumHi = 0;
  if (!ordered) {
    for (let i = n + 2; i < end; i++) {
      const id = words[i];
      sumLo = (sumLo + envelopeLo[id]) | 0;
      sumHi = (sumHi + envelopeHi[id]) | 0;
    }
  } else {
    let chLo = 0;
    let chHi = 0;
    for (let i = n + 2; i < end; i++) {
      const id = words[i];
      if (i > n + 2 && table.compareChannel(words[i - 1], id) !== 0) {
        sumLo = (sumLo + finalMix(chLo)) | 0;
        sumHi = (sumHi + finalMix(chHi)) | 0;
        chLo = 0;
        chHi = 0;
      }
      chLo = mixWord(chLo, envelopeLo[id]);
      chHi = mixWord(chHi, envelopeHi[id]);
    }
    if (end > n + 2) {
      sumLo = (sumLo + finalMix(chLo)) | 0;
      sumHi = (sumHi + finalMix(chHi)) | 0;
    }
  }
  const count = end - n - 2;
  a = mixWord(mixWord(a, sumLo), count);
  b = mixWord(mixWord(b, sumHi), count);
  out.lo = finalMix(a);
  out.hi = finalMix(b ^ out.lo);
}

/** fingerprint(words, out) of the worlds compiled from `rules`, without symmetry reduction. */
export function plainFingerprint<D, V, M>(rules: Rules<D, V, M>): (words: Uint32Array, out: Fingerprint) => void {
  const { n, slots, table } = rules;
  const ordered = rules.net.ordered;
  const splitHashes = rules.splits.map(groupsHash);
  const loByNode = new Uint32Array(n);
  const hiByNode = new Uint32Array(n);
  return (w, out) => {
    for (let i = 0; i < n; i++) {
      loByNode[i] = slots.hashLo[w[i]];
      hiByNode[i] = slots.hashHi[w[i]];
    }
    const p = partitionOf(w, n);
    combineWorld(n, loByNode, hiByNode, p === 0 ? 0 : splitHashes[p - 1], w, ordered, table, table.hashLo, table.hashHi, out);
  };
}
