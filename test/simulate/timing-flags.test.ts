// Simulation timing and fault rates from the command line: --latency, --timer-ms, --timer NAME=MS,
// --crash-rate, --partition-rate, --drop-rate, --duplicate-rate. They reach the runs, the trace
// records them, and the reproduce command carries them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimulationSummary } from '../../src/simulate/summary.ts';
import { DEFAULT_FAULT_MIX, DEFAULT_TIMING } from '../../src/simulate/options.ts';
import { Rng } from '../../src/simulate/rng.ts';
import { Schedule } from '../../src/simulate/schedule.ts';
import { ordeal } from '../helpers/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ordeal-timing-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('simulate timing and fault-rate flags', () => {
  it('a crash rate of 0 hides a bug that needs a crash; a set rate and timing are recorded and reproduced', () => {
    // Random simulation: its crashes come from the rate alone (guided places the crash budget whatever the rate).
    const mutant = ['simulate', 'paxos', '--variant', 'promise-not-persisted', '--strategy', 'random', '--runs', '3000'];
    expect(ordeal(...mutant, '--out', scratch).code).toBe(1);
    expect(ordeal(...mutant, '--crash-rate', '0', '--out', scratch).code).toBe(0);

    const out = join(scratch, 'rates');
    const flags = ['--crash-rate', '0.1', '--drop-rate', '0', '--latency', '2..30', '--timer-ms', '70', '--timer', 'retry=300'];
    const found = ordeal(...mutant, ...flags, '--out', out, '--json');
    expect(found.code).toBe(1);
    const summary = JSON.parse(found.stdout) as SimulationSummary;
    const reproduce = summary.violation!.reproduce;
    expect(reproduce).toContain('--latency 2..30 --timer-ms 70 --timer retry=300 --crash-rate 0.1 --drop-rate 0 --seed 1');
    expect(reproduce).not.toContain('--partition-rate');
    const trace = JSON.parse(readFileSync(summary.trace!, 'utf8'));
    expect(trace.simulation.timing).toMatchObject({ latencyMsMin: 2, latencyMsMax: 30, timerMs: 70, timerMsByName: { retry: 300 } });
    expect(trace.simulation.mix).toMatchObject({ crashProbability: 0.1, dropProbability: 0, partitionProbability: DEFAULT_FAULT_MIX.partitionProbability });

    const alone = ordeal(...reproduce.replace(/^npx ordeal /, '').split(' '), '--out', out, '--json');
    expect(alone.code).toBe(1);
    expect(readFileSync((JSON.parse(alone.stdout) as SimulationSummary).trace!, 'utf8')).toBe(readFileSync(summary.trace!, 'utf8'));
  }, 60_000);

  it('bad values exit 2 with one line', () => {
    const bad: [string[], string][] = [
      [['--crash-rate', '1.5'], '--crash-rate must be a probability per step, from 0 to 1.'],
      [['--drop-rate', '-0.1'], '--drop-rate must be a probability per step, from 0 to 1.'],
      [['--latency', '10..1'], '--latency must be MIN..MAX in whole ms with MIN <= MAX'],
      [['--latency', '5'], '--latency must be MIN..MAX'],
      [['--timer-ms', '0'], '--timer-ms must be at least 1.'],
      [['--timer', 'retry'], "--timer must be NAME=MS with MS a whole number of ms >= 1, got 'retry'"],
      [['--swarm', '--duplicate-rate', '0.1'], 'cannot be combined with --swarm'],
    ];
    for (const [args, message] of bad) {
      const r = ordeal('simulate', 'paxos', '--runs', '1', ...args);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.stderr).toContain(message);
    }
  });

  it('a timer named by --timer gets its own timeout; other timers keep timerMs', () => {
    const timing = { ...DEFAULT_TIMING, timerMs: 50, timerJitter: 0, timerMsByName: { slow: 1000 } };
    const schedule = new Schedule(Rng.forRun(1, 0), timing, DEFAULT_FAULT_MIX);
    expect(schedule.dueOf('a', { kind: 'timer', node: 0, timer: 'slow' }, 0, 10)).toBe(1010);
    expect(schedule.dueOf('b', { kind: 'timer', node: 0, timer: 'fast' }, 0, 10)).toBe(60);
    expect(schedule.dueOf('c', { kind: 'timer', node: 0, timer: 'constructor' }, 0, 10)).toBe(60);
  });
});
