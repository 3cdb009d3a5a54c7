// GEXF, GraphML and native JSON/NDJSON exports: each is read back by an independent parser (graphology-gexf's and
// graphology-graphml's XML parsers, blastmap's own native importer) and must give the same nodes, edges and
// attributes; a radius export carries level and hops; hostile names never break the XML.
import { MultiDirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { parse as parseGraphml } from 'graphology-graphml';
import { describe, expect, it } from 'vitest';
import { reach } from '../../../engine/analysis/reach.ts';
import { escapeXml, toGexf, toGraphml } from '../../../engine/export/graph-formats.ts';
import { nativeJsonText, ndjsonText, toNativeJson, toNdjson } from '../../../engine/export/native.ts';
import { levelName } from '../../../engine/schema/index.ts';
import { assembleGraph } from '../../../engine/store/assemble.ts';
import { edgeIdAt, toFragment, type CompactGraph } from '../../../engine/store/compact.ts';
import { toGraphology } from '../../../engine/store/graphology.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { driftScenario, scenario } from '../../helpers/scenario.ts';

let demoGraph: CompactGraph | undefined;
const demo = () => (demoGraph ??= loadDemoGraph());

const edgeIds = (graph: CompactGraph): string[] => Array.from({ length: graph.edgeCount }, (_, e) => edgeIdAt(graph, e)).sort();

/** A graph whose names carry markup, quotes, control characters and a lone surrogate. */
function hostileGraph() {
  return scenario((s) => {
    s.app('evil', { name: '<script>alert("x")</script> & \'co\' \u0001\u0007 \ud800 end', vendor: ']]> <!-- -->' });
    s.credential('key', { name: 'key "&<>"' });
    s.edge('HOLDS', 'evil', 'key', { reason: 'holds <b>it</b> & more' });
  });
}

/**
 * A service account with domain-wide delegation over the CEO and the CFO, limited to drive.readonly, which also
 * reads the board drive on its own: two derived CAN_READ edges (one per delegation) repeat the direct one; the
 * budget drive it reads only through the two delegations.
 */
function delegationsRepeatingADirectGrant() {
  return scenario((s) => {
    s.identity('ceo', { platform: 'google-workspace', tenant: 'acme.com', subtype: 'human' });
    s.identity('cfo', { platform: 'google-workspace', tenant: 'acme.com', subtype: 'human' });
    s.resource('board', { platform: 'google-workspace', tenant: 'acme.com', resourceType: 'drive' });
    s.resource('budget', { platform: 'google-workspace', tenant: 'acme.com', resourceType: 'drive' });
    s.identity('reporter', { platform: 'gcp', tenant: 'prj', subtype: 'service' });
    const driveRead = { scopes: ['https://www.googleapis.com/auth/drive.readonly'] };
    s.edge('CAN_ADMIN', 'ceo', 'board').edge('CAN_WRITE', 'cfo', 'board').edge('CAN_READ', 'reporter', 'board')
      .edge('CAN_READ', 'ceo', 'budget').edge('CAN_READ', 'cfo', 'budget')
      .edge('CAN_IMPERSONATE', 'reporter', 'ceo', driveRead).edge('CAN_IMPERSONATE', 'reporter', 'cfo', driveRead);
  });
}

describe('graphology view', () => {
  it('keeps the edges scoped delegations derived beside the same grant held directly: each has its own id, naming its delegation', () => {
    const s = delegationsRepeatingADirectGrant();
    const { graph } = s;
    const reads = Array.from({ length: graph.edgeCount }, (_, e) => e).filter((e) => graph.edgeSrc[e] === s.ix('reporter') && graph.edgeDst[e] === s.ix('board'));
    expect(reads.map((e) => graph.edgeKindNames[graph.edgeKind[e]!])).toEqual(['CAN_READ', 'CAN_READ', 'CAN_READ']);
    const direct = `${s.id('reporter')}|CAN_READ|${s.id('board')}`;
    const delegations = reads.map((e) => graph.edgeAttrs[e]?.derivedFrom).filter((d) => d !== undefined).sort();
    expect(delegations).toEqual([`${s.id('reporter')}|DELEGATED_AS|${s.id('ceo')}`, `${s.id('reporter')}|DELEGATED_AS|${s.id('cfo')}`].sort());
    expect(reads.map((e) => edgeIdAt(graph, e)).sort()).toEqual([direct, ...delegations.map((d) => `${direct}|via:${d}`)].sort());
    const view = toGraphology(graph);
    expect(view.size).toBe(graph.edgeCount);
    expect(view.getEdgeAttributes(direct).derivedFrom).toBeUndefined();
    for (const delegation of delegations) expect(view.getEdgeAttributes(`${direct}|via:${delegation}`)).toMatchObject({ kind: 'CAN_READ', derivedFrom: delegation });
    // Through the delegations only: one derived edge per delegation.
    const budget = Array.from({ length: graph.edgeCount }, (_, e) => e).filter((e) => graph.edgeSrc[e] === s.ix('reporter') && graph.edgeDst[e] === s.ix('budget'));
    expect(budget.map((e) => graph.edgeAttrs[e]?.derivedFrom).sort()).toEqual(delegations);
    expect(parseGexf(MultiDirectedGraph, toGexf(graph)).size).toBe(graph.edgeCount);
  });
});

describe('GEXF export', () => {
  it('reads back with the same nodes, edges, kinds and colours', () => {
    const graph = demo();
    const view = parseGexf(MultiDirectedGraph, toGexf(graph));
    expect(view.order).toBe(graph.nodeCount);
    expect(view.size).toBe(graph.edgeCount);
    expect(view.nodes().sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    expect(view.edges().sort()).toEqual(edgeIds(graph));
    const parley = view.getNodeAttributes('parley:prod:app:parley-chat');
    expect(parley).toMatchObject({ kind: 'App', label: 'Parley Chat', color: '#f97316' });
  });

  it('a radius export holds the reached nodes with level, hops and isSource for Gephi to colour by', () => {
    const s = driftScenario();
    const result = reach(s.graph, [s.ix('drift')], { at: '2025-08-01' });
    const view = parseGexf(MultiDirectedGraph, toGexf(s.graph, { radius: result }));
    const reached = [...result.level].flatMap((level, v) => (level > 0 ? [v] : []));
    expect(view.order).toBe(reached.length);
    for (const v of reached) {
      const attributes = view.getNodeAttributes(s.graph.nodes[v]!.id);
      const level = result.level[v]!;
      expect(attributes).toMatchObject({ level: levelName(level), hops: result.hops[v * 3 + level - 1], isSource: v === s.ix('drift') });
      expect(typeof attributes.source).not.toBe('boolean');
    }
  });

  it('stays well-formed XML whatever the names contain', () => {
    const { graph } = hostileGraph();
    const view = parseGexf(MultiDirectedGraph, toGexf(graph));
    expect(view.order).toBe(2);
    expect(view.getNodeAttributes(graph.nodes[0]!.id).label).toContain('<script>alert("x")</script> & \'co\'');
  });
});

describe('GraphML export', () => {
  it('reads back with the same nodes, edges and typed attributes', () => {
    const graph = demo();
    const view = parseGraphml(MultiDirectedGraph, toGraphml(graph));
    expect(view.order).toBe(graph.nodeCount);
    expect(view.size).toBe(graph.edgeCount);
    expect(view.nodes().sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    expect(view.edges().sort()).toEqual(edgeIds(graph));
    expect(view.getNodeAttributes('parley:prod:app:parley-chat')).toMatchObject({ kind: 'App', label: 'Parley Chat', thirdParty: true, color: '#f97316' });
    const holds = view.edges().find((edge) => view.getEdgeAttribute(edge, 'kind') === 'HOLDS')!;
    expect(view.getEdgeAttribute(holds, 'traversable')).toBe(true);
  });

  it('a radius export carries level, hops and isSource as typed attributes', () => {
    const s = driftScenario();
    const result = reach(s.graph, [s.ix('drift')], { at: '2025-08-01' });
    const view = parseGraphml(MultiDirectedGraph, toGraphml(s.graph, { radius: result }));
    const v = s.ix('cases');
    expect(view.getNodeAttributes(s.id('cases'))).toMatchObject({ level: levelName(result.level[v]!), hops: result.hops[v * 3 + result.level[v]! - 1], isSource: false });
    expect(view.order).toBe([...result.level].filter((level) => level > 0).length);
  });

  it('escapes markup and replaces characters XML cannot carry', () => {
    expect(escapeXml('a<b>&"c\'\u0001\ud800')).toBe('a&lt;b&gt;&amp;&quot;c&apos;\ufffd\ufffd');
    const { graph } = hostileGraph();
    const view = parseGraphml(MultiDirectedGraph, toGraphml(graph));
    expect(view.getNodeAttributes(graph.nodes[0]!.id).label).toContain('<script>alert("x")</script> & \'co\'');
    expect(view.getEdgeAttributes(view.edges()[0]!).reason).toBe('holds <b>it</b> & more');
  });
});

describe('native JSON and NDJSON export', () => {
  const reimport = (text: string, file: string): CompactGraph => {
    const parsed = parseNative(text, { file });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.slice(0, 3)));
    return assembleGraph([parsed.value]).graph;
  };

  it('JSON and NDJSON both import back to the same graph', () => {
    const graph = demo();
    const original = toFragment(graph);
    expect(toFragment(reimport([...nativeJsonText(graph)].join(''), 'demo.json'))).toEqual(original);
    expect(toFragment(reimport(toNdjson(graph), 'demo.ndjson'))).toEqual(original);
    expect(JSON.parse([...nativeJsonText(graph)].join(''))).toEqual(toNativeJson(graph));
    expect([...ndjsonText(graph)].every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('a radius export keeps the reached subgraph with radiusLevel, radiusHops and radiusSource, and still imports', () => {
    const s = driftScenario();
    const result = reach(s.graph, [s.ix('drift')], { at: '2025-08-01' });
    const document = toNativeJson(s.graph, { radius: result });
    const cases = document.nodes.find((node) => node.id === s.id('cases'))!;
    const v = s.ix('cases');
    expect(cases.properties).toMatchObject({ radiusLevel: levelName(result.level[v]!), radiusHops: result.hops[v * 3 + result.level[v]! - 1], radiusSource: false });
    expect(document.nodes.find((node) => node.id === s.id('drift'))!.properties).toMatchObject({ radiusSource: true, radiusHops: 0 });
    expect(s.graph.nodes[v]!.properties?.radiusLevel).toBeUndefined();
    expect(reimport(toNdjson(s.graph, { radius: result }), 'radius.ndjson').nodeCount).toBe(document.nodes.length);
  });
});
