/**
 * multipaxos — PROSE TODO
 */
import type { Params } from '../../src/model/define.ts';
import { defineActorModel } from '../../src/world/actor-model.ts';
import { multiPaxosProtocol } from './protocol.ts';
import { NORMAL, type Behaviour, type Durable, type Msg, type Volatile } from './types.ts';

const BEHAVIOURS: Readonly<Record<string, Partial<Behaviour>>> = {
  default: {},
  'local-reads': { localReads: true },
  'skips-phase-1': { skipsPhase1: true },
  'ignores-reported-command': { ignoresReported: true },
  'no-dedup': { noDedup: true },
};

export function multiPaxosFor(params: Params, variant: string) {
  const behaviour = BEHAVIOURS[variant];
  if (!behaviour) throw new Error(`multipaxos: unknown variant ${variant}`);
  return multiPaxosProtocol({
    servers: params.servers,
    operations: params.operations,
    retries: params.retries,
    candidates: Math.min(params.candidates, params.servers - 1),
    rounds: params.rounds,
    broadcast: params.broadcast === 1,
    behaviour: { ...NORMAL, ...behaviour },
  });
}

export const multipaxos = defineActorModel<Durable, Volatile, Msg>({
  name: 'multipaxos',
  version: 1,
  description: 'a kv store replicated on a Multi-Paxos log (leader, replicas, retrying clients), judged by linearizability',
  params: {
    servers: { default: 3, min: 1, max: 5, description: 'servers (each an acceptor and a replica; s0 leads ballot 0 at the start)' },
    operations: { default: 2, min: 1, max: 3, description: 'client operations, one logical client each: cas k ""->"1", get k, put k "2" (the first n)' },
    retries: { default: 0, min: 0, max: 2, description: 'retries per operation (same id, next server)' },
    candidates: { default: 1, min: 0, max: 4, description: 'servers s1..s{candidates} may start an election when their timer fires' },
    rounds: { default: 1, min: 1, max: 3, description: 'the highest round a candidate starts (ballot = round * 10 + server)' },
    broadcast: { default: 0, min: 0, max: 1, description: '1: prepare and accept go to every other server; 0: to the q-1 highest-numbered others (thrifty)' },
  },
  variants: {
    default: { description: 'Multi-Paxos kv store as designed', expected: 'pass' },
    'local-reads': { description: 'mutant: local reads', expected: 'Linearizable' },
    'skips-phase-1': { description: 'mutant: skips phase 1', expected: 'SlotAgreement' },
    'ignores-reported-command': { description: 'mutant: ignores reported', expected: 'SlotAgreement' },
    'no-dedup': { description: 'mutant: no dedup', expected: 'Linearizable' },
  },
  defaultConfig: { network: 'unordered', faults: { crashes: 1, partitions: 0, drops: 0, duplicates: 0 } },
  protocol: multiPaxosFor,
});
