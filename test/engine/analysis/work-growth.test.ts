// exposure and findings do work in proportion to the graph: counted, not timed. The engine's work counter
// (engine/analysis/work.ts) adds the adjacency entries each traversal scans and the rule checks findings makes; on
// generated enterprises of n and 4n nodes the counts grow at most 6x (issue #17: 4x the graph, at most 6x the work),
// and stay within a fixed number of scans per edge. The straightforward exposure (a forward reach per candidate source,
// test/helpers/reference-exposure.ts) breaks that bound by far on the same counter, so the check can fail.
import { beforeAll, describe, expect, it } from 'vitest';
import { exposureOf } from '../../../engine/analysis/exposure.ts';
import { evaluateFindings } from '../../../engine/analysis/findings.ts';
import { resetWork, WORK } from '../../../engine/analysis/work.ts';
import { DEFAULT_GENERATION_INSTANT, generateFragment } from '../../../engine/generate/enterprise.ts';
import { buildGraph, type CompactGraph } from '../../../engine/store/compact.ts';
import { referenceExposure } from '../../helpers/reference-exposure.ts';

const at = Date.parse(DEFAULT_GENERATION_INSTANT);
const SMALL = 25_000;
const LARGE = 4 * SMALL;

/** Three crown jewels spread evenly over the tagged nodes in index order (what `npm run bench` asks about). */
function crownJewels(graph: CompactGraph): number[] {
  const jewels: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (graph.nodes[v]!.tags?.includes('crown-jewel')) jewels.push(v);
  return [0, 1, 2].map((i) => jewels[Math.floor((i * jewels.length) / 3)]!);
}

interface Counted { nodes: number; edges: number; exposureEdges: number; exposed: number; findingsEdges: number; checks: number; findings: number }

function count(nodes: number): Counted {
  const graph = buildGraph(generateFragment({ nodes, seed: 1 }));
  resetWork();
  let exposed = 0;
  for (const target of crownJewels(graph)) exposed += exposureOf(graph, target, { at }).exposedCount;
  const exposureEdges = WORK.edges;
  resetWork();
  const findings = evaluateFindings(graph, { at }).total;
  return { nodes: graph.nodeCount, edges: graph.edgeCount, exposureEdges, exposed, findingsEdges: WORK.edges, checks: WORK.checks, findings };
}

describe('work grows with the graph, not faster (operation counts, n and 4n nodes)', () => {
  let small: Counted;
  let large: Counted;
  beforeAll(() => {
    small = count(SMALL);
    large = count(LARGE);
    console.log(`work growth ${SMALL} -> ${LARGE} nodes (edges ${small.edges} -> ${large.edges}): exposure ${small.exposureEdges} -> ${large.exposureEdges} edge scans (${(large.exposureEdges / small.exposureEdges).toFixed(2)}x; sources ${small.exposed} -> ${large.exposed}), findings ${small.findingsEdges} -> ${large.findingsEdges} edge scans (${(large.findingsEdges / small.findingsEdges).toFixed(2)}x), ${small.checks} -> ${large.checks} rule checks (${(large.checks / small.checks).toFixed(2)}x)`);
  }, 600_000);

  it('the graphs are 4x apart and the questions have real answers', () => {
    expect(large.nodes).toBe(4 * small.nodes);
    expect(large.edges / small.edges).toBeGreaterThan(3.9);
    expect(large.edges / small.edges).toBeLessThan(4.1);
    expect(small.exposed).toBeGreaterThan(1000);
    expect(small.findings).toBeGreaterThan(1000);
    expect(small.exposureEdges).toBeGreaterThan(small.edges / 10);
  });

  it('exposure: at most 6x the work for 4x the graph, and at most four scans of each edge per target (one reverse search, three level passes)', () => {
    expect(large.exposureEdges / small.exposureEdges).toBeLessThanOrEqual(6);
    expect(small.exposureEdges).toBeLessThanOrEqual(3 * 4 * small.edges);
    expect(large.exposureEdges).toBeLessThanOrEqual(3 * 4 * large.edges);
  });

  it('findings: at most 6x the edge scans and the rule checks for 4x the graph', () => {
    expect(large.findingsEdges / small.findingsEdges).toBeLessThanOrEqual(6);
    expect(large.checks / small.checks).toBeLessThanOrEqual(6);
    // Rule checks are one per rule and usable node: exactly linear.
    expect(large.checks / small.checks).toBeLessThanOrEqual(4.1);
  });

  it('the counter catches a quadratic exposure: the straightforward version scans each edge far more than four times per target', () => {
    const graph = buildGraph(generateFragment({ nodes: 5_000, seed: 1 }));
    const targets = crownJewels(graph);
    resetWork();
    for (const target of targets) exposureOf(graph, target, { at });
    const linear = WORK.edges;
    resetWork();
    for (const target of targets) referenceExposure(graph, target, { at });
    const quadratic = WORK.edges;
    expect(linear).toBeLessThanOrEqual(3 * 4 * graph.edgeCount);
    expect(quadratic).toBeGreaterThan(3 * 4 * graph.edgeCount);
    expect(quadratic).toBeGreaterThan(50 * linear);
  }, 120_000);
});
