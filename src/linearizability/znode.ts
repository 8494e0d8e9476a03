// The znode tree as a sequential object: ZooKeeper's create, getData, setData and delete on one
// tree whose root `/` exists at the start. The whole tree is one object: a path needs its parent,
// and a sequential create's name comes from its parent's child counter, so operations on
// different paths are not independent and the history is not split by key.
//
// The state is a canonical JSON string, so the search memoises it by equality:
//   {"/": [data, version, cversion], "/a": [...], ...}   paths in sorted order
// `version` counts setData on the node; `cversion` counts creates and deletes of its children, and
// is the number a sequential child gets (ZooKeeper's rule: the name is the path followed by the
// parent's cversion as 10 digits, e.g. /q-0000000003).
import type { Operation, Value, ZnodeInput } from './history.ts';

/** data, data version, child version (creates and deletes of children). */
type Znode = readonly [data: string, version: number, cversion: number];
type Tree = ReadonlyMap<string, Znode>;

export const ZNODE_ERRORS = ['NoNode', 'NodeExists', 'NotEmpty', 'BadVersion'] as const;

export const ROOT_STATE: string = JSON.stringify({ '/': ['', 0, 0] });

/** The parsed trees of recently seen states; the search revisits the same few states often. */
const parsed = new Map<string, Tree>();
const PARSED_LIMIT = 4096;

function parseTree(state: Value): Tree {
  if (typeof state !== 'string') throw new Error(`znode: the state must be a tree string, got ${JSON.stringify(state)}`);
  let tree = parsed.get(state);
  if (tree === undefined) {
    tree = new Map(Object.entries(JSON.parse(state) as Record<string, Znode>));
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(state, tree);
  }
  return tree;
}

function treeState(tree: Tree): string {
  const sorted = [...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(sorted));
}

export const parentOf = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
};

/** The name ZooKeeper gives a sequential znode: the requested path and the counter as 10 digits. */
export const sequentialName = (path: string, counter: number): string => `${path}${String(counter).padStart(10, '0')}`;

/** What `op` replies in `state`, and the state after it (the same string when it failed). */
export function runZnode(state: Value, op: Operation): { output: Value; state: Value } {
  const tree = parseTree(state);
  const z = op.input as ZnodeInput;
  const fail = (error: (typeof ZNODE_ERRORS)[number]) => ({ output: error, state });
  const versionMatches = (node: Znode) => z.version === undefined || z.version === null || z.version === -1 || z.version === node[1];
  switch (op.op) {
    case 'create': {
      const parentPath = parentOf(z.path);
      const parent = tree.get(parentPath);
      if (parent === undefined) return fail('NoNode');
      const name = z.sequential ? sequentialName(z.path, parent[2]) : z.path;
      if (tree.has(name)) return fail('NodeExists');
      const next = new Map(tree);
      next.set(parentPath, [parent[0], parent[1], parent[2] + 1]);
      next.set(name, [z.data ?? '', 0, 0]);
      return { output: name, state: treeState(next) };
    }
    case 'getData': {
      const node = tree.get(z.path);
      return { output: node === undefined ? 'NoNode' : node[0], state };
    }
    case 'setData': {
      const node = tree.get(z.path);
      if (node === undefined) return fail('NoNode');
      if (!versionMatches(node)) return fail('BadVersion');
      const next = new Map(tree);
      next.set(z.path, [z.data ?? '', node[1] + 1, node[2]]);
      return { output: node[1] + 1, state: treeState(next) };
    }
    case 'delete': {
      const node = tree.get(z.path);
      if (node === undefined) return fail('NoNode');
      if (!versionMatches(node)) return fail('BadVersion');
      const prefix = `${z.path}/`;
      for (const path of tree.keys()) if (path.startsWith(prefix)) return fail('NotEmpty');
      const parentPath = parentOf(z.path);
      const parent = tree.get(parentPath)!;
      const next = new Map(tree);
      next.delete(z.path);
      next.set(parentPath, [parent[0], parent[1], parent[2] + 1]);
      return { output: true, state: treeState(next) };
    }
    default:
      throw new Error(`znode: ${op.op} is not an operation of znode`);
  }
}
