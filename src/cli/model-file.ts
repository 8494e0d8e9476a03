// Models from anywhere: `ordeal check ./twopc.ts` loads a user's module and picks the model it
// exports (or the one named by --model). A TypeScript file is loaded through tsx, registered only
// when plain Node cannot load it. A trace records where its model came from (the file, relative
// to the trace, and a SHA-256 of its content), so replay finds it again and refuses a changed file.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileModelsModule, findModel, InputError, loadModelFile, sha256Of, type ModelDefinition, type ModelFileRef, type ModelsModule, type Trace } from '../api/models.ts';

export { sha256Of };

/** A model chosen on the command line, with what workers need to load it again. */
export interface ChosenModel {
  readonly model: ModelDefinition;
  /** The models this source offers (the built-in list, or the file's models). */
  readonly models: readonly ModelDefinition[];
  /** A module URL and export name that give `models` (worker threads import it). */
  readonly module: ModelsModule;
  /** The model file (absolute path) and its content hash; null for a built-in model. */
  readonly file: { readonly path: string; readonly sha256: string } | null;
}

const MODEL_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** True when the command-line argument names a file rather than a built-in model. */
export function isModelPath(argument: string): boolean {
  return argument.includes('/') || argument.includes('\\') || MODEL_FILE.test(argument);
}

/** Pick a model from a file's models by --model, or the only one. */
export function pickModel(models: readonly ModelDefinition[], where: string, name: string | undefined): ModelDefinition {
  if (name !== undefined) return findModel(models, name);
  if (models.length === 1) return models[0];
  throw new InputError(`${where} exports several models (${models.map((m) => m.name).join(', ')}): pick one with --model NAME`);
}

/**
 * The model a command names: a built-in model's name, or a path to a module (with --model NAME
 * when it exports several).
 */
export async function chooseModel(
  builtins: { readonly models: readonly ModelDefinition[]; readonly module: ModelsModule },
  argument: string,
  modelFlag: string | undefined,
): Promise<ChosenModel> {
  if (!isModelPath(argument)) {
    if (modelFlag !== undefined) throw new InputError(`--model picks a model from a file; '${argument}' is a built-in model's name`);
    return { model: findModel(builtins.models, argument), models: builtins.models, module: builtins.module, file: null };
  }
  const loaded = await loadModelFile(argument);
  return {
    model: pickModel(loaded.models, argument, modelFlag),
    models: loaded.models,
    module: fileModelsModule(loaded.path),
    file: { path: loaded.path, sha256: loaded.sha256 },
  };
}

/** The reference a trace written to `tracePath` records for a model file. */
export function fileRefFor(file: { path: string; sha256: string }, tracePath: string): ModelFileRef {
  const rel = relative(dirname(resolve(tracePath)), file.path).split(sep).join('/');
  return { file: rel, sha256: file.sha256 };
}

/** A trace with its model's source recorded relative to where the trace is written. */
export function withModelFile(trace: Trace, file: { path: string; sha256: string } | null, tracePath: string): Trace {
  if (file === null) return trace;
  return { ...trace, model: { ...trace.model, source: fileRefFor(file, tracePath) } };
}

/** The recorded model file of a trace, as an absolute path. */
export function recordedModelPath(ref: ModelFileRef, tracePath: string): string {
  return isAbsolute(ref.file) ? ref.file : resolve(dirname(resolve(tracePath)), ref.file);
}

/**
 * The models a trace file needs: the built-in list, or the models of the file the trace records
 * (refused with exit 2 when that file is missing or its content changed).
 */
export async function modelsForTrace(builtins: readonly ModelDefinition[], trace: Trace | null, tracePath: string): Promise<{ models: readonly ModelDefinition[]; file: { path: string; sha256: string } | null }> {
  const ref = trace?.model.source;
  if (!ref) return { models: builtins, file: null };
  const path = recordedModelPath(ref, tracePath);
  let sha256: string;
  try {
    sha256 = sha256Of(path);
  } catch {
    throw new InputError(`${tracePath} was written from the model file ${ref.file} (looked for at ${relative(process.cwd(), path) || path}), which cannot be read`);
  }
  if (sha256 !== ref.sha256) {
    throw new InputError(
      `${tracePath} was written from ${ref.file} with sha256 ${ref.sha256.slice(0, 12)}…; the file has changed since (now ${sha256.slice(0, 12)}…), so the trace cannot be trusted to replay: check the model again`,
    );
  }
  const loaded = await loadModelFile(path);
  return { models: loaded.models, file: { path, sha256 } };
}
