// The flags `check` and `simulate` share (variant, parameters, network, fault budgets, paranoid,
// invariants), turned into the RunOptions both API calls take: one mapping, so the two commands
// cannot drift apart. Also the parsers of flag values both commands use.
import { InvalidArgumentError } from 'commander';
import type { RunOptions } from '../api/options.ts';

/** A commander parser for a whole number of at least `min`, refusing one that would be rounded. */
export const integer = (what: string, min = 0) => (text: string): number => {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${what} must be a non-negative integer.`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`${what} must be at most ${Number.MAX_SAFE_INTEGER} (2^53 - 1); ${text} would be rounded.`);
  if (value < min) throw new InvalidArgumentError(`${what} must be at least ${min}.`);
  return value;
};

/** A commander reducer for a repeatable flag: every value, in order. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export interface RunFlags {
  variant: string;
  param: string[];
  network?: string;
  crashes?: number;
  partitions?: number;
  partitionKinds?: string;
  drops?: number;
  duplicates?: number;
  diskFaults?: number;
  paranoid?: boolean;
  invariant: string[];
}

export function runOptionsOf(flags: RunFlags): RunOptions {
  return {
    variant: flags.variant,
    params: flags.param,
    network: flags.network as RunOptions['network'],
    crashes: flags.crashes,
    partitions: flags.partitions,
    partitionKinds: flags.partitionKinds as RunOptions['partitionKinds'],
    drops: flags.drops,
    duplicates: flags.duplicates,
    diskFaults: flags.diskFaults,
    paranoid: flags.paranoid,
    invariants: flags.invariant,
  };
}
