// Network partitions: every way to split the nodes into two or more groups (set partitions),
// enumerated once per node count in a fixed order, or the two-group splits only, or the splits that
// cut one node off. Each kind is closed under renaming nodes, as symmetry reduction needs.
import type { PartitionKinds } from '../model/define.ts';

/** A partition as a group index per node, groups numbered by first appearance (canonical form). */
export type Groups = readonly number[];

export function allSplits(nodeCount: number): Groups[] {
  // Restricted growth strings: a[0] = 0, a[i] <= 1 + max(a[0..i-1]).
  const out: Groups[] = [];
  const a = new Array<number>(nodeCount).fill(0);
  const walk = (i: number, max: number): void => {
    if (i === nodeCount) {
      if (max > 0) out.push([...a]);
      return;
    }
    for (let g = 0; g <= max + 1; g++) {
      a[i] = g;
      walk(i + 1, Math.max(max, g));
    }
  };
  if (nodeCount > 0) walk(1, 0);
  return out;
}

export function groupsText(groups: Groups, name: (id: number) => string): string {
  const blocks: string[][] = [];
  groups.forEach((g, id) => (blocks[g] ??= []).push(name(id)));
  return blocks.map((b) => `{${b.join(',')}}`).join(' | ');
}

/** The splits a partition event may make, in the order of `allSplits`. */
export function splitsOf(nodeCount: number, kinds: PartitionKinds = 'all'): Groups[] {
  const all = allSplits(nodeCount);
  if (kinds === 'all') return all;
  const groupCount = (g: Groups): number => Math.max(...g) + 1;
  if (kinds === 'halves') return all.filter((g) => groupCount(g) === 2);
  // One node alone, the rest together: two groups, one of them a single node.
  return all.filter((g) => groupCount(g) === 2 && (g.filter((x) => x === 0).length === 1 || g.filter((x) => x === 1).length === 1));
}
