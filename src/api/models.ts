// Models, traces and their errors as the command line needs them: finding a model by name, loading
// a model file, reading a trace, the model-error detail, the report types it formats. Re-exported
// from the engine so that src/cli reaches it only through src/api.
export type { ModelDefinition, Params, RunConfig, VariantCheck } from '../model/define.ts';
export { checkVariant, findModel, InputError, resolveConfig, resolveParams } from '../model/resolve.ts';
export { findModelError, MODEL_ERROR, ModelFault, type ModelErrorDetail } from '../model/guard.ts';
export { parseTrace, TraceFormatError, type ModelFileRef, type Trace } from '../trace/format.ts';
export { BUILTIN_MODELS_MODULE, fileModelsModule, loadModelFile, sha256Of, type ModelsModule } from '../workers/model-module.ts';
export { buildSystem, type CheckReport } from '../check/run.ts';
export type { Progress } from '../explore/outcome.ts';
export { INITIAL_ACTION, neverFired, type ActionCoverage } from '../explore/coverage.ts';
export type { ReductionStats } from '../explore/sleep-sets.ts';
