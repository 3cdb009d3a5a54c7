// JSON written in pieces, nested: the same text as JSON.stringify(value, null, 2), but any array longer than
// a few thousand elements (at any depth) is written element by element, so no report becomes one string.
/** Arrays up to this long are stringified whole; longer ones element by element. */
const WHOLE = 2000;

const reindent = (text: string, indent: string): string => (indent === '' ? text : text.replace(/\n/g, `\n${indent}`));

/** True when `value` holds an array longer than WHOLE somewhere inside (so it must be streamed). */
function holdsLongArray(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || depth > 6) return false;
  if (Array.isArray(value)) return value.length > WHOLE || value.some((item) => holdsLongArray(item, depth + 1));
  return Object.values(value as Record<string, unknown>).some((item) => holdsLongArray(item, depth + 1));
}

export function* jsonStream(value: unknown, indent = ''): Generator<string> {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON: () => unknown }).toJSON();
  if (!holdsLongArray(value)) {
    yield reindent(JSON.stringify(value, null, 2) ?? 'null', indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      yield inner;
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* jsonStream(item, inner);
      yield i + 1 < value.length ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined && typeof record[key] !== 'function' && typeof record[key] !== 'symbol');
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    yield `${inner}${JSON.stringify(keys[i])}: `;
    yield* jsonStream(record[keys[i]!], inner);
    yield i + 1 < keys.length ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** jsonStream with the final newline `json()` ends with. */
export function* jsonDocument(value: unknown): Generator<string> {
  yield* jsonStream(value);
  yield '\n';
}
