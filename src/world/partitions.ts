// Network partitions: every way to split the nodes into two or more groups (set partitions),
// enumerated once per node count in a fixed order.

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
