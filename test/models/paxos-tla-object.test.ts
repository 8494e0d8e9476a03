// Two independent transcriptions of Paxos.tla — packed (paxos-tla) and plain objects
// (paxos-tla-object) — must agree on every count, so each checks the other's representation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paxosTla } from '../../models/paxos-tla/index.ts';
import { paxosTlaObject } from '../../models/paxos-tla/object.ts';
import { bfs } from '../../src/explore/bfs.ts';

const run = (model: typeof paxosTla, params: Record<string, number>, variant = 'default') =>
  bfs(model.build({ params: params as never, variant, config: model.defaultConfig }));

describe('the packed and the object path', () => {
  it('count the same states, transitions and depth for every small parameter choice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.constantFrom('default', 'phase2a-ignores-votes'), (acceptors, values, ballots, variant) => {
        const params = { acceptors, values, ballots };
        const packed = run(paxosTla, params, variant);
        const objects = run(paxosTlaObject, params, variant);
        expect([objects.result, objects.distinctStates, objects.transitions, objects.depth, objects.violation?.length]).toEqual([
          packed.result,
          packed.distinctStates,
          packed.transitions,
          packed.depth,
          packed.violation?.length,
        ]);
      }),
      { numRuns: 15 },
    );
  });

  it('agree with Spin at ballots 0..2 on the object path too: 185,369 states', () => {
    expect(run(paxosTlaObject, { acceptors: 3, values: 2, ballots: 3 }).distinctStates).toBe(185369);
  });
});
