// What the kv store promises, as properties of the world: the servers' decided logs agree slot by
// slot, each replica's state is its decided log applied in slot order, and the clients' history
// (recorded by the client node) is linearizable against a sequential kv store.
import type { ActorProperty, WorldView } from '../../src/index.ts';
import { linearizableOrWhy } from './history.ts';
import { applyDecided, EMPTY_REPLICA } from './replica.ts';
import type { ClientDurable, Durable, Msg, ServerDurable, ServerVolatile, Volatile } from './types.ts';

type World = WorldView<Durable, Volatile, Msg>;
type Property = ActorProperty<Durable, Volatile, Msg>;

export interface PropertyInput {
  readonly servers: number;
  /** Whether replicas deduplicate retried commands (the no-dedup mutant does not). */
  readonly dedup: boolean;
}

export function multiPaxosProperties(input: PropertyInput): Property[] {
  const { servers, dedup } = input;
  const logsOf = (w: World) => w.nodes.slice(0, servers).map((n) => (n.durable as ServerDurable).log);
  const historyOf = (w: World) => (w.nodes[servers].durable as ClientDurable).history;
  return [
    {
      name: 'SlotAgreement',
      description: 'no two servers decide different commands in the same slot',
      kind: 'invariant',
      test: (w) => {
        const logs = logsOf(w);
        const slots = Math.max(0, ...logs.map((l) => l.length));
        for (let slot = 0; slot < slots; slot++) {
          let seen: number | null = null;
          for (const log of logs) {
            const command = log[slot] ?? null;
            if (command === null) continue;
            if (seen !== null && command !== seen) return false;
            seen = command;
          }
        }
        return true;
      },
    },
    {
      name: 'AppliedInOrder',
      description: 'a replica has applied exactly the slots 0..applied-1, all decided, in slot order (its state is that prefix of its log, replayed)',
      kind: 'invariant',
      test: (w) =>
        w.nodes.slice(0, servers).every((n) => {
          if (!n.up) return true;
          const v = n.volatile as ServerVolatile;
          const log = (n.durable as ServerDurable).log;
          if (v.applied > log.length || log.slice(0, v.applied).some((c) => c === null)) return false;
          const { replica } = applyDecided(EMPTY_REPLICA, log.slice(0, v.applied), dedup);
          return replica.applied === v.applied && replica.value === v.value && JSON.stringify(replica.outputs) === JSON.stringify(v.outputs);
        }),
    },
    {
      name: 'Linearizable',
      description: "the clients' history (calls and returns in the order the client node saw them; pending operations as pending) is linearizable for a kv store",
      kind: 'invariant',
      test: (w) => linearizableOrWhy(historyOf(w)),
    },
    {
      name: 'CommandDecided',
      description: 'some server decided a client command in some slot',
      kind: 'reachable',
      test: (w) => logsOf(w).some((log) => log.some((c) => c !== null && c >= 0)),
    },
    {
      name: 'OperationCompleted',
      description: 'a client operation returned',
      kind: 'reachable',
      test: (w) => historyOf(w).some((e) => e.startsWith('return')),
    },
  ];
}
