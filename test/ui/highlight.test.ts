// The radius, exposure, path and hover highlights as pure styles: checked on the Drift fixture against the
// engine's own radius, so every colour, label and hidden flag is known by construction.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNativeFiles } from '../../cli/native-files.ts';
import { exposureResponse, radiusResponse } from '../../cli/server/views.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { edgeIdAt } from '../../engine/store/compact.ts';
import { edgeStyle, exposureEmphasis, nodeStyle, pathHighlight, radiusEmphasis, type EdgeData, type HighlightState, type NodeData } from '../../ui/src/logic/highlight.ts';
import { COLORS, CUT_PATTERN, LEVEL_COLORS, LEVEL_PATTERNS } from '../../ui/src/logic/palette.ts';

const graph = assembleGraph(readNativeFiles([join(import.meta.dirname, '../fixtures/native/drift-mini.yaml')])).graph;
const AT = '2026-06-01';
const DRIFT = 'chatvendor:prod:app:drift';
const radius = radiusResponse(graph, { sources: [DRIFT], at: AT });
const nodeData = (id: string): NodeData => {
  const node = graph.nodes[graph.indexOf.get(id)!]!;
  return { nodeId: id, label: node.name, kind: node.kind, crownJewel: node.tags?.includes('crown-jewel') ?? false, color: '#123456', size: 5 };
};
const edges = Array.from({ length: graph.edgeCount }, (_, e): EdgeData => ({
  edgeId: edgeIdAt(graph, e), kind: graph.edgeKindNames[graph.edgeKind[e]!]!, traversable: true,
  source: graph.nodes[graph.edgeSrc[e]!]!.id, target: graph.nodes[graph.edgeDst[e]!]!.id, color: '#cccccc', size: 1,
}));

describe('radius highlight', () => {
  const state: HighlightState = { emphasis: radiusEmphasis(radius) };

  it('colours reached nodes by level, draws the source dark and labelled, and dims the rest', () => {
    const levels = new Map(radius.reached.map((entry) => [entry.id, entry.level]));
    expect(levels.size).toBeGreaterThan(3);
    for (const node of graph.nodes) {
      const style = nodeStyle(nodeData(node.id), state);
      if (node.id === DRIFT) expect(style).toMatchObject({ color: COLORS.anchor, forceLabel: true });
      else if (levels.has(node.id)) expect(style.color).toBe(LEVEL_COLORS[levels.get(node.id)!]);
      else expect(style).toMatchObject({ color: COLORS.dimNode, label: null, hidden: false });
    }
  });

  it('draws each level in its own fill pattern as well as its hue, a cut node slashed, everything else solid', () => {
    const levels = new Map(radius.reached.map((entry) => [entry.id, entry.level]));
    expect(new Set(levels.values()).size).toBeGreaterThan(1);
    expect(new Set(Object.values(LEVEL_PATTERNS)).size).toBe(3);
    for (const node of graph.nodes) {
      const style = nodeStyle(nodeData(node.id), state);
      expect(style.pattern).toBe(levels.has(node.id) ? LEVEL_PATTERNS[levels.get(node.id)!] : 'solid');
    }
    const mitigated = radiusResponse(graph, { sources: [DRIFT], at: AT, mitigations: [{ revoke: 'aws:111:credential:akia-1' }] });
    for (const id of mitigated.whatIf!.removed) expect(nodeStyle(nodeData(id), { emphasis: radiusEmphasis(mitigated) }).pattern).toBe(CUT_PATTERN);
    // A cluster of the radius map carries its level's pattern too.
    expect(nodeStyle({ label: 'aws · Resource', kind: 'Resource', crownJewel: false, level: 'read', color: '#123456', size: 5 }, state).pattern).toBe('hollow');
  });

  it('labels reached crown jewels and makes them bigger', () => {
    const jewel = 'aws:111:resource:prod-bucket';
    expect(radius.crownJewels.map((entry) => entry.id)).toEqual([jewel]);
    const style = nodeStyle(nodeData(jewel), state);
    expect(style).toMatchObject({ forceLabel: true, label: '★ prod-customer-data' });
    expect(style.size).toBeGreaterThan(nodeStyle(nodeData('aws:111:resource:logs'), state).size);
  });

  it('colours the witness tree by the level its edges deliver and dims every other edge', () => {
    const tree = new Map(radius.reached.filter((entry) => entry.via !== null).map((entry) => [entry.via!, entry.level]));
    for (const edge of edges) {
      const style = edgeStyle(edge, state);
      if (tree.has(edge.edgeId!)) expect(style.color).toBe(LEVEL_COLORS[tree.get(edge.edgeId!)!]);
      else expect(style.color).toBe(COLORS.dimEdge);
    }
    // The revoked key is found but never used: its edge is not part of the tree.
    expect(tree.has('salesforce:acme:resource:case-1|CONTAINS_CREDENTIAL|aws:111:credential:akia-old')).toBe(false);
  });

  it('hop rings hide everything the radius does not cover', () => {
    const rings: HighlightState = { ...state, focusOnly: true };
    expect(nodeStyle(nodeData('aws:111:resource:logs-2'), rings).hidden).toBe(true);
    expect(nodeStyle(nodeData('aws:111:resource:logs'), rings).hidden).toBe(false);
    expect(edgeStyle(edges.find((e) => e.target === 'aws:111:credential:akia-old')!, rings).hidden).toBe(true);
  });

  it('draws nodes a mitigation cut off in the cut colour', () => {
    const mitigated = radiusResponse(graph, { sources: [DRIFT], at: AT, mitigations: [{ revoke: 'aws:111:credential:akia-1' }] });
    expect(mitigated.whatIf!.removed).toContain('aws:111:resource:prod-bucket');
    const style = nodeStyle(nodeData('aws:111:resource:prod-bucket'), { emphasis: radiusEmphasis(mitigated) });
    expect(style.color).toBe(COLORS.cut);
    expect(nodeStyle(nodeData('salesforce:acme:resource:cases'), { emphasis: radiusEmphasis(mitigated) }).color).not.toBe(COLORS.cut);
  });

  it('keeps a cut-off crown jewel starred, labelled and as big as a reached one', () => {
    const mitigated = radiusResponse(graph, { sources: [DRIFT], at: AT, mitigations: [{ revoke: 'aws:111:credential:akia-1' }] });
    const jewel = mitigated.whatIf!.removed.map(nodeData).find((data) => data.crownJewel);
    expect(jewel).toBeDefined();
    const cut = nodeStyle(jewel!, { emphasis: radiusEmphasis(mitigated) });
    const reached = nodeStyle(jewel!, { emphasis: radiusEmphasis(radius) });
    expect(cut.color).toBe(COLORS.cut);
    expect(cut.label).toBe(`★ ${jewel!.label}`);
    expect(cut.forceLabel).toBe(true);
    expect(cut.size).toBe(reached.size);
  });

  it('a clicked path is drawn on top of the radius, labels and all', () => {
    const path = radius.crownJewels[0]!.path;
    const withPath: HighlightState = { ...state, path: pathHighlight(path) };
    for (const step of path) {
      expect(nodeStyle(nodeData(step.to.id), withPath)).toMatchObject({ forceLabel: true, zIndex: 5 });
      expect(edgeStyle(edges.find((e) => e.edgeId === step.edgeId)!, withPath)).toMatchObject({ color: COLORS.pathEdge, zIndex: 3 });
    }
    const offPath = radius.reached.find((entry) => !path.some((step) => step.to.id === entry.id))!;
    expect(nodeStyle(nodeData(offPath.id), withPath).forceLabel).toBe(false);
  });
});

describe('exposure highlight', () => {
  it('draws the target dark, each exposed source by the level it obtains, and the nodes between them neutral', () => {
    const exposure = exposureResponse(graph, { target: 'aws:111:resource:prod-bucket', at: AT });
    const state: HighlightState = { emphasis: exposureEmphasis(exposure) };
    expect(nodeStyle(nodeData('aws:111:resource:prod-bucket'), state).color).toBe(COLORS.anchor);
    expect(nodeStyle(nodeData(DRIFT), state).color).toBe(LEVEL_COLORS.write);
    // Identities are exposure sources too (the default kinds): the service user is drawn by its own level,
    // the support case on Drift's path stays neutral.
    const svcExport = exposure.exposed.find((entry) => entry.id === 'aws:111:identity:user/svc-export')!;
    expect(nodeStyle(nodeData(svcExport.id), state).color).toBe(LEVEL_COLORS[svcExport.level]);
    expect(nodeStyle(nodeData('salesforce:acme:resource:case-1'), state).color).toBe(COLORS.via);
    expect(nodeStyle(nodeData('aws:111:resource:logs'), state).color).toBe(COLORS.dimNode);
  });
});

describe('overview interactions', () => {
  it('hovering keeps the node and its neighbours and dims everything else', () => {
    const state: HighlightState = { hovered: 'salesforce:acme:resource:cases', hoverNeighbours: new Set(['salesforce:acme:credential:tok', 'salesforce:acme:resource:case-1']) };
    expect(nodeStyle(nodeData('salesforce:acme:resource:case-1'), state)).toMatchObject({ color: '#123456', forceLabel: true });
    expect(nodeStyle(nodeData('aws:111:resource:logs'), state)).toMatchObject({ color: COLORS.dimNode, label: null });
    expect(edgeStyle(edges.find((e) => e.source === 'salesforce:acme:resource:cases')!, state).size).toBe(2);
    expect(edgeStyle(edges.find((e) => e.source === DRIFT)!, state).color).toBe(COLORS.dimEdge);
  });

  it('hides the edge kinds filtered out, whatever else is highlighted', () => {
    const state: HighlightState = { hiddenEdgeKinds: new Set(['CONTAINS']), emphasis: radiusEmphasis(radius) };
    for (const edge of edges) expect(edgeStyle(edge, state).hidden).toBe(edge.kind === 'CONTAINS');
  });

  it('leaves nodes as drawn when nothing is highlighted', () => {
    expect(nodeStyle(nodeData('aws:111:resource:logs'), {})).toMatchObject({ color: '#123456', size: 5, label: 'Logs', hidden: false });
  });
});

describe('harvested credentials (the Respond view)', () => {
  const harvested = radius.reached.find((entry) => entry.kind === 'Credential' && entry.hops > 1)!;
  const other = radius.reached.find((entry) => entry.kind !== 'Credential')!;

  it('stay lit and labelled over the radius colours, even in hop rings, and nothing else changes', () => {
    const state: HighlightState = { emphasis: radiusEmphasis(radius), harvested: new Set([harvested.id]), focusOnly: true };
    expect(nodeStyle(nodeData(harvested.id), state)).toMatchObject({ color: COLORS.harvested, forceLabel: true, hidden: false, label: `⚠ ${nodeData(harvested.id).label}` });
    expect(nodeStyle(nodeData(other.id), state)).toEqual(nodeStyle(nodeData(other.id), { emphasis: radiusEmphasis(radius), focusOnly: true }));
  });

  it('go back to their level colour once rotated (no longer in the set)', () => {
    expect(nodeStyle(nodeData(harvested.id), { emphasis: radiusEmphasis(radius), harvested: new Set() }).color).toBe(LEVEL_COLORS[harvested.level]);
  });
});
