// The bound every fragment's ids share (finishFragment): no node id or edge reference longer than the native format's
// own bound on an id (2,048 characters), whichever importer or format made it. An importer that folds an unbounded
// export field (a tenant, a domain, an instance URL) into every id is refused there, naming file, path and line,
// and the refusal quotes only a scrubbed head of the id.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeSchema } from '../../../engine/format/native.ts';
import { finishFragment, MAX_ID_LENGTH } from '../../../engine/format/validate.ts';
import type { Fragment } from '../../../engine/format/native.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { importNdjsonFast } from '../../../importers/native/ndjson-fast.ts';

const node = (id: string) => ({ id, kind: 'App', name: 'n', platform: 'p', tenant: 't' }) as Fragment['nodes'][number];
const ok = 'p:t:app:ok';

describe('finishFragment: the id bound', () => {
  it('is the native format\'s own bound on an id', () => {
    expect(nodeSchema().safeParse({ ...node('x'.repeat(MAX_ID_LENGTH)) }).success).toBe(true);
    expect(nodeSchema().safeParse({ ...node('x'.repeat(MAX_ID_LENGTH + 1)) }).success).toBe(false);
    expect(MAX_ID_LENGTH).toBe(2048);
  });

  it('refuses a node id longer than 2,048 characters, naming file, path and line and the limit, never quoting the id whole', () => {
    const long = `okta:${'a'.repeat(300_000)}:app:x`;
    const result = finishFragment({ nodes: [node(ok), node(long)], edges: [] }, { file: 'apps.ndjson', nodePaths: ['$[line 1]', '$[line 2]'], edgePaths: [], nodeLines: [1, 2] });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'apps.ndjson', path: '$[line 2].id', line: 2, expected: 'an id of at most 2,048 characters' });
    expect(issues[0]!.message).toContain('2,048');
    expect(issues[0]!.found).toContain('300,011 characters');
    expect(JSON.stringify(issues).length).toBeLessThan(1000);
  });

  it('accepts ids of exactly 2,048 characters and refuses every longer one (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 * MAX_ID_LENGTH }), fc.constantFrom('a', ' ', 'a:', 'é'), (length, unit) => {
      const id = unit.repeat(length).slice(0, length);
      const result = finishFragment({ nodes: [node(id)], edges: [] }, { file: 'f.json', nodePaths: ['$.nodes[0]'], edgePaths: [] });
      expect(result.ok).toBe(length <= MAX_ID_LENGTH);
      if (!result.ok) expect(result.issues[0]).toMatchObject({ file: 'f.json', path: '$.nodes[0].id' });
    }));
  });

  it('refuses edge references and owner ids over the bound, each at its own path', () => {
    const long = 'b'.repeat(MAX_ID_LENGTH + 1);
    const fragment: Fragment = {
      nodes: [{ ...node(ok), ownerIds: [ok, long] }],
      edges: [{ kind: 'HOLDS', from: long, to: ok }, { kind: 'HOLDS', from: ok, to: long, grant: long }],
    };
    const result = finishFragment(fragment, { file: 'f.json', nodePaths: ['$.nodes[0]'], edgePaths: ['$.edges[0]', '$.edges[1]'], edgeLines: [7, 8] });
    expect(result.ok ? [] : result.issues.map((i) => [i.path, i.line])).toEqual([
      ['$.nodes[0].ownerIds[1]', undefined], ['$.edges[0].from', 7], ['$.edges[1].to', 8], ['$.edges[1].grant', 8],
    ]);
  });

  it('shows only a scrubbed head of the id, and of a path that quotes it (importers name a node `node <id>`)', () => {
    const token = `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}`;
    const long = `github:${token}${'-'.repeat(5000)}:app:x`;
    const result = finishFragment({ nodes: [node(long)], edges: [] }, { file: 'github import', nodePaths: [`node ${long}`], edgePaths: [] });
    const issue = result.ok ? undefined : result.issues[0];
    expect(issue?.file).toBe('github import');
    const text = JSON.stringify(issue);
    expect(text).not.toContain(token);
    expect(text).toContain('[REDACTED:github-token');
    expect(text.length).toBeLessThan(1000);
  });

  it('describes the first 100 over-long ids and counts the rest (one long tenant makes every id too long)', () => {
    const long = (i: number) => `p:${'t'.repeat(MAX_ID_LENGTH)}:app:${i}`;
    const nodes = Array.from({ length: 150 }, (_, i) => node(long(i)));
    const edges = nodes.slice(1).map((n, i) => ({ kind: 'HOLDS', from: nodes[i]!.id, to: n.id }));
    const result = finishFragment({ nodes, edges }, { file: 'f.json', nodePaths: nodes.map((_, i) => `$.nodes[${i}]`), edgePaths: edges.map((_, i) => `$.edges[${i}]`) });
    const issues = result.ok ? [] : result.issues;
    expect(issues).toHaveLength(101);
    expect(issues[99]).toMatchObject({ path: '$.nodes[99].id' });
    // 50 more nodes, and each of the 149 edges has both ends too long.
    expect(issues[100]).toMatchObject({ file: 'f.json', path: '$', message: '348 more ids longer than 2,048 characters, not listed' });
  });

  it('applies to ids a native document derives (platform, tenant, kind, nativeId), on the whole-file and the streaming path', () => {
    const record = { nativeId: 'x'.repeat(MAX_ID_LENGTH), kind: 'App', name: 'n', platform: 'p', tenant: 't' };
    const text = `${JSON.stringify({ ...record, nativeId: 'short' })}\n${JSON.stringify(record)}\n`;
    const whole = parseNative(text, { file: 'big.ndjson' });
    expect(whole.ok ? [] : whole.issues).toMatchObject([{ file: 'big.ndjson', path: '$[line 2].id', line: 2 }]);
    const streamed = importNdjsonFast([new TextEncoder().encode(text)], { file: 'big.ndjson' });
    expect(streamed.ok ? [] : streamed.issues).toMatchObject([{ file: 'big.ndjson', path: '$[line 2].id', line: 2 }]);
  });
});
