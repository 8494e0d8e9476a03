// `defineActorModel`: an actor protocol plus the world's run configuration as a model. By default
// the protocol runs under guard, so a handler that throws or returns an invalid step is a
// `ModelError` counterexample (exit 4) rather than a crash; `guard: false` runs the handlers bare
// (a wrapper less per handler call, for trusted models such as the built-in ones). Either way
// `config.paranoid` puts them under the paranoid checks (src/model/guard.ts).
import type { ActorSpec } from '../model/actor.ts';
import { defineModel, type ModelDefinition, type ParamDecls, type ParamsOf } from '../model/define.ts';
import { guardActorSpec } from '../model/guard.ts';
import { compileActors } from '../world/actor-system.ts';

export interface ActorModelDeclaration<D, V, M, P extends ParamDecls = ParamDecls> extends Omit<ModelDefinition, 'build' | 'configurable' | 'params'> {
  /** The parameters, each an integer range, a boolean or an enum; `protocol` gets their values typed. */
  readonly params: P;
  /** The protocol for one parameter assignment and variant. */
  protocol(params: ParamsOf<P>, variant: string): ActorSpec<D, V, M>;
  /**
   * Run handlers under guard (default true): a throw or an invalid step becomes a `ModelError`
   * counterexample. `false` skips the wrapper for speed; a throw then ends the run as a crash.
   * Paranoid mode guards the handlers either way.
   */
  readonly guard?: boolean;
}

/** An actor model: a ModelDefinition that also gives its protocol (unguarded) for a parameter set. */
export type ActorModel<D, V, M, P extends ParamDecls = ParamDecls> = ModelDefinition & {
  readonly params: P;
  readonly protocol: (params: ParamsOf<P>, variant: string) => ActorSpec<D, V, M>;
};

export function defineActorModel<D, V, M, const P extends ParamDecls = ParamDecls>(decl: ActorModelDeclaration<D, V, M, P>): ActorModel<D, V, M, P> {
  if (typeof decl?.protocol !== 'function') throw new TypeError('defineActorModel: protocol must be a function (params, variant) => ActorSpec');
  const { guard = true, protocol, ...declaration } = decl;
  const defaults = Object.fromEntries(Object.entries(decl.params ?? {}).map(([k, p]) => [k, p.default])) as ParamsOf<P>;
  let symmetry = false;
  try {
    symmetry = protocol(defaults, 'default').symmetry !== undefined;
  } catch {
    // A protocol that throws for its defaults is reported when a check builds it.
  }
  const model = defineModel({
    ...declaration,
    configurable: { network: true, faults: true, symmetry },
    build: ({ params, variant, config }) => {
      const spec = protocol(params as ParamsOf<P>, variant);
      return compileActors(guard || config.paranoid ? guardActorSpec(spec, { paranoid: config.paranoid }) : spec, config);
    },
  });
  return { ...model, params: decl.params, protocol };
}
