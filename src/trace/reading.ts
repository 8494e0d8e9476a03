// One reading of a trace that every renderer (text, Mermaid, HTML) draws from: the trace replayed
// through its model, every step's event description and state picture (system.show), and, for actor
// worlds, each message from the step that sent it to the step that delivered, dropped or lost it.
//
// Messages are recovered from the pictures alone: an actor world's `show` lists what is in flight as
// text ("p0 -> a1: prepare(10)"), so the sends of a step are what its list gained, counted as a
// multiset, once the delivered copy is taken out. Spec models have no messages: only steps and state.
import type { Params } from '../model/define.ts';
import type { Event, TransitionSystem } from '../model/system.ts';
import type { Trace } from './format.ts';
import { sameValue } from '../util/canonical.ts';
import { diffPictures } from './diff.ts';
import { replay } from './replay.ts';

export interface ReadMessage {
  /** Position in `TraceReading.messages`. */
  readonly id: number;
  /** The message as the in-flight list shows it, sender and receiver included. */
  readonly key: string;
  /** The message alone (the key without "from -> to: "). */
  readonly label: string;
  readonly from: string;
  readonly to: string;
  /** The step that put this copy in flight (0: it was in flight in the initial state). */
  readonly sentAt: number;
  /** Steps that delivered it: one for a multiset or FIFO network; any number on a `set` network. */
  readonly deliveredAt: readonly number[];
  /** The step a `drop` fault removed it, or at which it vanished unread (a closed connection). */
  readonly droppedAt: number | null;
  readonly lostAt: number | null;
  /** True when a `duplicate` fault made this copy. */
  readonly duplicate: boolean;
}

export interface ReadStep {
  /** 1 for the first event. */
  readonly index: number;
  readonly event: Event;
  readonly description: string;
  /** The lane the event happens on (receiver, crashing node, timer owner), or null (partition, heal, specs). */
  readonly lane: string | null;
  /** Picture of the state after this event. */
  readonly state: unknown;
  /** What changed, as diff lines ("nodes.a0.durable.promised: -1 -> 10", "+ inFlight ..."). */
  readonly changes: readonly string[];
  /** Paths (dot and [i] notation) of the picture's parts that differ from the previous state. */
  readonly changedPaths: readonly string[];
  /** Ids of the messages this step put in flight. */
  readonly sent: readonly number[];
  /** Id of the message this step delivered, dropped or duplicated, or null. */
  readonly message: number | null;
}

export interface TraceReading {
  readonly model: string;
  readonly variant: string;
  readonly params: Params;
  readonly strategy: string;
  readonly network: string;
  /** 'actors' when the pictures show nodes and messages in flight; 'spec' otherwise. */
  readonly shape: 'actors' | 'spec';
  /** One lane per node in the model's order, 'client' first when clients send; empty for specs. */
  readonly lanes: readonly string[];
  readonly initial: unknown;
  readonly steps: readonly ReadStep[];
  readonly messages: readonly ReadMessage[];
  readonly violation: Trace['violation'];
  /** A liveness lasso's loop start (Trace.loop), when the trace is one. */
  readonly loop?: number;
  /** Whether replay reproduced the trace, and if not, why (the steps stop where it diverged). */
  readonly replay: { readonly ok: boolean; readonly reason: string | null; readonly message?: string | null };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An actor world's picture: `{nodes: {name: ...}, inFlight: string[], ...}`. */
function actorPicture(picture: unknown): { nodes: Record<string, unknown>; inFlight: readonly string[] } | null {
  if (!isRecord(picture) || !isRecord(picture.nodes) || !Array.isArray(picture.inFlight)) return null;
  if (!picture.inFlight.every((m) => typeof m === 'string')) return null;
  return { nodes: picture.nodes, inFlight: picture.inFlight as string[] };
}

/** Replay the trace and read it step by step. Never throws for a trace that diverges: it stops there. */
export function readTrace<S>(system: TransitionSystem<S>, trace: Trace): TraceReading {
  const result = replay(system, trace);
  const pictures = result.states;
  const descriptions: string[] = [];
  if (pictures.length > 0) {
    let state = system.retain(system.initialStates()[trace.initial]);
    for (const event of trace.events.slice(0, pictures.length - 1)) {
      descriptions.push(system.describe(event, state));
      state = system.retain(system.step(state, event));
    }
  }
  const base = {
    model: trace.model.name,
    variant: trace.model.variant,
    params: trace.model.params,
    strategy: trace.strategy,
    network: trace.config.network,
    initial: pictures[0] ?? null,
    violation: trace.violation,
    ...(trace.loop !== undefined ? { loop: trace.loop } : {}),
    replay: { ok: result.ok, reason: result.ok ? null : result.reason, message: result.ok ? result.message ?? null : null },
  };
  const actors = pictures.length > 0 && pictures.every((p) => actorPicture(p) !== null);
  const plainSteps = descriptions.map((description, i) => ({
    index: i + 1,
    event: trace.events[i],
    description,
    state: pictures[i + 1],
    changes: diffPictures(pictures[i], pictures[i + 1]).map((line) => line.trim()),
    changedPaths: changedPaths(pictures[i], pictures[i + 1]),
  }));
  if (!actors) {
    return { ...base, shape: 'spec', lanes: [], messages: [], steps: plainSteps.map((s) => ({ ...s, lane: null, sent: [], message: null })) };
  }
  const nodeNames = Object.keys(actorPicture(pictures[0])!.nodes);
  const flow = followMessages({ nodeNames, network: trace.config.network, events: trace.events, descriptions, pictures });
  const usesClient = flow.messages.some((m) => m.from === 'client') || trace.events.some((e) => e.from === -1);
  const lanes = usesClient && !nodeNames.includes('client') ? ['client', ...nodeNames] : nodeNames;
  const steps = plainSteps.map((s, i) => ({ ...s, lane: laneOf(s.event, nodeNames), sent: flow.sent[i], message: flow.touched[i] }));
  return { ...base, shape: 'actors', lanes, messages: flow.messages, steps };
}

const nameOf = (id: unknown, nodeNames: readonly string[]): string | null =>
  id === -1 ? 'client' : typeof id === 'number' && id >= 0 && id < nodeNames.length ? nodeNames[id] : null;

/** The lane an event happens on: a delivery's receiver, a timer's or fault's node. */
function laneOf(event: Event, nodeNames: readonly string[]): string | null {
  if (event.kind === 'deliver') return nameOf(event.to, nodeNames);
  if (event.kind === 'drop' || event.kind === 'duplicate') return null;
  return nameOf(event.node, nodeNames);
}

interface FlowInput {
  readonly nodeNames: readonly string[];
  readonly network: string;
  readonly events: readonly Event[];
  readonly descriptions: readonly string[];
  /** pictures[0] is the initial state; pictures[i] follows events[i-1]. */
  readonly pictures: readonly unknown[];
}

interface MutableMessage {
  id: number;
  key: string;
  label: string;
  from: string;
  to: string;
  sentAt: number;
  deliveredAt: number[];
  droppedAt: number | null;
  lostAt: number | null;
  duplicate: boolean;
}

/** Split "from -> to: body" into its parts, matching sender and receiver against known names. */
function parseKey(key: string, names: readonly string[]): { from: string; to: string; label: string } {
  const byLength = [...names].sort((a, b) => b.length - a.length);
  const from = byLength.find((n) => key.startsWith(`${n} -> `));
  if (from !== undefined) {
    const rest = key.slice(from.length + 4);
    const to = byLength.find((n) => rest.startsWith(`${n}: `));
    if (to !== undefined) return { from, to, label: rest.slice(to.length + 2) };
  }
  return { from: '?', to: '?', label: key };
}

const counts = (list: readonly string[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const x of list) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
};

/** Each copy of each message, from send to its end, and per step what it sent and touched. */
function followMessages(input: FlowInput): { messages: MutableMessage[]; sent: number[][]; touched: (number | null)[] } {
  const names = ['client', ...input.nodeNames];
  const messages: MutableMessage[] = [];
  // Copies still in flight per key, oldest first: a delivery or drop takes the oldest copy.
  const pending = new Map<string, number[]>();
  const put = (key: string, step: number, duplicate: boolean): number => {
    const id = messages.length;
    messages.push({ id, key, ...parseKey(key, names), sentAt: step, deliveredAt: [], droppedAt: null, lostAt: null, duplicate });
    pending.set(key, [...(pending.get(key) ?? []), id]);
    return id;
  };
  const take = (key: string): number | null => {
    const ids = pending.get(key);
    if (!ids || ids.length === 0) return null;
    pending.set(key, ids.slice(1));
    return ids[0];
  };
  const inFlight = (i: number) => actorPicture(input.pictures[i])!.inFlight;
  for (const key of inFlight(0)) put(key, 0, false);
  const sent: number[][] = [];
  const touched: (number | null)[] = [];
  const keeps = input.network === 'set';
  for (let i = 1; i < input.pictures.length; i++) {
    const event = input.events[i - 1];
    const before = counts(inFlight(i - 1));
    const after = counts(inFlight(i));
    // The message the event names: the in-flight entry its description ends with (longest wins).
    const named = 'msg' in event
      ? [...before.keys()].filter((k) => input.descriptions[i - 1].endsWith(k)).sort((a, b) => b.length - a.length)[0] ?? null
      : null;
    let message: number | null = null;
    const expected = new Map(before);
    if (named !== null && (event.kind === 'deliver' || event.kind === 'drop')) {
      if (keeps) {
        const ids = pending.get(named) ?? [];
        message = ids.length > 0 ? ids[ids.length - 1] : null;
      } else {
        message = take(named);
        expected.set(named, (expected.get(named) ?? 0) - 1);
      }
      if (message !== null) {
        if (event.kind === 'deliver') messages[message].deliveredAt.push(i);
        else messages[message].droppedAt = i;
      }
    }
    const added: number[] = [];
    for (const [key, n] of after) {
      for (let c = expected.get(key) ?? 0; c < n; c++) added.push(put(key, i, event.kind === 'duplicate' && key === named));
    }
    if (event.kind === 'duplicate' && named !== null) message = (pending.get(named) ?? [])[0] ?? null;
    for (const [key, n] of expected) {
      for (let c = after.get(key) ?? 0; c < n; c++) {
        const id = take(key);
        if (id !== null) messages[id].lostAt = i;
      }
    }
    sent.push(added);
    touched.push(message);
  }
  return { messages, sent, touched };
}

/** Paths of the parts of `after` that differ from `before` (records field by field, equal-length arrays by index). */
export function changedPaths(before: unknown, after: unknown, path = ''): string[] {
  if (sameValue(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const inner = keys.flatMap((k) => changedPaths(before[k], after[k], path ? `${path}.${k}` : k));
    return path ? [path, ...inner] : inner;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && before.every((x) => isRecord(x) && !('type' in x))) {
    return [path, ...before.flatMap((x, i) => changedPaths(x, after[i], `${path}[${i}]`))];
  }
  return [path];
}
