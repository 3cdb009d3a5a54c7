// Radius reports that scale: the streamed JSON and NDJSON rebuild every witness path from the shared table
// (property test on random graphs), and the brief groups hundreds of crown jewels instead of listing them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius, type BlastRadius, type RadiusEntry } from '../../../engine/analysis/radius.ts';
import { renderRadiusMarkdown, renderRadiusText } from '../../../engine/report/brief.ts';
import { renderRadiusHtml } from '../../../engine/report/html.ts';
import { collationKey, compareIds, idRanks } from '../../../engine/analysis/radius.ts';
import { witnessTable, witnessTableFromPaths } from '../../../engine/report/radius-json.ts';
import { pathFromTable, radiusJsonChunks, radiusNdjsonLines, type WitnessStep } from '../../../engine/report/radius-json.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { scenario } from '../../helpers/scenario.ts';

const at = AT;

/** What a path says, step by step, as the table can say it too. */
const stepsOf = (path: readonly { from: string | { id: string }; to: string | { id: string }; edgeId: string; kind: string; level: string }[]) =>
  path.map((step) => [typeof step.from === 'string' ? step.from : step.from.id, typeof step.to === 'string' ? step.to : step.to.id, step.edgeId, step.kind, step.level]);

interface RadiusJson { reached: (RadiusEntry & { witness: number; enteredFrom: string | null })[]; dormant: { id: string; witness: number }[]; witness: WitnessStep[]; crownJewels: RadiusEntry[]; reachedCount: number }

describe('radius JSON: one shared witness table', () => {
  it('read off the reach result, the table is the trie of the entries\' paths, step for step', () => {
    fc.assert(fc.property(reachableGraph().chain((g) => fc.tuple(fc.constant(g), fc.uniqueArray(fc.nat({ max: g.graph.nodeCount - 1 }), { minLength: 1, maxLength: 2 }))), ([{ graph }, sources]) => {
      const radius = blastRadius(graph, sources, { at, sourceLevel: 'admin' });
      const fromPaths = witnessTableFromPaths(radius);
      expect(witnessTable(radius)).toEqual(fromPaths);
      // Entries that are not describeRadius's (copied, say) go through their paths and say the same.
      expect(witnessTable({ reached: radius.reached.map((entry) => ({ ...entry })), dormant: radius.dormant.map((entry) => ({ ...entry })) })).toEqual(fromPaths);
    }), { numRuns: 200 });
  });

  it('ids are ordered through collation keys exactly as localeCompare orders them', () => {
    const idChar = fc.constantFrom(...'abcxyz0189:-_/.@ABZé'.split(''));
    fc.assert(fc.property(fc.array(fc.string({ unit: idChar, maxLength: 12 }), { minLength: 2, maxLength: 30 }), (ids) => {
      const keyed = [...ids].sort((a, b) => compareIds(a, collationKey(a), b, collationKey(b)));
      const expected = [...ids].sort((a, b) => a.localeCompare(b));
      expect(keyed).toEqual(expected);
      const unique = [...new Set(ids)];
      const ranks = idRanks(unique);
      expect(unique.map((id, i) => [ranks[i]!, id] as const).sort((a, b) => a[0] - b[0]).map(([, id]) => id)).toEqual(unique.sort((a, b) => a.localeCompare(b)));
    }), { numRuns: 500 });
    // Many ids (the radix quicksort's partitions, not only its insertion sort), long shared prefixes, repeated ids
    // (ranked by position, as a stable sort by localeCompare ranks them) and a few ids only the collator orders.
    const prefixed = fc.tuple(fc.constantFrom('', 'aws:1:resource:', 'aws:1:resource:s3-', 'google-workspace:globex.com:'), fc.string({ unit: idChar, maxLength: 6 }))
      .map(([prefix, rest]) => prefix + rest);
    fc.assert(fc.property(fc.array(prefixed, { minLength: 0, maxLength: 400 }), (ids) => {
      const ranks = idRanks(ids);
      const expected = ids.map((id, i) => [id, i] as const).sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]).map(([, i]) => i);
      const byRank: number[] = new Array(ids.length);
      ranks.forEach((r, i) => { byRank[r] = i; });
      expect(byRank).toEqual(expected);
    }), { numRuns: 300 });
    // Ids made of lower case, digits and punctuation get a key; upper case and non-ASCII fall back to the collator.
    expect(collationKey('aws:123:resource:s3/bucket-1')).toBeDefined();
    expect(collationKey('user/SVC_TALLY')).toBeUndefined();
    // A very long id (a fuzzed input's run of 300,000 `!`) gets its key without overflowing the stack, and orders as before.
    const long = `a:b:c:${'!'.repeat(300_000)}`;
    const key = collationKey(long)!;
    expect(key).toHaveLength(long.length);
    expect(compareIds(long, key, `${long}a`, collationKey(`${long}a`))).toBe(long.localeCompare(`${long}a`));
    expect(key.slice(8190, 8200)).toBe(collationKey(long.slice(8190, 8200)));
  });

  it('every reached and dormant node\'s path, rebuilt from the table, is its witness path; parents come first; NDJSON says the same', () => {
    fc.assert(fc.property(reachableGraph().chain((g) => fc.tuple(fc.constant(g), fc.uniqueArray(fc.nat({ max: g.graph.nodeCount - 1 }), { minLength: 1, maxLength: 2 }))), ([{ graph }, sources]) => {
      const radius = blastRadius(graph, sources, { at, sourceLevel: 'admin' });
      const chunks = [...radiusJsonChunks(radius)];
      for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
      const parsed = JSON.parse(chunks.join('')) as RadiusJson;
      expect(parsed.reachedCount).toBe(radius.reachedCount);
      parsed.witness.forEach((step, i) => {
        expect(step.parent).toBeLessThan(i);
        expect(step.from !== undefined).toBe(step.parent < 0);
      });
      radius.reached.forEach((entry, i) => {
        const record = parsed.reached[i]!;
        expect(record.id).toBe(entry.id);
        expect(record).not.toHaveProperty('path');
        expect(record.enteredFrom).toBe(entry.enteredFrom?.id ?? null);
        expect(stepsOf(pathFromTable(parsed.witness, record.witness))).toEqual(stepsOf(entry.path));
      });
      radius.dormant.forEach((entry, i) => expect(stepsOf(pathFromTable(parsed.witness, parsed.dormant[i]!.witness))).toEqual(stepsOf(entry.path)));
      expect(parsed.crownJewels.map((entry) => stepsOf(entry.path))).toEqual(radius.crownJewels.map((entry) => stepsOf(entry.path)));
      // No state twice: the table is a tree, not a list of paths.
      expect(new Set(parsed.witness.map((step) => `${step.parent}|${step.from ?? ''}|${step.edgeId}|${step.level}`)).size).toBe(parsed.witness.length);

      const lines = [...radiusNdjsonLines(radius)].map((line) => JSON.parse(line) as { type: string; index?: number; witness?: number; id?: string } & WitnessStep);
      expect(lines[0]!.type).toBe('summary');
      const steps = lines.filter((line) => line.type === 'step');
      expect(steps.map((step) => step.index)).toEqual(parsed.witness.map((_, i) => i));
      expect(lines.filter((line) => line.type === 'reached').map((line) => [line.id, line.witness])).toEqual(parsed.reached.map((record) => [record.id, record.witness]));
    }), { numRuns: 200 });
  });

  it('--paths puts the full path back on every entry', () => {
    const s = chainScenario(3);
    const parsed = JSON.parse([...radiusJsonChunks(blastRadius(s.graph, [s.ix('app')], { at }), { paths: true })].join('')) as RadiusJson;
    for (const record of parsed.reached) expect(stepsOf(record.path)).toEqual(stepsOf(pathFromTable(parsed.witness, record.witness)));
  });
});

/** An app whose key administers `count` crown-jewel buckets on aws and as many on gcp, through one role per cloud. */
function chainScenario(count: number) {
  return scenario((b) => {
    b.app('app', { platform: 'saas', tenant: 'acme' });
    b.credential('key', { platform: 'saas', tenant: 'acme', type: 'api-key' });
    b.identity('awsUser', { platform: 'aws', tenant: '111' });
    b.identity('gcpUser', { platform: 'gcp', tenant: 'proj' });
    b.edge('HOLDS', 'app', 'key').edge('AUTHENTICATES_AS', 'key', 'awsUser').edge('AUTHENTICATES_AS', 'key', 'gcpUser');
    for (let i = 0; i < count; i++) {
      b.resource(`aws${i}`, { platform: 'aws', tenant: '111', tags: ['crown-jewel'] });
      b.resource(`gcp${i}`, { platform: 'gcp', tenant: 'proj', tags: ['crown-jewel'] });
      b.resource(`plain${i}`, { platform: 'aws', tenant: '111' });
      b.edge('CAN_ADMIN', 'awsUser', `aws${i}`).edge('CAN_READ', 'gcpUser', `gcp${i}`).edge('CAN_READ', 'awsUser', `plain${i}`);
    }
  });
}

describe('the brief at scale', () => {
  const s = chainScenario(400);
  const radius: BlastRadius = blastRadius(s.graph, [s.ix('app')], { at });

  it('the HTML brief is grouped the same way, and --all lists every node', () => {
    const html = renderRadiusHtml(radius);
    expect(html).toContain('<p><b>aws</b>: 400 crown jewel(s), 400 admin, 0 write, 0 read; Resource 400</p>');
    expect(html).toContain('… and 397 more crown jewels on aws');
    expect(html).toMatch(/… and 789 more on aws: [^<]*\(--all, or --format json\)/);
    expect(html.match(/<svg/g)!.length).toBeLessThanOrEqual(6 + 6);
    const full = renderRadiusHtml(radius, { all: true });
    for (const entry of radius.reached) expect(full).toContain(`<code>${entry.id}</code>`);
    expect(full).not.toContain('more on aws');
    expect(full.length).toBeGreaterThan(html.length * 3);
  });

  it('groups 800 crown jewels by platform, with levels, kinds, the bridge they hang under, the top 3 and "and N more"', () => {
    const text = renderRadiusText(radius);
    expect(text).toContain('CROWN JEWELS REACHED: 800 on 2 platforms (400 admin, 0 write, 400 read)');
    expect(text).toContain('  aws (111): 400 crown jewels, 400 admin, 0 write, 0 read; Resource 400');
    expect(text.indexOf('  aws (111)')).toBeLessThan(text.indexOf('  gcp (proj)'));
    expect(text).toContain('    entered from: key (saas) for 400');
    expect(text).toContain('    ... and 397 more crown jewels on aws (--all, or --format json)');
    expect(text).toContain('    ... and 397 more crown jewels on gcp (--all, or --format json)');
    expect(text).toContain('    kinds: Resource 800, Identity 1');
    expect(text).toContain('    ... and 389 more (--all, or --format json)');
    // Bounded: a few lines per platform, not one per node.
    expect(text.split('\n').length).toBeLessThan(60);
  });

  it('--all lists every crown jewel with its path and every reached node', () => {
    const text = renderRadiusText(radius, { all: true });
    for (let i = 0; i < 400; i++) {
      expect(text).toContain(`ADMIN aws${i}  Resource on aws`);
      expect(text).toContain(`READ  gcp${i}  Resource on gcp`);
    }
    expect(text).not.toContain('more crown jewels');
    expect(text).not.toContain('... and');
  });

  it('markdown: grouped crown jewels, a bounded reached table, everything with --all', () => {
    const markdown = renderRadiusMarkdown(radius);
    expect(markdown).toContain('### aws: 400 crown jewels (400 admin, 0 write, 0 read)');
    expect(markdown).toContain('- … and 397 more (`--all`, or `--format json`)');
    expect(markdown).toContain(`… and ${(radius.reachedCount - 50).toLocaleString('en-US')} more reached nodes`);
    const all = renderRadiusMarkdown(radius, { all: true });
    expect(all.split('\n').filter((line) => line.startsWith('| admin |') || line.startsWith('| read |'))).toHaveLength(radius.reachedCount);
  });

  it('a small radius still lists each crown jewel with its path', () => {
    const small = chainScenario(2);
    const text = renderRadiusText(blastRadius(small.graph, [small.ix('app')], { at }));
    expect(text).toContain('app -HOLDS-> key -AUTHENTICATES_AS-> awsUser -CAN_ADMIN-> aws1');
    expect(text).not.toContain('more crown jewels');
  });
});
