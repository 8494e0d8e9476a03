// Known-answer histories: the textbook examples, pending operations, equal times, keys, budgets and
// what a failure's explanation says.
import { describe, expect, it } from 'vitest';
import { checkLinearizability, formatExplanation, renderFailureTimeline, type History } from '../../src/linearizability/index.ts';
import { cas, history, read, write } from './helpers.ts';

const verdict = (h: History, initial?: number | null) => checkLinearizability(h, { initial }).result;

describe('textbook register histories', () => {
  it('a read after a completed write sees it', () => {
    expect(verdict(history('register', [write(0, 0, 1, 1), read(1, 2, 3, 1)]), 0)).toBe('linearizable');
    expect(verdict(history('register', [write(0, 0, 1, 1), read(1, 2, 3, 0)]), 0)).toBe('not-linearizable');
  });

  it('a read overlapping a write may see either value', () => {
    expect(verdict(history('register', [write(0, 0, 10, 1), read(1, 2, 3, 0)]), 0)).toBe('linearizable');
    expect(verdict(history('register', [write(0, 0, 10, 1), read(1, 2, 3, 1)]), 0)).toBe('linearizable');
  });

  // Herlihy & Shavit, The Art of Multiprocessor Programming, ch. 3: sequentially consistent (move
  // B's write first) but not linearizable, because B's write falls between A's write and read.
  it('rejects the sequentially consistent but not linearizable history', () => {
    const h = history('register', [write(0, 0, 1, 1), write(1, 2, 3, 2), read(0, 4, 5, 1)]);
    expect(verdict(h, 0)).toBe('not-linearizable');
  });

  // Lamport (1986), On interprocess communication: a regular register may show new-old inversion
  // (a read sees the new value, a later read the old one, both overlapping one write); an atomic
  // (linearizable) register may not.
  it('rejects new-old inversion during one slow write, and accepts old-new', () => {
    const inversion = history('register', [write(0, 0, 10, 1), read(1, 1, 2, 1), read(1, 3, 4, 0)]);
    expect(verdict(inversion, 0)).toBe('not-linearizable');
    const oldThenNew = history('register', [write(0, 0, 10, 1), read(1, 1, 2, 0), read(1, 3, 4, 1)]);
    expect(verdict(oldThenNew, 0)).toBe('linearizable');
  });

  it('two concurrent writes may land in either order, but every reader sees the same order', () => {
    const agree = history('register', [write(0, 0, 5, 1), write(1, 0, 5, 2), read(2, 6, 7, 1), read(3, 8, 9, 1)]);
    expect(verdict(agree)).toBe('linearizable');
    const disagree = history('register', [write(0, 0, 5, 1), write(1, 0, 5, 2), read(2, 6, 7, 1), read(3, 8, 9, 2)]);
    expect(verdict(disagree)).toBe('not-linearizable');
  });

  it('operations touching at one instant overlap (a call at the time of a return)', () => {
    // The read is called at 5, when the write returns: it may still precede the write.
    expect(verdict(history('register', [write(0, 0, 5, 1), read(1, 5, 6, null)]))).toBe('linearizable');
    expect(verdict(history('register', [write(0, 0, 5, 1), read(1, 6, 7, null)]))).toBe('not-linearizable');
  });

  it('a register starts as null unless an initial value is given', () => {
    expect(verdict(history('register', [read(0, 0, 1, null)]))).toBe('linearizable');
    expect(verdict(history('register', [read(0, 0, 1, 0)]))).toBe('not-linearizable');
    expect(verdict(history('register', [read(0, 0, 1, 0)]), 0)).toBe('linearizable');
  });
});

describe('compare-and-set', () => {
  it('a successful cas needs the value it compared; a failed one needs another', () => {
    expect(verdict(history('cas-register', [cas(0, 0, 1, 0, 1, true), read(1, 2, 3, 1)]), 0)).toBe('linearizable');
    expect(verdict(history('cas-register', [cas(0, 0, 1, 5, 1, true)]), 0)).toBe('not-linearizable');
    expect(verdict(history('cas-register', [cas(0, 0, 1, 0, 1, false)]), 0)).toBe('not-linearizable');
    expect(verdict(history('cas-register', [cas(0, 0, 1, 5, 1, false), read(1, 2, 3, 0)]), 0)).toBe('linearizable');
  });

  it('two concurrent cas from the same value cannot both succeed', () => {
    const both = history('cas-register', [cas(0, 0, 5, 0, 1, true), cas(1, 0, 5, 0, 2, true)]);
    expect(verdict(both, 0)).toBe('not-linearizable');
    const one = history('cas-register', [cas(0, 0, 5, 0, 1, true), cas(1, 0, 5, 0, 2, false)]);
    expect(verdict(one, 0)).toBe('linearizable');
  });
});

describe('pending operations', () => {
  it('a pending write may have taken effect', () => {
    expect(verdict(history('register', [write(0, 0, null, 1), read(1, 5, 6, 1)]), 0)).toBe('linearizable');
  });

  it('a pending write may not have taken effect', () => {
    expect(verdict(history('register', [write(0, 0, null, 1), read(1, 5, 6, 0), read(1, 7, 8, 0)]), 0)).toBe('linearizable');
  });

  it('but not both: once seen, it stays', () => {
    expect(verdict(history('register', [write(0, 0, null, 1), read(1, 5, 6, 1), read(1, 7, 8, 0)]), 0)).toBe('not-linearizable');
  });

  it('a pending write cannot take effect before it was called', () => {
    expect(verdict(history('register', [read(1, 0, 1, 1), write(0, 2, null, 1)]), 0)).toBe('not-linearizable');
  });

  it('a pending write can explain a failed cas', () => {
    // Only the pending write of 7 makes the value differ from 0 when the cas compares.
    const h = history('cas-register', [write(0, 0, null, 7), cas(1, 2, 3, 0, 1, false)]);
    expect(verdict(h, 0)).toBe('linearizable');
    expect(verdict(history('cas-register', [cas(1, 2, 3, 0, 1, false)]), 0)).toBe('not-linearizable');
  });

  it('a pending cas that fired explains a later read', () => {
    const h = history('cas-register', [write(0, 0, null, 3), cas(1, 1, null, 3, 2, null), read(2, 5, 6, 2)]);
    expect(verdict(h, 0)).toBe('linearizable');
  });

  it('pending reads are not searched; pending writes nothing observes are not either', () => {
    const h = history('register', [read(0, 0, null, null), write(1, 0, null, 9), write(2, 1, 2, 1), read(3, 3, 4, 1)]);
    const r = checkLinearizability(h);
    expect(r).toMatchObject({ result: 'linearizable', operations: 4, searched: 2 });
  });
});

describe('keys are independent objects', () => {
  it('splits kv histories by key and checks each', () => {
    const h = history('kv', [
      { client: 0, call: 0, return: 1, op: 'put', key: 'a', input: 'x' },
      { client: 1, call: 0, return: 1, op: 'append', key: 'b', input: 'y' },
      { client: 2, call: 2, return: 3, op: 'get', key: 'a', output: 'x' },
      { client: 3, call: 2, return: 3, op: 'get', key: 'b', output: 'y' },
      { client: 4, call: 4, return: 5, op: 'append', key: 'a', input: 'z' },
      { client: 5, call: 6, return: 7, op: 'get', key: 'a', output: 'xz' },
    ]);
    const r = checkLinearizability(h);
    expect(r).toMatchObject({ result: 'linearizable', partitions: 2 });
    expect(r.linearization!.get('a')).toEqual([0, 2, 4, 5]);
  });

  it('names the key whose history fails', () => {
    const h = history('kv', [
      { client: 0, call: 0, return: 1, op: 'put', key: 'a', input: 'x' },
      { client: 1, call: 2, return: 3, op: 'get', key: 'b', output: 'x' },
    ]);
    const r = checkLinearizability(h);
    expect(r.result).toBe('not-linearizable');
    expect(r.explanation!.key).toBe('b');
  });

  it('a kv key starts as the empty string and append concatenates', () => {
    const h = history('kv', [
      { client: 0, call: 0, return: 1, op: 'get', key: 'k', output: '' },
      { client: 0, call: 2, return: 3, op: 'append', key: 'k', input: 'ab' },
      { client: 0, call: 4, return: 5, op: 'append', key: 'k', input: 'c' },
      { client: 1, call: 6, return: 7, op: 'get', key: 'k', output: 'abc' },
      { client: 1, call: 8, return: 9, op: 'cas', key: 'k', input: { from: 'abc', to: 'd' }, output: true },
      { client: 1, call: 10, return: 11, op: 'get', key: 'k', output: 'd' },
    ]);
    expect(verdict(h)).toBe('linearizable');
  });
});

describe('explanations', () => {
  // Knossos' rethink-fail-minimal, written out: 0 is written; a read concurrent with a write of 4
  // returns 3, which nobody wrote.
  const h = history('cas-register', [write(0, 0, 1, 0), read(1, 2, 4, 3), write(2, 3, 5, 4), read(3, 6, 7, 4)]);

  it('gives the longest linearisable prefix and the operation that cannot be placed, with times', () => {
    const r = checkLinearizability(h, { initial: 0 });
    expect(r.result).toBe('not-linearizable');
    const e = r.explanation!;
    expect(e.prefix.map((p) => p.operation.index)).toEqual([0, 2]);
    expect(e.mustPlace.index).toBe(1);
    expect(e.blocked).toEqual([{ operation: h.operations[1], reason: 'read returned 3 but the register holds 4' }]);
    const text = formatExplanation(e);
    expect(text).toContain('#1 client 1 read -> 3 [2, 4] had to take effect by time 4');
  });

  it('draws the failure as a timeline per client', () => {
    const e = checkLinearizability(h, { initial: 0 }).explanation!;
    const lines = renderFailureTimeline(e).split('\n');
    expect(lines).toContain('client 1');
    expect(lines.find((l) => l.includes('read -> 3'))).toMatch(/#1 +\|-+\| +read -> 3 \[2, 4\] +cannot come next: read returned 3 but the register holds 4; had to take effect by 4/);
    expect(lines.find((l) => l.includes('write 4'))).toMatch(/linearised 2 \(last\)/);
  });
});

describe('budgets', () => {
  // Five concurrent writes, then a read no order explains: the search must try every subset.
  const hard = history('register', [...[1, 2, 3, 4, 5].map((v, i) => write(i, 0, 10, v)), read(9, 11, 12, 7)]);

  it('answers unknown, never a wrong verdict, when the step budget runs out', () => {
    expect(checkLinearizability(hard).result).toBe('not-linearizable');
    const r = checkLinearizability(hard, { maxSteps: 10 });
    expect(r).toMatchObject({ result: 'unknown', reason: 'step budget of 10 spec applications spent' });
  });

  it('answers unknown when the injected clock passes the time limit', () => {
    let now = 0;
    const clock = () => (now += 1000);
    const big = history('register', [...Array.from({ length: 14 }, (_, i) => write(i, 0, 10, i + 1)), read(20, 11, 12, 99)]);
    const r = checkLinearizability(big, { timeLimitMs: 5000, now: clock });
    expect(r).toMatchObject({ result: 'unknown', reason: 'time limit reached' });
  });

  it('is deterministic: the same history gives the same steps and linearisation', () => {
    const ok = history('register', [...[1, 2, 3, 4, 5].map((v, i) => write(i, 0, 10, v)), read(9, 11, 12, 3)]);
    const a = checkLinearizability(ok);
    const b = checkLinearizability(ok);
    expect(a.result).toBe('linearizable');
    expect(a.steps).toBe(b.steps);
    expect(a.linearization).toEqual(b.linearization);
  });
});
