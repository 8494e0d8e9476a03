// The variants: Paxos as designed, Flexible Paxos, and mutants, each a real mistake with the
// property it breaks (README.md has the story of each). A variant is declared once here: its
// description, expected verdict and declared check, and what it changes in the protocol (the
// behaviour switches the handlers read, or the quorum sizes it picks).
import type { VariantDecl } from '../../src/index.ts';
import type { Behaviour } from './types.ts';

export const NORMAL: Behaviour = { promiseNotPersisted: false, ignoresReportedValue: false, acceptsBelowPromise: false, volatileRound: false, sameBallot: false };

export interface VariantShape {
  readonly behaviour?: Partial<Behaviour>;
  /** Quorum sizes when the parameters q1/q2 are 0, from the number of acceptors n. */
  readonly q1?: (n: number) => number;
  readonly q2?: (n: number) => number;
}

export const majority = (n: number): number => Math.floor(n / 2) + 1;

export const SHAPES: Readonly<Record<string, VariantShape>> = {
  default: {},
  'promise-not-persisted': { behaviour: { promiseNotPersisted: true } },
  'ignores-reported-value': { behaviour: { ignoresReportedValue: true } },
  'accepts-below-promise': { behaviour: { acceptsBelowPromise: true } },
  'minority-quorums': { q1: (n) => Math.floor(n / 2), q2: (n) => Math.floor(n / 2) },
  'volatile-round': { behaviour: { volatileRound: true } },
  'same-ballot': { behaviour: { sameBallot: true } },
  'flexible-quorums': { q1: (n) => n, q2: () => 1 },
  'flexible-quorums-too-small': { q1: (n) => n - 1, q2: () => 1 },
};

export const VARIANTS: Readonly<Record<string, VariantDecl>> = {
  default: { description: 'Paxos as designed', expected: 'pass' },
  'promise-not-persisted': {
    description: 'mutant: the acceptor answers prepare before its promise reaches the disk (the fsync is deferred to the next accept), so a crash forgets the promise and it later accepts a lower ballot; breaks AtMostOneChosen',
    expected: 'AtMostOneChosen' },
  'ignores-reported-value': {
    description: 'mutant: the proposer ignores the highest-ballot vote reported in the promises and proposes its own value (a leader that skips recovery); breaks AtMostOneChosen',
    expected: 'AtMostOneChosen' },
  'accepts-below-promise': {
    description: 'mutant: the acceptor checks an accept against its last vote instead of its promise, so it accepts a ballot below the one it promised; breaks AtMostOneChosen',
    expected: 'AtMostOneChosen' },
  'minority-quorums': {
    description: 'mutant: quorums of floor(n/2) acceptors (an off-by-one in the majority), so two quorums need not intersect; breaks AtMostOneChosen',
    expected: 'AtMostOneChosen',
    // The variant's quorum sizes at the default 3 acceptors, spelled out so the summary shows them.
    check: { strategy: 'bfs', params: { q1: 1, q2: 1 } },
  },
  'volatile-round': {
    description: 'mutant: the proposer keeps its round counter in memory only, so after a restart it reuses a ballot it already ran; breaks AtMostOneChosen (needs a crash)',
    expected: 'AtMostOneChosen' },
  'same-ballot': {
    description: 'mutant: ballots are the round alone, without the proposer id, so two proposers may run the same ballot with different values; breaks AtMostOneChosen',
    expected: 'AtMostOneChosen' },
  'flexible-quorums': {
    description: 'Flexible Paxos (Howard et al. 2016): phase-1 quorums of all n acceptors, phase-2 quorums of 1; safe because q1 + q2 > n',
    expected: 'pass',
    // The variant's quorum sizes at the default 3 acceptors, spelled out so the summary shows them.
    check: { strategy: 'bfs', params: { q1: 3, q2: 1 } },
  },
  'flexible-quorums-too-small': {
    description: 'mutant: flexible quorums with q1 = n-1, q2 = 1, so q1 + q2 = n and a phase-1 quorum can miss the phase-2 quorum that chose a value; breaks AtMostOneChosen',
    expected: 'AtMostOneChosen',
    // The variant's quorum sizes at the default 3 acceptors, spelled out so the summary shows them.
    check: { strategy: 'bfs', params: { q1: 2, q2: 1 } },
  },
};
