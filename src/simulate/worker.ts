// Worker thread body (started through worker.mjs, which loads tsx): builds the system once, then
// simulates the run ranges it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelDefinition } from '../model/define.ts';
import { simulateRange } from './tally.ts';
import type { WorkerJob, WorkerReply, WorkerTask } from './pool.ts';

const job = workerData as WorkerJob;
const module = (await import(job.modelsModule)) as Record<string, unknown>;
const models = module[job.modelsExport] as readonly ModelDefinition[] | undefined;
const model = models?.find((m) => m.name === job.model);
if (!model) throw new Error(`worker: model ${job.model} not found in ${job.modelsModule} (export ${job.modelsExport})`);
const system = model.build({ params: job.params, variant: job.variant, config: job.config });

parentPort!.on('message', (task: WorkerTask) => {
  const tally = simulateRange(system, job.request, task.runStart, task.runEnd);
  parentPort!.postMessage({ task, tally } satisfies WorkerReply);
});
parentPort!.postMessage({ ready: true });
