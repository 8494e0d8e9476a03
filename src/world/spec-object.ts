// The object representation of a spec: states are immutable plain objects, an action returns the
// next state or undefined. A throw, or a return that is not an object, leads to an error state (a
// frozen marker holding the detail and the state it came from); see spec-system.ts.
import type { ObjectSpec } from '../model/spec.ts';
import { ObjectStore, type Event, type TransitionSystem } from '../model/system.ts';
import { deepFreeze, isModelErrorMarker, MODEL_ERROR, MODEL_ERROR_KEY, modelErrorMessage, short, thrownText, withoutClocks, type ModelErrorDetail } from '../model/guard.ts';
import { canonical } from '../util/canonical.ts';
import { structuralHash } from '../util/structural-hash.ts';
import { describeAction, errorPicture, findInstance, instancesOf, MODEL_ERROR_DESCRIPTION, specPredicate, type Instance } from './spec-common.ts';

/** A paranoid check that failed: its message is the whole report. */
class ParanoidFailure extends Error {}

/** The error state of an object spec: a marker holding the detail and the state it came from. */
interface ObjectErrorState {
  readonly [MODEL_ERROR_KEY]: ModelErrorDetail;
  readonly parent: unknown;
}

export function objectSystem<S extends object>(spec: ObjectSpec<S>, paranoid: boolean): TransitionSystem<S> {
  const instances = instancesOf(spec.actions);
  const byKey = new Map(instances.map((i) => [i.key, i]));
  const errorStateOf = (parent: unknown, detail: ModelErrorDetail): S =>
    Object.freeze({ [MODEL_ERROR_KEY]: Object.freeze(detail), parent } satisfies ObjectErrorState) as unknown as S;
  /** Paranoid: a deep-frozen input (states are immutable), no clocks, twice with the same result. */
  const applyParanoid = (state: S, inst: Instance): unknown => {
    const apply = () => withoutClocks(() => spec.actions[inst.action].apply(deepFreeze(state), inst.args));
    const first = apply();
    let second: unknown;
    try {
      second = apply();
    } catch (error) {
      throw new ParanoidFailure(`threw on its second run with the same input, not on the first: ${(error as Error)?.message ?? String(error)}`);
    }
    if (canonical(first) !== canonical(second)) throw new ParanoidFailure('gave a different result for the same input (nondeterministic: randomness, a clock, or state kept outside the model)');
    return first;
  };
  /** The next state, undefined (not enabled), or an error state naming what went wrong. */
  const attempt = (state: S, inst: Instance): S | undefined => {
    let next: unknown;
    try {
      next = paranoid ? applyParanoid(state, inst) : spec.actions[inst.action].apply(state, inst.args);
    } catch (error) {
      return errorStateOf(state, { handler: describeAction(inst.event), message: error instanceof ParanoidFailure ? error.message : thrownText(error, paranoid) });
    }
    if (next === undefined || (typeof next === 'object' && next !== null)) return next as S | undefined;
    return errorStateOf(state, { handler: describeAction(inst.event), message: `returned ${short(next)}, not a state object (or undefined when not enabled)` });
  };
  /** Every enabled event's successor in order, up to and including the first error state. */
  const successors = (state: S, each: (next: S, inst: Instance) => void): void => {
    if (isModelErrorMarker(state)) return;
    let failed = false;
    for (const inst of instances) {
      const next = attempt(state, inst);
      if (next === undefined) continue;
      if (isModelErrorMarker(next)) {
        if (failed) continue;
        failed = true;
      }
      each(next, inst);
    }
  };
  const skip = (state: S): boolean => isModelErrorMarker(state);
  return {
    initialStates() {
      try {
        return spec.initialStates();
      } catch (error) {
        return [errorStateOf(null, { handler: 'initialStates', message: thrownText(error) })];
      }
    },
    forEachSuccessor(state, visit) {
      let index = 0;
      successors(state, (next) => {
        if (next !== state) visit(next, index);
        index++;
      });
      return index;
    },
    enabled(state) {
      const events: Event[] = [];
      successors(state, (_next, inst) => events.push(inst.event));
      return events;
    },
    step(state, event) {
      const inst = findInstance(byKey, event);
      const next = isModelErrorMarker(state) ? undefined : attempt(state, inst);
      if (next === undefined) throw new Error(`event not enabled: ${describeAction(event)}`);
      // A failing action is an event only when no earlier action of the state fails.
      if (isModelErrorMarker(next)) {
        const earlier = instances.slice(0, inst.position).map((i) => attempt(state, i)).find((n) => n !== undefined && isModelErrorMarker(n));
        if (earlier) throw new Error(`event not enabled: ${describeAction(event)} (it fails, but ${earlier[MODEL_ERROR_KEY].handler} fails first)`);
      }
      return next;
    },
    // Each state is fingerprinted about once per search, so there is nothing to cache per state;
    // frozen parts (interned messages) are cached inside structuralHash.
    fingerprint: (state, out) => structuralHash(state, out),
    properties: [
      {
        name: MODEL_ERROR,
        description: MODEL_ERROR_DESCRIPTION,
        kind: 'invariant',
        test: (state) => !isModelErrorMarker(state),
        message: (state) => (isModelErrorMarker(state) ? modelErrorMessage(state[MODEL_ERROR_KEY]) : undefined),
      },
      ...spec.properties.map((p) => specPredicate<S, S>(p, (state) => state, skip)),
    ],
    show(state) {
      if (!isModelErrorMarker(state)) return spec.show ? spec.show(state) : state;
      const error = state as unknown as ObjectErrorState;
      const parent = error.parent === null ? null : spec.show ? spec.show(error.parent as S) : error.parent;
      return errorPicture(parent, error[MODEL_ERROR_KEY]);
    },
    describe: (event) => describeAction(event),
    actionOf: (event) => String(event.action),
    declaredActions: spec.actions.map((a) => a.name),
    retain: (state) => state,
    newStore: () => new ObjectStore<S>(),
  };
}
