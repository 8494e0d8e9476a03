// Declaring an actor model: the protocol (an ActorSpec built from parameters and a variant) plus
// the world's run configuration gives the transition system.
import type { ActorSpec } from '../model/actor.ts';
import { defineModel, type ModelDefinition, type Params } from '../model/define.ts';
import { guardActorSpec } from '../model/guard.ts';
import { compileActors } from './actor-system.ts';

export interface ActorModelDeclaration<D, V, M> extends Omit<ModelDefinition, 'build' | 'configurable'> {
  /** The protocol for one parameter assignment and variant. */
  protocol(params: Params, variant: string): ActorSpec<D, V, M>;
}

export function defineActorModel<D, V, M>(decl: ActorModelDeclaration<D, V, M>): ModelDefinition & { protocol: ActorModelDeclaration<D, V, M>['protocol'] } {
  const defaults = Object.fromEntries(Object.entries(decl.params).map(([k, p]) => [k, p.default]));
  const model = defineModel({
    ...decl,
    configurable: { network: true, faults: true, symmetry: decl.protocol(defaults, 'default').symmetry !== undefined },
    // The built-in models are trusted and run unguarded (the guard costs a wrapper per handler
    // call); `--paranoid` still puts them under the paranoid checks, as it does a user's model.
    build: ({ params, variant, config }) => {
      const protocol = decl.protocol(params, variant);
      return compileActors(config.paranoid ? guardActorSpec(protocol, { paranoid: true }) : protocol, config);
    },
  });
  return { ...model, protocol: decl.protocol };
}
