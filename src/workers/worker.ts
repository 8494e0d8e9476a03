// A worker thread of the pool (pool.ts): load the models module, build the run's system once, then
// serve the role it was started as: a shard of the level engine (shard-worker.ts), ranges of
// simulation runs (run-worker.ts) or swarm searches (swarm-worker.ts).
import { workerData } from 'node:worker_threads';
import type { ModelDefinition } from '../model/define.ts';
import { findModel } from '../model/resolve.ts';
import type { WorkerData } from './pool.ts';
import type { ShardRole } from './shards.ts';
import type { RunsRole } from './runs.ts';
import type { SwarmRole } from './swarm-runs.ts';

const data = workerData as WorkerData<ShardRole | RunsRole | SwarmRole>;
const { recipe, role } = data;
const module = (await import(recipe.modelsModule!.url)) as Record<string, unknown>;
const models = module[recipe.modelsModule!.exportName] as readonly ModelDefinition[] | undefined;
if (!Array.isArray(models)) throw new Error(`worker: ${recipe.modelsModule!.url} has no model list '${recipe.modelsModule!.exportName}'`);
const model = findModel(models, recipe.model);
const system = model.build({ params: recipe.params, variant: recipe.variant, config: recipe.config });

if (role.kind === 'shard') (await import('./shard-worker.ts')).serveShard(system, role);
else if (role.kind === 'swarm') (await import('./swarm-worker.ts')).serveSwarm(system, role);
else (await import('./run-worker.ts')).serveRuns(system, role);
