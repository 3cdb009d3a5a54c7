// The web UI in a real headless Chromium: the demo loads and draws, search finds the chat vendor's app, its
// simulated compromise lists the crown jewels the engine finds, the first revocation cut shrinks the radius,
// exports work, large graphs aggregate, and hostile names stay text. Timings are printed, never asserted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revocationPlan } from '../../engine/analysis/plan.ts';
import { respondPlan } from '../../engine/analysis/respond.ts';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { whatIf } from '../../engine/analysis/whatif.ts';
import { exposureOf } from '../../engine/analysis/exposure.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { buildFromChunks } from '../../engine/store/builder.ts';
import { DEFAULT_GENERATION_INSTANT, generateEnterprise } from '../../engine/generate/enterprise.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { edgeIdAt, type CompactGraph } from '../../engine/store/compact.ts';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { readNativeFiles } from '../../cli/native-files.ts';
import type { RunningServer } from '../../cli/server/start.ts';
import { REPO_ROOT } from '../../cli/server/ui-build.ts';
import { startServer } from '../../cli/server/start.ts';
import { readLogFolder } from '../../cli/evidence.ts';
import { evidenceForReach, resolveEvidence } from '../../engine/evidence/report.ts';
import { createStore } from '../../engine/evidence/store.ts';
import { readLogFiles } from '../../importers/logs/registry.ts';
import { buildUiForTests, launchChromium, openPage, requireChromium, screenshot, serve, waitForData } from './harness.ts';

const PARLEY = 'parley:prod:app:parley-chat';
const AWS_KEY = 'aws:111122223333:credential:access-key/9a184e3db4e81384';
const timings: string[] = [];
const report = (label: string, ms: number | string) => timings.push(`${label}: ${ms} ms`);

let browser: Browser;
let ui: Awaited<ReturnType<typeof buildUiForTests>>;
let demo: CompactGraph;
let demoServer: RunningServer;
/** A fixed instant: the demo's credentials have dates, and the oracle must use the same one as the page. */
const AT = '2026-11-01';
/** The generated enterprise's dates are drawn around this instant. */
const GENERATED_AT = new Date(DEFAULT_GENERATION_INSTANT).toISOString().slice(0, 10);

beforeAll(async () => {
  requireChromium();
  const started = performance.now();
  ui = await buildUiForTests();
  report('vite build of the UI', Math.round(performance.now() - started));
  demo = loadDemoGraph();
  demoServer = await serve(demo, ui.dir);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demoServer?.close();
  ui?.cleanup();
  if (timings.length > 0) console.log(`e2e timings (software WebGL, 1000x700; reported, not asserted):\n  ${timings.join('\n  ')}`);
});

const bodyData = (page: Page, key: string) => page.evaluate((k) => document.body.dataset[k] ?? '', key);

describe('the web UI on the demo graph', () => {
  it('draws the whole demo graph with a legend and reports its render time', async () => {
    const started = performance.now();
    const { page, watch } = await openPage(browser, demoServer.url);
    report('demo page ready (load, layout in a worker, first render)', Math.round(performance.now() - started));
    report('graph render in the page (data-render-ms)', await bodyData(page, 'renderMs'));
    expect(await bodyData(page, 'viewNodes')).toBe(String(demo.nodeCount));
    expect(await page.locator('#legend').textContent()).toContain('salesforce');
    expect(await page.locator('canvas').count()).toBeGreaterThan(2);
    await screenshot(page, '01-overview');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('shows a credential\u2019s dates, owner and findings, and filters edge kinds out of the view and the analysis', async () => {
    const token = 'salesforce:00dhs000000cvdlmak:credential:oauth-token/0H4Hs000000Cv01GAA/005Hs00000JrW4FIAQ/2024-03-12T16:22:05.000Z';
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&node=${encodeURIComponent(token)}&sources=${encodeURIComponent(PARLEY)}`);
    await page.locator('[data-test="details"]').waitFor();
    const details = await page.locator('[data-test="details"]').textContent();
    expect(details).toContain('Credential dates');
    expect(details).toContain('created');
    expect(await page.locator('[data-test="details"] ul.findings li').count()).toBeGreaterThan(0);
    await screenshot(page, '02-credential-details');

    const before = await waitForData(page, 'radiusCount');
    await page.locator('#filters-toggle').click();
    await page.locator('[data-filter="Edge kinds:CONTAINS_CREDENTIAL"]').uncheck();
    const after = await waitForData(page, 'radiusCount', before);
    const expected = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT, excludeEdgeKinds: ['CONTAINS_CREDENTIAL'] });
    expect(Number(after)).toBe(expected.reachedCount);
    expect(new URL(page.url()).searchParams.get('hide')).toBe('CONTAINS_CREDENTIAL');
    await screenshot(page, '03-filters');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('searches the chat vendor\u2019s app, simulates its compromise and lists the crown jewels the engine finds', async () => {
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}`);
    await page.locator('#search').fill('parley ch');
    const suggestion = page.locator(`[data-test="suggestion"][data-id="${PARLEY}"]`);
    await suggestion.waitFor();
    await screenshot(page, '04-search');
    await suggestion.click();
    await page.locator('[data-test="details"]').waitFor();
    expect(await page.locator('[data-test="details"] h2').textContent()).toContain('Parley Chat');

    const started = performance.now();
    await page.locator('[data-test="simulate"]').click();
    const count = await waitForData(page, 'radiusCount');
    report('simulate compromise: request to highlighted radius', Math.round(performance.now() - started));
    report('radius highlight in the page (data-highlight-ms)', await bodyData(page, 'highlightMs'));

    const expected = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT });
    expect(Number(count)).toBe(expected.reachedCount);
    expect(Number(await bodyData(page, 'score'))).toBe(expected.score);
    const listed = await page.locator('[data-test="crown-jewel-name"]').allTextContents();
    expect(listed.sort()).toEqual(expected.crownJewels.map((entry) => entry.name).sort());
    expect(listed.length).toBeGreaterThan(0);
    await screenshot(page, '05-radius');

    // Clicking a crown jewel highlights its path on the graph and spells it out.
    await page.locator('[data-test="crown-jewel"]').first().click();
    await page.waitForFunction(() => (document.body.dataset.activePath ?? '').startsWith('jewel:'));
    expect(await page.locator('ol.path .path-node').count()).toBe(expected.crownJewels[0]!.path.length + 1);
    await screenshot(page, '06-path');

    // Hop rings lay the radius out by distance from the source.
    await page.locator('[data-test="rings"]').check();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('rings') === '1');
    await page.waitForTimeout(600);
    await screenshot(page, '07-rings');
    expect(await page.locator('.ring-guides circle').count()).toBeGreaterThan(2);

    // Clear goes back to the overview.
    await page.locator('[data-test="clear"]').click();
    await page.waitForFunction(() => document.body.dataset.radiusCount === '' && !new URL(location.href).searchParams.has('sources'));
    expect(await page.locator('.ring-guides circle').count()).toBe(0);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('toggling the first revocation cut shrinks the radius, and the link reproduces the view', async () => {
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
    const before = await waitForData(page, 'radiusCount');
    await page.locator('[data-test="open-plan"]').click();
    const toggle = page.locator('[data-test="cut-toggle"]').first();
    await toggle.waitFor();

    const source = demo.indexOf.get(PARLEY)!;
    const plan = revocationPlan(demo, [source], { at: AT, steps: 5 });
    const firstCut = plan.steps[0]!.cut;
    expect(await page.locator('ol.plan label.cut b').first().textContent()).toContain(firstCut.name);

    const started = performance.now();
    // A click, not check(): the plan is recomputed after the cut, and check() would tick the next step it finds there.
    await toggle.click();
    const after = await waitForData(page, 'radiusCount', before);
    report('toggle a cut: request to re-highlighted radius', Math.round(performance.now() - started));
    const expected = whatIf(demo, [source], firstCut.mitigations, { at: AT });
    expect(Number(after)).toBe(expected.after.reachedCount);
    expect(Number(after)).toBeLessThan(Number(before));
    expect(Number(await bodyData(page, 'score'))).toBe(expected.scoreAfter);
    expect(await page.locator('[data-test="live-score"]').textContent()).toBe(String(expected.scoreAfter));
    await screenshot(page, '08-cut-applied');

    // The URL holds the mitigation: opening it elsewhere shows the same shrunken radius.
    const link = page.url();
    expect(new URL(link).searchParams.get('m')).toContain('revoke');
    const second = await openPage(browser, link);
    expect(await waitForData(second.page, 'radiusCount')).toBe(after);
    await second.page.context().close();

    // Back undoes the cut and Forward redoes it, inside the app.
    await page.evaluate(() => history.back());
    expect(await waitForData(page, 'radiusCount', after)).toBe(before);
    expect(new URL(page.url()).searchParams.get('m')).toBeNull();
    expect(await page.locator('[data-test="cut-toggle"]').first().isChecked()).toBe(false);
    await page.evaluate(() => history.forward());
    expect(await waitForData(page, 'radiusCount', before)).toBe(after);
    // The plan was recomputed after the cut: the cut is listed as applied, above the next steps.
    await page.locator('[data-test="applied-cut"]').waitFor();
    expect(await page.locator('[data-test="applied-cuts"]').textContent()).toContain(firstCut.name);

    // Unticking restores the full radius.
    await page.locator('[data-test="applied-cut"]').first().click();
    expect(await waitForData(page, 'radiusCount', after)).toBe(before);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('shows the exposure of a crown jewel and exports a PNG of the view and the HTML report', async () => {
    const target = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&tab=exposure&target=${encodeURIComponent(target)}`);
    const exposed = await waitForData(page, 'exposedCount');
    expect(Number(exposed)).toBe(exposureOf(demo, demo.indexOf.get(target)!, { at: AT }).exposedCount);
    expect(await page.locator('[data-test="exposed"]').count()).toBe(Math.min(Number(exposed), 50));
    await page.locator('[data-test="exposed"]').first().click();
    await screenshot(page, '09-exposure');

    const download = page.waitForEvent('download');
    await page.locator('#export-png').click();
    const png = await download;
    const pngPath = join(REPO_ROOT, 'test-artifacts/e2e/10-exported-view.png');
    await png.saveAs(pngPath);
    const bytes = readFileSync(pngPath);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(5_000);
    // The image carries its context: a title band above the graph and a legend below (taller than the viewport).
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(700);
    expect(await bodyData(page, 'exportTitle')).toContain('Exposure of');
    expect(await bodyData(page, 'exportLines')).toContain(`As of ${AT}`);

    await page.goto(`${demoServer.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
    await waitForData(page, 'radiusCount');
    const reportDownload = page.waitForEvent('download');
    await page.locator('[data-test="report"]').click();
    const html = readFileSync(await (await reportDownload).path(), 'utf8');
    expect(html).toContain('Blast radius: Parley Chat');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});

describe('analyst tools', () => {
  it('finds the path from A to B and lights it on the graph', async () => {
    const target = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&node=${encodeURIComponent(PARLEY)}`);
    // A is chosen in its Details; B is opened through search.
    await page.locator('[data-test="route-from"]').click();
    await page.locator('#search').fill('corvid-prod-customer-data');
    await page.locator(`[data-test="suggestion"][data-id="${target}"]`).click();
    await page.locator('[data-test="route-to"]').click();
    await page.waitForFunction(() => (document.body.dataset.activePath ?? '').startsWith('route:') && document.body.dataset.busy === '0');
    const expected = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT }).reached.find((entry) => entry.id === target)!;
    expect(await bodyData(page, 'routeHops')).toBe(String(expected.hops));
    expect(await page.locator('[data-test="route"] ol.path .path-node').count()).toBe(expected.path.length + 1);
    await screenshot(page, '18-route');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});

describe('edges', () => {
  it('hovering an edge names its kind and ends; clicking it shows its scopes, reason and conditions', async () => {
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
    await waitForData(page, 'radiusCount');
    const expected = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT });
    const candidates = [...new Map(expected.crownJewels.flatMap((entry) => entry.path).filter((s) => s.scopes && s.scopes.length > 0).map((s) => [s.edgeId, s])).values()];
    expect(candidates.length).toBeGreaterThan(0);
    await page.locator('[data-test="legend-toggle"]').click();
    await page.locator('#zoom-reset').click();
    // The camera animates after the reset: wait until an edge's midpoint stops moving (a fixed pause missed it under load).
    const probeMidpoint = () => page.evaluate((id) => JSON.stringify((window as unknown as { blastmapProbe: { edgeMidpoint: (id: string) => unknown } }).blastmapProbe.edgeMidpoint(id) ?? null), candidates[0]!.edgeId);
    let previous = await probeMidpoint();
    await expect.poll(async () => { const now = await probeMidpoint(); const settled = now === previous; previous = now; return settled; }, { timeout: 15_000, interval: 300 }).toBe(true);
    // An edge whose middle is on the bare canvas (not under the legend, a button or a node) and that the pointer
    // picks there: another edge or a label can sit over a midpoint, so candidates are tried in turn.
    let step: (typeof candidates)[number] | undefined;
    let point: { x: number; y: number } | undefined;
    for (const candidate of candidates) {
      const at = await page.evaluate((id) => {
        const p = (window as unknown as { blastmapProbe: { edgeMidpoint: (id: string) => { x: number; y: number } | undefined } }).blastmapProbe.edgeMidpoint(id);
        return p && document.elementFromPoint(p.x, p.y)?.closest('#graph') ? p : undefined;
      }, candidate.edgeId);
      if (!at) continue;
      await page.mouse.move(at.x - 3, at.y - 3);
      await page.mouse.move(at.x, at.y, { steps: 4 });
      const shown = await page.locator('#edge-card [data-test="edge-kind"]').waitFor({ timeout: 4_000 }).then(() => true, () => false);
      if (shown) { step = candidate; point = at; break; }
    }
    expect(step, `no candidate edge answered the pointer: ${candidates.map((c) => c.edgeId).join(', ')}`).toBeDefined();
    if (!step || !point) return;
    expect(await page.locator('#edge-card').textContent()).toContain('click for scopes');
    await page.mouse.click(point!.x, point!.y);
    // Edges can cross under the pointer: check the card against the engine's record of the edge it names.
    const clicked = await page.waitForFunction(() => document.body.dataset.edgeCard || false).then((handle) => handle.jsonValue() as Promise<string>);
    const e = Array.from({ length: demo.edgeCount }, (_, i) => i).find((i) => edgeIdAt(demo, i) === clicked)!;
    expect(e).toBeDefined();
    const record = demo.edgeAttrs[e];
    expect(demo.edgeKindNames[demo.edgeKind[e]!]).toBe(await page.locator('#edge-card [data-test="edge-kind"]').textContent());
    const card = await page.locator('[data-test="edge-details"]').textContent();
    for (const scope of record?.scopes ?? []) expect(card).toContain(scope);
    if (record?.reason) expect(card).toContain(record.reason);
    for (const condition of record?.conditions ?? []) expect(card).toContain(condition);
    await screenshot(page, '19-edge');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});

describe('the Respond view', () => {
  /** Waits until the live radius shows `reached` nodes and the page is idle. */
  const waitForReached = (page: Page, reached: number) =>
    page.waitForFunction((n) => document.body.dataset.radiusCount === n && document.body.dataset.busy === '0', String(reached), { timeout: 20_000 });
  const harvestedDrawn = (page: Page) => page.evaluate(() => document.body.dataset.harvestedDrawn ?? '');

  it('plans the containment of the chat vendor: ticking its steps shrinks the live radius as the engine measured, harvested keys stay lit until rotated', async () => {
    const source = demo.indexOf.get(PARLEY)!;
    const expected = respondPlan(demo, [source], { at: AT });
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
    await waitForData(page, 'radiusCount');
    await page.locator('[data-test="open-respond"]').click();
    await page.locator('[data-test="respond"]').waitFor();

    // The phases in order, each step as the engine words it.
    const phases = [...new Set(expected.steps.map((step) => step.phase))];
    expect(await page.locator('[data-test="respond-phase"]').evaluateAll((elements) => elements.map((e) => e.getAttribute('data-phase')))).toEqual(phases);
    expect(await page.locator('[data-test="respond-title"]').allTextContents()).toEqual(phases.flatMap((phase) => expected.steps.filter((step) => step.phase === phase).map((step) => step.title)));

    // The live radius starts from the vendor and every credential it harvested, which are lit on the graph.
    await waitForReached(page, expected.initialReached);
    const live = (ids: string[]) => [...ids].sort().join(' ');
    const validHarvested = expected.harvested.filter((h) => h.validNow).map((h) => h.id);
    expect(validHarvested.length).toBeGreaterThan(2);
    await page.waitForFunction((ids) => document.body.dataset.harvestedDrawn === ids, live(validHarvested));
    await screenshot(page, '14-respond');

    // Tick the containment steps in the page's order: each leaves exactly the radius the engine measured after it.
    const shown = phases.flatMap((phase) => expected.steps.filter((step) => step.phase === phase));
    for (const [i, step] of shown.entries()) {
      if (!step.containment) continue;
      const before = await page.evaluate(() => document.body.dataset.harvestedDrawn ?? '');
      await page.locator('[data-test="respond-step"]').nth(i).check();
      await waitForReached(page, step.reachedAfter);
      expect(Number(await bodyData(page, 'score')), step.title).toBe(step.scoreAfter);
      if (step.phase === 'contain' && shown[i + 1]?.phase !== 'contain') {
        // Contained: the vendor's own tokens are gone, the keys it read from the support cases are still live and still lit.
        const rotate = expected.harvested.filter((h) => h.remediation === 'rotate').map((h) => h.id);
        expect(rotate.length).toBeGreaterThan(0);
        await page.waitForFunction((ids) => document.body.dataset.harvestedDrawn === ids, live(rotate));
        expect(Number(await bodyData(page, 'radiusCount'))).toBeGreaterThan(0);
        await screenshot(page, '15-respond-contained');
      }
      if (step.phase === 'rotate') {
        await page.waitForFunction((previous) => document.body.dataset.harvestedDrawn !== previous, before);
        expect((await harvestedDrawn(page)).split(' ')).not.toContain(step.target.id);
      }
    }
    expect(await harvestedDrawn(page)).toBe('');
    expect(Number(await bodyData(page, 'radiusCount'))).toBe(expected.finalReached);
    await screenshot(page, '16-respond-done');

    // A step that blocks nothing (cleanup) is only marked done; the link keeps the ticks and reopens the same view.
    const cleanup = shown.findIndex((step) => !step.containment);
    expect(cleanup).toBeGreaterThanOrEqual(0);
    await page.locator('[data-test="respond-step"]').nth(cleanup).check();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('done'));
    const second = await openPage(browser, page.url());
    await second.page.locator('[data-test="respond"]').waitFor();
    await waitForReached(second.page, expected.finalReached);
    expect(await second.page.locator('[data-test="respond-step"]:checked').count()).toBe(shown.filter((step) => step.containment).length + 1);
    expect(second.watch.errors).toEqual([]);
    await second.page.context().close();

    // Unticking a rotation brings its key back: lit, and counted again.
    const rotateIndex = shown.findIndex((step) => step.phase === 'rotate');
    await page.locator('[data-test="respond-step"]').nth(rotateIndex).uncheck();
    await page.waitForFunction((id) => (document.body.dataset.harvestedDrawn ?? '').split(' ').includes(id), shown[rotateIndex]!.target.id);
    expect(Number(await bodyData(page, 'radiusCount'))).toBeGreaterThan(expected.finalReached);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});

describe('evidence in the web UI', () => {
  it('draws the demo\u2019s observed CloudTrail use on Parley Chat\u2019s radius: marked nodes, wide edges, a timeline, the node\u2019s evidence', async () => {
    const store = createStore(readLogFiles(readLogFolder(['datasets/demo/logs/aws-cloudtrail'])).observations);
    const server = await startServer({ graph: demo, uiDir: ui.dir, host: '127.0.0.1', port: 0, evidence: store });
    try {
      const AT_EVIDENCE = '2026-11-22';
      const { page, watch } = await openPage(browser, `${server.url}?at=${AT_EVIDENCE}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
      await waitForData(page, 'radiusCount');
      await page.waitForFunction(() => (document.body.dataset.evidence ?? '') !== '' && document.body.dataset.busy === '0', undefined, { timeout: 20_000 });
      // The oracle: the engine's own overlay over the same radius and window (the sources' createdAt: none, so from the start of the logs).
      const expected = evidenceForReach(resolveEvidence(demo, store), reach(demo, [demo.indexOf.get(PARLEY)!], { at: AT_EVIDENCE }), { from: -Infinity, to: Date.parse(AT_EVIDENCE) }).report;
      const observedNodes = expected.nodes.filter((n) => n.status === 'observed').map((n) => n.id).sort();
      const observedEdges = expected.edges.filter((e) => e.status === 'observed').map((e) => e.edgeId).sort();
      expect(observedNodes).toContain(AWS_KEY);
      expect((await bodyData(page, 'evidenceObserved')).split(' ')).toEqual(observedNodes);
      // What sigma draws: the observed mark in each observed node's label, the observed colour on each observed edge on screen.
      const drawnNodes = (await bodyData(page, 'evidenceDrawnNodes')).split(' ');
      expect(drawnNodes).toContain(AWS_KEY);
      const drawnEdges = (await bodyData(page, 'evidenceDrawnEdges')).split(' ').filter(Boolean);
      expect(drawnEdges.length).toBeGreaterThan(0);
      for (const id of drawnEdges) expect(observedEdges).toContain(id);
      // The timeline of the window lists the attacker's actions, the refused CreateAccessKey among them.
      await page.locator('[data-test="evidence-timeline"]').waitFor();
      const items = page.locator('[data-test="timeline-item"]');
      expect(await items.count()).toBe(Math.min(40, expected.actions.length));
      expect(await page.locator('[data-test="timeline-item"][data-category="persistence"][data-outcome="blocked"]').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-test="legend-evidence"]').count()).toBe(1);
      await screenshot(page, '25-evidence');
      // The key's own panel says what the logs show of it.
      await page.locator('#search').fill('svc-data-export (AKIA');
      const suggestion = page.locator(`[data-test="suggestion"][data-id="${AWS_KEY}"]`);
      await suggestion.waitFor();
      await suggestion.click();
      const note = page.locator('[data-test="node-evidence"]');
      await note.waitFor();
      expect(await note.getAttribute('data-status')).toBe('observed');
      expect(await note.textContent()).toContain('203.0.113.77');
      expect(watch.errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
    }
  });
});

describe('the web UI on larger graphs', () => {
  it('aggregates beyond the budget, expands a cluster on demand and shows a radius whole', async () => {
    const server = await serve(demo, ui.dir, 60);
    try {
      const { page, watch } = await openPage(browser, server.url);
      const drawn = Number(await bodyData(page, 'viewNodes'));
      expect(drawn).toBeLessThan(demo.nodeCount);
      expect(await page.locator('#view-info').textContent()).toContain('clusters');
      await screenshot(page, '11-aggregated');

      // Expanding a cluster through the URL state, as a click on it does.
      await page.goto(`${server.url}?expand=${encodeURIComponent('salesforce/Resource')}`);
      await page.waitForSelector('body[data-ready="1"]');
      expect(Number(await bodyData(page, 'viewNodes'))).toBeGreaterThan(drawn);

      await page.goto(`${server.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
      const count = Number(await waitForData(page, 'radiusCount'));
      const shown = await page.evaluate(() => Number(document.body.dataset.viewNodes));
      expect(shown).toBeGreaterThanOrEqual(count + 1);
      await screenshot(page, '12-aggregated-radius');
      expect(watch.errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
    }
  });
});

describe('the web UI on a 100,000-node graph', () => {
  let big: CompactGraph;
  let bigServer: RunningServer;
  beforeAll(async () => {
    const started = performance.now();
    // The same enterprise `blastmap generate -n 100000` writes, built in memory once for this block.
    big = buildFromChunks(generateEnterprise({ nodes: 100_000, seed: 1 }), { expectedNodes: 100_000, expectedEdges: 800_000 });
    report('generate the 100k-node graph (setup)', Math.round(performance.now() - started));
    bigServer = await serve(big, ui.dir);
  }, 120_000);
  afterAll(async () => { await bigServer?.close(); });

  it('draws the giant component of the riskiest connector as a radius map: every crown jewel, the examined path, what is aggregated, a summary', async () => {
    let started = performance.now();
    const { page, watch } = await openPage(browser, bigServer.url);
    report('100k: first render (navigation start to ready, page clock)', await bodyData(page, 'readyAt'));
    report('100k: first render with opening the tab, seen from the test', Math.round(performance.now() - started));
    report('100k: of which /api/meta (ranking the riskiest connectors) / view fetch / view render in the page', `${await bodyData(page, 'metaMs')} / ${await bodyData(page, 'fetchMs')} / ${await bodyData(page, 'renderMs')}`);
    const meta = await page.evaluate(async () => (await fetch('/api/meta')).json()) as { riskiest: { id: string }[] };
    const riskiest = meta.riskiest[0]!.id;
    const source = big.indexOf.get(riskiest)!;
    const oracle = reach(big, [source], { at: GENERATED_AT });
    const jewels = oracle.order.filter((v) => v !== source && (big.nodes[v]!.tags?.includes('crown-jewel') ?? false));
    const reachedCount = oracle.order.length - 1;

    started = performance.now();
    await page.goto(`${bigServer.url}?at=${GENERATED_AT}&sources=${encodeURIComponent(riskiest)}&tab=radius`);
    await page.waitForFunction(() => (document.body.dataset.mapReached ?? '') !== '' && (document.body.dataset.frameMs ?? '') !== '', null, { timeout: 120_000 });
    report('100k: simulate the giant component (navigation start to the radius map drawn, page clock)', await bodyData(page, 'mapDrawnAt'));
    report('100k: the same, seen from the test (polling waits for the page to be idle)', Math.round(performance.now() - started));
    report('100k: radius map: fetch / whole load in the page', `${await bodyData(page, 'fetchMs')} / ${await bodyData(page, 'renderMs')}`);
    report('100k: frame time measured / budget chosen', `${await bodyData(page, 'frameMs')} / ${await bodyData(page, 'drawBudget')}`);
    expect(Number(await bodyData(page, 'mapReached'))).toBe(reachedCount);
    expect(Number(await bodyData(page, 'crownJewelsDrawn'))).toBe(jewels.length);
    expect(jewels.length).toBeGreaterThan(0);
    expect(Number(await bodyData(page, 'viewNodes'))).toBeLessThan(reachedCount);
    expect(await bodyData(page, 'aggregated')).toBe('true');
    const note = await page.locator('#aggregation-note').textContent();
    expect(note).toContain(`of ${reachedCount.toLocaleString('en-US')} reached nodes drawn one by one`);
    expect(note).toContain(`all ${jewels.length} crown jewels`);
    // The summary, before the full answer: platforms x levels and crown jewels by bridge, as the engine counts them.
    const platforms = new Set(oracle.order.filter((v) => v !== source).map((v) => big.nodes[v]!.platform));
    expect(await page.locator('[data-test="summary-platforms"] tbody tr').count()).toBe(platforms.size);
    expect(await page.locator('[data-test="summary-jewel"]').count()).toBeGreaterThan(0);
    await screenshot(page, '14-radius-map-100k');

    // The full radius arrives for the panel; examining a crown jewel's path draws all of it and lights it.
    started = performance.now();
    await page.waitForFunction(() => (document.body.dataset.radiusCount ?? '') !== '' && document.body.dataset.busy === '0', null, { timeout: 180_000 });
    report('100k: full radius answer for the panel, after the map', Math.round(performance.now() - started));
    expect(Number(await bodyData(page, 'radiusCount'))).toBe(reachedCount);
    await page.locator('[data-test="crown-jewel"]').last().click();
    await page.waitForFunction(() => (document.body.dataset.activePath ?? '').startsWith('jewel:') && document.body.dataset.busy === '0', null, { timeout: 60_000 });
    expect(await bodyData(page, 'pathMissing')).toBe('0');
    await screenshot(page, '15-radius-map-path-100k');

    // Drill-down: a click on the largest cluster of reached nodes lists its members, as the engine counts them.
    const clusters = await page.evaluate(() => (window as unknown as { blastmapProbe: { clusterKeys: () => string[] } }).blastmapProbe.clusterKeys());
    const levelNames = ['', 'read', 'write', 'admin'];
    const groups = new Map<string, number>();
    for (const v of oracle.order) if (v !== source) { const node = big.nodes[v]!; const key = `${node.platform}/${node.kind}/${levelNames[oracle.level[v]!]}`; groups.set(key, (groups.get(key) ?? 0) + 1); }
    const largest = clusters.filter((key) => key.split('/').length === 3).sort((a, b) => (groups.get(b) ?? 0) - (groups.get(a) ?? 0))[0]!;
    const [at] = await page.evaluate((key) => (window as unknown as { blastmapProbe: { viewportKeys: (k: string[]) => ({ x: number; y: number } | null)[] } }).blastmapProbe.viewportKeys([key]), `c:${largest}`);
    const box = (await page.locator('#graph').boundingBox())!;
    started = performance.now();
    await page.mouse.click(box.x + at!.x, box.y + at!.y);
    await page.locator('[data-test="cluster-member"]').first().waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.body.dataset.busy === '0', null, { timeout: 60_000 });
    report('100k: click a cluster to its members listed and drawn', Math.round(performance.now() - started));
    // The click lands on the cluster drawn on top at that point (clusters overlap on their hop ring): whichever
    // opened, its members are what the engine counts for it (a grey cluster: its platform and kind, not reached).
    const opened = new URL(page.url()).searchParams.get('cluster')!;
    expect(clusters).toContain(opened);
    const [platform, kind, level] = opened.split('/');
    const count = level ? groups.get(opened)! : big.nodes.filter((node, v) => node.platform === platform && node.kind === kind && oracle.level[v] === 0 && v !== source).length;
    expect(await bodyData(page, 'clusterMembers')).toBe(`${Math.min(100, count)}/${count}`);
    const hops = await page.locator('[data-test="cluster-member"]').evaluateAll((items) => items.map((item) => Number(/(\d+) hops?/.exec(item.textContent ?? '')?.[1] ?? 'NaN')));
    for (let i = 1; i < hops.length; i++) expect(hops[i]!).toBeGreaterThanOrEqual(hops[i - 1]!);
    await screenshot(page, '24-cluster-members-100k');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  }, 400_000);
});

/** WCAG 2 contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(foreground: string, background: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = css.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number).map((c) => { const x = c / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [a, b] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
  return (a! + 0.05) / (b! + 0.05);
}

describe('access', () => {
  it('keeps keyboard focus across updates, / focuses search, the graph is walked by keyboard, the legend folds, works at 1024 px', async () => {
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}`);
    await page.setViewportSize({ width: 1024, height: 700 });
    // `/` from the page lands in the search box; the keyboard alone picks a suggestion and simulates.
    await page.locator('body').press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
    await page.keyboard.type('parley ch');
    await page.locator(`[data-test="suggestion"][data-id="${PARLEY}"]`).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('[data-test="simulate"]').waitFor();
    await page.locator('[data-test="simulate"]').focus();
    await page.keyboard.press('Enter');
    await waitForData(page, 'radiusCount');
    // The panel was rebuilt; the focus stayed in the side panel instead of dropping to the page.
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('#side')))).toBe(true);
    // A path opened by keyboard keeps the focus on its entry.
    await page.locator('[data-test="crown-jewel"]').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.body.dataset.activePath ?? '').startsWith('jewel:'));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('crown-jewel');

    // The graph by keyboard: the source comes first, Enter opens it.
    await page.locator('#graph').focus();
    await page.keyboard.press('ArrowRight');
    expect(await bodyData(page, 'graphCursor')).toBe(PARLEY);
    expect(await page.locator('#graph-cursor').textContent()).toContain('Parley Chat');
    await page.keyboard.press('ArrowRight');
    const second = await bodyData(page, 'graphCursor');
    expect(second).not.toBe(PARLEY);
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.querySelector('[data-test="details"]') !== null && new URL(location.href).searchParams.get('node') === id, second);

    // At 1024 px: the As-of control, the graph and the panel are all on screen; the legend folds and stays folded.
    for (const selector of ['#at', '#graph', '#panel', '#search']) {
      const box = (await page.locator(selector).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(1024);
      expect(box.width).toBeGreaterThan(0);
    }
    await page.locator('[data-test="legend-toggle"]').click();
    expect(await page.locator('#legend-body').isHidden()).toBe(true);
    expect(await page.locator('[data-test="legend-toggle"]').getAttribute('aria-expanded')).toBe('false');
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    expect(await page.locator('#legend-body').isHidden()).toBe(true);
    await screenshot(page, '16-keyboard-1024');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('meets WCAG AA contrast on level badges and score deltas, and tells levels apart by text as well as hue', async () => {
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
    const collect = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.level, .delta, .badge, .muted, button.link, .severity')].map((element) => {
      let background = 'rgba(0, 0, 0, 0)';
      for (let node: HTMLElement | null = element; node && /rgba\(0, 0, 0, 0\)|transparent/.test(background); node = node.parentElement) background = getComputedStyle(node).backgroundColor;
      return { cls: element.className, text: element.textContent ?? '', color: getComputedStyle(element).color, background: /rgba\(0, 0, 0, 0\)/.test(background) ? 'rgb(255, 255, 255)' : background };
    }));
    const before = await waitForData(page, 'radiusCount');
    const pairs = await collect();
    expect(pairs.some((pair) => pair.cls.startsWith('level '))).toBe(true);
    // Each level badge says its level in words, not only in colour.
    for (const text of await page.locator('.level').allTextContents()) expect(['ADMIN', 'WRITE', 'READ']).toContain(text.trim().toUpperCase());
    await page.locator('[data-test="open-plan"]').click();
    await page.locator('[data-test="cut-toggle"]').first().click();
    await waitForData(page, 'radiusCount', before);
    pairs.push(...await collect());
    await page.locator('[data-tab="radius"]').click();
    await page.locator('[data-test="radius"] .delta').first().waitFor();
    pairs.push(...await collect());
    expect(pairs.some((pair) => pair.cls === 'delta')).toBe(true);
    // The applied what-if reads by the node's name, not its raw id.
    const firstCut = revocationPlan(demo, [demo.indexOf.get(PARLEY)!], { at: AT, steps: 1 }).steps[0]!.cut;
    const applied = await page.locator('ul.mitigations li').first().textContent();
    expect(applied).toContain(firstCut.name);
    expect(applied).not.toContain(firstCut.id);
    const failing = pairs.filter((pair) => contrast(pair.color, pair.background) < 4.5).map((pair) => `${pair.cls} "${pair.text.slice(0, 20)}" ${pair.color} on ${pair.background}: ${contrast(pair.color, pair.background).toFixed(2)}`);
    expect([...new Set(failing)]).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('isolates right-to-left overrides and truncates very long names in the panel, the search and on the graph', async () => {
    const batch = readNativeFiles([join(REPO_ROOT, 'test/fixtures/hostile')]);
    const spoof = `Payroll export \u202Egpj.exe`;
    const long = `Quarterly ${'very '.repeat(200)}long bucket name`;
    batch[0]!.fragment.nodes.push(
      { id: 'bidi:t:app:spoof', kind: 'App', name: spoof, platform: 'bidi', tenant: 't' } as never,
      { id: 'bidi:t:resource:long', kind: 'Resource', name: long, platform: 'bidi', tenant: 't', tags: ['crown-jewel'] } as never,
    );
    batch[0]!.fragment.edges.push({ kind: 'CAN_READ', from: 'bidi:t:app:spoof', to: 'bidi:t:resource:long' } as never);
    const graph = assembleGraph(batch).graph;
    const server = await serve(graph, ui.dir);
    try {
      const { page, watch } = await openPage(browser, `${server.url}?sources=${encodeURIComponent('bidi:t:app:spoof')}&tab=radius`);
      await waitForData(page, 'radiusCount');
      await page.locator('#search').fill('Payroll');
      const suggestion = page.locator('[data-test="suggestion"] bdi.name').first();
      await suggestion.waitFor();
      expect(await suggestion.textContent()).toBe('Payroll export gpj.exe');
      await page.locator('#search').fill('');
      const jewel = page.locator('[data-test="crown-jewel-name"] bdi.name');
      expect((await jewel.textContent())!.length).toBeLessThanOrEqual(80);
      expect(await jewel.getAttribute('title')).toBe(long);
      const box = (await jewel.boundingBox())!;
      const panel = (await page.locator('#panel').boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(panel.width);
      // What the canvas draws: no bidi control, at most 60 characters.
      const labels = await page.evaluate(() => document.body.dataset.labels ?? '');
      expect(labels).toContain('Payroll export gpj.exe');
      expect(labels).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
      for (const label of labels.split('\n')) expect(label.length).toBeLessThanOrEqual(60);
      await screenshot(page, '17-bidi-long-names');
      expect(watch.errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
    }
  });
});

describe('hostile names', () => {
  it('shows HTML and script payloads in names as text and runs none of them', async () => {
    const graph = assembleGraph(readNativeFiles([join(REPO_ROOT, 'test/fixtures/hostile')])).graph;
    const server = await serve(graph, ui.dir);
    try {
      const { page, watch } = await openPage(browser, server.url);
      await page.locator('#search').fill('<img');
      const suggestion = page.locator('[data-test="suggestion"]').first();
      await suggestion.waitFor();
      expect(await suggestion.locator('.name').textContent()).toBe('<img src=x onerror="window.__pwned=1;alert(1)">');
      await suggestion.click();
      await page.locator('[data-test="details"]').waitFor();
      expect(await page.locator('[data-test="details"] h2').textContent()).toContain('<img src=x onerror=');
      await page.locator('[data-test="simulate"]').click();
      await waitForData(page, 'radiusCount');
      await page.locator('[data-test="crown-jewel"]').first().click();
      await page.locator('ol.path').waitFor();
      expect(await page.locator('ol.path').textContent()).toContain('<script>window.__pwned=1</script>');
      await page.locator('[data-test="open-plan"]').click();
      await page.locator('[data-test="cut-toggle"]').first().waitFor();
      await page.locator('[data-tab="radius"]').click();
      await page.locator('[data-test="radius"] h2 button.link').first().click();
      await page.locator('[data-test="details"]').waitFor();
      await page.waitForTimeout(300);
      await screenshot(page, '13-hostile');
      // The containment plan names the same nodes: still text.
      await page.locator('[data-tab="respond"]').click();
      await page.locator('[data-test="respond"]').waitFor();
      await page.locator('[data-test="respond-title"]').first().waitFor();
      expect(await page.locator('[data-test="respond"]').textContent()).toContain('<img src=x onerror=');
      await page.locator('[data-test="respond-step"]').first().check();
      await page.waitForFunction(() => document.body.dataset.busy === '0');
      await screenshot(page, '13-hostile-respond');

      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(watch.dialogs).toEqual([]);
      // Nothing from the data became markup: no image, frame, svg or style element was created from a name.
      expect(await page.locator('#panel img, #panel iframe, #panel script, #panel style, #panel details, #suggestions img').count()).toBe(0);
      expect(watch.errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
    }
  });
});
