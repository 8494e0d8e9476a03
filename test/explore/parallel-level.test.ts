// The inbox of a level (src/explore/parallel-level.ts): whatever the timing (the interleaving of
// the senders' messages and the moments the owner looks), batches are absorbed sender by sender in
// shard order, each sender's in the order sent, and the level ends exactly after every sender's
// last message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Inbox, type LevelMessage } from '../../src/explore/parallel-level.ts';
import type { Batch, Shard } from '../../src/explore/parallel-shard.ts';

/** A batch that names its sender and round in its one data word. */
const batchOf = (sender: number, round: number): Batch<unknown> => ({
  sender,
  count: 1,
  data: Uint32Array.of(1000 * sender + round),
  states: null,
  dictionary: null,
});

/** A stand-in for a shard that records what it absorbs. */
function recorder(): { shard: Shard<unknown>; absorbed: number[] } {
  const absorbed: number[] = [];
  const shard = { absorb: (batches: Batch<unknown>[]) => batches.forEach((b) => absorbed.push(b.data[0])) } as unknown as Shard<unknown>;
  return { shard, absorbed };
}

/** Every sender's messages: `rounds[s]` rounds, some without a batch, the last one marked. */
function messagesOf(rounds: number[], empty: boolean[][]): LevelMessage<unknown>[][] {
  return rounds.map((n, sender) =>
    Array.from({ length: n }, (_, round) => ({ sender, batch: empty[sender]?.[round] ? null : batchOf(sender, round), last: round === n - 1 })),
  );
}

describe('the inbox of a level', () => {
  it('absorbs sender by sender, each in round order, whatever the arrival order and the moments it looks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }).chain((shards) =>
          fc.record({
            shards: fc.constant(shards),
            self: fc.nat({ max: shards - 1 }),
            rounds: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: shards, maxLength: shards }),
            empty: fc.array(fc.array(fc.boolean(), { maxLength: 4 }), { minLength: shards, maxLength: shards }),
            arrival: fc.array(fc.nat(), { maxLength: 40 }),
            looks: fc.array(fc.boolean(), { maxLength: 40 }),
          }),
        ),
        ({ shards, self, rounds, empty, arrival, looks }) => {
          const queues = messagesOf(rounds, empty).map((q, s) => (s === self ? [] : q));
          const expected = queues.flatMap((q) => q.flatMap((m) => (m.batch ? [m.batch.data[0]] : [])));
          const { shard, absorbed } = recorder();
          const inbox = new Inbox<unknown>(self, shards);
          let step = 0;
          // Deliver one message at a time from a sender chosen by `arrival` (each sender's in order).
          while (queues.some((q) => q.length > 0)) {
            const open = queues.map((q, s) => (q.length > 0 ? s : -1)).filter((s) => s >= 0);
            const s = open[(arrival[step] ?? 0) % open.length];
            inbox.put(queues[s].shift()!);
            if (looks[step] ?? false) expect(inbox.absorbReady(shard)).toBe(queues.every((q) => q.length === 0));
            step++;
          }
          expect(inbox.absorbReady(shard)).toBe(true);
          expect(absorbed).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is not done before the last message of every other sender', () => {
    const { shard } = recorder();
    const inbox = new Inbox<unknown>(1, 3);
    inbox.put({ sender: 0, batch: batchOf(0, 0), last: true });
    inbox.put({ sender: 2, batch: batchOf(2, 0), last: false });
    expect(inbox.absorbReady(shard)).toBe(false);
    inbox.put({ sender: 2, batch: null, last: true });
    expect(inbox.absorbReady(shard)).toBe(true);
  });
});
