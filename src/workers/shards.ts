// Shards of the level engine in worker threads of the pool (pool.ts), seen by the coordinator as
// ShardHandles. Requests
// go out in order and each worker answers them in order, so one FIFO of pending promises per worker
// matches replies to requests. During a level, workers send batches to each other directly, over
// one MessageChannel per ordered pair of workers (transferred, not copied), and wake a waiting
// receiver through a shared counter per worker (Atomics); the main thread only hears progress.
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { ShardLost, type LinkArrays, type ShardHandle } from '../explore/parallel-bfs.ts';
import type { LevelRun, RoundProgress } from '../explore/parallel-level.ts';
import type { ShardRestore } from '../explore/parallel-shard.ts';
import { startWorker, type SystemRecipe } from './pool.ts';

/** A shard worker's role: which shard it is, and how it talks to the coordinator and the other shards. */
export interface ShardRole {
  readonly kind: 'shard';
  readonly shard: number;
  readonly shards: number;
  /** Int32Array(1) over a SharedArrayBuffer: non-zero asks every worker to stop expanding. */
  readonly stopFlag: SharedArrayBuffer;
  /** Int32Array(shards): worker d's counter of messages sent to it (it waits on its own). */
  readonly mail: SharedArrayBuffer;
  /** Per other worker: the port to send it batches (null for this worker). */
  readonly out: (MessagePort | null)[];
  /** Per other worker: the port its batches arrive on (null for this worker). */
  readonly in: (MessagePort | null)[];
}

export type WorkerRequest =
  | { readonly type: 'seed' }
  | { readonly type: 'restore'; readonly from: ShardRestore; readonly links: LinkArrays | null }
  | { readonly type: 'level' }
  | { readonly type: 'end' }
  | { readonly type: 'commit'; readonly base: number }
  | { readonly type: 'snapshot' };

export type WorkerReply =
  | { readonly type: 'ok'; readonly value: unknown }
  /** Sent during a level, after each round; not a reply. */
  | { readonly type: 'progress'; readonly transitions: number; readonly pending: number }
  | { readonly type: 'error'; readonly message: string; readonly stack: string; readonly outOfMemory: boolean };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

class WorkerShard implements ShardHandle<unknown> {
  private readonly pending: Pending[] = [];
  private failure: Error | null = null;
  private onRound: RoundProgress | null = null;
  readonly ready: Promise<unknown>;

  constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'error') {
        const error = reply.outOfMemory ? new ShardLost(`a worker ran out of memory: ${reply.message}`) : new Error(`worker: ${reply.message}\n${reply.stack}`);
        return this.fail(error);
      }
      if (reply.type === 'progress') return this.onRound?.(reply.transitions, reply.pending);
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
  runLevel = (onRound: RoundProgress) => {
    this.onRound = onRound;
    return this.request<LevelRun>({ type: 'level' });
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

/** Start `count` shard workers, each rebuilding the recipe's system. */
export async function startWorkers(recipe: SystemRecipe, count: number): Promise<WorkerPool> {
  const stopFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(stopFlag);
  const mail = new SharedArrayBuffer(4 * count);
  const out: (MessagePort | null)[][] = Array.from({ length: count }, () => new Array<MessagePort | null>(count).fill(null));
  const into: (MessagePort | null)[][] = Array.from({ length: count }, () => new Array<MessagePort | null>(count).fill(null));
  for (let from = 0; from < count; from++) {
    for (let to = 0; to < count; to++) {
      if (from === to) continue;
      const channel = new MessageChannel();
      out[from][to] = channel.port1;
      into[to][from] = channel.port2;
    }
  }
  const shards = Array.from({ length: count }, (_, shard) => {
    const role: ShardRole = { kind: 'shard', shard, shards: count, stopFlag, mail, out: out[shard], in: into[shard] };
    const ports = [...out[shard], ...into[shard]].filter((p): p is MessagePort => p !== null);
    return new WorkerShard(startWorker(recipe, role, ports));
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
