// The three network semantics over interned envelope ids. A network is an immutable array kept in
// canonical order: sorted by content for `set` and `unordered` (so two worlds with the same
// messages compare equal however they were sent), grouped by channel in send order for `fifo`.
import type { NetworkKind } from '../model/define.ts';
import type { EnvelopeTable } from './envelopes.ts';

export type Network = readonly number[];

/** Add one copy of `id`. A `set` network keeps a single copy. */
export function sendTo<M>(kind: NetworkKind, table: EnvelopeTable<M>, net: Network, id: number): Network {
  if (kind === 'fifo') {
    // Append after the last message of the same channel.
    let at = net.length;
    while (at > 0 && table.compareChannel(net[at - 1], id) > 0) at--;
    return [...net.slice(0, at), id, ...net.slice(at)];
  }
  let lo = 0;
  let hi = net.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (table.compare(net[mid], id) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (kind === 'set' && lo < net.length && net[lo] === id) return net;
  return [...net.slice(0, lo), id, ...net.slice(lo)];
}

/** Remove one copy of `id` (the first one; for fifo that is the channel's head). */
export function removeOne(net: Network, id: number): Network {
  const at = net.indexOf(id);
  if (at < 0) throw new Error(`network: message ${id} is not in flight`);
  return [...net.slice(0, at), ...net.slice(at + 1)];
}

/**
 * Indices of the deliverable copies: every distinct id once (unordered, set), or each channel's
 * head (fifo).
 */
export function deliverable<M>(kind: NetworkKind, table: EnvelopeTable<M>, net: Network): number[] {
  const out: number[] = [];
  for (let i = 0; i < net.length; i++) {
    if (i > 0 && (kind === 'fifo' ? table.compareChannel(net[i - 1], net[i]) === 0 : net[i - 1] === net[i])) continue;
    out.push(net[i]);
  }
  return out;
}

/** Distinct ids in flight (targets of drop and duplicate). */
export function distinctIds(net: Network): number[] {
  const out: number[] = [];
  for (let i = 0; i < net.length; i++) if (i === 0 || net[i] !== net[i - 1]) out.push(net[i]);
  return out;
}
