// Property tests of reach on small random graphs: equality with a brute-force fixpoint, witness paths
// that replay, monotonicity, mitigations that never grow the radius, and agreement with the store path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reachThroughStore } from '../../../engine/analysis/frontier-reach.ts';
import { describeRadius } from '../../../engine/analysis/radius.ts';
import { dormantPath, hopsAtLeast, reach, witnessPath, type ReachOptions, type ReachResult } from '../../../engine/analysis/reach.ts';
import { nodePoints, scoreLevels } from '../../../engine/analysis/score.ts';
import type { GraphEdge } from '../../../engine/format/native.ts';
import { DEFAULT_SCHEMA, LEVEL_CODE, levelName, type Level } from '../../../engine/schema/index.ts';
import { buildGraph, type CompactGraph } from '../../../engine/store/compact.ts';
import { MemoryStore } from '../../../engine/store/memory.ts';
import { AT, reachableGraph, type RandomGraph } from '../../helpers/arbitraries.ts';
import { oracleReach, usableAt, usableNodes } from '../../helpers/oracle.ts';

const RUNS = 200;
const EDGE_KIND_NAMES = Object.keys(DEFAULT_SCHEMA.edgeKinds);

interface Case {
  g: RandomGraph;
  sources: number[];
  options: ReachOptions & { at: number };
}

/** `arb` one time in `1 + rarity`, otherwise undefined. */
const sometimes = <T>(arb: fc.Arbitrary<T>, rarity: number) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: rarity }, { arbitrary: arb, weight: 1 });

/** Random sources (mostly usable ones) and random options (depth, filters, conditions, source level, overlay). */
function caseArb(withOverlay = true): fc.Arbitrary<Case> {
  return reachableGraph().chain((g) => {
    const n = g.graph.nodeCount;
    const m = g.graph.edgeCount;
    const usable = g.nodes.map((_, v) => v).filter((v) => usableAt(g.nodes[v]!, AT));
    const source = usable.length > 0
      ? fc.oneof({ arbitrary: fc.constantFrom(...usable), weight: 4 }, { arbitrary: fc.nat({ max: n - 1 }), weight: 1 })
      : fc.nat({ max: n - 1 });
    return fc.record({
      sources: fc.array(source, { minLength: 1, maxLength: 3 }),
      maxDepth: sometimes(fc.integer({ min: 0, max: 5 }), 1),
      edgeKinds: sometimes(fc.subarray(EDGE_KIND_NAMES), 4),
      excludeEdgeKinds: sometimes(fc.subarray(EDGE_KIND_NAMES, { maxLength: 3 }), 4),
      enforceConditions: sometimes(fc.constant(['mfa']), 2),
      sourceLevel: sometimes(fc.constantFrom<Level>('read', 'write', 'admin'), 2),
      blockedNodes: withOverlay ? sometimes(fc.uint8Array({ min: 0, max: 1, minLength: n, maxLength: n }), 3) : fc.constant(undefined),
      blockedEdges: withOverlay ? sometimes(fc.uint8Array({ min: 0, max: 1, minLength: m, maxLength: m }), 3) : fc.constant(undefined),
    }).map(({ sources, blockedNodes, blockedEdges, ...rest }) => {
      // Absent rather than undefined, so the options read exactly as a caller would write them.
      const options = Object.fromEntries(Object.entries({ at: AT, ...rest }).filter(([, value]) => value !== undefined)) as unknown as Case['options'];
      if (blockedNodes || blockedEdges) options.overlay = { blockedNodes, blockedEdges };
      return { g, sources, options };
    });
  });
}

const oracleOf = ({ g, sources, options }: Case) =>
  oracleReach(g.graph, sources, { ...options, blockedNodes: options.overlay?.blockedNodes, blockedEdges: options.overlay?.blockedEdges });

/** Everything wrong with the witness path of (v, lvl), replayed from the raw graph; empty when it holds. */
function witnessProblems(graph: CompactGraph, result: ReachResult, v: number, lvl: number, options: Case['options']): string[] {
  const problems: string[] = [];
  const path = witnessPath(result, v, lvl);
  const start = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  const alive = usableNodes(graph, options.at);
  const usable = (u: number) => alive[u]! && options.overlay?.blockedNodes?.[u] !== 1;
  const include = options.edgeKinds ? new Set(options.edgeKinds) : undefined;
  const exclude = new Set(options.excludeEdgeKinds ?? []);
  const enforce = new Set(options.enforceConditions ?? []);
  if (path.length !== result.hops[v * 3 + lvl - 1]) problems.push(`length ${path.length} but hops ${result.hops[v * 3 + lvl - 1]}`);
  const first = path[0];
  const origin = first ? first.from : v;
  const originLevel = first ? first.fromLevel : lvl;
  if (!result.sources.includes(origin)) problems.push(`starts at ${origin}, not a source`);
  if (originLevel !== start) problems.push(`starts at level ${originLevel}, sources are held at ${start}`);
  if (!usable(origin)) problems.push(`source ${origin} is not usable`);
  path.forEach((step, i) => {
    const e = step.edge;
    const kind = graph.edgeKindNames[graph.edgeKind[e]!]!;
    const spec = graph.schema.edgeKinds[kind]!;
    const where = `step ${i} (${kind} ${step.from}->${step.to})`;
    if (graph.edgeSrc[e] !== step.from || graph.edgeDst[e] !== step.to) problems.push(`${where}: edge ${e} does not join these nodes`);
    if (!spec.traversable) problems.push(`${where}: not traversable`);
    if ((include && !include.has(kind)) || exclude.has(kind)) problems.push(`${where}: kind filtered out`);
    if (graph.edgeAttrs[e]?.conditions?.some((c) => enforce.has(c))) problems.push(`${where}: blocked by an enforced condition`);
    if (options.overlay?.blockedEdges?.[e] === 1) problems.push(`${where}: blocked by the overlay`);
    if (step.fromLevel < LEVEL_CODE[spec.requires]) problems.push(`${where}: holds ${step.fromLevel}, requires ${spec.requires}`);
    const grant = spec.grants === 'same' ? step.fromLevel : LEVEL_CODE[spec.grants];
    if (step.toLevel !== grant) problems.push(`${where}: claims level ${step.toLevel}, the rule grants ${grant}`);
    if (!usable(step.to)) problems.push(`${where}: ${step.to} is not usable at the instant`);
    const previous = path[i - 1];
    if (previous && (previous.to !== step.from || previous.toLevel !== step.fromLevel)) problems.push(`${where}: does not continue the previous step`);
  });
  const last = path.at(-1);
  if (last && (last.to !== v || last.toLevel !== lvl)) problems.push(`ends at ${last.to} level ${last.toLevel}, not ${v} level ${lvl}`);
  return problems;
}

const levelsOf = (result: ReachResult) => [...result.level];

describe('reach equals a brute-force fixpoint', () => {
  it('(a) the level of every node equals the oracle', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      expect(levelsOf(reach(c.g.graph, c.sources, c.options))).toEqual(oracleOf(c).level);
    }), { numRuns: RUNS });
  });

  it('(b) the fewest hops to hold at least each level equals the oracle', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      const result = reach(c.g.graph, c.sources, c.options);
      const oracle = oracleOf(c);
      for (let v = 0; v < c.g.graph.nodeCount; v++) {
        for (let l = 1; l <= 3; l++) expect(hopsAtLeast(result, v, l), `node ${v} level ${l}`).toBe(oracle.fewest[v]![l]);
      }
    }), { numRuns: RUNS });
  });

  it('the dormant nodes and the level they would have given equal the oracle', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      const result = reach(c.g.graph, c.sources, c.options);
      const got = [...result.dormant].map(([v, info]) => [v, { level: info.level, hops: info.hops }] as const).sort((a, b) => a[0] - b[0]);
      const want = [...oracleOf(c).dormant].sort((a, b) => a[0] - b[0]);
      expect(got).toEqual(want);
    }), { numRuns: RUNS });
  });

  it('(c) every witness path (and the path to every dormant node) replays from a source to the reported level in the reported hops', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      const { graph } = c.g;
      const result = reach(graph, c.sources, c.options);
      for (let v = 0; v < graph.nodeCount; v++) {
        for (let l = 1; l <= 3; l++) {
          if (result.hops[v * 3 + l - 1]! < 0) continue;
          expect(witnessProblems(graph, result, v, l, c.options), `node ${v} level ${l}`).toEqual([]);
        }
      }
      expect(new Set(result.order).size).toBe(result.order.length);
      expect([...result.order].sort((a, b) => a - b)).toEqual(result.level.reduce<number[]>((acc, l, v) => (l > 0 ? [...acc, v] : acc), []));
      for (const [v, info] of result.dormant) {
        if (info.viaEdge < 0) {
          expect(c.sources).toContain(v);
          expect(dormantPath(result, v)).toEqual([]);
          continue;
        }
        const path = dormantPath(result, v);
        const last = path.at(-1)!;
        const from = graph.edgeSrc[info.viaEdge]!;
        expect(witnessProblems(graph, result, from, info.viaLevel, c.options), `dormant ${v} via ${from}`).toEqual([]);
        expect(path).toHaveLength(info.hops);
        expect(last).toMatchObject({ edge: info.viaEdge, from, to: v, fromLevel: info.viaLevel, toLevel: info.level });
        expect(graph.edgeDst[info.viaEdge]).toBe(v);
        expect(usableNodes(graph, c.options.at)[v]! && c.options.overlay?.blockedNodes?.[v] !== 1).toBe(false);
      }
      const radius = describeRadius(result, c.options);
      for (const entry of radius.reached) {
        const v = graph.indexOf.get(entry.id)!;
        expect(entry.level).toBe(levelName(result.level[v]!));
        expect(entry.path).toHaveLength(entry.hops);
        expect(entry.path.at(-1)?.level ?? entry.level).toBe(entry.level);
        expect(entry.path.at(-1)?.to.id).toBe(entry.id);
      }
    }), { numRuns: RUNS });
  });
});

describe('monotonicity', () => {
  /** A schema-valid edge between random nodes, or undefined when the kind has no endpoints here. */
  const extraEdge = (g: RandomGraph, k: number, a: number, b: number): GraphEdge | undefined => {
    const [kind, spec] = Object.entries(DEFAULT_SCHEMA.edgeKinds)[k % EDGE_KIND_NAMES.length]!;
    const froms = g.nodes.filter((node) => spec.from.includes(node.kind));
    const tos = g.nodes.filter((node) => spec.to.includes(node.kind));
    if (froms.length === 0 || tos.length === 0) return undefined;
    return { kind, from: froms[a % froms.length]!.id, to: tos[b % tos.length]!.id };
  };

  const noWorse = (before: ReachResult, after: ReachResult, n: number) => {
    for (let v = 0; v < n; v++) {
      expect(after.level[v]!, `level of ${v}`).toBeGreaterThanOrEqual(before.level[v]!);
      for (let l = 1; l <= before.level[v]!; l++) {
        expect(hopsAtLeast(after, v, l), `hops of ${v} at ${l}`).toBeLessThanOrEqual(hopsAtLeast(before, v, l));
      }
    }
  };

  it('(d) adding a schema-valid edge never lowers a level nor lengthens a path', () => {
    fc.assert(fc.property(caseArb(false), fc.nat(), fc.nat(), fc.nat(), (c, k, a, b) => {
      const edge = extraEdge(c.g, k, a, b);
      fc.pre(edge !== undefined);
      const grown = buildGraph({ nodes: c.g.nodes, edges: [...c.g.edges, edge!] });
      noWorse(reach(c.g.graph, c.sources, c.options), reach(grown, c.sources, c.options), c.g.graph.nodeCount);
    }), { numRuns: RUNS });
  });

  it('(d) adding a source never lowers a level nor lengthens a path', () => {
    fc.assert(fc.property(caseArb(false), fc.nat(), (c, pick) => {
      const extra = pick % c.g.graph.nodeCount;
      noWorse(reach(c.g.graph, c.sources, c.options), reach(c.g.graph, [...c.sources, extra], c.options), c.g.graph.nodeCount);
    }), { numRuns: RUNS });
  });

  it('(e) an overlay never raises a level and never adds a reached node', () => {
    fc.assert(fc.property(caseArb(false), fc.nat(), (c, seed) => {
      const { graph } = c.g;
      const blockedNodes = Uint8Array.from({ length: graph.nodeCount }, (_, i) => ((seed >> (i % 30)) & 1) === 1 && i % 3 === seed % 3 ? 1 : 0);
      const blockedEdges = Uint8Array.from({ length: graph.edgeCount }, (_, i) => ((seed >> (i % 30)) & 1));
      const base = reach(graph, c.sources, c.options);
      for (const overlay of [{ blockedNodes }, { blockedEdges }, { blockedNodes, blockedEdges }]) {
        const cut = reach(graph, c.sources, { ...c.options, overlay });
        for (let v = 0; v < graph.nodeCount; v++) expect(cut.level[v]!).toBeLessThanOrEqual(base.level[v]!);
        expect(cut.order.filter((v) => !base.order.includes(v))).toEqual([]);
      }
    }), { numRuns: RUNS });
  });

  it('(f) enforcing conditions never grows the radius', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      const base = reach(c.g.graph, c.sources, { ...c.options, enforceConditions: undefined });
      const enforced = reach(c.g.graph, c.sources, { ...c.options, enforceConditions: ['mfa'] });
      for (let v = 0; v < c.g.graph.nodeCount; v++) expect(enforced.level[v]!).toBeLessThanOrEqual(base.level[v]!);
    }), { numRuns: RUNS });
  });
});

describe('other views of the same reach', () => {
  it('(g) reachThroughStore over a MemoryStore gives the same levels, hops and dormant set as reach', async () => {
    await fc.assert(fc.asyncProperty(caseArb(false), async (c) => {
      const { graph } = c.g;
      const result = reach(graph, c.sources, c.options);
      const viaStore = await reachThroughStore(new MemoryStore(graph), c.sources.map((s) => graph.nodes[s]!.id), c.options);
      const levels = new Map<string, number>();
      const hops = new Map<string, number>();
      for (const v of result.order) {
        levels.set(graph.nodes[v]!.id, result.level[v]!);
        hops.set(graph.nodes[v]!.id, hopsAtLeast(result, v, result.level[v]!));
      }
      const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      expect(sorted(viaStore.level)).toEqual(sorted(levels));
      expect(sorted(viaStore.hops)).toEqual(sorted(hops));
      const dormant = new Map([...result.dormant].filter(([v]) => result.level[v] === 0).map(([v, info]) => [graph.nodes[v]!.id, info.level]));
      expect(sorted(viaStore.dormant)).toEqual(sorted(dormant));
    }), { numRuns: 150 });
  });

  it('(h) the score is the sum of nodePoints over reached non-source nodes, and its parts add up', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      const { graph } = c.g;
      const result = reach(graph, c.sources, c.options);
      const radius = describeRadius(result, c.options);
      let data = 0;
      let principals = 0;
      for (let v = 0; v < graph.nodeCount; v++) {
        if (result.level[v] === 0 || c.sources.includes(v)) continue;
        const points = nodePoints(graph, v, result.level[v]!);
        if (DEFAULT_SCHEMA.nodeKinds[graph.nodes[v]!.kind]!.graded) data += points;
        else principals += points;
      }
      expect(radius.score).toBeCloseTo(data + principals, 9);
      expect(radius.scoreParts.data).toBeCloseTo(data, 9);
      expect(radius.scoreParts.principals).toBe(principals);
      expect(radius.scoreParts.data + radius.scoreParts.principals).toBeCloseTo(radius.score, 9);
      expect(radius.score).toBeCloseTo(scoreLevels(graph, result.level, c.sources), 9);
      expect(radius.reached.reduce((sum, entry) => sum + entry.points, 0)).toBeCloseTo(radius.score, 9);
      expect(radius.reachedCount).toBe(result.order.filter((v) => !c.sources.includes(v)).length);
    }), { numRuns: RUNS });
  });
});
