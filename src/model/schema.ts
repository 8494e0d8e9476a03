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
  readonly size: number;
}

/** A typed view over one packed state. `words` is the buffer it reads and writes. */
export type View<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends { kind: 'int' }
    ? number
    : S[K] extends { kind: 'bool' }
      ? boolean
      : S[K] extends { kind: 'intArray' }
        ? IntArrayAccess
        : BitsetAccess;
} & { words: Uint32Array };

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

const readExpr = (s: Slot, min: number): string =>
  `(((this.v.words[${s.word}] >>> ${s.shift}) & ${2 ** s.bits - 1}) + ${min})`;

function writeStmt(s: Slot, min: number, value: string): string {
  const mask = (2 ** s.bits - 1) * 2 ** s.shift;
  return `this.v.words[${s.word}] = ((this.v.words[${s.word}] & ${~mask >>> 0}) | (((${value}) - ${min}) << ${s.shift})) >>> 0;`;
}

function rangeCheck(name: string, min: number, max: number, value: string): string {
  return `if (!(${value} >= ${min} && ${value} <= ${max} && (${value} | 0) === ${value})) throw new RangeError('schema: ${name} = ' + ${value} + ' is outside ${min}..${max}');`;
}

/** Source of the accessor class for one field, with offsets inlined as literals. */
function accessorSource(name: string, field: Field, slots: Slot[]): string {
  if (field.kind === 'intArray') {
    const gets = slots.map((s, i) => `case ${i}: return ${readExpr(s, field.min)};`).join('\n');
    const sets = slots.map((s, i) => `case ${i}: ${writeStmt(s, field.min, 'value')} return;`).join('\n');
    return `class { constructor(v) { this.v = v; this.length = ${field.length}; }
      get(i) { switch (i) { ${gets} } throw new RangeError('schema: ${name}[' + i + '] out of bounds'); }
      set(i, value) { ${rangeCheck(`${name}[' + i + ']`, field.min, field.max, 'value')}
        switch (i) { ${sets} } throw new RangeError('schema: ${name}[' + i + '] out of bounds'); } }`;
  }
  const base = slots[0].word;
  return `class { constructor(v) { this.v = v; this.size = ${(field as { size: number }).size}; }
    has(i) { return ((this.v.words[${base} + (i >>> 5)] >>> (i & 31)) & 1) === 1; }
    add(i) { if (!(i >= 0 && i < this.size)) throw new RangeError('schema: ${name} has no element ' + i);
      this.v.words[${base} + (i >>> 5)] = (this.v.words[${base} + (i >>> 5)] | (1 << (i & 31))) >>> 0; }
    delete(i) { this.v.words[${base} + (i >>> 5)] = (this.v.words[${base} + (i >>> 5)] & ~(1 << (i & 31))) >>> 0; } }`;
}

export interface CompiledSchema<S extends Schema> {
  readonly layout: Layout;
  /** A view bound to `words` (rebind by assigning `view.words`). */
  view(words: Uint32Array): View<S>;
  /** A plain-object picture of a packed state. */
  unpack(words: Uint32Array): Record<string, unknown>;
}

export function compileSchema<S extends Schema>(schema: S): CompiledSchema<S> {
  const layout = layoutOf(schema);
  const parts: string[] = [];
  const ctorLines: string[] = [];
  layout.fields.forEach(({ name, field, slots }, i) => {
    const key = JSON.stringify(name);
    if (field.kind === 'int' || field.kind === 'bool') {
      const min = field.kind === 'int' ? field.min : 0;
      const max = field.kind === 'int' ? field.max : 1;
      const read = readExpr(slots[0], min).replaceAll('this.v.', 'this.');
      const write = writeStmt(slots[0], min, field.kind === 'bool' ? '(value ? 1 : 0)' : 'value').replaceAll('this.v.', 'this.');
      const check = field.kind === 'int' ? rangeCheck(name, min, max, 'value') : '';
      parts.push(`get [${key}]() { return ${field.kind === 'bool' ? `${read} === 1` : read}; }`);
      parts.push(`set [${key}](value) { ${check} ${write} }`);
    } else {
      ctorLines.push(`this[${key}] = new accessors[${i}](this);`);
    }
  });
  const accessors = layout.fields.map(({ name, field, slots }) =>
    field.kind === 'intArray' || field.kind === 'bitset'
      ? new Function(`return ${accessorSource(name, field, slots)};`)()
      : null,
  );
  const ViewClass = new Function(
    'accessors',
    `return class { constructor(words) { this.words = words; ${ctorLines.join(' ')} } ${parts.join('\n')} };`,
  )(accessors) as new (words: Uint32Array) => View<S>;

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
