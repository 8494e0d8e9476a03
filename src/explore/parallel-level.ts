// One level of the level engine on one shard, without a barrier between rounds: the shard expands
// its frontier round after round, accepting the successors it owns at once and handing every batch
// for another shard to `post` as soon as it is made. When its own expansion is done it absorbs what
// the others sent, sender by sender in shard order, each sender's messages in the order sent (one
// per round it ran, the last one marked), waiting only for messages not yet arrived. The order of
// acceptance (own successors, then sender 0's, sender 1's, ...) is therefore the same whatever the
// timing, and only the end of the level synchronizes shards. No I/O here: the
// caller supplies the transport (worker ports in src/workers/shard-worker.ts, queues in this thread in
// parallel-bfs.ts).
import type { Batch, Shard } from './parallel-shard.ts';

/** What one shard sends another after one round of a level. */
export interface LevelMessage<S> {
  readonly sender: number;
  /** The round's successors for the receiver, or null when there were none. */
  readonly batch: Batch<S> | null;
  /** True on the sender's last round of the level. */
  readonly last: boolean;
}

/** The other shards' messages of one level, absorbed sender by sender as they become available. */
export class Inbox<S> {
  private readonly queues: LevelMessage<S>[][];
  /** The sender whose messages are absorbed now; shards when all are done. */
  private sender: number;

  constructor(
    private readonly self: number,
    private readonly shards: number,
  ) {
    this.queues = Array.from({ length: shards }, () => []);
    this.sender = self === 0 ? 1 : 0;
  }

  put(message: LevelMessage<S>): void {
    this.queues[message.sender].push(message);
  }

  /** Absorb every message whose turn has come; true when every sender's last message is absorbed. */
  absorbReady(shard: Shard<S>): boolean {
    while (this.sender < this.shards) {
      const message = this.queues[this.sender].shift();
      if (message === undefined) return false;
      if (message.batch) shard.absorb([message.batch]);
      if (message.last) {
        this.sender++;
        if (this.sender === this.self) this.sender++;
      }
    }
    return true;
  }
}

/** How a shard talks to the others during a level. */
export interface LevelTransport<S> {
  /** Send `message` to shard `to` (never this shard); it is not touched afterwards. */
  post(to: number, message: LevelMessage<S>): void;
  /** Messages that have arrived since the last call. */
  receive(): LevelMessage<S>[];
  /** Wait until more may have arrived (or a while); may return at once. */
  wait(): void | Promise<void>;
}

export interface LevelRun {
  readonly transitions: number;
  /** True when a stop request abandoned the level. */
  readonly stopped: boolean;
}

/** Progress of a shard within a level: transitions so far and new states accepted so far. */
export type RoundProgress = (transitions: number, pending: number) => void;

/** Expand this shard's whole frontier and absorb the level's batches from every shard. */
export async function runShardLevel<S>(
  shard: Shard<S>,
  self: number,
  shards: number,
  transport: LevelTransport<S>,
  shouldStop: () => boolean,
  onRound?: RoundProgress,
): Promise<LevelRun> {
  const inbox = new Inbox<S>(self, shards);
  const take = () => {
    for (const m of transport.receive()) inbox.put(m);
  };
  let transitions = 0;
  for (;;) {
    const r = shard.expandRound(shouldStop);
    if (r.stopped) return { transitions, stopped: true };
    transitions += r.transitions;
    for (let d = 0; d < shards; d++) if (d !== self) transport.post(d, { sender: self, batch: r.batches[d] ?? null, last: r.finished });
    onRound?.(transitions, r.pending);
    if (r.finished) break;
  }
  for (;;) {
    take();
    if (inbox.absorbReady(shard)) return { transitions, stopped: false };
    if (shouldStop()) return { transitions, stopped: true };
    await transport.wait();
  }
}
