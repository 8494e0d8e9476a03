// A small JSON Schema validator (the subset docs/ordeal-json.schema.json uses: type, const, enum,
// properties, required, additionalProperties, items, minimum, $ref to #/$defs, oneOf, allOf), so the
// tests hold ordeal's JSON to its published schema without a dependency. Returns the problems found.
type Schema = Record<string, unknown>;

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

export function validate(root: Schema, value: unknown, schema: Schema = root, at = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/$defs/', '');
    const target = (root.$defs as Record<string, Schema>)[name];
    if (!target) return [`${at}: unknown $ref ${schema.$ref}`];
    return validate(root, value, target, at);
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.some((want) => want === t || (want === 'number' && t === 'integer'))) return [`${at}: expected ${types.join('|')}, got ${t}`];
  }
  if ('const' in schema && value !== schema.const) problems.push(`${at}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) problems.push(`${at}: ${value} < ${schema.minimum}`);
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) problems.push(...validate(root, value, s as Schema, at));
  if (Array.isArray(schema.oneOf)) {
    const results = schema.oneOf.map((s) => validate(root, value, s as Schema, at));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing !== 1) problems.push(`${at}: matches ${passing} of oneOf (${results.map((r) => r[0] ?? 'ok').join('; ')})`);
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) if (!(name in record)) problems.push(`${at}: missing ${name}`);
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [name, v] of Object.entries(record)) {
      if (props[name]) problems.push(...validate(root, v, props[name], `${at}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${at}: unexpected ${name}`);
      else if (typeof schema.additionalProperties === 'object') problems.push(...validate(root, v, schema.additionalProperties as Schema, `${at}.${name}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => problems.push(...validate(root, v, schema.items as Schema, `${at}[${i}]`)));
  return problems;
}
