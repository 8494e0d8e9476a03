// Permutations for symmetry reduction, enumerated iteratively (Heap's algorithm), identity first.

export function permutationsOf(items: readonly number[]): number[][] {
  const out = [items.slice()];
  const a = items.slice();
  const c = new Array<number>(a.length).fill(0);
  let i = 1;
  while (i < a.length) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      [a[j], a[i]] = [a[i], a[j]];
      out.push(a.slice());
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return out;
}

/** Every combination of one permutation of 0..size-1 per sort (the product group), identity first. */
export function sortPermutations(sorts: Readonly<Record<string, number>>): Record<string, number[]>[] {
  let out: Record<string, number[]>[] = [{}];
  for (const [sort, size] of Object.entries(sorts)) {
    const perms = permutationsOf(Array.from({ length: size }, (_, i) => i));
    out = out.flatMap((combo) => perms.map((p) => ({ ...combo, [sort]: p })));
  }
  return out;
}
