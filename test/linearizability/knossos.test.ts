// Knossos' own test histories (Jepsen EDN) with Knossos' known answers: see
// test/fixtures/linearizability/knossos/README.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLinearizability, historyFromJepsen } from '../../src/linearizability/index.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'linearizability', 'knossos');
const files = (answer: 'good' | 'bad') => readdirSync(join(dir, answer)).filter((f) => f.endsWith('.edn'));
const check = (answer: 'good' | 'bad', file: string) =>
  checkLinearizability(historyFromJepsen(readFileSync(join(dir, answer, file), 'utf8'), 'cas-register'), { initial: 0 });

describe('Knossos cas-register histories', () => {
  it('has the fixtures it claims', () => {
    expect(files('good')).toHaveLength(4);
    expect(files('bad')).toHaveLength(6);
  });

  it.each(files('good'))('good/%s is linearizable', (file) => {
    expect(check('good', file).result).toBe('linearizable');
  });

  it.each(files('bad'))('bad/%s is not linearizable', (file) => {
    expect(check('bad', file).result).toBe('not-linearizable');
  });

  it('explains rethink-fail-minimal as Knossos does: the read of 3 after 0 and 4', () => {
    const e = check('bad', 'rethink-fail-minimal.edn').explanation!;
    expect(e.mustPlace).toMatchObject({ client: 1, op: 'read', output: 3 });
    expect(e.stateAfterPrefix).toBe(4);
    // The read that follows the failure (process 3) is not blamed.
    expect(e.blocked.map((b) => b.operation.client)).toEqual([1]);
  });

  it('blames the read of 3 in immediate-failure, whose only write of 3 failed', () => {
    const e = check('bad', 'immediate-failure.edn').explanation!;
    expect(e.blocked).toEqual([{ operation: expect.objectContaining({ client: 1, output: 3 }), reason: 'read returned 3 but the register holds 0' }]);
  });
});
