// `ordeal explore`'s core: a session that walks one model's state space by hand. It holds the
// path taken (the initial state, then each event and the state after it), a position on it (back
// and forward move it; taking an event other than the next one forks: the old future is dropped),
// the enabled events of the current state, the properties' status there, and watch expressions
// evaluated at every step. It can load a trace (from check, simulate, a test) and continue from any
// of its steps, search from the current state with a bounded BFS (`searchFrom`), and give the path
// as a trace that `ordeal replay` accepts. Pure: no files, no clock but the injected one, no I/O;
// the command line's HTTP layer (src/cli/explore-server.ts) serves it to the page.
import type { ModelDefinition, Params, RunConfig } from '../model/define.ts';
import { checkVariant, InputError, resolveConfig, resolveParams } from '../model/resolve.ts';
import { violationText, type Event, type TransitionSystem } from '../model/system.ts';
import { explore, type SearchOutcome } from '../explore/index.ts';
import type { Progress } from '../explore/outcome.ts';
import type { CancelSignal } from '../explore/control.ts';
import { parseTrace, TRACE_FORMAT, TRACE_VERSION, TraceFormatError, type Trace } from '../trace/format.ts';
import { changedPaths } from '../trace/reading.ts';
import { diffPictures } from '../trace/diff.ts';
import { canonical } from '../util/canonical.ts';
import { libraryCaller, resolveRun, type RunOptions } from './options.ts';
import { evaluateWatch, parseWatch, type WatchExpression } from './explore-watch.ts';

export { parseWatch, evaluateWatch, type WatchExpression } from './explore-watch.ts';

/** The most watch expressions a session keeps. */
export const MAX_WATCHES = 16;
/** The longest path a session keeps (events from the initial state). */
export const MAX_PATH_EVENTS = 100_000;
/** A bounded search from the current state stops (inconclusive) at these limits unless asked for fewer. */
export const SEARCH_LIMITS_MAX = { maxStates: 2_000_000, maxDepth: 1_000, timeLimitMs: 120_000 } as const;
export const SEARCH_LIMITS_DEFAULT = { maxStates: 100_000, maxDepth: 40, timeLimitMs: 20_000 } as const;

/** One step of the path: the event taken (null for the initial state) and the state it led to. */
interface PathStep {
  readonly event: Event | null;
  readonly description: string;
  readonly state: unknown;
  readonly picture: unknown;
  /** The invariants broken in `state`, computed once. */
  readonly broken: readonly string[];
}

/** What the page shows of an enabled event. */
export interface EnabledEventView extends EventTags {
  readonly event: Event;
  readonly kind: string;
  readonly description: string;
}

/** What the page filters and collapses by: the nodes an event involves and its message type (else its kind). */
export interface EventTags {
  /** The sender first (a delivery, drop or duplicate), then the receiver or the node; names as the state shows them. */
  readonly nodes: readonly string[];
  readonly type: string;
}

export interface PropertyView {
  readonly name: string;
  readonly kind: 'invariant' | 'reachable';
  readonly description: string;
  /** An invariant: true when it holds. A reachable target: true when reached here. */
  readonly holds: boolean;
  /** Why it does not hold (the counterexample's wording), or null. */
  readonly message: string | null;
}

export interface StepView extends EventTags {
  readonly index: number;
  readonly event: Event | null;
  readonly description: string;
  /** Names of the invariants broken in the state after this step. */
  readonly broken: readonly string[];
}

export interface WatchView {
  readonly source: string;
  /** The value at every step of the path (undefined where the path does not lead), or the error. */
  readonly values: readonly unknown[];
  readonly error: string | null;
}

export interface SessionView {
  readonly model: string;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
  /** Node names in the model's order ('client' first when clients send), for lanes and filters; empty for specs. */
  readonly lanes: readonly string[];
  /** The step shown (0: the initial state). */
  readonly position: number;
  readonly steps: readonly StepView[];
  /** The picture (system.show) of the state at `position`, and of the one before it. */
  readonly state: unknown;
  readonly previous: unknown;
  readonly changes: readonly string[];
  readonly changedPaths: readonly string[];
  readonly enabled: readonly EnabledEventView[];
  readonly properties: readonly PropertyView[];
  readonly watches: readonly WatchView[];
  /** The first step of the path where an invariant breaks, or null. */
  readonly firstViolation: { readonly step: number; readonly property: string; readonly message: string } | null;
}

export interface SearchLimits {
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeLimitMs?: number;
}

export interface SearchSummary {
  readonly result: SearchOutcome['result'];
  readonly from: number;
  readonly distinctStates: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly reasons: readonly string[];
  /** The violation found, at `step` of the session's new path, or null. */
  readonly violation: { readonly property: string; readonly message: string; readonly step: number } | null;
}

export interface SessionOptions extends RunOptions {
  /** Open this trace (its variant, params and config win over the options') at `step` (default: its end). */
  readonly trace?: Trace | unknown;
  readonly step?: number;
  readonly now?: () => number;
}

const caller = libraryCaller('explore');

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Node names of an actor world's picture (`{nodes: {name: ...}}`), or none. */
function nodeNamesOf(picture: unknown): string[] {
  return isRecord(picture) && isRecord(picture.nodes) ? Object.keys(picture.nodes) : [];
}

/** The nodes an event involves and its message type, for filters. */
export function tagsOf(event: Event | null, names: readonly string[]): EventTags {
  if (event === null) return { nodes: [], type: 'initial' };
  const name = (id: unknown): string[] => (id === -1 ? ['client'] : typeof id === 'number' && id >= 0 && id < names.length ? [names[id]] : []);
  const nodes = [...name(event.from), ...name(event.to), ...name(event.node)];
  const type = isRecord(event.msg) && typeof event.msg.type === 'string' ? event.msg.type : event.kind === 'action' && typeof event.action === 'string' ? event.action : event.kind;
  return { nodes, type };
}

/** Build a system that starts in `state`: what every strategy can then search from there. */
export function startingFrom<S>(system: TransitionSystem<S>, state: S): TransitionSystem<S> {
  const start = system.retain(state);
  const wrapped = Object.create(system) as TransitionSystem<S> & { initialStates: () => S[] };
  Object.defineProperty(wrapped, 'initialStates', { value: () => [system.retain(start)] });
  return wrapped;
}

/**
 * Search from `state` with a bounded BFS: the minimal way to "check from here" (the strategies start
 * from a system's initial states, so the system is wrapped to start in `state`). Events in the
 * outcome's violation are relative to `state`.
 */
export function searchFrom<S>(
  system: TransitionSystem<S>,
  state: S,
  limits: SearchLimits & { now?: () => number; onProgress?: (p: Progress) => void; signal?: CancelSignal } = {},
): SearchOutcome {
  return explore('bfs', startingFrom(system, state), {
    maxStates: limits.maxStates,
    maxDepth: limits.maxDepth,
    timeLimitMs: limits.timeLimitMs,
    now: limits.now ?? (() => performance.now()),
    onProgress: limits.onProgress,
    signal: limits.signal,
  });
}

function boundedLimit(name: keyof typeof SEARCH_LIMITS_MAX, value: number | undefined): number {
  if (value === undefined) return SEARCH_LIMITS_DEFAULT[name];
  if (!Number.isSafeInteger(value) || value < 1 || value > SEARCH_LIMITS_MAX[name]) {
    throw new InputError(`explore: ${name} must be an integer from 1 to ${SEARCH_LIMITS_MAX[name]}, got ${String(value)}`);
  }
  return value;
}

function readTraceInput(input: unknown): Trace {
  try {
    return parseTrace(typeof input === 'string' ? JSON.parse(input) : input);
  } catch (error) {
    if (error instanceof TraceFormatError || error instanceof SyntaxError) throw new InputError(`explore: ${error.message}`);
    throw error;
  }
}

export class ExploreSession {
  readonly system: TransitionSystem<unknown>;
  readonly variant: string;
  readonly params: Params;
  readonly config: RunConfig;
  private readonly initialIndex: number;
  private path: PathStep[];
  private position = 0;
  private watchList: WatchExpression[] = [];
  private readonly now: () => number;

  constructor(readonly model: ModelDefinition, options: SessionOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    const trace = options.trace === undefined ? null : readTraceInput(options.trace);
    if (trace !== null) {
      if (trace.model.name !== model.name) throw new InputError(`explore: the trace is of model ${trace.model.name}, not ${model.name}`);
      if (trace.model.version !== model.version) throw new InputError(`explore: the trace was written for ${model.name} version ${trace.model.version}; this model is version ${model.version}`);
      this.variant = checkVariant(model, trace.model.variant);
      this.params = resolveParams(model, trace.model.params);
      this.config = { ...resolveConfig(model, {}), ...trace.config };
    } else {
      const run = resolveRun(caller, model, options);
      ({ variant: this.variant, params: this.params, config: this.config } = run);
    }
    this.system = model.build({ params: this.params, variant: this.variant, config: this.config });
    const initials = this.system.initialStates();
    this.initialIndex = trace?.initial ?? 0;
    if (this.initialIndex >= initials.length) throw new InputError(`explore: initial state ${this.initialIndex} does not exist (${initials.length} initial states)`);
    const first = this.system.retain(initials[this.initialIndex]);
    this.path = [{ event: null, description: 'initial state', state: first, picture: this.system.show(first), broken: this.broken(first) }];
    if (trace !== null) {
      this.extend(trace.events, 'the trace');
      this.position = this.path.length - 1;
    }
    if (options.step !== undefined) this.goto(options.step);
  }

  /** Append events to the path from its end; an event that is not enabled is an InputError. */
  private extend(events: readonly Event[], what: string): void {
    if (this.path.length - 1 + events.length > MAX_PATH_EVENTS) throw new InputError(`explore: a path holds at most ${MAX_PATH_EVENTS} events`);
    events.forEach((event, i) => {
      const before = this.path[this.path.length - 1].state;
      const enabled = this.system.enabled(before).map(canonical);
      if (!enabled.includes(canonical(event))) {
        throw new InputError(`explore: event ${i + 1} of ${what} (${JSON.stringify(event).slice(0, 200)}) is not enabled in the state before it`);
      }
      const description = this.system.describe(event, before);
      const state = this.system.retain(this.system.step(before, event));
      this.path.push({ event, description, state, picture: this.system.show(state), broken: this.broken(state) });
    });
  }

  get length(): number {
    return this.path.length - 1;
  }

  get at(): number {
    return this.position;
  }

  private current(): PathStep {
    return this.path[this.position];
  }

  enabled(): EnabledEventView[] {
    const state = this.current().state;
    const names = nodeNamesOf(this.path[0].picture);
    return this.system.enabled(state).map((event) => ({ event, kind: event.kind, description: this.system.describe(event, state), ...tagsOf(event, names) }));
  }

  /**
   * Take an enabled event of the current state (given as the event itself, which must equal one the
   * system lists). The next step of the path when it is the same event; else a fork.
   */
  take(event: unknown): void {
    const key = canonical(event);
    const chosen = this.system.enabled(this.current().state).find((e) => canonical(e) === key);
    if (chosen === undefined) throw new InputError(`explore: the event ${JSON.stringify(event)?.slice(0, 200)} is not enabled at step ${this.position}`);
    const next = this.path[this.position + 1];
    if (next !== undefined && canonical(next.event) === key) {
      this.position++;
      return;
    }
    this.path = this.path.slice(0, this.position + 1);
    this.extend([chosen], 'the choice');
    this.position++;
  }

  back(): void {
    if (this.position > 0) this.position--;
  }

  forward(): void {
    if (this.position < this.length) this.position++;
  }

  goto(step: number): void {
    if (!Number.isSafeInteger(step) || step < 0 || step > this.length) throw new InputError(`explore: step must be an integer from 0 to ${this.length}, got ${String(step)}`);
    this.position = step;
  }

  /** Replace the session's path by a trace of the same model, variant, params and config. */
  load(input: unknown, step?: number): void {
    const trace = readTraceInput(input);
    const mismatch =
      trace.model.name !== this.model.name ||
      trace.model.variant !== this.variant ||
      canonical(trace.model.params) !== canonical(this.params) ||
      canonical({ ...this.config, ...trace.config }) !== canonical(this.config) ||
      trace.initial !== this.initialIndex;
    if (mismatch) throw new InputError(`explore: the trace is not of ${this.model.name} [${this.variant}] with this session's parameters and configuration; open it with \`ordeal explore trace.json\``);
    const before = this.path;
    this.path = this.path.slice(0, 1);
    try {
      this.extend(trace.events, 'the trace');
    } catch (error) {
      this.path = before;
      throw error;
    }
    this.position = step === undefined ? this.length : Math.min(this.length, Math.max(0, step));
  }

  addWatch(source: string): void {
    if (this.watchList.length >= MAX_WATCHES) throw new InputError(`explore: at most ${MAX_WATCHES} watch expressions`);
    const expression = parseWatch(source);
    if (this.watchList.some((w) => w.source === expression.source)) return;
    this.watchList.push(expression);
  }

  removeWatch(source: string): void {
    this.watchList = this.watchList.filter((w) => w.source !== source);
  }

  /** The invariants a state breaks. */
  private broken(state: unknown): string[] {
    return this.system.properties.filter((p) => p.kind === 'invariant' && !p.test(state)).map((p) => p.name);
  }

  properties(): PropertyView[] {
    const state = this.current().state;
    return this.system.properties.map((p) => {
      const holds = p.test(state);
      const message = !holds && p.kind === 'invariant' ? violationText(p, state) : null;
      return { name: p.name, kind: p.kind, description: p.description, holds, message };
    });
  }

  private firstViolation(upTo: number): SessionView['firstViolation'] {
    for (let i = 0; i <= upTo; i++) {
      const { state, broken } = this.path[i];
      const property = this.system.properties.find((p) => p.name === broken[0]);
      if (property) return { step: i, property: property.name, message: violationText(property, state) };
    }
    return null;
  }

  view(): SessionView {
    const here = this.current();
    const previous = this.path[Math.max(0, this.position - 1)].picture;
    const names = nodeNamesOf(this.path[0].picture);
    const first = this.path[0].picture;
    const clientSends = isRecord(first) && Array.isArray(first.inFlight) && first.inFlight.some((m) => typeof m === 'string' && m.startsWith('client -> '));
    const usesClient = clientSends || this.path.some((s) => s.event?.from === -1);
    return {
      model: this.model.name,
      variant: this.variant,
      params: this.params,
      config: this.config,
      lanes: usesClient && !names.includes('client') ? ['client', ...names] : names,
      position: this.position,
      steps: this.path.map((s, index) => ({ index, event: s.event, description: s.description, broken: s.broken, ...tagsOf(s.event, names) })),
      state: here.picture,
      previous,
      changes: this.position === 0 ? [] : diffPictures(previous, here.picture).map((line) => line.trim()),
      changedPaths: this.position === 0 ? [] : changedPaths(previous, here.picture),
      enabled: this.enabled(),
      properties: this.properties(),
      watches: this.watchList.map((w) => {
        const values = this.path.map((s) => evaluateWatch(w, s.picture));
        const failed = values.find((v) => v.error !== null);
        return { source: w.source, values: values.map((v) => v.value), error: failed ? failed.error : null };
      }),
      firstViolation: this.firstViolation(this.length),
    };
  }

  /**
   * A bounded BFS from the current state. A violation found replaces the path's future with the
   * shortest way to it (the page steps through it from here); the position stays.
   */
  search(limits: SearchLimits = {}, onProgress?: (p: Progress) => void, signal?: CancelSignal): SearchSummary {
    const bounded = { maxStates: boundedLimit('maxStates', limits.maxStates), maxDepth: boundedLimit('maxDepth', limits.maxDepth), timeLimitMs: boundedLimit('timeLimitMs', limits.timeLimitMs) };
    const outcome = searchFrom(this.system, this.current().state, { ...bounded, now: this.now, onProgress, signal });
    const from = this.position;
    const v = outcome.violation;
    if (v !== null) {
      this.path = this.path.slice(0, from + 1);
      this.extend(v.events, 'the search result');
    }
    return {
      result: outcome.result,
      from,
      distinctStates: outcome.distinctStates,
      depth: outcome.depth,
      elapsedMs: outcome.elapsedMs,
      reasons: outcome.inconclusiveReasons,
      violation: v === null ? null : { property: v.property, message: v.description, step: from + v.length },
    };
  }

  /**
   * The path up to `upTo` (default: the current position) as a trace `ordeal replay` accepts: it
   * stops at the first broken invariant, which it records as its violation.
   */
  trace(upTo = this.position): Trace {
    const violation = this.firstViolation(upTo);
    const end = violation === null ? upTo : violation.step;
    return {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      model: { name: this.model.name, version: this.model.version, variant: this.variant, params: this.params },
      config: this.config,
      strategy: 'explore',
      seed: null,
      initial: this.initialIndex,
      events: this.path.slice(1, end + 1).map((s) => s.event!),
      violation,
    };
  }
}
