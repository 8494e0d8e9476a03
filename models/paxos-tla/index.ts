/**
 * paxos-tla — Lamport's single-decree Paxos, transcribed from Paxos.tla
 * (tlaplus/Examples, specifications/PaxosHowToWinATuringAward/Paxos.tla).
 *
 * The system is the spec's four actions over a message set that only grows:
 *   Phase1a(b)     a leader of ballot b sends 1a(b).
 *   Phase1b(a)     acceptor a, seeing 1a(b) with b > maxBal[a], promises b and sends
 *                  1b(a, b, maxVBal[a], maxVal[a]) (its last vote).
 *   Phase2a(b, v)  if no 2a for b was sent and some quorum Q sent 1b for b, the leader sends
 *                  2a(b, v), where v is the value of the highest-ballot vote reported by Q, or any
 *                  value when Q reports none.
 *   Phase2b(a)     acceptor a, seeing 2a(b, v) with b >= maxBal[a], votes: sends 2b(a, b, v).
 * A value is chosen when a quorum sent 2b for it in one ballot. Quorums are majorities.
 *
 * Simplifications against the spec: none in the transitions. The Voting/Consensus refinement
 * mappings are not checked. Each (action, witness) pair is one event: Phase1b by (a, b) for the
 * witness 1a(b), Phase2b by (a, b, v) for the witness 2a(b, v), Phase2a by (b, v). So transitions
 * are counted per witness message, while TLC also counts one per quorum witness in Phase2a.
 *
 * State (packed): per acceptor maxBal, maxVBal in -1..B-1 and maxVal in 0..V (0 = None, value v is
 * v+1); msgs is a bitset over the finite universe of messages, numbered by `MessageIds`.
 */
import { argTuples, bitset, compileSchema, defineSpecModel, intArray, range, subsetsOfSize, type PackedSpec, type ParamsOf, type View } from '../../src/index.ts';

/** Numbering of the finite message universe. */
export class MessageIds {
  readonly votesPer1b: number;
  readonly first1b: number;
  readonly first2a: number;
  readonly first2b: number;
  readonly size: number;
  constructor(readonly acceptors: number, readonly values: number, readonly ballots: number) {
    // A 1b carries the acceptor's last vote: none (k = 0) or (mbal, mval) (k = 1 + mbal*V + mval).
    this.votesPer1b = 1 + ballots * values;
    this.first1b = ballots;
    this.first2a = this.first1b + acceptors * ballots * this.votesPer1b;
    this.first2b = this.first2a + ballots * values;
    this.size = this.first2b + acceptors * ballots * values;
  }
  m1a(b: number): number {
    return b;
  }
  m1b(a: number, b: number, vote: number): number {
    return this.first1b + (a * this.ballots + b) * this.votesPer1b + vote;
  }
  m2a(b: number, v: number): number {
    return this.first2a + b * this.values + v;
  }
  /** The 2b ids of one (ballot, value) are contiguous, one per acceptor, to count votes. */
  m2b(a: number, b: number, v: number): number {
    return this.first2b + (b * this.values + v) * this.acceptors + a;
  }
  /** The id of message `id` with acceptors renamed by `acc` and values by `val` (symmetry). */
  rename(id: number, acc: readonly number[], val: readonly number[]): number {
    if (id < this.first1b) return id;
    if (id < this.first2a) {
      const rel = id - this.first1b;
      const vote = rel % this.votesPer1b;
      const ab = (rel - vote) / this.votesPer1b;
      const a = Math.floor(ab / this.ballots);
      const renamedVote = vote === 0 ? 0 : 1 + Math.floor((vote - 1) / this.values) * this.values + val[(vote - 1) % this.values];
      return this.m1b(acc[a], ab % this.ballots, renamedVote);
    }
    if (id < this.first2b) {
      const rel = id - this.first2a;
      return this.m2a(Math.floor(rel / this.values), val[rel % this.values]);
    }
    const rel = id - this.first2b;
    const a = rel % this.acceptors;
    const bv = (rel - a) / this.acceptors;
    return this.m2b(acc[a], Math.floor(bv / this.values), val[bv % this.values]);
  }
  /** Inverse numbering, for readable traces. */
  decode(id: number): Record<string, unknown> {
    if (id < this.first1b) return { type: '1a', bal: id };
    if (id < this.first2a) {
      const rel = id - this.first1b;
      const vote = rel % this.votesPer1b;
      const ab = (rel - vote) / this.votesPer1b;
      const acc = Math.floor(ab / this.ballots);
      const bal = ab % this.ballots;
      const mbal = vote === 0 ? -1 : Math.floor((vote - 1) / this.values);
      const mval = vote === 0 ? 'None' : `v${(vote - 1) % this.values}`;
      return { type: '1b', acc: `a${acc}`, bal, mbal, mval };
    }
    if (id < this.first2b) {
      const rel = id - this.first2a;
      return { type: '2a', bal: Math.floor(rel / this.values), val: `v${rel % this.values}` };
    }
    const rel = id - this.first2b;
    const acc = rel % this.acceptors;
    const bv = (rel - acc) / this.acceptors;
    return { type: '2b', acc: `a${acc}`, bal: Math.floor(bv / this.values), val: `v${bv % this.values}` };
  }
}

export function buildPaxosTla(params: PaxosTlaParams, variant: string) {
  const A = params.acceptors;
  const V = params.values;
  const B = params.ballots;
  const ids = new MessageIds(A, V, B);
  const quorums = subsetsOfSize(A, Math.floor(A / 2) + 1);
  const ignoreVotes = variant === 'phase2a-ignores-votes';
  const fields = {
    maxBal: intArray(A, -1, B - 1),
    maxVBal: intArray(A, -1, B - 1),
    maxVal: intArray(A, 0, V),
    msgs: bitset(ids.size),
  };
  const schema = compileSchema(fields);
  type S = View<typeof fields>;

  /**
   * The vote k reported by a's 1b for ballot b (0 = none, 1 + mbal*V + mval), or -1 if a sent no
   * 1b for b. An acceptor sends at most one 1b per ballot (it then raises maxBal to b), and the ids
   * of a's 1b messages for b are contiguous, so this is the first member of that id range.
   */
  const reported = (s: S, a: number, b: number): number => {
    const first = ids.m1b(a, b, 0);
    const id = s.msgs.first(first, first + ids.votesPer1b);
    return id < 0 ? -1 : id - first;
  };
  const mbalOf = (k: number): number => Math.floor((k - 1) / V);
  const mvalOf = (k: number): number => (k - 1) % V;

  /** \E m \in msgs : m.type = "2a" /\ m.bal = b (the 2a ids of ballot b are contiguous). */
  const twoASent = (s: S, b: number): boolean => s.msgs.first(ids.m2a(b, 0), ids.m2a(b, 0) + V) >= 0;

  /** The vote each acceptor reported for the ballot Phase2a looks at (scratch, refilled per call). */
  const votes = new Int32Array(A);

  /** Phase2a's quorum condition for quorum q and value v, given the `votes` reported for the ballot. */
  const quorumAllows = (q: readonly number[], v: number): boolean => {
    // \A a \in Q : \E m \in Q1b : m.acc = a; and the highest vote k (k grows with mbal).
    let highest = 0;
    for (let i = 0; i < q.length; i++) {
      const k = votes[q[i]];
      if (k < 0) return false;
      if (k > highest) highest = k;
    }
    // Q1bv = {}: no member of Q has voted, so any value may be proposed.
    if (ignoreVotes || highest === 0) return true;
    // \E m \in Q1bv : m.mval = v /\ \A mm \in Q1bv : m.mbal >= mm.mbal. Several 1b may report the
    // same highest mbal; Paxos guarantees they carry the same value, and the spec asks only that
    // some highest one carries v.
    for (let i = 0; i < q.length; i++) {
      const k = votes[q[i]];
      if (k > 0 && mbalOf(k) === mbalOf(highest) && mvalOf(k) === v) return true;
    }
    return false;
  };

  /**
   * Chosen(v): some quorum sent 2b for v in one ballot. Quorums are all sets of at least a
   * majority, so "some quorum sent" is "at least a majority sent".
   */
  const majority = Math.floor(A / 2) + 1;
  const chosen = (s: S, v: number): boolean => {
    for (let b = 0; b < B; b++) {
      const first = ids.m2b(0, b, v);
      if (s.msgs.count(first, first + A) >= majority) return true;
    }
    return false;
  };
  const proposed = (s: S, v: number): boolean => {
    for (let b = 0; b < B; b++) if (s.msgs.has(ids.m2a(b, v))) return true;
    return false;
  };

  // Symmetry: acceptors are interchangeable (quorums are all majorities) and so are values (no
  // action treats one value differently). A renaming maps message ids through a table per renaming.
  const renamedIds = new WeakMap<object, Int32Array>();
  const idMap = (perms: Readonly<Record<string, readonly number[]>>): Int32Array => {
    let map = renamedIds.get(perms);
    if (!map) {
      map = Int32Array.from({ length: ids.size }, (_, id) => ids.rename(id, perms.acceptors, perms.values));
      renamedIds.set(perms, map);
    }
    return map;
  };

  const spec: PackedSpec<typeof fields> = {
    representation: 'packed',
    schema,
    symmetry: {
      sorts: { acceptors: A, values: V },
      permute(s, out, perms) {
        const acc = perms.acceptors;
        const val = perms.values;
        for (let a = 0; a < A; a++) {
          out.maxBal.set(acc[a], s.maxBal.get(a));
          out.maxVBal.set(acc[a], s.maxVBal.get(a));
          const mv = s.maxVal.get(a);
          out.maxVal.set(acc[a], mv === 0 ? 0 : val[mv - 1] + 1);
        }
        const map = idMap(perms);
        for (let id = s.msgs.first(0, ids.size); id >= 0; id = s.msgs.first(id + 1, ids.size)) out.msgs.add(map[id]);
      },
    },
    init(s) {
      for (let a = 0; a < A; a++) {
        s.maxBal.set(a, -1);
        s.maxVBal.set(a, -1);
        s.maxVal.set(a, 0);
      }
    },
    actions: [
      {
        name: 'Phase1a',
        args: argTuples({ b: range(B) }),
        apply(_s, next, { b }) {
          next.msgs.add(ids.m1a(b));
          return true;
        },
      },
      {
        name: 'Phase1b',
        args: argTuples({ a: range(A), b: range(B) }),
        apply(s, next, { a, b }) {
          if (!s.msgs.has(ids.m1a(b)) || !(b > s.maxBal.get(a))) return false;
          next.maxBal.set(a, b);
          const vbal = s.maxVBal.get(a);
          const vote = vbal < 0 ? 0 : 1 + vbal * V + (s.maxVal.get(a) - 1);
          next.msgs.add(ids.m1b(a, b, vote));
          return true;
        },
      },
      {
        name: 'Phase2a',
        args: argTuples({ b: range(B), v: range(V) }),
        apply(s, next, { b, v }) {
          if (twoASent(s, b)) return false;
          for (let a = 0; a < A; a++) votes[a] = reported(s, a, b);
          for (const q of quorums) {
            if (!quorumAllows(q, v)) continue;
            next.msgs.add(ids.m2a(b, v));
            return true;
          }
          return false;
        },
      },
      {
        name: 'Phase2b',
        args: argTuples({ a: range(A), b: range(B), v: range(V) }),
        apply(s, next, { a, b, v }) {
          if (!s.msgs.has(ids.m2a(b, v)) || !(b >= s.maxBal.get(a))) return false;
          next.maxBal.set(a, b);
          next.maxVBal.set(a, b);
          next.maxVal.set(a, v + 1);
          next.msgs.add(ids.m2b(a, b, v));
          return true;
        },
      },
    ],
    properties: [
      {
        name: 'Consistency',
        description: 'at most one value is chosen',
        kind: 'invariant',
        test(s) {
          let count = 0;
          for (let v = 0; v < V; v++) if (chosen(s, v)) count++;
          return count <= 1;
        },
      },
      {
        name: 'Validity',
        description: 'every chosen value was proposed in a 2a message',
        kind: 'invariant',
        test(s) {
          // Chosen(v) => proposed(v), with the cheaper side tested first.
          for (let v = 0; v < V; v++) if (!proposed(s, v) && chosen(s, v)) return false;
          return true;
        },
      },
      {
        name: 'SomeValueChosen',
        description: 'some value is chosen',
        kind: 'reachable',
        test(s) {
          for (let v = 0; v < V; v++) if (chosen(s, v)) return true;
          return false;
        },
      },
    ],
    show(s) {
      const acceptors = range(A).map((a) => ({
        maxBal: s.maxBal.get(a),
        maxVBal: s.maxVBal.get(a),
        maxVal: s.maxVal.get(a) === 0 ? 'None' : `v${s.maxVal.get(a) - 1}`,
      }));
      const msgs = range(ids.size).filter((id) => s.msgs.has(id)).map((id) => ids.decode(id));
      return { acceptors, msgs };
    },
  };
  return spec;
}

/** The parameters of Paxos.tla's model values, shared by both transcriptions. */
export const paxosTlaParams = {
  acceptors: { default: 3, min: 1, max: 5, description: 'number of acceptors (majority quorums)' },
  values: { default: 2, min: 1, max: 3, description: 'number of values that may be proposed' },
  ballots: { default: 2, min: 1, max: 6, description: 'number of ballots, numbered from 0' },
} as const;

/** Values of the parameters: the model values of the spec's constants. */
export type PaxosTlaParams = ParamsOf<typeof paxosTlaParams>;

export const paxosTla = defineSpecModel({
  name: 'paxos-tla',
  version: 1,
  description: "Lamport's Paxos.tla: Phase1a/1b/2a/2b over a growing message set (packed state)",
  params: paxosTlaParams,
  variants: {
    default: { description: 'the spec as written', expected: 'pass' },
    'phase2a-ignores-votes': {
      description:
        'mutant: Phase2a proposes any value, ignoring the highest-ballot vote reported in 1b messages ' +
        '(the classic mistake of a leader that skips the recovery rule)',
      expected: 'Consistency',
    },
  },
  spec: buildPaxosTla,
});
