// fast-check arbitraries that damage a valid input: structural mutations of its parsed document (wrong types, nulls,
// huge strings, deep nesting, missing fields, duplicated records, swapped references, unknown kinds, prototype keys)
// and corruptions of its text (truncation, stray bytes, garbage), applied to one file of a seed set.
import fc from 'fast-check';
import type { RawFile } from '../../importers/common/records.ts';
import { formatOf, parseAs, serialise } from './inputs.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };

interface Slot { parent: Container; key: string | number }

/** Every value position of a document (breadth first, bounded), the root included through a holder. */
function slotsOf(holder: { root: Json }, limit = 4000): Slot[] {
  const slots: Slot[] = [{ parent: holder as unknown as Container, key: 'root' }];
  for (let i = 0; i < slots.length && slots.length < limit; i++) {
    const { parent, key } = slots[i]!;
    const value = (parent as Record<string | number, Json>)[key];
    if (Array.isArray(value)) value.forEach((_, index) => slots.push({ parent: value, key: index }));
    else if (value !== null && typeof value === 'object') for (const name of Object.keys(value)) slots.push({ parent: value, key: name });
  }
  return slots;
}

const DEEP = /"?@@DEEP-(\d+)-([ao])@@"?/g;

/** Nesting no serializer writes without recursing: built as text. */
export function expandDeep(text: string): string {
  return text.replace(DEEP, (_, depth: string, shape: string) => {
    const n = Number(depth);
    return shape === 'a' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });
}

const HOSTILE_STRINGS = [
  '', ' ', '\u0000', '\u001b[2J\u001b]0;pwned\u0007', '\r\nSet-Cookie: x=1', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '\uD800', '\uFFFE', '\u202Eevil',
  '%s%s%n', '${jndi:ldap://x}', '{{7*7}}', 'NaN', '-0', '1e999', 'null', 'true', '*', ':', '|', 'a:b:c:d:e', 'x'.repeat(5000),
];

/** A replacement value: another type, an edge-case primitive, random JSON, a huge or deeply nested value. */
const replacement: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], { '': null }) },
  { weight: 3, arbitrary: fc.constantFrom<Json>(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  // Huge strings of a repeated random unit (a unit like "a://" probes the secret patterns for backtracking).
  { weight: 1, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 1 << 14, max: 1 << 20 })).map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 64, max: 20_000 }), fc.constantFrom('a', 'o')).map(([depth, shape]) => `@@DEEP-${depth}-${shape}@@`) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom<Json>(null, 1, 'x', {}), { minLength: 1000, maxLength: 20_000 }) },
);

const KEYS = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'kind', 'name', 'nodes', 'edges', 'value', ''), fc.string({ maxLength: 12 }));

export type Mutation =
  | { op: 'replace'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'copy'; at: number; from: number }
  | { op: 'addKey'; at: number; key: string; value: Json }
  | { op: 'wrap'; at: number }
  | { op: 'kind'; at: number; kind: string }
  | { op: 'empty'; at: number };

const position = fc.nat({ max: 1_000_000 });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), at: position, value: replacement }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: position }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: position }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('copy' as const), at: position, from: position }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('addKey' as const), at: position, key: KEYS, value: replacement }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wrap' as const), at: position }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('kind' as const), at: position, kind: fc.oneof(fc.constantFrom('App', 'Group', 'HOLDS', 'Nope', 'BM_App', '__proto__', ''), fc.string({ maxLength: 10 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('empty' as const), at: position }) },
);

const get = (slot: Slot): Json => (slot.parent as Record<string | number, Json>)[slot.key]!;
const set = (slot: Slot, value: Json): void => { (slot.parent as Record<string | number, Json>)[slot.key] = value; };
const clone = (value: Json): Json => (value === null || typeof value !== 'object' ? value : structuredClone(value));

/** Applies mutations in order to a parsed document (in place, through a holder so the root can change too). */
export function applyMutations(document: Json, mutations: readonly Mutation[]): Json {
  const holder = { root: document };
  for (const m of mutations) {
    const slots = slotsOf(holder);
    const slot = slots[m.at % slots.length]!;
    switch (m.op) {
      case 'replace': set(slot, clone(m.value)); break;
      case 'delete':
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else if (slot.parent !== (holder as unknown)) delete (slot.parent as Record<string, Json>)[slot.key as string];
        break;
      case 'duplicate':
        if (Array.isArray(slot.parent)) slot.parent.splice((slot.key as number) + 1, 0, clone(get(slot)));
        else set(slot, [clone(get(slot)), clone(get(slot))]);
        break;
      case 'copy': set(slot, clone(get(slots[m.from % slots.length]!))); break;
      case 'addKey': {
        const value = get(slot);
        // defineProperty: a plain assignment of `__proto__` would change the prototype instead of adding a key.
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.defineProperty(value, m.key, { value: clone(m.value), enumerable: true, writable: true, configurable: true });
        break;
      }
      case 'wrap': set(slot, [get(slot)]); break;
      case 'kind': {
        const objects = slots.map(get).filter((v): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v) && ('kind' in v || 'kinds' in v || 'type' in v));
        const target = objects[m.at % Math.max(1, objects.length)];
        if (target) {
          if ('kinds' in target) target.kinds = [m.kind];
          else if ('kind' in target) target.kind = m.kind;
          else target.type = m.kind;
        }
        break;
      }
      case 'empty': {
        const value = get(slot);
        if (Array.isArray(value)) value.length = 0;
        else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) delete value[key];
        else set(slot, typeof value === 'string' ? '' : null);
        break;
      }
    }
  }
  return holder.root;
}

export type TextDamage =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'cut'; at: number; length: number }
  | { op: 'garbage'; text: string }
  | { op: 'prefix'; text: string };

const JSON_SYNTAX = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', 'NaN', '\uD800', '\n', '/*', '\uFEFF', '-', '1e', '&a', '*a', '!!', '<<');

export const textDamage: fc.Arbitrary<TextDamage> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('insert' as const), at: position, text: fc.oneof(JSON_SYNTAX, fc.string({ minLength: 1, maxLength: 4 })) }),
  fc.record({ op: fc.constant('cut' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('garbage' as const), text: fc.string({ unit: 'binary', maxLength: 200 }) }),
  fc.record({ op: fc.constant('prefix' as const), text: fc.constantFrom('\uFEFF', ')]}\'\n', '\u0000', 'null', '[]', '"x"') }),
);

export function damageText(text: string, damage: TextDamage): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (damage.op) {
    case 'truncate': return text.slice(0, at(damage.at));
    case 'insert': return text.slice(0, at(damage.at)) + damage.text + text.slice(at(damage.at));
    case 'cut': return text.slice(0, at(damage.at)) + text.slice(at(damage.at) + damage.length);
    case 'garbage': return damage.text;
    case 'prefix': return damage.text + text;
  }
}

/** One damaged input: which seed file, and either structural mutations of it or damage to its text. */
export type Damage = { file: number; lenient: boolean } & ({ kind: 'mutate'; mutations: Mutation[] } | { kind: 'text'; damage: TextDamage[] });

export const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ file: fc.nat(), lenient: fc.boolean(), kind: fc.constant('mutate' as const), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ file: fc.nat(), lenient: fc.boolean(), kind: fc.constant('text' as const), damage: fc.array(textDamage, { minLength: 1, maxLength: 3 }) }) },
);

/** The seed set with one file damaged. Structural mutations go to a file that parses (CSV files get text damage). */
export function damaged(seeds: readonly RawFile[], d: Damage): RawFile[] {
  const files = seeds.map((file) => ({ ...file }));
  const structured = files.map((file, i) => ({ file, i })).filter(({ file }) => formatOf(file.path) !== 'csv');
  if (d.kind === 'mutate' && structured.length > 0) {
    const { file } = structured[d.file % structured.length]!;
    const format = formatOf(file.path);
    const document = parseAs(format, file.text) as Json;
    file.text = serialise(format, applyMutations(document, d.mutations), expandDeep);
  } else {
    const file = files[d.file % files.length]!;
    const mutations = d.kind === 'text' ? d.damage : [{ op: 'truncate' as const, at: d.file }];
    for (const one of mutations) file.text = damageText(file.text, one);
  }
  return files;
}
