/**
 * paxos — single-decree Paxos as a distributed system: actors on an unordered network, with
 * crashes, partitions, message loss and duplication under budgets.
 *
 * (Prose account: see the header written below once the numbers are measured.)
 */
import type { Params } from '../../src/model/define.ts';
import { defineActorModel } from '../../src/world/actor-model.ts';
import { paxosProtocol, type Behaviour, type Durable, type Msg, type Volatile } from './protocol.ts';

const NORMAL: Behaviour = { promiseNotPersisted: false, ignoresReportedValue: false, acceptsBelowPromise: false, volatileRound: false, sameBallot: false };

interface VariantShape {
  readonly behaviour?: Partial<Behaviour>;
  /** Quorum sizes when the parameters q1/q2 are 0, from the number of acceptors n. */
  readonly q1?: (n: number) => number;
  readonly q2?: (n: number) => number;
}

const majority = (n: number): number => Math.floor(n / 2) + 1;

const SHAPES: Readonly<Record<string, VariantShape>> = {
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

export function paxosFor(params: Params, variant: string) {
  const shape = SHAPES[variant];
  if (!shape) throw new Error(`paxos: unknown variant ${variant}`);
  const n = params.acceptors;
  return paxosProtocol({
    acceptors: n,
    proposers: params.proposers,
    values: params.values,
    rounds: params.rounds,
    deadAcceptors: Math.min(params.deadAcceptors, n),
    q1: params.q1 > 0 ? params.q1 : (shape.q1 ?? majority)(n),
    q2: params.q2 > 0 ? params.q2 : (shape.q2 ?? majority)(n),
    behaviour: { ...NORMAL, ...shape.behaviour },
  });
}

export const paxos = defineActorModel<Durable, Volatile, Msg>({
  name: 'paxos',
  version: 1,
  description: 'single-decree Paxos as actors (proposers that learn, acceptors) with crashes, partitions, loss, duplication',
  params: {
    acceptors: { default: 3, min: 1, max: 5, description: 'number of acceptors' },
    proposers: { default: 2, min: 1, max: 3, description: 'number of proposers (each is also a learner)' },
    values: { default: 2, min: 1, max: 3, description: 'distinct values: proposer i proposes value i mod values' },
    rounds: { default: 1, min: 1, max: 4, description: 'the highest round a proposer tries (ballot = round * 10 + proposer)' },
    deadAcceptors: { default: 0, min: 0, max: 5, description: 'the last k acceptors are down for good: they never answer' },
    q1: { default: 0, min: 0, max: 5, description: 'phase-1 quorum size (0: majority, or the variant\'s)' },
    q2: { default: 0, min: 0, max: 5, description: 'phase-2 quorum size (0: majority, or the variant\'s)' },
  },
  variants: {
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
      expected: 'AtMostOneChosen' },
    'volatile-round': {
      description: 'mutant: the proposer keeps its round counter in memory only, so after a restart it reuses a ballot it already ran; breaks AtMostOneChosen (needs a crash)',
      expected: 'AtMostOneChosen' },
    'same-ballot': {
      description: 'mutant: ballots are the round alone, without the proposer id, so two proposers may run the same ballot with different values; breaks AtMostOneChosen',
      expected: 'AtMostOneChosen' },
    'flexible-quorums': {
      description: 'Flexible Paxos (Howard et al. 2016): phase-1 quorums of all n acceptors, phase-2 quorums of 1; safe because q1 + q2 > n',
      expected: 'pass' },
    'flexible-quorums-too-small': {
      description: 'mutant: flexible quorums with q1 = n-1, q2 = 1, so q1 + q2 = n and a phase-1 quorum can miss the phase-2 quorum that chose a value; breaks AtMostOneChosen',
      expected: 'AtMostOneChosen' },
  },
  defaultConfig: { network: 'unordered', faults: { crashes: 0, partitions: 0, drops: 0, duplicates: 0 } },
  protocol: paxosFor,
});
