// Properties of the checker on generated histories, and agreement with a brute-force reference
// (every order of every subset of pending operations) on small random histories.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  generateHistory,
  injectLostWrite,
  injectStaleRead,
  SPECS,
  type History,
  type Operation,
  type SpecName,
  type Value,
} from '../../src/linearizability/index.ts';

// One fixed fast-check seed, so every run explores the same histories. With a fresh seed per run,
// about one kv history in 300 with 20% pending operations (e.g. generateHistory seed 25, 6 clients,
// 86 operations) needs more than 2 M search steps, and the unbudgeted check then ran a vitest
// worker out of memory in CI (today the default memory bound would end it as unknown instead; see
// docs/linearizability.md).
fc.configureGlobal({ seed: 20261128 });

const specs: SpecName[] = ['register', 'cas-register', 'kv'];

/** An independent check that `order` (per key) is a valid linearisation of `history`. */
function isValidLinearization(history: History, order: ReadonlyMap<string | null, readonly number[]>, initial?: Value): boolean {
  const spec = SPECS[history.spec];
  const placed = new Set<number>();
  for (const [, indices] of order) {
    let state: Value = spec.initialState(initial);
    for (let i = 0; i < indices.length; i++) {
      const op = history.operations[indices[i]];
      // No later-placed operation may have returned before this one was called.
      if (indices.slice(i + 1).some((j) => history.operations[j].return !== null && history.operations[j].return! < op.call)) return false;
      const after = spec.apply(state, op);
      if (after === undefined) return false;
      state = after;
      placed.add(op.index);
    }
  }
  return history.operations.every((op) => op.return === null || placed.has(op.index));
}

/** Brute force: some order of the completed operations plus some subset of the pending ones. */
function bruteForce(history: History, initial: Value): boolean {
  const spec = SPECS[history.spec];
  const ops = history.operations;
  const used = new Array<boolean>(ops.length).fill(false);
  const search = (state: Value, placedCompleted: number, completed: number): boolean => {
    if (placedCompleted === completed) return true;
    for (const op of ops) {
      if (used[op.index]) continue;
      // Every unplaced completed operation that returned before op's call must come first.
      if (ops.some((o) => !used[o.index] && o !== op && o.return !== null && o.return < op.call)) continue;
      const after = spec.apply(state, op);
      if (after === undefined) continue;
      used[op.index] = true;
      const ok = search(after, placedCompleted + (op.return === null ? 0 : 1), completed);
      used[op.index] = false;
      if (ok) return true;
    }
    return false;
  };
  return search(initial, 0, ops.filter((o) => o.return !== null).length);
}

/** Small random register histories over few values, with random (often wrong) outputs. */
const smallHistory = fc
  .array(
    fc.record({
      client: fc.integer({ min: 0, max: 3 }),
      call: fc.integer({ min: 0, max: 12 }),
      length: fc.integer({ min: 0, max: 6 }),
      kind: fc.constantFrom('read', 'write', 'cas-ok', 'cas-fail'),
      a: fc.integer({ min: 0, max: 2 }),
      b: fc.integer({ min: 0, max: 2 }),
      isPending: fc.integer({ min: 0, max: 4 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((rows): History => ({
    spec: 'cas-register',
    operations: rows.map((r, index): Operation => {
      const ret = r.isPending === 0 ? null : r.call + r.length;
      const base = { index, client: r.client, call: r.call, return: ret, key: null };
      if (r.kind === 'read') return { ...base, op: 'read', input: null, output: ret === null ? null : r.a };
      if (r.kind === 'write') return { ...base, op: 'write', input: r.a, output: null };
      return { ...base, op: 'cas', input: { from: r.a, to: r.b }, output: ret === null ? null : r.kind === 'cas-ok' };
    }),
  }));

/** Small random kv histories on one key over a tiny alphabet, so appends and puts collide. */
const smallKvHistory = fc
  .array(
    fc.record({
      client: fc.integer({ min: 0, max: 3 }),
      call: fc.integer({ min: 0, max: 12 }),
      length: fc.integer({ min: 0, max: 6 }),
      kind: fc.constantFrom('get', 'put', 'append', 'cas-ok', 'cas-fail'),
      a: fc.constantFrom('', 'x', 'y', 'xy', 'yx'),
      b: fc.constantFrom('x', 'y', 'xy'),
      isPending: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((rows): History => ({
    spec: 'kv',
    operations: rows.map((r, index): Operation => {
      const ret = r.isPending === 0 ? null : r.call + r.length;
      const base = { index, client: r.client, call: r.call, return: ret, key: 'k' };
      if (r.kind === 'get') return { ...base, op: 'get', input: null, output: ret === null ? null : r.a };
      if (r.kind === 'put' || r.kind === 'append') return { ...base, op: r.kind, input: r.b, output: null };
      return { ...base, op: 'cas', input: { from: r.a, to: r.b }, output: ret === null ? null : r.kind === 'cas-ok' };
    }),
  }));

describe('generated histories', () => {
  it('a history run one operation at a time with random overlaps is linearizable, with a valid order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 120 }), fc.integer(), (spec, clients, operations, seed) => {
        const { history } = generateHistory({ spec, clients, operations, seed, keys: 3 });
        const r = checkLinearizability(history);
        expect(r.result).toBe('linearizable');
        expect(isValidLinearization(history, r.linearization!)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('pending operations (taken effect or not) keep it linearizable', () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 120 }), fc.integer(), (spec, clients, operations, seed) => {
        const { history } = generateHistory({ spec, clients, operations, seed, keys: 2, pendingProbability: 0.2 });
        expect(checkLinearizability(history).result).toBe('linearizable');
      }),
      { numRuns: 150 },
    );
  });

  it('turning any completed write into a pending one (:info) keeps it linearizable', () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.integer({ min: 1, max: 80 }), fc.integer(), fc.nat(), (spec, operations, seed, pick) => {
        const { history } = generateHistory({ spec, clients: 5, operations, seed, keys: 2 });
        const writes = history.operations.filter((op) => op.op !== 'read' && op.op !== 'get');
        fc.pre(writes.length > 0);
        const target = writes[pick % writes.length].index;
        const info: History = { ...history, operations: history.operations.map((op) => (op.index === target ? { ...op, return: null, output: null } : op)) };
        expect(checkLinearizability(info).result).toBe('linearizable');
      }),
      { numRuns: 150 },
    );
  });

  it('injecting a stale read makes it not linearizable, and the explanation names a completed operation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.integer({ min: 10, max: 150 }), fc.integer(), fc.integer(), (spec, operations, seed, mutationSeed) => {
        const generated = generateHistory({ spec, clients: 6, operations, seed, keys: 2, pendingProbability: 0.05 });
        const stale = injectStaleRead(generated, mutationSeed);
        fc.pre(stale !== null);
        const r = checkLinearizability(stale!.history);
        expect(r.result).toBe('not-linearizable');
        expect(r.explanation!.mustPlace.return).not.toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('injecting a lost write makes it not linearizable', () => {
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.integer({ min: 10, max: 150 }), fc.integer(), fc.integer(), (spec, operations, seed, mutationSeed) => {
        const generated = generateHistory({ spec, clients: 6, operations, seed, keys: 2, pendingProbability: 0.05 });
        const lost = injectLostWrite(generated, mutationSeed);
        fc.pre(lost !== null);
        expect(checkLinearizability(lost!.history).result).toBe('not-linearizable');
      }),
      { numRuns: 150 },
    );
  });
});

describe('agreement with brute force', () => {
  it('gives the same verdict as trying every order on small random cas-register histories', () => {
    fc.assert(
      fc.property(smallHistory, fc.constantFrom<Value>(0, null), (history, initial) => {
        const expected = bruteForce(history, initial) ? 'linearizable' : 'not-linearizable';
        const r = checkLinearizability(history, { initial });
        expect(r.result).toBe(expected);
        if (r.linearization) expect(isValidLinearization(history, r.linearization, initial)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same verdict as trying every order on small random kv histories', () => {
    fc.assert(
      fc.property(smallKvHistory, (history) => {
        const expected = bruteForce(history, '') ? 'linearizable' : 'not-linearizable';
        const r = checkLinearizability(history);
        expect(r.result).toBe(expected);
        if (r.linearization) expect(isValidLinearization(history, r.linearization)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
