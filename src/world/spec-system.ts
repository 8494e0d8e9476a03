// Compiles a spec model (packed or object) into the TransitionSystem every strategy walks.
//
// Model errors are results here too (as src/model/guard.ts makes them for actor models): an action
// that throws, returns something that is not a state, or writes outside its schema leads to an
// *error state*, whose invariant `ModelError` is broken, so every strategy reports it as a
// counterexample whose trace replays to the same error. A state offers only its first failing
// action (declaration order) as an event, so the error state of a parent is unique and its picture
// can name the action by re-running the parent's actions. The packed successor loop pays nothing
// for this until an action throws: one try/catch around the whole expansion, and a slow path that
// finds the failing action (see `recover`).
import { spareBit, type View } from '../model/schema.ts';
import type { PackedSpec, Spec } from '../model/spec.ts';
import { PackedStore, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import { MODEL_ERROR, modelErrorMessage, short, thrownText, withoutClocks, type ModelErrorDetail } from '../model/guard.ts';
import { hashWords, type Fingerprint } from '../util/hash.ts';
import { sortPermutations } from '../util/permutations.ts';
import { describeAction, errorPicture, findInstance, instancesOf, MODEL_ERROR_DESCRIPTION, specPredicate, type Instance } from './spec-common.ts';
import { objectSystem } from './spec-object.ts';

export interface CompileOptions {
  /** Symmetry reduction, for specs that declare a symmetry. */
  readonly symmetry?: boolean;
  /**
   * Paranoid mode (`--paranoid`): every action runs twice with clocks and randomness forbidden and
   * must give the same result; a packed action may not write to its input state, an object action
   * gets a deep-frozen one; a packed action must return true or false. Costs a slow successor loop.
   */
  readonly paranoid?: boolean;
}

export function compileSpec(spec: Spec, options: CompileOptions = {}): TransitionSystem<any> {
  if (options.symmetry && (spec.representation !== 'packed' || !spec.symmetry)) {
    throw new Error('symmetry reduction asked for, but the spec declares no symmetry');
  }
  return spec.representation === 'packed' ? packedSystem(spec, options) : objectSystem(spec, options.paranoid === true);
}

/**
 * Fingerprint by the smallest fingerprint over every renaming of the spec's symmetric sorts, so one
 * state per equivalence class is stored (the states kept are real ones: traces stay replayable).
 */
function symmetricFingerprint(spec: PackedSpec<any>, words: number, isError: (state: Uint32Array) => boolean): (state: Uint32Array, out: Fingerprint) => void {
  const group = sortPermutations(spec.symmetry!.sorts).slice(1);
  const source = spec.schema.view(new Uint32Array(words));
  const image = new Uint32Array(words);
  const target = spec.schema.view(image);
  const fp: Fingerprint = { lo: 0, hi: 0 };
  return (state, out) => {
    hashWords(state, 0, words, out);
    // A renaming does not carry the error flag: an error state is its own class.
    if (isError(state)) return;
    source.words = state;
    for (const perms of group) {
      image.fill(0);
      spec.symmetry!.permute(source, target, perms);
      hashWords(image, 0, words, fp);
      if (fp.hi < out.hi || (fp.hi === out.hi && fp.lo < out.lo)) {
        out.lo = fp.lo;
        out.hi = fp.hi;
      }
    }
  };
}

/** Largest state, in words, whose copy and compare are unrolled in generated code. */
const UNROLL_WORDS_MAX = 16;

/** `target[w] = source[w]` for every word, unrolled for small states. */
function copySource(target: string, source: string, words: number): string {
  if (words > UNROLL_WORDS_MAX) return `for (let w = 0; w < ${words}; w++) ${target}[w] = ${source}[w];`;
  return Array.from({ length: words }, (_, w) => `${target}[${w}] = ${source}[${w}];`).join(' ');
}

/** An expression true when `a` and `b` hold the same words. */
function sameSource(a: string, b: string, words: number): string {
  if (words > UNROLL_WORDS_MAX) return `equalWords(${a}, ${b})`;
  return Array.from({ length: words }, (_, w) => `${a}[${w}] === ${b}[${w}]`).join(' && ');
}

type Visit = (next: Uint32Array, index: number) => void;
type SuccessorLoop = (state: Uint32Array, visit: Visit) => number;

/** Where the error flag of a packed system lives: a bit no field uses. */
interface ErrorFlag {
  readonly word: number;
  readonly mask: number;
}

/**
 * The successor loop of a packed spec, generated once: one loop per action, so each action's
 * `apply` has its own call site (monomorphic, inlined by the JIT). The scratch state `next` writes
 * into equals the parent between instances; it is restored only after an instance wrote to it
 * (`dirty`), whether or not the instance was enabled (`apply` may write and then return false).
 * A successor equal to its parent consumes its index but is not visited.
 */
function successorLoop(
  spec: PackedSpec<any>,
  words: number,
  flag: ErrorFlag,
  cur: View<any>,
  next: View<any>,
  scratch: Uint32Array,
  recover: (state: Uint32Array, visit: Visit, error: unknown) => number,
): SuccessorLoop {
  const loops = spec.actions.map(
    (_, k) => `
    for (let j = 0; j < args${k}.length; j++) {
      if (apply${k}(cur, next, args${k}[j])) {
        if (next.dirty && !(${sameSource('scratch', 'state', words)})) visit(scratch, index);
        index++;
      }
      if (next.dirty) {
        ${copySource('scratch', 'state', words)}
        next.dirty = false;
      }
    }`,
  );
  const names = spec.actions.flatMap((_, k) => [`apply${k}`, `args${k}`]);
  const values = spec.actions.flatMap((a) => [a.apply.bind(a), a.args]);
  const equalWords = (a: Uint32Array, b: Uint32Array): boolean => {
    for (let w = 0; w < words; w++) if (a[w] !== b[w]) return false;
    return true;
  };
  // An error state has no successors. A throw from an action (or from visit) leaves the loop for
  // `recover`; the try costs nothing while nothing throws.
  const source = `return function forEachSuccessor(state, visit) {
    if ((state[${flag.word}] & ${flag.mask}) !== 0) return 0;
    cur.words = state;
    ${copySource('scratch', 'state', words)}
    next.dirty = false;
    let index = 0;
    try {
      ${loops.join('\n')}
    } catch (error) {
      return recover(state, visit, error);
    }
    return index;
  };`;
  return new Function('cur', 'next', 'scratch', 'equalWords', 'recover', ...names, source)(cur, next, scratch, equalWords, recover, ...values);
}

function packedSystem(spec: PackedSpec<any>, options: CompileOptions): TransitionSystem<Uint32Array> {
  const layout = spec.schema.layout;
  // The error flag takes a bit no field uses, or one more word when every bit is used.
  const spare = spareBit(layout);
  const flag: ErrorFlag = spare ?? { word: layout.words, mask: 1 };
  const words = spare ? layout.words : layout.words + 1;
  const isError = (state: Uint32Array): boolean => (state[flag.word] & flag.mask) !== 0;
  const instances = instancesOf(spec.actions);
  const byKey = new Map(instances.map((i) => [i.key, i]));
  const applies = spec.actions.map((a) => a.apply);
  const cur = spec.schema.view(new Uint32Array(words));
  const scratch = new Uint32Array(words);
  const next = spec.schema.view(scratch);
  const reader = spec.schema.view(new Uint32Array(words));
  const readerOf = (state: Uint32Array): View<any> => {
    reader.words = state;
    return reader;
  };
  const properties: StatePredicate<Uint32Array>[] = [
    {
      name: MODEL_ERROR,
      description: MODEL_ERROR_DESCRIPTION,
      kind: 'invariant',
      test: (state) => !isError(state),
      message: (state) => (isError(state) ? modelErrorMessage(errorDetail(state)) : undefined),
    },
    ...spec.properties.map((p) => specPredicate(p, readerOf)),
  ];

  /** Apply one instance to `state` into `scratch` under guard: enabled, disabled, or why it failed. */
  const attemptOnce = (state: Uint32Array, inst: Instance): boolean | ModelErrorDetail => {
    cur.words = state;
    scratch.set(state);
    next.dirty = false;
    try {
      return Boolean(applies[inst.action](cur, next, inst.args));
    } catch (error) {
      return { handler: describeAction(inst.event), message: thrownText(error, options.paranoid) };
    }
  };
  const paranoidCopy = new Uint32Array(words);
  const parentCopy = new Uint32Array(words);
  /** Paranoid: twice, without clocks, the same verdict and words, the input untouched, a boolean. */
  const attemptParanoid = (state: Uint32Array, inst: Instance): boolean | ModelErrorDetail => {
    const handler = describeAction(inst.event);
    parentCopy.set(state);
    const run = (): unknown => {
      cur.words = state;
      scratch.set(parentCopy);
      next.dirty = false;
      return withoutClocks(() => applies[inst.action](cur, next, inst.args));
    };
    let first: unknown;
    try {
      first = run();
    } catch (error) {
      state.set(parentCopy);
      return { handler, message: thrownText(error, true) };
    }
    if (!sameWords(state, parentCopy)) {
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
    if (second !== first || (first && !sameWords(scratch, paranoidCopy))) {
      return { handler, message: 'gave a different result for the same input (nondeterministic: randomness, a clock, or state kept outside the model)' };
    }
    return first;
  };
  const attempt = options.paranoid ? attemptParanoid : attemptOnce;
  /** The state's first failing instance, with its index among the enabled events, or null. */
  const firstFailure = (state: Uint32Array): { inst: Instance; index: number; detail: ModelErrorDetail } | null => {
    let index = 0;
    for (const inst of instances) {
      const r = attempt(state, inst);
      if (r === true) index++;
      else if (r !== false) return { inst, index, detail: r };
    }
    return null;
  };
  const errorStateOf = (parent: Uint32Array): Uint32Array => {
    const error = parent.slice();
    error[flag.word] = (error[flag.word] | flag.mask) >>> 0;
    return error;
  };
  const sameWords = (a: Uint32Array, b: Uint32Array): boolean => {
    for (let w = 0; w < words; w++) if (a[w] !== b[w]) return false;
    return true;
  };

  /**
   * The slow path of an expansion that threw. The fast loop had visited every instance before the
   * failing one (same order, deterministic actions); visit the error state in the failing one's
   * place, then the instances after it (later failures are not offered). A throw that no action
   * repeats came from `visit` (the engine, a property): it is not the model's, so it goes on.
   */
  const recover = (state: Uint32Array, visit: Visit, error: unknown): number => {
    const parent = state.slice();
    const failure = firstFailure(parent);
    if (failure === null || failure.detail.message !== thrownText(error)) throw error;
    let index = failure.index;
    visit(errorStateOf(parent), index++);
    for (let k = failure.inst.position + 1; k < instances.length; k++) {
      if (attempt(parent, instances[k]) !== true) continue;
      if (!sameWords(scratch, parent)) visit(scratch, index);
      index++;
    }
    return index;
  };

  /** Every instance under guard, one by one (paranoid mode): what the fast loop and `recover` do together. */
  const slowSuccessors = (state: Uint32Array, visit: Visit): number => {
    if (isError(state)) return 0;
    const parent = state.slice();
    let index = 0;
    let failed = false;
    for (const inst of instances) {
      const r = attempt(parent, inst);
      if (r === true) {
        if (!sameWords(scratch, parent)) visit(scratch, index);
        index++;
      } else if (r !== false && !failed) {
        failed = true;
        visit(errorStateOf(parent), index++);
      }
    }
    return index;
  };

  // A throwing `init` gives one initial state: all zero, flagged, with this detail.
  let initFailure: ModelErrorDetail | null = null;
  /** Why an error state is one: its parent's first failing action, run again (or init's failure). */
  function errorDetail(state: Uint32Array): ModelErrorDetail {
    const parent = state.slice();
    parent[flag.word] = (parent[flag.word] & ~flag.mask) >>> 0;
    if (initFailure && parent.every((w) => w === 0)) return initFailure;
    return firstFailure(parent)?.detail ?? { handler: 'unknown', message: 'no action of the previous state fails when run again (is the model deterministic?)' };
  }

  return {
    packedWords: words,
    initialStates() {
      const state = new Uint32Array(words);
      initFailure = null;
      try {
        spec.init(spec.schema.view(state));
      } catch (error) {
        initFailure = { handler: 'init', message: thrownText(error) };
        state.fill(0);
        return [errorStateOf(state)];
      }
      return [state];
    },
    forEachSuccessor: options.paranoid ? slowSuccessors : successorLoop(spec, words, flag, cur, next, scratch, recover),
    enabled(state) {
      if (isError(state)) return [];
      let failed = false;
      return instances
        .filter((inst) => {
          const r = attempt(state, inst);
          if (r === true) return true;
          if (r === false || failed) return false;
          return (failed = true);
        })
        .map((inst) => inst.event);
    },
    step(state, event) {
      const inst = findInstance(byKey, event);
      const r = isError(state) ? false : attempt(state, inst);
      if (r === true) return scratch.slice();
      if (r === false) throw new Error(`event not enabled: ${describeAction(event)}`);
      const first = firstFailure(state)!;
      if (first.inst !== inst) throw new Error(`event not enabled: ${describeAction(event)} (it fails, but ${first.detail.handler} fails first)`);
      return errorStateOf(state);
    },
    fingerprint: options.symmetry
      ? symmetricFingerprint(spec, words, isError)
      : (state: Uint32Array, out: Fingerprint) => hashWords(state, 0, words, out),
    properties,
    show(state) {
      reader.words = state;
      const picture = spec.show ? spec.show(reader) : spec.schema.unpack(state);
      return isError(state) ? errorPicture(picture, errorDetail(state)) : picture;
    },
    describe: (event) => describeAction(event),
    actionOf: (event) => String(event.action),
    declaredActions: spec.actions.map((a) => a.name),
    retain: (state) => state.slice(),
    newStore: () => new PackedStore(words),
  };
}
