// The network semantics over interned envelope ids. A network is an immutable array kept in
// canonical order: sorted by content for `set` and `unordered` (so two worlds with the same
// messages compare equal however they were sent), grouped by channel in send order for `fifo` and
// `tcp` (which differ only in what faults do to a channel: see actor-system.ts).
import type { NetworkKind } from '../model/define.ts';
import type { EnvelopeTable } from './envelopes.ts';

export type Network = readonly number[];

/** Whether messages keep their send order per channel (only a channel's head is deliverable). */
export const isOrdered = (kind: NetworkKind): boolean => kind === 'fifo' || kind === 'tcp';

/** Add one copy of `id`. A `set` network keeps a single copy. */
export function sendTo<M>(kind: NetworkKind, table: EnvelopeTable<M>, net: Network, id: number): Network {
  if (isOrdered(kind)) {
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

/** Remove one copy of `id` (the first one; on an ordered network that is the channel's head). */
export function removeOne(net: Network, id: number): Network {
  const at = net.indexOf(id);
  if (at < 0) throw new Error(`network: message ${id} is not in flight`);
  return [...net.slice(0, at), ...net.slice(at + 1)];
}

/**
 * The deliverable ids: every distinct id once (unordered, set), or each channel's head (fifo, tcp).
 */
export function deliverable<M>(kind: NetworkKind, table: EnvelopeTable<M>, net: Network): number[] {
  const out: number[] = [];
  for (let i = 0; i < net.length; i++) {
    if (i > 0 && (isOrdered(kind) ? table.compareChannel(net[i - 1], net[i]) === 0 : net[i - 1] === net[i])) continue;
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

/** The network without every message whose channel `cut(from, to)` says is broken. */
export function withoutChannels<M>(table: EnvelopeTable<M>, net: Network, cut: (from: number, to: number) => boolean): Network {
  return net.filter((id) => {
    const e = table.envelopes[id];
    return !cut(e.from, e.to);
  });
}
