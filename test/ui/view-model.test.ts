// The graph the browser draws, from the server's view: shapes by kind, colours by platform, clusters and
// aggregated links, and keys that keep node ids and cluster keys apart whatever the ids are.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNativeFiles } from '../../cli/native-files.ts';
import { graphView } from '../../cli/server/aggregate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { buildGraph } from '../../engine/store/compact.ts';
import { buildViewGraph, clusterKey, neighbourIds, nodeKey } from '../../ui/src/logic/view-model.ts';
import { KIND_SHAPES, platformColors, SHAPES } from '../../ui/src/logic/palette.ts';

const graph = assembleGraph(readNativeFiles([join(import.meta.dirname, '../fixtures/native/drift-mini.yaml')])).graph;
const colors = platformColors([{ name: 'aws', count: 5 }, { name: 'salesforce', count: 4 }, { name: 'chatvendor', count: 1 }]);
const color = (platform: string) => colors.get(platform)!;

describe('view graph', () => {
  it('draws each node with its kind\u2019s shape and its platform\u2019s colour, and every edge with its engine id', () => {
    const view = buildViewGraph(graphView(graph, { budget: 100 }), color);
    expect(view.order).toBe(graph.nodeCount);
    expect(view.size).toBe(graph.edgeCount);
    for (const node of graph.nodes) {
      const attributes = view.getNodeAttributes(nodeKey(node.id));
      expect(attributes.type).toBe(KIND_SHAPES[node.kind]);
      expect(attributes.color).toBe(color(node.platform));
    }
    const edgeIds = new Set(view.mapEdges((_key, attributes) => attributes.edgeId));
    expect(edgeIds).toContain('chatvendor:prod:app:drift|HOLDS|salesforce:acme:credential:tok');
    expect(neighbourIds(view, nodeKey('salesforce:acme:resource:cases'))).toEqual(new Set(['salesforce:acme:credential:tok', 'salesforce:acme:resource:case-1']));
  });

  it('draws clusters over the budget with their counts and links keyed by units', () => {
    const response = graphView(graph, { budget: 2, focus: [graph.indexOf.get('chatvendor:prod:app:drift')!] });
    const view = buildViewGraph(response, color);
    expect(view.hasNode(nodeKey('chatvendor:prod:app:drift'))).toBe(true);
    const clusters = view.filterNodes((_key, attributes) => attributes.cluster !== undefined);
    expect(clusters.length).toBe(response.clusters.length);
    expect(clusters.reduce((sum, key) => sum + view.getNodeAttribute(key, 'count')!, 0) + response.nodes.length).toBe(graph.nodeCount);
    expect(view.getNodeAttributes(clusterKey('aws/Resource'))).toMatchObject({ count: 3, label: 'aws · Resource (3)' });
    expect(view.size).toBe(response.edges.length + response.links.length);
  });

  it('never confuses a node whose id looks like a cluster key with that cluster', () => {
    const tricky = buildGraph({ nodes: [
      { id: 'c:aws/Resource', kind: 'Resource', name: 'looks like a cluster', platform: 'aws', tenant: 't' },
      { id: 'aws:t:resource:r', kind: 'Resource', name: 'r', platform: 'aws', tenant: 't' },
    ], edges: [] });
    const view = buildViewGraph(graphView(tricky, { budget: 1, focus: [0] }), color);
    expect(view.getNodeAttributes(nodeKey('c:aws/Resource')).nodeId).toBe('c:aws/Resource');
    expect(view.getNodeAttributes(clusterKey('aws/Resource'))).toMatchObject({ cluster: 'aws/Resource', count: 1 });
  });

  it('gives every built-in kind a shape the renderer has a program for', () => {
    for (const shape of Object.values(KIND_SHAPES)) expect(SHAPES).toContain(shape);
  });
});

describe('platform colours', () => {
  it('are distinct hex colours, assigned by platform size then name, beyond the palette too', () => {
    const platforms = Array.from({ length: 30 }, (_, i) => ({ name: `p${String(i).padStart(2, '0')}`, count: 100 - i }));
    const assigned = platformColors(platforms);
    expect(new Set(assigned.values()).size).toBe(30);
    for (const value of assigned.values()) expect(value).toMatch(/^#[0-9a-f]{6}$/);
    expect(platformColors([...platforms].reverse())).toEqual(assigned);
  });
});
