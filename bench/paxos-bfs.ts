// One BFS of paxos-tla in this process, printed as one JSON line.
// usage: node --import tsx bench/paxos-bfs.ts --ballots 4 [--max-states N] [--acceptors 3] [--values 2]
//        [--model paxos-tla|paxos-tla-object] [--symmetry]
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { parseArgs } from 'node:util';
import { bfs } from '../src/explore/bfs.ts';
import { paxosTla } from '../models/paxos-tla/index.ts';
import { paxosTlaObject } from '../models/paxos-tla/object.ts';

const { values: options } = parseArgs({
  options: {
    ballots: { type: 'string', default: '4' },
    acceptors: { type: 'string', default: '3' },
    values: { type: 'string', default: '2' },
    'max-states': { type: 'string' },
    model: { type: 'string', default: 'paxos-tla' },
    symmetry: { type: 'boolean', default: false },
  },
});

const params = {
  acceptors: Number(options.acceptors),
  values: Number(options.values),
  ballots: Number(options.ballots),
};
const model = options.model === 'paxos-tla-object' ? paxosTlaObject : paxosTla;
const system = model.build({ params, variant: 'default', config: { ...model.defaultConfig, symmetry: options.symmetry } });
const maxStates = options['max-states'] === undefined ? undefined : Number(options['max-states']);
const outcome = bfs(system, { now: () => performance.now(), maxStates });
const perState = (bytes: number): number => (outcome.distinctStates > 0 ? bytes / outcome.distinctStates : 0);
console.log(
  JSON.stringify({
    params,
    maxStates: maxStates ?? null,
    result: outcome.result,
    complete: outcome.complete,
    distinctStates: outcome.distinctStates,
    transitions: outcome.transitions,
    depth: outcome.depth,
    elapsedMs: outcome.elapsedMs,
    statesPerSecond: outcome.statesPerSecond,
    visitedBytesPerState: perState(outcome.visitedBytes),
    linkBytesPerState: perState(outcome.linkBytes),
    peakFrontierBytes: outcome.peakFrontierBytes,
    peakRssBytes: resourceUsage().maxRSS * 1024,
  }),
);
