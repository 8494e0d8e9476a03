// Per-lane badges for the HTML view: the few words a model's `badge` (ActorSpec) gives for each node
// at each step of a trace (Zab: role, epoch, zxids). The trace is replayed through the model's own
// system and each node's real state read with `view`, so `badge` sees the model's own types, not
// the JSON picture. Models without `badge`, and spec models, have none.
import type { ActorSpec, NodeSlot } from '../model/actor.ts';
import type { ModelDefinition, Params } from '../model/define.ts';
import type { TransitionSystem } from '../model/system.ts';
import type { Trace } from './format.ts';

/** Per state (0: the initial one, i: after step i), each lane's badge by lane name. */
export type LaneBadges = readonly Readonly<Record<string, string>>[];

/** What a badge of a node that is down reads. */
export const DOWN_BADGE = 'down';

/** A badge longer than this is cut: the lane is narrow. */
const BADGE_CHARS_MAX = 60;

type ActorModel = ModelDefinition & { readonly protocol?: (params: Params, variant: string) => ActorSpec<unknown, unknown, unknown> };
type Viewable = TransitionSystem<unknown> & { view?(state: unknown): { readonly nodes: readonly NodeSlot<unknown, unknown>[] } };

/** The badges of every step of `trace`, or undefined when the model declares no `badge`. */
export function readBadges(model: ModelDefinition, trace: Trace): LaneBadges | undefined {
  const protocol = (model as ActorModel).protocol;
  if (typeof protocol !== 'function') return undefined;
  const spec = protocol(trace.model.params, trace.model.variant);
  if (typeof spec.badge !== 'function') return undefined;
  const system = model.build({ params: trace.model.params, variant: trace.model.variant, config: trace.config }) as Viewable;
  if (typeof system.view !== 'function') return undefined;
  const view = system.view.bind(system);
  const badgeOf = (id: number, slot: NodeSlot<unknown, unknown>): string => {
    if (!slot.up || slot.volatile === null) return DOWN_BADGE;
    try {
      const text = String(spec.badge!(id, { durable: slot.durable, volatile: slot.volatile }));
      return text.length > BADGE_CHARS_MAX ? `${text.slice(0, BADGE_CHARS_MAX - 1)}…` : text;
    } catch (error) {
      return `badge failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, BADGE_CHARS_MAX);
    }
  };
  let state = system.retain(system.initialStates()[trace.initial]);
  const picture = system.show(state) as { nodes?: Record<string, unknown> };
  const names = Object.keys(picture.nodes ?? {});
  const read = (s: unknown) => Object.fromEntries(view(s).nodes.map((slot, id) => [names[id] ?? `n${id}`, badgeOf(id, slot)]));
  const badges = [read(state)];
  for (const event of trace.events) {
    try {
      state = system.retain(system.step(state, event));
    } catch {
      break; // replay diverged here: the reading stops at the same step
    }
    badges.push(read(state));
  }
  return badges;
}
