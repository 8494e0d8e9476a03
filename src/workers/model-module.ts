// Models from a module: what a model file exports, imported (through tsx for TypeScript when this
// process cannot load it), and the module URL worker threads import to get the same models again
// (models-of-file.ts). The built-in models are a module like any other (BUILTIN_MODELS_MODULE).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModelDefinition } from '../model/define.ts';
import { InputError } from '../model/resolve.ts';

/** A module URL and the export that holds a list of models: how a worker thread finds its model. */
export interface ModelsModule {
  readonly url: string;
  readonly exportName: string;
}

/** '.ts' when running from sources, '.js' when running the built package. */
function extensionOfThisFile(): string {
  return new URL(import.meta.url).pathname.endsWith('.ts') ? '.ts' : '.js';
}

/** The built-in models (models/index.ts, or its build), as workers import them. */
export const BUILTIN_MODELS_MODULE: ModelsModule = {
  url: new URL(`../../models/index${extensionOfThisFile()}`, import.meta.url).href,
  exportName: 'builtinModels',
};

export function isModelDefinition(value: unknown): value is ModelDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return typeof m.name === 'string' && typeof m.version === 'number' && typeof m.build === 'function' && typeof m.variants === 'object' && m.variants !== null;
}

/** Every model a module exports: the default export first, then named exports, arrays flattened. */
export function modelsOfModule(namespace: Record<string, unknown>, where: string): ModelDefinition[] {
  const names = Object.keys(namespace).sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : 0));
  const found: ModelDefinition[] = [];
  for (const name of names) {
    const value = namespace[name];
    const candidates = Array.isArray(value) ? value : [value];
    for (const candidate of candidates) {
      if (!isModelDefinition(candidate) || found.includes(candidate)) continue;
      const twin = found.find((m) => m.name === candidate.name);
      if (twin) throw new InputError(`${where} exports two different models named '${candidate.name}'`);
      found.push(candidate);
    }
  }
  return found;
}

let tsxRegistered = false;

/**
 * Import a module. A TypeScript file needs tsx unless this process already runs TypeScript; it is
 * registered before the first import (a failed import of a URL is cached, so it cannot be retried).
 */
export async function importModule(url: string): Promise<Record<string, unknown>> {
  if (/\.(ts|mts|cts)$/.test(new URL(url).pathname) && !import.meta.url.endsWith('.ts') && !tsxRegistered) {
    const { register } = await import('tsx/esm/api');
    register();
    tsxRegistered = true;
  }
  return (await import(url)) as Record<string, unknown>;
}

/** The models of the module at `url` (workers call this through models-of-file.ts). */
export async function importModels(url: string): Promise<ModelDefinition[]> {
  return modelsOfModule(await importModule(url), url);
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Load a model file; every problem is one InputError line. */
export async function loadModelFile(path: string): Promise<{ path: string; sha256: string; models: ModelDefinition[] }> {
  const absolute = resolve(path);
  let sha256: string;
  try {
    sha256 = sha256Of(absolute);
  } catch (error) {
    throw new InputError(`cannot read model file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let models: ModelDefinition[];
  try {
    models = modelsOfModule(await importModule(pathToFileURL(absolute).href), path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const first = String((error as Error)?.message ?? error).split('\n')[0];
    const hint = /require\(\) ES Module|Cannot use import statement outside a module/.test(first)
      ? ' (the file was loaded as CommonJS: add "type": "module" to its folder\'s package.json, or name it .mts)'
      : '';
    throw new InputError(`cannot load model file ${path}: ${first}${hint}`);
  }
  if (models.length === 0) {
    throw new InputError(`${path} exports no model (export the result of defineActorModel or defineModel, or an array of them)`);
  }
  return { path: absolute, sha256, models };
}

/** The module URL workers import to get the models of the file at `absolutePath`. */
export function fileModelsModule(absolutePath: string): ModelsModule {
  const adapter = new URL(`./models-of-file${extensionOfThisFile()}`, import.meta.url);
  adapter.searchParams.set('file', pathToFileURL(absolutePath).href);
  return { url: adapter.href, exportName: 'models' };
}
