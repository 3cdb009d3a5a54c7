// The OpenGraph importer: the corpus sample imports; blastmap's own export reads back exactly (nodes, edges, kinds,
// radius results); collectors' kinds go through the mapping table, what maps to nothing is kept and reported;
// edges match by id, name or property and unmatched endpoints are reported with the edge index; invalid elements
// fail with their index (or are skipped with --lenient); the streaming reader gives the same result chunk by chunk.
//
// Hand-made fixtures (test/fixtures/opengraph/) use real kind names and property names from SpecterOps'
// openhound-okta and openhound-github extension schemas and node descriptions (extension/schema.json,
// descriptions/nodes/Okta_User.md) and BloodHound CE's built-in AD and Azure kinds; ids are made up.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { openGraphText, toOpenGraph } from '../../engine/export/opengraph.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import { DEFAULT_SCHEMA, defineSchema, type Schema } from '../../engine/schema/index.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment, type CompactGraph } from '../../engine/store/compact.ts';
import { decodeSnapshot, encodeSnapshot } from '../../engine/store/snapshot.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { buildMapping, existingNodes, OpenGraphReader, OpenGraphTransform, transformOpenGraph, type OpenGraphReport } from '../../importers/opengraph/index.ts';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { AT, randomGraph } from '../helpers/arbitraries.ts';
import { REPO } from '../helpers/cli.ts';
import { driftScenario } from '../helpers/scenario.ts';

const FIXTURES = join(REPO, 'test/fixtures/opengraph');
const fixture = (name: string): RawFile => ({ path: name, text: readFileSync(join(FIXTURES, name), 'utf8') });

function mappingFor(schema: Schema = DEFAULT_SCHEMA, user?: unknown) {
  const result = buildMapping(schema, user === undefined ? undefined : { value: user, file: 'user-mapping.json' });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.mapping;
}

interface Imported { graph: CompactGraph; report: OpenGraphReport; redactions: number }

/** transform -> scrub -> assemble, as the CLI does. */
function importFiles(files: readonly RawFile[], options: { existing?: CompactGraph; lenient?: boolean; tenant?: string; mapping?: unknown } = {}): Imported {
  const schema = options.existing?.schema ?? DEFAULT_SCHEMA;
  const result = transformOpenGraph(files, {
    mapping: mappingFor(schema, options.mapping), schema, lenient: options.lenient, tenant: options.tenant,
    existing: options.existing ? existingNodes(options.existing) : undefined,
  });
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues.slice(0, 5))}`);
  const finished = finishFragment(result.fragment, { nodePaths: result.fragment.nodes.map((n) => n.id), edgePaths: result.fragment.edges.map((e) => e.kind) });
  if (!finished.ok) throw new Error(JSON.stringify(finished.issues));
  return { graph: assembleGraph([finished.value], options.existing, result.schema).graph, report: result.report, redactions: finished.value.redactions };
}

function issuesOf(files: readonly RawFile[], lenient = false) {
  const result = transformOpenGraph(files, { mapping: mappingFor(), lenient });
  return result.ok ? [] : result.issues;
}

const roundTrip = (graph: CompactGraph): CompactGraph => importFiles([{ path: 'export.json', text: [...openGraphText(graph)].join('') }], { existing: undefined }).graph;

/** The graph's node and edge sets, order-free. */
function shape(graph: CompactGraph) {
  const fragment = toFragment(graph);
  const byId = <T extends { id?: string }>(items: T[], key: (item: T) => string) => [...items].sort((a, b) => key(a).localeCompare(key(b)));
  return { nodes: byId(fragment.nodes, (n) => n.id), edges: byId(fragment.edges, (e) => `${e.from}|${e.kind}|${e.to}|${e.grant ?? ''}`) };
}

const nodeById = (graph: CompactGraph, id: string) => graph.nodes[graph.indexOf.get(id)!]!;
const edgesOf = (graph: CompactGraph) => toFragment(graph).edges;

describe('OpenGraph import: the corpus sample', () => {
  it('opengraph-minimal.json imports: both people kept as Resource nodes, the Knows edge kept non-traversable, all reported', () => {
    const text = readFileSync(resolve(REPO, '../shared/corpus/bloodhound/opengraph-minimal.json'), 'utf8');
    const { graph, report } = importFiles([{ path: 'opengraph-minimal.json', text }]);
    expect(graph.nodes.map((n) => [n.id, n.kind, n.name, n.resourceType, n.properties?.opengraphKinds, n.properties?.displayname])).toEqual([
      ['opengraph:opengraph:resource:123', 'Resource', 'BOB', 'Person', ['Person'], 'bob'],
      ['opengraph:opengraph:resource:234', 'Resource', 'ALICE', 'Person', ['Person'], 'alice'],
    ]);
    expect(edgesOf(graph)).toEqual([{ kind: 'OPENGRAPH_EDGE', from: 'opengraph:opengraph:resource:123', to: 'opengraph:opengraph:resource:234', source: 'opengraph', properties: { opengraphKinds: ['Knows'] } }]);
    expect(graph.schema.edgeKinds.OPENGRAPH_EDGE!.traversable).toBe(false);
    expect(report.unmappedNodeKinds).toEqual([{ kind: 'Person', count: 2 }]);
    expect(report.unmappedEdgeKinds).toEqual([{ kind: 'Knows', count: 1 }]);
    expect(reach(graph, [0], { at: AT }).order).toEqual([0]);
  });
});

describe('OpenGraph import: round trip of our own export', () => {
  it('native -> OpenGraph -> native preserves every node, edge, field and kind of the demo graph', () => {
    const graph = loadDemoGraph();
    const back = roundTrip(graph);
    expect(shape(back)).toEqual(shape(graph));
    expect(Object.keys(back.schema.edgeKinds)).toEqual(Object.keys(graph.schema.edgeKinds));
  });

  it('and the same blast radius from the riskiest app', () => {
    const graph = loadDemoGraph();
    const back = roundTrip(graph);
    const source = 'parley:prod:app:parley-chat';
    const before = blastRadius(graph, [graph.indexOf.get(source)!], { at: '2026-11-01' });
    const after = blastRadius(back, [back.indexOf.get(source)!], { at: '2026-11-01' });
    expect(after.score).toBe(before.score);
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
  });

  it('on random graphs (activity windows, conditions, scopes): same fragment and same reach from every node', () => {
    fc.assert(fc.property(randomGraph({ maxNodes: 9, maxEdges: 25 }), ({ graph }) => {
      const back = roundTrip(graph);
      expect(shape(back)).toEqual(shape(graph));
      for (let v = 0; v < graph.nodeCount; v++) {
        const a = reach(graph, [v], { at: AT });
        const b = reach(back, [back.indexOf.get(graph.nodes[v]!.id)!], { at: AT });
        expect(b.order.map((u) => back.nodes[u]!.id).sort()).toEqual(a.order.map((u) => graph.nodes[u]!.id).sort());
        for (const u of a.order) expect(b.level[back.indexOf.get(graph.nodes[u]!.id)!]).toBe(a.level[u]);
      }
    }), { numRuns: 60 });
  });

  it('keeps extension kinds and properties OpenGraph cannot hold (nulls, mixed arrays) exactly', () => {
    const schema = defineSchema({ edgeKinds: { DEPLOYS_TO: { description: 'CI deploys to a target.', from: ['Resource'], to: ['Resource'], traversable: true, requires: 'write', grants: 'write' } } });
    const s = driftScenario();
    const fragment = toFragment(s.graph);
    fragment.nodes[0]!.properties = { note: null, mixed: [1, 'a', false], empty: [], nested: 'x' };
    fragment.edges.push({ kind: 'DEPLOYS_TO', from: s.id('cases'), to: s.id('bucket'), id: 'explicit-edge-id', assumed: true, conditions: ['mfa'], properties: { pipeline: 'main' } });
    const graph = assembleGraph([{ fragment, provenance: { nodePaths: [], edgePaths: [] }, redactions: 0 }], undefined, schema).graph;
    const back = importFiles([{ path: 'x.json', text: JSON.stringify(toOpenGraph(graph)) }], { existing: assembleGraph([], undefined, schema).graph }).graph;
    expect(shape(back)).toEqual(shape(graph));
  });

  it('a radius export reads back as the reached subgraph (its level and hops annotations are not data)', () => {
    const s = driftScenario();
    const result = reach(s.graph, [s.ix('drift')], { at: '2025-08-01' });
    const back = importFiles([{ path: 'radius.json', text: JSON.stringify(toOpenGraph(s.graph, { radius: result })) }]).graph;
    expect(back.nodes.map((n) => n.id).sort()).toEqual(result.order.map((v) => s.graph.nodes[v]!.id).sort());
    for (const node of back.nodes) expect(node).toEqual(nodeById(s.graph, node.id));
  });

  it('importing the same payload twice gives the same graph', () => {
    const files = [fixture('okta.json'), fixture('github.json')];
    const once = importFiles(files).graph;
    const twice = importFiles(files, { existing: once }).graph;
    expect(toFragment(twice)).toEqual(toFragment(once));
  });

  it('a payload that starts with a byte order mark reads as the same payload (as the CLI reads files)', () => {
    const file = fixture('okta.json');
    const withBom = importFiles([{ ...file, text: `\uFEFF${file.text}` }]).graph;
    expect(toFragment(withBom)).toEqual(toFragment(importFiles([file]).graph));
  });
});

describe('OpenGraph import: collectors through the mapping table', () => {
  it('openhound-okta kinds: users, groups, apps, client secrets and API tokens become our kinds; ids match the Okta importer (the org is its platform:org, Okta ids keep their case)', () => {
    const { graph } = importFiles([fixture('okta.json')]);
    const john = nodeById(graph, 'okta:contoso.okta.com:identity:00u1john');
    expect(john).toMatchObject({ kind: 'Identity', subtype: 'human', platform: 'okta', tenant: 'contoso.okta.com', name: 'john.doe@contoso.com', email: 'john.doe@contoso.com', enabled: true, createdAt: '2025-10-03T18:45:57.000Z', source: 'opengraph' });
    expect(john.properties).toMatchObject({ login: 'john.doe@contoso.com', displayName: 'John Doe', opengraphId: '00u1john', opengraphKinds: ['Okta_User'] });
    expect(nodeById(graph, 'okta:contoso.okta.com:app:0oa1hrsync')).toMatchObject({ kind: 'App', properties: { clientId: '0oa1hrsync' } });
    expect(nodeById(graph, 'okta:contoso.okta.com:credential:ocs1hrsync')).toMatchObject({ kind: 'Credential', type: 'client-secret' });
    expect(nodeById(graph, 'okta:contoso.okta.com:credential:00T1jane')).toMatchObject({ kind: 'Credential', type: 'api-key', expiresAt: '2027-01-01T00:00:00.000Z' });
    expect(nodeById(graph, 'okta:contoso.okta.com:platform:org').kind).toBe('Platform');
  });

  it('maps edges to our kinds, keeps unmapped and deliberately unmapped ones non-traversable, and reports each', () => {
    const { graph, report } = importFiles([fixture('okta.json')]);
    const id = (kind: string, native: string) => `okta:contoso.okta.com:${kind}:${native}`;
    const kinds = new Map(edgesOf(graph).map((e) => [`${e.from} ${e.to}`, e.kind]));
    expect(kinds.get(`${id('identity', '00u1john')} ${id('group', '00g1auditors')}`)).toBe('MEMBER_OF');
    expect(kinds.get(`${id('credential', 'ocs1hrsync')} ${id('app', '0oa1hrsync')}`)).toBe('AUTHENTICATES_AS');
    expect(kinds.get(`${id('app', '0oa1hrsync')} ${id('platform', 'org')}`)).toBe('CAN_ADMIN');
    expect(kinds.get(`${id('platform', 'org')} ${id('identity', '00u1john')}`)).toBe('MANAGES');
    expect(kinds.get(`${id('identity', '00u1john')} ${id('app', '0oa1hrsync')}`)).toBe('OPENGRAPH_EDGE');
    expect(report.nonTraversableEdgeKinds).toEqual([{ kind: 'Okta_AppAssignment', count: 1 }, { kind: 'Okta_ManagerOf', count: 1 }]);
    expect(report.unmappedEdgeKinds).toEqual([{ kind: 'Okta_HookFor', count: 1 }]);
    expect(report.unmappedNodeKinds).toEqual([{ kind: 'Okta_EventHook', count: 1 }]);
    expect(nodeById(graph, id('resource', 'hook1'))).toMatchObject({ kind: 'Resource', resourceType: 'Okta_EventHook', properties: { url: 'https://hooks.example.com/okta' } });
    expect(report.sourceKinds).toEqual(['Okta']);
  });

  it('a takeover edge between kinds its mapped kind does not join stays traversable as OPENGRAPH_CONTROLS (and is reported)', () => {
    const { graph, report } = importFiles([fixture('okta.json')]);
    const readSecret = edgesOf(graph).find((e) => e.to === 'okta:contoso.okta.com:credential:ocs1hrsync' && e.from.includes(':group:'))!;
    expect(readSecret).toMatchObject({ kind: 'OPENGRAPH_CONTROLS', properties: { opengraphKinds: ['Okta_ReadClientSecret'] } });
    expect(report.refitted).toContainEqual({ kind: 'Okta_ReadClientSecret', mappedTo: 'HOLDS', keptAs: 'OPENGRAPH_CONTROLS', from: 'Group', to: 'Credential', count: 1 });
    expect(graph.schema.edgeKinds.OPENGRAPH_CONTROLS!.traversable).toBe(true);
  });

  it('end to end: a member of Auditors reaches the Okta org at admin through the HR Sync client secret', () => {
    const { graph } = importFiles([fixture('okta.json')]);
    const radius = blastRadius(graph, [graph.indexOf.get('okta:contoso.okta.com:identity:00u1john')!], { at: '2026-06-01' });
    const org = radius.reached.find((r) => r.id === 'okta:contoso.okta.com:platform:org')!;
    expect(org.level).toBe('admin');
    expect(org.path.map((step) => step.kind)).toEqual(['MEMBER_OF', 'OPENGRAPH_CONTROLS', 'AUTHENTICATES_AS', 'CAN_ADMIN']);
  });

  it('control of group membership (Okta_GroupMembershipAdmin, AZMGAddMember, AddMember) becomes CAN_ADD_MEMBER: the group\'s grants follow', () => {
    const okta = JSON.parse(fixture('okta.json').text) as { graph: { edges: unknown[] } };
    okta.graph.edges.push({ kind: 'Okta_GroupMembershipAdmin', start: { value: '00u2jane' }, end: { value: '00g1auditors' } });
    const { graph, report } = importFiles([{ path: 'okta.json', text: JSON.stringify(okta) }]);
    const jane = 'okta:contoso.okta.com:identity:00u2jane';
    const edge = edgesOf(graph).find((e) => e.from === jane && e.to === 'okta:contoso.okta.com:group:00g1auditors')!;
    expect(edge).toMatchObject({ kind: 'CAN_ADD_MEMBER', properties: { opengraphKinds: ['Okta_GroupMembershipAdmin'] } });
    expect(report.refitted.filter((r) => r.kind === 'Okta_GroupMembershipAdmin')).toEqual([]);
    // Jane is no auditor, but she can make herself one: she reaches what Auditors reach (the HR Sync secret).
    const radius = blastRadius(graph, [graph.indexOf.get(jane)!], { at: '2026-06-01' });
    const secret = radius.reached.find((r) => r.id === 'okta:contoso.okta.com:credential:ocs1hrsync')!;
    expect(secret.path.map((step) => step.kind)).toEqual(['CAN_ADD_MEMBER', 'OPENGRAPH_CONTROLS']);
  });

  it('openhound-github kinds: a user holding a PAT reaches the repository and its Actions secret', () => {
    const { graph, report } = importFiles([fixture('github.json')]);
    const id = (kind: string, native: string) => `github:opengraph:${kind}:${native}`;
    expect(nodeById(graph, id('credential', 'PAT_1001'))).toMatchObject({ kind: 'Credential', type: 'pat', properties: { permissions: '{"contents":"write"}' } });
    expect(nodeById(graph, id('resource', 'corvid-labs/infra'))).toMatchObject({ resourceType: 'repository', tags: ['source-code'] });
    expect(nodeById(graph, id('resource', 'RS_infra_AWS_KEY'))).toMatchObject({ resourceType: 'actions-secret', tags: ['secrets'] });
    expect(nodeById(graph, id('identity', 'alice-dev')).email).toBe('alice@corvidlabs.example');
    const radius = blastRadius(graph, [graph.indexOf.get(id('credential', 'PAT_1001'))!], { at: '2026-06-01' });
    expect(radius.reached.find((r) => r.id === id('resource', 'corvid-labs/infra'))!.level).toBe('admin');
    expect(radius.reached.find((r) => r.id === id('resource', 'RS_infra_AWS_KEY'))!.level).toBe('admin');
    expect(report.unmappedNodeKinds).toEqual([{ kind: 'GH_WorkflowStep', count: 1 }]);
  });

  it('BloodHound AD and Azure kinds: an AD service account reaches the Entra tenant at admin', () => {
    const { graph } = importFiles([fixture('bloodhound-ad-azure.json')]);
    const svc = 'ad:contoso.local:identity:S-1-5-21-1000-1105';
    expect(nodeById(graph, svc)).toMatchObject({ kind: 'Identity', platform: 'ad', enabled: true, createdAt: '2023-11-14T22:13:20.000Z' });
    const tenant = 'entra:6b1d0000-0000-4000-8000-0000000000aa:platform:6B1D0000-0000-4000-8000-0000000000AA';
    expect(nodeById(graph, 'entra:6b1d0000-0000-4000-8000-0000000000aa:app:7F3A0C2E-0000-4000-8000-00000000B001').properties).toMatchObject({ clientId: '3c1e0000-0000-4000-8000-0000000000cc', appId: '3c1e0000-0000-4000-8000-0000000000cc' });
    const radius = blastRadius(graph, [graph.indexOf.get(svc)!], { at: '2026-06-01' });
    const reached = radius.reached.find((r) => r.id === tenant)!;
    expect(reached.level).toBe('admin');
    expect(reached.path.map((step) => step.kind)).toEqual(['MEMBER_OF', 'CAN_ADMIN', 'RUNS_AS', 'SSO_TO', 'CAN_ADD_CREDENTIAL', 'CAN_ADMIN']);
  });

  it('--tenant replaces the tenant read from properties', () => {
    const { graph } = importFiles([fixture('okta.json')], { tenant: 'corvidlabs.okta.com' });
    expect(graph.indexOf.has('okta:corvidlabs.okta.com:identity:00u1john')).toBe(true);
  });

  it("a user's mapping file overrides and extends the default one; a mapping naming an unknown kind is refused", () => {
    const { graph, report } = importFiles([fixture('okta.json')], { mapping: { nodes: { Okta_EventHook: { kind: 'App' } }, edges: { Okta_AppAssignment: 'CONSENTED', Okta_HookFor: null } } });
    expect(nodeById(graph, 'okta:contoso.okta.com:app:hook1').kind).toBe('App');
    expect(edgesOf(graph).some((e) => e.kind === 'CONSENTED' && e.to === 'okta:contoso.okta.com:app:0oa1hrsync')).toBe(true);
    expect(report.unmappedEdgeKinds).toEqual([]);
    const bad = buildMapping(DEFAULT_SCHEMA, { value: { nodes: { X: { kind: 'Widget' }, Y: { kind: 'Credential' } }, edges: { Z: 'TELEPORTS' } }, file: 'm.json' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path)).toEqual(['$.nodes.X.kind', '$.nodes.Y.type', '$.edges.Z']);
  });

  it('the default mapping names only kinds the schema has, and every credential has a type', () => {
    expect(buildMapping(DEFAULT_SCHEMA).ok).toBe(true);
  });

  it('docs/importers/opengraph.md lists every kind of the default mapping', () => {
    const page = readFileSync(join(REPO, 'docs/importers/opengraph.md'), 'utf8');
    const mapping = mappingFor();
    const missing = [...Object.keys(mapping.nodes), ...Object.keys(mapping.edges)].filter((kind) => !page.includes(`\`${kind}\``));
    expect(missing).toEqual([]);
  });
});

describe('OpenGraph import: matching edge endpoints', () => {
  it('matches by property (with a kind filter) and by name (case-insensitively when nothing matches exactly)', () => {
    const okta = importFiles([fixture('okta.json')]).graph;
    expect(edgesOf(okta).find((e) => e.properties?.opengraphKinds?.toString() === 'Okta_ManagerOf')).toMatchObject({ from: 'okta:contoso.okta.com:identity:00u2jane', to: 'okta:contoso.okta.com:identity:00u1john' });
    const github = importFiles([fixture('github.json')]).graph;
    expect(edgesOf(github).find((e) => e.properties?.opengraphKinds?.toString() === 'GH_HasMember')).toMatchObject({ from: 'github:opengraph:platform:org', to: 'github:opengraph:identity:alice-dev' });
  });

  it('reports endpoints that match nothing or several nodes with the edge index, and drops those edges', () => {
    const text = JSON.stringify({ graph: {
      nodes: [{ id: 'a', kinds: ['T'], properties: { name: 'twin', team: 'x' } }, { id: 'b', kinds: ['T'], properties: { name: 'twin', team: 'x' } }, { id: 'c', kinds: ['U'], properties: { name: 'solo' } }],
      edges: [
        { kind: 'E', start: { value: 'a' }, end: { value: 'nope' } },
        { kind: 'E', start: { match_by: 'name', value: 'twin' }, end: { value: 'c' } },
        { kind: 'E', start: { match_by: 'property', property_matchers: [{ key: 'team', operator: 'equals', value: 'x' }] }, end: { value: 'c' } },
        { kind: 'E', start: { value: 'a', kind: 'U' }, end: { value: 'c' } },
        { kind: 'E', start: { value: 'a', kind: 'T' }, end: { match_by: 'name', value: 'SOLO' } },
      ],
    } });
    const { graph, report } = importFiles([{ path: 'g.json', text }]);
    expect(report.unmatched.map((i) => [i.path, i.found])).toEqual([
      ['$.graph.edges[0].end', 'no node with id "nope" in the file'],
      ['$.graph.edges[1].start', '2 nodes with name "twin"'],
      ['$.graph.edges[2].start', '2 nodes with team = "x"'],
      ['$.graph.edges[3].start', 'no node of kind U with id "a" in the file'],
    ]);
    expect(report.unmatchedCount).toBe(4);
    expect(edgesOf(graph)).toHaveLength(1);
  });

  it('an edge may point at a node already in the graph, by our id or by the OpenGraph id it was imported with', () => {
    const first = importFiles([fixture('okta.json')]).graph;
    const text = JSON.stringify({ graph: { nodes: [{ id: 'dev1', kinds: ['Okta_Device'], properties: { name: 'laptop', oktaDomain: 'contoso.okta.com' } }], edges: [
      { kind: 'Okta_DeviceOf', start: { value: 'dev1' }, end: { value: '00u1john' } },
      { kind: 'Okta_DeviceOf', start: { value: 'dev1' }, end: { value: 'okta:contoso.okta.com:identity:00u2jane', kind: 'Okta_User' } },
    ] } });
    const { graph, report } = importFiles([{ path: 'devices.json', text }], { existing: first });
    expect(report.unmatchedCount).toBe(0);
    expect(edgesOf(graph).filter((e) => e.from === 'okta:contoso.okta.com:resource:dev1').map((e) => e.to).sort()).toEqual(['okta:contoso.okta.com:identity:00u1john', 'okta:contoso.okta.com:identity:00u2jane']);
  });
});

describe('OpenGraph import: validation', () => {
  const invalid = JSON.stringify({ metadata: { source_kind: 'X', extra: 1 }, graph: {
    nodes: [{ id: 'a', kinds: ['T'] }, { id: 'b', kinds: [] }, { id: 'c', kinds: ['T'], properties: { nested: { deep: 1 } } }, { kinds: ['T'] }],
    edges: [{ kind: 'has-dash', start: { value: 'a' }, end: { value: 'a' } }, { kind: 'E', start: { match_by: 'property' }, end: { value: 'a' } }, { kind: 'E', start: { value: 'a' }, end: { value: 'a' } }],
  } });

  it('names the file and the element index of every problem, and imports nothing', () => {
    const issues = issuesOf([{ path: 'bad.json', text: invalid }]);
    expect(issues.map((i) => `${i.file} ${i.path}`)).toEqual([
      'bad.json $.metadata',
      'bad.json $.graph.nodes[1].kinds',
      'bad.json $.graph.nodes[2].properties.nested',
      'bad.json $.graph.nodes[3].id',
      'bad.json $.graph.edges[0].kind',
      'bad.json $.graph.edges[1].start.property_matchers',
    ]);
  });

  it('--lenient skips the invalid elements, lists them, and imports the rest', () => {
    const { graph, report } = importFiles([{ path: 'bad.json', text: invalid }], { lenient: true });
    expect(graph.nodes.map((n) => n.properties?.opengraphId)).toEqual(['a']);
    expect(edgesOf(graph)).toHaveLength(1);
    expect(report.skipped).toHaveLength(6);
  });

  it('rejects documents that are not OpenGraph payloads, and malformed JSON, naming the file', () => {
    expect(issuesOf([{ path: 'list.json', text: '[1, 2]' }]).map((i) => i.path)).toEqual(['$']);
    expect(issuesOf([{ path: 'nograph.json', text: '{"nodes": []}' }]).map((i) => i.path)).toEqual(['$.graph']);
    expect(issuesOf([{ path: 'arr.json', text: '{"graph": {"nodes": {}}}' }]).map((i) => i.path)).toEqual(['$.graph.nodes']);
    const broken = issuesOf([{ path: 'broken.json', text: '{"graph": {"nodes": [{"id": "a", "kinds": ["T"]},' }]);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ file: 'broken.json', path: '$' });
  });

  it('a __proto__ property is dropped, never taken as a prototype', () => {
    const text = '{"graph":{"nodes":[{"id":"p","kinds":["T"],"properties":{"__proto__":{"polluted":true},"name":"p"}},{"id":"q","kinds":["T"],"properties":{"__proto__":"x","name":"q"}}],"edges":[]}}';
    const { graph } = importFiles([{ path: 'p.json', text }]);
    expect(graph.nodes.map((n) => Object.keys(n.properties!).sort())).toEqual([['name', 'opengraphId', 'opengraphKinds'], ['name', 'opengraphId', 'opengraphKinds']]);
    expect(Object.getPrototypeOf(graph.nodes[0]!.properties)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a secret in a collector property never reaches the graph nor its snapshot', () => {
    const text = JSON.stringify({ graph: { nodes: [{ id: 's1', kinds: ['Okta_ClientSecret'], properties: { name: 'abcdefgh', client_secret: 'EXAMPLE-not-a-real-secret-1234567890', description: 'token ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE12' } }], edges: [] } });
    const { graph, redactions } = importFiles([{ path: 's.json', text }]);
    expect(redactions).toBeGreaterThan(0);
    const stored = JSON.stringify(toFragment(decodeSnapshot(encodeSnapshot(graph))));
    expect(stored).not.toContain('EXAMPLE-not-a-real-secret');
    expect(stored).not.toContain('ghp_EXAMPLE');
  });
});

describe('OpenGraph reader (streaming)', () => {
  /** Feeds the text in chunks of `size` characters and records what the reader hands over. */
  function readInChunks(text: string, size: number) {
    const seen: unknown[] = [];
    const reader = new OpenGraphReader('x.json', { metadata: (v) => seen.push(['metadata', v]), node: (v, i) => seen.push(['node', i, v]), edge: (v, i) => seen.push(['edge', i, v]) });
    for (let i = 0; i < text.length; i += size) reader.write(text.slice(i, i + size));
    reader.end();
    return { seen, issues: reader.issues };
  }

  it('hands over the same elements whether the text comes whole or a character at a time, skipping unknown keys', () => {
    const text = JSON.stringify({ extra: { deep: [1, { a: 'graph' }] }, graph: { about: { nodes: [9] }, edges: [{ kind: 'E', start: { value: 'a' }, end: { value: 'b' }, properties: { 'é': 'ü ✓ 𝔘' } }], nodes: [{ id: 'a', kinds: ['T'], properties: { n: 1.5e3, t: true, z: null } }, 'junk'] }, metadata: { source_kind: 'S' } });
    const whole = readInChunks(text, text.length);
    expect(whole.seen).toEqual([
      ['edge', 0, { kind: 'E', start: { value: 'a' }, end: { value: 'b' }, properties: { 'é': 'ü ✓ 𝔘' } }],
      ['node', 0, { id: 'a', kinds: ['T'], properties: { n: 1500, t: true, z: null } }],
      ['node', 1, 'junk'],
      ['metadata', { source_kind: 'S' }],
    ]);
    expect(readInChunks(text, 1)).toEqual(whole);
    expect(readInChunks(text, 7)).toEqual(whole);
  });

  it('an export streamed through the reader and the transform equals the export parsed whole', () => {
    const graph = loadDemoGraph();
    const mapping = mappingFor();
    const transform = new OpenGraphTransform({ mapping });
    const reader = new OpenGraphReader('demo.json', transform.openDocument('demo.json'));
    for (const chunk of openGraphText(graph)) reader.write(chunk);
    reader.end();
    const streamed = transform.finish();
    const whole = transformOpenGraph([{ path: 'demo.json', text: JSON.stringify(toOpenGraph(graph)) }], { mapping });
    expect(streamed.ok && whole.ok).toBe(true);
    if (streamed.ok && whole.ok) expect(streamed.fragment).toEqual(whole.fragment);
  });
});
