// The client node: one actor that plays every logical client. Logical client i runs operation i of
// the workload once: its call is a timer event (so calls interleave with everything else), it
// sends the request to a server, retries on timeout with the same id to the next server, and
// returns on the first reply. The node records calls and returns in its history as they happen.
import type { NodeId, NodeState, Send, Step } from '../../src/index.ts';
import { callEntry, returnEntry, statusOf } from './history.ts';
import { callTimer, retryTimer, type ClientDurable, type ClientVolatile, type Command, type Durable, type Msg, type MultiPaxosConfig, type Volatile } from './types.ts';

type ClientStep = Step<Durable, Volatile, Msg>;

const CLIENT_VOLATILE: ClientVolatile = Object.freeze({ role: 'client' });

export function clientActor(c: MultiPaxosConfig) {
  const ids: Command[] = Array.from({ length: c.operations }, (_, i) => i);
  const target = (d: ClientDurable, id: Command): NodeId => (id + 1 + d.retries[id]) % c.servers;
  const request = (d: ClientDurable, id: Command): Send<Msg> => ({ to: target(d, id), msg: { type: 'request', id, forwarded: false } });
  const state = (durable: ClientDurable): NodeState<Durable, Volatile> => ({ durable, volatile: CLIENT_VOLATILE });

  /** The timers a client node with this durable state has armed: calls not made, retries left. */
  const timersOf = (d: ClientDurable): string[] =>
    ids.flatMap((id) => {
      const status = statusOf(d.history, id);
      if (status === 'not called') return [callTimer(id)];
      return status === 'pending' && d.retries[id] < c.retries ? [retryTimer(id)] : [];
    });

  function onTimer(s: NodeState<Durable, Volatile>, timer: string): ClientStep | undefined {
    const d = s.durable as ClientDurable;
    const id = ids.find((i) => timer === callTimer(i) || timer === retryTimer(i));
    if (id === undefined) return undefined;
    if (timer === callTimer(id)) {
      if (statusOf(d.history, id) !== 'not called') return undefined;
      const durable: ClientDurable = { ...d, history: [...d.history, callEntry(id)] };
      return { state: state(durable), send: [request(durable, id)], setTimers: c.retries > 0 ? [retryTimer(id)] : [] };
    }
    if (statusOf(d.history, id) !== 'pending' || d.retries[id] >= c.retries) return undefined;
    const durable: ClientDurable = { ...d, retries: d.retries.map((r, i) => (i === id ? r + 1 : r)) };
    return { state: state(durable), send: [request(durable, id)], setTimers: durable.retries[id] < c.retries ? [retryTimer(id)] : [] };
  }

  function onMessage(s: NodeState<Durable, Volatile>, msg: Msg): ClientStep | undefined {
    if (msg.type !== 'reply') return undefined;
    const d = s.durable as ClientDurable;
    // The first reply returns the operation; later ones (a retry answered twice) are dropped.
    if (statusOf(d.history, msg.id) !== 'pending') return undefined;
    return { state: state({ ...d, history: [...d.history, returnEntry(msg.id, msg.output)] }), cancelTimers: [retryTimer(msg.id)] };
  }

  const initial: ClientDurable = { role: 'client', history: [], retries: ids.map(() => 0) };
  return {
    init: (): ClientStep => ({ state: state(initial), setTimers: timersOf(initial) }),
    onTimer,
    onMessage,
    /** Everything is durable: the node comes back with its calls, and re-arms its timers. */
    onRestart: (durable: ClientDurable): ClientStep => ({ state: state(durable), setTimers: timersOf(durable) }),
  };
}
