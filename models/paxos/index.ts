/**
 * paxos — single-decree Paxos as a distributed system: acceptors and proposers are actors on an
 * unordered network, with crashes (and restarts), partitions, message loss and duplication under
 * budgets. Sources: L. Lamport, "Paxos Made Simple" (ACM SIGACT News 32(4), 2001), and Paxos.tla
 * (tlaplus/Examples, specifications/PaxosHowToWinATuringAward), whose actions the messages follow;
 * flexible quorums from H. Howard, D. Malkhi, A. Spiegelman, "Flexible Paxos: Quorum
 * intersection revisited" (OPODIS 2016).
 *
 * Roles. Nodes a0..a{n-1} are acceptors; nodes p0..p{P-1} are proposers, and each proposer is also
 * a learner (co-locating learners with proposers keeps the node count, and so the crash and
 * partition events, small). A client calls propose(v) on every proposer at the start: proposer i
 * is asked for value v{i mod values}.
 *
 * Ballots are (round, proposer), written as one number round * 10 + proposer: ballot 21 is round
 * 2 of p1. They are unique per proposer and ordered by round, then proposer.
 *
 * The protocol (Paxos Made Simple, section 2.2; Paxos.tla's actions in brackets):
 *   propose(v)   a proposer persists the client's value and its next round r (its durable round
 *                counter), then sends prepare(b) for b = (r, self) to every acceptor   [Phase1a]
 *   prepare(b)   an acceptor whose promise is at most b persists promise b and answers
 *                promise(b, last vote), its latest accepted (ballot, value) or none     [Phase1b]
 *   promise      once q1 acceptors promised b, the proposer picks the value of the highest-ballot
 *                vote they reported, or its own value if none was reported, and sends accept(b, v)
 *                to the acceptors that promised                                         [Phase2a]
 *   accept(b,v)  an acceptor whose promise is at most b persists its promise b and its vote
 *                (b, v) in one write, and sends accepted(b, v) to the proposer          [Phase2b]
 *   accepted     the proposer, as distinguished learner of its ballot, decides v when q2
 *                acceptors accepted (b, v), and sends decided(v) to the other learners
 *   decided(v)   a learner that has not decided decides v
 *   timer retry  a proposer that has not decided starts its next round (up to `rounds`)
 *   restart      acceptors restart with their durable promise and vote; a proposer restarts with
 *                its durable round and request, and resumes with its next round (if any is left)
 * q1 and q2 are majorities unless the parameters or the variant say otherwise.
 *
 * Durable state is what a real implementation must fsync before replying: the acceptor's promise
 * and vote, the proposer's highest round and the client's request. Everything else (a proposer's
 * phase, collected promises, the learner's tally and decision) is volatile and lost on a crash; a
 * restarted learner must learn again.
 *
 * Ghost state (TLA+ history variables): each acceptor's `votes` records every (ballot, value) it
 * ever accepted, and each learner's `decisions` every value it ever decided. The protocol writes
 * them and never reads them; they live in durable state so crashes cannot erase the evidence.
 * Properties: AtMostOneChosen (a value is chosen when q2 acceptors voted for it in one ballot;
 * at most one value ever is), Agreement (two learners never decide differently), Validity (a
 * decided value was proposed by a client), Stability (a learner's decisions are all the same);
 * reachable: AllLiveLearnersDecided.
 *
 * Simplifications and choices, against the sources:
 *   - An acceptor answers prepare(b) when b >= its promise, where Paxos Made Simple says b greater
 *     than any prepare it answered. Many implementations answer a retransmitted prepare again; the
 *     two are equally safe with unique ballots, and with >= the two ballot-reuse mutants
 *     (volatile-round, same-ballot) break safety as they do in deployed systems (with > they are
 *     only caught by a phase-1 quorum intersection and need message duplication to hurt).
 *   - Rejections (nacks) are not sent: a stale prepare or accept is ignored, and a proposer
 *     retries on its timer. Phase 2 goes only to the acceptors that promised (any set is allowed;
 *     this keeps the state space 10x smaller).
 *   - Learners learn from the ballot's proposer (Paxos Made Simple's distinguished learner)
 *     rather than from every acceptor, again for a smaller state space.
 *   - `rounds` bounds the rounds a proposer tries, so the state space is finite.
 *   - `deadAcceptors` models acceptors that crashed for good before the run: the last k acceptors
 *     ignore every message. (The world's crash budget always allows a restart, so a permanently
 *     dead node is a model parameter, not a fault event.)
 */
import { defineActorModel, type ParamsOf } from '../../src/index.ts';
import { paxosProtocol } from './protocol.ts';
import { majority, NORMAL, SHAPES, VARIANTS } from './variants.ts';

export const PARAMS = {
  acceptors: { default: 3, min: 1, max: 5, description: 'number of acceptors' },
  proposers: { default: 2, min: 1, max: 3, description: 'number of proposers (each is also a learner)' },
  values: { default: 2, min: 1, max: 3, description: 'distinct values: proposer i proposes value i mod values' },
  rounds: { default: 1, min: 1, max: 4, description: 'the highest round a proposer tries (ballot = round * 10 + proposer)' },
  deadAcceptors: { default: 0, min: 0, max: 5, description: 'the last k acceptors are down for good: they never answer' },
  q1: { default: 0, min: 0, max: 5, description: 'phase-1 quorum size (0: majority, or the variant\'s)' },
  q2: { default: 0, min: 0, max: 5, description: 'phase-2 quorum size (0: majority, or the variant\'s)' },
} as const;

/** The values of the parameters, typed. */
export type PaxosParams = ParamsOf<typeof PARAMS>;

export function paxosFor(params: PaxosParams, variant: string) {
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

export const paxos = defineActorModel({
  name: 'paxos',
  version: 1,
  description: 'single-decree Paxos as actors (proposers that learn, acceptors) with crashes, partitions, loss, duplication',
  params: PARAMS,
  variants: VARIANTS,
  defaultConfig: { network: 'unordered', faults: { crashes: 1, partitions: 0, drops: 0, duplicates: 0 }, symmetry: true },
  // Trusted and hot: no guard wrapper per handler call (paranoid mode still guards).
  guard: false,
  protocol: paxosFor,
});
