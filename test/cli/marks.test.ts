// Marks beside the graph (cli/marks.ts): where the file lives, a malformed file as a typed error with its line,
// marks applied as tags against a brute-force oracle on random graphs, `@owned`, and the server's routes
// writing the file that every command then reads. Cluster drill-down (POST /api/cluster) against the engine.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMarks, EMPTY_MARKS, expandOwned, marksPath, readMarks, setMark, writeMarks, type Marks } from '../../cli/marks.ts';
import { graphMarksPath, loadGraph } from '../../cli/load-graph.ts';
import { createApp } from '../../cli/server/app.ts';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { blastRadius, CROWN_JEWEL_TAG } from '../../engine/analysis/radius.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { LEVEL_CODE } from '../../engine/schema/index.ts';
import { randomGraph } from '../helpers/arbitraries.ts';

const PARLEY = 'parley:prod:app:parley-chat';
const AT = '2026-11-01';
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'blastmap-marks-unit-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the marks file', () => {
  it('lives beside the graph, or where BLASTMAP_MARKS says; a past state shares its snapshot\u2019s', () => {
    expect(marksPath('.blastmap/graph.bmap', {})).toBe('.blastmap/graph.bmap.marks.json');
    expect(marksPath('datasets/demo/', {})).toBe('datasets/demo.marks.json');
    expect(marksPath('x.bmap', { BLASTMAP_MARKS: '/tmp/m.json' })).toBe('/tmp/m.json');
    const saved = process.env.BLASTMAP_MARKS;
    delete process.env.BLASTMAP_MARKS;
    try {
      expect(graphMarksPath('snap/g.bmap@-1')).toBe('snap/g.bmap.marks.json');
      expect(graphMarksPath('snap/g.bmap@2026-12-01')).toBe('snap/g.bmap.marks.json');
    } finally {
      if (saved !== undefined) process.env.BLASTMAP_MARKS = saved;
    }
  });

  it('reads as empty when absent, round-trips, and a malformed file is an INVALID_INPUT naming the file, the JSON path and the line', () => {
    const file = join(dir, 'g.marks.json');
    expect(readMarks(file)).toEqual(EMPTY_MARKS);
    const marks: Marks = { ...EMPTY_MARKS, crownJewels: ['a'], owned: ['b'], views: [{ name: 'v', query: '?tab=radius' }] };
    writeMarks(file, marks);
    expect(readMarks(file)).toEqual(marks);
    writeFileSync(file, '{\n  "version": 1,\n  "owned": [\n    "ok",\n    42\n  ]\n}\n');
    let error: unknown;
    try { readMarks(file); } catch (caught) { error = caught; }
    expect(error).toBeInstanceOf(BlastmapError);
    const issue = (error as BlastmapError).issues[0]!;
    expect((error as BlastmapError).code).toBe('INVALID_INPUT');
    expect(issue.file).toBe(file);
    expect(issue.path).toBe('$.owned[1]');
    expect(issue.line).toBe(5);
    writeFileSync(file, '{ "version": 1, ');
    expect(() => readMarks(file)).toThrow(BlastmapError);
  });

  it('applies marks as tags exactly as a brute-force rewrite of the node records does, and changes nothing else', () => {
    fc.assert(fc.property(randomGraph({ minNodes: 1, maxNodes: 20, maxEdges: 40 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('jewel', 'not', 'owned')), { maxLength: 12 }), ({ graph }, picks) => {
      const marks: Marks = { ...EMPTY_MARKS, crownJewels: [], notCrownJewels: [], owned: [], views: [] };
      for (const [n, what] of picks) {
        const id = graph.nodes[n % graph.nodeCount]!.id;
        (what === 'jewel' ? marks.crownJewels : what === 'not' ? marks.notCrownJewels : marks.owned).push(id);
      }
      marks.owned.push('no-such-node');
      const marked = applyMarks(graph, marks);
      for (let v = 0; v < graph.nodeCount; v++) {
        const node = graph.nodes[v]!;
        const tags = new Set(node.tags ?? []);
        if (marks.notCrownJewels.includes(node.id)) tags.delete(CROWN_JEWEL_TAG);
        if (marks.crownJewels.includes(node.id)) tags.add(CROWN_JEWEL_TAG);
        if (marks.owned.includes(node.id)) tags.add('owned');
        expect(new Set(marked.nodes[v]!.tags ?? [])).toEqual(tags);
        expect(marked.nodes[v]!.id).toBe(node.id);
      }
      expect(marked.edgeSrc).toBe(graph.edgeSrc);
    }), { numRuns: 200 });
  });

  it('records only departures from the data, and @owned names the owned nodes', () => {
    let marks = setMark(EMPTY_MARKS, 'n1', { crownJewel: true, dataCrownJewel: false });
    expect(marks.crownJewels).toEqual(['n1']);
    marks = setMark(marks, 'n1', { crownJewel: false, dataCrownJewel: false });
    expect(marks.crownJewels).toEqual([]);
    expect(marks.notCrownJewels).toEqual([]);
    marks = setMark(marks, 'n2', { crownJewel: false, dataCrownJewel: true, owned: true });
    expect(marks.notCrownJewels).toEqual(['n2']);
    expect(marks.owned).toEqual(['n2']);
    const demo = loadDemoGraph();
    expect(() => expandOwned(demo, ['@owned'])).toThrow(/no node is marked owned/);
    const marked = applyMarks(demo, { ...EMPTY_MARKS, owned: [PARLEY] });
    expect(expandOwned(marked, ['@owned', 'Parley Chat'])).toEqual([PARLEY, 'Parley Chat']);
  });

  it('is read by loadGraph: a crown jewel marked beside a native folder shows in the radius', async () => {
    const demo = loadDemoGraph();
    const target = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT }).reached.find((entry) => !entry.crownJewel)!;
    const file = join(dir, 'demo.marks.json');
    writeMarks(file, { ...EMPTY_MARKS, crownJewels: [target.id] });
    const saved = process.env.BLASTMAP_MARKS;
    process.env.BLASTMAP_MARKS = file;
    try {
      const graph = await loadGraph('datasets/demo');
      expect(blastRadius(graph, [graph.indexOf.get(PARLEY)!], { at: AT }).crownJewels.map((entry) => entry.id)).toContain(target.id);
    } finally {
      if (saved === undefined) delete process.env.BLASTMAP_MARKS;
      else process.env.BLASTMAP_MARKS = saved;
    }
  });
});

describe('the server keeps marks and views in the file', () => {
  const post = (app: ReturnType<typeof createApp>, path: string, body: unknown) =>
    app.request(`http://127.0.0.1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('writes a mark, answers the radius with it, saves and deletes a view; without a marks path it refuses', async () => {
    const demo = loadDemoGraph();
    const file = join(dir, 'demo.marks.json');
    const app = createApp({ graph: demo, unmarkedGraph: demo, marksPath: file, rateLimit: false });
    const target = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT }).reached.find((entry) => !entry.crownJewel)!;
    const radiusJewels = async () => ((await (await post(app, '/api/radius', { sources: [PARLEY], at: AT })).json()) as { crownJewels: { id: string }[] }).crownJewels.map((e) => e.id);
    expect(await radiusJewels()).not.toContain(target.id);
    const marked = await post(app, '/api/marks', { node: target.id, crownJewel: true });
    expect(marked.status).toBe(200);
    expect(await radiusJewels()).toContain(target.id);
    expect(JSON.parse(readFileSync(file, 'utf8')).crownJewels).toEqual([target.id]);
    await post(app, '/api/marks', { node: 'Parley Chat', owned: true });
    const answer = (await (await app.request('http://127.0.0.1/api/marks')).json()) as { owned: { id: string }[]; file: string };
    expect(answer.owned.map((n) => n.id)).toEqual([PARLEY]);
    expect(answer.file).toBe('demo.marks.json');
    expect((await post(app, '/api/views', { name: 'Parley', query: '?sources=x' })).status).toBe(200);
    expect(readMarks(file).views.map((v) => v.name)).toEqual(['Parley']);
    await post(app, '/api/views', { name: 'Parley', delete: true });
    expect(readMarks(file).views).toEqual([]);
    expect((await post(app, '/api/marks', { node: 'no such node', owned: true })).status).toBe(404);

    const plain = createApp({ graph: demo, rateLimit: false });
    expect(((await (await plain.request('http://127.0.0.1/api/marks')).json()) as { available: boolean }).available).toBe(false);
    expect((await post(plain, '/api/marks', { node: PARLEY, owned: true })).status).toBe(404);
  });

  it('lists a cluster\u2019s members as the engine counts them, nearest first, a page at a time', async () => {
    const demo = loadDemoGraph();
    const app = createApp({ graph: demo, rateLimit: false });
    const source = demo.indexOf.get(PARLEY)!;
    const result = reach(demo, [source], { at: AT });
    // The largest group of the radius by platform, kind and level.
    const groups = new Map<string, string[]>();
    const levelOf = Object.fromEntries(Object.entries(LEVEL_CODE).map(([name, code]) => [code, name]));
    for (let v = 0; v < demo.nodeCount; v++) {
      if (v === source || result.level[v] === 0) continue;
      const node = demo.nodes[v]!;
      const group = `${node.platform}/${node.kind}/${levelOf[result.level[v]!]}`;
      groups.set(group, [...(groups.get(group) ?? []), node.id]);
    }
    const [key, expected] = [...groups].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(expected.length).toBeGreaterThan(1);
    const first = (await (await post(app, '/api/cluster', { key, focus: { sources: [PARLEY], at: AT }, limit: 1 })).json()) as { count: number; members: { id: string; hops: number }[] };
    const rest = (await (await post(app, '/api/cluster', { key, focus: { sources: [PARLEY], at: AT }, offset: 1, limit: 500 })).json()) as { members: { id: string; hops: number }[] };
    expect(first.count).toBe(expected.length);
    const all = [...first.members, ...rest.members];
    expect(new Set(all.map((m) => m.id))).toEqual(new Set(expected));
    for (let i = 1; i < all.length; i++) expect(all[i]!.hops).toBeGreaterThanOrEqual(all[i - 1]!.hops);
    const [platform, kind] = key.split('/');
    const whole = (await (await post(app, '/api/cluster', { key: `${platform}/${kind}` })).json()) as { count: number };
    expect(whole.count).toBe(demo.nodes.filter((n) => n.platform === platform && n.kind === kind).length);
    expect((await post(app, '/api/cluster', { key })).status).toBe(400);
  });
});
