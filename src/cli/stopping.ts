// Stopping well: SIGINT and SIGTERM end a long command with its partial result (exit 3), and a
// second one exits at once. A search in this thread holds the event loop, so a `process.on('SIGINT')`
// handler here would only run once the search ended. Instead a tiny worker thread watches the two
// signals (libuv delivers a signal to every loop that watches it) and, on the first, writes its
// number into a SharedArrayBuffer; the search's `signal.aborted` is an `Atomics.load` of that word,
// read at the polling points every strategy already has (explore/control.ts). On the second signal
// the worker stops watching and raises it again, which ends the process as the signal does.
//
// Node offers no public signal API in worker threads; the worker uses the `signal_wrap` binding
// (what `process.on('SIGINT')` uses inside). Where that is not available, this thread's own
// handlers do the same work, heard whenever the run yields (worker threads, checkpoints).
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { constants } from 'node:os';
import type { CancelSignal } from '../api/strategies.ts';

const WATCHED = ['SIGINT', 'SIGTERM'] as const;

/** The watcher: CommonJS evaluated in a worker thread; posts {watching} once its handles are started. */
const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.flag);
const handles = [];
let watching = false;
try {
  process.noDeprecation = true;
  const { Signal } = process.binding('signal_wrap');
  for (const signum of workerData.signals) {
    const handle = new Signal();
    handle.onsignal = (n) => {
      if (Atomics.compareExchange(flag, 0, 0, n) === 0) {
        parentPort.postMessage({ signal: n });
        return;
      }
      for (const h of handles) h.close();
      process.kill(process.pid, n);
    };
    if (handle.start(signum) !== 0) throw new Error('cannot watch signal ' + signum);
    handles.push(handle);
  }
  watching = true;
} catch {
  for (const h of handles) h.close();
}
parentPort.postMessage({ watching });
if (!watching) process.exit(0);
`;

export interface Stopping {
  /** Aborted once SIGINT or SIGTERM arrived: readable from a search that holds the event loop. */
  readonly signal: CancelSignal;
  /** Stop watching (the signals' default action is restored). */
  dispose(): Promise<void>;
}

const nameOf = (signum: number): string => WATCHED.find((s) => constants.signals[s] === signum) ?? `signal ${signum}`;

/** Watch SIGINT and SIGTERM for the length of one run; `onFirst` is told (on this thread's loop) when one arrives. */
export async function startStopping(onFirst: (signal: string) => void = () => {}): Promise<Stopping> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const signal: CancelSignal = {
    get aborted() {
      return Atomics.load(flag, 0) !== 0;
    },
    get reason() {
      const n = Atomics.load(flag, 0);
      return n === 0 ? undefined : `interrupted (${nameOf(n)})`;
    },
  };
  const worker = new Worker(WATCHER, { eval: true, workerData: { flag: flag.buffer, signals: WATCHED.map((s) => constants.signals[s]) } });
  const [first] = (await once(worker, 'message')) as [{ watching: boolean }];
  if (first.watching) {
    worker.on('message', (m: { signal?: number }) => m.signal !== undefined && onFirst(nameOf(m.signal)));
    worker.unref();
    return { signal, dispose: async () => void (await worker.terminate()) };
  }
  // Fallback: this thread's handlers, heard whenever the run yields.
  const onSignal = (name: NodeJS.Signals): void => {
    if (Atomics.compareExchange(flag, 0, 0, constants.signals[name]) === 0) return onFirst(name);
    for (const s of WATCHED) process.off(s, onSignal);
    process.kill(process.pid, name);
  };
  for (const s of WATCHED) process.on(s, onSignal);
  return { signal, dispose: async () => WATCHED.forEach((s) => process.off(s, onSignal)) };
}

/** Run `run` with SIGINT and SIGTERM stopping it (a note on stderr says how to exit at once). */
export async function stoppable<T>(run: (signal: CancelSignal) => Promise<T>): Promise<T> {
  const stopping = await startStopping((name) => process.stderr.write(`\nordeal: ${name}: stopping with the partial result (send it again to exit at once)\n`));
  try {
    return await run(stopping.signal);
  } finally {
    await stopping.dispose();
  }
}
