// The evidence overlay, resolver and store against brute-force readings of their documented rules
// (docs/evidence.md), on random graphs with random observations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reach } from '../../../engine/analysis/reach.ts';
import { anomalyHints, ipRange } from '../../../engine/evidence/anomaly.ts';
import { evidenceOverlay, reachSelection, statusName, type EvidenceWindow } from '../../../engine/evidence/overlay.ts';
import { IDENTIFIER_PROPERTIES, localIds, MIN_NAMING, resolveStore } from '../../../engine/evidence/resolve.ts';
import { createStore, decodeStore, encodeStore, observationsOf, refAt, windowRange } from '../../../engine/evidence/store.ts';
import type { NodeRef, Observation } from '../../../engine/evidence/types.ts';
import type { GraphNode } from '../../../engine/format/native.ts';
import { identifierFingerprints } from '../../../engine/identifiers.ts';
import { buildGraph, type CompactGraph } from '../../../engine/store/compact.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';

const RUNS = 150;
const HOUR = 3_600_000;

/** A random graph whose nodes carry names that repeat, e-mails, fingerprints and identifier properties. */
const evidenceGraph = randomGraph({ minNodes: 2, maxNodes: 12, minEdges: 4, maxEdges: 30 }).map(({ nodes, edges }) => {
  const dressed = nodes.map((node, i): GraphNode => ({
    ...node,
    name: `name${i % 4}`,
    ...(i % 3 === 0 ? { email: `User${i % 5}@example.com` } : {}),
    ...(i % 4 === 1 ? { fingerprint: `fp${i % 6}` } : {}),
    ...(i % 5 === 2 ? { properties: { arn: `arn:${i % 7}` } } : {}),
    tenant: i % 2 === 0 ? 't' : 'u',
  }));
  return { nodes: dressed, graph: buildGraph({ nodes: dressed, edges }) };
});

const idArb = (nodes: readonly GraphNode[]) => fc.oneof(
  fc.constantFrom(...nodes.map((n) => n.id)),
  fc.constantFrom(...nodes.map((n) => n.name.toUpperCase())),
  fc.constantFrom('user0@example.com', 'USER1@EXAMPLE.COM', 'fp1', 'fp5', 'arn:2', 'arn:0', 'nobody', 'name9'),
);

const refArb = (nodes: readonly GraphNode[]): fc.Arbitrary<NodeRef> => fc.record({
  platform: fc.constantFrom('p1', 'p2', 'p3'),
  tenant: fc.constantFrom(undefined, 't', 'U'),
  ids: fc.array(idArb(nodes), { minLength: 1, maxLength: 3 }),
}).map(({ tenant, ...ref }) => (tenant === undefined ? ref : { ...ref, tenant }));

const observationArb = (nodes: readonly GraphNode[]): fc.Arbitrary<Observation> => fc.record({
  at: fc.integer({ min: -20, max: 20 }).map((h) => AT + h * HOUR),
  actor: refArb(nodes),
  target: fc.option(refArb(nodes), { nil: undefined }),
  action: fc.constantFrom('GetObject', 'ListBuckets', 'CreateAccessKey', 'Login'),
  family: fc.constantFrom('s3', 'iam', 'sts'),
  category: fc.constantFrom('read', 'bulk', 'persistence', 'auth'),
  outcome: fc.constantFrom('success', 'success', 'failure', 'blocked'),
  count: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
  ip: fc.option(fc.constantFrom('198.51.100.7', '198.51.100.9', '203.0.113.5', '2001:db8:1::5'), { nil: undefined }),
  userAgent: fc.option(fc.constantFrom('aws-cli/2', 'python-requests/2.31'), { nil: undefined }),
  source: fc.constantFrom('aws-cloudtrail', 'okta-system-log'),
  eventId: fc.option(fc.integer({ min: 0, max: 30 }).map(String), { nil: undefined }),
}).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as unknown as Observation);

interface Case { g: { nodes: GraphNode[]; graph: CompactGraph }; observations: Observation[]; window: EvidenceWindow; sources: number[]; pick: number[] }

const caseArb: fc.Arbitrary<Case> = evidenceGraph.chain((g) => fc.record({
  g: fc.constant(g),
  observations: fc.array(observationArb(g.nodes), { maxLength: 40 }),
  window: fc.record({ from: fc.oneof(fc.constant(-Infinity), fc.integer({ min: -10, max: 5 }).map((h) => AT + h * HOUR)), span: fc.integer({ min: 0, max: 15 }) })
    .map(({ from, span }) => ({ from, to: (Number.isFinite(from) ? from : AT) + span * HOUR })),
  sources: fc.array(fc.nat({ max: g.nodes.length - 1 }), { minLength: 1, maxLength: 2 }),
  pick: fc.array(fc.nat({ max: g.nodes.length - 1 }), { maxLength: 6 }),
}));

// ---- the brute-force readings ----

function oracleResolve(graph: CompactGraph, ref: NodeRef): number[] {
  const found: number[] = [];
  for (const id of ref.ids) {
    const keys = identifierFingerprints(id);
    let list: number[] = [];
    for (let v = 0; v < graph.nodeCount; v++) {
      const n = graph.nodes[v]!;
      if (n.platform !== ref.platform) continue;
      const props = IDENTIFIER_PROPERTIES.map((k) => n.properties?.[k]).filter((x): x is string => typeof x === 'string');
      const exact = [n.id, ...localIds(n.id), n.fingerprint, n.hint, n.nativeId, ...props].some((x) => x !== undefined && keys.includes(x));
      const folded = [n.email, n.name].some((x) => x !== undefined && x.toLowerCase() === id.toLowerCase());
      if (exact || folded) list.push(v);
    }
    if (list.length > 1 && ref.tenant !== undefined) {
      const same = list.filter((v) => graph.nodes[v]!.tenant.toLowerCase() === ref.tenant!.toLowerCase());
      if (same.length > 0) list = same;
    }
    if (list.length > 1) {
      const named = list.filter((v) => ref.ids.some((other) => other !== id && other.length >= MIN_NAMING && graph.nodes[v]!.id.includes(other)));
      if (named.length === 1) list = named;
    }
    if (list.length === 1 && !found.includes(list[0]!)) found.push(list[0]!);
  }
  return found;
}

function oracleStatuses(graph: CompactGraph, observations: readonly Observation[], window: EvidenceWindow, nodes: Uint8Array, edges: Uint8Array) {
  const resolved = observations.map((o) => {
    const actor = oracleResolve(graph, o.actor);
    const target = o.target ? oracleResolve(graph, o.target) : [];
    return { o, actor, primary: actor[0] ?? -1, touched: [...new Set([...actor, ...target])] };
  });
  const known = (a: number, o: Observation): boolean => {
    if (o.ip === undefined) return false;
    const past = resolved.filter((r) => r.primary === a && r.o.at < window.from && r.o.outcome === 'success');
    return past.some((r) => r.o.ip === o.ip) && (o.userAgent === undefined || past.some((r) => r.o.userAgent === o.userAgent));
  };
  const counted = resolved.map((r) => ({ ...r, acting: r.actor.find((v) => nodes[v] === 1) ?? -1 }))
    .filter((r) => r.o.at >= window.from && r.o.at <= window.to && r.acting >= 0)
    .map((r) => ({ ...r, suspect: r.o.outcome === 'success' && !known(r.acting, r.o) }));
  const classify = (events: typeof counted) => {
    if (events.length === 0) return { status: 'possible' };
    const suspect = events.filter((e) => e.suspect);
    if (suspect.length > 0) return { status: 'observed', count: suspect.length, first: Math.min(...suspect.map((e) => e.o.at)), last: Math.max(...suspect.map((e) => e.o.at)) };
    const failed = events.filter((e) => e.o.outcome !== 'success').length;
    return { status: 'contradicted', reason: failed === events.length ? 'blocked' : failed === 0 ? 'known-origin' : 'mixed', count: events.length, first: Math.min(...events.map((e) => e.o.at)), last: Math.max(...events.map((e) => e.o.at)) };
  };
  const nodeStatus = new Map<number, ReturnType<typeof classify>>();
  for (let v = 0; v < graph.nodeCount; v++) if (nodes[v] === 1) nodeStatus.set(v, classify(counted.filter((e) => e.touched.includes(v))));
  const edgeStatus = new Map<number, ReturnType<typeof classify>>();
  for (let e = 0; e < graph.edgeCount; e++) {
    if (edges[e] !== 1) continue;
    const u = graph.edgeSrc[e]!;
    const w = graph.edgeDst[e]!;
    edgeStatus.set(e, classify(u === w ? [] : counted.filter((c) => c.touched.includes(u) && c.touched.includes(w) && nodes[u] === 1 && nodes[w] === 1)));
  }
  return { nodeStatus, edgeStatus };
}

function deduped(observations: readonly Observation[]): Observation[] {
  const seen = new Set<string>();
  return observations.filter((o) => {
    if (o.eventId === undefined) return true;
    const key = `${o.source}|${o.eventId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

describe('evidence overlay (property tests against brute force)', () => {
  it('the random cases exercise every status (the generator is not vacuous)', () => {
    const seen = { observed: 0, contradicted: 0, possible: 0, edgesObserved: 0, resolved: 0, ambiguous: 0 };
    fc.assert(fc.property(caseArb, ({ g, observations, window, sources }) => {
      const store = createStore(observations);
      const resolution = resolveStore(g.graph, store);
      const selection = reachSelection(reach(g.graph, sources, { at: AT }));
      const overlay = evidenceOverlay(g.graph, store, resolution, window, selection.nodes, selection.edges);
      seen.observed += overlay.totals.nodes.observed;
      seen.contradicted += overlay.totals.nodes.contradicted;
      seen.possible += overlay.totals.nodes.possible;
      seen.edgesObserved += overlay.totals.edges.observed;
      seen.resolved += resolution.resolvedEvents;
      seen.ambiguous += resolution.unresolved.filter((u) => u.why === 'ambiguous').length;
    }), { numRuns: RUNS, seed: 7 });
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });

  it('the resolver names exactly the nodes the brute-force reading of the rules names', () => {
    fc.assert(fc.property(caseArb, ({ g, observations }) => {
      const store = createStore(observations);
      const resolution = resolveStore(g.graph, store);
      store.refs.forEach((_, r) => {
        const expected = oracleResolve(g.graph, refAt(store, r));
        expect(resolution.nodes[r]).toEqual(expected);
        expect(resolution.node[r]).toBe(expected[0] ?? -1);
      });
      expect(resolution.unresolved.length).toBe(store.refs.filter((_, r) => resolution.node[r] === -1).length);
    }), { numRuns: RUNS });
  });

  it('every node and edge gets the status the rules give it, with the same counts and times', () => {
    fc.assert(fc.property(caseArb, ({ g, observations, window, sources, pick }) => {
      const store = createStore(observations);
      const resolution = resolveStore(g.graph, store);
      // Two selections: a traversal's, and the same with random extra nodes.
      const fromReach = reachSelection(reach(g.graph, sources, { at: AT }));
      const extra = { nodes: fromReach.nodes.slice(), edges: fromReach.edges.slice() };
      for (const v of pick) extra.nodes[v] = 1;
      for (const selection of [fromReach, extra]) {
        const overlay = evidenceOverlay(g.graph, store, resolution, window, selection.nodes, selection.edges);
        const oracle = oracleStatuses(g.graph, deduped(observations), window, selection.nodes, selection.edges);
        for (let v = 0; v < g.graph.nodeCount; v++) {
          const want = oracle.nodeStatus.get(v);
          expect(statusName(overlay.nodeStatus[v]!)).toBe(want?.status);
          if (want && want.status !== 'possible') {
            const facts = overlay.nodeFacts.get(v)!;
            expect({ status: facts.status, count: facts.count, first: Date.parse(facts.first), last: Date.parse(facts.last), ...(facts.reason ? { reason: facts.reason } : {}) }).toEqual(want);
          }
        }
        for (let e = 0; e < g.graph.edgeCount; e++) {
          const want = oracle.edgeStatus.get(e);
          expect(statusName(overlay.edgeStatus[e]!)).toBe(want?.status);
          if (want && want.status !== 'possible') expect(overlay.edgeFacts.get(e)!.count).toBe(want.count);
        }
      }
    }), { numRuns: RUNS });
  });

  it('the store keeps every event once, in time order, through encoding; a window query returns exactly the events inside it', () => {
    fc.assert(fc.property(caseArb, ({ observations, window }) => {
      const store = createStore(observations);
      const back = decodeStore(encodeStore(store));
      const events = observationsOf(back);
      const sortKey = (o: Observation) => JSON.stringify(Object.entries(o).sort());
      expect(events.map(sortKey).sort()).toEqual(deduped(observations).map(sortKey).sort());
      for (let i = 1; i < events.length; i++) expect(events[i]!.at).toBeGreaterThanOrEqual(events[i - 1]!.at);
      const [start, end] = windowRange(back, window.from, window.to);
      expect(end - start).toBe(events.filter((o) => o.at >= window.from && o.at <= window.to).length);
      for (let i = start; i < end; i++) expect(events[i]!.at >= window.from && events[i]!.at <= window.to).toBe(true);
    }), { numRuns: RUNS });
  });

  it('an anomaly hint names only values the actor never used before the window', () => {
    fc.assert(fc.property(caseArb, ({ g, observations, window, sources }) => {
      if (!Number.isFinite(window.from)) return;
      const store = createStore(observations);
      const resolution = resolveStore(g.graph, store);
      const selection = reachSelection(reach(g.graph, sources, { at: AT }));
      const events = deduped(observations);
      for (const hint of anomalyHints(g.graph, store, resolution, window, selection.nodes)) {
        const v = g.graph.indexOf.get(hint.node)!;
        const past = events.filter((o) => o.at < window.from && o.outcome === 'success' && oracleResolve(g.graph, o.actor)[0] === v);
        if (hint.kind === 'no-history') expect(past).toEqual([]);
        if (hint.kind === 'new-ip-range') for (const range of hint.values) expect(past.some((o) => o.ip !== undefined && ipRange(o.ip) === range)).toBe(false);
        if (hint.kind === 'new-user-agent') for (const agent of hint.values) expect(past.some((o) => o.userAgent === agent)).toBe(false);
        if (hint.kind === 'new-family') for (const family of hint.values) expect(past.some((o) => o.family === family)).toBe(false);
      }
    }), { numRuns: RUNS });
  });
});
