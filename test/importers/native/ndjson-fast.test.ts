// The fast NDJSON path must accept exactly what the zod schema accepts, output what it outputs, and import
// files into the same graph (or the same issues, with file, line and JSON path) as importers/native.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlastmapError } from '../../../engine/errors.ts';
import { edgeSchema, isoInstant, nodeSchema } from '../../../engine/format/native.ts';
import { generateFragment } from '../../../engine/generate/enterprise.ts';
import { CREDENTIAL_TYPES, DEFAULT_SCHEMA, IDENTITY_SUBTYPES } from '../../../engine/schema/index.ts';
import { assembleGraph } from '../../../engine/store/assemble.ts';
import { toFragment, type CompactGraph } from '../../../engine/store/compact.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { checkEdgeRecord, checkNodeRecord, importNdjsonFast, normaliseInstant } from '../../../importers/native/ndjson-fast.ts';

// Fake secret-shaped values, assembled so that no secret-shaped literal sits in the repository.
const FAKE_AWS_KEY = ['AK', 'IA', 'ABCDEFGHIJKLMNOP'].join('');
const FAKE_GITHUB_TOKEN = ['gh', 'p_', 'abcdefghijklmnopqrstuvwxyz0123456789'].join('');
const FAKE_SLACK_TOKEN = ['xo', 'xb-', '1234567890-abcdef'].join('');

const NODE_KINDS = Object.keys(DEFAULT_SCHEMA.nodeKinds);
const EDGE_KINDS = Object.keys(DEFAULT_SCHEMA.edgeKinds);

// ---- a corpus of valid records and their mutations --------------------------------------------------

const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max, unit: fc.constantFrom('a', 'B', '7', ' ', '-', ':', 'é', '"', '\\', '\u2028') });
const tag = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);
const dateText = fc.oneof(
  fc.date({ min: new Date('1970-01-01'), max: new Date('2090-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 }))
    .map(([y, mo, d, h, mi, s, ms]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}Z`),
  fc.constantFrom('2024-02-29', '2023-02-29T00:00:00.000Z', '2024-02-29T23:59:59.999Z', '2025-06-01 10:00', '2025-06-01T10:00:00+02:00', '2025-06-01T10:00:00.5Z', '2025-6-1', 'yesterday', '', '2025-06-01T24:00:00.000Z', '0000-01-01T00:00:00.000Z'),
);
// Approval fields are mostly valid, so that records carrying all of them are still accepted often enough.
const mostlyValidDate = fc.oneof({ arbitrary: fc.constantFrom('2025-06-01T10:00:00.000Z', '2025-06-01', '2025-06-01T10:00:00+02:00'), weight: 6 }, { arbitrary: dateText, weight: 1 });
const cadence = fc.oneof({ arbitrary: fc.constantFrom('P90D', 'P6M', 'P12W', 'P1Y'), weight: 6 }, { arbitrary: fc.constantFrom('P0D', 'PT1H', '90 days', 'P1X'), weight: 1 });
const primitive = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null));
const properties = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(primitive, fc.array(primitive, { maxLength: 3 })), { maxKeys: 3 });

const nodeFields = {
  id: text(1, 12), nativeId: text(1, 12), kind: fc.constantFrom(...NODE_KINDS), name: text(1, 12),
  platform: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,8}$/), tenant: text(1, 8), source: text(0, 8),
  tags: fc.array(tag, { maxLength: 3 }), sensitivity: fc.double({ min: 0, max: 10, noNaN: true }), enabled: fc.boolean(),
  vendor: text(0, 8), thirdParty: fc.boolean(), publisherVerified: fc.boolean(), ownerIds: fc.array(text(1, 6), { maxLength: 2 }),
  subtype: fc.constantFrom(...IDENTITY_SUBTYPES), mfa: fc.boolean(), email: text(0, 12), privileged: fc.boolean(),
  type: fc.constantFrom(...CREDENTIAL_TYPES), createdAt: dateText, lastUsedAt: dateText, expiresAt: dateText, rotatedAt: dateText,
  revoked: fc.boolean(), revokedAt: dateText, fingerprint: text(0, 10), hint: text(0, 17), scopes: fc.array(text(0, 6), { maxLength: 3 }),
  usedScopes: fc.array(text(0, 6), { maxLength: 2 }), resourceType: text(0, 8), properties,
  approvedBy: text(1, 8), approvedAt: mostlyValidDate, approvedScopes: fc.array(text(0, 6), { maxLength: 2 }), reviewedAt: mostlyValidDate, reviewEvery: cadence,
};
const edgeFields = {
  id: text(1, 12), kind: fc.constantFrom(...EDGE_KINDS), from: text(1, 12), to: text(1, 12), scopes: fc.array(text(0, 6), { maxLength: 3 }),
  grant: text(1, 8), reason: text(0, 12), conditions: fc.array(tag, { maxLength: 2 }), assumed: fc.boolean(), source: text(0, 8), properties,
  approvedBy: text(1, 8), approvedAt: mostlyValidDate, approvedScopes: fc.array(text(0, 6), { maxLength: 2 }), reviewedAt: mostlyValidDate, reviewEvery: cadence,
};

/** Strings just inside and just outside every length limit of the schema. */
const boundary = fc.constantFrom(0, 1, 16, 17, 128, 129, 256, 257, 320, 321, 512, 513, 1024, 1025, 2048, 2049).map((length) => 'x'.repeat(length));

/** Values that break something: wrong types, empty or huge strings, bad tags, nested objects. */
const wrong = fc.oneof(
  boundary,
  boundary.map((value) => [value]),
  fc.constantFrom(null, 0, -1, 11, 10.5, '', 'x'.repeat(3000), 'x'.repeat(600), [], {}, ['Bad Tag'], [1], true, 'Not_A_Kind', { a: { b: 1 } }, [{ a: 1 }], ['ok', null], 'toString', '__proto__'),
  fc.jsonValue({ maxDepth: 2 }),
);

function mutated<T extends Record<string, unknown>>(valid: fc.Arbitrary<T>, keys: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(valid, fc.constantFrom('none', 'replace', 'delete', 'extra'), fc.constantFrom(...keys), wrong).map(([record, how, key, value]) => {
    const out: Record<string, unknown> = { ...record };
    if (how === 'replace') out[key] = value;
    if (how === 'delete') delete out[key];
    if (how === 'extra') out.unexpected = value;
    return out;
  });
}

const nodeRecord = fc.record(nodeFields, { requiredKeys: ['kind', 'name', 'platform', 'tenant'] });
const edgeRecord = fc.record(edgeFields, { requiredKeys: ['kind', 'from', 'to'] });
const nodeCorpus = mutated(nodeRecord, Object.keys(nodeFields));
const edgeCorpus = mutated(edgeRecord, Object.keys(edgeFields));

describe('hand-written record checks', () => {
  it('accept exactly the nodes the zod schema accepts, and output what it outputs', () => {
    const schema = nodeSchema();
    let accepted = 0;
    fc.assert(fc.property(nodeCorpus, (raw) => {
      const json = JSON.parse(JSON.stringify(raw)) as unknown;
      const expected = schema.safeParse(structuredClone(json));
      const actual = checkNodeRecord(structuredClone(json));
      expect(actual !== undefined).toBe(expected.success);
      if (expected.success) {
        accepted++;
        expect(actual).toEqual(expected.data);
      }
    }), { numRuns: 5000 });
    // About one record in ten is valid (more optional fields, more ways to be wrong): 5,000 runs keep well over 300 of them.
    expect(accepted).toBeGreaterThan(300);
  });

  it('accept exactly the edges the zod schema accepts, and output what it outputs', () => {
    const schema = edgeSchema();
    let accepted = 0;
    fc.assert(fc.property(edgeCorpus, (raw) => {
      const json = JSON.parse(JSON.stringify(raw)) as unknown;
      const expected = schema.safeParse(structuredClone(json));
      const actual = checkEdgeRecord(structuredClone(json));
      expect(actual !== undefined).toBe(expected.success);
      if (expected.success) {
        accepted++;
        expect(actual).toEqual(expected.data);
      }
    }), { numRuns: 3000 });
    expect(accepted).toBeGreaterThan(300);
  });

  it('agree with the schema on every field set to every probe value (limits, types, formats)', () => {
    const probes: unknown[] = [
      ...[0, 1, 16, 17, 128, 129, 256, 257, 320, 321, 512, 513, 1024, 1025, 2048, 2049].flatMap((length) => ['x'.repeat(length), ['x'.repeat(length)]]),
      null, true, false, 0, -0.5, 5, 10, 10.5, 11, [], {}, { a: 1 }, { a: [1, 'b', null] }, { a: { b: 1 } }, [null], [1], ['ok'], ['Bad Tag'], ['ok-tag', 'x'],
      'App', 'HOLDS', 'toString', 'human', 'api-key', 'Bad Platform', 'plat.form-1', '2024-02-29', '2023-02-29T00:00:00.000Z', '2025-06-01T10:00:00+02:00', 'soon',
    ];
    const nodeBase = { id: 'p:t:credential:c', nativeId: 'c', kind: 'Credential', type: 'api-key', name: 'key', platform: 'p', tenant: 't', createdAt: '2024-01-01T00:00:00.000Z' };
    const edgeBase = { kind: 'HOLDS', from: 'p:t:app:a', to: 'p:t:credential:c' };
    const cases: [Record<string, unknown>, string[], (raw: unknown) => Record<string, unknown> | undefined, ReturnType<typeof nodeSchema> | ReturnType<typeof edgeSchema>][] = [
      [nodeBase, Object.keys(nodeFields), checkNodeRecord, nodeSchema()],
      [edgeBase, Object.keys(edgeFields), checkEdgeRecord, edgeSchema()],
    ];
    let checked = 0;
    for (const [base, keys, check, schema] of cases) {
      for (const key of [...keys, 'unexpected']) {
        for (const probe of probes) {
          const raw = { ...base, [key]: probe };
          const expected = schema.safeParse(structuredClone(raw));
          const actual = check(structuredClone(raw));
          expect({ key, probe, accepted: actual !== undefined }).toEqual({ key, probe, accepted: expected.success });
          if (expected.success) expect(actual).toEqual(expected.data);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('normalise instants exactly as the schema does, canonical texts included', () => {
    fc.assert(fc.property(dateText, (value) => {
      const expected = isoInstant.safeParse(value);
      expect(normaliseInstant(value)).toBe(expected.success ? expected.data : undefined);
    }), { numRuns: 3000 });
  });
});

// ---- whole files ------------------------------------------------------------------------------------

function observable(graph: CompactGraph) {
  const fragment = JSON.parse(JSON.stringify(toFragment(graph))) as { nodes: unknown[]; edges: unknown[] };
  return { ...fragment, fwd: [...graph.fwdOffsets], dst: [...graph.edgeDst] };
}

/** The reference: parseNative on the text, then assembleGraph (issues from either step). */
function reference(ndjson: string): { ok: true; graph: CompactGraph } | { ok: false; issues: unknown[] } {
  const parsed = parseNative(ndjson, { file: 'in.ndjson' });
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  try {
    return { ok: true, graph: assembleGraph([parsed.value]).graph };
  } catch (error) {
    if (error instanceof BlastmapError) return { ok: false, issues: [...error.issues] };
    throw error;
  }
}

function fast(ndjson: string, chunkSizes: number[] = []): { ok: true; graph: CompactGraph } | { ok: false; issues: unknown[] } {
  const bytes = new TextEncoder().encode(ndjson);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const size of chunkSizes) {
    if (offset >= bytes.length) break;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  if (offset < bytes.length) chunks.push(bytes.subarray(offset));
  const result = importNdjsonFast(chunks, { file: 'in.ndjson' });
  return result.ok ? { ok: true, graph: result.value.graph } : { ok: false, issues: result.issues };
}

function expectSameOutcome(ndjson: string, chunkSizes: number[] = []): void {
  const expected = reference(ndjson);
  const actual = fast(ndjson, chunkSizes);
  expect(actual.ok).toBe(expected.ok);
  if (expected.ok && actual.ok) expect(observable(actual.graph)).toEqual(observable(expected.graph));
  if (!expected.ok && !actual.ok) expect(actual.issues).toEqual(expected.issues);
}

const NODES = [
  { id: 'p:t:app:a', kind: 'App', name: 'A', platform: 'p', tenant: 't' },
  { id: 'p:t:credential:c', kind: 'Credential', type: 'api-key', name: 'key', platform: 'p', tenant: 't', createdAt: '2024-01-01', expiresAt: '2030-01-01T00:00:00.000Z' },
  { id: 'p:t:identity:i', kind: 'Identity', subtype: 'service', name: 'svc', platform: 'p', tenant: 't' },
  { nativeId: 'R1', kind: 'Resource', name: 'bucket', platform: 'p', tenant: 't', tags: ['pii'] },
  { id: 'p:t:identité:é', kind: 'Identity', name: 'accented', platform: 'p', tenant: 't' },
];
const EDGES = [
  { kind: 'HOLDS', from: 'p:t:app:a', to: 'p:t:credential:c' },
  { kind: 'AUTHENTICATES_AS', from: 'p:t:credential:c', to: 'p:t:identity:i' },
  { kind: 'CAN_READ', from: 'p:t:identity:i', to: 'p:t:resource:R1' },
  { kind: 'CAN_READ', from: 'p:t:identity:i', to: 'p:t:resource:R1', scopes: ['read'], grant: 'p:t:credential:c' },
  { kind: 'CAN_READ', from: 'p:t:identity:i', to: 'p:t:resource:R1', scopes: ['write'], grant: 'p:t:credential:c', conditions: ['mfa'] },
  { kind: 'CAN_IMPERSONATE', from: 'p:t:identity:i', to: 'p:t:identité:é' },
  { kind: 'HOLDS', from: 'p:t:app:a', to: 'p:t:credential:c' },
];

/** Lines with every way a line can be written: canonical, spaced, CRLF, escaped, bad, secret-bearing. */
const lineArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EDGES).map((edge) => JSON.stringify(edge)) },
  { weight: 4, arbitrary: fc.constantFrom(...NODES).map((node) => JSON.stringify(node)) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGES).map((edge) => ` ${JSON.stringify(edge, null, 0)}\r`) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGES).map((edge) => JSON.stringify(edge).replace('"from"', '"from" ')) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\ufeff', '{"kind":"HOLDS","from":"p:t:app:a","to":"p:t:credential:c"}  ', '{"kind":"HOLDS","from":"p:t:app:\\u0061","to":"p:t:credential:c"}', '{"kind":"HOLDS","from":"p:t:app:a","to":"p:t:credential:missing"}', '{"kind":"HOLDS","from":"p:t:resource:R1","to":"p:t:credential:c"}') },
  { weight: 1, arbitrary: fc.constantFrom('{"kind":"toString"}', 'not json', '[1,2]', 'null', '{"kind":"App"}', '{"kind":"NOPE","from":"a","to":"b"}', '{"kind":"HOLDS","from":"","to":"p:t:credential:c"}') },
  { weight: 1, arbitrary: fc.constantFrom(
    JSON.stringify({ id: 'p:t:app:s', kind: 'App', name: `leaks ${FAKE_AWS_KEY} here`, platform: 'p', tenant: 't', properties: { password: 'hunter2hunter2', note: 'token=abcdefghijkl' } }),
    JSON.stringify({ kind: 'HOLDS', from: 'p:t:app:s', to: 'p:t:credential:c', reason: `pasted ${FAKE_GITHUB_TOKEN}` }),
    JSON.stringify({ id: 'p:t:app:a', kind: 'App', name: 'A', platform: 'p', tenant: 't', vendor: 'later fact' }),
    JSON.stringify({ id: 'p:t:app:a', kind: 'App', name: 'B', platform: 'p', tenant: 't' }),
  ) },
  { weight: 1, arbitrary: nodeCorpus.map((record) => JSON.stringify(record)) },
  { weight: 1, arbitrary: edgeCorpus.map((record) => JSON.stringify(record)) },
);

/** Valid records only, some carrying secret-shaped text that both paths must redact alike. */
const validLineArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...EDGES).map((edge) => JSON.stringify(edge)) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGES).map((edge) => ` ${JSON.stringify(edge)}\r`) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGES).map((edge) => JSON.stringify(edge).replace('"from"', '"from" ')) },
  { weight: 2, arbitrary: fc.constantFrom(
    JSON.stringify({ id: 'p:t:app:leaky', kind: 'App', name: `leaks ${FAKE_AWS_KEY} here`, platform: 'p', tenant: 't' }),
    JSON.stringify({ id: 'p:t:identity:i', kind: 'Identity', subtype: 'service', name: 'svc', email: 'password=hunter2hunter2', platform: 'p', tenant: 't' }),
    JSON.stringify({ id: 'p:t:identity:i', kind: 'Identity', subtype: 'service', name: 'svc', platform: 'p', tenant: 't', properties: { password: 'hunter2hunter2', note: 'token=abcdefghijkl' } }),
    JSON.stringify({ id: 'p:t:credential:c', kind: 'Credential', type: 'api-key', name: 'key', platform: 'p', tenant: 't', fingerprint: FAKE_GITHUB_TOKEN }),
    JSON.stringify({ kind: 'HOLDS', from: 'p:t:app:leaky', to: 'p:t:credential:c' }),
    JSON.stringify({ kind: 'HOLDS', from: 'p:t:app:a', to: 'p:t:credential:c', reason: `pasted ${FAKE_GITHUB_TOKEN}` }),
    JSON.stringify({ kind: 'HOLDS', from: 'p:t:app:a', to: 'p:t:credential:c', reason: 'a plain reason' }),
    JSON.stringify({ kind: 'CAN_READ', from: 'p:t:identity:i', to: 'p:t:resource:R1', properties: { secret: 'x', list: [FAKE_SLACK_TOKEN] } }),
    JSON.stringify({ id: 'p:t:app:a', kind: 'App', name: 'A', platform: 'p', tenant: 't', vendor: 'a later fact' }),
  ) },
);

describe('importNdjsonFast', () => {
  it('imports files of valid records into the same graph, secrets redacted alike (random files, random chunking)', () => {
    fc.assert(fc.property(fc.array(validLineArb, { maxLength: 25 }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 }), (lines, chunks) => {
      const ndjson = `${[...NODES.map((node) => JSON.stringify(node)), JSON.stringify({ id: 'p:t:app:leaky', kind: 'App', name: `leaks ${FAKE_AWS_KEY} here`, platform: 'p', tenant: 't' }), ...lines].join('\n')}\n`;
      const expected = reference(ndjson);
      expect(expected.ok).toBe(true);
      expectSameOutcome(ndjson, chunks);
    }), { numRuns: 300 });
  });

  it('imports what parseNative + assembleGraph import, or reports the same issues (random files, random chunking)', () => {
    fc.assert(fc.property(fc.array(lineArb, { maxLength: 30 }), fc.boolean(), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 }), (lines, trailingNewline, chunks) => {
      expectSameOutcome(lines.join('\n') + (trailingNewline ? '\n' : ''), chunks);
    }), { numRuns: 500 });
  });

  it('imports files with only valid lines into the same graph (nodes and edges in any order)', () => {
    fc.assert(fc.property(fc.shuffledSubarray([...NODES, ...EDGES, ...EDGES.slice(0, 3)].map((record) => JSON.stringify(record)), { minLength: 1 }), (lines) => {
      const all = [...NODES.map((node) => JSON.stringify(node)), ...lines];
      expectSameOutcome(`${all.join('\n')}\n`, [7, 13, 1, 64]);
    }), { numRuns: 200 });
  });

  it('imports a generated enterprise into the same graph, reading most edges without JSON.parse', () => {
    const fragment = generateFragment({ nodes: 4000, seed: 8 });
    const ndjson = `${[...fragment.nodes, ...fragment.edges].map((record) => JSON.stringify(record)).join('\n')}\n`;
    const result = importNdjsonFast(new TextEncoder().encode(ndjson));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.summary.scannedEdges / result.value.summary.edges).toBeGreaterThan(0.9);
    expectSameOutcome(ndjson, [4096, 1 << 16]);
  });

  it('names the file, line and JSON path of a bad record', () => {
    const result = importNdjsonFast(`${JSON.stringify(NODES[0])}\n{"kind":"App","name":"x","platform":"Bad Platform","tenant":"t","id":"a"}\n`, { file: 'big.ndjson' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ file: 'big.ndjson', line: 2, path: '$.platform' })]);
  });
});
