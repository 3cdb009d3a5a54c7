// The OpenGraph export validates against BloodHound's OpenGraph JSON Schemas with a real validator (ajv): the edge
// schema shipped in ../shared/corpus/bloodhound/ and its node counterpart restated from the docs
// (test/fixtures/opengraph/opengraph-node.schema.json). Values are flattened as OpenGraph requires, a radius export
// carries level and hops, and the extension schema document declares exactly our kinds and traversability.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reach } from '../../../engine/analysis/reach.ts';
import { openGraphExtension, openGraphText, toOpenGraph, OPENGRAPH_SOURCE_KIND, type OpenGraphDocument } from '../../../engine/export/opengraph.ts';
import { DEFAULT_SCHEMA, defineSchema, levelName } from '../../../engine/schema/index.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';
import { REPO } from '../../helpers/cli.ts';
import { driftScenario, scenario } from '../../helpers/scenario.ts';

// ajv is CommonJS: under NodeNext its class is the module's `default`.
const ajv = new Ajv.default({ allErrors: true, strict: false });
const validateEdge = ajv.compile(JSON.parse(readFileSync(resolve(REPO, '../shared/corpus/bloodhound/opengraph-edge.schema.json'), 'utf8')));
const validateNode = ajv.compile(JSON.parse(readFileSync(join(REPO, 'test/fixtures/opengraph/opengraph-node.schema.json'), 'utf8')));

let demoGraph: ReturnType<typeof loadDemoGraph> | undefined;
const demo = () => (demoGraph ??= loadDemoGraph());

/** Every element against the schemas; the errors of the first failures, empty when all pass. */
function schemaErrors(document: OpenGraphDocument): unknown[] {
  const errors: unknown[] = [];
  document.graph.nodes.forEach((node, i) => { if (!validateNode(node)) errors.push({ node: i, errors: validateNode.errors }); });
  document.graph.edges.forEach((edge, i) => { if (!validateEdge(edge)) errors.push({ edge: i, errors: validateEdge.errors }); });
  return errors.slice(0, 5);
}

describe('OpenGraph export', () => {
  it('every node and edge of the demo graph validates against the OpenGraph JSON Schemas', () => {
    const document = toOpenGraph(demo());
    expect(document.graph.nodes.length).toBeGreaterThan(100);
    expect(document.graph.edges.length).toBeGreaterThan(100);
    expect(schemaErrors(document)).toEqual([]);
  });

  it('the validators reject what OpenGraph forbids (so the test above can fail)', () => {
    expect(validateEdge({ kind: 'BM_HOLDS', start: { value: 'a', match_by: 'id' }, end: { value: 'b', match_by: 'id' }, properties: { nested: { a: 1 } } })).toBe(false);
    expect(validateEdge({ kind: 'BM_HOLDS', start: { value: 'a' }, end: { value: 'b' }, properties: { mixed: [1, 'a'] } })).toBe(false);
    expect(validateEdge({ kind: 'BM-HOLDS', start: { value: 'a' }, end: { value: 'b' } })).toBe(false);
    expect(validateNode({ id: 'a', kinds: ['A', 'B', 'C', 'D'] })).toBe(false);
    expect(validateNode({ id: 'a', kinds: ['A'], properties: { objectid: 'a' } })).toBe(false);
    expect(validateNode({ id: 'a', kinds: ['A'], properties: { gone: null } })).toBe(false);
  });

  it('metadata carries only source_kind, nodes one BM_ kind, and no node property is objectid or null', () => {
    const document = toOpenGraph(demo());
    expect(document.metadata).toEqual({ source_kind: OPENGRAPH_SOURCE_KIND });
    for (const node of document.graph.nodes) {
      expect(node.kinds).toHaveLength(1);
      expect(node.kinds[0]).toMatch(/^BM_[A-Z][A-Za-z]+$/);
      expect(Object.keys(node.properties)).not.toContain('objectid');
      expect(Object.keys(node.properties).every((key) => key === key.toLowerCase() || key.startsWith('prop_') || key.startsWith('propjson_'))).toBe(true);
    }
    for (const edge of document.graph.edges) expect(edge.kind).toMatch(/^BM_[A-Z_]+$/);
  });

  it('flattens values OpenGraph cannot hold: nulls and mixed arrays become JSON text, dates stay ISO instants', () => {
    const s = scenario((b) => {
      b.credential('key', { expiresAt: '2026-01-02T03:04:05.000Z', scopes: ['repo', 'admin:org'], tags: [], properties: { note: null, mixed: [1, 'two', true], sizes: [1, 2], flag: false, login: 'ci-bot' } });
    });
    const [node] = toOpenGraph(s.graph).graph.nodes;
    expect(node!.properties).toMatchObject({
      expires_at: '2026-01-02T03:04:05.000Z', scopes: ['repo', 'admin:org'], tags: [], credential_type: 'api-key',
      propjson_note: 'null', propjson_mixed: '[1,"two",true]', prop_sizes: [1, 2], prop_flag: false, prop_login: 'ci-bot',
    });
    expect(schemaErrors(toOpenGraph(s.graph))).toEqual([]);
  });

  it('a radius export holds only the reached nodes, each with the level and hops reach() found, and the edges between them', () => {
    const s = driftScenario();
    const result = reach(s.graph, [s.ix('drift')], { at: '2025-08-01' });
    const document = toOpenGraph(s.graph, { radius: result });
    const reached = [...result.level].flatMap((level, v) => (level > 0 ? [v] : []));
    expect(document.graph.nodes.map((node) => node.id).sort()).toEqual(reached.map((v) => s.graph.nodes[v]!.id).sort());
    expect(reached.length).toBeLessThan(s.graph.nodeCount);
    for (const node of document.graph.nodes) {
      const v = s.graph.indexOf.get(node.id)!;
      const level = result.level[v]!;
      expect(node.properties.bm_level).toBe(levelName(level));
      expect(node.properties.bm_hops).toBe(result.hops[v * 3 + level - 1]);
      expect(node.properties.bm_source).toBe(v === s.ix('drift'));
    }
    const ids = new Set(document.graph.nodes.map((node) => node.id));
    for (const edge of document.graph.edges) expect(ids.has(edge.start.value) && ids.has(edge.end.value)).toBe(true);
    expect(schemaErrors(document)).toEqual([]);
  });

  it('the streamed text parses to exactly the same payload', () => {
    const graph = demo();
    expect(JSON.parse([...openGraphText(graph)].join(''))).toEqual(toOpenGraph(graph));
    const empty = buildGraph({ nodes: [], edges: [] });
    expect(JSON.parse([...openGraphText(empty)].join(''))).toEqual(toOpenGraph(empty));
  });

  it('random graphs export to payloads that validate', () => {
    fc.assert(fc.property(randomGraph({ maxNodes: 10 }), ({ graph }) => {
      const document = toOpenGraph(graph, { radius: graph.nodeCount > 0 ? reach(graph, [0], { at: AT }) : undefined });
      expect(schemaErrors(document)).toEqual([]);
      expect(schemaErrors(toOpenGraph(graph))).toEqual([]);
    }), { numRuns: 100 });
  });
});

describe('OpenGraph extension schema document', () => {
  it('declares every node kind and every edge kind with the traversability the engine uses', () => {
    const extension = openGraphExtension(DEFAULT_SCHEMA);
    expect(extension.schema.namespace).toBe('BM');
    expect(extension.node_kinds.map((kind) => kind.name).sort()).toEqual(Object.keys(DEFAULT_SCHEMA.nodeKinds).map((kind) => `BM_${kind}`).sort());
    expect(Object.fromEntries(extension.relationship_kinds.map((kind) => [kind.name, kind.is_traversable]))).toEqual(
      Object.fromEntries(Object.entries(DEFAULT_SCHEMA.edgeKinds).map(([kind, spec]) => [`BM_${kind}`, spec.traversable])),
    );
    expect(extension.relationship_kinds.find((kind) => kind.name === 'BM_OWNS')!.is_traversable).toBe(false);
    expect(extension.relationship_kinds.find((kind) => kind.name === 'BM_HOLDS')!.is_traversable).toBe(true);
    expect(extension.environments).toEqual([{ environment_kind: 'BM_Platform', source_kind: OPENGRAPH_SOURCE_KIND, principal_kinds: ['BM_App', 'BM_Identity', 'BM_Group', 'BM_Role'] }]);
  });

  it('includes extension kinds, and every kind a payload uses is declared', () => {
    const schema = defineSchema({ edgeKinds: { DEPLOYS_TO: { description: 'CI deploys to a target.', from: ['Resource'], to: ['Resource'], traversable: true, requires: 'write', grants: 'write' } } });
    expect(openGraphExtension(schema).relationship_kinds).toContainEqual({ name: 'BM_DEPLOYS_TO', description: 'CI deploys to a target.', is_traversable: true });
    const graph = demo();
    const extension = openGraphExtension(graph.schema);
    const declaredNodes = new Set(extension.node_kinds.map((kind) => kind.name));
    const declaredEdges = new Set(extension.relationship_kinds.map((kind) => kind.name));
    const document = toOpenGraph(graph);
    for (const node of document.graph.nodes) expect(declaredNodes.has(node.kinds[0]!)).toBe(true);
    for (const edge of document.graph.edges) expect(declaredEdges.has(edge.kind)).toBe(true);
  });
});
