// What Raft promises (the paper's Figure 3), as properties of the world. Commitment is read from
// the ghost field `committed` that leaders write and nothing reads; it is durable, so a crash does
// not erase the evidence.
import type { ActorProperty, WorldView } from '../../src/index.ts';
import type { Committed, Durable, Msg, Volatile } from './types.ts';

type World = WorldView<Durable, Volatile, Msg>;
type Property = ActorProperty<Durable, Volatile, Msg>;

const allCommitted = (w: World): { server: number; c: Committed }[] =>
  w.nodes.flatMap((n, server) => n.durable.committed.map((c) => ({ server, c })));

/** Election Safety: at most one leader per term (among the servers that are up). */
export function electionSafety(w: World): true | string {
  const leaderOf = new Map<number, number>();
  for (let i = 0; i < w.nodes.length; i++) {
    const n = w.nodes[i];
    if (!n.up || n.volatile?.role !== 'leader') continue;
    const other = leaderOf.get(n.durable.term);
    if (other !== undefined) return `s${other} and s${i} are both leaders of term ${n.durable.term}`;
    leaderOf.set(n.durable.term, i);
  }
  return true;
}

/** Leader Completeness: a leader of a later term holds every entry committed before it. */
export function leaderCompleteness(w: World): true | string {
  const committed = allCommitted(w);
  for (let i = 0; i < w.nodes.length; i++) {
    const n = w.nodes[i];
    if (!n.up || n.volatile?.role !== 'leader') continue;
    for (const { server, c } of committed) {
      if (n.durable.term <= c.inTerm) continue;
      const held = n.durable.log[c.index - 1];
      if (held?.term !== c.term) {
        return `s${i}, leader of term ${n.durable.term}, lacks entry ${c.index} (${c.value}, term ${c.term}) that s${server} committed in term ${c.inTerm}; it holds ${held ? `${held.value} (term ${held.term})` : 'nothing'} there`;
      }
    }
  }
  return true;
}

/** State Machine Safety: no two servers ever commit different entries at one index. */
export function stateMachineSafety(w: World): true | string {
  const at = new Map<number, { server: number; c: Committed }>();
  for (const e of allCommitted(w)) {
    const first = at.get(e.c.index);
    if (first && first.c.term !== e.c.term) {
      return `entry ${e.c.index} committed as ${first.c.value} (term ${first.c.term}) by s${first.server} and as ${e.c.value} (term ${e.c.term}) by s${e.server}`;
    }
    if (!first) at.set(e.c.index, e);
  }
  return true;
}

/** Log Matching: two logs with an entry of the same term at an index agree on every entry before it. */
export function logMatching(w: World): true | string {
  for (let a = 0; a < w.nodes.length; a++) {
    for (let b = a + 1; b < w.nodes.length; b++) {
      const x = w.nodes[a].durable.log;
      const y = w.nodes[b].durable.log;
      for (let i = Math.min(x.length, y.length) - 1; i >= 0; i--) {
        if (x[i].term !== y[i].term) continue;
        for (let j = 0; j < i; j++) {
          if (x[j].term !== y[j].term) return `s${a} and s${b} agree at entry ${i + 1} (term ${x[i].term}) but differ at entry ${j + 1}`;
        }
        break;
      }
    }
  }
  return true;
}

export function raftProperties(servers: number): readonly Property[] {
  void servers;
  return [
    { name: 'ElectionSafety', kind: 'invariant', description: 'at most one leader per term', test: electionSafety },
    { name: 'LeaderCompleteness', kind: 'invariant', description: 'a leader holds every entry committed in an earlier term', test: leaderCompleteness },
    { name: 'StateMachineSafety', kind: 'invariant', description: 'no two servers commit different entries at one index', test: stateMachineSafety },
    { name: 'LogMatching', kind: 'invariant', description: 'logs that agree at an entry agree on all entries before it', test: logMatching },
    { name: 'SomeEntryCommitted', kind: 'reachable', description: 'a leader commits an entry', test: (w) => allCommitted(w).length > 0 },
  ];
}
