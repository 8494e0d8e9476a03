// The messages and states of the Multi-Paxos kv store: servers (acceptor, leader, replica in one)
// and the client node that plays the logical clients. See index.ts for the prose account.
import type { NodeId, Value } from '../../src/index.ts';

/**
 * A ballot: round * 10 + server, so ballot 11 is round 1 of s1. Ballot 0 is s0's round 0, the
 * ballot it leads at the start (its phase 1 is taken as done: nothing is accepted yet). -1: none.
 */
export type Ballot = number;
export const NO_BALLOT: Ballot = -1;

/** What a slot holds: the id of a client operation (its index in the workload), or NOOP. */
export type Command = number;
/** Fills a hole a new leader finds below the highest reported slot. */
export const NOOP: Command = -1;

export interface Vote {
  readonly ballot: Ballot;
  readonly command: Command;
}

/** A vote reported in a promise: slot, ballot, command. */
export interface SlotVote extends Vote {
  readonly slot: number;
}

export type Msg =
  /** Client -> server, or follower -> the leader it knows (`forwarded`, never forwarded again). */
  | { readonly type: 'request'; readonly id: Command; readonly forwarded: boolean }
  /** Replica -> client: operation `id` took effect with this output. */
  | { readonly type: 'reply'; readonly id: Command; readonly output: Value }
  /** Phase 1a, candidate -> servers: promise not to accept below `ballot`, for every slot. */
  | { readonly type: 'prepare'; readonly ballot: Ballot }
  /** Phase 1b: promised; these are my votes, one per slot. */
  | { readonly type: 'promise'; readonly ballot: Ballot; readonly votes: readonly SlotVote[] }
  /** Phase 2a, leader -> servers: accept `command` in `slot` at `ballot`. */
  | { readonly type: 'accept'; readonly ballot: Ballot; readonly slot: number; readonly command: Command }
  /** Phase 2b, server -> leader: accepted. */
  | { readonly type: 'accepted'; readonly ballot: Ballot; readonly slot: number };

export interface ServerDurable {
  readonly role: 'server';
  /** The highest round this server started (fsynced before its prepare leaves). */
  readonly round: number;
  /** The highest ballot promised (fsynced before a promise or accepted leaves). */
  readonly promised: Ballot;
  /** The latest vote per slot (index = slot; null: none), fsynced before `accepted` leaves. */
  readonly votes: readonly (Vote | null)[];
  /**
   * The decided command per slot (null: not known), persisted when learned. Also the ghost the
   * agreement property reads: a decided slot is never rewritten.
   */
  readonly log: readonly (Command | null)[];
}

/** A slot the leader proposed and is collecting votes for. */
export interface Proposal {
  readonly command: Command;
  /** Servers that accepted it (the leader included), sorted. */
  readonly acks: readonly NodeId[];
}

/** What an applied operation answered: the replica's deduplication record. */
export interface Output {
  readonly id: Command;
  readonly output: Value;
}

/** The replica's applied state: one key's value and the last output per operation (for deduplication). */
export interface Replica {
  /** Slots applied: 0..applied-1, in order. */
  readonly applied: number;
  /** The value of the store's one key. */
  readonly value: string;
  /** The output of every operation applied, sorted by id. */
  readonly outputs: readonly Output[];
}

export interface ServerVolatile extends Replica {
  readonly role: 'server';
  readonly mode: 'follower' | 'candidate' | 'leader';
  /** The ballot this server runs as candidate or leader (NO_BALLOT as follower). */
  readonly ballot: Ballot;
  /** Candidate: the servers that promised `ballot` (self included), sorted. */
  readonly promises: readonly NodeId[];
  /** Candidate: the highest-ballot vote per slot among those promises. */
  readonly reported: readonly (Vote | null)[];
  /** Leader: the next free slot. */
  readonly next: number;
  /** Leader: proposals in flight, by slot (null: none). */
  readonly proposals: readonly (Proposal | null)[];
}

export interface ClientDurable {
  readonly role: 'client';
  /**
   * The calls and returns of every logical client in the order this node saw them ("call 0",
   * "return 0 false"): a real-time order, so positions serve as times. The client needs it (what
   * is pending) and the linearizability property reads it. Durable: a crash of the client node
   * must not erase the evidence.
   */
  readonly history: readonly string[];
  /** Retries used per operation; operation i goes to server (i + 1 + retries[i]) mod n. */
  readonly retries: readonly number[];
}

export interface ClientVolatile {
  readonly role: 'client';
}

export type Durable = ServerDurable | ClientDurable;
export type Volatile = ServerVolatile | ClientVolatile;

/** What a variant changes, as switches read by the handlers. */
export interface Behaviour {
  /** The leader answers a get from its own state, without a slot (no check that it still leads). */
  readonly localReads: boolean;
  /** A new leader skips phase 1: it re-proposes only its own votes and takes the next slot after them. */
  readonly skipsPhase1: boolean;
  /** A new leader runs phase 1 but ignores the reported votes, so it fills their slots with new commands. */
  readonly ignoresReported: boolean;
  /** The replica applies a retried command again instead of returning its recorded output. */
  readonly noDedup: boolean;
}

export const NORMAL: Behaviour = Object.freeze({ localReads: false, skipsPhase1: false, ignoresReported: false, noDedup: false });

export interface MultiPaxosConfig {
  readonly servers: number;
  /** Client operations: the first `operations` of the workload (kv.ts). */
  readonly operations: number;
  /** Retries per operation at most. */
  readonly retries: number;
  /** Servers s1..s{candidates} may start an election when their timer fires. */
  readonly candidates: number;
  /** The highest round a candidate starts. */
  readonly rounds: number;
  /**
   * Whether a candidate or leader sends prepare and accept to every other server (true) or only
   * to its fixed thrifty peers, the q-1 highest-numbered other servers (false).
   */
  readonly broadcast: boolean;
  readonly behaviour: Behaviour;
}

export const ELECT = 'elect';
export const callTimer = (id: Command): string => `call${id}`;
export const retryTimer = (id: Command): string => `retry${id}`;
