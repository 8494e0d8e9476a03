// `defineSpecModel`: a model written directly as a transition system, as a TLA+ spec is (a state
// and named actions; src/model/spec.ts), packed in 32-bit words by a schema or on plain objects.
// Spec models have no network and no fault events; symmetry reduction applies when the packed spec
// declares a symmetry. Actions and properties run under guard (a throw is a `ModelError`).
import { defineModel, NO_FAULTS, type ModelDefinition, type ParamDecls, type ParamsOf, type RunConfig } from '../model/define.ts';
import type { Spec } from '../model/spec.ts';
import { compileSpec } from '../world/spec-system.ts';

export interface SpecModelDeclaration<P extends ParamDecls> extends Omit<ModelDefinition, 'build' | 'configurable' | 'params' | 'defaultConfig'> {
  /** The parameters, each an integer range, a boolean or an enum; `spec` gets their values typed. */
  readonly params: P;
  /** The spec for one parameter assignment and variant (a `PackedSpec` or an `ObjectSpec`). */
  spec(params: ParamsOf<P>, variant: string): Spec;
  /** Default run configuration (default: no network to speak of, no faults, no symmetry). */
  readonly defaultConfig?: Pick<RunConfig, 'symmetry'>;
}

/** A spec model: a ModelDefinition that also gives its spec for a parameter set. */
export type SpecModel<P extends ParamDecls = ParamDecls> = ModelDefinition & {
  readonly params: P;
  readonly spec: (params: ParamsOf<P>, variant: string) => Spec;
};

export function defineSpecModel<const P extends ParamDecls = ParamDecls>(decl: SpecModelDeclaration<P>): SpecModel<P> {
  if (typeof decl?.spec !== 'function') throw new TypeError('defineSpecModel: spec must be a function (params, variant) => PackedSpec | ObjectSpec');
  const { spec, defaultConfig, ...declaration } = decl;
  const defaults = Object.fromEntries(Object.entries(decl.params ?? {}).map(([k, p]) => [k, p.default])) as ParamsOf<P>;
  let symmetry = false;
  try {
    const s = spec(defaults, 'default');
    symmetry = s.representation === 'packed' && s.symmetry !== undefined;
  } catch {
    // A spec that throws for its defaults is reported when a check builds it.
  }
  const model = defineModel<P>({
    ...declaration,
    defaultConfig: { network: 'set', faults: NO_FAULTS, ...(defaultConfig?.symmetry ? { symmetry: true } : {}) },
    configurable: { network: false, faults: false, symmetry },
    build: ({ params, variant, config }) => compileSpec(spec(params, variant), { symmetry: config.symmetry, paranoid: config.paranoid }),
  });
  return { ...model, params: decl.params, spec };
}
