// Names of the actions of an actor world, for coverage: who receives what, which timer fires,
// which fault happens. A node's role is what the protocol says (`roleOf`), or its display name
// without the trailing number (a0, a1 -> a); a message's type is its `type` (or `kind`) field.
import { CLIENT, type ActorSpec, type NodeId } from '../model/actor.ts';
import type { Event } from '../model/system.ts';
import { asActorEvent } from './events.ts';

export function messageTypeOf(msg: unknown): string {
  if (msg !== null && typeof msg === 'object') {
    const tag = (msg as { type?: unknown; kind?: unknown }).type ?? (msg as { kind?: unknown }).kind;
    if (typeof tag === 'string') return tag;
  }
  return 'message';
}

export function actorActionOf<D, V, M>(spec: ActorSpec<D, V, M>, name: (id: NodeId) => string): (event: Event) => string {
  const roleOf = (id: NodeId): string => {
    if (id === CLIENT) return 'client';
    if (spec.roleOf) return spec.roleOf(id);
    const display = name(id);
    return display.replace(/\d+$/, '') || display;
  };
  return (event) => {
    const e = asActorEvent(event);
    switch (e?.kind) {
      case 'deliver':
        return `${roleOf(e.to)} receives ${messageTypeOf(e.msg)}`;
      case 'timer':
        return `${roleOf(e.node)} timer ${e.timer}`;
      case 'drop':
      case 'duplicate':
        return `${e.kind} ${messageTypeOf(e.msg)}`;
      default:
        return event.kind;
    }
  };
}
