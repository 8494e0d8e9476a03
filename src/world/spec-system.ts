// Compiles a spec model (packed or object) into the TransitionSystem every strategy walks.
import type { View } from '../model/schema.ts';
import type { Args, ObjectSpec, PackedSpec, Spec } from '../model/spec.ts';
import { ObjectStore, PackedStore, type Event, type StatePredicate, type TransitionSystem } from '../model/system.ts';
import { canonical } from '../util/canonical.ts';
import { hashWords, type Fingerprint } from '../util/hash.ts';
import { structuralHash } from '../util/structural-hash.ts';
import { sortPermutations } from '../util/permutations.ts';

interface Instance {
  readonly action: number;
  readonly args: Args;
  readonly event: Event;
  readonly key: string;
}

const eventKey = (action: string, args: Args): string => `${action}${canonical(args)}`;

function instancesOf(actions: ReadonlyArray<{ name: string; args: readonly Args[] }>): Instance[] {
  const out: Instance[] = [];
  actions.forEach((a, action) => {
    for (const args of a.args) {
      const event: Event = Object.freeze({ kind: 'action', action: a.name, args });
      out.push({ action, args, event, key: eventKey(a.name, args) });
    }
  });
  return out;
}

function describeAction(event: Event): string {
  const args = event.args as Args;
  const list = Object.entries(args).map(([k, v]) => `${k}=${v}`).join(', ');
  return `${String(event.action)}(${list})`;
}

function findInstance(index: Map<string, Instance>, event: Event): Instance {
  if (event.kind !== 'action' || typeof event.action !== 'string') {
    throw new Error(`not an action event: ${canonical(event)}`);
  }
  const inst = index.get(eventKey(event.action, (event.args ?? {}) as Args));
  if (!inst) throw new Error(`no such action instance: ${describeAction(event)}`);
  return inst;
}

export interface CompileOptions {
  /** Symmetry reduction, for specs that declare a symmetry. */
  readonly symmetry?: boolean;
}

export function compileSpec(spec: Spec, options: CompileOptions = {}): TransitionSystem<any> {
  if (options.symmetry && (spec.representation !== 'packed' || !spec.symmetry)) {
    throw new Error('symmetry reduction asked for, but the spec declares no symmetry');
  }
  return spec.representation === 'packed' ? packedSystem(spec, options) : objectSystem(spec);
}

/**
 * Fingerprint by the smallest fingerprint over every renaming of the spec's symmetric sorts, so one
 * state per equivalence class is stored (the states kept are real ones: traces stay replayable).
 */
function symmetricFingerprint(spec: PackedSpec<any>): (state: Uint32Array, out: Fingerprint) => void {
  const words = spec.schema.layout.words;
  const group = sortPermutations(spec.symmetry!.sorts).slice(1);
  const source = spec.schema.view(new Uint32Array(words));
  const image = new Uint32Array(words);
  const target = spec.schema.view(image);
  const fp: Fingerprint = { lo: 0, hi: 0 };
  return (state, out) => {
    hashWords(state, 0, words, out);
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

type SuccessorLoop = (state: Uint32Array, visit: (next: Uint32Array, index: number) => void) => number;

/**
 * The successor loop of a packed spec, generated once: one loop per action, so each action's
 * `apply` has its own call site (monomorphic, inlined by the JIT). The scratch state `next` writes
 * into equals the parent between instances; it is restored only after an instance wrote to it
 * (`dirty`), whether or not the instance was enabled (`apply` may write and then return false).
 * A successor equal to its parent consumes its index but is not visited.
 */
function successorLoop(spec: PackedSpec<any>, cur: View<any>, next: View<any>, scratch: Uint32Array): SuccessorLoop {
  const words = spec.schema.layout.words;
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
  const source = `return function forEachSuccessor(state, visit) {
    cur.words = state;
    ${copySource('scratch', 'state', words)}
    next.dirty = false;
    let index = 0;
    ${loops.join('\n')}
    return index;
  };`;
  return new Function('cur', 'next', 'scratch', 'equalWords', ...names, source)(cur, next, scratch, equalWords, ...values);
}

function packedSystem(spec: PackedSpec<any>, options: CompileOptions): TransitionSystem<Uint32Array> {
  const words = spec.schema.layout.words;
  const instances = instancesOf(spec.actions);
  const byKey = new Map(instances.map((i) => [i.key, i]));
  const applies = spec.actions.map((a) => a.apply);
  const cur = spec.schema.view(new Uint32Array(words));
  const scratch = new Uint32Array(words);
  const next = spec.schema.view(scratch);
  const reader = spec.schema.view(new Uint32Array(words));
  const properties: StatePredicate<Uint32Array>[] = spec.properties.map((p) => ({
    name: p.name,
    description: p.description,
    kind: p.kind,
    test: (state: Uint32Array) => {
      reader.words = state;
      return p.test(reader);
    },
  }));

  const applyInto = (state: Uint32Array, inst: Instance): boolean => {
    cur.words = state;
    scratch.set(state);
    return applies[inst.action](cur, next, inst.args);
  };

  return {
    packedWords: words,
    initialStates() {
      const state = new Uint32Array(words);
      spec.init(spec.schema.view(state));
      return [state];
    },
    forEachSuccessor: successorLoop(spec, cur, next, scratch),
    enabled(state) {
      return instances.filter((inst) => applyInto(state, inst)).map((inst) => inst.event);
    },
    step(state, event) {
      const inst = findInstance(byKey, event);
      if (!applyInto(state, inst)) throw new Error(`event not enabled: ${describeAction(event)}`);
      return scratch.slice();
    },
    fingerprint: options.symmetry
      ? symmetricFingerprint(spec)
      : (state: Uint32Array, out: Fingerprint) => hashWords(state, 0, words, out),
    properties,
    show(state) {
      reader.words = state;
      return spec.show ? spec.show(reader) : spec.schema.unpack(state);
    },
    describe: (event) => describeAction(event),
    actionOf: (event) => String(event.action),
    declaredActions: spec.actions.map((a) => a.name),
    retain: (state) => state.slice(),
    newStore: () => new PackedStore(words),
  };
}

function objectSystem<S extends object>(spec: ObjectSpec<S>): TransitionSystem<S> {
  const instances = instancesOf(spec.actions);
  const byKey = new Map(instances.map((i) => [i.key, i]));
  return {
    initialStates: () => spec.initialStates(),
    forEachSuccessor(state, visit) {
      let index = 0;
      for (const inst of instances) {
        const next = spec.actions[inst.action].apply(state, inst.args);
        if (next === undefined) continue;
        if (next !== state) visit(next, index);
        index++;
      }
      return index;
    },
    enabled(state) {
      return instances.filter((inst) => spec.actions[inst.action].apply(state, inst.args) !== undefined).map((i) => i.event);
    },
    step(state, event) {
      const inst = findInstance(byKey, event);
      const next = spec.actions[inst.action].apply(state, inst.args);
      if (next === undefined) throw new Error(`event not enabled: ${describeAction(event)}`);
      return next;
    },
    // Each state is fingerprinted about once per search, so there is nothing to cache per state;
    // frozen parts (interned messages) are cached inside structuralHash.
    fingerprint: (state, out) => structuralHash(state, out),
    properties: spec.properties,
    show: (state) => (spec.show ? spec.show(state) : state),
    describe: (event) => describeAction(event),
    actionOf: (event) => String(event.action),
    declaredActions: spec.actions.map((a) => a.name),
    retain: (state) => state,
    newStore: () => new ObjectStore<S>(),
  };
}
