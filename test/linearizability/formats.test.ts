// Reading histories: ordeal's JSON (strict, one-line errors) and Jepsen's EDN.
import { describe, expect, it } from 'vitest';
import { checkLinearizability, historyFromJepsen, historyFromJson, historyToJson, HistoryError, generateHistory } from '../../src/linearizability/index.ts';

describe('JSON histories', () => {
  const valid = {
    spec: 'cas-register',
    operations: [
      { client: 0, call: 0, return: 2, op: 'write', input: 1 },
      { client: 1, call: 1, return: null, op: 'cas', input: { from: 1, to: 2 } },
      { client: 2, call: 3, return: 4, op: 'read', output: 2 },
      { client: 2, call: 5, return: 6, op: 'cas', input: { from: 2, to: 3 }, output: true },
    ],
  };

  it('reads operations with their index, pending ones with return null', () => {
    const h = historyFromJson(valid);
    expect(h.spec).toBe('cas-register');
    expect(h.operations[1]).toEqual({ index: 1, client: 1, call: 1, return: null, op: 'cas', key: null, input: { from: 1, to: 2 }, output: null });
    expect(checkLinearizability(h).result).toBe('linearizable');
  });

  it('round-trips through historyToJson', () => {
    const { history } = generateHistory({ spec: 'kv', clients: 4, operations: 60, seed: 3, pendingProbability: 0.1 });
    expect(historyFromJson(JSON.parse(JSON.stringify(historyToJson(history))))).toEqual(history);
  });

  it.each([
    [[], /must be an object/],
    [{ operations: [] }, /has no "spec"/],
    [{ spec: 'queue', operations: [] }, /"spec" must be one of register, cas-register, kv/],
    [{ spec: 'register', operations: {} }, /"operations" must be an array/],
    [{ spec: 'register', operations: [{ client: 0, call: 0, return: 1, op: 'cas', input: { from: 1, to: 2 }, output: true }] }, /operations\[0\]\.op must be one of read, write for spec register/],
    [{ spec: 'register', operations: [{ client: 0, call: 5, return: 1, op: 'read', output: 1 }] }, /operations\[0\]\.return must be null or an integer time >= call \(5\)/],
    [{ spec: 'register', operations: [{ client: 0, call: 0, op: 'read', output: 1 }] }, /return is missing/],
    [{ spec: 'register', operations: [{ client: 0, call: 0, return: 1, op: 'read' }] }, /output is missing/],
    [{ spec: 'register', operations: [{ client: 0, call: 0, return: 1, op: 'write', input: [1] }] }, /input must be null, a boolean, a number or a string/],
    [{ spec: 'register', operations: [{ client: 0, call: 0, retrun: 1, op: 'read' }] }, /unknown field 'retrun'/],
    [{ spec: 'kv', operations: [{ client: 0, call: 0, return: 1, op: 'get', output: '' }] }, /key is missing/],
    [{ spec: 'kv', operations: [{ client: 0, call: 0, return: 1, op: 'put', key: 'k', input: 3 }] }, /input must be a string/],
    [{ spec: 'cas-register', operations: [{ client: 0, call: 0, return: 1, op: 'cas', input: { from: 1, to: 2 } }] }, /output must be true or false/],
    [{ spec: 'register', operations: [{ client: 'a', call: 0, return: 1, op: 'read', output: 1 }] }, /client must be an integer/],
  ])('rejects %j with a one-line message', (input, message) => {
    expect(() => historyFromJson(input)).toThrow(HistoryError);
    expect(() => historyFromJson(input)).toThrow(message);
  });

  it('refuses a --spec that contradicts the file, and fills in a missing one', () => {
    expect(() => historyFromJson(valid, 'kv')).toThrow(/says spec cas-register but --spec kv/);
    expect(historyFromJson({ operations: [] }, 'register').spec).toBe('register');
  });
});

describe('Jepsen EDN histories', () => {
  it('pairs invocations with completions per process; times are positions', () => {
    const h = historyFromJepsen(
      `{:type :invoke, :f :write, :value 1, :process 0, :time 100}
       {:type :invoke, :f :read, :value nil, :process 1}
       {:type :ok, :f :write, :value 1, :process 0}
       {:type :ok, :f :read, :value 1, :process 1}`,
      'register',
    );
    expect(h.operations).toEqual([
      { index: 0, client: 0, call: 0, return: 2, op: 'write', key: null, input: 1, output: null },
      { index: 1, client: 1, call: 1, return: 3, op: 'read', key: null, input: null, output: 1 },
    ]);
  });

  it('drops :fail, keeps :info and never-completed invocations as pending, skips the nemesis', () => {
    const h = historyFromJepsen(
      `[{:process :nemesis, :type :info, :f :start, :value nil}
        {:process 0, :type :invoke, :f :write, :value 1}
        {:process 0, :type :fail, :f :write, :value 1}
        {:process 1, :type :invoke, :f :cas, :value [0 2]}
        {:process 1, :type :info, :f :cas, :value [0 2]}
        {:process 2, :type :invoke, :f :write, :value 3}
        {:process :nemesis, :type :info, :f :stop, :value [:isolated {"n1" #{"n2"}}]}]`,
      'cas-register',
    );
    expect(h.operations).toEqual([
      { index: 0, client: 1, call: 3, return: null, op: 'cas', key: null, input: { from: 0, to: 2 }, output: null },
      { index: 1, client: 2, call: 5, return: null, op: 'write', key: null, input: 3, output: null },
    ]);
  });

  it('reads a successful cas as true, and nil reads (Knossos: no observation) are left out', () => {
    const h = historyFromJepsen(
      `({:process 0, :type :invoke, :f :cas, :value [0 1]} {:process 0, :type :ok, :f :cas, :value [0 1]}
        {:process 1, :type :invoke, :f :read, :value nil} {:process 1, :type :ok, :f :read, :value nil})`,
      'cas-register',
    );
    expect(h.operations).toHaveLength(1);
    expect(h.operations[0]).toMatchObject({ op: 'cas', output: true });
  });

  it('reads jepsen.independent [k v] tuples as keys, and tagged history records', () => {
    const h = historyFromJepsen(
      `#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 0, :f :write, :value [7 1]}
       #jepsen.history.Op{:index 1, :time 6, :type :ok, :process 0, :f :write, :value [7 1]}
       #jepsen.history.Op{:index 2, :time 7, :type :invoke, :process 1, :f :read, :value [8 nil]}
       #jepsen.history.Op{:index 3, :time 8, :type :ok, :process 1, :f :read, :value [8 1]}`,
      'register',
    );
    expect(h.operations.map((op) => op.key)).toEqual(['7', '8']);
    const r = checkLinearizability(h, { initial: 0 });
    expect(r).toMatchObject({ result: 'not-linearizable', partitions: 2 });
    expect(r.explanation!.key).toBe('8');
  });

  it('maps kv workloads: read/write/append/cas on [k v]', () => {
    const h = historyFromJepsen(
      `{:process 0, :type :invoke, :f :append, :value ["x" "a"]}
       {:process 0, :type :ok, :f :append, :value ["x" "a"]}
       {:process 0, :type :invoke, :f :read, :value ["x" nil]}
       {:process 0, :type :ok, :f :read, :value ["x" "a"]}`,
      'kv',
    );
    expect(h.operations.map((op) => [op.op, op.key])).toEqual([
      ['append', 'x'],
      ['get', 'x'],
    ]);
    expect(checkLinearizability(h).result).toBe('linearizable');
  });

  it.each([
    ['{:process 0, :type :invoke, :f :write, :value 1', /not a readable EDN history/],
    ['{:process 0, :type :ok, :f :write, :value 1}', /history entry 0: process 0 completes \(:ok\) with no open :invoke/],
    ['{:process 0, :type :invoke, :f :write, :value 1} {:process 0, :type :invoke, :f :write, :value 2}', /invokes again before its entry 0 completed/],
    ['{:process 0, :type :invoke, :f :dequeue, :value 1} {:process 0, :type :ok, :f :dequeue, :value 1}', /:f :dequeue is not an operation of register/],
    ['{:process 0, :type :invoke, :f :write, :value 1} {:process 0, :type :ok, :f :read, :value 1}', /completes :read but process 0 invoked :write/],
    ['{:process 0, :type :invoke, :f :write, :value 1} {:process 0, :type :maybe, :f :write, :value 1}', /:type must be :invoke, :ok, :fail or :info/],
    ['42', /history entry 0 is not an operation map/],
  ])('rejects %s', (text, message) => {
    expect(() => historyFromJepsen(text, 'register')).toThrow(message);
  });
});
