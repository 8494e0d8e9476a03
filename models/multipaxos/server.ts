// A server: acceptor, leader (when elected) and replica in one actor. The leader runs phase 1 once
// for all slots (a prepare covers every slot; a promise reports every vote), then phase 2 per slot;
// a slot is decided when a majority accepted it, and the replica applies decided slots in order.
import type { NodeId, NodeState, Send, Step } from '../../src/index.ts';
import { WORKLOAD } from './kv.ts';
import { applyDecided, EMPTY_REPLICA } from './replica.ts';
import { ELECT, NO_BALLOT, NOOP, type Ballot, type Command, type Durable, type Msg, type MultiPaxosConfig, type ServerDurable, type ServerVolatile, type SlotVote, type Volatile, type Vote } from './types.ts';

type ServerStep = Step<Durable, Volatile, Msg>;

/** Ballot = round * 10 + server. */
export const ROUND_SCALE = 10;
export const ballotOf = (round: number, server: NodeId): Ballot => round * ROUND_SCALE + server;
export const ownerOf = (ballot: Ballot): NodeId => ballot % ROUND_SCALE;

/** `items` with `item` at `index`, padding with nulls. */
function setAt<T>(items: readonly (T | null)[], index: number, item: T | null): (T | null)[] {
  const out = [...items];
  while (out.length <= index) out.push(null);
  out[index] = item;
  return out;
}

const sorted = (ids: readonly NodeId[]): NodeId[] => [...ids].sort((a, b) => a - b);

/** The votes as a promise reports them. */
export const slotVotes = (votes: readonly (Vote | null)[]): SlotVote[] =>
  votes.flatMap((v, slot) => (v === null ? [] : [{ slot, ballot: v.ballot, command: v.command }]));

/** Per slot, the higher-ballot vote of `known` and `reported`. */
function merge(known: readonly (Vote | null)[], reported: readonly SlotVote[]): (Vote | null)[] {
  let out = [...known];
  for (const r of reported) {
    const mine = out[r.slot] ?? null;
    if (mine === null || r.ballot > mine.ballot) out = setAt(out, r.slot, { ballot: r.ballot, command: r.command });
  }
  return out;
}

export function serverActor(c: MultiPaxosConfig, clientId: NodeId) {
  const b = c.behaviour;
  const quorum = Math.floor(c.servers / 2) + 1;
  const others = (id: NodeId): NodeId[] => Array.from({ length: c.servers }, (_, i) => i).filter((i) => i !== id);
  /** Where phase 1a and 2a messages go: every other server, or the q-1 highest-numbered others (thrifty). */
  const peers = (id: NodeId): NodeId[] => (c.broadcast ? others(id) : others(id).slice(-(quorum - 1)));
  const isCandidate = (id: NodeId): boolean => id >= 1 && id <= c.candidates;
  /** The next round a candidate would start (above every ballot it has seen), if any is left. */
  const nextRound = (d: ServerDurable): number => Math.max(d.round, Math.floor(d.promised / ROUND_SCALE)) + 1;
  const electTimers = (id: NodeId, d: ServerDurable): string[] => (isCandidate(id) && nextRound(d) <= c.rounds ? [ELECT] : []);

  const FOLLOWER: ServerVolatile = Object.freeze({
    role: 'server', mode: 'follower', ballot: NO_BALLOT, promises: [], reported: [], next: 0, proposals: [], ...EMPTY_REPLICA,
  });
  const stepDown = (v: ServerVolatile): ServerVolatile => ({ ...FOLLOWER, applied: v.applied, value: v.value, outputs: v.outputs });
  const state = (durable: ServerDurable, volatile: ServerVolatile): NodeState<Durable, Volatile> => ({ durable, volatile });

  /** Learn that `slot` holds `command`, apply what is now contiguous, and answer the client for each operation applied. */
  function decide(d: ServerDurable, v: ServerVolatile, slot: number, command: Command): { d: ServerDurable; v: ServerVolatile; send: Send<Msg>[] } {
    // First decision wins: a log is never rewritten (a conflicting one shows across servers, as SlotAgreement).
    const log = (d.log[slot] ?? null) === null ? setAt(d.log, slot, command) : d.log;
    const { replica, done } = applyDecided(v, log, !b.noDedup);
    const send = done.map(([id, output]): Send<Msg> => ({ to: clientId, msg: { type: 'reply', id, output } }));
    return { d: { ...d, log }, v: { ...v, ...replica }, send };
  }

  /** Leader: put each command in the next free slot, vote for it, and ask the others to accept. */
  function propose(id: NodeId, d0: ServerDurable, v0: ServerVolatile, commands: readonly Command[]): ServerStep {
    let d = d0;
    let v = v0;
    const send: Send<Msg>[] = [];
    for (const command of commands) {
      const slot = v.next;
      d = { ...d, votes: setAt(d.votes, slot, { ballot: v.ballot, command }) };
      v = { ...v, next: slot + 1, proposals: setAt(v.proposals, slot, { command, acks: [id] }) };
      for (const to of peers(id)) send.push({ to, msg: { type: 'accept', ballot: v.ballot, slot, command } });
      if (quorum === 1) {
        const decided = decide(d, { ...v, proposals: setAt(v.proposals, slot, null) }, slot, command);
        d = decided.d;
        v = decided.v;
        send.push(...decided.send);
      }
    }
    return { state: state(d, v), send };
  }

  /**
   * Phase 1 is over (or, in the skips-phase-1 mutant, skipped): re-propose every slot a vote was
   * reported for, holes below the highest filled with noops, and lead from the slot after them.
   * MUTANTS skips-phase-1 and ignores-reported-command: only this server's own votes count.
   */
  function becomeLeader(id: NodeId, d: ServerDurable, v: ServerVolatile, reported: readonly (Vote | null)[]): ServerStep {
    const known = b.skipsPhase1 || b.ignoresReported ? d.votes : reported;
    const leader: ServerVolatile = { ...v, mode: 'leader', promises: [], reported: [], next: 0, proposals: [] };
    return propose(id, d, leader, known.map((vote) => vote?.command ?? NOOP));
  }

  function onElect(id: NodeId, d: ServerDurable, v: ServerVolatile): ServerStep | undefined {
    if (v.mode === 'leader' || !isCandidate(id)) return undefined;
    const round = nextRound(d);
    if (round > c.rounds) return undefined;
    const ballot = ballotOf(round, id);
    const durable: ServerDurable = { ...d, round, promised: ballot };
    const candidate: ServerVolatile = { ...stepDown(v), mode: 'candidate', ballot, promises: [id], reported: d.votes };
    const setTimers = round < c.rounds ? [ELECT] : [];
    if (b.skipsPhase1 || quorum === 1) return { ...becomeLeader(id, durable, candidate, d.votes), setTimers };
    return { state: state(durable, candidate), send: peers(id).map((to) => ({ to, msg: { type: 'prepare', ballot } })), setTimers };
  }

  /** A higher ballot was seen: a candidate or leader of a lower one stops, and may stand again. */
  function promiseBallot(id: NodeId, d: ServerDurable, v: ServerVolatile, ballot: Ballot): { d: ServerDurable; v: ServerVolatile; timers: string[] } {
    const durable = { ...d, promised: Math.max(d.promised, ballot) };
    if (v.mode === 'follower' || ballot <= v.ballot) return { d: durable, v, timers: [] };
    return { d: durable, v: stepDown(v), timers: electTimers(id, durable) };
  }

  function onMessage(id: NodeId, s: NodeState<Durable, Volatile>, from: NodeId, msg: Msg): ServerStep | undefined {
    const d = s.durable as ServerDurable;
    const v = s.volatile as ServerVolatile;
    switch (msg.type) {
      case 'request': {
        if (v.mode === 'leader') {
          // MUTANT local-reads: once its replica has applied every slot it proposed, the leader
          // answers a get from its own state, with no slot and no check that it still leads.
          if (b.localReads && WORKLOAD[msg.id].op === 'get' && v.applied === v.next) return { state: s, send: [{ to: clientId, msg: { type: 'reply', id: msg.id, output: v.value } }] };
          return propose(id, d, v, [msg.id]);
        }
        // A follower forwards once to the leader of the ballot it promised; a candidate drops it.
        const leader = ownerOf(d.promised);
        if (v.mode === 'candidate' || msg.forwarded || d.promised === NO_BALLOT || leader === id) return undefined;
        return { state: s, send: [{ to: leader, msg: { ...msg, forwarded: true } }] };
      }
      case 'prepare': {
        if (msg.ballot < d.promised) return undefined;
        const p = promiseBallot(id, d, v, msg.ballot);
        return { state: state(p.d, p.v), send: [{ to: from, msg: { type: 'promise', ballot: msg.ballot, votes: slotVotes(d.votes) } }], setTimers: p.timers };
      }
      case 'accept': {
        if (msg.ballot < d.promised) return undefined;
        const p = promiseBallot(id, d, v, msg.ballot);
        const durable: ServerDurable = { ...p.d, votes: setAt(p.d.votes, msg.slot, { ballot: msg.ballot, command: msg.command }) };
        return { state: state(durable, p.v), send: [{ to: from, msg: { type: 'accepted', ballot: msg.ballot, slot: msg.slot } }], setTimers: p.timers };
      }
      case 'promise': {
        if (v.mode !== 'candidate' || msg.ballot !== v.ballot || v.promises.includes(from)) return undefined;
        const promises = sorted([...v.promises, from]);
        const reported = merge(v.reported, msg.votes);
        if (promises.length < quorum) return { state: state(d, { ...v, promises, reported }) };
        return becomeLeader(id, d, v, reported);
      }
      case 'accepted': {
        const proposal = v.mode === 'leader' && msg.ballot === v.ballot ? v.proposals[msg.slot] : null;
        if (!proposal || proposal.acks.includes(from)) return undefined;
        const acks = sorted([...proposal.acks, from]);
        if (acks.length < quorum) return { state: state(d, { ...v, proposals: setAt(v.proposals, msg.slot, { ...proposal, acks }) }) };
        const decided = decide(d, { ...v, proposals: setAt(v.proposals, msg.slot, null) }, msg.slot, proposal.command);
        return { state: state(decided.d, decided.v), send: decided.send };
      }
      default:
        return undefined;
    }
  }

  return {
    /** s0 leads ballot 0 from the start; every server has promised it (its phase 1 found nothing). */
    init(id: NodeId): ServerStep {
      const durable: ServerDurable = { role: 'server', round: 0, promised: ballotOf(0, 0), votes: [], log: [] };
      const volatile: ServerVolatile = id === 0 ? { ...FOLLOWER, mode: 'leader', ballot: ballotOf(0, 0) } : FOLLOWER;
      return { state: state(durable, volatile), setTimers: electTimers(id, durable) };
    },
    onMessage,
    onTimer(id: NodeId, s: NodeState<Durable, Volatile>, timer: string): ServerStep | undefined {
      return timer === ELECT ? onElect(id, s.durable as ServerDurable, s.volatile as ServerVolatile) : undefined;
    },
    /** Back as a follower; the replica replays the decided log (without answering clients again). */
    onRestart(id: NodeId, durable: ServerDurable): ServerStep {
      const { replica } = applyDecided(EMPTY_REPLICA, durable.log, !b.noDedup);
      return { state: state(durable, { ...FOLLOWER, ...replica }), setTimers: electTimers(id, durable) };
    },
  };
}
