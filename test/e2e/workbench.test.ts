// The responder's workbench in a real headless Chromium: axe-core finds no serious or critical violation, levels
// are drawn by pattern as well as hue, a radius is framed whole, the plan is recomputed after a cut, clusters
// drill down to their members, marks and saved views are kept beside the graph where the CLI reads them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMitigations } from '../../engine/analysis/mitigations.ts';
import { revocationPlan } from '../../engine/analysis/plan.ts';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { respondPlan } from '../../engine/analysis/respond.ts';
import { LEVEL_CODE, type Level } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { applyMarks, readMarks } from '../../cli/marks.ts';
import type { RunningServer } from '../../cli/server/start.ts';
import { REPO_ROOT } from '../../cli/server/ui-build.ts';
import { buildUiForTests, launchChromium, openPage, requireChromium, screenshot, serve, waitForData } from './harness.ts';

const PARLEY = 'parley:prod:app:parley-chat';
const AT = '2026-11-01';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let ui: Awaited<ReturnType<typeof buildUiForTests>>;
let demo: CompactGraph;
let demoServer: RunningServer;

beforeAll(async () => {
  requireChromium();
  ui = await buildUiForTests();
  demo = loadDemoGraph();
  demoServer = await serve(demo, ui.dir);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await demoServer?.close();
  ui?.cleanup();
});

const bodyData = (page: Page, key: string) => page.evaluate((k) => document.body.dataset[k] ?? '', key);
interface Probe {
  viewport: (ids: string[]) => { positions: ({ x: number; y: number } | null)[]; width: number; height: number };
  viewportKeys: (keys: string[]) => ({ x: number; y: number } | null)[];
  pattern: (id: string) => number | undefined;
  pixelNear: (id: string, dx: number, dy: number) => [number, number, number, number] | undefined;
  radiusPx: (id: string) => number | undefined;
  clusterKeys: () => string[];
}
const probe = <T>(page: Page, call: (p: Probe, arg: never) => T, arg?: unknown): Promise<T> =>
  page.evaluate(({ source, argument }) => {
    const fn = new Function('p', 'a', `return (${source})(p, a)`) as (p: unknown, a: unknown) => T;
    return fn((window as unknown as { blastmapProbe: unknown }).blastmapProbe, argument);
  }, { source: call.toString(), argument: arg as never }) as Promise<T>;

/** Serious and critical axe-core violations of the page as it is now (WCAG 2.x A and AA rules). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const answer = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return answer.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.slice(0, 300)) }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.nodes.join(' | ')}`);
}

describe('accessibility checked by axe-core', () => {
  it('has no serious or critical violation on the start view, a radius, the plan, details, Respond, the views panel and a cluster', async () => {
    const marksDir = mkdtempSync(join(tmpdir(), 'blastmap-axe-'));
    const server = await serve(demo, ui.dir, undefined, join(marksDir, 'demo.marks.json'));
    try {
      const { page, watch } = await openPage(browser, `${server.url}?at=${AT}`, { bypassCSP: true });
      const found: string[] = [];
      const check = async (state: string) => { for (const v of await axeViolations(page)) found.push(`${state}: ${v}`); };
      await check('start');
      await page.locator('#views-toggle').click();
      await page.locator('[data-test="save-view"]').waitFor();
      await check('views panel');
      await page.goto(`${server.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
      await waitForData(page, 'radiusCount');
      await check('radius');
      await page.locator('[data-test="open-plan"]').click();
      await page.locator('[data-test="cut-toggle"]').first().waitFor();
      await check('plan');
      await page.locator('[data-tab="respond"]').click();
      await page.locator('[data-test="respond-title"]').first().waitFor();
      await check('respond');
      await page.goto(`${server.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&node=${encodeURIComponent(PARLEY)}`);
      await page.locator('[data-test="details"]').waitFor();
      await check('details');
      await page.goto(`${server.url}?at=${AT}&cluster=${encodeURIComponent('salesforce/Resource')}&tab=cluster`);
      await page.locator('[data-test="cluster-member"]').first().waitFor();
      await check('cluster');
      expect(found).toEqual([]);
      expect(watch.errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
      rmSync(marksDir, { recursive: true, force: true });
    }
  });
});

describe('levels by pattern as well as hue, and the radius framed whole', () => {
  it('draws admin solid, write half filled, read hollow (read back from the canvas), frames every reached node, and the legend shows the patterns', async () => {
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}`);
    await page.locator('#search').fill('parley ch');
    await page.locator(`[data-test="suggestion"][data-id="${PARLEY}"]`).click();
    await page.locator('[data-test="simulate"]').click();
    await waitForData(page, 'radiusCount');
    await page.waitForTimeout(700); // the camera's 400 ms move to the radius
    const expected = blastRadius(demo, [demo.indexOf.get(PARLEY)!], { at: AT });

    // (g) Every reached node and the source lie inside the graph's viewport after the fit.
    const ids = [PARLEY, ...expected.reached.map((entry) => entry.id)];
    const framed = await probe(page, (p, a: string[]) => p.viewport(a), ids);
    const outside = ids.filter((_id, i) => { const at = framed.positions[i]; return !at || at.x < 0 || at.y < 0 || at.x > framed.width || at.y > framed.height; });
    expect(outside).toEqual([]);

    // (b) Each level has its pattern in what sigma draws.
    const codes: Record<Level, number> = { admin: 0, write: 1, read: 2 };
    for (const level of ['admin', 'write', 'read'] as Level[]) {
      const entries = expected.reached.filter((entry) => entry.level === level);
      expect(entries.length, level).toBeGreaterThan(0);
      for (const entry of entries.slice(0, 5)) expect(await probe(page, (p, a: string) => p.pattern(a), entry.id), `${level} ${entry.name}`).toBe(codes[level]);
    }
    // And on the canvas: zoomed onto a node of each level, its centre is coloured (admin) or white (read), and
    // a write node is coloured left of its centre and white right of it.
    const isWhite = (rgba: number[] | undefined) => rgba !== undefined && rgba[0]! > 235 && rgba[1]! > 235 && rgba[2]! > 235;
    const isColoured = (rgba: number[] | undefined) => rgba !== undefined && !isWhite(rgba) && rgba[3]! > 200;
    for (const level of ['admin', 'write', 'read'] as Level[]) {
      const entry = expected.reached.find((e) => e.level === level && !e.crownJewel)!;
      // Framed alone (search and pick it: the camera zooms onto it), large enough to sample inside its outline.
      await page.locator(`#search`).fill(entry.name.slice(0, 40));
      await page.locator(`[data-test="suggestion"][data-id="${CSS_escape(entry.id)}"]`).click();
      await page.waitForTimeout(700);
      // Sampled at an eighth of sigma's scaled size (the drawn shape's radius is about half of it): inside the outline.
      const r = (await probe(page, (p, a: string) => p.radiusPx(a), entry.id))!;
      expect(r).toBeGreaterThan(6);
      const centre = await probe(page, (p, a: string) => p.pixelNear(a, 0, 0), entry.id);
      const left = await probe(page, (p, a: { id: string; d: number }) => p.pixelNear(a.id, -a.d, 0), { id: entry.id, d: r * 0.12 });
      const right = await probe(page, (p, a: { id: string; d: number }) => p.pixelNear(a.id, a.d, 0), { id: entry.id, d: r * 0.12 });
      if (level === 'admin') expect(isColoured(centre) && isColoured(left) && isColoured(right), `admin ${String(centre)}`).toBe(true);
      if (level === 'read') expect(isWhite(centre) && isWhite(left) && isWhite(right), `read ${String(centre)}`).toBe(true);
      if (level === 'write') expect(isColoured(left) && isWhite(right), `write ${String(left)} ${String(right)}`).toBe(true);
    }
    const legend = await page.locator('[data-test="legend-level"] svg').evaluateAll((icons) => icons.map((icon) => icon.getAttribute('data-pattern')));
    expect(legend).toEqual(['solid', 'solid', 'half', 'hollow', 'slashed']);
    expect(await page.locator('[data-test="legend-level"]').allTextContents()).toContain(' read (hollow)');
    await page.goto(`${demoServer.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
    await waitForData(page, 'radiusCount');
    await page.waitForTimeout(700);
    await screenshot(page, '20-level-patterns');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});

/** A CSS attribute value for a node id (ids hold colons and slashes, never quotes). */
function CSS_escape(id: string): string {
  return id.replace(/["\\]/g, '\\$&');
}

describe('the plan recomputed after a cut', () => {
  it('recomputes the next steps from what the ticked cut leaves, lists the applied cut by name, and Back undoes it', async () => {
    const source = demo.indexOf.get(PARLEY)!;
    const full = revocationPlan(demo, [source], { at: AT, steps: 5 });
    const firstCut = full.steps[0]!.cut;
    const after = revocationPlan(demo, [source], { at: AT, steps: 5, overlay: compileMitigations(demo, firstCut.mitigations).overlay });
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=plan`);
    await page.locator('[data-test="cut-toggle"]').first().waitFor();
    expect(await page.locator('ol.plan label.cut b').first().textContent()).toContain(firstCut.name);
    await page.locator('[data-test="cut-toggle"]').first().click();
    await page.waitForFunction(() => document.body.dataset.planMitigations === '1' && document.body.dataset.busy === '0');
    // The applied cut is listed (ticked, by name) above the recomputed steps, which match the engine's.
    expect(await page.locator('[data-test="applied-cut"]').count()).toBe(1);
    expect(await page.locator('[data-test="applied-cuts"]').textContent()).toContain(firstCut.name);
    const steps = await page.locator('[data-test="cut-toggle"]').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('aria-label') ?? ''));
    expect(steps.length).toBe(after.steps.length);
    for (const [i, step] of after.steps.entries()) expect(steps[i]).toContain(step.cut.name);
    expect(steps.some((label) => label.endsWith(` ${firstCut.name}`))).toBe(false);
    await screenshot(page, '21-plan-after-cut');
    // Back undoes the cut: the full plan again.
    await page.evaluate(() => history.back());
    await page.waitForFunction(() => document.body.dataset.planMitigations === '0' && document.body.dataset.busy === '0');
    expect(await page.locator('[data-test="applied-cut"]').count()).toBe(0);
    expect(await page.locator('ol.plan label.cut b').first().textContent()).toContain(firstCut.name);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});

describe('Respond steps and browser history', () => {
  it('Back unticks a containment step and restores the radius; Forward ticks it again', async () => {
    const expected = respondPlan(demo, [demo.indexOf.get(PARLEY)!], { at: AT });
    const { page, watch } = await openPage(browser, `${demoServer.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=respond&respond=1`);
    await page.locator('[data-test="respond-step"]').first().waitFor();
    await page.waitForFunction((n) => document.body.dataset.radiusCount === n && document.body.dataset.busy === '0', String(expected.initialReached));
    const first = expected.steps.find((step) => step.phase === 'contain')!;
    await page.locator('[data-test="respond-step"]').first().check();
    await page.waitForFunction((n) => document.body.dataset.radiusCount === n && document.body.dataset.busy === '0', String(first.reachedAfter));
    await page.evaluate(() => history.back());
    await page.waitForFunction((n) => document.body.dataset.radiusCount === n && document.body.dataset.busy === '0', String(expected.initialReached));
    expect(await page.locator('[data-test="respond-step"]').first().isChecked()).toBe(false);
    await page.evaluate(() => history.forward());
    await page.waitForFunction((n) => document.body.dataset.radiusCount === n && document.body.dataset.busy === '0', String(first.reachedAfter));
    expect(await page.locator('[data-test="respond-step"]').first().isChecked()).toBe(true);
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});

describe('cluster drill-down in the radius map', () => {
  it('clicking a cluster of the map lists its members (as the engine counts them, nearest first) and draws them', async () => {
    const server = await serve(demo, ui.dir, 20);
    try {
      const { page, watch } = await openPage(browser, `${server.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=radius`);
      await page.waitForFunction(() => (document.body.dataset.mapReached ?? '') !== '' && document.body.dataset.busy === '0');
      const keys = await probe(page, (p) => p.clusterKeys());
      const levelled = keys.filter((key) => key.split('/').length === 3);
      expect(levelled.length).toBeGreaterThan(0);
      const oracle = reach(demo, [demo.indexOf.get(PARLEY)!], { at: AT });
      const membersOf = (key: string) => {
        const [platform, kind, level] = key.split('/') as [string, string, Level];
        const out: number[] = [];
        for (let v = 0; v < demo.nodeCount; v++) if (v !== demo.indexOf.get(PARLEY) && demo.nodes[v]!.platform === platform && demo.nodes[v]!.kind === kind && oracle.level[v] === LEVEL_CODE[level]) out.push(v);
        return out;
      };
      const key = levelled.sort((a, b) => membersOf(b).length - membersOf(a).length)[0]!;
      const [at] = await probe(page, (p, a: string[]) => p.viewportKeys(a), [`c:${key}`]);
      const box = (await page.locator('#graph').boundingBox())!;
      // A real click on the cluster where the canvas draws it.
      await page.mouse.click(box.x + at!.x, box.y + at!.y);
      await page.locator('[data-test="cluster"]').waitFor();
      await page.waitForFunction(() => document.body.dataset.busy === '0');
      // The cluster drawn on top where the click lands (clusters may overlap on a hop ring) is the one opened.
      const opened = new URL(page.url()).searchParams.get('cluster')!;
      expect(keys).toContain(opened);
      const expected = opened.split('/').length === 3 ? membersOf(opened) : [];
      if (opened.split('/').length === 2) {
        const [platform, kind] = opened.split('/');
        for (let v = 0; v < demo.nodeCount; v++) if (demo.nodes[v]!.platform === platform && demo.nodes[v]!.kind === kind && oracle.level[v] === 0) expected.push(v);
      }
      expect(await bodyData(page, 'clusterMembers')).toBe(`${Math.min(100, expected.length)}/${expected.length}`);
      const listed = await page.locator('[data-test="cluster-member"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
      expect(new Set(listed)).toEqual(new Set(expected.slice(0, 100).map((v) => demo.nodes[v]!.id)));
      expect(decodeURIComponent(new URL(page.url()).searchParams.get('expand')!)).toContain(opened);
      // Its members are now drawn one by one (the demo's clusters fit the budget once expanded).
      const drawn = await probe(page, (p, a: string[]) => p.viewport(a).positions.filter(Boolean).length, listed.slice(0, 20));
      expect(drawn).toBeGreaterThan(0);
      await screenshot(page, '22-cluster-members');
      expect(watch.errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
    }
  });
});

describe('marks and saved views kept with the graph', () => {
  it('marks a crown jewel and an owned node in the UI; the marks file holds them and the CLI reads them; a saved view reopens', async () => {
    const marksDir = mkdtempSync(join(tmpdir(), 'blastmap-marks-'));
    const marksFile = join(marksDir, 'demo.marks.json');
    const server = await serve(demo, ui.dir, undefined, marksFile);
    try {
      const source = demo.indexOf.get(PARLEY)!;
      const before = blastRadius(demo, [source], { at: AT });
      // A reached node that is no crown jewel yet.
      const target = before.reached.find((entry) => !entry.crownJewel && entry.kind === 'Resource')!;
      const { page, watch } = await openPage(browser, `${server.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&node=${encodeURIComponent(target.id)}`);
      await page.locator('[data-test="mark-jewel"]').waitFor();
      const crownBefore = Number(await waitForData(page, 'crownJewels'));
      expect(crownBefore).toBe(before.crownJewels.length);
      await page.locator('[data-test="mark-jewel"]').click();
      await page.waitForFunction((n) => document.body.dataset.crownJewels === n && document.body.dataset.busy === '0', String(crownBefore + 1));
      expect(await page.locator('[data-test="details"] .badge.jewel').count()).toBe(1);
      // Owned: the source itself.
      await page.goto(`${server.url}?at=${AT}&node=${encodeURIComponent(PARLEY)}`);
      await page.locator('[data-test="mark-owned"]').click();
      await page.locator('[data-test="owned-badge"]').waitFor();
      const saved = readMarks(marksFile);
      expect(saved.crownJewels).toEqual([target.id]);
      expect(saved.owned).toEqual([PARLEY]);
      // The engine on the marked graph agrees with what the page showed.
      expect(blastRadius(applyMarks(demo, saved), [source], { at: AT }).crownJewels.map((e) => e.id)).toContain(target.id);

      // The CLI reads the same file: `radius @owned` is Parley's radius, with the marked crown jewel.
      const cli = execFileSync(process.execPath, [join(REPO_ROOT, 'bin/blastmap.js'), 'radius', '@owned', '--graph', join(REPO_ROOT, 'datasets/demo'), '--at', AT, '-f', 'json'], { env: { ...process.env, BLASTMAP_MARKS: marksFile, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 64 << 20 });
      const json = JSON.parse(cli) as { sources: { id: string }[]; crownJewels: { id: string }[] };
      expect(json.sources.map((s) => s.id)).toEqual([PARLEY]);
      expect(json.crownJewels.map((e) => e.id)).toContain(target.id);

      // The start tab lists the owned node; saving the view keeps it in the marks file; it reopens from the list.
      await page.goto(`${server.url}?at=${AT}&sources=${encodeURIComponent(PARLEY)}&tab=plan&rings=1`);
      await page.locator('[data-test="cut-toggle"]').first().waitFor();
      await page.locator('#views-toggle').click();
      await page.locator('[data-test="view-name"]').fill('Parley plan');
      await page.locator('[data-test="save-view"]').click();
      await page.locator('[data-test="saved-view"]').waitFor();
      await screenshot(page, '23-marks-views');
      expect(readMarks(marksFile).views.map((v) => v.name)).toEqual(['Parley plan']);
      await page.goto(server.url);
      await page.locator('[data-test="owned"]').waitFor();
      expect(await page.locator('[data-test="owned"]').textContent()).toContain('Parley Chat');
      await page.locator('#views-toggle').click();
      await page.locator('[data-test="saved-view"]').click();
      await page.waitForSelector('body[data-ready="1"]');
      await page.locator('[data-test="cut-toggle"]').first().waitFor();
      const reopened = new URL(page.url()).searchParams;
      expect(decodeURIComponent(reopened.get('sources')!)).toBe(PARLEY);
      expect(reopened.get('tab')).toBe('plan');
      expect(reopened.get('rings')).toBe('1');
      // Unmarking removes the mark from the file.
      await page.goto(`${server.url}?node=${encodeURIComponent(target.id)}`);
      await page.locator('[data-test="mark-jewel"]').click();
      await page.waitForFunction(() => (document.body.dataset.marks ?? '').startsWith('jewels:|'));
      expect(readMarks(marksFile).crownJewels).toEqual([]);
      expect(watch.errors).toEqual([]);
      await page.context().close();
    } finally {
      await server.close();
      rmSync(marksDir, { recursive: true, force: true });
    }
  });
});
