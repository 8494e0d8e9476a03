// The trace file: versioned JSON holding everything needed to replay a run exactly.
import type { Params, RunConfig } from '../model/define.ts';
import type { Event } from '../model/system.ts';

export const TRACE_FORMAT = 'ordeal-trace';
export const TRACE_VERSION = 1;

export interface Trace {
  readonly format: typeof TRACE_FORMAT;
  readonly version: number;
  readonly model: {
    readonly name: string;
    readonly version: number;
    readonly variant: string;
    readonly params: Params;
    /** Optional: the model file the trace was written from (absent for built-in models). */
    readonly source?: ModelFileRef;
  };
  readonly config: RunConfig;
  readonly strategy: string;
  readonly seed: number | null;
  /** Index into the system's initial states. */
  readonly initial: number;
  readonly events: readonly Event[];
  /** The violation this trace ends in: `step` is the number of events after which it holds. */
  readonly violation: {
    readonly property: string;
    readonly message: string;
    readonly step: number;
    /** Optional (simulation): 'liveness' when a progress target did not hold in time; absent means safety. */
    readonly kind?: 'safety' | 'liveness';
  } | null;
  /**
   * Optional (check --liveness): the trace is a lasso. `loop` is the index of the state where its
   * cycle starts: events[loop..] lead from that state back to it and repeat forever (none: the last
   * state stutters forever, no fair event being enabled there). Its violation is a liveness one.
   */
  readonly loop?: number;
  /** Optional (simulation): the run index whose derived seed produced this trace. */
  readonly run?: number;
  /** Optional (shrinking): the number of events before the trace was shrunk. */
  readonly shrunkFrom?: number;
  /** Optional (simulation): the simulation options that, with `seed` and `run`, reproduce the run. */
  readonly simulation?: Readonly<Record<string, unknown>>;
}

/** Where a model from outside ordeal came from: its file and the file's content hash. */
export interface ModelFileRef {
  /** The model file, relative to the directory of the trace that records it ('/' separators). */
  readonly file: string;
  /** SHA-256 (hex) of the file's content when the trace was written. */
  readonly sha256: string;
}

export class TraceFormatError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function need(cond: boolean, what: string): asserts cond {
  if (!cond) throw new TraceFormatError(`invalid trace: ${what}`);
}

/** Validate parsed JSON as a trace; throws TraceFormatError naming the first problem. */
export function parseTrace(data: unknown): Trace {
  need(isRecord(data), 'not a JSON object');
  need(data.format === TRACE_FORMAT, `format must be "${TRACE_FORMAT}"`);
  need(data.version === TRACE_VERSION, `version ${String(data.version)} is not supported (this ordeal reads ${TRACE_VERSION})`);
  const m = data.model;
  need(isRecord(m), 'model missing');
  need(typeof m.name === 'string' && typeof m.variant === 'string' && typeof m.version === 'number', 'model.name/variant/version');
  need(isRecord(m.params) && Object.values(m.params).every((v) => Number.isInteger(v) || typeof v === 'boolean' || typeof v === 'string'), 'model.params must map names to integers, booleans or strings');
  need(
    m.source === undefined || (isRecord(m.source) && typeof m.source.file === 'string' && typeof m.source.sha256 === 'string' && /^[0-9a-f]{64}$/.test(m.source.sha256)),
    'model.source must be {file, sha256} (a file path and a hex SHA-256)',
  );
  const c = data.config;
  need(isRecord(c) && typeof c.network === 'string' && isRecord(c.faults), 'config.network/faults');
  need(
    c.invariants === undefined || (Array.isArray(c.invariants) && c.invariants.length > 0 && c.invariants.every((n) => typeof n === 'string')),
    'config.invariants must be a non-empty array of invariant names (the ones the run checked)',
  );
  need(typeof data.strategy === 'string', 'strategy');
  need(data.seed === null || typeof data.seed === 'number', 'seed');
  need(Number.isInteger(data.initial) && (data.initial as number) >= 0, 'initial');
  need(Array.isArray(data.events), 'events must be an array of the events taken from the initial state ({"kind": ..., ...})');
  const bad = (data.events as unknown[]).findIndex((e) => !isRecord(e) || typeof e.kind !== 'string');
  need(bad < 0, `event ${bad + 1} is not an event (an object with a string "kind"): ${JSON.stringify((data.events as unknown[])[bad])?.slice(0, 80)}`);
  const v = data.violation;
  need(
    v === null ||
      (isRecord(v) && typeof v.property === 'string' && typeof v.message === 'string' && Number.isInteger(v.step)),
    'violation',
  );
  need(v === null || v.kind === undefined || v.kind === 'safety' || v.kind === 'liveness', "violation.kind must be 'safety' or 'liveness'");
  need(data.loop === undefined || (Number.isInteger(data.loop) && (data.loop as number) >= 0 && (data.loop as number) <= (data.events as unknown[]).length), 'loop must be the index of a state of the trace (0 .. the number of events)');
  need(data.run === undefined || (Number.isInteger(data.run) && (data.run as number) >= 0), 'run must be a non-negative integer');
  need(data.shrunkFrom === undefined || (Number.isInteger(data.shrunkFrom) && (data.shrunkFrom as number) >= 0), 'shrunkFrom must be a non-negative integer');
  need(data.simulation === undefined || isRecord(data.simulation), 'simulation must be an object');
  return data as unknown as Trace;
}
