// Storage faults (docs/faults.md) on the disk-store fixture: a write error fails buffered writes and
// tells the node, a power loss is a crash that loses them; both only within `diskFaults`.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/api/check.ts';
import { simulate } from '../../src/api/simulate.ts';
import { replay } from '../../src/api/replay.ts';
import { defineActorModel } from '../../src/api/define-actor-model.ts';
import { diskModel, diskProtocol } from '../fixtures/disk.ts';
import { pingModel } from '../fixtures/ping.ts';

/** The store without an `onWriteError` handler: it gets power losses only. */
const powerLossOnly = defineActorModel({
  ...diskModel,
  name: 'disk-store-no-handler',
  protocol: (_params, variant) => {
    const { onWriteError: _ignored, ...spec } = diskProtocol(variant);
    return spec;
  },
});

describe('storage faults (docs/faults.md)', () => {
  it('without a storage-fault budget every variant passes, buffered writes or not: 98 and 88 states', async () => {
    const counts = [];
    for (const variant of ['default', 'ack-before-sync', 'ignores-write-error']) {
      const r = await check(diskModel, { variant });
      expect(r.result).toBe('pass');
      counts.push([r.distinctStates, r.transitions, r.depth]);
    }
    expect(counts).toEqual([
      [98, 176, 8],
      [88, 204, 7],
      [98, 176, 8],
    ]);
  });

  it('an explicit diskFaults: 0 is the same run as none', async () => {
    const r = await check(diskModel, { variant: 'ack-before-sync', diskFaults: 0 });
    expect([r.result, r.distinctStates, r.transitions]).toEqual(['pass', 88, 204]);
  });

  it('the correct store passes one storage fault: 208 states', async () => {
    const r = await check(diskModel, { diskFaults: 1 });
    expect([r.result, r.distinctStates, r.transitions, r.depth]).toEqual(['pass', 208, 391, 9]);
  });

  it('acknowledging before the sync is found by a write error after 3 events, and the trace replays', async () => {
    const r = await check(diskModel, { variant: 'ack-before-sync', diskFaults: 1 });
    expect(r.violation?.property).toBe('AckedDurable');
    expect(r.violation?.length).toBe(3);
    expect(r.trace!.events.map((e) => e.kind)).toEqual(['deliver', 'deliver', 'write-error']);
    expect(replay(diskModel, r.trace!).ok).toBe(true);
  });

  it('ignoring a write error is found after 4 events: the flush syncs a log without the write and acknowledges it', async () => {
    const r = await check(diskModel, { variant: 'ignores-write-error', diskFaults: 1 });
    expect(r.violation?.length).toBe(4);
    expect(r.trace!.events.map((e) => e.kind)).toEqual(['deliver', 'write-error', 'timer', 'deliver']);
  });

  it('without onWriteError only power losses happen: a crash that loses the acknowledged buffered write', async () => {
    const r = await check(powerLossOnly, { variant: 'ack-before-sync', diskFaults: 1 });
    expect(r.violation?.length).toBe(3);
    expect(r.trace!.events.map((e) => e.kind)).toEqual(['deliver', 'deliver', 'power-loss']);
    expect(r.timeline).toContain('store LOSES POWER');
    const none = await check(powerLossOnly, { variant: 'ack-before-sync', diskFaults: 1, crashes: 0 });
    expect(none.result).toBe('pass');
    const plainCrash = await check(powerLossOnly, { variant: 'ack-before-sync', diskFaults: 0, crashes: 1 });
    expect(plainCrash.result).toBe('pass');
  });

  it('sleep sets keep the counts and the verdicts (a disk fault touches only its node and its budget)', async () => {
    for (const variant of ['default', 'ack-before-sync', 'ignores-write-error']) {
      for (const model of [diskModel, powerLossOnly]) {
        const plain = await check(model, { variant, diskFaults: 2, crashes: 2, por: false });
        const reduced = await check(model, { variant, diskFaults: 2, crashes: 2, por: true });
        const dfs = await check(model, { variant, diskFaults: 2, crashes: 2, strategy: 'dfs', por: true });
        expect([reduced.result, reduced.distinctStates, reduced.transitions]).toEqual([plain.result, plain.distinctStates, plain.transitions]);
        expect([dfs.result, dfs.violation?.property]).toEqual([plain.result, plain.violation?.property]);
      }
    }
  });

  it('simulation injects them at the crash rate within the budget', async () => {
    // Random simulation: its crash rate is what the storage faults fire at (guided places them).
    const found = await simulate(diskModel, { variant: 'ack-before-sync', diskFaults: 1, runs: 300, seed: 1, strategy: 'random' });
    expect(found.violation?.property).toBe('AckedDurable');
    const none = await simulate(diskModel, { variant: 'ack-before-sync', runs: 300, seed: 1, strategy: 'random' });
    expect(none.violation).toBeNull();
  });

  it('refuses --symmetry with storage faults', async () => {
    await expect(check(pingModel, { symmetry: true, diskFaults: 1 })).rejects.toThrow(/disk-faults cannot be combined with --symmetry/);
  });
});

describe('storage-fault keys', () => {
  it('fold into the crash and restart classes past DISK_WHAT, distinct from every crash and restart, with the storage-budget bit', async () => {
    const { DISK_WHAT, EventKeys, KEY_CLASS, classOf, keyOf, powerLossKey, whatOf, writeErrorKey } = await import('../../src/world/event-keys.ts');
    const { networkOf } = await import('../../src/world/network-kinds.ts');
    const { EnvelopeTable } = await import('../../src/world/envelopes.ts');
    const keys = new EventKeys(3, new EnvelopeTable(), networkOf('unordered'));
    for (const node of [0, 1, 2]) {
      expect([classOf(powerLossKey(node)), whatOf(powerLossKey(node))]).toEqual([KEY_CLASS.crash, DISK_WHAT + node]);
      expect([classOf(writeErrorKey(node)), whatOf(writeErrorKey(node))]).toEqual([KEY_CLASS.restart, DISK_WHAT + node]);
      const crash = keys.footprintOf(keyOf(node, KEY_CLASS.crash));
      const powerLoss = keys.footprintOf(powerLossKey(node));
      const writeError = keys.footprintOf(writeErrorKey(node));
      expect(powerLoss & crash).toBe(crash);
      expect(powerLoss).not.toBe(crash);
      expect(writeError & keys.footprintOf(keyOf(node, KEY_CLASS.restart))).not.toBe(0);
      for (const other of [0, 1, 2].filter((o) => o !== node)) expect(writeError & keys.footprintOf(keyOf(other, KEY_CLASS.restart))).toBe(0);
    }
    // On tcp a crash reaches every node: so does a power loss.
    expect(new EventKeys(3, new EnvelopeTable(), networkOf('tcp')).footprintOf(powerLossKey(1))).toBe(-1);
  });
});

describe('storage faults across worker threads', () => {
  it('parallel BFS ships the synced state with a slot: the one-thread counts and verdicts', async () => {
    const modelFile = new URL('../fixtures/disk.ts', import.meta.url);
    for (const variant of ['default', 'ignores-write-error']) {
      const one = await check(diskModel, { variant, diskFaults: 1 });
      const two = await check(diskModel, { variant, diskFaults: 1, workers: 2, modelFile });
      // A violation ends the level engine at the end of its level: compare states only when it passes.
      expect([two.result, two.violation?.length]).toEqual([one.result, one.violation?.length]);
      if (one.result === 'pass') expect(two.distinctStates).toBe(one.distinctStates);
    }
  }, 60_000);
});
