// The replica: applies decided slots to the kv state machine strictly in slot order, and
// deduplicates retried commands by their id (a command applied before returns its recorded output
// and changes nothing), unless the variant forgets to.
import type { Value } from '../../src/index.ts';
import { applyOperation, WORKLOAD } from './kv.ts';
import type { Command, Replica } from './types.ts';

export const EMPTY_REPLICA: Replica = Object.freeze({ applied: 0, value: '', outputs: [] });

/** One applied command: the replica after it, and the output (null for a noop). */
export function applyCommand(r: Replica, command: Command, dedup: boolean): { readonly replica: Replica; readonly output: Value } {
  const applied = r.applied + 1;
  if (command < 0) return { replica: { ...r, applied }, output: null };
  const recorded = r.outputs.find((o) => o.id === command);
  if (recorded && dedup) return { replica: { ...r, applied }, output: recorded.output };
  const { value, output } = applyOperation(r.value, WORKLOAD[command]);
  const outputs = [...r.outputs.filter((o) => o.id !== command), { id: command, output }].sort((a, b) => a.id - b.id);
  return { replica: { applied, value, outputs }, output };
}

/**
 * Applies every decided slot from `r.applied` on, stopping at the first slot not yet decided.
 * Returns the replica and the (command, output) of each operation applied, in slot order.
 */
export function applyDecided(r: Replica, log: readonly (Command | null)[], dedup: boolean): { readonly replica: Replica; readonly done: readonly (readonly [Command, Value])[] } {
  let replica = r;
  const done: [Command, Value][] = [];
  while (replica.applied < log.length && log[replica.applied] !== null) {
    const command = log[replica.applied]!;
    const step = applyCommand(replica, command, dedup);
    replica = step.replica;
    if (command >= 0) done.push([command, step.output]);
  }
  return { replica, done };
}
