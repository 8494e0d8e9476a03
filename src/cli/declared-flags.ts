// The command line's side of declared checks (src/api/declared.ts): which flags the user gave, and
// `check --variant V` of a variant whose declared check is a simulation run as `simulate` would.
import type { Command } from 'commander';
import type { Given } from '../api/declared.ts';
import { DEFAULT_LIVENESS_WINDOW_MS, DEFAULT_MAX_STEPS, DEFAULT_PCT_DEPTH } from '../api/simulation.ts';
import { DEFAULT_SEED, type SimulateFlags } from './simulate-command.ts';

/** Options given on the command line (not defaults): `cmd.getOptionValueSource`. */
export function givenBy(cmd: Command): Given {
  return (option) => {
    const source = cmd.getOptionValueSource(option);
    if (source !== undefined && source !== 'default') return true;
    const value = cmd.getOptionValue(option) as unknown;
    return source === undefined && value !== undefined && !(Array.isArray(value) && value.length === 0);
  };
}

/** What `check` was given, as `simulate`'s flags (everything else at simulate's defaults). */
export function simulateFlagsOfCheck(flags: {
  model?: string; variant: string; param: string[]; network?: string; crashes?: number; partitions?: number; partitionKinds?: string;
  drops?: number; duplicates?: number; paranoid?: boolean; invariant: string[]; json?: boolean; reporter: 'text' | 'junit'; out: string; quiet?: boolean;
}): SimulateFlags {
  return {
    ...flags,
    timer: [],
    depth: DEFAULT_PCT_DEPTH,
    seed: DEFAULT_SEED,
    maxSteps: DEFAULT_MAX_STEPS,
    workers: 1,
    livenessWindow: DEFAULT_LIVENESS_WINDOW_MS,
    shrink: true,
  };
}
