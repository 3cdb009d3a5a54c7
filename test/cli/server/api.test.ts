// The web API in-process: every route answers JSON that matches its schema, with the same numbers as the
// engine functions the CLI calls; bad requests get a 4xx naming the problem; static files cannot escape
// the UI folder; security headers are on every answer; hostile names stay data.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { readNativeFiles } from '../../../cli/native-files.ts';
import { BODY_LIMIT, CONTENT_SECURITY_POLICY, createApp } from '../../../cli/server/app.ts';
import { loadStaticFiles } from '../../../cli/server/static.ts';
import {
  errorResponseSchema, exposureResponseSchema, graphResponseSchema, metaResponseSchema, nodeDetailsResponseSchema, planResponseSchema,
  RADIUS_PAGE, RADIUS_PAGE_MAX, radiusResponseSchema, respondResponseSchema, searchResponseSchema, whatIfSchema,
} from '../../../engine/api/schemas.ts';
import { DEFAULT_GENERATION_INSTANT as GENERATED_AT, generateFragment } from '../../../engine/generate/enterprise.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { rankNodes } from '../../../engine/analysis/rank.ts';
import { respondPlan } from '../../../engine/analysis/respond.ts';
import { exposureOf } from '../../../engine/analysis/exposure.ts';
import { compileMitigations } from '../../../engine/analysis/mitigations.ts';
import { revocationPlan } from '../../../engine/analysis/plan.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { whatIf } from '../../../engine/analysis/whatif.ts';
import { assembleGraph } from '../../../engine/store/assemble.ts';

const demo = loadDemoGraph();
const AT = '2026-11-01';
const PARLEY = 'parley:prod:app:parley-chat';
const JEWEL = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
/** Parley's Salesforce refresh token, as the Salesforce importer names it. */
const PARLEY_TOKEN = 'salesforce:00dhs000000cvdlmak:credential:oauth-token/0H4Hs000000Cv01GAA/005Hs00000JrW4FIAQ/2024-03-12T16:22:05.000Z';

const uiDir = mkdtempSync(join(tmpdir(), 'blastmap-static-'));
mkdirSync(join(uiDir, 'assets'));
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');
writeFileSync(join(uiDir, 'assets/app-1234.js'), 'console.log(1)');
writeFileSync(join(uiDir, '.env'), 'SECRET=1');
const app = createApp({ graph: demo, files: loadStaticFiles(uiDir), version: 'test' });

const post = (path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });

describe('analysis routes answer what the engine computes', () => {
  it('POST /api/radius returns the blast radius with every reached node and its witness edge', async () => {
    const response = await post('/api/radius', { sources: [PARLEY], at: AT });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = radiusResponseSchema.parse(await response.json());
    const expected = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT });
    expect(body.score).toBe(expected.score);
    expect(body.reached.map((entry) => [entry.id, entry.level, entry.hops])).toEqual(expected.reached.map((entry) => [entry.id, entry.level, entry.hops]));
    expect(body.reached.map((entry) => entry.via)).toEqual(expected.reached.map((entry) => entry.path.at(-1)!.edgeId));
    expect(body.reached.map((entry) => entry.controls)).toEqual(expected.reached.map((entry) => entry.controls));
    expect(body.controls).toEqual(expected.controls);
    expect(body.crownJewels.map((entry) => entry.path)).toEqual(expected.crownJewels.map((entry) => entry.path));
    expect(body.whatIf).toBeNull();
    expect(body.lateral.bridges.length).toBeGreaterThan(0);
  });

  it('POST /api/radius pages the reached list: offset and limit walk the full list, counts and summaries stay whole', async () => {
    const expected = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT });
    expect(expected.reachedCount).toBeGreaterThan(12);
    const pages: string[] = [];
    let first: ReturnType<typeof radiusResponseSchema.parse> | undefined;
    for (let offset: number | null = 0; offset !== null;) {
      const body = radiusResponseSchema.parse(await (await post('/api/radius', { sources: [PARLEY], at: AT, offset, limit: 5 })).json());
      first ??= body;
      expect(body.page).toEqual({ offset, limit: 5, nextOffset: offset + 5 < expected.reachedCount ? offset + 5 : null });
      expect(body.reachedCount).toBe(expected.reachedCount);
      expect(body.crownJewels.map((entry) => entry.id)).toEqual(expected.crownJewels.map((entry) => entry.id));
      expect(body.platforms).toEqual(expected.platforms);
      pages.push(...body.reached.map((entry) => entry.id));
      offset = body.page.nextOffset;
    }
    expect(pages).toEqual(expected.reached.map((entry) => entry.id));
    // The former `reachedLimit` still caps the list; `limit: 0` is the summary alone, with no next page.
    const capped = radiusResponseSchema.parse(await (await post('/api/radius', { sources: [PARLEY], at: AT, reachedLimit: 3 })).json());
    expect(capped.reached.map((entry) => entry.id)).toEqual(expected.reached.slice(0, 3).map((entry) => entry.id));
    const summary = radiusResponseSchema.parse(await (await post('/api/radius', { sources: [PARLEY], at: AT, limit: 0 })).json());
    expect(summary.reached).toEqual([]);
    expect(summary.page.nextOffset).toBeNull();
    expect(summary.score).toBe(expected.score);
    expect((await post('/api/radius', { sources: [PARLEY], limit: RADIUS_PAGE_MAX + 1 })).status).toBe(400);
  });

  it('POST /api/radius sends a first page of RADIUS_PAGE entries when the request names no limit', async () => {
    const graph = buildGraph(generateFragment({ nodes: 20_000, seed: 3 }));
    const paged = createApp({ graph, version: 'test', rateLimit: false });
    const [top] = rankNodes(graph, { kinds: ['App'], top: 1, at: new Date(GENERATED_AT) });
    const expected = blastRadius(graph, [graph.indexOf.get(top!.id)!], { at: GENERATED_AT });
    expect(expected.reachedCount).toBeGreaterThan(RADIUS_PAGE);
    const body = radiusResponseSchema.parse(await (await paged.request('/api/radius', { method: 'POST', body: JSON.stringify({ sources: [top!.id], at: GENERATED_AT }), headers: { 'content-type': 'application/json' } })).json());
    expect(body.reached.map((entry) => entry.id)).toEqual(expected.reached.slice(0, RADIUS_PAGE).map((entry) => entry.id));
    expect(body.page).toEqual({ offset: 0, limit: RADIUS_PAGE, nextOffset: RADIUS_PAGE });
    expect(body.reachedCount).toBe(expected.reachedCount);
  });

  it('POST /api/radius with mitigations returns the mitigated radius and what changed', async () => {
    const mitigations = [{ revoke: PARLEY_TOKEN }];
    const body = radiusResponseSchema.parse(await (await post('/api/radius', { sources: [PARLEY], at: AT, mitigations })).json());
    const expected = whatIf(demo, [demo.indexOf.get(PARLEY)!], mitigations, { at: AT });
    expect(body.score).toBe(expected.scoreAfter);
    expect(body.reachedCount).toBe(expected.after.reachedCount);
    expect(body.whatIf).toMatchObject({ scoreBefore: expected.scoreBefore, scoreAfter: expected.scoreAfter });
    expect(body.whatIf!.removed).toEqual(expected.removed.map((entry) => entry.id));
  });

  it('GET and POST /api/respond answer the containment plan respondPlan computes, in the UI contract', async () => {
    const expected = respondPlan(demo, [demo.indexOf.get(PARLEY)!], { at: AT, since: '2026-10-01' });
    const posted = await post('/api/respond', { sources: [PARLEY], at: AT, since: '2026-10-01' });
    expect(posted.status).toBe(200);
    const body = respondResponseSchema.parse(await posted.json());
    expect(body.steps.map((step) => [step.phase, step.action, step.target.id, step.removes])).toEqual(expected.steps.map((step) => [step.phase, step.action, step.target.id, step.removes]));
    expect(body.harvested.map((h) => h.id)).toEqual(expected.harvested.map((h) => h.id));
    expect(body).toMatchObject({ source: { id: PARLEY }, since: '2026-10-01T00:00:00.000Z' });
    const viaGet = await app.request(`/api/respond?sources=${encodeURIComponent(PARLEY)}&at=${AT}&since=2026-10-01`);
    expect(respondResponseSchema.parse(await viaGet.json()).steps).toEqual(body.steps);
    const bad = await post('/api/respond', { sources: [PARLEY], since: 'last tuesday' });
    expect(bad.status).toBe(400);
  });

  it('POST /api/plan, /api/whatif and /api/exposure match revocationPlan, whatIf and exposureOf', async () => {
    const source = demo.indexOf.get(PARLEY)!;
    const plan = planResponseSchema.parse(await (await post('/api/plan', { sources: [PARLEY], at: AT, steps: 3 })).json());
    const expectedPlan = revocationPlan(demo, [source], { at: AT, steps: 3 });
    expect(plan.steps.map((step) => [step.cut.id, step.removed])).toEqual(expectedPlan.steps.map((step) => [step.cut.id, step.removed]));

    const mitigations = plan.steps[0]!.cut.mitigations;
    const diff = whatIfSchema.parse(await (await post('/api/whatif', { sources: [PARLEY], at: AT, mitigations })).json());
    expect(diff.scoreAfter).toBe(whatIf(demo, [source], mitigations, { at: AT }).scoreAfter);

    const exposure = exposureResponseSchema.parse(await (await post('/api/exposure', { target: JEWEL, at: AT })).json());
    const expectedExposure = exposureOf(demo, demo.indexOf.get(JEWEL)!, { at: AT, top: 50 });
    expect(exposure.exposed.map((entry) => [entry.id, entry.level])).toEqual(expectedExposure.exposed.map((entry) => [entry.id, entry.level]));
  });

  it('POST /api/plan with the cuts already applied plans from the radius they leave', async () => {
    const source = demo.indexOf.get(PARLEY)!;
    const first = planResponseSchema.parse(await (await post('/api/plan', { sources: [PARLEY], at: AT, steps: 3 })).json());
    const applied = first.steps[0]!.cut.mitigations;
    const replanned = planResponseSchema.parse(await (await post('/api/plan', { sources: [PARLEY], at: AT, steps: 2, mitigations: applied })).json());
    const { overlay } = compileMitigations(demo, applied);
    const expected = revocationPlan(demo, [source], { at: AT, steps: 2, overlay });
    expect(replanned.steps.map((step) => [step.cut.id, step.removed])).toEqual(expected.steps.map((step) => [step.cut.id, step.removed]));
    // The re-plan starts where the first cut left the radius and never proposes that cut again.
    expect(replanned.initialScore).toBeCloseTo(first.steps[0]!.scoreAfter, 9);
    expect(replanned.initialScore).toBeLessThan(first.initialScore);
    expect(replanned.steps.map((step) => step.cut.id)).not.toContain(first.steps[0]!.cut.id);
    // The greedy plan re-planned after its own first step is the rest of the plan.
    expect(replanned.steps.map((step) => step.cut.id)).toEqual(first.steps.slice(1).map((step) => step.cut.id));

    const unknown = await post('/api/plan', { sources: [PARLEY], at: AT, mitigations: [{ revoke: 'no-such-credential' }] });
    expect(unknown.status).toBe(404);
    expect(errorResponseSchema.parse(await unknown.json()).error.code).toBe('UNKNOWN_NODE');
  });

  it('resolves sources by exact name as the CLI does', async () => {
    const body = radiusResponseSchema.parse(await (await post('/api/radius', { sources: ['Parley Chat'], at: AT })).json());
    expect(body.sources[0]!.id).toBe(PARLEY);
  });
});

describe('browsing routes', () => {
  it('GET /api/meta counts the graph and names the riskiest connectors', async () => {
    const meta = metaResponseSchema.parse(await (await app.request('/api/meta')).json());
    expect(meta).toMatchObject({ nodeCount: demo.nodeCount, edgeCount: demo.edgeCount, version: 'test' });
    expect(meta.riskiest[0]!.id).toBe(PARLEY);
    expect(meta.platforms.reduce((sum, p) => sum + p.count, 0)).toBe(demo.nodeCount);
    expect(meta.edgeKinds.reduce((sum, k) => sum + k.count, 0)).toBe(demo.edgeCount);
  });

  it('GET /api/graph sends the whole graph under the budget and clusters over it', async () => {
    const whole = graphResponseSchema.parse(await (await app.request('/api/graph')).json());
    expect(whole).toMatchObject({ aggregated: false, matching: demo.nodeCount });
    expect(whole.nodes.length).toBe(demo.nodeCount);
    expect(whole.edges.length).toBe(demo.edgeCount);
    const small = graphResponseSchema.parse(await (await app.request('/api/graph?budget=50&platforms=aws,slack')).json());
    expect(small.aggregated).toBe(true);
    expect(small.matching).toBe(demo.nodes.filter((n) => n.platform === 'aws' || n.platform === 'slack').length);
    expect(small.clusters.every((c) => c.platform === 'aws' || c.platform === 'slack')).toBe(true);
  });

  it('POST /api/graph with a focus radius shows that radius node by node inside an aggregated view', async () => {
    const view = graphResponseSchema.parse(await (await post('/api/graph', { budget: 60, focus: { sources: [PARLEY], at: AT } })).json());
    const radius = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT });
    const shown = new Set(view.nodes.map((n) => n.id));
    expect(view.aggregated).toBe(true);
    for (const entry of radius.reached) expect(shown.has(entry.id)).toBe(true);
  });

  it('GET /api/search suggests by name first, and matches ids, kinds and platforms', async () => {
    const byName = searchResponseSchema.parse(await (await app.request('/api/search?q=parley%20chat')).json());
    expect(byName.results[0]).toMatchObject({ id: PARLEY, match: 'name' });
    const byKind = searchResponseSchema.parse(await (await app.request('/api/search?q=app%20parley&limit=50')).json());
    expect(byKind.results.length).toBeGreaterThan(0);
    expect(byKind.results.every((r) => r.kind === 'App' || r.name.toLowerCase().includes('app') || r.id.toLowerCase().includes('app'))).toBe(true);
    expect(byKind.results.some((r) => r.id === PARLEY)).toBe(true);
    expect(searchResponseSchema.parse(await (await app.request('/api/search?q=')).json()).results).toEqual([]);
  });

  it('GET /api/node/:id gives the record, owners, findings about the node and its usability at the date', async () => {
    const id = PARLEY_TOKEN;
    const details = nodeDetailsResponseSchema.parse(await (await app.request(`/api/node/${encodeURIComponent(id)}?at=${AT}`)).json());
    expect(details.ref.id).toBe(id);
    expect(details.node.createdAt).toBeTypeOf('string');
    expect(details.usable).toBe(true);
    for (const finding of details.findings) expect(finding.nodeId === id || finding.evidence.related.some((r) => r.id === id)).toBe(true);
    expect(details.neighbours.length).toBe(details.inCount + details.outCount);
  });
});

describe('bad requests', () => {
  it('a request that does not match its schema is a 400 naming the field', async () => {
    const response = await post('/api/radius', { sources: [], maxDepth: -1, extra: true });
    expect(response.status).toBe(400);
    const body = errorResponseSchema.parse(await response.json());
    expect(body.error.code).toBe('INVALID_REQUEST');
    expect(body.error.issues!.map((issue) => issue.path)).toEqual(expect.arrayContaining(['$.sources', '$.maxDepth']));
  });

  it('an unknown node is a 404 with the closest candidates; an unknown edge kind a 400', async () => {
    const response = await post('/api/radius', { sources: ['Parley Chta'] });
    expect(response.status).toBe(404);
    const body = errorResponseSchema.parse(await response.json());
    expect(body.error.code).toBe('UNKNOWN_NODE');
    expect(body.error.candidates!.some((c) => c.includes(PARLEY))).toBe(true);
    expect((await post('/api/radius', { sources: [PARLEY], edgeKinds: ['NOPE'] })).status).toBe(400);
    expect((await app.request('/api/node/nope')).status).toBe(404);
  });

  it('POST /api/radius says which unenforced controls each reached node depends on', async () => {
    const pipewell = 'pipewell:prod:app:pipewell-elt';
    const body = radiusResponseSchema.parse(await (await post('/api/radius', { sources: [pipewell], at: AT })).json());
    const dependent = body.reached.filter((entry) => entry.controls.includes('ip-allowlist'));
    expect(dependent.length).toBeGreaterThan(0);
    expect(body.controls).toContainEqual({ control: 'ip-allowlist', reached: dependent.length, crownJewels: 0 });
    const enforced = radiusResponseSchema.parse(await (await post('/api/radius', { sources: [pipewell], at: AT, enforce: ['ip-allowlist'] })).json());
    expect(enforced.reachedCount).toBe(body.reachedCount - dependent.length);
  });

  it('an unknown condition to enforce is a 400 INVALID_OPTION naming the known ones', async () => {
    for (const route of ['/api/radius', '/api/plan']) {
      const response = await post(route, { sources: [PARLEY], enforce: ['mfa', 'nosuch'] });
      expect(response.status).toBe(400);
      const body = errorResponseSchema.parse(await response.json());
      expect(body.error.code).toBe('INVALID_OPTION');
      expect(body.error.message).toContain('"nosuch"');
      expect(body.error.candidates).toEqual(expect.arrayContaining(['ip-allowlist', 'mfa', 'signed-in-user-rights']));
    }
    expect((await post('/api/exposure', { target: JEWEL, enforce: ['nosuch'] })).status).toBe(400);
    expect((await post('/api/radius', { sources: [PARLEY], enforce: ['ip-allowlist'] })).status).toBe(200);
  });

  it('refuses bodies that are not JSON, are malformed, or are too large', async () => {
    expect((await post('/api/radius', 'sources=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post('/api/radius', '{"sources": [', { 'content-type': 'application/json' })).status).toBe(400);
    const huge = JSON.stringify({ sources: [PARLEY], mitigations: Array.from({ length: 2000 }, (_, i) => ({ revoke: `x${'y'.repeat(200)}${i}` })) });
    expect(huge.length).toBeGreaterThan(BODY_LIMIT);
    const response = await post('/api/radius', huge);
    expect(response.status).toBe(413);
    expect(errorResponseSchema.parse(await response.json()).error.code).toBe('BODY_TOO_LARGE');
  });

  it('unknown API routes are JSON 404s', async () => {
    const response = await app.request('/api/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });
});

describe('static files and headers', () => {
  it('serves the UI files it loaded and nothing else: no traversal, no dotfiles', async () => {
    expect(await (await app.request('/')).text()).toContain('<title>ui</title>');
    expect((await app.request('/assets/app-1234.js')).headers.get('cache-control')).toContain('immutable');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/.env', '/assets/../../../etc/passwd', '//etc/passwd']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('SECRET');
    }
    expect((await app.request('/', { method: 'POST' })).status).toBe(405);
  });

  it('puts the CSP and the other security headers on every answer, errors included', async () => {
    for (const response of [await app.request('/'), await app.request('/api/meta'), await app.request('/api/nope'), await post('/api/radius', {})]) {
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await app.request('/')).headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses requests addressed to another host name when told its own (DNS rebinding)', async () => {
    const guarded = createApp({ graph: demo, allowedHosts: ['127.0.0.1:7420'] });
    expect((await guarded.request('http://127.0.0.1:7420/api/meta')).status).toBe(200);
    const rebound = await guarded.request('http://evil.example:7420/api/meta');
    expect(rebound.status).toBe(421);
  });
});

describe('hostile names', () => {
  const hostile = assembleGraph(readNativeFiles([join(import.meta.dirname, '../../fixtures/hostile')])).graph;
  const hostileApp = createApp({ graph: hostile });
  const evil = hostile.nodes.find((n) => n.kind === 'App')!.id;

  it('are sent as JSON strings, unchanged', async () => {
    const body = radiusResponseSchema.parse(await (await hostileApp.request('/api/radius', { method: 'POST', body: JSON.stringify({ sources: [evil] }), headers: { 'content-type': 'application/json' } })).json());
    expect(body.sources[0]!.name).toBe('<img src=x onerror="window.__pwned=1;alert(1)">');
    expect(body.crownJewels[0]!.name).toBe('<svg/onload=window.__pwned=1>crown');
  });

  it('are escaped in the HTML report, which downloads as an attachment', async () => {
    const response = await hostileApp.request(`/api/report.html?sources=${encodeURIComponent(evil)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    const html = await response.text();
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });
});
