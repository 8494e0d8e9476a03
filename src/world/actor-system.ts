// Compiles an actor protocol plus a run configuration (network semantics and fault budgets) into a
// transition system over hash-consed worlds. A world is a short array of words (world-store.ts):
// node slot ids, the partition, the used fault budgets and the in-flight envelope ids. This file
// only wires the parts, each with one job:
//
//   moves.ts          the moves, applied in place to a mutable world (`Rules`, `Work`)
//   network-kinds.ts  what each network kind does (one record per kind)
//   scan.ts           the enabled events of a world, in the one order every consumer sees
//   events.ts         the events as a discriminated union; event-catalog.ts makes each object once
//   event-keys.ts     the one numbering of events (keys) and their footprints, for reduction and simulation
//   successors.ts     exhaustive search's successors (under reduction when asked)
//   event-list.ts     the enabled events as a list, and matching an event to one of them
//   stepper.ts        applying one event object (step, replay, the cursor)
//   cursor.ts         simulation's cursor: one world stepped in place
//   property-memo.ts  the properties, remembered per tuple of node slots
//   fingerprint.ts    fingerprints from cached part hashes (actor-symmetry.ts under symmetry)
//   world-text.ts     how worlds and events read (view, show, describe)
//   abstraction.ts    the abstract state guided simulation counts as coverage
import type { ActorSpec } from '../model/actor.ts';
import type { RunConfig } from '../model/define.ts';
import type { Event, TransitionSystem } from '../model/system.ts';
import { actorAbstraction } from './abstraction.ts';
import { actorActionOf } from './actor-actions.ts';
import { symmetricFingerprint } from './actor-symmetry.ts';
import { actorCursor } from './cursor.ts';
import { EventCatalog } from './event-catalog.ts';
import { EventKeys } from './event-keys.ts';
import { EnabledEvents } from './event-list.ts';
import { plainFingerprint } from './fingerprint.ts';
import { Rules } from './moves.ts';
import { splitsOf } from './partitions.ts';
import { rememberedProperties } from './property-memo.ts';
import { EventScan } from './scan.ts';
import { Stepper } from './stepper.ts';
import { Successors } from './successors.ts';
import { WorldStore } from './world-store.ts';
import { WorldText, type WorldPicture } from './world-text.ts';
import { worldTransfer, type WordTransfer } from './world-transfer.ts';

export type { WorldPicture } from './world-text.ts';

/** An actor world: its words (see world-store.ts). Read it through `ActorSystem.view`. */
export type ActorWorld = Uint32Array;

export interface ActorSystem<D, V, M> extends TransitionSystem<ActorWorld> {
  view(world: ActorWorld): WorldPicture<D, V, M>;
  /** How worlds cross threads (parallel BFS): their ids are this system's own. */
  readonly wordTransfer: WordTransfer;
}

export function compileActors<D, V, M>(spec: ActorSpec<D, V, M>, config: RunConfig): ActorSystem<D, V, M> {
  const n = spec.nodeCount;
  const splits = config.faults.partitions > 0 ? splitsOf(n, config.partitionKinds) : [];
  const rules = new Rules(spec, config, splits);
  const scanner = new EventScan(rules);
  const catalog = new EventCatalog<M>(n, splits, rules.table);
  const keys = new EventKeys(n, rules.table, rules.net);
  const list = new EnabledEvents(scanner, catalog);
  const text = new WorldText(rules);
  const stepper = new Stepper(rules, catalog, list, text);
  const successors = new Successors(rules, scanner, keys);
  const plain = plainFingerprint(rules);
  // A protocol without a declared symmetry has nothing to rename: reduction is then the identity.
  const fingerprint = config.symmetry === true && spec.symmetry !== undefined ? symmetricFingerprint(rules, spec.symmetry) : plain;

  return {
    initialStates: () => [stepper.initialWorld()],
    forEachSuccessor: (w, visit) => successors.of(w, null, visit),
    independence: {
      forEachSuccessorOf: (w, take, visit) => successors.of(w, take, visit),
      same: sameWords,
      footprintOf: (key) => keys.footprintOf(key),
      exact: fingerprint === plain,
    },
    enabled: (w) => list.enabled(w),
    step: (w, event) => stepper.step(w, event),
    cursor: () => actorCursor({ nodeCount: n, scanner, catalog, keys, list, stepper, text }),
    fingerprint,
    properties: rememberedProperties(spec.properties, n, text),
    view: (w) => text.view(w),
    show: (w) => text.show(w),
    describe: (event) => text.describe(event),
    actionOf: actorActionOf(spec, rules.name),
    fair: actorFairness(spec.fair ?? DEFAULT_FAIR, actorActionOf(spec, rules.name)),
    declaredActions: spec.actions,
    abstraction: actorAbstraction(spec, rules, text),
    retain: (w) => w.slice(),
    newStore: () => new WorldStore(),
    wordTransfer: worldTransfer(rules),
  };
}

/** The fair events of a model that declares none: deliveries, restarts and heals. */
export const DEFAULT_FAIR: readonly string[] = Object.freeze(['deliveries', 'restart', 'heal']);

/** An event's fairness from a `fair` declaration (ActorSpec.fair), remembered per event object. */
function actorFairness(fair: readonly string[], actionOf: (event: Event) => string): (event: Event) => boolean {
  const all = new Set(fair);
  const known = new WeakMap<Event, boolean>();
  return (event) => {
    let answer = known.get(event);
    if (answer === undefined) {
      answer = (event.kind === 'deliver' && all.has('deliveries')) || (event.kind === 'timer' && all.has('timers')) || all.has(actionOf(event));
      known.set(event, answer);
    }
    return answer;
  };
}

/** Under symmetry two worlds of one orbit share a fingerprint; only equal words are the same world. */
function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
