// Snapshot codec: a round trip keeps the graph and every analysis result identical (schema extensions
// included), and corrupt or foreign bytes are refused with INVALID_SNAPSHOT, never half-read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { defineSchema } from '../../../engine/schema/index.ts';
import { buildGraph, toFragment, type CompactGraph } from '../../../engine/store/compact.ts';
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_VERSION } from '../../../engine/store/snapshot.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { driftScenario, scenario } from '../../helpers/scenario.ts';

const at = '2025-06-01T00:00:00.000Z';

const radiusJson = (graph: CompactGraph, sources: number[], options = {}) => JSON.stringify(blastRadius(graph, sources, { at, ...options }));

/** The drift chain plus edge attributes of every sort, properties and windows. */
function richScenario() {
  return scenario((b) => {
    b.platform('vendor', { platform: 'chatvendor', tenant: 'prod', vendor: 'Chat Inc', properties: { region: 'eu', zones: ['a', 'b'], sso: true, seats: 12, note: null } });
    b.app('drift', { platform: 'chatvendor', tenant: 'prod', thirdParty: true, publisherVerified: false, tags: ['production'] });
    b.credential('sfToken', { platform: 'salesforce', tenant: 'acme', type: 'refresh-token', createdAt: '2024-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:00:00.000Z', scopes: ['api', 'refresh_token'] });
    b.resource('cases', { platform: 'salesforce', tenant: 'acme', tags: ['pii', 'customer'], sensitivity: 7.5, resourceType: 'cases' });
    b.credential('awsKey', { platform: 'aws', tenant: '111', type: 'api-key', revoked: true, revokedAt: '2025-09-01T00:00:00.000Z', hint: 'AB12' });
    b.identity('awsUser', { platform: 'aws', tenant: '111', subtype: 'service', mfa: false, email: 'ops@example.com' });
    b.identity('gone', { platform: 'aws', tenant: '111', enabled: false });
    b.resource('bucket', { platform: 'aws', tenant: '111', tags: ['crown-jewel'], name: 'prod "bucket" *with* [markdown]' });
    b.edge('MANAGES', 'vendor', 'drift', { source: 'test' })
      .edge('HOLDS', 'drift', 'sfToken', { reason: 'Drift keeps a Salesforce refresh token per customer.' })
      .edge('CAN_READ', 'sfToken', 'cases', { scopes: ['api'], grant: 'salesforce:acme:credential:sfToken', assumed: true, properties: { via: 'REST' } })
      .edge('CONTAINS_CREDENTIAL', 'cases', 'awsKey', { id: 'custom-edge-id' })
      .edge('AUTHENTICATES_AS', 'awsKey', 'awsUser', { conditions: ['ip-allowlist'] })
      .edge('CAN_RESET_CREDENTIAL', 'awsUser', 'gone')
      .edge('CAN_WRITE', 'awsUser', 'bucket', { reason: 'IAM policy s3:PutObject' });
  });
}

describe('snapshot round trip', () => {
  it('keeps the fragment and the blast radius identical', () => {
    for (const s of [richScenario(), driftScenario()]) {
      const decoded = decodeSnapshot(encodeSnapshot(s.graph));
      expect(toFragment(decoded)).toEqual(toFragment(s.graph));
      expect(decoded.nodeCount).toBe(s.graph.nodeCount);
      expect(decoded.edgeCount).toBe(s.graph.edgeCount);
      for (let v = 0; v < s.graph.nodeCount; v++) {
        expect(radiusJson(decoded, [v])).toBe(radiusJson(s.graph, [v]));
        expect(radiusJson(decoded, [v], { enforceConditions: ['ip-allowlist'], maxDepth: 3 })).toBe(radiusJson(s.graph, [v], { enforceConditions: ['ip-allowlist'], maxDepth: 3 }));
      }
    }
  });

  it('the rich scenario reaches something, so the comparison above is not vacuous', () => {
    const s = richScenario();
    const radius = blastRadius(s.graph, [s.ix('vendor')], { at });
    expect(radius.reached.map((entry) => entry.id)).toContain(s.id('bucket'));
    expect(radius.dormant.map((entry) => entry.id)).toContain(s.id('gone'));
  });

  it('an empty graph round-trips', () => {
    const empty = buildGraph({ nodes: [], edges: [] });
    const decoded = decodeSnapshot(encodeSnapshot(empty));
    expect(decoded.nodeCount).toBe(0);
    expect(toFragment(decoded)).toEqual({ nodes: [], edges: [] });
  });

  it('keeps random graphs identical, in fragment, levels and report', () => {
    fc.assert(fc.property(reachableGraph(), fc.nat(), ({ graph }, pick) => {
      const decoded = decodeSnapshot(encodeSnapshot(graph));
      expect(toFragment(decoded)).toEqual(toFragment(graph));
      const source = pick % graph.nodeCount;
      expect([...reach(decoded, [source], { at: AT }).level]).toEqual([...reach(graph, [source], { at: AT }).level]);
      expect(JSON.stringify(blastRadius(decoded, [source], { at: AT }))).toBe(JSON.stringify(blastRadius(graph, [source], { at: AT })));
    }), { numRuns: 150 });
  });

  it('is deterministic: encoding the decoded graph gives the same bytes', () => {
    const bytes = encodeSnapshot(richScenario().graph);
    expect(encodeSnapshot(decodeSnapshot(bytes))).toEqual(bytes);
  });

  it('decodes from a view into a larger, unaligned buffer', () => {
    const bytes = encodeSnapshot(richScenario().graph);
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 3);
    expect(toFragment(decodeSnapshot(padded.subarray(3, 3 + bytes.length)))).toEqual(toFragment(richScenario().graph));
  });

  it('keeps schema extension kinds, and they still traverse', () => {
    const schema = defineSchema({
      edgeKinds: { CAN_EXFILTRATE: { description: 'copies data', from: ['Resource'], to: ['Resource'], traversable: true, requires: 'read', grants: 'same' } },
    });
    const s = scenario((b) => {
      b.app('etl');
      b.resource('crm');
      b.resource('lake');
      b.edge('CAN_WRITE', 'etl', 'crm').edge('CAN_EXFILTRATE', 'crm', 'lake');
    }, schema);
    const decoded = decodeSnapshot(encodeSnapshot(s.graph));
    expect(decoded.schema.edgeKinds.CAN_EXFILTRATE).toEqual(schema.edgeKinds.CAN_EXFILTRATE);
    expect(decoded.edgeKindNames).toEqual(s.graph.edgeKindNames);
    expect(toFragment(decoded)).toEqual(toFragment(s.graph));
    expect(reach(decoded, [s.ix('etl')], { at }).level[s.ix('lake')]).toBe(2);
    expect(radiusJson(decoded, [s.ix('etl')])).toBe(radiusJson(s.graph, [s.ix('etl')]));
  });
});

describe('corrupt snapshots are refused with INVALID_SNAPSHOT', () => {
  const good = () => encodeSnapshot(richScenario().graph);
  const refused = (bytes: Uint8Array): BlastmapError => {
    try {
      decodeSnapshot(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(BlastmapError);
      expect((error as BlastmapError).code).toBe('INVALID_SNAPSHOT');
      return error as BlastmapError;
    }
    throw new Error('a corrupt snapshot was decoded');
  };
  /**
   * Where the edge columns start (after the 16-byte prefix and the 4-aligned header) and where the node
   * table starts: after the edge columns and version 2's forward offsets, node kinds, windows and id slots.
   */
  const layout = (bytes: Uint8Array) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as { edgeCount: number; nodeCount: number; idSlots: number };
    const headerEnd = (16 + headerLength + 3) & ~3;
    const m = header.edgeCount;
    const n = header.nodeCount;
    return { view, header, headerEnd, m, columnsEnd: headerEnd + 8 * m + ((m + 3) & ~3) + 4 * (n + 1) + ((n + 3) & ~3) + 16 * n + 4 * header.idSlots };
  };

  it('truncated bytes, at any length', () => {
    const bytes = good();
    for (const length of [0, 4, 8, 15, 16, 40, bytes.length >> 1, bytes.length - 9, bytes.length - 1]) refused(bytes.slice(0, length));
    const withTail = new Uint8Array(bytes.length + 1);
    withTail.set(bytes);
    refused(withTail);
  });

  it('wrong magic bytes', () => {
    const bytes = good();
    bytes[0] = 'X'.charCodeAt(0);
    expect(refused(bytes).message).toMatch(/magic/);
    refused(new TextEncoder().encode('{"nodes":[],"edges":[]}'));
  });

  it('a version this build does not read', () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint32(8, SNAPSHOT_VERSION + 1, true);
    expect(refused(bytes).message).toContain(`version ${SNAPSHOT_VERSION + 1}`);
  });

  it('an edge pointing outside the node table', () => {
    for (const column of ['src', 'dst'] as const) {
      const bytes = good();
      const { view, header, headerEnd, m } = layout(bytes);
      view.setUint32(headerEnd + (column === 'src' ? 0 : 4 * m) + 4 * (m - 1), header.nodeCount, true);
      expect(refused(bytes).message).toContain('outside the node table');
    }
  });

  it('an edge whose kind code is outside the kind table', () => {
    const bytes = good();
    const { headerEnd, m } = layout(bytes);
    bytes[headerEnd + 8 * m] = 200;
    refused(bytes);
  });

  it('an unreadable header or node table', () => {
    const header = good();
    header[16] = '#'.charCodeAt(0);
    refused(header);
    const table = good();
    const { columnsEnd } = layout(table);
    expect(table[columnsEnd]).toBe('['.charCodeAt(0));
    table[columnsEnd] = '#'.charCodeAt(0);
    expect(refused(table).message).toContain('unreadable node table');
  });

  it('a node of a kind the stored schema does not declare', () => {
    const bytes = good();
    const needle = new TextEncoder().encode('"kind":"App"');
    const at = bytes.findIndex((_, i) => needle.every((byte, j) => bytes[i + j] === byte));
    expect(at).toBeGreaterThan(layout(bytes).columnsEnd);
    bytes.set(new TextEncoder().encode('"kind":"Xpp"'), at);
    refused(bytes);
  });
});
