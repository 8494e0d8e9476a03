// Symmetry reduction for actor worlds: a world's fingerprint becomes the smallest fingerprint over
// every renaming of interchangeable nodes, so worlds that differ only by such a renaming are stored
// once. It works on the world's words: the hash of each slot and each envelope under each renaming
// is computed once (renaming the content and hashing it) and kept in arrays by id, so a renaming
// costs a lookup per slot and per message in flight and one combination, not a copy of the world.
import type { ActorSymmetry } from '../model/actor.ts';
import { CLIENT } from '../model/actor.ts';
import type { Fingerprint } from '../util/hash.ts';
import { structuralHash } from '../util/structural-hash.ts';
import { permutationsOf } from '../util/permutations.ts';
import { envelopeHash } from './envelopes.ts';
import { combineWorld, groupsHash } from './fingerprint.ts';
import { grown } from '../util/grow.ts';
import { partitionOf, type Rules } from './moves.ts';
import type { Groups } from './partitions.ts';
import { DOWN_VOLATILE_HI, DOWN_VOLATILE_LO } from './slots.ts';

/** Every permutation of the node ids that permutes each group within itself (identity first). */
export function groupPermutations(nodeCount: number, groups: readonly (readonly number[])[]): number[][] {
  let perms: number[][] = [Array.from({ length: nodeCount }, (_, i) => i)];
  for (const group of groups) {
    const orders = permutationsOf([...group]);
    perms = perms.flatMap((p) =>
      orders.map((order) => {
        const q = p.slice();
        group.forEach((id, k) => (q[id] = order[k]));
        return q;
      }),
    );
  }
  return perms;
}

/** The groups of a partition after renaming its nodes by `p`, renumbered by first appearance. */
export function renamedGroups(groups: Groups, p: readonly number[]): Groups {
  const moved = new Array<number>(groups.length);
  groups.forEach((g, i) => (moved[p[i]] = g));
  const renumber = new Map<number, number>();
  return moved.map((g) => {
    if (!renumber.has(g)) renumber.set(g, renumber.size);
    return renumber.get(g)!;
  });
}

/** Hashes of slots or envelopes under one renaming, filled on first use. */
class RenamedHashes {
  lo = new Uint32Array(256);
  hi = new Uint32Array(256);
  known = new Uint8Array(256);

  ensure(size: number): void {
    while (size > this.known.length) {
      this.lo = grown(this.lo);
      this.hi = grown(this.hi);
      this.known = grown(this.known);
    }
  }
}

/** Returns fingerprint(words, out) = the smallest fingerprint over the renamings. */
export function symmetricFingerprint<D, V, M>(rules: Rules<D, V, M>, symmetry: ActorSymmetry<D, V, M>): (words: Uint32Array, out: Fingerprint) => void {
  const n = rules.n;
  const { slots, table } = rules;
  const perms = groupPermutations(n, symmetry.groups);
  const renamers = perms.map((p) => (id: number) => (id === CLIENT ? CLIENT : p[id]));
  const slotHashes = perms.map(() => new RenamedHashes());
  const envelopeHashes = perms.map(() => new RenamedHashes());
  const partitionHashes = perms.map((p) => rules.splits.map((g) => groupsHash(renamedGroups(g, p))));
  const loByNode = new Uint32Array(n);
  const hiByNode = new Uint32Array(n);
  const fp: Fingerprint = { lo: 0, hi: 0 };
  const part: Fingerprint = { lo: 0, hi: 0 };

  const fillSlot = (k: number, id: number): void => {
    const slot = slots.slots[id];
    const r = renamers[k];
    structuralHash(symmetry.renameDurable(slot.durable, r), part);
    const dLo = part.lo;
    const dHi = part.hi;
    let vLo = DOWN_VOLATILE_LO;
    let vHi = DOWN_VOLATILE_HI;
    if (slots.up[id] === 1) {
      structuralHash(symmetry.renameVolatile(slot.volatile as V, r), part);
      vLo = part.lo;
      vHi = part.hi;
    }
    const [lo, hi] = slots.hashOfParts(id, dLo, dHi, vLo, vHi);
    const h = slotHashes[k];
    h.lo[id] = lo;
    h.hi[id] = hi;
    h.known[id] = 1;
  };

  const fillEnvelope = (k: number, id: number): void => {
    const r = renamers[k];
    structuralHash(symmetry.renameMessage(table.messages.values[table.messageOf[id]], r), part);
    const [lo, hi] = envelopeHash(r(table.from[id]), r(table.to[id]), part.lo, part.hi);
    const h = envelopeHashes[k];
    h.lo[id] = lo;
    h.hi[id] = hi;
    h.known[id] = 1;
  };

  return (words, out) => {
    const partition = partitionOf(words, n);
    const end = words.length;
    for (let k = 0; k < perms.length; k++) {
      const p = perms[k];
      const sh = slotHashes[k];
      const eh = envelopeHashes[k];
      if (k === 0) {
        for (let i = 0; i < n; i++) {
          loByNode[i] = slots.hashLo[words[i]];
          hiByNode[i] = slots.hashHi[words[i]];
        }
      } else {
        sh.ensure(slots.size);
        for (let i = 0; i < n; i++) {
          const id = words[i];
          if (sh.known[id] === 0) fillSlot(k, id);
          loByNode[p[i]] = sh.lo[id];
          hiByNode[p[i]] = sh.hi[id];
        }
        eh.ensure(table.size);
        for (let i = n + 2; i < end; i++) if (eh.known[words[i]] === 0) fillEnvelope(k, words[i]);
      }
      const partitionHash = partition === 0 ? 0 : partitionHashes[k][partition - 1];
      const envLo = k === 0 ? table.hashLo : eh.lo;
      const envHi = k === 0 ? table.hashHi : eh.hi;
      combineWorld(n, loByNode, hiByNode, partitionHash, words, rules.ordered, table, envLo, envHi, fp);
      if (k === 0 || fp.hi < out.hi || (fp.hi === out.hi && fp.lo < out.lo)) {
        out.lo = fp.lo;
        out.hi = fp.hi;
      }
    }
  };
}
