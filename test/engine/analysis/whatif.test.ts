// What-if: known answers on the Drift scenario and on small level scenarios, the stored graph left
// untouched, and properties on random graphs (a mitigation never grows the radius; the diff adds up).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMitigations, type Mitigation } from '../../../engine/analysis/mitigations.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { whatIf } from '../../../engine/analysis/whatif.ts';
import type { GraphEdge } from '../../../engine/format/native.ts';
import { renderWhatIfMarkdown, renderWhatIfText } from '../../../engine/report/whatif.ts';
import { buildGraph, edgeIdAt, toFragment, type CompactGraph } from '../../../engine/store/compact.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';
import { oracleReach } from '../../helpers/oracle.ts';
import { referenceWhatIf } from '../../helpers/reference-whatif.ts';
import { driftScenario, scenario } from '../../helpers/scenario.ts';

const at = AT;
const ids = (entries: readonly { id: string }[]): string[] => entries.map((entry) => entry.id).sort();

describe('whatIf on the Drift scenario', () => {
  const s = driftScenario();
  const drift = [s.ix('drift')];
  const lostBehindSalesforce = ['cases', 'case1', 'awsKey', 'awsUser', 'bucket'].map((h) => s.id(h)).sort();

  it('revoking the Salesforce token cuts off everything behind it, the token included', () => {
    const result = whatIf(s.graph, drift, [{ revoke: s.id('sfToken') }], { at });
    expect(ids(result.removed)).toEqual([...lostBehindSalesforce, s.id('sfToken')].sort());
    expect(result.lowered).toEqual([]);
    expect(result.unchangedCount).toBe(2);
    // Before: tokens 1+1, cases 8 (pii, read), case1 1, mailbox 8, awsKey 1, awsUser 1, bucket 10 x write 2 = 41.
    expect([result.scoreBefore, result.scoreAfter, result.scoreDelta]).toEqual([41, 9, -32]);
    expect(result.crownJewelsCut).toEqual([expect.objectContaining({ id: s.id('bucket'), levelBefore: 'write' })]);
    expect(result.after.crownJewels).toEqual([]);
  });

  it('removing scope api from the Salesforce grant has the same effect, but the token itself stays reached', () => {
    const result = whatIf(s.graph, drift, [{ removeScope: { grant: s.id('sfToken'), scope: 'api' } }], { at });
    expect(ids(result.removed)).toEqual(lostBehindSalesforce);
    expect([result.scoreBefore, result.scoreAfter]).toEqual([41, 10]);
    expect(result.mitigations[0]!.edges).toHaveLength(1);
  });

  it('disabling the compromised app itself leaves nothing reachable', () => {
    const result = whatIf(s.graph, drift, [{ disable: 'drift' }], { at });
    expect(result.after.reachedCount).toBe(0);
    expect(result.scoreAfter).toBe(0);
    expect(result.removed).toHaveLength(result.before.reachedCount);
  });

  it('a mitigation off every path changes nothing', () => {
    const result = whatIf(s.graph, drift, [{ revoke: 'oldKey' }], { at });
    expect(result.removed).toEqual([]);
    expect(result.lowered).toEqual([]);
    expect(result.scoreDelta).toBe(0);
    expect(result.unchangedCount).toBe(result.before.reachedCount);
  });

  it('leaves the stored graph unchanged', () => {
    const fresh = driftScenario();
    const fragmentBefore = JSON.stringify(toFragment(fresh.graph));
    const radiusBefore = blastRadius(fresh.graph, [fresh.ix('drift')], { at });
    whatIf(fresh.graph, [fresh.ix('drift')], [{ revoke: 'sfToken' }, { removeEdge: edgeIdAt(fresh.graph, 0) }, { disable: 'awsUser' }], { at });
    expect(JSON.stringify(toFragment(fresh.graph))).toBe(fragmentBefore);
    expect(blastRadius(fresh.graph, [fresh.ix('drift')], { at })).toEqual(radiusBefore);
  });

  it('keeps a baseline overlay from the options on both sides', () => {
    const baseline = compileMitigations(s.graph, [{ revoke: 'mailGrant' }]).overlay;
    const result = whatIf(s.graph, drift, [{ revoke: 'sfToken' }], { at, overlay: baseline });
    expect(result.before.reachedCount).toBe(6);
    expect(result.after.reachedCount).toBe(0);
  });

  it('the text report leads with the score change and names what was cut off', () => {
    const text = renderWhatIfText(whatIf(s.graph, drift, [{ revoke: 'sfToken', description: 'rotate the Drift token' }], { at }));
    expect(text).toContain('Score 41 -> 9 (-32, -78.05%)');
    expect(text).toContain('1. rotate the Drift token');
    expect(text).toMatch(/CROWN JEWELS CUT OFF \(1\)\n {2}WRITE bucket/);
    expect(text).toContain('NO LONGER REACHED (6)');
  });
});

describe('whatIf levels', () => {
  // app holds two keys: one writes the drive, the other only reads it; the drive contains a folder.
  const s = scenario((b) => {
    b.app('app');
    b.credential('writer');
    b.credential('reader');
    b.resource('drive', { tags: ['pii'] });
    b.resource('folder', { sensitivity: 5 });
    b.edge('HOLDS', 'app', 'writer').edge('HOLDS', 'app', 'reader')
      .edge('CAN_WRITE', 'writer', 'drive').edge('CAN_READ', 'reader', 'drive')
      .edge('CONTAINS', 'drive', 'folder');
  });

  it('revoking the write path lowers the drive and what it contains to read', () => {
    const result = whatIf(s.graph, [s.ix('app')], [{ revoke: 'writer' }], { at });
    expect(ids(result.removed)).toEqual([s.id('writer')]);
    expect(result.lowered.map((e) => [s.handleOf(s.graph.indexOf.get(e.id)!), e.levelBefore, e.levelAfter])).toEqual([
      ['drive', 'write', 'read'],
      ['folder', 'write', 'read'],
    ]);
    // drive 8 x 2 -> 8 x 1, folder 5 x 2 -> 5 x 1, writer 1 gone.
    expect(result.scoreDelta).toBe(-14);
    expect(result.unchangedCount).toBe(1);
  });

  it('the markdown report escapes names from the graph', () => {
    const evil = scenario((b) => {
      b.app('app');
      b.credential('key', { name: 'key | <img src=x> *bold*' });
      b.resource('db');
      b.edge('HOLDS', 'app', 'key').edge('CAN_READ', 'key', 'db');
    });
    const markdown = renderWhatIfMarkdown(whatIf(evil.graph, [evil.ix('app')], [{ revoke: evil.id('key') }], { at }));
    expect(markdown).toContain('key \\| \\<img src=x\\> \\*bold\\*');
    expect(markdown).not.toMatch(/[^\\]<img/);
  });
});

/** A random graph whose authority edges carry scopes from a small pool and a grant: the source credential's id, or a consent id. */
const scopedGraph = randomGraph({ minNodes: 4, maxNodes: 10, minEdges: 15, maxEdges: 40, activeWeight: 8 }).chain(({ nodes, edges }) =>
  fc.array(fc.record({ scopes: fc.subarray(['a', 'b', 'c']), consent: fc.boolean() }), { minLength: edges.length, maxLength: edges.length }).map((extras) => {
    const scoped: GraphEdge[] = edges.map((edge, i) => {
      const extra = extras[i]!;
      if (extra.scopes.length === 0) return edge;
      return { ...edge, scopes: extra.scopes, grant: extra.consent ? 'consent-1' : edge.from };
    });
    return buildGraph({ nodes, edges: scoped });
  }),
);

/** Random mitigations valid for a graph: disable nodes, revoke credentials, remove edges, remove scopes present on a grant. */
function mitigationsFor(graph: CompactGraph): fc.Arbitrary<Mitigation[]> {
  const options: fc.Arbitrary<Mitigation>[] = [fc.nat().map((i) => ({ disable: graph.nodes[i % graph.nodeCount]!.id }))];
  const credentials = graph.nodes.filter((node) => node.kind === 'Credential').map((node) => node.id);
  if (credentials.length > 0) options.push(fc.constantFrom(...credentials).map((revoke) => ({ revoke })));
  if (graph.edgeCount > 0) options.push(fc.nat().map((e) => ({ removeEdge: edgeIdAt(graph, e % graph.edgeCount) })));
  const grantScopes: { grant: string; scope: string }[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const attrs = graph.edgeAttrs[e];
    for (const scope of attrs?.scopes ?? []) if (attrs?.grant) grantScopes.push({ grant: attrs.grant, scope });
  }
  if (grantScopes.length > 0) options.push(fc.constantFrom(...grantScopes).map((removeScope) => ({ removeScope })));
  return fc.array(fc.oneof(...options), { maxLength: 4 });
}

const sourcesOf = (graph: CompactGraph) => fc.uniqueArray(fc.nat({ max: graph.nodeCount - 1 }), { minLength: 1, maxLength: 2 });

describe('whatIf properties', () => {
  it('a mitigation never grows the radius: every node after is reached before at a level at least as high', () => {
    fc.assert(fc.property(scopedGraph.chain((graph) => fc.tuple(fc.constant(graph), sourcesOf(graph), mitigationsFor(graph), fc.constantFrom(undefined, 2, 4), fc.boolean())), ([graph, sources, mitigations, maxDepth, enforce]) => {
      const options = { at, ...(maxDepth !== undefined ? { maxDepth } : {}), ...(enforce ? { enforceConditions: ['mfa'] } : {}) };
      const before = reach(graph, sources, options);
      const { overlay } = compileMitigations(graph, mitigations);
      const after = reach(graph, sources, { ...options, overlay });
      for (let v = 0; v < graph.nodeCount; v++) expect(after.level[v]!).toBeLessThanOrEqual(before.level[v]!);
    }), { numRuns: 200 });
  });

  it('removing scopes never grows the radius, and drops exactly the edges left with none of their scopes', () => {
    fc.assert(fc.property(scopedGraph.chain((graph) => fc.tuple(fc.constant(graph), sourcesOf(graph), fc.subarray(['a', 'b', 'c']))), ([graph, sources, removedScopes]) => {
      const mitigations: Mitigation[] = [];
      const grants = new Set<string>();
      for (let e = 0; e < graph.edgeCount; e++) if (graph.edgeAttrs[e]?.grant) grants.add(graph.edgeAttrs[e]!.grant!);
      for (const grant of grants) {
        for (const scope of removedScopes) {
          const carries = [...Array(graph.edgeCount).keys()].some((e) => graph.edgeAttrs[e]?.grant === grant && graph.edgeAttrs[e]?.scopes?.includes(scope));
          if (carries) mitigations.push({ removeScope: { grant, scope } });
        }
      }
      const { overlay } = compileMitigations(graph, mitigations);
      for (let e = 0; e < graph.edgeCount; e++) {
        const scopes = graph.edgeAttrs[e]?.scopes ?? [];
        const expected = scopes.length > 0 && scopes.every((scope) => removedScopes.includes(scope));
        expect(overlay.blockedEdges[e] === 1).toBe(expected);
      }
      const before = reach(graph, sources, { at });
      const after = reach(graph, sources, { at, overlay });
      for (let v = 0; v < graph.nodeCount; v++) expect(after.level[v]!).toBeLessThanOrEqual(before.level[v]!);
    }), { numRuns: 200 });
  });

  it('equals the first implementation (two full radius descriptions diffed), to the JSON text (random graphs)', () => {
    const text = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v));
    fc.assert(fc.property(scopedGraph.chain((graph) => fc.tuple(fc.constant(graph), sourcesOf(graph), mitigationsFor(graph), fc.constantFrom(undefined, 2), fc.boolean())), ([graph, sources, mitigations, maxDepth, tag]) => {
      // Crown jewels on some nodes, so their order and the cut list are compared too.
      const tagged = tag ? buildGraph({ ...toFragment(graph), nodes: toFragment(graph).nodes.map((node, v) => (v % 3 === 0 ? { ...node, tags: ['crown-jewel'] } : node)) }) : graph;
      const options = { at, ...(maxDepth !== undefined ? { maxDepth } : {}) };
      expect(text(whatIf(tagged, sources, mitigations, options))).toBe(text(referenceWhatIf(tagged, sources, mitigations, options)));
    }), { numRuns: 200 });
  });

  it('the diff adds up and the after side equals a brute-force fixpoint over the mitigated graph', () => {
    fc.assert(fc.property(scopedGraph.chain((graph) => fc.tuple(fc.constant(graph), sourcesOf(graph), mitigationsFor(graph))), ([graph, sources, mitigations]) => {
      const result = whatIf(graph, sources, mitigations, { at });
      expect(result.removed.length + result.lowered.length + result.unchangedCount).toBe(result.before.reachedCount);
      expect(result.after.reachedCount).toBe(result.lowered.length + result.unchangedCount);
      expect(result.scoreAfter).toBeLessThanOrEqual(result.scoreBefore);
      expect(result.scoreDelta).toBeCloseTo(result.scoreAfter - result.scoreBefore);
      expect(result.crownJewelsCut.length).toBe(result.before.crownJewels.length - result.after.crownJewels.length);

      const { overlay } = compileMitigations(graph, mitigations);
      const oracle = oracleReach(graph, sources, { at, blockedNodes: overlay.blockedNodes, blockedEdges: overlay.blockedEdges });
      const isSource = new Set(sources);
      const expectedAfter = oracle.level.flatMap((l, v) => (l > 0 && !isSource.has(v) ? [graph.nodes[v]!.id] : [])).sort();
      const before = blastRadius(graph, sources, { at });
      const removedIds = new Set(result.removed.map((e) => e.id));
      expect(before.reached.map((e) => e.id).filter((id) => !removedIds.has(id)).sort()).toEqual(expectedAfter);
    }), { numRuns: 200 });
  });
});
