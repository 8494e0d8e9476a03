// The abstract state of an actor world that guided simulation counts as coverage, computed without
// rendering the world's picture: each node's part is made once per interned node slot (a world holds
// slot ids, so most steps change one node and reuse the others' parts), then joined with the
// partition. A model's own `abstraction(view)` (ActorSpec) replaces the default.
import type { ActorSpec, NodeSlot } from '../model/actor.ts';
import { partitionOf, type Rules } from './moves.ts';
import type { WorldText } from './world-text.ts';

/** How deep the default looks into a node's durable and volatile state (role.state, role.phase). */
export const NODE_ABSTRACTION_DEPTH = 2;

/** The strings and booleans of `value`, with their keys, through plain objects (not arrays) up to `depth`. */
function leavesOf(value: unknown, depth: number, into: string[], key: string): void {
  if (typeof value === 'string' || typeof value === 'boolean') into.push(`${key}=${String(value)}`);
  else if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth > 0) {
    for (const k of Object.keys(value as object).sort()) leavesOf((value as Record<string, unknown>)[k], depth - 1, into, k);
  }
}

/**
 * The default abstract part of one node: down, or the strings and booleans of its volatile state
 * (role, phase), plus those of its durable state; never numbers or lists, which grow without bound.
 */
export function defaultNodeAbstraction(slot: NodeSlot<unknown, unknown>): string {
  const parts: string[] = [slot.up ? 'up' : 'down'];
  if (slot.up) leavesOf(slot.volatile, NODE_ABSTRACTION_DEPTH, parts, 'v');
  leavesOf(slot.durable, NODE_ABSTRACTION_DEPTH, parts, 'd');
  return parts.join(' ');
}

/** The abstraction of an actor system's worlds: the model's own, else the default per node slot. */
export function actorAbstraction<D, V, M>(spec: ActorSpec<D, V, M>, rules: Rules<D, V, M>, text: WorldText<D, V, M>): (w: Uint32Array) => string {
  if (spec.abstraction) return (w) => spec.abstraction!(text.view(w));
  const n = rules.n;
  const slots = rules.slots.slots;
  const partOfSlot: string[] = [];
  return (w) => {
    let out = `p${partitionOf(w, n)}`;
    for (let i = 0; i < n; i++) {
      const id = w[i];
      let part = partOfSlot[id];
      if (part === undefined) partOfSlot[id] = part = defaultNodeAbstraction(slots[id] as NodeSlot<unknown, unknown>);
      out += `|${part}`;
    }
    return out;
  };
}
