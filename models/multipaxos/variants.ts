// The variants: the Multi-Paxos kv store as designed, and mutants, each a real mistake with the
// property it breaks (README.md has the story of each). A variant is declared once here: its
// description, expected verdict and declared check, and the behaviour switches it turns on.
import type { VariantDecl } from '../../src/index.ts';
import type { Behaviour } from './types.ts';

export const BEHAVIOURS: Readonly<Record<string, Partial<Behaviour>>> = {
  default: {},
  'local-reads': { localReads: true },
  'skips-phase-1': { skipsPhase1: true },
  'ignores-reported-command': { ignoresReported: true },
  'no-dedup': { noDedup: true },
};

export const VARIANTS: Readonly<Record<string, VariantDecl>> = {
  default: { description: 'Multi-Paxos kv store as designed', expected: 'pass' },
  'local-reads': {
    description: 'mutant: the leader answers a get from its own replica without confirming it still leads (no lease, no round of the log); a replaced leader returns a stale value; breaks Linearizable',
    expected: 'Linearizable',
    check: { strategy: 'bfs', params: { retries: 1 } },
  },
  'skips-phase-1': {
    description: 'mutant: a new leader that believes its log is complete skips phase 1, re-proposes only its own votes and puts new commands after them, into a slot another leader already decided; breaks SlotAgreement',
    expected: 'SlotAgreement',
  },
  'ignores-reported-command': {
    description: "mutant: a new leader runs phase 1 but ignores the commands the promises report, so it fills a decided slot with a new command of its own; breaks SlotAgreement",
    expected: 'SlotAgreement',
  },
  'no-dedup': {
    description: 'mutant: the replica applies a retried command again (no deduplication by id); a retried cas that already succeeded fails the second time and that answer reaches the client; breaks Linearizable',
    expected: 'Linearizable',
    check: { strategy: 'bfs', params: { retries: 1 } },
  },
};
