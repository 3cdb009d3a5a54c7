// Approval and review on grants (edges) and credentials: the native format reads them (JSON and the fast NDJSON
// path alike), a snapshot and an OpenGraph export keep them, a later import's approval replaces an earlier one,
// and `diff` reports a re-approval as a changed field of the grant.
import { describe, expect, it } from 'vitest';
import { fragmentChanges } from '../../../engine/analysis/diff.ts';
import { openGraphText } from '../../../engine/export/opengraph.ts';
import { finishFragment } from '../../../engine/format/validate.ts';
import { assembleGraph } from '../../../engine/store/assemble.ts';
import { edgeRecord, toFragment, type CompactGraph } from '../../../engine/store/compact.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../engine/store/snapshot.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { importNdjsonFast } from '../../../importers/native/ndjson-fast.ts';
import { buildMapping, transformOpenGraph } from '../../../importers/opengraph/index.ts';

const APP = 'entra:contoso:app:sp-notetaker';
const GRANT = 'entra:contoso:credential:grant-notetaker';
const MAILBOX = 'entra:contoso:resource:mailboxes';
const ADMIN = 'entra:contoso:identity:u-admin';

const nodes = [
  { id: APP, kind: 'App', name: 'Notetaker', platform: 'entra', tenant: 'contoso', approvedBy: ADMIN, approvedAt: '2026-11-02T09:00:00Z', reviewEvery: 'P90D' },
  { id: GRANT, kind: 'Credential', type: 'oauth-grant', name: 'Notetaker consent', platform: 'entra', tenant: 'contoso', scopes: ['Mail.Read', 'Mail.Send'], approvedBy: ADMIN, approvedAt: '2026-11-02', approvedScopes: ['Mail.Read'], reviewedAt: '2026-11-30T12:00:00+01:00', reviewEvery: 'P6M' },
  { id: MAILBOX, kind: 'Resource', name: 'Mailboxes', platform: 'entra', tenant: 'contoso' },
  { id: ADMIN, kind: 'Identity', subtype: 'human', name: 'Ada Admin', platform: 'entra', tenant: 'contoso' },
];
const edges = [
  { kind: 'HOLDS', from: APP, to: GRANT },
  { kind: 'CAN_READ', from: GRANT, to: MAILBOX, grant: GRANT, scopes: ['Mail.Read'], approvedBy: ADMIN, approvedAt: '2026-11-02T09:00:00Z', approvedScopes: ['Mail.Read'], reviewEvery: 'P90D' },
  { kind: 'CAN_WRITE', from: GRANT, to: MAILBOX, grant: GRANT, scopes: ['Mail.Send'], reviewedAt: '2026-12-01' },
];

function fromJson(fragment: object): CompactGraph {
  const parsed = parseNative(JSON.stringify(fragment), { file: 'approvals.json' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return assembleGraph([parsed.value]).graph;
}

const edgeOf = (graph: CompactGraph, kind: string) => {
  for (let e = 0; e < graph.edgeCount; e++) if (graph.edgeKindNames[graph.edgeKind[e]!] === kind) return edgeRecord(graph, e);
  throw new Error(`no ${kind} edge`);
};

describe('approval fields on grants and credentials', () => {
  const graph = fromJson({ nodes, edges });

  it('are read from a native file, dates normalised to UTC instants', () => {
    expect(edgeOf(graph, 'CAN_READ')).toMatchObject({ approvedBy: ADMIN, approvedAt: '2026-11-02T09:00:00.000Z', approvedScopes: ['Mail.Read'], reviewEvery: 'P90D' });
    expect(edgeOf(graph, 'CAN_WRITE').reviewedAt).toBe('2026-12-01T00:00:00.000Z');
    const grant = graph.nodes[graph.indexOf.get(GRANT)!]!;
    expect(grant).toMatchObject({ approvedAt: '2026-11-02T00:00:00.000Z', approvedScopes: ['Mail.Read'], reviewedAt: '2026-11-30T11:00:00.000Z', reviewEvery: 'P6M' });
  });

  it('the fast NDJSON path reads the same graph', () => {
    const ndjson = [...nodes, ...edges].map((record) => JSON.stringify(record)).join('\n');
    const fast = importNdjsonFast(ndjson, { file: 'approvals.ndjson' });
    if (!fast.ok) throw new Error(JSON.stringify(fast.issues));
    expect(toFragment(fast.value.graph)).toEqual(toFragment(graph));
  });

  it('a bad cadence or date on an edge is refused with its JSON path', () => {
    const parsed = parseNative(JSON.stringify({ nodes, edges: [{ ...edges[1], reviewEvery: '90 days', approvedAt: 'last week' }] }), { file: 'approvals.json' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const paths = [...new Set(parsed.issues.map((issue) => issue.path))].sort();
    expect(paths).toEqual(['$.edges[0].approvedAt', '$.edges[0].reviewEvery']);
  });

  it('a snapshot keeps them', () => {
    expect(toFragment(decodeSnapshot(encodeSnapshot(graph)))).toEqual(toFragment(graph));
  });

  it('an OpenGraph export reads back with them', () => {
    const mapping = buildMapping(graph.schema, undefined);
    if (!mapping.ok) throw new Error('mapping');
    const result = transformOpenGraph([{ path: 'export.json', text: [...openGraphText(graph)].join('') }], { mapping: mapping.mapping, schema: graph.schema });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const finished = finishFragment(result.fragment, { nodePaths: result.fragment.nodes.map((n) => n.id), edgePaths: result.fragment.edges.map((e) => e.kind) });
    if (!finished.ok) throw new Error(JSON.stringify(finished.issues));
    const back = assembleGraph([finished.value]).graph;
    expect(edgeOf(back, 'CAN_READ')).toEqual(edgeOf(graph, 'CAN_READ'));
    expect(toFragment(back).nodes.find((node) => node.id === GRANT)).toEqual(toFragment(graph).nodes.find((node) => node.id === GRANT));
  });

  it('a later record of the same grant replaces the approval (a re-approval), and diff names the fields', () => {
    const reapproved = { ...edges[1], approvedAt: '2026-12-03T10:00:00Z', approvedScopes: ['Mail.Read', 'Mail.Send'] };
    const merged = fromJson({ nodes, edges: [...edges, reapproved] });
    expect(edgeOf(merged, 'CAN_READ')).toMatchObject({ approvedAt: '2026-12-03T10:00:00.000Z', approvedScopes: ['Mail.Read', 'Mail.Send'] });
    const changes = fragmentChanges(toFragment(graph), toFragment(merged));
    expect(changes.edges.changed.map((change) => [change.edge.kind, change.fields])).toEqual([['CAN_READ', ['approvedAt', 'approvedScopes']]]);
  });
});
