// The properties of an actor world, remembered. A property that does not read `messages` on a
// world is a function of its nodes there, so its verdict is remembered per distinct tuple of node
// slots (interned once per world: the properties of one world are tested one after the other).
// Only the verdict is remembered; `message` asks the property again for the words of a
// counterexample.
import type { ActorProperty, Envelope, NodeSlot, WorldView } from '../model/actor.ts';
import type { StatePredicate } from '../model/system.ts';
import { grown } from '../util/grow.ts';
import { TupleTable } from './intern.ts';
import { WorldCopy } from './world-copy.ts';
import type { WorldText } from './world-text.ts';

/** Distinct node-slot tuples remembered for property results; beyond it properties are just run. */
const PROPERTY_MEMO_TUPLES_MAX = 1 << 22;

/** Remembered verdicts, one byte per node tuple: 0 unknown, then these. */
const HOLDS = 1;
const FAILS = 2;

/** The node tuples of worlds, and whether the last property run read the messages. */
class NodeTuples {
  private readonly table: TupleTable;
  private readonly lastNodes: Uint32Array;
  private lastTuple = -1;

  constructor(private readonly n: number) {
    this.table = new TupleTable(n);
    this.lastNodes = new Uint32Array(n);
  }

  get full(): boolean {
    return this.table.size >= PROPERTY_MEMO_TUPLES_MAX;
  }

  /** The tuple number of `w`'s node slots. */
  of(w: Uint32Array): number {
    const { n, lastNodes } = this;
    if (this.lastTuple >= 0) {
      let i = 0;
      while (i < n && w[i] === lastNodes[i]) i++;
      if (i === n) return this.lastTuple;
    }
    for (let i = 0; i < n; i++) lastNodes[i] = w[i];
    return (this.lastTuple = this.table.intern(w, 0));
  }
}

/**
 * What a property reads of a world: `messages` is made only when read, and reading it is recorded.
 * A fresh one per evaluation, as a model may remember things by the view's identity (Zab's session
 * grain does); a class with a getter on its prototype, so that costs one small object, not a view
 * and a closure.
 */
class PropertyView<D, V, M> implements WorldView<D, V, M> {
  touchedMessages = false;

  constructor(
    readonly nodes: readonly NodeSlot<D, V>[],
    private readonly world: Uint32Array,
    private readonly text: WorldText<D, V, M>,
  ) {}

  get messages(): readonly Envelope<M>[] {
    this.touchedMessages = true;
    return this.text.messagesOf(this.world);
  }
}

/** The spec's properties as predicates on worlds, with verdicts remembered by node tuple. */
export function rememberedProperties<D, V, M>(
  properties: readonly ActorProperty<D, V, M>[],
  nodeCount: number,
  text: WorldText<D, V, M>,
): StatePredicate<Uint32Array>[] {
  const tuples = new NodeTuples(nodeCount);
  // The node list of the world evaluated last, shared by the properties of that one world (it is
  // read-only). Only of the same world: a model may remember things by the list's identity, and
  // another world with the same nodes has other messages.
  const nodesWorld = new WorldCopy();
  let nodes: readonly NodeSlot<D, V>[] = [];
  let touchedMessages = false;
  const evaluate = (p: ActorProperty<D, V, M>, w: Uint32Array): boolean => {
    if (!nodesWorld.matches(w)) {
      nodes = text.nodesOf(w);
      nodesWorld.keep(w);
    }
    const view = new PropertyView(nodes, w, text);
    const result = p.test(view);
    touchedMessages = view.touchedMessages;
    return typeof result === 'string' ? false : Boolean(result);
  };
  const messageOf = (p: ActorProperty<D, V, M>, w: Uint32Array): string | undefined => {
    const result = p.test({ nodes: text.nodesOf(w), messages: text.messagesOf(w) });
    return typeof result === 'string' ? result : undefined;
  };
  return properties.map((p) => {
    let memo = new Uint8Array(1024);
    return {
      name: p.name,
      description: p.description,
      kind: p.kind,
      message: (w) => messageOf(p, w),
      test: (w) => {
        if (tuples.full) return evaluate(p, w);
        const tuple = tuples.of(w);
        if (tuple >= memo.length) memo = grown(memo, tuple + 1);
        const known = memo[tuple];
        if (known === HOLDS) return true;
        if (known === FAILS) return false;
        const holds = evaluate(p, w);
        if (!touchedMessages) memo[tuple] = holds ? HOLDS : FAILS;
        return holds;
      },
    };
  });
}
