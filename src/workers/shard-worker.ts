// One shard of the level engine in a worker thread of the pool: the worker has built the system
// (worker.ts); this answers the coordinator's requests in order (shards.ts). It stops expanding
// when the shared stop flag is set (signals, time and memory limits are watched by the main thread)
// or when its own heap nears its limit.
import { getHeapStatistics } from 'node:v8';
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import type { TransitionSystem } from '../model/system.ts';
import { rebuilder } from '../explore/parallel-bfs.ts';
import { runShardLevel, type LevelMessage, type LevelTransport } from '../explore/parallel-level.ts';
import { Shard } from '../explore/parallel-shard.ts';
import type { ShardRole, WorkerReply, WorkerRequest } from './shards.ts';

/** Share of the worker's V8 heap limit at which it asks the run to stop. */
const HEAP_FRACTION_MAX = 0.85;
/** Value the worker stores in the stop flag when its own heap is the reason. */
export const STOP_BY_WORKER_HEAP = 2;
/** How long a worker waiting for batches sleeps at most before it looks at the stop flag again. */
const WAIT_MS_MAX = 50;

/** Batches go straight to the other workers; a sender bumps the receiver's counter and wakes it. */
function transportOf(data: ShardRole): LevelTransport<unknown> {
  const mail = new Int32Array(data.mail);
  let seen = 0;
  return {
    post(to, message) {
      data.out[to]!.postMessage(message, message.batch ? [message.batch.data.buffer as ArrayBuffer] : []);
      Atomics.add(mail, to, 1);
      Atomics.notify(mail, to);
    },
    receive() {
      // Read the counter before looking, so a message sent after the look changes it and `wait`
      // returns at once.
      seen = Atomics.load(mail, data.shard);
      const got: LevelMessage<unknown>[] = [];
      for (const p of data.in) {
        if (p === null) continue;
        for (let m = receiveMessageOnPort(p); m !== undefined; m = receiveMessageOnPort(p)) got.push(m.message as LevelMessage<unknown>);
      }
      return got;
    },
    wait() {
      Atomics.wait(mail, data.shard, seen, WAIT_MS_MAX);
    },
  };
}

/** Serve the coordinator's requests for shard `data.shard` of `system`, until terminated. */
export function serveShard(system: TransitionSystem<unknown>, data: ShardRole): void {
  const port = parentPort!;
  const shard = new Shard<unknown>(system, data.shard, data.shards);
  const flag = new Int32Array(data.stopFlag);
  const heapLimit = getHeapStatistics().heap_size_limit * HEAP_FRACTION_MAX;
  const transport = transportOf(data);

  const shouldStop = (): boolean => {
    if (Atomics.load(flag, 0) !== 0) return true;
    if (getHeapStatistics().used_heap_size > heapLimit) {
      Atomics.compareExchange(flag, 0, 0, STOP_BY_WORKER_HEAP);
      return true;
    }
    return false;
  };
  const reply = (value: unknown, transfer: ArrayBuffer[] = []): void => port.postMessage({ type: 'ok', value } satisfies WorkerReply, transfer);
  const fail = (error: unknown): void => {
    const e = error as Error;
    const outOfMemory = e instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(e.message);
    port.postMessage({ type: 'error', message: e.message, stack: e.stack ?? '', outOfMemory } satisfies WorkerReply);
  };

  const handle = (request: WorkerRequest): void => {
    switch (request.type) {
      case 'seed':
        shard.seed();
        return reply(null);
      case 'restore':
        shard.restore(request.from, request.links ? rebuilder(system, request.links) : null);
        return reply(null);
      case 'level': {
        const progress = (transitions: number, pending: number) => port.postMessage({ type: 'progress', transitions, pending } satisfies WorkerReply);
        runShardLevel(shard, data.shard, data.shards, transport, shouldStop, progress).then(reply, fail);
        return;
      }
      case 'end': {
        const report = shard.endLevel();
        return reply(report, [report.parents.buffer as ArrayBuffer, report.events.buffer as ArrayBuffer]);
      }
      case 'commit':
        shard.commit(request.base);
        return reply(null);
      case 'snapshot': {
        const snap = shard.snapshot();
        const transfer = [snap.fingerprints.buffer, snap.ordinals.buffer, ...(snap.words ? [snap.words.buffer] : [])] as ArrayBuffer[];
        return reply(snap, transfer);
      }
    }
  };

  port.on('message', (request: WorkerRequest) => {
    try {
      handle(request);
    } catch (error) {
      fail(error);
    }
  });
  port.postMessage({ type: 'ok', value: 'ready' } satisfies WorkerReply);
}
