// Linearizability of client histories (`ordeal linearizable`), as the command line reaches it.
export * from '../linearizability/index.ts';
