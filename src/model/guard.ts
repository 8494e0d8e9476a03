// Model errors are results, not crashes. `guardActorSpec` wraps a protocol from outside the world:
// a handler that throws, or returns an invalid step (no state, a send to a node that does not
// exist, a timer that is not a string), leaves its node holding a *model error marker* in place of
// its volatile state, and the invariant `ModelError` (checked first) is broken in that world. So a
// model bug becomes a counterexample like any other: found by every strategy, written as a trace,
// and replayed to the same error. The CLI exits 4 on it.
//
// Paranoid mode (`--paranoid`, on in the vitest helper) also hands every handler deep-frozen copies
// of its inputs (a mutation throws), forbids Math.random, Date.now and performance.now while a
// handler runs, and runs every handler twice, requiring the same step both times.
import { isChoice, type ActorProperty, type ActorSpec, type Choice, type NodeId, type NodeState, type Step, type WorldView } from './actor.ts';
import { canonical } from '../util/canonical.ts';

/** The name of the invariant a model error breaks. */
export const MODEL_ERROR = 'ModelError';
/** The key of the marker a failed handler leaves in its node's volatile state. */
export const MODEL_ERROR_KEY = 'ordeal:modelError';

/** What a model error marker records. */
export interface ModelErrorDetail {
  /** The handler and its arguments, e.g. `onMessage(n1, from n0, {"type":"prepare"})`. */
  readonly handler: string;
  readonly message: string;
}

export interface GuardOptions {
  /** Freeze inputs, forbid clocks and randomness, run every handler twice (slower). */
  readonly paranoid?: boolean;
}

/** A property that threw: not a state of the model, so it cannot be a trace; the CLI exits 4. */
export class ModelFault extends Error {}

type Marker = { readonly [MODEL_ERROR_KEY]: ModelErrorDetail };

export function isModelErrorMarker(value: unknown): value is Marker {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, MODEL_ERROR_KEY);
}

/** The first model error marker anywhere inside `value` (a world's picture, a trace state), or null. */
export function findModelError(value: unknown): ModelErrorDetail | null {
  const stack: unknown[] = [value];
  for (let visited = 0; stack.length > 0 && visited < 100_000; visited++) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (isModelErrorMarker(v)) return v[MODEL_ERROR_KEY];
    // Children pushed last-first so the first is visited first; never reverse `v` itself: it is
    // the caller's state (reversing it in place once made printed counterexamples invent changes).
    const children = Array.isArray(v) ? v : Object.values(v);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return null;
}

/** One line of JSON for a value, cut to 120 characters. */
export const short = (value: unknown): string => {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

export function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || Object.isFrozen(v)) continue;
    Object.freeze(v);
    for (const key of Reflect.ownKeys(v)) stack.push((v as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** A deep-frozen copy (the original may be shared with the engine, which is not frozen here). */
function frozenCopy<T>(value: T): T {
  try {
    return deepFreeze(structuredClone(value));
  } catch {
    return value; // functions or class instances in state: not copied, not frozen
  }
}

class Forbidden extends Error {}

/** How a model error report words a throw: `threw TypeError: ...`, or a schema's own wording. */
export function thrownText(error: unknown, paranoid = false): string {
  const e = error as Error | null | undefined;
  if (error instanceof Forbidden) return e!.message;
  if (e?.name === 'SchemaError' && typeof e.message === 'string') return `broke its schema: ${e.message.replace(/^schema: /, '')}`;
  const hint = paranoid && error instanceof TypeError && /read.only|not extensible|Cannot (assign|add|delete|define)/i.test(e!.message) ? ' (it mutated its input, which paranoid mode freezes)' : '';
  return `threw ${e?.name ?? 'an error'}: ${e?.message ?? String(error)}${hint}`;
}

/** Run `call` with Math.random, Date.now and performance.now throwing. */
export function withoutClocks<T>(call: () => T): T {
  const saved = { random: Math.random, now: Date.now, perf: performance.now };
  const forbid = (name: string) => () => {
    throw new Forbidden(`called ${name}, which makes the step differ between runs (use a parameter, a timer or the node's state instead)`);
  };
  Math.random = forbid('Math.random');
  Date.now = forbid('Date.now');
  performance.now = forbid('performance.now');
  try {
    return call();
  } finally {
    Math.random = saved.random;
    Date.now = saved.now;
    performance.now = saved.perf;
  }
}

/** Why `step` is not a valid step for a spec of `nodeCount` nodes, or null. */
export function invalidStep(step: unknown, nodeCount: number, allowUndefined: boolean): string | null {
  if (step === undefined) return allowUndefined ? null : 'returned undefined (this handler must return a step)';
  if (typeof step !== 'object' || step === null) return `returned ${short(step)}, not a step {state, send?, setTimers?, cancelTimers?}`;
  const s = step as Record<string, unknown>;
  const state = s.state as Record<string, unknown> | undefined;
  if (typeof state !== 'object' || state === null || !('durable' in state) || !('volatile' in state) || state.durable === undefined || state.volatile === undefined) {
    return `returned a step whose state is ${short(s.state)}, not {durable, volatile}`;
  }
  if (s.send !== undefined) {
    if (!Array.isArray(s.send)) return `returned send = ${short(s.send)}, not an array`;
    for (const send of s.send as unknown[]) {
      const to = (send as { to?: unknown } | null)?.to;
      if (typeof to !== 'number' || !Number.isInteger(to) || to < 0 || to >= nodeCount) {
        return `sends ${short(send)} to node ${short(to)}, which does not exist (nodes are 0..${nodeCount - 1})`;
      }
      if ((send as { msg?: unknown }).msg === undefined) return `sends a message with no msg to node ${to}`;
    }
  }
  for (const key of ['setTimers', 'cancelTimers'] as const) {
    const timers = s[key];
    if (timers === undefined) continue;
    if (!Array.isArray(timers) || !timers.every((t) => typeof t === 'string')) return `returned ${key} = ${short(timers)}, not an array of timer names`;
  }
  return null;
}

/** Wrap a protocol so that its errors become model error markers (see the file comment). */
export function guardActorSpec<D, V, M>(spec: ActorSpec<D, V, M>, options: GuardOptions = {}): ActorSpec<D, V, M> {
  const paranoid = options.paranoid === true;
  const name = (id: NodeId): string => {
    try {
      return spec.nodeName?.(id) ?? `n${id}`;
    } catch {
      return `n${id}`;
    }
  };
  const failed = (durable: unknown, handler: string, message: string): Step<D, V, M> => ({
    state: { durable: durable as D, volatile: { [MODEL_ERROR_KEY]: { handler, message } } as unknown as V },
  });

  /** Why a handler's Choice is not valid (each alternative is checked like a step), or null. */
  const invalidChoice = (choice: Choice<D, V, M>): string | null => {
    if (!spec.choices) return 'returned a choice {choose}, but the spec does not declare `choices: true`';
    if (!Array.isArray(choice.choose) || choice.choose.length === 0) return `returned a choice of ${short(choice.choose)}, not a non-empty array of steps`;
    for (let k = 0; k < choice.choose.length; k++) {
      const invalid = invalidStep(choice.choose[k], spec.nodeCount, false);
      if (invalid) return `alternative ${k} of its choice ${invalid}`;
    }
    return null;
  };

  /**
   * Call a handler under the guard: its step (or, for onMessage and onTimer, its choice), or a
   * marker step naming what went wrong.
   */
  function run<R extends Step<D, V, M> | Choice<D, V, M>>(handler: string, durable: unknown, allowUndefined: boolean, call: () => R | undefined, allowChoice = false): R | Step<D, V, M> | undefined {
    let step: R | undefined;
    try {
      step = paranoid ? withoutClocks(call) : call();
    } catch (error) {
      return failed(durable, handler, thrownText(error, paranoid));
    }
    const invalid = allowChoice && isChoice(step) ? invalidChoice(step) : invalidStep(step, spec.nodeCount, allowUndefined);
    if (invalid) return failed(durable, handler, invalid);
    if (paranoid) {
      let again: R | undefined;
      try {
        again = withoutClocks(call);
      } catch (error) {
        return failed(durable, handler, `threw on its second call with the same input, not on the first: ${(error as Error)?.message ?? String(error)}`);
      }
      if (canonical(again) !== canonical(step)) {
        return failed(durable, handler, 'returned different steps for the same input (nondeterministic: randomness, a clock, or state kept outside the model)');
      }
    }
    return step;
  }

  const input = <T>(value: T): T => (paranoid ? frozenCopy(value) : value);
  const blocked = (state: NodeState<D, V>): boolean => isModelErrorMarker(state.volatile);

  const onDisconnect = spec.onDisconnect;
  const onConnect = spec.onConnect;
  const onWriteError = spec.onWriteError;
  const guarded: ActorSpec<D, V, M> = {
    ...spec,
    init: (id) => run(`init(${name(id)})`, null, false, () => spec.init(id))!,
    onMessage(id, state, from, msg) {
      if (blocked(state)) return undefined;
      return run(`onMessage(${name(id)}, from ${from < 0 ? 'client' : name(from)}, ${short(msg)})`, state.durable, true, () => spec.onMessage(id, input(state), from, input(msg)), true);
    },
    onTimer(id, state, timer) {
      if (blocked(state)) return undefined;
      return run(`onTimer(${name(id)}, ${short(timer)})`, state.durable, true, () => spec.onTimer(id, input(state), timer), true);
    },
    onRestart: (id, durable) => run(`onRestart(${name(id)})`, durable, false, () => spec.onRestart(id, input(durable)))!,
    ...(onDisconnect
      ? {
          onDisconnect(id: NodeId, state: NodeState<D, V>, peer: NodeId) {
            if (blocked(state)) return undefined;
            return run(`onDisconnect(${name(id)}, peer ${name(peer)})`, state.durable, true, () => onDisconnect.call(spec, id, input(state), peer));
          },
        }
      : {}),
    ...(onConnect
      ? {
          onConnect(id: NodeId, state: NodeState<D, V>, peer: NodeId) {
            if (blocked(state)) return undefined;
            return run(`onConnect(${name(id)}, peer ${name(peer)})`, state.durable, true, () => onConnect.call(spec, id, input(state), peer));
          },
        }
      : {}),
    ...(onWriteError
      ? {
          onWriteError(id: NodeId, state: NodeState<D, V>) {
            if (blocked(state)) return undefined;
            return run(`onWriteError(${name(id)})`, state.durable, true, () => onWriteError.call(spec, id, input(state)));
          },
        }
      : {}),
    properties: [modelErrorProperty<D, V, M>(), ...spec.properties.map((p) => guardProperty(p))],
    ...(spec.describeMessage
      ? {
          describeMessage: (msg: M) => {
            try {
              return spec.describeMessage!(msg);
            } catch {
              return short(msg);
            }
          },
        }
      : {}),
    ...(spec.symmetry
      ? {
          symmetry: {
            ...spec.symmetry,
            renameVolatile: (v: V, rename: (id: NodeId) => NodeId) => (isModelErrorMarker(v) ? v : spec.symmetry!.renameVolatile(v, rename)),
          },
        }
      : {}),
  };
  return guarded;
}

function modelErrorProperty<D, V, M>(): ActorProperty<D, V, M> {
  return {
    name: MODEL_ERROR,
    description: 'no handler threw or returned an invalid step',
    kind: 'invariant',
    // Broken with a message: the failed handler and why, for the counterexample's header.
    test(w) {
      const node = w.nodes.find((n) => isModelErrorMarker(n.volatile));
      return node ? modelErrorMessage((node.volatile as unknown as Marker)[MODEL_ERROR_KEY]) : true;
    },
  };
}

/** How a counterexample's header words a model error: `<handler>: <why>`. */
export function modelErrorMessage(detail: ModelErrorDetail): string {
  return `${detail.handler}: ${detail.message}`;
}

function hasMarker(w: WorldView<unknown, unknown, unknown>): boolean {
  return w.nodes.some((n) => isModelErrorMarker(n.volatile));
}

/** A user property: skipped in a world holding a model error; a throw becomes a ModelFault. */
function guardProperty<D, V, M>(p: ActorProperty<D, V, M>): ActorProperty<D, V, M> {
  return {
    ...p,
    test(w) {
      if (hasMarker(w)) return p.kind === 'invariant';
      try {
        return p.test(w);
      } catch (error) {
        throw propertyFault(p.name, error);
      }
    },
  };
}

/** A property that threw: a fault of the model (exit 4, no trace), for actor and spec models alike. */
export function propertyFault(name: string, error: unknown): ModelFault {
  return new ModelFault(`property ${name} threw ${(error as Error)?.name ?? 'an error'}: ${(error as Error)?.message ?? String(error)}`);
}
