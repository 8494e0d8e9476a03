// The built-in models, in the order `ordeal list` and `npm start` show them.
import type { ModelDefinition } from '../src/index.ts';
import { paxosTla } from './paxos-tla/index.ts';
import { paxosTlaObject } from './paxos-tla/object.ts';
import { multipaxos } from './multipaxos/index.ts';
import { paxos } from './paxos/index.ts';
import { raft } from './raft/index.ts';
import { zab } from './zab/index.ts';

export const builtinModels: readonly ModelDefinition[] = [paxosTla, paxosTlaObject, paxos, zab, multipaxos, raft];
