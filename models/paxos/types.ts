// The Paxos model's types: values and ballots, the messages, each role's durable and volatile
// state (ghost fields marked), the switches a variant turns on, and the protocol's configuration.
import type { ActorSpec, NodeId } from '../../src/index.ts';

/** A proposed value: 'v0', 'v1', ... */
export type Value = string;

/**
 * A ballot number: round * 10 + proposer index, so ballot 21 is round 2 of proposer p1. Ballots
 * are unique per proposer and ordered as (round, proposer). -1 means "none".
 */
export type Ballot = number;
export const NO_BALLOT: Ballot = -1;

export interface Vote {
  readonly ballot: Ballot;
  readonly value: Value;
}

export type Msg =
  /** Client -> proposer: please get this value chosen. */
  | { readonly type: 'propose'; readonly value: Value }
  /** Phase 1a, proposer -> acceptor: promise not to accept anything below `ballot`. */
  | { readonly type: 'prepare'; readonly ballot: Ballot }
  /** Phase 1b, acceptor -> proposer: promised; here is my latest vote (if any). */
  | { readonly type: 'promise'; readonly ballot: Ballot; readonly vote: Vote | null }
  /** Phase 2a, proposer -> acceptor: accept `value` in `ballot`. */
  | { readonly type: 'accept'; readonly ballot: Ballot; readonly value: Value }
  /** Phase 2b, acceptor -> the proposer of the ballot (its distinguished learner): I accepted. */
  | { readonly type: 'accepted'; readonly ballot: Ballot; readonly value: Value }
  /** Distinguished learner -> the other learners: `value` is chosen. */
  | { readonly type: 'decided'; readonly value: Value };

export interface AcceptorDurable {
  readonly role: 'acceptor';
  /** The highest ballot promised (fsynced before the promise is sent). */
  readonly promised: Ballot;
  /** The latest vote (fsynced before `accepted` is sent). */
  readonly accepted: Vote | null;
  /** GHOST: every vote this acceptor ever cast, sorted; never read by the protocol. */
  readonly votes: readonly Vote[];
}

export interface AcceptorVolatile {
  readonly role: 'acceptor';
  /** Only in the `promise-not-persisted` mutant: a promise held in memory, not yet on disk. */
  readonly promisedInMemory?: Ballot;
}

export interface ProposerDurable {
  readonly role: 'proposer';
  /** The highest round this proposer has used (fsynced before its prepare is sent). */
  readonly round: number;
  /** The client's value, persisted when the request arrives, so a restarted proposer resumes it. */
  readonly request: Value | null;
  /** GHOST (learner): every decision this node's learner ever made, in order; survives crashes. */
  readonly decisions: readonly Value[];
}

/** One `accepted` message a learner has heard. */
export interface Heard {
  readonly acceptor: NodeId;
  readonly ballot: Ballot;
  readonly value: Value;
}

export interface ProposerVolatile {
  readonly role: 'proposer';
  /** idle: no ballot running; preparing: phase 1 of `ballot`; accepting: phase 2 of `ballot`. */
  readonly phase: 'idle' | 'preparing' | 'accepting';
  readonly ballot: Ballot;
  /** Acceptors that promised `ballot` (phase 1), sorted. */
  readonly promises: readonly NodeId[];
  /** The highest-ballot vote reported in those promises. */
  readonly highest: Vote | null;
  /** Only in the `volatile-round` mutant: the round counter, kept in memory. */
  readonly roundInMemory?: number;
  /** Learner: `accepted` messages heard while undecided, sorted. */
  readonly heard: readonly Heard[];
  /** Learner: the decided value, or null. Volatile: a restarted learner must learn again. */
  readonly decided: Value | null;
}

export type Durable = AcceptorDurable | ProposerDurable;
export type Volatile = AcceptorVolatile | ProposerVolatile;
export type PaxosSpec = ActorSpec<Durable, Volatile, Msg>;

/** What a variant changes, as switches read by the handlers. */
export interface Behaviour {
  readonly promiseNotPersisted: boolean;
  readonly ignoresReportedValue: boolean;
  readonly acceptsBelowPromise: boolean;
  readonly volatileRound: boolean;
  readonly sameBallot: boolean;
}

export interface PaxosConfig {
  readonly acceptors: number;
  readonly proposers: number;
  readonly values: number;
  readonly rounds: number;
  /** The last `deadAcceptors` acceptors never answer (crashed for good before the run starts). */
  readonly deadAcceptors: number;
  /** Phase-1 quorum size (promises a proposer waits for). */
  readonly q1: number;
  /** Phase-2 quorum size (votes that choose a value; what a learner waits for). */
  readonly q2: number;
  readonly behaviour: Behaviour;
}
