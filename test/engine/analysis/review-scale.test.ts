// The review gate at scale: the proposal merged by patching the graph, gains from the few sources upstream of what
// changed, best levels and exposer counts of every other source from shared closures. Held equal, on random graphs
// and random proposals, to the review as first written (test/helpers/reference-review.ts) and to brute force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exposerCounts } from '../../../engine/analysis/closure.ts';
import { reach, type ReachOptions } from '../../../engine/analysis/reach.ts';
import { bestLevels, review, reviewFacts, type ReviewResult } from '../../../engine/analysis/review.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import type { Policy } from '../../../engine/policy.ts';
import type { SourcedFragment } from '../../../engine/format/validate.ts';
import { LEVEL_CODE } from '../../../engine/schema/index.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { pathFromTable, radiusJsonChunks } from '../../../engine/report/radius-json.ts';
import { renderReviewText } from '../../../engine/report/review.ts';
import type { PathStepView } from '../../../engine/analysis/radius.ts';
import { reviewJsonChunks, reviewJsonParts } from '../../../engine/report/review-json.ts';
import { jsonOutChunks } from '../../../engine/report/json-out.ts';
import { at as corpAt, corp, notesProposal } from '../../helpers/review-scenario.ts';
import { AT, randomGraph, reachableGraph } from '../../helpers/arbitraries.ts';
import { referenceReview, referenceReviewFacts } from '../../helpers/reference-review.ts';

const POLICY: Policy = {
  version: 1,
  rules: {
    maxScore: 5,
    forbidReach: [{ tag: 'crown-jewel', atLeast: 'read' }, { tag: 'pii', atLeast: 'write' }],
    requireOwner: true,
  },
};

/** Per node of the random graph: 0 = in the graph, 1 = new in the proposal, 2 = re-declared usable, 3 = re-declared disabled. */
const proposalArb = randomGraph({ minNodes: 8, maxNodes: 14, minEdges: 45, maxEdges: 70, activeWeight: 14 }).chain((g) => fc.record({
  g: fc.constant(g),
  moved: fc.array(fc.constantFrom(false, false, false, true), { minLength: g.edges.length, maxLength: g.edges.length }),
  flags: fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2, 3), { minLength: g.nodes.length, maxLength: g.nodes.length }),
  options: fc.record({
    maxDepth: fc.constantFrom(undefined, undefined, undefined, 1, 2, 4),
    enforceConditions: fc.constantFrom(undefined, undefined, ['mfa']),
    sourceLevel: fc.constantFrom(undefined, undefined, 'read' as const, 'write' as const),
  }),
}));

function split({ g, moved, flags }: { g: { nodes: GraphNode[]; edges: GraphEdge[] }; moved: boolean[]; flags: number[] }) {
  const isNew = new Set(g.nodes.filter((_, i) => flags[i] === 1).map((n) => n.id));
  const inProposal = (e: GraphEdge, i: number): boolean => moved[i]! || isNew.has(e.from) || isNew.has(e.to);
  const existing = buildGraph({ nodes: g.nodes.filter((n) => !isNew.has(n.id)), edges: g.edges.filter((e, i) => !inProposal(e, i)) });
  const proposal: Fragment = {
    nodes: g.nodes.flatMap((n, i): GraphNode[] => {
      if (flags[i] === 1) return [n];
      if (flags[i] === 2) return [{ ...n, enabled: true, revoked: false, expiresAt: '2100-01-01T00:00:00.000Z' }];
      return flags[i] === 3 ? [{ ...n, enabled: false }] : [];
    }),
    edges: g.edges.filter((e, i) => inProposal(e, i)),
  };
  const sourced: SourcedFragment = {
    fragment: proposal,
    provenance: { file: 'proposal.yaml', nodePaths: proposal.nodes.map((_, i) => `$.nodes[${i}]`), edgePaths: proposal.edges.map((_, i) => `$.edges[${i}]`), nodeLines: proposal.nodes.map((_, i) => 2 + i), edgeLines: proposal.edges.map((_, i) => 40 + i) },
    redactions: 0,
  };
  return { existing, sourced };
}

/**
 * A report without its witness paths and the locations read off them: among equally short witness paths the
 * reference takes the one its reverse search meets first, the scalable review the one its forward reach keeps.
 * Violations are ordered by location too, so they are compared as a set.
 */
function withoutPaths(result: ReviewResult) {
  return {
    ...result,
    violations: result.violations
      .map(({ path: _path, location, ...rest }) => (rest.rule === 'forbidReach' ? rest : { ...rest, location }))
      .map((violation) => JSON.stringify(violation)).sort(),
    exposureChanges: result.exposureChanges.map(({ path: _path, location: _location, ...rest }) => rest),
  };
}

/** A witness path really leads from `by` to the resource in `hops` steps and ends at `level`. */
function expectWitness(path: readonly { from: { id: string }; to: { id: string }; level: string }[], by: string, target: string, hops: number, level: string): void {
  expect(path.length).toBe(hops);
  if (hops === 0) return;
  expect(path[0]!.from.id).toBe(by);
  expect(path.at(-1)!.to.id).toBe(target);
  expect(path.at(-1)!.level).toBe(level);
  for (let i = 1; i < path.length; i++) expect(path[i]!.from.id).toBe(path[i - 1]!.to.id);
}

describe('review at scale, against the review as first written', () => {
  it('gives the same verdict, subjects, authority, gains, exposure changes and counts on random graphs and proposals', () => {
    let compared = 0;
    let changes = 0;
    let violations = 0;
    fc.assert(fc.property(proposalArb, (sample) => {
      const { existing, sourced } = split(sample);
      const options: ReachOptions = { at: AT, ...Object.fromEntries(Object.entries(sample.options).filter(([, v]) => v !== undefined)) };
      let expected: ReviewResult;
      try {
        expected = referenceReview(existing, [sourced], POLICY, options);
      } catch (error) {
        expect(error).toBeInstanceOf(BlastmapError);
        expect(() => review(existing, [sourced], POLICY, options)).toThrow(BlastmapError);
        return;
      }
      const actual = review(existing, [sourced], POLICY, options);
      compared++;
      changes += actual.exposureChanges.length;
      violations += actual.violations.length;
      expect(withoutPaths(actual)).toEqual(withoutPaths(expected));
      // The same review when the proposal cannot be patched in (here: an id lookup that is a plain Map) and goes
      // through the full import, where nodes are matched by id and every edge list is compared.
      const unpatchable = { ...existing, indexOf: new Map(existing.indexOf) };
      expect(withoutPaths(review(unpatchable, [sourced], POLICY, options))).toEqual(withoutPaths(expected));
      for (const change of actual.exposureChanges) expectWitness(change.path, change.by.id, change.resource.id, change.hops, change.level);
      for (const violation of actual.violations.filter((v) => v.rule === 'forbidReach')) {
        const evidence = violation.evidence as { hops: number; level: string };
        expectWitness(violation.path!, violation.nodeId, violation.targetId!, evidence.hops, evidence.level);
      }
      // The facts the policy reads: every gain, in the same order, with the same levels and hops.
      const facts = reviewFacts(existing, [sourced], options);
      const reference = referenceReviewFacts(existing, [sourced], options);
      const key = ({ node, by, byProposal, bySubject, level, before, hops }: (typeof facts.gains)[number]) => ({
        node: facts.merged.nodes[node]!.id, by: facts.merged.nodes[by]!.id, byProposal, bySubject, level, before, hops,
      });
      expect(facts.gains.map(key)).toEqual(reference.gains.map((gain) => ({ ...key(gain), node: reference.merged.nodes[gain.node]!.id, by: reference.merged.nodes[gain.by]!.id })));
    }), { numRuns: 300, endOnFailure: true });
    // Enough proposals that change someone's exposure for the comparison to mean something.
    expect(compared).toBeGreaterThan(200);
    expect(changes).toBeGreaterThan(30);
    expect(violations).toBeGreaterThan(200);
  });
});

describe('best levels of many sources at once', () => {
  it('are the levels of one reach from all of them, whatever the options', () => {
    const optionsArb = fc.record({
      maxDepth: fc.constantFrom(undefined, undefined, 1, 2),
      enforceConditions: fc.constantFrom(undefined, ['mfa']),
      sourceLevel: fc.constantFrom<'admin' | 'write' | 'read' | undefined>(undefined, 'admin', 'write', 'read'),
      excludeEdgeKinds: fc.constantFrom(undefined, ['MEMBER_OF'], ['HOLDS', 'AUTHENTICATES_AS']),
    });
    fc.assert(fc.property(reachableGraph(), optionsArb, fc.array(fc.nat(), { maxLength: 8 }), ({ graph }, picked, picks) => {
      const options: ReachOptions = { at: AT };
      for (const [key, value] of Object.entries(picked)) if (value !== undefined) Object.assign(options, { [key]: value });
      // Repeated sources and unusable ones included, as the review passes every app and credential.
      const sources = picks.map((k) => k % graph.nodeCount);
      expect([...bestLevels(graph, sources, options)]).toEqual([...reach(graph, sources, options).level]);
    }), { numRuns: 400 });
  });
});

describe('exposer counts from shared closures', () => {
  it('count, per target, the sources whose full reach gets there (not the target itself), hubs or not', () => {
    fc.assert(fc.property(reachableGraph(), fc.constantFrom(undefined, ['mfa']), fc.constantFrom<'admin' | 'read'>('admin', 'read'), fc.boolean(), ({ graph }, enforce, sourceLevel, force) => {
      const options: ReachOptions = { at: AT, sourceLevel, ...(enforce ? { enforceConditions: enforce } : {}) };
      const sources: number[] = [];
      const targets: number[] = [];
      graph.nodes.forEach((node, v) => {
        if (node.kind === 'App' || node.kind === 'Credential') sources.push(v);
        if (v % 2 === 0 || node.kind === 'Credential') targets.push(v);
      });
      const counts = exposerCounts(graph, options, sources, targets, { force, minSize: 1 })!;
      const expected = targets.map((v) => sources.filter((s) => s !== v && reach(graph, [s], options).level[v]! >= LEVEL_CODE.read).length);
      expect([...counts]).toEqual(expected);
    }), { numRuns: 300 });
  });

  it('are the same with few targets (one to three, anywhere), hubs or not', () => {
    fc.assert(fc.property(reachableGraph(), fc.constantFrom(undefined, ['mfa']), fc.constantFrom<'admin' | 'read'>('admin', 'read'), fc.boolean(), fc.nat(), ({ graph }, enforce, sourceLevel, force, pick) => {
      const options: ReachOptions = { at: AT, sourceLevel, ...(enforce ? { enforceConditions: enforce } : {}) };
      const sources: number[] = [];
      graph.nodes.forEach((node, v) => { if (node.kind === 'App' || node.kind === 'Credential') sources.push(v); });
      // One to three targets anywhere (a source, a resource, an unusable node), so that most of the graph leads to none.
      const targets = [...new Set([pick, pick * 7 + 3, pick * 13 + 5].slice(0, 1 + (pick % 3)).map((k) => k % graph.nodeCount))];
      const counts = exposerCounts(graph, options, sources, targets, { force, minSize: 1 })!;
      const expected = targets.map((v) => sources.filter((s) => s !== v && reach(graph, [s], options).level[v]! >= LEVEL_CODE.read).length);
      expect([...counts]).toEqual(expected);
    }), { numRuns: 300 });
  });

  it('are not given with a depth limit (the caller searches per target)', () => {
    const graph = buildGraph({ nodes: [], edges: [] });
    expect(exposerCounts(graph, { maxDepth: 2 }, [], [])).toBeUndefined();
  });
});

describe('the review as streamed JSON', () => {
  it('is the result itself, with the authority added as radius --format json writes it', () => {
    const c = corp();
    const result = review(c.graph, notesProposal(c), POLICY, { at: corpAt });
    expect(result.exposureChanges.length).toBeGreaterThan(0);
    const chunks = [...reviewJsonChunks(result)];
    expect(chunks.length).toBeGreaterThan(5);
    const { addedAuthority, exposureWitness, exposureChanges, ...rest } = JSON.parse(chunks.join(''));
    const { addedAuthority: radius, exposureChanges: changes, ...expected } = JSON.parse(JSON.stringify(result));
    expect(rest).toEqual(expected);
    // Each change names the last step of its path in the shared table; following the parents gives the path back.
    expect(exposureChanges.map(({ witness: _w, ...change }: { witness: number }) => change)).toEqual(changes.map(({ path: _p, ...change }: { path: unknown }) => change));
    exposureChanges.forEach((change: { witness: number }, i: number) => {
      const path = pathFromTable(exposureWitness, change.witness);
      expect(path.map((step) => [step.from, step.kind, step.to, step.level])).toEqual(changes[i].path.map((step: PathStepView) => [step.from.id, step.kind, step.to.id, step.level]));
    });
    expect(changes[0].path.length).toBeGreaterThan(0);
    expect(addedAuthority).toEqual(JSON.parse([...radiusJsonChunks(result.addedAuthority)].join('')));
    expect(addedAuthority.reachedCount).toBe(radius.reachedCount);
    // Written as bytes through JsonOut (the added authority by the radius's byte writer): the same document.
    expect([...jsonOutChunks((out) => reviewJsonParts(result, out))].join('')).toBe(chunks.join(''));
  });
});

describe('the review text when one rule breaks many times', () => {
  it('lists the first 20 violations of the rule, then how many more', () => {
    const buckets: GraphNode[] = Array.from({ length: 25 }, (_, i) => ({ id: `aws:1:resource:bucket-${String(i).padStart(2, '0')}`, kind: 'Resource', name: `bucket ${i}`, platform: 'aws', tenant: '1', tags: ['crown-jewel'] }) as GraphNode);
    const existing = buildGraph({
      nodes: [{ id: 'aws:1:resource:account', kind: 'Resource', name: 'account', platform: 'aws', tenant: '1' } as GraphNode, ...buckets],
      edges: buckets.map((bucket) => ({ kind: 'CONTAINS', from: 'aws:1:resource:account', to: bucket.id })),
    });
    const proposal: Fragment = {
      nodes: [{ id: 'vendor:p:app:sync', kind: 'App', name: 'Sync', platform: 'vendor', tenant: 'p', ownerIds: ['x'] } as GraphNode],
      edges: [{ kind: 'CAN_READ', from: 'vendor:p:app:sync', to: 'aws:1:resource:account' }],
    };
    const result = review(existing, proposal, { version: 1, rules: { forbidReach: [{ tag: 'crown-jewel', atLeast: 'read' }] } }, { at: AT });
    expect(result.violations).toHaveLength(25);
    const text = renderReviewText(result);
    expect(text.match(/BM-REVIEW-FORBID-REACH {2}Sync reaches/g)).toHaveLength(20);
    expect(text).toContain('... and 5 more BM-REVIEW-FORBID-REACH violations (--format json or sarif lists every one)');
    expect(renderReviewText(result, { violationLimit: Infinity }).match(/BM-REVIEW-FORBID-REACH {2}Sync reaches/g)).toHaveLength(25);
  });
});
