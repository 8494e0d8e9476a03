// The znode spec: known answers on small hand-made histories, the JSON format, generated histories
// (linearizable by construction; a stale getData makes them not) and the CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  formatExplanation,
  generateHistory,
  historyFromJson,
  HistoryError,
  historyToJson,
  injectStaleRead,
  SPECS,
  type History,
  type Value,
} from '../../src/linearizability/index.ts';

/** [client, call, return, op, input, output] rows in ordeal's JSON operation form. */
type Row = [client: number, call: number, ret: number | null, op: string, input: unknown, output?: unknown];
const json = (rows: readonly Row[]) => ({
  spec: 'znode',
  operations: rows.map(([client, call, ret, op, input, output]) => ({ client, call, return: ret, op, input, ...(output === undefined ? {} : { output }) })),
});
const znode = (rows: readonly Row[]): History => historyFromJson(json(rows));
const verdict = (rows: readonly Row[]) => checkLinearizability(znode(rows)).result;

describe('znode spec: known answers', () => {
  it('a sequential run of every operation, with the replies ZooKeeper gives, is linearizable', () => {
    const rows: Row[] = [
      [0, 0, 1, 'getData', '/', ''],
      [0, 2, 3, 'create', { path: '/a/b', data: 'x' }, 'NoNode'],
      [0, 4, 5, 'create', { path: '/a', data: 'x' }, '/a'],
      [0, 6, 7, 'create', { path: '/a', data: 'y' }, 'NodeExists'],
      [0, 8, 9, 'setData', { path: '/a', data: 'y' }, 1],
      [0, 10, 11, 'setData', { path: '/a', data: 'z', version: 0 }, 'BadVersion'],
      [0, 12, 13, 'setData', { path: '/a', data: 'z', version: 1 }, 2],
      [0, 14, 15, 'create', { path: '/a/q-', data: '', sequential: true }, '/a/q-0000000000'],
      [0, 16, 17, 'create', { path: '/a/q-', data: '', sequential: true }, '/a/q-0000000001'],
      [0, 18, 19, 'delete', '/a', 'NotEmpty'],
      [0, 20, 21, 'delete', { path: '/a/q-0000000000', version: 3 }, 'BadVersion'],
      [0, 22, 23, 'delete', '/a/q-0000000000', true],
      // cversion counts deletes as well as creates: the next sequential child is number 3.
      [0, 24, 25, 'create', { path: '/a/q-', data: '', sequential: true }, '/a/q-0000000003'],
      [0, 26, 27, 'getData', '/a', 'z'],
      [0, 28, 29, 'getData', '/b', 'NoNode'],
      [0, 30, 31, 'delete', '/b', 'NoNode'],
    ];
    expect(verdict(rows)).toBe('linearizable');
    // Each reply matters: change one and it is not.
    const replying = (i: number, output: unknown) => rows.map((r, j): Row => (j === i ? [r[0], r[1], r[2], r[3], r[4], output] : r));
    expect(verdict(replying(12, '/a/q-0000000002'))).toBe('not-linearizable');
    expect(verdict(replying(9, true))).toBe('not-linearizable');
  });

  it('concurrent operations are linearizable when some order explains the replies', () => {
    expect(
      verdict([
        [0, 0, 10, 'create', { path: '/a', data: 'x' }, '/a'],
        [1, 1, 9, 'getData', '/a', 'NoNode'], // before the create
        [2, 2, 8, 'getData', '/a', 'x'], // after it
        [3, 3, 11, 'setData', { path: '/a', data: 'y', version: 0 }, 1],
        [1, 12, 13, 'getData', '/a', 'y'],
      ]),
    ).toBe('linearizable');
  });

  it('a stale getData after a setData that completed before it is not linearizable', () => {
    const rows: Row[] = [
      [0, 0, 1, 'create', { path: '/a', data: 'old' }, '/a'],
      [0, 2, 3, 'setData', { path: '/a', data: 'new' }, 1],
      [1, 4, 5, 'getData', '/a', 'old'],
    ];
    const r = checkLinearizability(znode(rows));
    expect(r.result).toBe('not-linearizable');
    expect(r.partitions).toBe(1);
    expect(r.explanation!.mustPlace.index).toBe(2);
    const text = formatExplanation(r.explanation!);
    expect(text).toContain('getData /a -> "old" [4, 5]: getData returned "old" but the tree replies "new"');
    expect(text).toContain('State after it: {"/":["",0,1],"/a":["new",1,0]}');
    // Overlapping the setData instead, the read may come first.
    expect(verdict(rows.map((r, i) => (i === 2 ? [1, 3, 5, 'getData', '/a', 'old'] as Row : r)))).toBe('linearizable');
  });

  it('two concurrent creates of one path that both succeed are not linearizable', () => {
    const both: Row[] = [
      [0, 0, 5, 'create', { path: '/lock', data: 'c0' }, '/lock'],
      [1, 1, 6, 'create', { path: '/lock', data: 'c1' }, '/lock'],
    ];
    expect(verdict(both)).toBe('not-linearizable');
    expect(verdict([both[0], [1, 1, 6, 'create', { path: '/lock', data: 'c1' }, 'NodeExists']])).toBe('linearizable');
    // A delete between them (concurrent with both) makes two successes possible.
    expect(verdict([...both, [2, 2, 4, 'delete', '/lock', true]])).toBe('linearizable');
  });

  it('a sequential name that skips a counter value needs an operation to explain the gap', () => {
    const rows: Row[] = [
      [0, 0, 1, 'create', { path: '/q-', data: '', sequential: true }, '/q-0000000000'],
      [0, 2, 3, 'create', { path: '/q-', data: '', sequential: true }, '/q-0000000002'],
    ];
    expect(verdict(rows)).toBe('not-linearizable');
    // A pending create under / (no reply seen) may have taken number 1.
    expect(verdict([...rows, [1, 0, null, 'create', { path: '/other', data: '' }]])).toBe('linearizable');
    // A pending one that could only have started after the second create returned cannot.
    expect(verdict([...rows, [1, 4, null, 'create', { path: '/other', data: '' }]])).toBe('not-linearizable');
    // A create under another parent does not move /'s counter.
    expect(verdict([[1, 0, 1, 'create', { path: '/other', data: '' }, '/other'], [1, 2, 3, 'create', { path: '/other/x', data: '' }, '/other/x'], ...rows.map((r) => [r[0], r[1] + 4, (r[2] as number) + 4, r[3], r[4], r[5]] as Row)])).toBe('not-linearizable');
  });

  it('a failed create leaves the counter alone; a failed delete leaves the tree alone', () => {
    expect(
      verdict([
        [0, 0, 1, 'create', { path: '/a/b', data: '' }, 'NoNode'],
        [0, 2, 3, 'delete', '/a', 'NoNode'],
        [0, 4, 5, 'create', { path: '/', data: '' }, 'NodeExists'],
        [0, 6, 7, 'create', { path: '/q-', data: '', sequential: true }, '/q-0000000000'],
      ]),
    ).toBe('linearizable');
  });
});

describe('znode JSON format', () => {
  it('reads paths and objects, and writes back what it reads', () => {
    const h = znode([
      [0, 0, 1, 'create', { path: '/q/', data: 'x', sequential: true }, 'NoNode'],
      [0, 2, 3, 'getData', '/a', 'NoNode'],
      [0, 4, null, 'setData', { path: '/a', data: 'y', version: -1 }],
      [0, 5, 6, 'delete', { path: '/a', version: 2 }, 'NoNode'],
    ]);
    expect(h.operations[0].input).toEqual({ path: '/q/', data: 'x', sequential: true });
    expect(h.operations[1].input).toEqual({ path: '/a' });
    expect(h.operations[3].input).toEqual({ path: '/a', version: 2 });
    expect(historyFromJson(JSON.parse(JSON.stringify(historyToJson(h))))).toEqual(h);
  });

  it.each<[string, Row | Record<string, unknown>, string]>([
    ['a key', { client: 0, call: 0, return: 1, op: 'getData', key: 'k', input: '/a', output: '' }, 'operations[0].key is not allowed for znode'],
    ['a bad path', [0, 0, 1, 'getData', 'a/b', ''], 'operations[0].input must be a znode path such as "/" or "/a/b", got "a/b"'],
    ['a trailing slash', [0, 0, 1, 'create', { path: '/a/', data: '' }, '/a/'], 'operations[0].input.path must be a znode path'],
    ['deleting the root', [0, 0, 1, 'delete', '/', true], 'operations[0]: the root / cannot be deleted'],
    ['an unknown input field', [0, 0, 1, 'setData', { path: '/a', data: '', ephemeral: true }, 1], "operations[0].input has an unknown field 'ephemeral' for setData"],
    ['missing data', [0, 0, 1, 'create', { path: '/a' }, '/a'], 'operations[0].input.data must be a string'],
    ['a wrong error', [0, 0, 1, 'delete', '/a', 'NodeExists'], 'operations[0].output must be true or one of "NoNode", "NotEmpty", "BadVersion" for delete, got "NodeExists"'],
    ['a version 0 reply', [0, 0, 1, 'setData', { path: '/a', data: '' }, 0], 'operations[0].output must be the new version (an integer >= 1)'],
    ['a bad version', [0, 0, 1, 'setData', { path: '/a', data: '', version: -2 }, 1], 'operations[0].input.version must be an integer >= -1'],
    ['a register op', [0, 0, 1, 'read', null, 1], 'operations[0].op must be one of create, getData, setData, delete for spec znode'],
  ])('refuses %s', (_, row, message) => {
    const operations = [Array.isArray(row) ? json([row]).operations[0] : row];
    expect(() => historyFromJson({ spec: 'znode', operations })).toThrow(HistoryError);
    expect(() => historyFromJson({ spec: 'znode', operations })).toThrow(message);
  });

  it('answers as docs/linearizability.md says on its example', () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'linearizability.md'), 'utf8');
    const example = JSON.parse(/```json\n(\{"spec": "znode".*?)```/s.exec(docs)![1]) as { operations: { op: string }[] };
    expect(checkLinearizability(historyFromJson(example)).result).toBe('linearizable');
    const withoutDelete = { ...example, operations: example.operations.filter((op) => op.op !== 'delete') };
    expect(checkLinearizability(historyFromJson(withoutDelete)).result).toBe('not-linearizable');
  });

  it('has no initial value to give', () => {
    expect(() => checkLinearizability(znode([]), { initial: 0 })).toThrow('an initial value is not supported');
  });
});

/** An independent replay: `order` must respect real time and give every completed reply. */
function replays(history: History, order: readonly number[]): boolean {
  const spec = SPECS.znode;
  let state: Value = spec.initialState(undefined);
  for (let i = 0; i < order.length; i++) {
    const op = history.operations[order[i]];
    if (order.slice(i + 1).some((j) => history.operations[j].return !== null && history.operations[j].return! < op.call)) return false;
    const reply = spec.outcome(state, op);
    if (op.return !== null && reply !== op.output) return false;
    state = spec.apply(state, op)!;
  }
  return history.operations.every((op) => op.return === null || order.includes(op.index));
}

describe('znode: generated histories', () => {
  it('a history run one operation at a time is linearizable, with an order that replays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 80 }), fc.integer(), (clients, operations, seed) => {
        const { history } = generateHistory({ spec: 'znode', clients, operations, seed });
        const r = checkLinearizability(history);
        expect(r.result).toBe('linearizable');
        expect(r.partitions).toBe(1);
        expect(replays(history, r.linearization!.get(null)!)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('pending operations (taken effect or not) keep it linearizable', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 60 }), fc.integer(), (clients, operations, seed) => {
        const { history } = generateHistory({ spec: 'znode', clients, operations, seed, pendingProbability: 0.15 });
        expect(checkLinearizability(history).result).toBe('linearizable');
      }),
      { numRuns: 100 },
    );
  });

  it('injecting a stale getData makes it not linearizable', () => {
    let injected = 0;
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 120 }), fc.integer(), fc.integer(), (operations, seed, mutationSeed) => {
        const generated = generateHistory({ spec: 'znode', clients: 5, operations, seed, pendingProbability: 0.05 });
        const stale = injectStaleRead(generated, mutationSeed);
        fc.pre(stale !== null);
        injected++;
        expect(stale!.history.operations[stale!.read].op).toBe('getData');
        const r = checkLinearizability(stale!.history);
        expect(r.result).toBe('not-linearizable');
        expect(r.explanation!.mustPlace.return).not.toBeNull();
      }),
      { numRuns: 150 },
    );
    expect(injected).toBeGreaterThan(50);
  });
});

/** Brute force: some order of the completed operations plus some subset of the pending ones. */
function bruteForce(history: History): boolean {
  const spec = SPECS.znode;
  const ops = history.operations;
  const used = new Array<boolean>(ops.length).fill(false);
  const completed = ops.filter((o) => o.return !== null).length;
  const search = (state: Value, placed: number): boolean => {
    if (placed === completed) return true;
    for (const op of ops) {
      if (used[op.index] || ops.some((o) => !used[o.index] && o !== op && o.return !== null && o.return < op.call)) continue;
      const reply = spec.outcome(state, op);
      if (op.return !== null && reply !== op.output) continue;
      used[op.index] = true;
      const ok = search(spec.apply(state, op)!, placed + (op.return === null ? 0 : 1));
      used[op.index] = false;
      if (ok) return true;
    }
    return false;
  };
  return search(spec.initialState(undefined), 0);
}

/** Small random znode histories on a tiny tree, with replies drawn from the plausible ones. */
const smallZnodeHistory = fc
  .array(
    fc.record({
      client: fc.integer({ min: 0, max: 3 }),
      call: fc.integer({ min: 0, max: 10 }),
      length: fc.integer({ min: 0, max: 5 }),
      kind: fc.constantFrom('create', 'create-s', 'getData', 'setData', 'delete'),
      path: fc.constantFrom('/a', '/a/b'),
      data: fc.constantFrom('x', 'y'),
      version: fc.constantFrom(null, 0, 1),
      reply: fc.nat(),
      isPending: fc.integer({ min: 0, max: 4 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((rows): History => {
    const replies: Record<string, readonly Value[]> = {
      create: ['/a', '/a/b', 'NodeExists', 'NoNode'],
      'create-s': ['/a0000000000', '/a0000000001', '/a/b0000000000', 'NoNode'],
      getData: ['x', 'y', '', 'NoNode'],
      setData: [1, 2, 'NoNode', 'BadVersion'],
      delete: [true, 'NoNode', 'NotEmpty', 'BadVersion'],
    };
    return {
      spec: 'znode',
      operations: rows.map((r, index) => {
        const ret = r.isPending === 0 ? null : r.call + r.length;
        const op = r.kind === 'create-s' ? 'create' : (r.kind as 'create' | 'getData' | 'setData' | 'delete');
        const input =
          op === 'create' ? { path: r.path, data: r.data, sequential: r.kind === 'create-s' } : op === 'getData' ? { path: r.path } : op === 'setData' ? { path: r.path, data: r.data, version: r.version } : { path: r.path, version: r.version };
        const options = replies[r.kind];
        return { index, client: r.client, call: r.call, return: ret, op, key: null, input, output: ret === null ? null : options[r.reply % options.length] };
      }),
    };
  });

describe('znode: agreement with brute force', () => {
  it('gives the same verdict as trying every order on small random histories', () => {
    let linearizable = 0;
    fc.assert(
      fc.property(smallZnodeHistory, (history) => {
        const expected = bruteForce(history);
        if (expected) linearizable++;
        const r = checkLinearizability(history);
        expect(r.result).toBe(expected ? 'linearizable' : 'not-linearizable');
        if (r.linearization) expect(replays(history, r.linearization.get(null)!)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // Both answers occur often enough for the agreement to mean something.
    expect(linearizable).toBeGreaterThan(100);
    expect(linearizable).toBeLessThan(1900);
  });
});

describe('ordeal linearizable --spec znode', () => {
  const root = join(import.meta.dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'ordeal-znode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ordeal = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'ordeal.js'), 'linearizable', ...args], { cwd: root, encoding: 'utf8' });

  it('checks a znode history given --spec, explains a failure, and refuses --initial', () => {
    const rows: Row[] = [
      [0, 0, 5, 'create', { path: '/lock', data: 'c0' }, '/lock'],
      [1, 1, 6, 'create', { path: '/lock', data: 'c1' }, '/lock'],
    ];
    const { spec: _spec, ...withoutSpec } = json(rows);
    const bad = join(dir, 'locks.json');
    writeFileSync(bad, JSON.stringify(withoutSpec));
    const r = ordeal(bad, '--spec', 'znode');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('NOT LINEARIZABLE (znode): 2 operations, 2 searched in 1 key');
    expect(r.stdout).toContain('create /lock "c1" -> "/lock" [1, 6]: create returned "/lock" but the tree replies "NodeExists"');
    const good = join(dir, 'one-lock.json');
    writeFileSync(good, JSON.stringify(json([rows[0], [1, 1, 6, 'create', { path: '/lock', data: 'c1' }, 'NodeExists']])));
    expect(ordeal(good).status).toBe(0);
    const initial = ordeal(good, '--initial', '0');
    expect(initial.status).toBe(2);
    expect(initial.stderr).toContain('--initial does not apply to znode');
  });
});
