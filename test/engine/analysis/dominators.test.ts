// Dominators: the iterative algorithm against "remove the vertex and look" on random flow graphs, and the
// reach flow graph's dominated scores against the score a cut really removes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominatorsWithout, edgeArcsLoss, immediateDominators, nearestCommonDominator, reachDominators, reachDominatorsWithout } from '../../../engine/analysis/dominators.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { LEVEL_CODE } from '../../../engine/schema/index.ts';
import { edgeIdAt } from '../../../engine/store/compact.ts';
import { AT } from '../../helpers/arbitraries.ts';
import { cutCaseArb, oracleOptions, oracleScore, reachOptionsOf, type CutSpec } from '../../helpers/cuts.ts';
import { referenceReachDominators } from '../../helpers/reference-dominators.ts';
import { driftScenario } from '../../helpers/scenario.ts';

function csr(vertexCount: number, arcs: readonly [number, number][]) {
  const offsets = new Uint32Array(vertexCount + 1);
  for (const [a] of arcs) offsets[a + 1]!++;
  for (let v = 0; v < vertexCount; v++) offsets[v + 1]! += offsets[v]!;
  const targets = new Int32Array(arcs.length);
  const fill = offsets.slice(0, vertexCount);
  for (const [a, b] of arcs) targets[fill[a]!++] = b;
  return { offsets, targets };
}

/** Vertices reachable from the root when `removed` is deleted. */
function reachable(arcs: readonly [number, number][], root: number, removed = -1): Set<number> {
  const seen = new Set<number>();
  if (root === removed) return seen;
  const stack = [root];
  seen.add(root);
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const [a, b] of arcs) if (a === v && b !== removed && !seen.has(b)) { seen.add(b); stack.push(b); }
  }
  return seen;
}

const flowGraph = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc.record({ n: fc.constant(n), arcs: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 25 }) }));

/** Flow graphs of 2-40 vertices with cycles and up to 4n arcs, and an order of vertices to remove one per round. */
const removalRounds = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    arcs: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { minLength: n, maxLength: n * 4 }),
    order: fc.array(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 12 }),
  }));

/** The arcs plus a spine from the root (which keeps most vertices reached at first), as CSR and as successor lists. */
function spined(n: number, arcs: readonly [number, number][]) {
  const all: [number, number][] = [...arcs, ...Array.from({ length: n - 1 }, (_, i): [number, number] => [i, i + 1])];
  const { offsets, targets } = csr(n, all);
  return { offsets, targets, successors: { offsets, targets, edges: new Int32Array(targets.length).fill(-1) } };
}

describe('immediateDominators', () => {
  it('in a diamond the join is dominated by the fork, not by either branch', () => {
    // 0 -> 1 -> {2, 3} -> 4 -> 5
    const arcs: [number, number][] = [[0, 1], [1, 2], [1, 3], [2, 4], [3, 4], [4, 5]];
    const { offsets, targets } = csr(6, arcs);
    const { idom } = immediateDominators(6, offsets, targets, 0);
    expect([...idom]).toEqual([0, 0, 1, 1, 1, 4]);
  });

  it('a back edge into a loop does not change who dominates the loop', () => {
    // 0 -> 1 -> 2 -> 3 -> 1 (loop), 2 -> 4
    const arcs: [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 1], [2, 4]];
    const { offsets, targets } = csr(5, arcs);
    expect([...immediateDominators(5, offsets, targets, 0).idom]).toEqual([0, 0, 1, 2, 2]);
  });

  it('the idom chain of every vertex is exactly the vertices whose removal disconnects it (random graphs)', () => {
    fc.assert(fc.property(flowGraph, ({ n, arcs }) => {
      const { offsets, targets } = csr(n, arcs);
      const dominators = immediateDominators(n, offsets, targets, 0);
      const live = reachable(arcs, 0);
      for (let w = 0; w < n; w++) {
        if (!live.has(w)) {
          expect(dominators.idom[w]).toBe(-1);
          continue;
        }
        const chain = new Set([w]);
        for (let v = w; v !== 0; v = dominators.idom[v]!) chain.add(dominators.idom[v]!);
        const expected = new Set([0, w]);
        for (let v = 1; v < n; v++) if (v !== w && !reachable(arcs, 0, v).has(w)) expected.add(v);
        expect([...chain].sort()).toEqual([...expected].sort());
      }
      // Order is a reverse postorder: every vertex comes after its immediate dominator.
      for (const v of dominators.order) if (v !== 0) expect(dominators.position[dominators.idom[v]!]!).toBeLessThan(dominators.position[v]!);
    }), { numRuns: 300 });
  });

  it('read through predecessor lists kept by vertex, gives the same tree, order and positions (random graphs, vertices removed)', () => {
    fc.assert(fc.property(flowGraph, fc.array(fc.nat({ max: 9 }), { maxLength: 4 }), ({ n, arcs }, removedList) => {
      const { offsets, targets } = csr(n, arcs);
      const removed = new Uint8Array(n);
      for (const v of removedList) if (v < n && v !== 0) removed[v] = 1;
      // Predecessors of every vertex, removed and unreachable ones included: the caller's lists are of the whole graph.
      const predOffsets = new Int32Array(n + 1);
      for (const [, b] of arcs) predOffsets[b + 1]!++;
      for (let v = 0; v < n; v++) predOffsets[v + 1]! += predOffsets[v]!;
      const sources = new Int32Array(arcs.length);
      const fill = predOffsets.slice(0, n);
      for (const [a, b] of arcs) sources[fill[b]!++] = a;
      const built = immediateDominators(n, offsets, targets, 0, removed);
      const kept = immediateDominators(n, offsets, targets, 0, removed, { offsets: predOffsets, sources });
      expect([...kept.idom]).toEqual([...built.idom]);
      expect([...kept.order]).toEqual([...built.order]);
      expect([...kept.position]).toEqual([...built.position]);
      // And both are the dominators by definition: the vertices whose removal disconnects w, on top of `removed`.
      const alive = arcs.filter(([a, b]) => removed[a] === 0 && removed[b] === 0);
      const live = reachable(alive, 0);
      for (let w = 0; w < n; w++) {
        if (!live.has(w)) { expect(kept.idom[w]).toBe(-1); continue; }
        const chain = new Set([w]);
        for (let v = w; v !== 0; v = kept.idom[v]!) chain.add(kept.idom[v]!);
        const expected = new Set([0, w]);
        for (let v = 1; v < n; v++) if (v !== w && !reachable(alive, 0, v).has(w)) expected.add(v);
        expect([...chain].sort()).toEqual([...expected].sort());
      }
    }), { numRuns: 400 });
  });

  it('the nearest common dominator of two vertices dominates both and nothing closer does', () => {
    const arcs: [number, number][] = [[0, 1], [1, 2], [1, 3], [2, 4], [3, 5], [0, 6], [6, 5]];
    const { offsets, targets } = csr(7, arcs);
    const dominators = immediateDominators(7, offsets, targets, 0);
    expect(nearestCommonDominator(dominators, 4, 3)).toBe(1);
    expect(nearestCommonDominator(dominators, 4, 5)).toBe(0);
    expect(nearestCommonDominator(dominators, 2, 4)).toBe(2);
  });
});

describe('reachDominators', () => {
  it('in the drift chain the Salesforce token dominates everything beyond it and the mail grant only the mailbox', () => {
    const s = driftScenario();
    const flow = reachDominators(s.graph, [s.ix('drift')], { at: AT });
    const admin = LEVEL_CODE.admin;
    const scoreOf = (handle: string) => flow.dominatedScore[flow.stateVertex[s.ix(handle) * 3 + admin - 1]!]!;
    // sfToken 1 + cases 8 (pii, read) + case1 1 + awsKey 1 + awsUser 1 + bucket 10 x write 2.
    expect(scoreOf('sfToken')).toBe(32);
    expect(scoreOf('mailGrant')).toBe(9);
    expect(scoreOf('awsUser')).toBe(21);
    expect(flow.dominatedScore[0]).toBe(41);
    expect(flow.exact).toBe(true);
  });

  it('a cut that one flow vertex stands for removes exactly the score that vertex dominates (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb({ depth: false }), (c) => {
      const flow = reachDominators(c.graph, c.sources, reachOptionsOf(c));
      const before = oracleScore(c.graph, c.sources, oracleOptions(c));
      const removedBy = (cut: CutSpec) => before - oracleScore(c.graph, c.sources, oracleOptions(c, [cut]));
      const isSource = new Set(c.sources);
      c.graph.nodes.forEach((node, v) => {
        const spec = c.graph.schema.nodeKinds[node.kind]!;
        if (isSource.has(v) || spec.graded) return;
        const vertices = [1, 2, 3].map((l) => flow.stateVertex[v * 3 + l - 1]!).filter((x) => x >= 0);
        const removed = removedBy({ action: spec.principal ? 'disable' : 'revoke', id: node.id });
        if (vertices.length === 0) expect(removed).toBe(0);
        else {
          expect(vertices).toHaveLength(1);
          expect(flow.dominatedScore[vertices[0]!]).toBeCloseTo(removed, 9);
        }
      });
      for (let e = 0; e < c.graph.edgeCount; e++) {
        const vertices = flow.edgeVertices(e);
        if (vertices.length !== 1) continue;
        expect(flow.dominatedScore[vertices[0]!]).toBeCloseTo(removedBy({ action: 'remove-edge', id: edgeIdAt(c.graph, e) }), 9);
      }
      for (const [grant, vertices] of flow.grantVertices) {
        if (vertices.length !== 1) continue;
        expect(flow.dominatedScore[vertices[0]!]).toBeCloseTo(removedBy({ action: 'remove-grant', id: grant }), 9);
      }
    }), { numRuns: 150 });
  });

  it('under a depth bound a dominated score never exceeds what the cut removes', () => {
    fc.assert(fc.property(cutCaseArb(), fc.integer({ min: 1, max: 3 }), (c, depth) => {
      const bounded = { ...c, maxDepth: depth };
      const flow = reachDominators(c.graph, c.sources, reachOptionsOf(bounded));
      expect(flow.exact).toBe(false);
      const before = oracleScore(c.graph, c.sources, oracleOptions(bounded));
      for (let e = 0; e < c.graph.edgeCount; e++) {
        const vertices = flow.edgeVertices(e);
        if (vertices.length !== 1) continue;
        const removed = before - oracleScore(c.graph, c.sources, oracleOptions(bounded, [{ action: 'remove-edge', id: edgeIdAt(c.graph, e) }]));
        expect(flow.dominatedScore[vertices[0]!]!).toBeLessThanOrEqual(removed + 1e-9);
      }
    }), { numRuns: 100 });
  });

  it('the typed two-pass flow graph gives every state, edge and grant the score the first Map-keyed one did (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb(), fc.boolean(), (c, bounded) => {
      const options = reachOptionsOf(bounded ? { ...c, maxDepth: 2 } : c);
      const flow = reachDominators(c.graph, c.sources, options);
      const reference = referenceReachDominators(c.graph, c.sources, options);
      expect(flow.vertexCount).toBe(reference.vertexCount);
      expect(flow.exact).toBe(reference.exact);
      const scoresOf = (vertices: readonly number[], scores: Float64Array) => vertices.map((v) => scores[v]!).sort((a, b) => a - b);
      for (let slot = 0; slot < c.graph.nodeCount * 3; slot++) {
        const vertex = flow.stateVertex[slot]!;
        expect(vertex >= 0).toBe(reference.stateVertex[slot]! >= 0);
        if (vertex >= 0) {
          expect(flow.vertexSlot[vertex]).toBe(slot);
          expect(flow.dominatedScore[vertex]).toBeCloseTo(reference.dominatedScore[reference.stateVertex[slot]!]!, 9);
        }
      }
      for (let e = 0; e < c.graph.edgeCount; e++) {
        expect(scoresOf(flow.edgeVertices(e), flow.dominatedScore)).toEqual(scoresOf(reference.edgeVertices.get(e) ?? [], reference.dominatedScore));
      }
      expect([...flow.grantVertices.keys()].sort()).toEqual([...reference.grantVertices.keys()].sort());
      for (const [grant, vertices] of flow.grantVertices) {
        expect(scoresOf(vertices, flow.dominatedScore)).toEqual(scoresOf(reference.grantVertices.get(grant)!, reference.dominatedScore));
      }
    }), { numRuns: 150 });
  });

  it('asking about fewer edges changes no state, grant or asked edge score (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb(), fc.array(fc.boolean(), { maxLength: 40 }), (c, picks) => {
      const options = reachOptionsOf(c);
      const asked = new Uint8Array(c.graph.edgeCount);
      picks.forEach((pick, e) => { if (pick && e < asked.length) asked[e] = 1; });
      const full = reachDominators(c.graph, c.sources, options);
      const reduced = reachDominators(c.graph, c.sources, options, undefined, asked);
      for (let slot = 0; slot < c.graph.nodeCount * 3; slot++) {
        if (full.stateVertex[slot]! < 0) continue;
        expect(reduced.dominatedScore[reduced.stateVertex[slot]!]).toBeCloseTo(full.dominatedScore[full.stateVertex[slot]!]!, 9);
      }
      for (let e = 0; e < c.graph.edgeCount; e++) {
        if (asked[e] === 1) expect(reduced.edgeVertices(e).map((v) => reduced.dominatedScore[v])).toEqual(full.edgeVertices(e).map((v) => full.dominatedScore[v]));
        else expect(() => reduced.edgeVertices(e)).toThrow(/not among the edges asked/);
      }
      for (const [grant, vertices] of full.grantVertices) {
        expect(reduced.grantVertices.get(grant)!.map((v) => reduced.dominatedScore[v])).toEqual(vertices.map((v) => full.dominatedScore[v]));
      }
    }), { numRuns: 150 });
  });

  it('the score an edge without a use vertex removes is read off the arcs into its target, or not at all (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb({ depth: false }), (c) => {
      // No edge asked: every use is a plain arc, as for an edge that became a witness after the flow graph was built.
      const flow = reachDominators(c.graph, c.sources, reachOptionsOf(c), undefined, new Uint8Array(c.graph.edgeCount));
      const before = oracleScore(c.graph, c.sources, oracleOptions(c));
      for (let e = 0; e < c.graph.edgeCount; e++) {
        const id = edgeIdAt(c.graph, e);
        const twins: number[] = [];
        for (let f = 0; f < c.graph.edgeCount; f++) if (edgeIdAt(c.graph, f) === id) twins.push(f);
        const loss = edgeArcsLoss(flow, twins, c.graph);
        if (loss === undefined) continue;
        expect(loss).toBeCloseTo(before - oracleScore(c.graph, c.sources, oracleOptions(c, [{ action: 'remove-edge', id }])), 9);
      }
    }), { numRuns: 200 });
  });
});

describe('dominators after removing vertices', () => {
  it('equal the dominators of the graph without them, computed afresh (random flow graphs)', () => {
    fc.assert(fc.property(flowGraph, fc.array(fc.nat({ max: 9 }), { maxLength: 4 }), fc.array(fc.nat({ max: 9 }), { maxLength: 3 }), ({ n, arcs }, first, second) => {
      const { offsets, targets } = csr(n, arcs);
      const successors = { offsets, targets, edges: new Int32Array(targets.length).fill(-1) };
      const without = (removed: readonly number[]) => {
        const mask = new Uint8Array(n);
        for (const v of removed) if (v < n && v !== 0) mask[v] = 1;
        return immediateDominators(n, offsets, targets, 0, mask);
      };
      // Two rounds of removal, each from the previous round's dominators: what a plan's steps do.
      let current = immediateDominators(n, offsets, targets, 0);
      const removedSoFar = new Uint8Array(n);
      const all: number[] = [];
      for (const round of [first, second]) {
        const removed = round.filter((v) => v < n);
        for (const v of removed) if (v !== 0) removedSoFar[v] = 1;
        all.push(...removed);
        current = dominatorsWithout(successors, n, current, removed, removedSoFar);
        const expected = without(all);
        expect([...current.idom]).toEqual([...expected.idom]);
        // A dominator precedes what it dominates in the new numbering.
        for (let v = 0; v < n; v++) {
          if (current.idom[v]! < 0) expect(current.position[v]).toBe(-1);
          else if (v !== 0) expect(current.position[current.idom[v]!]!).toBeLessThan(current.position[v]!);
        }
      }
    }), { numRuns: 400 });
  });

  it('one vertex at a time, over many rounds, equal the dominators computed afresh (larger random flow graphs with cycles)', () => {
    // A plan removes one flow vertex per step: dominatorsWithout then recomputes only the vertices whose immediate
    // dominator changes. Graphs of up to 40 vertices and 160 arcs, so that most vertices have several
    // predecessors under different children of their dominator, and chains of such changes occur.
    fc.assert(fc.property(removalRounds, ({ n, arcs, order }) => {
      const { offsets, targets, successors } = spined(n, arcs);
      let current = immediateDominators(n, offsets, targets, 0);
      const removedSoFar = new Uint8Array(n);
      for (const v of order) {
        if (v === 0) continue;
        removedSoFar[v] = 1;
        current = dominatorsWithout(successors, n, current, [v], removedSoFar);
        const expected = immediateDominators(n, offsets, targets, 0, removedSoFar);
        expect([...current.idom]).toEqual([...expected.idom]);
        for (let x = 0; x < n; x++) {
          if (current.idom[x]! < 0) expect(current.position[x]).toBe(-1);
          else if (x !== 0) expect(current.position[current.idom[x]!]!).toBeLessThan(current.position[x]!);
        }
      }
    }), { numRuns: 600 });
  });

  it('the flow graph after a cut scores every state, edge and grant as the flow graph built under that cut (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb({ depth: false }), fc.nat(), (c, pick) => {
      const options = reachOptionsOf(c);
      const flow = reachDominators(c.graph, c.sources, options);
      const isSource = new Set(c.sources);
      const cuttable = [...c.graph.nodes.keys()].filter((v) => !isSource.has(v) && [1, 2, 3].some((l) => flow.stateVertex[v * 3 + l - 1]! >= 0));
      if (cuttable.length === 0) return;
      const v = cuttable[pick % cuttable.length]!;
      const removed = [1, 2, 3].map((l) => flow.stateVertex[v * 3 + l - 1]!).filter((x) => x >= 0);
      const blockedNodes = new Uint8Array(c.graph.nodeCount);
      blockedNodes[v] = 1;
      const cutOptions = { ...options, overlay: { blockedNodes } };
      const after = reachDominatorsWithout(c.graph, flow, removed, reach(c.graph, c.sources, cutOptions));
      const fresh = reachDominators(c.graph, c.sources, cutOptions);
      for (let slot = 0; slot < c.graph.nodeCount * 3; slot++) {
        const vertex = after.stateVertex[slot]!;
        const alive = vertex >= 0 && after.dominators.position[vertex]! >= 0;
        expect(alive).toBe(fresh.stateVertex[slot]! >= 0);
        if (alive) expect(after.dominatedScore[vertex]).toBeCloseTo(fresh.dominatedScore[fresh.stateVertex[slot]!]!, 9);
      }
      // An edge or grant vertex whose every use led into the cut node stays reached with nothing under it
      // (the flow graph built under the cut has no such vertex): only the scores that are not 0 compare.
      const aliveScores = (vertices: readonly number[], f: typeof flow) => vertices.filter((x) => f.dominators.position[x]! >= 0).map((x) => f.dominatedScore[x]!).filter((x) => x > 1e-12).sort((a, b) => a - b);
      for (let e = 0; e < c.graph.edgeCount; e++) expect(aliveScores(after.edgeVertices(e), after)).toEqual(aliveScores(fresh.edgeVertices(e), fresh).map((x) => expect.closeTo(x, 9)));
      for (const [grant, vertices] of after.grantVertices) expect(aliveScores(vertices, after)).toEqual(aliveScores(fresh.grantVertices.get(grant) ?? [], fresh).map((x) => expect.closeTo(x, 9)));
    }), { numRuns: 200 });
  });
});

describe('dominators written over the step before (a plan step after the first)', () => {
  it('dominatorsWithout into the previous dominators equals them computed afresh, round after round (random flow graphs with cycles)', () => {
    // Small and large affected regions both occur (the full run is taken past a quarter of the graph).
    fc.assert(fc.property(removalRounds, ({ n, arcs, order }) => {
      const { offsets, targets, successors } = spined(n, arcs);
      let current = immediateDominators(n, offsets, targets, 0);
      const removedSoFar = new Uint8Array(n);
      for (const v of order) {
        if (v === 0) continue;
        removedSoFar[v] = 1;
        const buffers = current;
        current = dominatorsWithout(successors, n, current, [v], removedSoFar, 0, current);
        // Written over the step before's arrays, not new ones.
        expect(current.idom).toBe(buffers.idom);
        expect(current.position).toBe(buffers.position);
        const expected = immediateDominators(n, offsets, targets, 0, removedSoFar);
        expect([...current.idom]).toEqual([...expected.idom]);
        expect(current.order.length).toBe(expected.order.length);
        for (let x = 0; x < n; x++) {
          if (current.idom[x]! < 0) expect(current.position[x]).toBe(-1);
          else {
            expect(current.order[current.position[x]!]).toBe(x);
            if (x !== 0) expect(current.position[current.idom[x]!]!).toBeLessThan(current.position[x]!);
          }
        }
      }
    }), { numRuns: 600 });
  });

  it('reachDominatorsWithout reusing the flow graph before gives the same dominators and scores, to the bit, as without (random graphs, two cuts)', () => {
    fc.assert(fc.property(cutCaseArb({ depth: false }), fc.nat(), fc.nat(), (c, first, second) => {
      const options = reachOptionsOf(c);
      const isSource = new Set(c.sources);
      const blockedNodes = new Uint8Array(c.graph.nodeCount);
      const cut = (flow: ReturnType<typeof reachDominators>, pick: number): number[] | undefined => {
        const cuttable = [...c.graph.nodes.keys()].filter((v) => !isSource.has(v) && blockedNodes[v] === 0 && [1, 2, 3].some((l) => flow.stateVertex[v * 3 + l - 1]! >= 0 && flow.dominators.position[flow.stateVertex[v * 3 + l - 1]!]! >= 0));
        if (cuttable.length === 0) return undefined;
        const v = cuttable[pick % cuttable.length]!;
        blockedNodes[v] = 1;
        return [1, 2, 3].map((l) => flow.stateVertex[v * 3 + l - 1]!).filter((x) => x >= 0 && flow.dominators.position[x]! >= 0);
      };
      const flow = reachDominators(c.graph, c.sources, options);
      const removed1 = cut(flow, first);
      if (!removed1) return;
      const after = (removed: number[], from: typeof flow, reuse: boolean) => reachDominatorsWithout(c.graph, from, removed, reach(c.graph, c.sources, { ...options, overlay: { blockedNodes } }), reuse);
      const step1 = after(removed1, flow, false);
      const removed2 = cut(step1, second);
      if (!removed2) return;
      const kept = after(removed2, after(removed1, flow, false), false);
      const reused = after(removed2, step1, true);
      expect(reused.dominatedScore).toBe(step1.dominatedScore);
      expect([...reused.dominators.idom]).toEqual([...kept.dominators.idom]);
      expect([...reused.dominators.position]).toEqual([...kept.dominators.position]);
      expect([...reused.dominators.order]).toEqual([...kept.dominators.order]);
      expect([...reused.dominatedScore]).toEqual([...kept.dominatedScore]);
      expect([...reused.removedVertices!]).toEqual([...kept.removedVertices!]);
    }), { numRuns: 200 });
  });
});
