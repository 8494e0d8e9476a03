// Models written directly as transition systems, as TLA+ specs are: a state plus named actions.
// An action has a finite list of argument tuples (its parameters, like TLA+'s \E b \in Ballots);
// each (action, arguments) pair is one event.
import type { CompiledSchema, Schema, View } from './schema.ts';

export type Args = Readonly<Record<string, number>>;

export interface SpecProperty<S> {
  readonly name: string;
  readonly description: string;
  readonly kind: 'invariant' | 'reachable';
  /**
   * True when the property holds (an invariant) or the target is reached; false or a message when
   * not. The message ("acceptor a1 voted for v0 and v1") follows the description in a counterexample.
   */
  test(state: S): boolean | string;
}

/** Packed spec: state lives in 32-bit words described by a schema. */
export interface PackedSpec<Sch extends Schema> {
  readonly representation: 'packed';
  readonly schema: CompiledSchema<Sch>;
  /** Write the initial state into `state` (all words start at zero). */
  init(state: View<Sch>): void;
  readonly actions: ReadonlyArray<{
    readonly name: string;
    readonly args: readonly Args[];
    /**
     * The action as a predicate on (state, next): `next` starts as a copy of `state`; write the
     * changes into it and return true, or return false when the action is not enabled. A throw, or
     * a write outside the schema, is a model error: the state's `ModelError` counterexample.
     */
    apply(state: View<Sch>, next: View<Sch>, args: Args): boolean;
  }>;
  readonly properties: ReadonlyArray<SpecProperty<View<Sch>>>;
  /** Optional readable picture of a state for traces (defaults to the unpacked fields). */
  show?(state: View<Sch>): unknown;
  /**
   * Optional symmetry: sorts whose members are interchangeable (acceptors, values). With
   * `--symmetry` the engine fingerprints a state by the smallest fingerprint over every renaming.
   */
  readonly symmetry?: PackedSymmetry<Sch>;
}

export interface PackedSymmetry<Sch extends Schema> {
  /** Each interchangeable sort and its number of members, e.g. { acceptors: 3, values: 2 }. */
  readonly sorts: Readonly<Record<string, number>>;
  /**
   * Write into `out` (all words zero) the state `state` with member i of each sort renamed to
   * perms[sort][i]. Must rename every occurrence, messages included.
   */
  permute(state: View<Sch>, out: View<Sch>, perms: Readonly<Record<string, readonly number[]>>): void;
}

/** Object spec: state is an immutable plain object; an action returns the next state or undefined. */
export interface ObjectSpec<S> {
  readonly representation: 'object';
  initialStates(): S[];
  readonly actions: ReadonlyArray<{
    readonly name: string;
    readonly args: readonly Args[];
    /** The next state, or undefined when not enabled. A throw or any other value is a model error. */
    apply(state: S, args: Args): S | undefined;
  }>;
  readonly properties: ReadonlyArray<SpecProperty<S>>;
  show?(state: S): unknown;
}

export type Spec = PackedSpec<any> | ObjectSpec<any>;

/** All argument tuples of a cartesian product of integer ranges, in a fixed order. */
export function argTuples(domains: Readonly<Record<string, readonly number[]>>): Args[] {
  let tuples: Record<string, number>[] = [{}];
  for (const [name, values] of Object.entries(domains)) {
    tuples = tuples.flatMap((t) => values.map((v) => ({ ...t, [name]: v })));
  }
  return tuples.map((t) => Object.freeze(t));
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Every subset of {0..n-1} (as arrays) with at least `min` elements, smallest first. */
export function subsetsOfSize(n: number, min: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const members = range(n).filter((i) => mask & (1 << i));
    if (members.length >= min) out.push(members);
  }
  return out.sort((a, b) => a.length - b.length || a.join().localeCompare(b.join()));
}
