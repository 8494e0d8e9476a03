// The events of an actor world: a discriminated union on `kind`, one type per variant. Each is plain
// JSON identified by its content (a trace holds them as they are, field order included), and each
// is a `model/system.ts` Event, so the generic transition system and its strategies take them as
// they take a spec's `action` events. The engine makes every event object once and shares it
// (event-catalog.ts); an event read from a trace is matched to one of those by content.
import type { NodeId } from '../model/actor.ts';
import type { Event } from '../model/system.ts';
import type { Groups } from './partitions.ts';

/** Which alternative of a handler's `Choice` an event takes (specs with `choices`): `choice` of `of`. */
type Alternative = { readonly choice?: number; readonly of?: number };

/** The message `msg` from `from` (a node, or CLIENT) reaches node `to`, whose handler runs. */
export type DeliverEvent<M = unknown> = { readonly kind: 'deliver'; readonly from: NodeId; readonly to: NodeId; readonly msg: M } & Alternative;
/** Node `node`'s armed timer `timer` fires (it is disarmed first; the handler may re-arm it). */
export type TimerEvent = { readonly kind: 'timer'; readonly node: NodeId; readonly timer: string } & Alternative;
/** Node `node` crashes: its volatile state and timers are lost, its durable state kept. */
export type CrashEvent = { readonly kind: 'crash'; readonly node: NodeId };
/** Node `node`, which is down, restarts from its durable state (`onRestart`). */
export type RestartEvent = { readonly kind: 'restart'; readonly node: NodeId };
/** The whole network splits into `groups` (a group index per node): no message crosses groups. */
export type PartitionEvent = { readonly kind: 'partition'; readonly groups: Groups };
/** The partition ends: every node can reach every other again. */
export type HealEvent = { readonly kind: 'heal' };
/** The network loses one copy of the in-flight message `msg` from `from` to `to`. */
export type DropEvent<M = unknown> = { readonly kind: 'drop'; readonly from: NodeId; readonly to: NodeId; readonly msg: M };
/** The network makes a second copy of the in-flight message `msg` from `from` to `to`. */
export type DuplicateEvent<M = unknown> = { readonly kind: 'duplicate'; readonly from: NodeId; readonly to: NodeId; readonly msg: M };

/** Node `node`'s buffered durable writes fail: its durable state goes back to the synced one and `onWriteError` runs (docs/faults.md). */
export type WriteErrorEvent = { readonly kind: 'write-error'; readonly node: NodeId };
/** Node `node` crashes as a machine does: its volatile state, timers and buffered durable writes are lost (docs/faults.md). */
export type PowerLossEvent = { readonly kind: 'power-loss'; readonly node: NodeId };

/** Any event of an actor world. */
export type ActorEvent<M = unknown> =
  | DeliverEvent<M>
  | TimerEvent
  | CrashEvent
  | RestartEvent
  | PartitionEvent
  | HealEvent
  | DropEvent<M>
  | DuplicateEvent<M>
  | WriteErrorEvent
  | PowerLossEvent;

/** The kinds of actor events, in the order the event scan lists them (scan.ts). */
export const ACTOR_EVENT_KINDS = ['deliver', 'timer', 'crash', 'restart', 'partition', 'heal', 'drop', 'duplicate', 'write-error', 'power-loss'] as const satisfies readonly ActorEvent['kind'][];

const isNode = (x: unknown): x is NodeId => typeof x === 'number';
const isAlternative = (e: Event): boolean => (e.choice === undefined || typeof e.choice === 'number') && (e.of === undefined || typeof e.of === 'number');

/**
 * The event as an actor event when it has the shape of one (its kind's fields, of their types),
 * else undefined: what a hand-edited or foreign trace holds is checked here, once, at the edge.
 */
export function asActorEvent(e: Event): ActorEvent | undefined {
  switch (e.kind) {
    case 'deliver':
      return isNode(e.from) && isNode(e.to) && 'msg' in e && isAlternative(e) ? (e as DeliverEvent) : undefined;
    case 'drop':
    case 'duplicate':
      return isNode(e.from) && isNode(e.to) && 'msg' in e ? (e as DropEvent | DuplicateEvent) : undefined;
    case 'timer':
      return isNode(e.node) && typeof e.timer === 'string' && isAlternative(e) ? (e as TimerEvent) : undefined;
    case 'crash':
    case 'restart':
    case 'write-error':
    case 'power-loss':
      return isNode(e.node) ? (e as CrashEvent | RestartEvent | WriteErrorEvent | PowerLossEvent) : undefined;
    case 'partition':
      return Array.isArray(e.groups) ? (e as PartitionEvent) : undefined;
    case 'heal':
      return e as HealEvent;
    default:
      return undefined;
  }
}
