// Symmetry reduction for actor worlds: a world's fingerprint becomes the smallest fingerprint over
// every renaming of interchangeable nodes, so worlds that differ only by such a renaming are stored
// once. Renamed parts are cached (per node slot and per message), so a renaming costs a few
// lookups and one combination, not a copy of the world.
import type { ActorSymmetry, NodeSlot } from '../model/actor.ts';
import { CLIENT } from '../model/actor.ts';
import type { NetworkKind } from '../model/define.ts';
import type { Fingerprint } from '../util/hash.ts';
import { structuralHash } from '../util/structural-hash.ts';
import type { EnvelopeTable } from './envelopes.ts';
import { sendTo, type Network } from './network.ts';
import { permutationsOf } from '../util/permutations.ts';
import type { Groups } from './partitions.ts';

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

/** What the symmetric fingerprint needs to know of a world. */
export interface WorldParts<D, V> {
  readonly nodes: readonly NodeSlot<D, V>[];
  readonly net: Network;
  readonly partition: Groups | null;
}

/**
 * Returns fingerprint(world, out) = min over renamings of `combine(renamed parts)`. `combine`
 * receives slot hashes by position, the network as ids (renamed), and the renamed partition.
 */
export function symmetricFingerprint<D, V, M>(options: {
  readonly nodeCount: number;
  readonly kind: NetworkKind;
  readonly table: EnvelopeTable<M>;
  readonly symmetry: ActorSymmetry<D, V, M>;
  combine(slotHashes: Uint32Array, net: Network, partition: Groups | null, out: Fingerprint): void;
}): (world: WorldParts<D, V>, out: Fingerprint) => void {
  const { nodeCount: n, kind, table, symmetry, combine } = options;
  const perms = groupPermutations(n, symmetry.groups);
  const renamers = perms.map((p) => (id: number) => (id === CLIENT ? CLIENT : p[id]));
  const slotCache = new WeakMap<NodeSlot<D, V>, Uint32Array>();
  const messageCache = perms.map(() => new Map<number, number>());
  const fp: Fingerprint = { lo: 0, hi: 0 };
  const slotHashes = new Uint32Array(2 * n);
  const best: Fingerprint = { lo: 0, hi: 0 };

  const renamedSlotHashes = (slot: NodeSlot<D, V>): Uint32Array => {
    let hashes = slotCache.get(slot);
    if (!hashes) {
      hashes = new Uint32Array(2 * perms.length);
      perms.forEach((_, k) => {
        const r = renamers[k];
        const renamed = {
          up: slot.up,
          durable: symmetry.renameDurable(slot.durable, r),
          volatile: slot.volatile === null ? null : symmetry.renameVolatile(slot.volatile, r),
          timers: slot.timers,
        };
        structuralHash(renamed, fp);
        hashes![2 * k] = fp.lo;
        hashes![2 * k + 1] = fp.hi;
      });
      slotCache.set(slot, hashes);
    }
    return hashes;
  };

  const renamedId = (k: number, id: number): number => {
    let r = messageCache[k].get(id);
    if (r === undefined) {
      const e = table.envelopes[id];
      const rename = renamers[k];
      r = table.intern(rename(e.from), rename(e.to), symmetry.renameMessage(e.msg, rename));
      messageCache[k].set(id, r);
    }
    return r;
  };

  return (world, out) => {
    for (let k = 0; k < perms.length; k++) {
      const p = perms[k];
      for (let i = 0; i < n; i++) {
        const h = renamedSlotHashes(world.nodes[i]);
        slotHashes[2 * p[i]] = h[2 * k];
        slotHashes[2 * p[i] + 1] = h[2 * k + 1];
      }
      let net: Network = [];
      for (const id of world.net) net = sendTo(kind, table, net, renamedId(k, id));
      let partition: Groups | null = null;
      if (world.partition !== null) {
        const moved = new Array<number>(n);
        world.partition.forEach((g, i) => (moved[p[i]] = g));
        const renumber = new Map<number, number>();
        partition = moved.map((g) => {
          if (!renumber.has(g)) renumber.set(g, renumber.size);
          return renumber.get(g)!;
        });
      }
      combine(slotHashes, net, partition, fp);
      if (k === 0 || fp.hi < best.hi || (fp.hi === best.hi && fp.lo < best.lo)) {
        best.lo = fp.lo;
        best.hi = fp.hi;
      }
    }
    out.lo = best.lo;
    out.hi = best.hi;
  };
}
