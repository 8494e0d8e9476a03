// Compiles a spec model (packed or object) into the TransitionSystem every strategy walks.
//
// Model errors are results here too (as src/model/guard.ts makes them for actor models): an action
// that throws, returns something that is not a state, or writes outside its schema leads to an
// *error state*, whose invariant `ModelError` is broken, so every strategy reports it as a
// counterexample whose trace replays to the same error. A state offers only its first failing
// action (declaration order) as an event, so the error state of a parent is unique and its picture
// can name the action by re-running the parent's actions. The packed successor loop pays nothing
// for this until an action throws: one try/catch around the whole expansion, and a slow path that
// finds the failing action (spec-packed-guard.ts).
import { spareBit, type View } from '../model/schema.ts';
import type { PackedSpec, Spec } from '../model/spec.ts';
import { PackedStore, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import { MODEL_ERROR, modelErrorMessage, thrownText } from '../model/guard.ts';
import { hashWords, type Fingerprint } from '../util/hash.ts';
import { sortPermutations } from '../util/permutations.ts';
import { describeAction, errorPicture, findInstance, instancesOf, MODEL_ERROR_DESCRIPTION, specPredicate } from './spec-common.ts';
import { PackedGuard, type ErrorFlag, type Visit } from './spec-packed-guard.ts';
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

type SuccessorLoop = (state: Uint32Array, visit: Visit) => number;

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
  const instances = instancesOf(spec.actions);
  const byKey = new Map(instances.map((i) => [i.key, i]));
  const cur = spec.schema.view(new Uint32Array(words));
  const scratch = new Uint32Array(words);
  const next = spec.schema.view(scratch);
  const guard = new PackedGuard(spec, words, flag, instances, cur, next, scratch, options.paranoid === true);
  const isError = (state: Uint32Array): boolean => guard.isError(state);
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
      message: (state) => (isError(state) ? modelErrorMessage(guard.errorDetail(state)) : undefined),
    },
    ...spec.properties.map((p) => specPredicate(p, readerOf)),
  ];

  return {
    packedWords: words,
    initialStates() {
      const state = new Uint32Array(words);
      guard.initFailure = null;
      try {
        spec.init(spec.schema.view(state));
      } catch (error) {
        guard.initFailure = { handler: 'init', message: thrownText(error) };
        state.fill(0);
        return [guard.errorStateOf(state)];
      }
      return [state];
    },
    forEachSuccessor: options.paranoid
      ? (state, visit) => guard.slowSuccessors(state, visit)
      : successorLoop(spec, words, flag, cur, next, scratch, (state, visit, error) => guard.recover(state, visit, error)),
    enabled(state) {
      if (isError(state)) return [];
      let failed = false;
      return instances
        .filter((inst) => {
          const r = guard.attempt(state, inst);
          if (r === true) return true;
          if (r === false || failed) return false;
          return (failed = true);
        })
        .map((inst) => inst.event);
    },
    step(state, event) {
      const inst = findInstance(byKey, event);
      const r = isError(state) ? false : guard.attempt(state, inst);
      if (r === true) return scratch.slice();
      if (r === false) throw new Error(`event not enabled: ${describeAction(event)}`);
      const first = guard.firstFailure(state)!;
      if (first.inst !== inst) throw new Error(`event not enabled: ${describeAction(event)} (it fails, but ${first.detail.handler} fails first)`);
      return guard.errorStateOf(state);
    },
    fingerprint: options.symmetry
      ? symmetricFingerprint(spec, words, isError)
      : (state: Uint32Array, out: Fingerprint) => hashWords(state, 0, words, out),
    properties,
    show(state) {
      reader.words = state;
      const picture = spec.show ? spec.show(reader) : spec.schema.unpack(state);
      return isError(state) ? errorPicture(picture, guard.errorDetail(state)) : picture;
    },
    describe: (event) => describeAction(event),
    actionOf: (event) => String(event.action),
    declaredActions: spec.actions.map((a) => a.name),
    retain: (state) => state.slice(),
    newStore: () => new PackedStore(words),
  };
}
