// The memory bound of a run: what the process may use (--max-memory, maxMemory), sampled from the
// resident set size and the V8 heap. A run stopped for memory ends inconclusive, never crashes.
import { totalmem } from 'node:os';
import { constrainedMemory } from 'node:process';
import { getHeapStatistics } from 'node:v8';

/** Default memory bound: this share of the machine's (or the container's) memory. */
const MEMORY_FRACTION_DEFAULT = 0.75;
/** Share of the V8 heap limit at which a run on the main thread stops. */
const HEAP_FRACTION_MAX = 0.85;
const MIB = 1024 * 1024;

/** The memory bound in bytes: `maxMemoryMiB`, else 75% of the machine's or the container's memory. */
export function memoryLimitBytes(maxMemoryMiB: number | undefined): number {
  if (maxMemoryMiB !== undefined) return maxMemoryMiB * MIB;
  const constrained = constrainedMemory?.() ?? 0;
  const machine = constrained > 0 ? Math.min(constrained, totalmem()) : totalmem();
  return Math.floor(machine * MEMORY_FRACTION_DEFAULT);
}

/** Why this process should stop for memory now, or null: resident set size and V8 heap. */
export function memoryPressure(limitBytes: number): string | null {
  const rss = process.memoryUsage.rss();
  if (rss > limitBytes) return `memory limit ${Math.round(limitBytes / MIB)} MiB reached (resident ${Math.round(rss / MIB)} MiB)`;
  const heap = getHeapStatistics();
  if (heap.used_heap_size > heap.heap_size_limit * HEAP_FRACTION_MAX) {
    return `V8 heap near its limit (${Math.round(heap.used_heap_size / MIB)} of ${Math.round(heap.heap_size_limit / MIB)} MiB)`;
  }
  return null;
}
