/**
 * paxos-tla-object — the same Paxos.tla as `paxos-tla`, written a second time on plain immutable
 * objects (the engine's object path) instead of a packed schema. It exists as an independent
 * cross-check of the packed path (the tests require equal counts) and as the object-path benchmark.
 *
 * Messages are interned records (one frozen object per distinct message, made up front), so the
 * message set is a Set of shared objects and set membership is by identity; the state is
 * { maxBal, maxVBal, maxVal: per-acceptor arrays, msgs: Set<Msg> }. None is represented by -1.
 */
import { argTuples, defineSpecModel, range, subsetsOfSize, type ObjectSpec } from '../../src/index.ts';
import { paxosTlaParams, type PaxosTlaParams } from './index.ts';

type Msg =
  | { readonly type: '1a'; readonly bal: number }
  | { readonly type: '1b'; readonly acc: number; readonly bal: number; readonly mbal: number; readonly mval: number }
  | { readonly type: '2a'; readonly bal: number; readonly val: number }
  | { readonly type: '2b'; readonly acc: number; readonly bal: number; readonly val: number };

interface State {
  readonly maxBal: readonly number[];
  readonly maxVBal: readonly number[];
  readonly maxVal: readonly number[];
  readonly msgs: ReadonlySet<Msg>;
}

export function buildPaxosTlaObjects(params: PaxosTlaParams, variant: string): ObjectSpec<State> {
  const A = params.acceptors;
  const V = params.values;
  const B = params.ballots;
  const quorums = subsetsOfSize(A, Math.floor(A / 2) + 1);
  const ignoreVotes = variant === 'phase2a-ignores-votes';

  // Every message is made once, up front, and shared (hash-consing): membership is by identity.
  const m1a = range(B).map((b): Msg => Object.freeze({ type: '1a', bal: b }));
  const m1b = range(A).map((a) => range(B).map((b) => range(B + 1).map((mb) => range(V + 1).map((mv): Msg =>
    Object.freeze({ type: '1b', acc: a, bal: b, mbal: mb - 1, mval: mv - 1 })))));
  const m2a = range(B).map((b) => range(V).map((v): Msg => Object.freeze({ type: '2a', bal: b, val: v })));
  const m2b = range(A).map((a) => range(B).map((b) => range(V).map((v): Msg => Object.freeze({ type: '2b', acc: a, bal: b, val: v }))));

  const send = (s: State, m: Msg): ReadonlySet<Msg> => new Set(s.msgs).add(m);
  const set = (xs: readonly number[], i: number, x: number): number[] => xs.map((y, j) => (j === i ? x : y));
  const chosen = (s: State, v: number) => range(B).some((b) => quorums.some((q) => q.every((a) => s.msgs.has(m2b[a][b][v]))));

  return {
    representation: 'object',
    initialStates: () => [{ maxBal: range(A).map(() => -1), maxVBal: range(A).map(() => -1), maxVal: range(A).map(() => -1), msgs: new Set() }],
    actions: [
      {
        name: 'Phase1a',
        args: argTuples({ b: range(B) }),
        apply: (s, { b }) => (s.msgs.has(m1a[b]) ? s : { ...s, msgs: send(s, m1a[b]) }),
      },
      {
        name: 'Phase1b',
        args: argTuples({ a: range(A), b: range(B) }),
        apply(s, { a, b }) {
          if (!s.msgs.has(m1a[b]) || !(b > s.maxBal[a])) return undefined;
          return { ...s, maxBal: set(s.maxBal, a, b), msgs: send(s, m1b[a][b][s.maxVBal[a] + 1][s.maxVal[a] + 1]) };
        },
      },
      {
        name: 'Phase2a',
        args: argTuples({ b: range(B), v: range(V) }),
        apply(s, { b, v }) {
          if (m2a[b].some((m) => s.msgs.has(m))) return undefined;
          const for1b = [...s.msgs].filter((m): m is Extract<Msg, { type: '1b' }> => m.type === '1b' && m.bal === b);
          const ok = quorums.some((q) => {
            const q1b = for1b.filter((m) => q.includes(m.acc));
            if (!q.every((a) => q1b.some((m) => m.acc === a))) return false;
            const q1bv = q1b.filter((m) => m.mbal >= 0);
            return ignoreVotes || q1bv.length === 0 || q1bv.some((m) => m.mval === v && q1bv.every((mm) => m.mbal >= mm.mbal));
          });
          return ok ? { ...s, msgs: send(s, m2a[b][v]) } : undefined;
        },
      },
      {
        name: 'Phase2b',
        args: argTuples({ a: range(A), b: range(B), v: range(V) }),
        apply(s, { a, b, v }) {
          if (!s.msgs.has(m2a[b][v]) || !(b >= s.maxBal[a])) return undefined;
          return {
            maxBal: set(s.maxBal, a, b),
            maxVBal: set(s.maxVBal, a, b),
            maxVal: set(s.maxVal, a, v),
            msgs: send(s, m2b[a][b][v]),
          };
        },
      },
    ],
    properties: [
      { name: 'Consistency', description: 'at most one value is chosen', kind: 'invariant', test: (s) => range(V).filter((v) => chosen(s, v)).length <= 1 },
      {
        name: 'Validity',
        description: 'every chosen value was proposed in a 2a message',
        kind: 'invariant',
        test: (s) => range(V).every((v) => !chosen(s, v) || range(B).some((b) => s.msgs.has(m2a[b][v]))),
      },
      { name: 'SomeValueChosen', description: 'some value is chosen', kind: 'reachable', test: (s) => range(V).some((v) => chosen(s, v)) },
    ],
    show: (s) => ({ ...s, msgs: [...s.msgs] }),
  };
}

export const paxosTlaObject = defineSpecModel({
  name: 'paxos-tla-object',
  version: 1,
  description: 'the same Paxos.tla on plain immutable objects (object path; cross-check of paxos-tla)',
  params: paxosTlaParams,
  variants: {
    default: { description: 'the spec as written', expected: 'pass' },
    'phase2a-ignores-votes': { description: 'mutant: Phase2a ignores the votes reported in 1b messages', expected: 'Consistency' },
  },
  spec: buildPaxosTlaObjects,
});
