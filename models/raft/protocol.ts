// The Raft server: one actor that is follower, candidate or leader. See index.ts for the prose
// account, the sources and the simplifications; this file is the code a server would run, plus
// the ghost field the properties read.
import type { NodeId, NodeState, Send, Step } from '../../src/index.ts';
import { raftAbstraction } from './abstraction.ts';
import { raftProperties } from './properties.ts';
import { CLIENT_REQUEST, ELECTION, type Durable, type Entry, type Msg, type RaftConfig, type RaftSpec, type Volatile } from './types.ts';

type State = NodeState<Durable, Volatile>;
type RaftStep = Step<Durable, Volatile, Msg>;

const majority = (n: number): number => Math.floor(n / 2) + 1;
const lastTerm = (log: readonly Entry[]): number => (log.length === 0 ? 0 : log[log.length - 1].term);

const follower = (servers: number): Volatile => ({ role: 'follower', votes: [], match: new Array<number>(servers).fill(0), commitIndex: 0 });

export function raftProtocol(config: RaftConfig): RaftSpec {
  const { servers, maxTerm, behaviour } = config;
  const peers = (self: NodeId): NodeId[] => Array.from({ length: servers }, (_, i) => i).filter((i) => i !== self);
  /** The election timer stays armed while another election is allowed (term below maxTerm). */
  const electionTimer = (term: number): string[] => (term < maxTerm ? [ELECTION] : []);

  /** A message of a later term: adopt it, forget the vote, step down (Figure 2, "All Servers"). */
  function adoptTerm(s: State, term: number): State {
    if (term <= s.durable.term) return s;
    return { durable: { ...s.durable, term, votedFor: -1 }, volatile: follower(servers) };
  }

  /** Timers after a step down to follower, or unchanged when the role stayed. */
  function timersAfter(before: State, after: State): Pick<RaftStep, 'setTimers' | 'cancelTimers'> {
    if (before.volatile.role === 'leader' && after.volatile.role !== 'leader') {
      return { setTimers: electionTimer(after.durable.term), cancelTimers: [CLIENT_REQUEST] };
    }
    if (after.durable.term >= maxTerm && after.volatile.role !== 'leader') return { cancelTimers: [ELECTION] };
    return {};
  }

  /** The append a leader sends: its whole log, so a follower needs no back-and-forth to catch up. */
  const appendTo = (s: State, to: NodeId): Send<Msg> => ({ to, msg: { type: 'append', term: s.durable.term, entries: s.durable.log } });

  function becomeLeader(id: NodeId, s: State): RaftStep {
    const match = new Array<number>(servers).fill(0);
    match[id] = s.durable.log.length;
    const state: State = { durable: s.durable, volatile: { role: 'leader', votes: [], match, commitIndex: s.volatile.commitIndex } };
    return { state, send: peers(id).map((p) => appendTo(state, p)), setTimers: [CLIENT_REQUEST], cancelTimers: [ELECTION] };
  }

  /** The leader's commit rule (section 5.3, restricted by 5.4.2 unless the Figure 8 mutant). */
  function advanceCommit(s: State): State {
    const { log, term } = s.durable;
    let commit = s.volatile.commitIndex;
    for (let n = log.length; n > commit; n--) {
      const stored = s.volatile.match.filter((m) => m >= n).length;
      if (stored >= majority(servers) && (behaviour.commitsEarlierTerms || log[n - 1].term === term)) {
        commit = n;
        break;
      }
    }
    if (commit === s.volatile.commitIndex) return s;
    const fresh = log.slice(s.volatile.commitIndex, commit).map((e, i) => ({ index: s.volatile.commitIndex + i + 1, term: e.term, value: e.value, inTerm: term }));
    return { durable: { ...s.durable, committed: [...s.durable.committed, ...fresh] }, volatile: { ...s.volatile, commitIndex: commit } };
  }

  function onRequestVote(id: NodeId, s0: State, from: NodeId, m: Extract<Msg, { type: 'requestVote' }>): RaftStep | undefined {
    const s = adoptTerm(s0, m.term);
    const d = s.durable;
    if (m.term < d.term || (d.votedFor !== -1 && d.votedFor !== from)) return s === s0 ? undefined : { state: s, ...timersAfter(s0, s) };
    const upToDate = m.lastTerm > lastTerm(d.log) || (m.lastTerm === lastTerm(d.log) && m.lastIndex >= d.log.length);
    if (!upToDate && !behaviour.votesWithoutLogCheck) return s === s0 ? undefined : { state: s, ...timersAfter(s0, s) };
    const state: State = { durable: { ...d, votedFor: from }, volatile: s.volatile };
    return { state, send: [{ to: from, msg: { type: 'vote', term: d.term } }], ...timersAfter(s0, state) };
  }

  function onVote(id: NodeId, s: State, from: NodeId, m: Extract<Msg, { type: 'vote' }>): RaftStep | undefined {
    const v = s.volatile;
    if (m.term !== s.durable.term || v.role !== 'candidate' || v.votes.includes(from)) return undefined;
    const votes = [...v.votes, from].sort((a, b) => a - b);
    const state: State = { durable: s.durable, volatile: { ...v, votes } };
    return votes.length >= majority(servers) ? becomeLeader(id, state) : { state };
  }

  function onAppend(id: NodeId, s0: State, from: NodeId, m: Extract<Msg, { type: 'append' }>): RaftStep | undefined {
    if (m.term < s0.durable.term) return undefined;
    const adopted = adoptTerm(s0, m.term);
    // A candidate that hears from the leader of its own term steps down.
    const s: State = adopted.volatile.role === 'candidate' ? { durable: adopted.durable, volatile: follower(servers) } : adopted;
    // Keep the own log where it agrees with the leader's; from the first conflict on, take the leader's.
    const own = s.durable.log;
    let i = 0;
    while (i < m.entries.length && i < own.length && own[i].term === m.entries[i].term) i++;
    const log = i === m.entries.length ? own : [...own.slice(0, i), ...m.entries.slice(i)];
    const state: State = { durable: log === own ? s.durable : { ...s.durable, log }, volatile: s.volatile };
    return { state, send: [{ to: from, msg: { type: 'appended', term: m.term, match: m.entries.length } }], ...timersAfter(s0, state) };
  }

  function onAppended(id: NodeId, s: State, from: NodeId, m: Extract<Msg, { type: 'appended' }>): RaftStep | undefined {
    const v = s.volatile;
    if (m.term !== s.durable.term || v.role !== 'leader' || v.match[from] >= m.match) return undefined;
    const match = v.match.slice();
    match[from] = m.match;
    return { state: advanceCommit({ durable: s.durable, volatile: { ...v, match } }) };
  }

  return {
    nodeCount: servers,
    nodeName: (id) => `s${id}`,
    roleOf: () => 'server',
    init: () => ({
      state: { durable: { term: 0, votedFor: -1, log: [], committed: [] }, volatile: follower(servers) },
      setTimers: electionTimer(0),
    }),
    onMessage(id, s, from, m) {
      switch (m.type) {
        case 'requestVote':
          return onRequestVote(id, s, from, m);
        case 'vote':
          return onVote(id, s, from, m);
        case 'append':
          return onAppend(id, s, from, m);
        case 'appended':
          return onAppended(id, s, from, m);
      }
    },
    onTimer(id, s, timer) {
      const d = s.durable;
      if (timer === ELECTION) {
        if (s.volatile.role === 'leader' || d.term >= maxTerm) return undefined;
        // Start an election: next term, vote for itself (persisted), ask every peer.
        const term = d.term + 1;
        const state: State = { durable: { ...d, term, votedFor: id }, volatile: { ...follower(servers), role: 'candidate', votes: [id] } };
        const ask: Msg = { type: 'requestVote', term, lastIndex: d.log.length, lastTerm: lastTerm(d.log) };
        if (majority(servers) === 1) return { ...becomeLeader(id, state) };
        return { state, send: peers(id).map((to) => ({ to, msg: ask })), ...(term >= maxTerm ? { cancelTimers: [ELECTION] } : {}) };
      }
      if (timer === CLIENT_REQUEST && s.volatile.role === 'leader') {
        // A client's request reaches the leader: one new entry a term, replicated at once.
        const entry: Entry = { term: d.term, value: `v${d.term}` };
        const match = s.volatile.match.slice();
        match[id] = d.log.length + 1;
        const state = advanceCommit({ durable: { ...d, log: [...d.log, entry] }, volatile: { ...s.volatile, match } });
        return { state, send: peers(id).map((p) => appendTo(state, p)), cancelTimers: [CLIENT_REQUEST] };
      }
      return undefined;
    },
    onRestart: (id, durable) => ({
      state: { durable: behaviour.volatileVote ? { ...durable, votedFor: -1 } : durable, volatile: follower(servers) },
      setTimers: electionTimer(durable.term),
    }),
    describeMessage: (m) => {
      switch (m.type) {
        case 'requestVote':
          return `requestVote(term ${m.term}, last ${m.lastIndex}@${m.lastTerm})`;
        case 'vote':
          return `vote(term ${m.term})`;
        case 'append':
          return `append(term ${m.term}, [${m.entries.map((e) => e.term).join(',')}])`;
        case 'appended':
          return `appended(term ${m.term}, match ${m.match})`;
      }
    },
    actions: ['server receives requestVote', 'server receives vote', 'server receives append', 'server receives appended', 'server timer election', 'server timer client'],
    abstraction: raftAbstraction,
    properties: raftProperties(servers),
    symmetry: {
      groups: servers > 1 ? [Array.from({ length: servers }, (_, i) => i)] : [],
      renameDurable: (d, rename) => (d.votedFor === -1 ? d : { ...d, votedFor: rename(d.votedFor) }),
      renameVolatile: (v, rename) => {
        const match = new Array<number>(v.match.length).fill(0);
        v.match.forEach((m, i) => {
          match[rename(i)] = m;
        });
        return { ...v, votes: v.votes.map(rename).sort((a, b) => a - b), match };
      },
      renameMessage: (m) => m,
    },
  };
}
