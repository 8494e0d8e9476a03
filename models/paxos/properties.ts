// What Paxos promises, as properties of the world. Safety is read from ghost fields (history
// variables in TLA+ terms) that the protocol writes but never reads: each acceptor's `votes` (every
// vote it ever cast) and each learner's `decisions` (every decision it ever made). Both live in
// durable state, so a crash does not erase the evidence.
import type { ActorProperty, WorldView } from '../../src/index.ts';
import type { AcceptorDurable, Durable, Msg, ProposerDurable, ProposerVolatile, Value, Volatile } from './types.ts';

type World = WorldView<Durable, Volatile, Msg>;
type Property = ActorProperty<Durable, Volatile, Msg>;

export interface PropertyInput {
  readonly acceptors: number;
  /** Votes in one ballot that choose a value. */
  readonly q2: number;
  /** The values clients asked to propose. */
  readonly proposed: readonly Value[];
}

/** Values chosen so far: some ballot in which at least q2 acceptors voted for the value. */
export function chosenValues(w: World, acceptors: number, q2: number): Set<Value> {
  const count = new Map<string, number>();
  const chosen = new Set<Value>();
  for (let a = 0; a < acceptors; a++) {
    for (const v of (w.nodes[a].durable as AcceptorDurable).votes) {
      const key = `${v.ballot}:${v.value}`;
      const n = (count.get(key) ?? 0) + 1;
      count.set(key, n);
      if (n >= q2) chosen.add(v.value);
    }
  }
  return chosen;
}

/** The first quorum that chose each value: its ballot and the acceptors that voted (by id). */
export function choices(w: World, acceptors: number, q2: number): Map<Value, { ballot: number; voters: number[] }> {
  const voters = new Map<string, number[]>();
  const chosen = new Map<Value, { ballot: number; voters: number[] }>();
  for (let a = 0; a < acceptors; a++) {
    for (const v of (w.nodes[a].durable as AcceptorDurable).votes) {
      const key = `${v.ballot}:${v.value}`;
      const who = voters.get(key) ?? [];
      if (!who.includes(a)) who.push(a);
      voters.set(key, who);
      if (who.length >= q2 && !chosen.has(v.value)) chosen.set(v.value, { ballot: Number(v.ballot), voters: who });
    }
  }
  return chosen;
}

/** AtMostOneChosen's verdict: true, or which two values were chosen, in which ballots, by whom. */
export function atMostOneChosen(w: World, acceptors: number, q2: number): true | string {
  if (chosenValues(w, acceptors, q2).size <= 1) return true;
  const [first, second] = [...choices(w, acceptors, q2)];
  if (second === undefined) return `values chosen: ${[...chosenValues(w, acceptors, q2)].map((v) => JSON.stringify(v)).join(', ')}`;
  const text = ([value, c]: [Value, { ballot: number; voters: number[] }]) => `${JSON.stringify(value)} in ballot ${c.ballot} by ${c.voters.map((a) => `a${a}`).join(', ')}`;
  return `two values chosen: ${text(first)}, and ${text(second)}`;
}

const decisionsOf = (w: World, acceptors: number): (readonly Value[])[] =>
  w.nodes.slice(acceptors).map((n) => (n.durable as ProposerDurable).decisions);

export function paxosProperties(input: PropertyInput): Property[] {
  const { acceptors, q2, proposed } = input;
  return [
    {
      name: 'AtMostOneChosen',
      description: 'at most one value is chosen (a value is chosen when a phase-2 quorum of acceptors voted for it in one ballot)',
      kind: 'invariant',
      test: (w) => atMostOneChosen(w, acceptors, q2),
    },
    {
      name: 'Agreement',
      description: 'no two learners decide different values',
      kind: 'invariant',
      test: (w) => {
        // Learners i != j: every decision of i equals every decision of j. (One learner changing
        // its mind on its own is Stability's business.)
        const all = decisionsOf(w, acceptors);
        return all.every((di, i) => all.every((dj, j) => i === j || di.every((x) => dj.every((y) => x === y))));
      },
    },
    {
      name: 'Validity',
      description: 'a decided value was proposed by a client',
      kind: 'invariant',
      test: (w) => decisionsOf(w, acceptors).every((d) => d.every((v) => proposed.includes(v))),
    },
    {
      name: 'Stability',
      description: 'a learner never changes its decision (every decision in its history is the same)',
      kind: 'invariant',
      test: (w) => decisionsOf(w, acceptors).every((d) => d.every((v) => v === d[0])),
    },
    {
      name: 'AllLiveLearnersDecided',
      description: 'some learner is up, and every learner that is up has decided',
      kind: 'reachable',
      test: (w) => {
        const learners = w.nodes.slice(acceptors);
        return learners.some((n) => n.up) && learners.every((n) => !n.up || (n.volatile as ProposerVolatile).decided !== null);
      },
    },
  ];
}
