// Model errors of a packed spec, under guard: one action instance run on a state, its verdict
// (enabled, disabled, or why it failed), the state's first failing instance, error states and why
// each is one, and the slow paths of an expansion that threw or runs in paranoid mode. The fast
// successor loop (spec-system.ts) pays nothing for this until an action throws.
import type { View } from '../model/schema.ts';
import type { PackedSpec } from '../model/spec.ts';
import { short, thrownText, withoutClocks, type ModelErrorDetail } from '../model/guard.ts';
import { describeAction, type Instance } from './spec-common.ts';

/** Where the error flag of a packed system lives: a bit no field uses. */
export interface ErrorFlag {
  readonly word: number;
  readonly mask: number;
}

export type Visit = (next: Uint32Array, index: number) => void;

/** An instance's first failure in a state: the instance, its index among the enabled events, and why. */
export interface Failure {
  readonly inst: Instance;
  readonly index: number;
  readonly detail: ModelErrorDetail;
}

export class PackedGuard {
  /** Set when `init` threw: the one initial state is all zero, flagged, with this detail. */
  initFailure: ModelErrorDetail | null = null;
  private readonly applies: PackedSpec<any>['actions'][number]['apply'][];
  private readonly paranoidCopy: Uint32Array;
  private readonly parentCopy: Uint32Array;
  /** Apply one instance to a state into `scratch` under guard: enabled, disabled, or why it failed. */
  readonly attempt: (state: Uint32Array, inst: Instance) => boolean | ModelErrorDetail;

  constructor(
    spec: PackedSpec<any>,
    private readonly words: number,
    private readonly flag: ErrorFlag,
    private readonly instances: readonly Instance[],
    private readonly cur: View<any>,
    private readonly next: View<any>,
    private readonly scratch: Uint32Array,
    private readonly paranoid: boolean,
  ) {
    this.applies = spec.actions.map((a) => a.apply);
    this.paranoidCopy = new Uint32Array(words);
    this.parentCopy = new Uint32Array(words);
    this.attempt = paranoid ? (state, inst) => this.attemptParanoid(state, inst) : (state, inst) => this.attemptOnce(state, inst);
  }

  isError(state: Uint32Array): boolean {
    return (state[this.flag.word] & this.flag.mask) !== 0;
  }

  sameWords(a: Uint32Array, b: Uint32Array): boolean {
    for (let w = 0; w < this.words; w++) if (a[w] !== b[w]) return false;
    return true;
  }

  private attemptOnce(state: Uint32Array, inst: Instance): boolean | ModelErrorDetail {
    const { cur, next, scratch } = this;
    cur.words = state;
    scratch.set(state);
    next.dirty = false;
    try {
      return Boolean(this.applies[inst.action](cur, next, inst.args));
    } catch (error) {
      return { handler: describeAction(inst.event), message: thrownText(error, this.paranoid) };
    }
  }

  /** Paranoid: twice, without clocks, the same verdict and words, the input untouched, a boolean. */
  private attemptParanoid(state: Uint32Array, inst: Instance): boolean | ModelErrorDetail {
    const { cur, next, scratch, parentCopy, paranoidCopy } = this;
    const handler = describeAction(inst.event);
    parentCopy.set(state);
    const run = (): unknown => {
      cur.words = state;
      scratch.set(parentCopy);
      next.dirty = false;
      return withoutClocks(() => this.applies[inst.action](cur, next, inst.args));
    };
    let first: unknown;
    try {
      first = run();
    } catch (error) {
      state.set(parentCopy);
      return { handler, message: thrownText(error, true) };
    }
    if (!this.sameWords(state, parentCopy)) {
      state.set(parentCopy);
      return { handler, message: 'wrote to its input state (write the next state into `next`, not `state`)' };
    }
    if (typeof first !== 'boolean') return { handler, message: `returned ${short(first)}, not true or false` };
    paranoidCopy.set(scratch);
    let second: unknown;
    try {
      second = run();
    } catch (error) {
      state.set(parentCopy);
      return { handler, message: `threw on its second run with the same input, not on the first: ${(error as Error)?.message ?? String(error)}` };
    }
    if (second !== first || (first && !this.sameWords(scratch, paranoidCopy))) {
      return { handler, message: 'gave a different result for the same input (nondeterministic: randomness, a clock, or state kept outside the model)' };
    }
    return first;
  }

  /** The state's first failing instance, with its index among the enabled events, or null. */
  firstFailure(state: Uint32Array): Failure | null {
    let index = 0;
    for (const inst of this.instances) {
      const r = this.attempt(state, inst);
      if (r === true) index++;
      else if (r !== false) return { inst, index, detail: r };
    }
    return null;
  }

  errorStateOf(parent: Uint32Array): Uint32Array {
    const error = parent.slice();
    error[this.flag.word] = (error[this.flag.word] | this.flag.mask) >>> 0;
    return error;
  }

  /**
   * The slow path of an expansion that threw. The fast loop had visited every instance before the
   * failing one (same order, deterministic actions); visit the error state in the failing one's
   * place, then the instances after it (later failures are not offered). A throw that no action
   * repeats came from `visit` (the engine, a property): it is not the model's, so it goes on.
   */
  recover(state: Uint32Array, visit: Visit, error: unknown): number {
    const parent = state.slice();
    const failure = this.firstFailure(parent);
    if (failure === null || failure.detail.message !== thrownText(error)) throw error;
    const instances = this.instances;
    let index = failure.index;
    visit(this.errorStateOf(parent), index++);
    for (let k = failure.inst.position + 1; k < instances.length; k++) {
      if (this.attempt(parent, instances[k]) !== true) continue;
      if (!this.sameWords(this.scratch, parent)) visit(this.scratch, index);
      index++;
    }
    return index;
  }

  /** Every instance under guard, one by one (paranoid mode): what the fast loop and `recover` do together. */
  slowSuccessors(state: Uint32Array, visit: Visit): number {
    if (this.isError(state)) return 0;
    const parent = state.slice();
    let index = 0;
    let failed = false;
    for (const inst of this.instances) {
      const r = this.attempt(parent, inst);
      if (r === true) {
        if (!this.sameWords(this.scratch, parent)) visit(this.scratch, index);
        index++;
      } else if (r !== false && !failed) {
        failed = true;
        visit(this.errorStateOf(parent), index++);
      }
    }
    return index;
  }

  /** Why an error state is one: its parent's first failing action, run again (or init's failure). */
  errorDetail(state: Uint32Array): ModelErrorDetail {
    const parent = state.slice();
    parent[this.flag.word] = (parent[this.flag.word] & ~this.flag.mask) >>> 0;
    if (this.initFailure && parent.every((w) => w === 0)) return this.initFailure;
    return this.firstFailure(parent)?.detail ?? { handler: 'unknown', message: 'no action of the previous state fails when run again (is the model deterministic?)' };
  }
}
