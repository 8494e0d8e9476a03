// `ordeal merge <summary.json...>`: combine the JSON summaries of simulation shards (`simulate
// --shard i/n --json`) into the summary one unsharded simulation gives.
import type { Command } from 'commander';
import { InputError } from '../api/models.ts';
import { mergeSummaries, MergeError, type SimulationSummary } from '../api/simulation.ts';
import { readJsonFile } from './files.ts';
import { formatSummary } from './simulate-command.ts';

export function mergeCommand(paths: readonly string[], flags: { json?: boolean }): number {
  const parts = paths.map((p) => readJsonFile(p) as SimulationSummary);
  let merged: SimulationSummary;
  try {
    merged = mergeSummaries(parts);
  } catch (error) {
    if (error instanceof MergeError) throw new InputError(`merge: ${error.message}`);
    throw error;
  }
  process.stdout.write(flags.json ? `${JSON.stringify(merged)}\n` : `${formatSummary(merged)}\n`);
  return merged.result === 'violation' ? 1 : merged.result === 'inconclusive' ? 3 : 0;
}

export function registerMerge(program: Command, setExit: (code: number) => void): void {
  program
    .command('merge')
    .description('combine JSON summaries of simulation shards into one (same result as one unsharded run)')
    .argument('<summaries...>', 'summary JSON files written by `ordeal simulate --shard i/n --json`')
    .option('--json', 'print the merged JSON summary')
    .action((paths: string[], flags: { json?: boolean }) => setExit(mergeCommand(paths, flags)));
}
