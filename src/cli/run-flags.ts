// The flags `check` and `simulate` share (variant, parameters, network, fault budgets, paranoid,
// invariants), turned into the RunOptions both API calls take: one mapping, so the two commands
// cannot drift apart.
import type { RunOptions } from '../api/options.ts';

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
