// JsonOut, the byte writer behind the large JSON reports: every value it writes is JSON.stringify's bytes, across
// buffer boundaries (tiny buffers force a flush inside strings and multi-byte characters), and the radius writers
// built on it give the first writers' bytes on graphs whose ids, names and attributes need escaping.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import type { GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import { jsonOutChunks, JsonOut, writeJsonOut } from '../../../engine/report/json-out.ts';
import { radiusJsonChunks, radiusNdjsonLines } from '../../../engine/report/radius-json.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { referenceRadiusJsonChunks, referenceRadiusNdjsonLines } from '../../helpers/reference-radius-json.ts';

/** Strings of every kind: ASCII, quotes and backslashes, control characters, non-ASCII, astral and lone surrogates. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '\u2028', '😀', '\ud800', '\udc00', 'a', '|') }),
  // Longer than 32 characters: checked by one expression and copied natively.
  fc.string({ minLength: 33, maxLength: 120 }),
  fc.string({ unit: fc.constantFrom('a', 'b', ':', '-', '~', ' ', '!', '#', '[', ']', '"', '\\', 'é', '\u007f', '\u001f'), minLength: 33, maxLength: 120 }),
);

type Op = { str: string } | { body: string } | { num: number } | { int: number } | { repeated: string } | { value: unknown } | { data: unknown } | { ascii: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  anyString.map((str) => ({ str })),
  anyString.map((body) => ({ body })),
  fc.oneof(fc.double(), fc.integer(), fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, -0, 1e15, 1e21, 123.5, Number.NaN, Infinity)).map((num) => ({ num })),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((int) => ({ int })),
  fc.constantFrom('App', 'admin', 'entra', 'é"', '').map((repeated) => ({ repeated })),
  fc.jsonValue().map((value) => ({ value })),
  // Plain data as records hold it: undefined fields (dropped), nested arrays with undefined (null), -0, NaN, dates.
  fc.oneof(fc.jsonValue(), fc.anything({ withBoxedValues: false, withMap: false, withSet: false, withTypedArray: true, withDate: true, withNullPrototype: true, withObjectString: false, values: [anyString, fc.double(), fc.constant(undefined), fc.constant(-0)] })).map((data) => ({ data })),
  fc.stringMatching(/^[ -~]{0,40}$/).map((ascii) => ({ ascii })),
);

function apply(out: JsonOut, o: Op): void {
  if ('str' in o) out.str(o.str);
  else if ('body' in o) out.strBody(o.body);
  else if ('num' in o) out.num(o.num);
  else if ('int' in o) out.int(o.int);
  else if ('repeated' in o) out.repeated(o.repeated);
  else if ('value' in o) out.value(o.value);
  else if ('data' in o) out.data(o.data);
  else out.ascii(o.ascii);
}

function expected(o: Op): string {
  if ('str' in o) return JSON.stringify(o.str);
  if ('body' in o) return JSON.stringify(o.body).slice(1, -1);
  if ('num' in o) return JSON.stringify(o.num);
  if ('int' in o) return JSON.stringify(o.int);
  if ('repeated' in o) return JSON.stringify(o.repeated);
  if ('value' in o) return JSON.stringify(o.value);
  if ('data' in o) return JSON.stringify(o.data) ?? 'null';
  return o.ascii;
}

describe('JsonOut', () => {
  it('writes what JSON.stringify writes, as UTF-8, whatever the buffer size', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), fc.constantFrom(64, 100, 1 << 16), (ops, size) => {
      const parts: Uint8Array[] = [];
      writeJsonOut((bytes) => parts.push(bytes.slice()), function* (out) { for (const o of ops) { apply(out, o); yield; } }, size);
      const written = Buffer.concat(parts);
      expect(written.equals(Buffer.from(ops.map(expected).join('')))).toBe(true);
      // Every piece but the last is a full buffer (few large writes), and none is larger.
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(Math.max(size, written.length));
    }), { numRuns: 500 });
  });

  it('as text: pieces are the lines written between yields, multi-byte characters cut by a flush decoded whole', () => {
    fc.assert(fc.property(fc.array(anyString, { maxLength: 30 }), (values) => {
      const pieces = [...jsonOutChunks(function* (out) { for (const value of values) { out.str(value); out.byte(0x0a); yield; } }, 64)];
      expect(pieces).toEqual(values.map((value) => `${JSON.stringify(value)}\n`).filter((piece) => piece !== ''));
    }), { numRuns: 300 });
  });

  it('a string longer than the buffer, and a huge one through `text`, come out whole', () => {
    const long = `${'a'.repeat(300)}é${'"'.repeat(70)}😀`;
    const parts: Uint8Array[] = [];
    writeJsonOut((bytes) => parts.push(bytes.slice()), function* (out) { out.str(long); out.ascii(','); out.text(long); out.repeated(long); yield; }, 64);
    expect(Buffer.concat(parts).toString('utf8')).toBe(`${JSON.stringify(long)},${long}${JSON.stringify(long)}`);
  });
});

describe('radius JSON through JsonOut, with ids, names and attributes that need escaping', () => {
  it('the same bytes as the first writers', () => {
    const graphWithNames = reachableGraph().chain((g) => fc.tuple(fc.constant(g), fc.array(anyString, { minLength: g.nodes.length, maxLength: g.nodes.length }), fc.array(anyString, { minLength: 1, maxLength: 4 })));
    fc.assert(fc.property(graphWithNames, ([{ nodes, edges }, names, extra]) => {
      // Each id keeps its index (unique) and gains a hostile suffix; names and edge reasons, grants and conditions too.
      const idOf = new Map(nodes.map((node, i) => [node.id, `${node.id}${names[i]!}#${i}`]));
      const hostileNodes = nodes.map((node, i): GraphNode => ({ ...node, id: idOf.get(node.id)!, name: `${names[i]!}${node.name}` }));
      const hostileEdges = edges.map((edge, i): GraphEdge => {
        const copy: GraphEdge = { ...edge, from: idOf.get(edge.from)!, to: idOf.get(edge.to)! };
        if (i % 3 === 0) copy.reason = extra[i % extra.length]!;
        if (i % 4 === 1) copy.conditions = [...extra];
        return copy;
      });
      const graph = buildGraph({ nodes: hostileNodes, edges: hostileEdges });
      for (let v = 0; v < Math.min(graph.nodeCount, 3); v++) {
        const radius = blastRadius(graph, [v], { at: AT, sourceLevel: 'admin' });
        for (const paths of [false, true]) {
          expect([...radiusJsonChunks(radius, { paths })].join('')).toBe([...referenceRadiusJsonChunks(radius, { paths })].join(''));
          expect([...radiusNdjsonLines(radius, { paths })]).toEqual([...referenceRadiusNdjsonLines(radius, { paths })]);
        }
      }
    }), { numRuns: 150 });
  });
});
