// The Multi-Paxos kv store as one ActorSpec: servers s0..s{n-1}, then the client node. See index.ts
// for the prose account, the sources and the simplifications.
import type { ActorSpec, NodeId } from '../../src/index.ts';
import { clientActor } from './client.ts';
import { describeCommand } from './kv.ts';
import { multiPaxosProperties } from './properties.ts';
import { serverActor } from './server.ts';
import type { ClientDurable, Durable, Msg, MultiPaxosConfig, ServerDurable, Volatile } from './types.ts';

export type MultiPaxosSpec = ActorSpec<Durable, Volatile, Msg>;

export function describeMessage(msg: Msg): string {
  switch (msg.type) {
    case 'request':
      return `${msg.forwarded ? 'forward' : 'request'}(${describeCommand(msg.id)})`;
    case 'reply':
      return `reply(#${msg.id} -> ${JSON.stringify(msg.output)})`;
    case 'prepare':
      return `prepare(${msg.ballot})`;
    case 'promise':
      return `promise(${msg.ballot}, votes ${msg.votes.length === 0 ? 'none' : msg.votes.map((v) => `slot ${v.slot}=${v.ballot}:${describeCommand(v.command)}`).join(', ')})`;
    case 'accept':
      return `accept(${msg.ballot}, slot ${msg.slot}, ${describeCommand(msg.command)})`;
    case 'accepted':
      return `accepted(${msg.ballot}, slot ${msg.slot})`;
  }
}

export function multiPaxosProtocol(c: MultiPaxosConfig): MultiPaxosSpec {
  if (c.servers < 1 || c.servers > 9) throw new Error('multipaxos: 1 to 9 servers (ballot = round * 10 + server)');
  const clientId: NodeId = c.servers;
  const server = serverActor(c, clientId);
  const client = clientActor(c);
  const isClient = (id: NodeId): boolean => id === clientId;
  return {
    nodeCount: c.servers + 1,
    nodeName: (id) => (isClient(id) ? 'clients' : `s${id}`),
    init: (id) => (isClient(id) ? client.init() : server.init(id)),
    onMessage: (id, state, from, msg) => (isClient(id) ? client.onMessage(state, msg) : server.onMessage(id, state, from, msg)),
    onTimer: (id, state, timer) => (isClient(id) ? client.onTimer(state, timer) : server.onTimer(id, state, timer)),
    onRestart: (id, durable) => (isClient(id) ? client.onRestart(durable as ClientDurable) : server.onRestart(id, durable as ServerDurable)),
    properties: multiPaxosProperties({ servers: c.servers, dedup: !c.behaviour.noDedup }),
    describeMessage,
  };
}
