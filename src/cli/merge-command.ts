// `ordeal merge <summary.json...>`: combine the JSON summaries of shards into one. Two kinds:
// simulation shards (`simulate --shard i/n --json`), merged into the summary one unsharded
// simulation gives; and check swarm shards (`check --shard i/n --json`), merged into the swarm's
// verdict: the first violation by (length, search), the union of coverage, never "pass".
import type { Command } from 'commander';
import { mergeSwarmSummaries, SwarmMergeError, SWARM_SUMMARY_KIND, type SwarmSummary } from '../api/check-scale.ts';
import { InputError } from '../api/models.ts';
import { mergeSummaries, MergeError, type SimulationSummary } from '../api/simulation.ts';
import { readJsonFile } from './files.ts';
import { formatSummary } from './simulate-command.ts';

/** The swarm summary inside a `check --json` output, or null when it is not one. */
function swarmOf(json: unknown): SwarmSummary | null {
  const swarm = (json as { swarm?: SwarmSummary } | null)?.swarm;
  return swarm?.kind === SWARM_SUMMARY_KIND ? swarm : null;
}

export function formatSwarm(s: SwarmSummary): string {
  const id = s.identity;
  const params = Object.entries(id.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const lines = [`${id.model} [${id.variant}] ${params}: swarm of ${id.count} searches, ${s.searches.length} merged`];
  for (const x of s.searches) lines.push(`  search ${x.index}: ${x.distinctStates.toLocaleString('en-US')} states, depth ${x.depth}${x.maxDepth !== null ? ` (bound ${x.maxDepth})` : ''}, ${x.violation ? `${x.violation.property} in ${x.violation.length} events` : x.result}`);
  lines.push(`  distinct states: about ${s.statesCoveredEstimate.toLocaleString('en-US')} in the union (${s.distinctStatesSum.toLocaleString('en-US')} summed over searches)`);
  const v = s.firstViolation;
  if (v) lines.push(`VIOLATION ${v.property} (${v.length} events) in search ${v.search}: ${v.message}${v.trace ? `\n  trace: ${v.trace}` : ''}`);
  else lines.push(`NO VIOLATION IN THE COVERED PART (inconclusive): ${s.reasons.join('; ')}`);
  return lines.join('\n');
}

export function mergeCommand(paths: readonly string[], flags: { json?: boolean }): number {
  const jsons = paths.map((p) => readJsonFile(p));
  const swarms = jsons.map(swarmOf);
  if (swarms.some((s) => s !== null)) {
    const missing = paths.filter((_, i) => swarms[i] === null);
    if (missing.length > 0) throw new InputError(`merge: ${missing.join(', ')}: not a check swarm shard summary (write one with \`ordeal check --shard i/n --json\`)`);
    let merged: SwarmSummary;
    try {
      merged = mergeSwarmSummaries(swarms as SwarmSummary[]);
    } catch (error) {
      if (error instanceof SwarmMergeError) throw new InputError(`merge: ${error.message}`);
      throw error;
    }
    process.stdout.write(flags.json ? `${JSON.stringify(merged)}\n` : `${formatSwarm(merged)}\n`);
    return merged.result === 'violation' ? 1 : 3;
  }
  const parts = jsons as SimulationSummary[];
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
    .description('combine JSON summaries of shards into one: simulation shards (same result as one unsharded run) or check swarm shards (first violation, union of coverage)')
    .argument('<summaries...>', 'summary JSON files written by `ordeal simulate --shard i/n --json` or `ordeal check --shard i/n --json`')
    .option('--json', 'print the merged JSON summary')
    .action((paths: string[], flags: { json?: boolean }) => setExit(mergeCommand(paths, flags)));
}
