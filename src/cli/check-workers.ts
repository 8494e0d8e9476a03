// Shards of the level engine in worker threads, seen by the coordinator as ShardHandles. Requests
// go out in order and each worker answers them in order, so one FIFO of pending promises per worker
// matches replies to requests. Batches and reports are transferred, not copied.
import { Worker } from 'node:worker_threads';
import type { Params, RunConfig } from '../model/define.ts';
import { ShardLost, type LinkArrays, type ShardHandle } from '../explore/parallel-bfs.ts';
import type { Batch, ShardRestore } from '../explore/parallel-shard.ts';

export interface ShardWorkerData {
  readonly model: string;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
  readonly shard: number;
  readonly shards: number;
  /** Where the worker finds the model list (a module URL and export name); default: the built-in models. */
  readonly modelsModule?: { readonly url: string; readonly exportName: string };
  /** Int32Array(1) over a SharedArrayBuffer: non-zero asks every worker to stop expanding. */
  readonly stopFlag: SharedArrayBuffer;
}

export type WorkerRequest =
  | { readonly type: 'seed' }
  | { readonly type: 'restore'; readonly from: ShardRestore; readonly links: LinkArrays | null }
  | { readonly type: 'expand' }
  | { readonly type: 'absorb'; readonly batches: Batch<unknown>[] }
  | { readonly type: 'end' }
  | { readonly type: 'commit'; readonly base: number }
  | { readonly type: 'snapshot' };

export type WorkerReply =
  | { readonly type: 'ok'; readonly value: unknown }
  | { readonly type: 'error'; readonly message: string; readonly stack: string; readonly outOfMemory: boolean };

const ENTRY = new URL('./check-worker.mjs', import.meta.url);

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

class WorkerShard implements ShardHandle<unknown> {
  private readonly pending: Pending[] = [];
  private failure: Error | null = null;
  readonly ready: Promise<unknown>;

  constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'error') {
        const error = reply.outOfMemory ? new ShardLost(`a worker ran out of memory: ${reply.message}`) : new Error(`worker: ${reply.message}\n${reply.stack}`);
        return this.fail(error);
      }
      this.pending.shift()?.resolve(reply.value);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      this.fail(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ShardLost(`a worker ran out of memory (${error.message})`) : error);
    });
    worker.on('exit', (code) => this.fail(new ShardLost(`a worker exited (code ${code})`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
  }

  private request<T>(message: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  seed = () => this.request<void>({ type: 'seed' });
  restore = (from: ShardRestore, links: LinkArrays | null) => this.request<void>({ type: 'restore', from, links });
  expandRound = () => this.request<never>({ type: 'expand' });
  absorb = (batches: Batch<unknown>[]): void => {
    if (this.failure) return;
    this.worker.postMessage({ type: 'absorb', batches } satisfies WorkerRequest, batches.map((b) => b.data.buffer as ArrayBuffer));
  };
  endLevel = () => this.request<never>({ type: 'end' });
  commit = (base: number) => this.request<void>({ type: 'commit', base });
  snapshot = () => this.request<never>({ type: 'snapshot' });
  close = async (): Promise<void> => {
    this.failure ??= new Error('closed');
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  };
}

export interface WorkerPool {
  readonly shards: ShardHandle<unknown>[];
  /** Ask every worker to stop expanding (its current round is abandoned). */
  requestStop(): void;
  /** True when a worker stopped the run because its own heap neared its limit. */
  stoppedByWorkerHeap(): boolean;
  close(): Promise<void>;
}

export async function startWorkers(spec: Omit<ShardWorkerData, 'shard' | 'shards' | 'stopFlag'>, count: number): Promise<WorkerPool> {
  const stopFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(stopFlag);
  const shards = Array.from({ length: count }, (_, shard) => {
    const workerData: ShardWorkerData = { ...spec, shard, shards: count, stopFlag };
    return new WorkerShard(new Worker(ENTRY, { workerData }));
  });
  const close = async () => {
    await Promise.all(shards.map((s) => s.close()));
  };
  try {
    await Promise.all(shards.map((s) => s.ready));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    shards,
    requestStop: () => void Atomics.compareExchange(flag, 0, 0, 1),
    stoppedByWorkerHeap: () => Atomics.load(flag, 0) === 2,
    close,
  };
}
