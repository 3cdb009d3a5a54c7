// Evidence as drawn: the demo's CloudTrail logs over Parley Chat's radius, through the server's answer, into node and
// edge styles. Observed nodes carry the ◉ mark in their label (not colour alone), observed edges are wider, in their
// own colour and labelled; contradicted nodes carry ⊘; nothing is marked without a radius on screen.
import { describe, expect, it } from 'vitest';
import { loadGraph } from '../../cli/load-graph.ts';
import { readLogFolder } from '../../cli/evidence.ts';
import { evidenceResponse, radiusResponse } from '../../cli/server/views.ts';
import { resolveEvidence } from '../../engine/evidence/report.ts';
import { createStore } from '../../engine/evidence/store.ts';
import { readLogFiles } from '../../importers/logs/registry.ts';
import { edgeStyle, EVIDENCE_MARKS, evidenceHighlight, nodeStyle, radiusEmphasis } from '../../ui/src/logic/highlight.ts';
import { COLORS } from '../../ui/src/logic/palette.ts';

const graph = await loadGraph('datasets/demo');
const evidence = resolveEvidence(graph, createStore(readLogFiles(readLogFolder(['datasets/demo/logs/aws-cloudtrail'])).observations));
const request = { sources: ['parley:prod:app:parley-chat'], at: '2026-11-22', since: '2026-11-21T12:00:00Z' };
const report = evidenceResponse(graph, evidence, request);
const radius = radiusResponse(graph, { sources: request.sources, at: request.at, limit: 50_000 });
const AWS_KEY = 'aws:111122223333:credential:access-key/9a184e3db4e81384';
const EXPORTS = 'aws:111122223333:resource:s3/corvid-prod-exports';

const node = (id: string) => {
  const n = graph.nodes[graph.indexOf.get(id)!]!;
  return { nodeId: id, label: n.name, kind: n.kind, crownJewel: n.tags?.includes('crown-jewel') ?? false, color: '#123456', size: 5 };
};

describe('evidence in the UI\'s styles', () => {
  const lit = evidenceHighlight(report);
  const state = { emphasis: radiusEmphasis(radius), evidence: lit };

  it('marks the used key with ◉ and leaves a node only the nightly job touched unmarked', () => {
    expect(lit.nodes.get(AWS_KEY)).toBe('observed');
    const style = nodeStyle(node(AWS_KEY), state);
    expect(style.label?.startsWith(`${EVIDENCE_MARKS.observed} `)).toBe(true);
    expect(style.forceLabel).toBe(true);
    const quiet = nodeStyle(node(EXPORTS), state);
    expect(quiet.label?.startsWith(EVIDENCE_MARKS.observed)).toBe(false);
  });

  it('draws each observed edge wider, in the observed colour, labelled; other witness edges as before', () => {
    const observed = report.edges.filter((e) => e.status === 'observed');
    expect(observed.length).toBeGreaterThan(0);
    for (const edge of observed) {
      const style = edgeStyle({ edgeId: edge.edgeId, kind: edge.kind, traversable: true, source: edge.from, target: edge.to, color: '#ccc', size: 1 }, state);
      expect(style).toMatchObject({ color: COLORS.observed, size: 5, label: `${EVIDENCE_MARKS.observed} observed` });
    }
    const other = radius.reached.find((entry) => entry.via !== null && !lit.edges.has(entry.via))!;
    const plain = edgeStyle({ edgeId: other.via!, kind: 'X', traversable: true, source: other.parent ?? undefined, target: other.id, color: '#ccc', size: 1 }, state);
    expect(plain.color).not.toBe(COLORS.observed);
    expect(plain.label).toBeUndefined();
  });

  it('marks nothing when no radius is on screen', () => {
    expect(nodeStyle(node(AWS_KEY), { evidence: lit }).label).toBe(graph.nodes[graph.indexOf.get(AWS_KEY)!]!.name);
  });
});
