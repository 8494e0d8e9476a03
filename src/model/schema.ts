// Finite-domain state schemas, as a TLA+ spec's TypeOK declares them. A schema lets the engine
// pack each state into 32-bit words; it doubles as a type invariant (a write outside the domain
// throws). Field accessors are generated once per schema with their offsets as literals, so the
// JIT can inline them.

export interface IntField { readonly kind: 'int'; readonly min: number; readonly max: number }
export interface BoolField { readonly kind: 'bool' }
export interface IntArrayField { readonly kind: 'intArray'; readonly length: number; readonly min: number; readonly max: number }
export interface BitsetField { readonly kind: 'bitset'; readonly size: number }
export type Field = IntField | BoolField | IntArrayField | BitsetField;

export type Schema = Readonly<Record<string, Field>>;

export const int = (min: number, max: number): IntField => ({ kind: 'int', min, max });
export const bool = (): BoolField => ({ kind: 'bool' });
export const intArray = (length: number, min: number, max: number): IntArrayField => ({ kind: 'intArray', length, min, max });
export const bitset = (size: number): BitsetField => ({ kind: 'bitset', size });

export interface IntArrayAccess {
  get(index: number): number;
  set(index: number, value: number): void;
  readonly length: number;
}

export interface BitsetAccess {
  has(index: number): boolean;
  add(index: number): void;
  delete(index: number): void;
  /** The smallest element in from..to-1, or -1 when there is none. */
  first(from: number, to: number): number;
  /** How many elements lie in from..to-1. */
  count(from: number, to: number): number;
  readonly size: number;
}

/**
 * A typed view over one packed state. `words` is the buffer it reads and writes (assign it to
 * rebind the view); `dirty` turns true on every write, so an engine can restore only what changed.
 */
export type View<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends { kind: 'int' }
    ? number
    : S[K] extends { kind: 'bool' }
      ? boolean
      : S[K] extends { kind: 'intArray' }
        ? IntArrayAccess
        : BitsetAccess;
} & { words: Uint32Array; dirty: boolean };

interface Slot {
  word: number;
  shift: number;
  bits: number;
}

export interface Layout {
  readonly words: number;
  readonly fields: ReadonlyArray<{ name: string; field: Field; slots: Slot[]; firstWord: number }>;
}

const bitsFor = (span: number): number => Math.max(1, Math.ceil(Math.log2(span)));

/** Assign bit positions: scalars and array elements never cross a word; bitsets start a word. */
export function layoutOf(schema: Schema): Layout {
  let word = 0;
  let used = 0;
  const place = (bits: number): Slot => {
    if (bits > 32) throw new Error(`schema: a field of ${bits} bits does not fit a 32-bit word`);
    if (used + bits > 32) (word++, (used = 0));
    const slot = { word, shift: used, bits };
    used += bits;
    return slot;
  };
  const fields: Layout['fields'][number][] = [];
  for (const [name, field] of Object.entries(schema)) {
    const slots: Slot[] = [];
    if (field.kind === 'int') slots.push(place(bitsFor(field.max - field.min + 1)));
    else if (field.kind === 'bool') slots.push(place(1));
    else if (field.kind === 'intArray') {
      const bits = bitsFor(field.max - field.min + 1);
      for (let i = 0; i < field.length; i++) slots.push(place(bits));
    } else {
      if (used > 0) (word++, (used = 0));
      const n = Math.ceil(field.size / 32);
      for (let i = 0; i < n; i++) slots.push({ word: word + i, shift: 0, bits: 32 });
      word += n;
    }
    fields.push({ name, field, slots, firstWord: slots.length ? slots[0].word : word });
  }
  return { words: used > 0 ? word + 1 : word, fields };
}

/** Bit mask of `bits` ones, as a uint32 literal. */
const maskOf = (bits: number): number => 2 ** bits - 1;

/**
 * A range check that is cheap on the hot path: one integer test and one unsigned compare
 * (`(value - min) >>> 0` wraps below-range values to large ones). It keeps the schema a type
 * invariant, as TypeOK is.
 */
function rangeCheck(label: string, min: number, max: number, value: string): string {
  return `if ((${value} | 0) !== ${value} || ((${value} - ${min}) >>> 0) > ${max - min})
    throw new SchemaError(${label} + ' = ' + ${value} + ' is outside ${min}..${max}');`;
}

function indexCheck(name: string, length: number): string {
  return `if ((i >>> 0) >= ${length} || (i | 0) !== i) throw new SchemaError('${name}[' + i + '] is out of bounds');`;
}

/** A read or write outside a schema's domain: a model error (the spec broke its own type invariant). */
export class SchemaError extends RangeError {
  constructor(message: string) {
    super(`schema: ${message}`);
    this.name = 'SchemaError';
  }
}

/**
 * A bit no field of the layout uses (the highest free one), or null when every bit is used. The
 * engine marks a model error state with it: no state a spec can write has it set.
 */
export function spareBit(layout: Layout): { readonly word: number; readonly mask: number } | null {
  const used = new Uint32Array(layout.words);
  for (const { field, slots } of layout.fields) {
    slots.forEach((slot, i) => {
      // A bitset's last word holds only its remaining members.
      const bits = field.kind === 'bitset' && i === slots.length - 1 && field.size % 32 !== 0 ? field.size % 32 : slot.bits;
      used[slot.word] |= (bits === 32 ? 0xffffffff : (2 ** bits - 1) * 2 ** slot.shift) >>> 0;
    });
  }
  for (let word = 0; word < layout.words; word++) {
    const free = ~used[word] >>> 0;
    if (free !== 0) return { word, mask: (2 ** (31 - Math.clz32(free))) >>> 0 };
  }
  return null;
}

/**
 * Source of the accessor class for an array or bitset field. Accessors hold the state buffer in
 * `w` directly (the view's `words` setter rebinds them), so a read is one load and a shift.
 * Arrays whose elements share one word address it by arithmetic, others by a table.
 */
function accessorSource(name: string, field: IntArrayField | BitsetField, slots: Slot[]): string {
  if (field.kind === 'intArray') {
    const { min, max, length } = field;
    const bits = slots[0].bits;
    const mask = maskOf(bits);
    const oneWord = slots.every((s) => s.word === slots[0].word);
    // word and shift of element i: literal arithmetic when the array sits in one word,
    // otherwise `at[i] = word * 32 + shift` from a small table.
    const word = oneWord ? `${slots[0].word}` : `(this.at[i] >>> 5)`;
    const shift = oneWord ? `(i * ${bits} + ${slots[0].shift})` : `(this.at[i] & 31)`;
    return `class {
      constructor(w, at, view) { this.w = w; this.at = at; this.view = view; this.length = ${length}; }
      get(i) { ${indexCheck(name, length)}
        return ((this.w[${word}] >>> ${shift}) & ${mask}) + ${min}; }
      set(i, value) { ${indexCheck(name, length)} ${rangeCheck(`'${name}[' + i + ']'`, min, max, 'value')}
        const k = ${word}, s = ${shift};
        this.w[k] = ((this.w[k] & ~(${mask} << s)) | ((value - ${min}) << s)) >>> 0; this.view.dirty = true; } }`;
  }
  const base = slots[0].word;
  const size = field.size;
  const member = `if ((i >>> 0) >= ${size} || (i | 0) !== i) throw new SchemaError('${name} has no element ' + i);`;
  return `class {
    constructor(w, at, view) { this.w = w; this.view = view; this.size = ${size}; }
    has(i) { return (i >>> 0) < ${size} && ((this.w[${base} + (i >>> 5)] >>> (i & 31)) & 1) === 1; }
    add(i) { ${member} const k = ${base} + (i >>> 5); this.w[k] = (this.w[k] | (1 << (i & 31))) >>> 0; this.view.dirty = true; }
    delete(i) { ${member} const k = ${base} + (i >>> 5); this.w[k] = (this.w[k] & ~(1 << (i & 31))) >>> 0; this.view.dirty = true; }
    first(from, to) {
      if (from < 0) from = 0;
      if (to > ${size}) to = ${size};
      for (let i = from; i < to; i = (i | 31) + 1) {
        const x = this.w[${base} + (i >>> 5)] >>> (i & 31);
        if (x !== 0) { const j = i + 31 - Math.clz32(x & -x); return j < to ? j : -1; }
      }
      return -1; }
    count(from, to) {
      if (from < 0) from = 0;
      if (to > ${size}) to = ${size};
      let n = 0;
      for (let i = from; i < to; i = (i | 31) + 1) {
        let x = this.w[${base} + (i >>> 5)] >>> (i & 31);
        const left = to - i;
        if (left < 32) x &= (1 << left) - 1;
        x = x - ((x >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        n += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
      }
      return n; } }`;
}

export interface CompiledSchema<S extends Schema> {
  readonly layout: Layout;
  /** A view bound to `words` (rebind by assigning `view.words`). */
  view(words: Uint32Array): View<S>;
  /** A plain-object picture of a packed state. */
  unpack(words: Uint32Array): Record<string, unknown>;
}

/** Names a generated view uses for itself. */
const RESERVED_FIELD_NAMES = new Set(['w', 'words', 'dirty']);

export function compileSchema<S extends Schema>(schema: S): CompiledSchema<S> {
  for (const name of Object.keys(schema)) {
    if (RESERVED_FIELD_NAMES.has(name)) throw new Error(`schema: the field name '${name}' is reserved for the view`);
  }
  const layout = layoutOf(schema);
  const parts: string[] = [];
  const ctorLines: string[] = [];
  const rebindLines: string[] = [];
  layout.fields.forEach(({ name, field, slots }, i) => {
    const key = JSON.stringify(name);
    if (field.kind === 'int' || field.kind === 'bool') {
      const { word, shift, bits } = slots[0];
      const min = field.kind === 'int' ? field.min : 0;
      const max = field.kind === 'int' ? field.max : 1;
      const read = `(((this.w[${word}] >>> ${shift}) & ${maskOf(bits)}) + ${min})`;
      const value = field.kind === 'bool' ? '(value ? 1 : 0)' : `(value - ${min})`;
      const check = field.kind === 'int' ? rangeCheck(`'${name}'`, min, max, 'value') : '';
      parts.push(`get [${key}]() { return ${field.kind === 'bool' ? `${read} === 1` : read}; }`);
      parts.push(`set [${key}](value) { ${check}
        this.w[${word}] = ((this.w[${word}] & ${~(maskOf(bits) * 2 ** shift) >>> 0}) | (${value} << ${shift})) >>> 0;
        this.dirty = true; }`);
    } else {
      ctorLines.push(`this[${key}] = new accessors[${i}](words, tables[${i}], this);`);
      rebindLines.push(`this[${key}].w = words;`);
    }
  });
  const accessors = layout.fields.map(({ name, field, slots }) =>
    field.kind === 'intArray' || field.kind === 'bitset'
      ? new Function('SchemaError', `return ${accessorSource(name, field, slots)};`)(SchemaError)
      : null,
  );
  const tables = layout.fields.map(({ slots }) => Int32Array.from(slots, (s) => s.word * 32 + s.shift));
  const ViewClass = new Function(
    'accessors',
    'tables',
    'SchemaError',
    `return class {
      constructor(words) { this.w = words; this.dirty = false; ${ctorLines.join(' ')} }
      get words() { return this.w; }
      set words(words) { this.w = words; ${rebindLines.join(' ')} }
      ${parts.join('\n')} };`,
  )(accessors, tables, SchemaError) as new (words: Uint32Array) => View<S>;

  const reader = new ViewClass(new Uint32Array(layout.words));
  return {
    layout,
    view: (words) => {
      if (words.length < layout.words) throw new Error(`schema: state has ${words.length} words, needs ${layout.words}`);
      return new ViewClass(words);
    },
    unpack(words) {
      reader.words = words;
      const out: Record<string, unknown> = {};
      const r = reader as unknown as Record<string, unknown>;
      for (const { name, field } of layout.fields) {
        if (field.kind === 'intArray') {
          const a = r[name] as IntArrayAccess;
          out[name] = Array.from({ length: field.length }, (_, i) => a.get(i));
        } else if (field.kind === 'bitset') {
          const b = r[name] as BitsetAccess;
          out[name] = Array.from({ length: field.size }, (_, i) => i).filter((i) => b.has(i));
        } else out[name] = r[name];
      }
      return out;
    },
  };
}
