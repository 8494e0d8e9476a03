// The public `defineActorModel`: the world's actor model with the protocol under guard, so a
// handler that throws or returns an invalid step is a `ModelError` counterexample (exit 4) rather
// than a crash, and `config.paranoid` turns on the paranoid checks (src/model/guard.ts).
import type { ActorSpec } from '../model/actor.ts';
import { defineModel, type ModelDefinition, type Params } from '../model/define.ts';
import { guardActorSpec } from '../model/guard.ts';
import { compileActors } from '../world/actor-system.ts';
import type { ActorModelDeclaration } from '../world/actor-model.ts';

export type { ActorModelDeclaration };

/** An actor model: a ModelDefinition that also gives its protocol (unguarded) for a parameter set. */
export type ActorModel<D, V, M> = ModelDefinition & { readonly protocol: (params: Params, variant: string) => ActorSpec<D, V, M> };

export function defineActorModel<D, V, M>(decl: ActorModelDeclaration<D, V, M>): ActorModel<D, V, M> {
  if (typeof decl?.protocol !== 'function') throw new TypeError('defineActorModel: protocol must be a function (params, variant) => ActorSpec');
  const defaults = Object.fromEntries(Object.entries(decl.params ?? {}).map(([k, p]) => [k, p.default]));
  let symmetry = false;
  try {
    symmetry = decl.protocol(defaults, 'default').symmetry !== undefined;
  } catch {
    // A protocol that throws for its defaults is reported when a check builds it.
  }
  const model = defineModel({
    ...decl,
    configurable: { network: true, faults: true, symmetry },
    build: ({ params, variant, config }) => compileActors(guardActorSpec(decl.protocol(params, variant), { paranoid: config.paranoid }), config),
  });
  return { ...model, protocol: decl.protocol };
}
