// Raft's state and messages. See index.ts for the prose account and the simplifications.
import type { ActorSpec, NodeId } from '../../src/index.ts';

/** A log entry: the term of the leader that created it, and its value (`v<term>`). */
export interface Entry {
  readonly term: number;
  readonly value: string;
}

/** GHOST: an entry a leader marked committed (index from 1), and the leader's term when it did. */
export interface Committed {
  readonly index: number;
  readonly term: number;
  readonly value: string;
  readonly inTerm: number;
}

export interface Durable {
  /** The latest term this server has seen (persisted before it answers, as Raft's Figure 2 says). */
  readonly term: number;
  /** The candidate this server voted for in `term`, or -1. */
  readonly votedFor: NodeId;
  readonly log: readonly Entry[];
  /** GHOST: every commitment this server made as leader, in order; never read by the protocol. */
  readonly committed: readonly Committed[];
}

export type Role = 'follower' | 'candidate' | 'leader';

export interface Volatile {
  readonly role: Role;
  /** Candidate: the servers that granted their vote in `term` (itself included), sorted. */
  readonly votes: readonly NodeId[];
  /** Leader: the highest log index known to match on each server (indexed by server id). */
  readonly match: readonly number[];
  /** Leader: the highest index it committed (volatile in Raft; followers are not told it here). */
  readonly commitIndex: number;
}

export type Msg =
  /** RequestVote RPC: a candidate of `term` with its last log index and term. */
  | { readonly type: 'requestVote'; readonly term: number; readonly lastIndex: number; readonly lastTerm: number }
  /** A granted vote for the sender's candidacy in `term` (refusals are not sent). */
  | { readonly type: 'vote'; readonly term: number }
  /** AppendEntries RPC: the leader's whole log (prevLogIndex 0); the commit index is not sent. */
  | { readonly type: 'append'; readonly term: number; readonly entries: readonly Entry[] }
  /** A successful AppendEntries: the follower's log matches the leader's up to `match`. */
  | { readonly type: 'appended'; readonly term: number; readonly match: number };

/** What a variant changes, as switches the handlers read. */
export interface Behaviour {
  /**
   * Figure 8 of the Raft paper: a leader commits an entry of an earlier term once it is stored on a
   * majority, instead of only entries of its own term (and earlier ones with them).
   */
  readonly commitsEarlierTerms: boolean;
  /** A server grants its vote without comparing logs (the election restriction, section 5.4.1). */
  readonly votesWithoutLogCheck: boolean;
  /** The vote is not persisted: a restarted server forgets it voted and votes again in the term. */
  readonly volatileVote: boolean;
}

export interface RaftConfig {
  readonly servers: number;
  /** No server starts an election beyond this term (keeps the state space finite). */
  readonly maxTerm: number;
  readonly behaviour: Behaviour;
}

export type RaftSpec = ActorSpec<Durable, Volatile, Msg>;

export const ELECTION = 'election';
export const CLIENT_REQUEST = 'client';
