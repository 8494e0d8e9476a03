// Guided simulation's coverage for Raft (ActorSpec.abstraction): each server's log shape (the terms
// of its entries) and how many entries it committed, and for a leader its term, as a multiset
// (servers are symmetric). Figure 8 is a particular sequence of such shapes; followers' and
// candidates' terms are left out, since they change at every election timeout and would spread the
// corpus over states that differ only there (measured on bench/deep.ts: 50 k against 79 k runs to
// find Figure 8 over seeds 1-10). Each server's part is made once per node slot (slots are interned,
// so a step that changes one server reuses the others' parts).
import type { NodeSlot, WorldView } from '../../src/index.ts';
import type { Durable, Msg, Volatile } from './types.ts';

const parts = new WeakMap<NodeSlot<Durable, Volatile>, string>();

function partOf(n: NodeSlot<Durable, Volatile>): string {
  let part = parts.get(n);
  if (part === undefined) {
    const leader = n.up && n.volatile!.role === 'leader' ? `L${n.durable.term}` : '';
    part = `${leader}[${n.durable.log.map((e) => e.term).join('')}]c${n.durable.committed.length}`;
    parts.set(n, part);
  }
  return part;
}

export function raftAbstraction(view: WorldView<Durable, Volatile, Msg>): string {
  return view.nodes.map(partOf).sort().join(' ');
}
