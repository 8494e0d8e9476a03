// What the two spec representations share: action instances (each action with one argument tuple
// is one event, identified by content), their descriptions, user properties under guard (a throw
// is a ModelFault; a string is the message of a broken property), and how an error state is drawn.
import type { Args, SpecProperty } from '../model/spec.ts';
import type { Event, StatePredicate } from '../model/system.ts';
import { MODEL_ERROR_KEY, propertyFault, type ModelErrorDetail } from '../model/guard.ts';
import { canonical } from '../util/canonical.ts';

/** A spec model's event: its action `action` taken with arguments `args` (one action instance). */
export type ActionEvent = { readonly kind: 'action'; readonly action: string; readonly args: Args };

export interface Instance {
  /** Position in the system's instance list (declaration order). */
  readonly position: number;
  readonly action: number;
  readonly args: Args;
  readonly event: ActionEvent;
  readonly key: string;
}

const eventKey = (action: string, args: Args): string => `${action}${canonical(args)}`;

export function instancesOf(actions: ReadonlyArray<{ name: string; args: readonly Args[] }>): Instance[] {
  const out: Instance[] = [];
  actions.forEach((a, action) => {
    for (const args of a.args) {
      const event: ActionEvent = Object.freeze({ kind: 'action', action: a.name, args });
      out.push({ position: out.length, action, args, event, key: eventKey(a.name, args) });
    }
  });
  return out;
}

export function describeAction(event: Event): string {
  const args = event.args as Args;
  const list = Object.entries(args).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${String(event.action)}(${list})`;
}

export function findInstance(index: Map<string, Instance>, event: Event): Instance {
  if (event.kind !== 'action' || typeof event.action !== 'string') {
    throw new Error(`not an action event: ${canonical(event)}`);
  }
  const inst = index.get(eventKey(event.action, (event.args ?? {}) as Args));
  if (!inst) throw new Error(`no such action instance: ${describeAction(event)}`);
  return inst;
}

export const MODEL_ERROR_DESCRIPTION = 'no action threw, returned something other than a state, or wrote outside its schema';

/** A user property under guard: a throw is a ModelFault (exit 4); a string result is a message. */
export function specPredicate<S, T>(p: SpecProperty<T>, view: (state: S) => T, skip?: (state: S) => boolean): StatePredicate<S> {
  const run = (state: S): boolean | string => {
    try {
      return p.test(view(state));
    } catch (error) {
      throw propertyFault(p.name, error);
    }
  };
  const holds = p.kind === 'invariant';
  return {
    name: p.name,
    description: p.description,
    kind: p.kind,
    test: skip
      ? (state) => (skip(state) ? holds : verdict(run(state)))
      : (state) => verdict(run(state)),
    message: (state) => {
      if (skip?.(state)) return undefined;
      const r = run(state);
      return typeof r === 'string' ? r : undefined;
    },
  };
}

const verdict = (result: boolean | string): boolean => (typeof result === 'string' ? false : Boolean(result));

/** The picture of an error state: the parent's picture with the model error marker added. */
export function errorPicture(picture: unknown, detail: ModelErrorDetail): unknown {
  const marker = { [MODEL_ERROR_KEY]: detail };
  return typeof picture === 'object' && picture !== null && !Array.isArray(picture) ? { ...picture, ...marker } : { state: picture, ...marker };
}
