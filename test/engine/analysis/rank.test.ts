// Ranking: known scores and order on a small company, --top and --credentials, unusable nodes, rendering,
// and agreement with the blast radius of each node on random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { rankGraph, rankNodes } from '../../../engine/analysis/rank.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { renderRankMarkdown, renderRankText } from '../../../engine/report/rank.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';
import { scenario } from '../../helpers/scenario.ts';

const at = AT;

// crm holds an AWS key with admin on a crown-jewel database (lateral); chat reads one channel; dead is
// disabled; idle has no authority at all.
const company = scenario((s) => {
  s.app('crm', { platform: 'crmv' });
  s.app('chat', { platform: 'slack' });
  s.app('dead', { enabled: false });
  s.app('idle');
  s.credential('key', { platform: 'aws' });
  s.resource('db', { platform: 'aws', tags: ['crown-jewel'] });
  s.resource('channel', { platform: 'slack', sensitivity: 3 });
  s.edge('HOLDS', 'crm', 'key').edge('CAN_ADMIN', 'key', 'db')
    .edge('CAN_READ', 'chat', 'channel')
    .edge('HOLDS', 'dead', 'key');
});
const handle = (id: string): string => company.handleOf(company.graph.indexOf.get(id)!);

describe('rankGraph', () => {
  it('ranks every App by score with reached, crown jewels and lateral platforms', () => {
    const ranking = rankGraph(company.graph, { at });
    expect(ranking.entries.map((e) => [handle(e.id), e.score, e.reached, e.crownJewels, e.lateralPlatforms, e.usable])).toEqual([
      // key 1 + db 10 x admin 3
      ['crm', 31, 2, 1, 1, true],
      ['chat', 3, 1, 0, 0, true],
      ['dead', 0, 0, 0, 0, false],
      ['idle', 0, 0, 0, 0, true],
    ]);
    expect(ranking.rankedCount).toBe(4);
    expect(ranking.kinds).toEqual(['App']);
  });

  it('with Credentials as well, the key slots in under the app that holds it', () => {
    const ranking = rankGraph(company.graph, { at, kinds: ['App', 'Credential'], top: 2 });
    expect(ranking.entries.map((e) => [handle(e.id), e.score])).toEqual([['crm', 31], ['key', 30]]);
    expect(ranking.rankedCount).toBe(5);
  });

  it('reports progress once per ranked node and keeps rankNodes working for callers', () => {
    const progress: [number, number][] = [];
    const entries = rankNodes(company.graph, { at, onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    expect(entries[0]!.index).toBe(company.ix('crm'));
  });

  it('rejects an unknown kind', () => {
    expect(() => rankGraph(company.graph, { at, kinds: ['Integration'] })).toThrowError(BlastmapError);
  });

  it('renders an aligned text table and an escaped markdown table', () => {
    const text = renderRankText(rankGraph(company.graph, { at, top: 2 }));
    expect(text).toContain('RANKING: top 2 of 4 nodes of kind App by blast-radius score');
    const lines = text.split('\n');
    const header = lines.find((line) => line.includes('crown jewels'))!;
    expect(header.trim().split(/\s{2,}/)).toEqual(['rank', 'score', 'reached', 'crown jewels', 'lateral platforms', 'name', 'kind', 'platform']);
    expect(lines[lines.indexOf(header) + 1]!.trim().split(/\s{2,}/)).toEqual(['1', '31', '2', '1', '1', 'crm', 'App', 'crmv']);

    const evil = scenario((s) => { s.app('x', { name: 'A|B *c*' }); });
    expect(renderRankMarkdown(rankGraph(evil.graph, { at }))).toContain('| A\\|B \\*c\\* | App | test |');
  });
});

describe('rank properties', () => {
  it('every entry matches the blast radius of that node alone, and entries are sorted by score', () => {
    fc.assert(fc.property(randomGraph({ minNodes: 4, maxNodes: 10, minEdges: 10, maxEdges: 36, activeWeight: 6 }), ({ graph }) => {
      const ranking = rankGraph(graph, { at, kinds: graph.nodeKindNames });
      expect(ranking.entries).toHaveLength(graph.nodeCount);
      for (const entry of ranking.entries) {
        const radius = blastRadius(graph, [entry.index], { at });
        expect(entry.score).toBeCloseTo(radius.score);
        expect(entry.reached).toBe(radius.reachedCount);
        expect(entry.crownJewels).toBe(radius.crownJewels.length);
        expect(entry.lateralPlatforms).toBe(new Set(radius.reached.map((r) => r.platform).filter((p) => p !== graph.nodes[entry.index]!.platform)).size);
      }
      for (let i = 1; i < ranking.entries.length; i++) expect(ranking.entries[i - 1]!.score).toBeGreaterThanOrEqual(ranking.entries[i]!.score);
    }), { numRuns: 150 });
  });
});
