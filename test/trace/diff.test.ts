// State diffs as the text timeline and the HTML panel print them: a field that changed is one line;
// a record that changes shape (a node's volatile state of another role) is one line naming the old
// and new shape with the new fields, never a line per vanished field ending in `-> undefined`.
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../../models/index.ts';
import { runCheck } from '../../src/check/run.ts';
import { resolveParams } from '../../src/model/resolve.ts';
import { readTrace } from '../../src/trace/reading.ts';
import { diffPictures } from '../../src/trace/diff.ts';

const looking = { state: 'LOOKING', round: 1, vote: { leader: 2, zxid: 0 }, votes: [[0, 1]], outOfElection: [], early: [], lost: [] };
const following = { state: 'FOLLOWING', round: 1, vote: { leader: 2, zxid: 0 }, leader: 2, phase: 'discovery', queue: [], lastCommitted: 0, snapshot: null };

describe('state diffs', () => {
  it('print a role change as one line: old and new role, then the new role’s fields', () => {
    const before = { nodes: { s1: { durable: { epoch: 0 }, volatile: { waiting: [], role: looking } } } };
    const after = { nodes: { s1: { durable: { epoch: 0 }, volatile: { waiting: [], role: following } } } };
    expect(diffPictures(before, after)).toEqual([
      '  nodes.s1.volatile.role: LOOKING -> FOLLOWING {round=1 vote={leader=2 zxid=0} leader=2 phase=discovery queue=[] lastCommitted=0 snapshot=null}',
    ]);
  });

  it('print a field that appears or vanishes as + or -, never as undefined', () => {
    const up = { durable: { log: [1] }, volatile: { round: 2 }, timers: ['tick'] };
    const down = { DOWN: true, durable: { log: [1] } };
    expect(diffPictures(up, down)).toEqual(['- volatile {round=2}', '- timers [tick]', '+ DOWN true']);
    expect(diffPictures(down, up)).toEqual(['- DOWN true', '+ volatile {round=2}', '+ timers [tick]']);
  });

  it('keep a field-by-field diff when a string field changes but the shape does not', () => {
    expect(diffPictures({ phase: 'sync', epoch: 1 }, { phase: 'broadcast', epoch: 2 })).toEqual(['  phase: sync -> broadcast', '  epoch: 1 -> 2']);
  });

  it('never print undefined for a Zab counterexample, and print each role change on one line', () => {
    const zab = builtinModels.find((m) => m.name === 'zab')!;
    const report = runCheck({ model: zab, variant: 'zk-335', params: resolveParams(zab, []), config: zab.defaultConfig, strategy: 'bfs', search: {} });
    const reading = readTrace(report.system, report.trace!);
    const changes = reading.steps.flatMap((s) => s.changes);
    expect(changes.filter((c) => c.includes('undefined'))).toEqual([]);
    const roleChanges = changes.filter((c) => /\.volatile\.role: (LOOKING|FOLLOWING|LEADING) -> /.test(c));
    expect(roleChanges.length).toBeGreaterThanOrEqual(4);
    // The crash of the leader (step 12 of this trace) moved two other servers' roles: a few lines, not 37.
    const crash = reading.steps.find((s) => s.event.kind === 'crash')!;
    expect(crash.changes.length).toBeLessThanOrEqual(12);
  });
});
