// `modelParams(model, values)`: a model's parameter values for one run, as `check()` and the CLI's
// `-p` resolve them, for code that calls a model's protocol or spec itself (a test of one handler).
import type { ModelDefinition, ParamDecls, ParamsOf, ParamValue } from '../model/define.ts';
import { InputError, resolveParams } from '../model/resolve.ts';

/**
 * The model's defaults with `values` applied (`{ fle: 'full' }`, or `['fle=full']` as `-p` takes
 * them), each checked against its declaration; throws an InputError naming the bad one.
 */
export function modelParams<P extends ParamDecls>(
  model: ModelDefinition & { readonly params: P },
  values: { readonly [K in keyof P]?: ParamsOf<P>[K] } | readonly string[] = {},
): ParamsOf<P> {
  try {
    return resolveParams(model, values as Readonly<Record<string, ParamValue>> | readonly string[]) as ParamsOf<P>;
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`modelParams: ${error.message}`);
    throw error;
  }
}
