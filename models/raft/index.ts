/**
 * raft — Raft's leader election and log replication as actors on an unordered network, with
 * crashes and restarts. Source: D. Ongaro and J. Ousterhout, "In Search of an Understandable
 * Consensus Algorithm (Extended Version)", USENIX ATC 2014, Figure 2 (the rules each step follows,
 * named below in brackets) and section 5.4 (the two restrictions that make it safe); the TLA+
 * specification in Ongaro's thesis (raft.tla) for the messages.
 *
 * Roles. Servers s0..s{n-1} are each a follower, a candidate or a leader. Terms number elections;
 * a server that sees a later term in any message adopts it and becomes a follower [All Servers].
 *
 * The protocol:
 *   timer election  a follower or candidate starts an election: next term, votes for itself
 *                   (term and vote persisted), sends requestVote with its last log index and
 *                   term to every peer                                           [Candidates]
 *   requestVote     a server grants its vote if it has not voted for another candidate in the
 *                   term and the candidate's log is at least as up to date as its own (last
 *                   term higher, or equal and last index not lower: section 5.4.1); it persists
 *                   the vote, then answers vote                                     [RequestVote]
 *   vote            a candidate with votes from a majority becomes leader and sends append to
 *                   every peer
 *   timer client    a client's request reaches the leader: it appends one entry of its term
 *                   (value v<term>) and sends append to every peer
 *   append          a server of a term not later than the leader's keeps its log where it agrees
 *                   with the leader's and takes the leader's from the first conflict on; it answers
 *                   appended with how far the logs now match                         [AppendEntries]
 *   appended        the leader records the match and commits the highest index stored on a
 *                   majority whose entry is of its own term, and with it every entry before
 *                   (section 5.4.2: never by counting replicas of an earlier term's entry)
 *   restart         a server restarts as a follower with its durable term, vote and log
 *
 * Durable state is what Figure 2 says to persist before answering: currentTerm, votedFor, log.
 * Role, votes, match indexes and commit index are volatile.
 *
 * Ghost state: each server's `committed` records every (index, entry, term of commitment) it
 * committed as leader; the protocol never reads it. Properties (Figure 3): ElectionSafety,
 * LeaderCompleteness, StateMachineSafety, LogMatching; reachable: SomeEntryCommitted.
 *
 * Simplifications, against the sources:
 *   - append carries the leader's whole log (prevLogIndex 0), so the consistency check always
 *     passes and nextIndex is not needed: a follower catches up in one message. Real Raft probes
 *     back from nextIndex; the repair it achieves is the same, the messages more numerous.
 *   - Refusals (a vote not granted, an append of a stale term) are not sent; a stale candidate or
 *     leader learns the later term from the next message that carries it.
 *   - Each leader appends at most one entry (one client request per term), and no election starts
 *     beyond term `maxTerm`, so the state space is finite.
 *   - Followers are not told the commit index and apply nothing: the properties read the ghost
 *     commitments, which are what a state machine would apply.
 *   - No membership changes, snapshots or read-only queries.
 *
 * The variant `figure-8` is the mistake the paper's Figure 8 shows: a leader commits an entry
 * from an earlier term because a majority stores it, and a later leader that never had it
 * overwrites it. Its shortest counterexample needs four terms and about twenty events.
 */
import { defineActorModel, type ParamsOf } from '../../src/index.ts';
import { raftProtocol } from './protocol.ts';
import { BEHAVIOURS, NORMAL, VARIANTS } from './variants.ts';

export const PARAMS = {
  servers: { default: 3, min: 1, max: 5, description: 'number of servers' },
  maxTerm: { default: 4, min: 1, max: 8, description: 'no election starts beyond this term' },
} as const;

/** The values of the parameters, typed. */
export type RaftParams = ParamsOf<typeof PARAMS>;

export function raftFor(params: RaftParams, variant: string) {
  const behaviour = BEHAVIOURS[variant];
  if (!behaviour) throw new Error(`raft: unknown variant ${variant}`);
  return raftProtocol({ servers: params.servers, maxTerm: params.maxTerm, behaviour: { ...NORMAL, ...behaviour } });
}

export const raft = defineActorModel({
  name: 'raft',
  version: 1,
  description: 'Raft leader election and log replication as actors, with crashes; the Figure 8 commit mistake as a mutant',
  params: PARAMS,
  variants: VARIANTS,
  defaultConfig: { network: 'unordered', faults: { crashes: 1, partitions: 0, drops: 0, duplicates: 0 }, symmetry: true },
  // Trusted and hot: no guard wrapper per handler call (paranoid mode still guards).
  guard: false,
  protocol: raftFor,
});
