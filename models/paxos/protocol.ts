// The Paxos actors: acceptors, and proposers that are also learners. See index.ts for the prose
// account of the protocol, the sources and the simplifications; this file is the code a real
// implementation would run, plus the ghost fields the properties read.
import { CLIENT, type NodeId, type NodeState, type Send, type Step } from '../../src/index.ts';
import { paxosProperties } from './properties.ts';
import { NO_BALLOT, type AcceptorDurable, type AcceptorVolatile, type Ballot, type Durable, type Heard, type Msg, type PaxosConfig, type PaxosSpec, type ProposerDurable, type ProposerVolatile, type Value, type Volatile, type Vote } from './types.ts';

export const RETRY = 'retry';
const ROUND_MAX = 9;

const byVote = (a: Vote, b: Vote): number => a.ballot - b.ballot || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
const byHeard = (a: Heard, b: Heard): number => a.acceptor - b.acceptor || byVote(a, b);
const sameVote = (a: Vote, b: Vote): boolean => a.ballot === b.ballot && a.value === b.value;

export function ballotOf(round: number, proposer: number, sameBallot: boolean): Ballot {
  return round * 10 + (sameBallot ? 0 : proposer);
}

export function voteText(v: Vote | null): string {
  return v === null ? 'none' : `${v.ballot}:${v.value}`;
}

export function describeMessage(m: Msg): string {
  switch (m.type) {
    case 'propose':
      return `propose(${m.value})`;
    case 'prepare':
      return `prepare(${m.ballot})`;
    case 'promise':
      return `promise(${m.ballot}, last vote ${voteText(m.vote)})`;
    case 'accept':
      return `accept(${m.ballot}, ${m.value})`;
    case 'accepted':
      return `accepted(${m.ballot}, ${m.value})`;
    case 'decided':
      return `decided(${m.value})`;
  }
}

export function paxosProtocol(c: PaxosConfig): PaxosSpec {
  const A = c.acceptors;
  const P = c.proposers;
  const b = c.behaviour;
  if (c.rounds > ROUND_MAX) throw new Error(`paxos: at most ${ROUND_MAX} rounds (ballot = round * 10 + proposer)`);
  if (P > 10) throw new Error('paxos: at most 10 proposers (ballot = round * 10 + proposer)');
  const acceptorIds = Array.from({ length: A }, (_, i) => i);
  const proposerIds = Array.from({ length: P }, (_, i) => A + i);
  const live = acceptorIds.filter((a) => a < A - c.deadAcceptors);
  const isDead = (id: NodeId): boolean => id < A && id >= A - c.deadAcceptors;
  const valueOf = (p: number): Value => `v${p % c.values}`;
  const toAll = (ids: readonly NodeId[], msg: Msg): Send<Msg>[] => ids.map((to) => ({ to, msg }));

  // ---- acceptor ---------------------------------------------------------------------------
  const ACCEPTOR_FRESH: AcceptorVolatile = Object.freeze(b.promiseNotPersisted ? { role: 'acceptor', promisedInMemory: NO_BALLOT } : { role: 'acceptor' });
  const promiseOf = (s: NodeState<Durable, Volatile>): Ballot => {
    const d = s.durable as AcceptorDurable;
    const v = s.volatile as AcceptorVolatile;
    return Math.max(d.promised, v.promisedInMemory ?? NO_BALLOT);
  };

  function acceptorMessage(s: NodeState<Durable, Volatile>, from: NodeId, msg: Msg): Step<Durable, Volatile, Msg> | undefined {
    const d = s.durable as AcceptorDurable;
    const promised = promiseOf(s);
    if (msg.type === 'prepare') {
      // >= rather than Paxos Made Simple's >: a retransmitted prepare is answered again (index.ts).
      if (msg.ballot < promised) return undefined;
      const reply: Send<Msg>[] = [{ to: from, msg: { type: 'promise', ballot: msg.ballot, vote: d.accepted } }];
      if (b.promiseNotPersisted) {
        // MUTANT: the reply leaves before the promise reaches the disk.
        return { state: { durable: d, volatile: { role: 'acceptor', promisedInMemory: msg.ballot } }, send: reply };
      }
      return { state: { durable: { ...d, promised: msg.ballot }, volatile: s.volatile }, send: reply };
    }
    if (msg.type === 'accept') {
      // MUTANT accepts-below-promise: compares with its last vote instead of its promise.
      const floor = b.acceptsBelowPromise ? (d.accepted?.ballot ?? NO_BALLOT) : promised;
      if (msg.ballot < floor) return undefined;
      const vote: Vote = { ballot: msg.ballot, value: msg.value };
      const votes = d.votes.some((v) => sameVote(v, vote)) ? d.votes : [...d.votes, vote].sort(byVote);
      // One write: the promise (raised to the ballot) and the vote reach the disk together.
      const durable: AcceptorDurable = { role: 'acceptor', promised: Math.max(d.promised, msg.ballot), accepted: vote, votes };
      return { state: { durable, volatile: s.volatile }, send: [{ to: from, msg: { type: 'accepted', ballot: msg.ballot, value: msg.value } }] };
    }
    return undefined;
  }

  // ---- proposer and learner ---------------------------------------------------------------
  const PROPOSER_FRESH: ProposerVolatile = Object.freeze({ role: 'proposer', phase: 'idle', ballot: NO_BALLOT, promises: [], highest: null, heard: [], decided: null });
  const freshProposer = (): ProposerVolatile => (b.volatileRound ? { ...PROPOSER_FRESH, roundInMemory: 0 } : PROPOSER_FRESH);

  /** Start the next round, if any is left: persist it, then send prepare to every acceptor. */
  function startRound(id: NodeId, d: ProposerDurable, v: ProposerVolatile): Step<Durable, Volatile, Msg> {
    const lastRound = b.volatileRound ? v.roundInMemory! : d.round;
    const round = lastRound + 1;
    if (round > c.rounds) return { state: { durable: d, volatile: { ...v, phase: 'idle', promises: [], highest: null } } };
    const ballot = ballotOf(round, id - A, b.sameBallot);
    const durable: ProposerDurable = b.volatileRound ? d : { ...d, round };
    const volatile: ProposerVolatile = { ...v, phase: 'preparing', ballot, promises: [], highest: null, ...(b.volatileRound ? { roundInMemory: round } : {}) };
    return {
      state: { durable, volatile },
      send: toAll(acceptorIds, { type: 'prepare', ballot }),
      setTimers: round < c.rounds ? [RETRY] : [],
    };
  }

  /** Learn `value`: stop proposing, forget the tally, and (as distinguished learner) tell the others. */
  function decide(id: NodeId, d: ProposerDurable, v: ProposerVolatile, value: Value, tell: boolean): Step<Durable, Volatile, Msg> {
    return {
      state: { durable: { ...d, decisions: [...d.decisions, value] }, volatile: { ...v, phase: 'idle', promises: [], highest: null, heard: [], decided: value } },
      send: tell ? toAll(proposerIds.filter((p) => p !== id), { type: 'decided', value }) : [],
      cancelTimers: [RETRY],
    };
  }

  function proposerMessage(id: NodeId, s: NodeState<Durable, Volatile>, from: NodeId, msg: Msg): Step<Durable, Volatile, Msg> | undefined {
    const d = s.durable as ProposerDurable;
    const v = s.volatile as ProposerVolatile;
    switch (msg.type) {
      case 'propose': {
        if (from !== CLIENT || d.request !== null || v.decided !== null) return undefined;
        return startRound(id, { ...d, request: msg.value }, v);
      }
      case 'promise': {
        if (v.phase !== 'preparing' || msg.ballot !== v.ballot || v.promises.includes(from)) return undefined;
        const promises = [...v.promises, from].sort((x, y) => x - y);
        const highest = msg.vote !== null && (v.highest === null || msg.vote.ballot > v.highest.ballot) ? msg.vote : v.highest;
        if (promises.length < c.q1) return { state: { durable: d, volatile: { ...v, promises, highest } } };
        // Phase 2: the value of the highest-ballot vote reported, or our own if none was reported.
        // MUTANT ignores-reported-value: always our own.
        const value = highest === null || b.ignoresReportedValue ? d.request! : highest.value;
        // Phase 2 goes to the acceptors that promised (any set will do; these answered), or to
        // every acceptor when they are too few to be a phase-2 quorum (q2 > q1).
        return {
          state: { durable: d, volatile: { ...v, phase: 'accepting', promises: [], highest: null } },
          send: toAll(promises.length >= c.q2 ? promises : acceptorIds, { type: 'accept', ballot: v.ballot, value }),
        };
      }
      case 'accepted': {
        if (v.decided !== null) return undefined;
        const heard: Heard = { acceptor: from, ballot: msg.ballot, value: msg.value };
        if (v.heard.some((h) => h.acceptor === from && sameVote(h, heard))) return undefined;
        const all = [...v.heard, heard].sort(byHeard);
        const votes = all.filter((h) => sameVote(h, heard)).length;
        if (votes < c.q2) return { state: { durable: d, volatile: { ...v, heard: all } } };
        return decide(id, d, v, msg.value, true);
      }
      case 'decided':
        return v.decided !== null ? undefined : decide(id, d, v, msg.value, false);
      default:
        return undefined;
    }
  }

  return {
    nodeCount: A + P,
    nodeName: (id) => (id < A ? `a${id}${isDead(id) ? '(dead)' : ''}` : `p${id - A}`),
    roleOf: (id) => (id < A ? 'acceptor' : 'proposer'),
    // What coverage expects to fire; the retry timer needs rounds >= 2.
    actions: [
      'proposer receives propose', 'acceptor receives prepare', 'proposer receives promise', 'acceptor receives accept',
      'proposer receives accepted', 'proposer receives decided', `proposer timer ${RETRY}`,
    ],
    init: (id) =>
      id < A
        ? { state: { durable: { role: 'acceptor', promised: NO_BALLOT, accepted: null, votes: [] }, volatile: ACCEPTOR_FRESH } }
        : { state: { durable: { role: 'proposer', round: 0, request: null, decisions: [] }, volatile: freshProposer() } },
    onMessage(id, state, from, msg) {
      if (isDead(id)) return undefined;
      return id < A ? acceptorMessage(state, from, msg) : proposerMessage(id, state, from, msg);
    },
    onTimer(id, state, timer) {
      if (id < A || timer !== RETRY) return undefined;
      const v = state.volatile as ProposerVolatile;
      if (v.decided !== null) return undefined;
      return startRound(id, state.durable as ProposerDurable, v);
    },
    onRestart(id, durable) {
      if (id < A) return { state: { durable, volatile: ACCEPTOR_FRESH } };
      const d = durable as ProposerDurable;
      const v = freshProposer();
      // A proposer with a pending client request resumes it with a new round.
      return d.request === null ? { state: { durable: d, volatile: v } } : startRound(id, d, v);
    },
    clientRequests: proposerIds.map((to) => ({ to, msg: { type: 'propose', value: valueOf(to - A) } as Msg })),
    properties: paxosProperties({ acceptors: A, q2: c.q2, proposed: proposerIds.map((p) => valueOf(p - A)) }),
    describeMessage,
    // Live acceptors are interchangeable (no state or message names an acceptor, except the
    // proposer's promise list and learner tally, renamed here).
    symmetry: {
      groups: live.length > 1 ? [live] : [],
      renameDurable: (d) => d,
      renameVolatile: (v, rename) => {
        if (v.role !== 'proposer') return v;
        return {
          ...v,
          promises: v.promises.map(rename).sort((x, y) => x - y),
          heard: v.heard.map((h) => ({ ...h, acceptor: rename(h.acceptor) })).sort(byHeard),
        };
      },
      renameMessage: (m) => m,
    },
  };
}
