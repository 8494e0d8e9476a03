// ZooKeeper's data tree, the face users know: znodes created, read, written and deleted by client
// requests, ephemeral znodes owned by a session and deleted when it closes, sequential znodes named
// with the parent's counter. Each server applies committed txns in zxid order to its own tree; the
// tree is a pure function of the applied txns, so it is computed here rather than kept in state.
import type { Txn } from './types.ts';

/** The client operations, in the order the `requests` parameter takes them. */
export const OPERATIONS: readonly string[] = [
  'create -e /e s1', // an ephemeral znode of session s1
  'closeSession s1', // closing s1 deletes its ephemerals, by this one txn
  'create /a',
  'setData /a 1',
  'create -s /q-', // a sequential znode: /q-0, /q-1, ...
  'delete /a',
];

export interface Znode {
  readonly data: string;
  /** The session that owns an ephemeral znode, or null. */
  readonly owner: string | null;
}

export interface DataTree {
  readonly nodes: ReadonlyMap<string, Znode>;
  readonly closedSessions: ReadonlySet<string>;
}

/**
 * Apply txns in order. A request that fails (the znode exists, is missing, its session closed)
 * changes nothing. `sessionChecked` false (the sessions grain) applies an ephemeral create whatever
 * its session, as ZooKeeper's DataTree.createNode does: there the leader's PrepRequestProcessor
 * decided the txn's outcome before proposing it. createSession and error txns change no znode.
 */
export function applyTxns(txns: readonly Txn[], sessionChecked = true): DataTree {
  const nodes = new Map<string, Znode>();
  const closed = new Set<string>();
  let sequence = 0;
  for (const { op } of txns) {
    const [verb, ...args] = op.split(' ');
    if (verb === 'create') {
      const ephemeral = args[0] === '-e';
      const sequential = args[0] === '-s';
      const path = ephemeral || sequential ? args[1] : args[0];
      const owner = ephemeral ? args[2] : null;
      if (owner !== null && sessionChecked && closed.has(owner)) continue;
      const name = sequential ? `${path}${sequence++}` : path;
      if (!nodes.has(name)) nodes.set(name, { data: '', owner });
    } else if (verb === 'setData') {
      const node = nodes.get(args[0]);
      if (node) nodes.set(args[0], { ...node, data: args[1] });
    } else if (verb === 'delete') {
      nodes.delete(args[0]);
    } else if (verb === 'createSession' || verb === 'error') {
      continue;
    } else if (verb === 'closeSession') {
      closed.add(args[0]);
      for (const [path, node] of [...nodes]) if (node.owner === args[0]) nodes.delete(path);
    } else {
      throw new Error(`zab: unknown operation '${op}'`);
    }
  }
  return { nodes, closedSessions: closed };
}

/** One line per znode, sorted: two trees are equal when their texts are. */
export function treeText(tree: DataTree): string {
  return [...tree.nodes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, n]) => `${p}=${n.data}${n.owner ? `@${n.owner}` : ''}`).join(' ');
}
