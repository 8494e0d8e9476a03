/**
 * multipaxos — a key-value store replicated on a Multi-Paxos log, judged by what its clients see:
 * servers are actors on an unordered network with crashes (and restarts), partitions, message loss
 * and duplication under budgets; the clients' history of calls and returns must be linearizable.
 * Sources: L. Lamport, "Paxos Made Simple" (ACM SIGACT News 32(4), 2001), section 3 (a state
 * machine on a sequence of Paxos instances, one leader running phase 1 for all of them, no-ops for
 * gaps); R. van Renesse, D. Altinbuken, "Paxos Made Moderately Complex" (ACM Computing Surveys
 * 47(3), 2015) for slots, replicas and commands identified by client and request id; M. Herlihy,
 * J. Wing, "Linearizability" (TOPLAS 12(3), 1990) for the correctness condition.
 *
 * Roles. Nodes s0..s{n-1} are servers; each is an acceptor, a replica and, when elected, the leader.
 * The last node, "clients", plays the logical clients: client i runs operation i of a fixed
 * workload once (kv.ts: cas k ""->"1", get k, put k "2"; the parameter `operations` takes the
 * first ones). Every operation, reads included, goes through the log.
 *
 * Ballots are round * 10 + server: ballot 11 is round 1 of s1. At the start s0 leads ballot 0 and
 * every server has promised it: phase 1 of ballot 0 would find nothing accepted, so it is taken as
 * done. Servers s1..s{candidates} may stand for election, up to round `rounds`.
 *
 * The protocol (a message's name in brackets):
 *   call i       a timer of the client node fires: it records "call i" and sends [request](i) to
 *                server (i + 1) mod n; with retries left it arms retry i
 *   request      the leader puts the command in its next free slot, votes for it, and sends
 *                [accept](ballot, slot, command); a follower forwards it once to the server whose
 *                ballot it promised; a candidate drops it
 *   elect timer  a candidate starts the next round above every ballot it has seen: it persists the
 *                round and its own promise, and sends [prepare](ballot) — one prepare for all slots
 *   prepare      a server whose promise is at most the ballot persists the promise and answers
 *                [promise](ballot, its vote in every slot); a candidate or leader of a lower ballot
 *                steps down
 *   promise      with a majority (itself included) the candidate leads: for every slot up to the
 *                highest reported it re-proposes the highest-ballot reported command, or a noop
 *                where none was reported, and takes new commands from the slot after
 *   accept       a server whose promise is at most the ballot persists promise and vote in one
 *                write and answers [accepted](ballot, slot)
 *   accepted     with a majority for (ballot, slot) the leader decides the slot: it persists the
 *                decision, applies every decided slot in order, and sends [reply](i, output) to the
 *                client for each operation applied
 *   reply        the client node's first reply for i returns it: it records "return i output"
 *   retry i      the client sends request(i) again, same id, to the next server
 *   restart      a server comes back as a follower with its promise, votes and decided log, and
 *                its replica replays the decided log (answering nobody)
 * The replica deduplicates by id ("Paxos Made Moderately Complex", the replica's perform): a
 * command applied before, in any slot, changes nothing and answers its recorded output.
 *
 * Durable: a server's round, promise, votes and decided log; the client node's whole state (its
 * history and the retries used). Volatile: leadership (mode, ballot, promises collected, proposals
 * in flight) and the replica's applied state, which a restart rebuilds from the decided log.
 *
 * Ghost state. The client node's history records each call and return in the order they happen at
 * that node. That order is a real-time order consistent with every call and return, so positions
 * serve as times: it is the history a linearizability checker needs, and there is no global clock
 * to consult. It is also what the client itself needs to know what is pending, so it costs nothing
 * extra. The servers' decided logs are never rewritten, and serve the agreement property.
 * Properties: SlotAgreement (no two servers decide different commands in a slot), AppliedInOrder
 * (a replica's state is its decided log's prefix applied in slot order), Linearizable (the
 * history, pending operations as pending, is linearizable for a kv store, by the checker of
 * src/linearizability). Linearizable is checked in every state, not only where nothing is
 * pending: a history that is linearizable stays so when pending operations are dropped, so this
 * is the stronger check, and it covers the end of every simulation run. Verdicts are cached by
 * history, so exhaustive search calls the checker once per distinct history. Reachable:
 * CommandDecided, OperationCompleted.
 *
 * Simplifications and choices, against the sources:
 *   - Thrifty messages (as in EPaxos's thrifty mode, Moraru, Andersen, Kaminsky, SOSP 2013): a
 *     candidate or leader sends prepare and accept to the q-1 highest-numbered other servers only,
 *     not to all; with 3 servers s0 and s1 both use s2, s2 uses s1. Broadcasting to all (`-p
 *     broadcast=true`) is the same protocol with more messages in flight: 3,484,177 states for the
 *     default workload without faults, against 2,094 thrifty (models/multipaxos/README.md). Safety does not depend on which quorum
 *     answers; liveness would (a leader whose peer crashed is stuck), and liveness is not checked.
 *   - No nacks and no heartbeats: a stale message is ignored, an old leader learns of a new ballot
 *     only from a prepare or accept it receives, and elections are timer events that may fire at
 *     any moment (which is what a timeout under arbitrary delays amounts to).
 *   - Followers do not learn decisions (no commit messages); only the leader that decides a slot
 *     applies it and answers. A new leader learns earlier decisions through phase 1.
 *   - One key, one operation per logical client, and bounds on retries, candidates and rounds, so
 *     the state space is finite; the default has no retries (a retry may fire at any moment: one
 *     retry per operation multiplies the states by 400 to 500); local-reads and no-dedup declare
 *     retries=1, and the tests cover retries on one operation with a crash.
 *   - The client node is an actor like the servers, so it can crash (and come back with all its
 *     state) or be partitioned: it stands for clients that lose their connections.
 */
import { defineActorModel, type ParamsOf } from '../../src/index.ts';
import { multiPaxosProtocol } from './protocol.ts';
import { NORMAL } from './types.ts';
import { BEHAVIOURS, VARIANTS } from './variants.ts';

export const PARAMS = {
  servers: { default: 3, min: 1, max: 5, description: 'servers (each an acceptor and a replica; s0 leads ballot 0 at the start)' },
  operations: { default: 2, min: 1, max: 3, description: 'client operations, one logical client each: cas k ""->"1", get k, put k "2" (the first n)' },
  retries: { default: 0, min: 0, max: 2, description: 'retries per operation (same id, next server)' },
  candidates: { default: 1, min: 0, max: 4, description: 'servers s1..s{candidates} may start an election when their timer fires' },
  rounds: { default: 1, min: 1, max: 3, description: 'the highest round a candidate starts (ballot = round * 10 + server)' },
  broadcast: { type: 'boolean', default: false, description: 'true: prepare and accept go to every other server; false: to the q-1 highest-numbered others (thrifty)' },
} as const;

/** The values of the parameters, typed. */
export type MultiPaxosParams = ParamsOf<typeof PARAMS>;

export function multiPaxosFor(params: MultiPaxosParams, variant: string) {
  const behaviour = BEHAVIOURS[variant];
  if (!behaviour) throw new Error(`multipaxos: unknown variant ${variant}`);
  return multiPaxosProtocol({
    servers: params.servers,
    operations: params.operations,
    retries: params.retries,
    candidates: Math.min(params.candidates, params.servers - 1),
    rounds: params.rounds,
    broadcast: params.broadcast,
    behaviour: { ...NORMAL, ...behaviour },
  });
}

export const multipaxos = defineActorModel({
  name: 'multipaxos',
  version: 1,
  description: 'a kv store replicated on a Multi-Paxos log (leader, replicas, retrying clients), judged by linearizability',
  params: PARAMS,
  variants: VARIANTS,
  defaultConfig: { network: 'unordered', faults: { crashes: 1, partitions: 0, drops: 0, duplicates: 0 } },
  // Trusted and hot: no guard wrapper per handler call (paranoid mode still guards).
  guard: false,
  protocol: multiPaxosFor,
});
