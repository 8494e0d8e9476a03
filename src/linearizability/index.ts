// Linearizability checking of concurrent histories: the public surface of this folder.
export { checkLinearizability, defaultMaxMemoryBytes, formatExplanation, LinearizabilityCheck, type CheckOptions, type Explanation, type LinearizabilityResult, type LinearizabilityVerdict, type SearchProgress, type StopCause } from './check.ts';
export { generateHistory, injectLostWrite, injectStaleRead, seededRandom, type GeneratedHistory, type GenerateOptions } from './generate.ts';
export { describeOperation, describeTimes, HistoryError, SPEC_NAMES, type CasInput, type History, type Operation, type OperationName, type SpecName, type Value, type ZnodeInput } from './history.ts';
export { historyFromJepsen } from './jepsen-format.ts';
export { historyFromJson, historyToJson, parseSpecName } from './json-format.ts';
export { SPECS, type SequentialSpec } from './specs.ts';
export { renderFailureTimeline, renderTimeline } from './timeline.ts';
export { parentOf, runZnode, sequentialName, ZNODE_ERRORS } from './znode.ts';
