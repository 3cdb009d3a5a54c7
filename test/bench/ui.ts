// The web UI at scale, in headless Chromium with software WebGL: first render and the riskiest connector's
// radius map on a generated enterprise (100k nodes / ~800k edges by default). Prints the page's own clock
// readings (the server runs in this process, so the page clock is the one that is not delayed by it).
// `node bin/run-ts.js test/bench/ui.ts [nodes]`; `npm run bench` runs it last.
import { buildFromChunks } from '../../engine/store/builder.ts';
import { DEFAULT_GENERATION_INSTANT, generateEnterprise } from '../../engine/generate/enterprise.ts';
import { buildUiForTests, CHROMIUM, launchChromium, openPage, serve } from '../e2e/harness.ts';
import { existsSync } from 'node:fs';

export interface UiTimings {
  nodes: number;
  edges: number;
  firstRenderMs: number;
  /** Navigation start to ready, in the page's clock (without the browser context's own start). */
  readyAt: number;
  metaMs: number;
  mapDrawnMs: number;
  reached: number;
  frameMs: number;
  budget: number;
}

export async function measureUi(nodes = 100_000): Promise<UiTimings | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const graph = buildFromChunks(generateEnterprise({ nodes, seed: 1 }), { expectedNodes: nodes, expectedEdges: nodes * 8 });
  const ui = await buildUiForTests();
  const server = await serve(graph, ui.dir);
  const browser = await launchChromium();
  try {
    const started = performance.now();
    const { page } = await openPage(browser, server.url);
    const firstRenderMs = Math.round(performance.now() - started);
    const data = (key: string) => page.evaluate((k) => document.body.dataset[k] ?? '', key);
    const metaMs = Number(await data('metaMs'));
    const readyAt = Number(await data('readyAt'));
    if (process.env.BLASTMAP_UI_BENCH_DEBUG) console.log(await page.evaluate(() => ({ ...document.body.dataset, domContentLoaded: Math.round(performance.getEntriesByType('navigation')[0] ? (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd : -1), now: Math.round(performance.now()) })));
    const riskiest = await page.evaluate(async () => ((await (await fetch('/api/meta')).json()) as { riskiest: { id: string }[] }).riskiest[0]!.id);
    const at = DEFAULT_GENERATION_INSTANT.slice(0, 10);
    await page.goto(`${server.url}?at=${at}&sources=${encodeURIComponent(riskiest)}&tab=radius`);
    await page.waitForFunction(() => (document.body.dataset.mapReached ?? '') !== '' && (document.body.dataset.frameMs ?? '') !== '', null, { timeout: 300_000 });
    const timings: UiTimings = {
      nodes: graph.nodeCount, edges: graph.edgeCount, firstRenderMs, readyAt, metaMs,
      mapDrawnMs: Number(await data('mapDrawnAt')), reached: Number(await data('mapReached')), frameMs: Number(await data('frameMs')), budget: Number(await data('drawBudget')),
    };
    await page.context().close();
    return timings;
  } finally {
    await browser.close();
    await server.close();
    ui.cleanup();
  }
}

export function formatUiTimings(t: UiTimings | undefined): string {
  if (!t) return `web UI: skipped (no Chromium at ${CHROMIUM})`;
  return `web UI, ${t.nodes.toLocaleString('en-US')} nodes / ${t.edges.toLocaleString('en-US')} edges, headless Chromium, software WebGL (goal: each ≤ 5 s):\n` +
    `  first render: ${t.readyAt} ms from navigation start to ready (page clock; ${t.firstRenderMs} ms with opening a browser tab; /api/meta ${t.metaMs} ms)\n` +
    `  riskiest connector's radius (${t.reached.toLocaleString('en-US')} reached) drawn as a map: ${t.mapDrawnMs} ms from navigation start\n` +
    `  measured frame ${t.frameMs} ms; drawing budget chosen ${t.budget.toLocaleString('en-US')} nodes`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const nodes = Number(process.argv[2] ?? 100_000);
  process.stdout.write(`${formatUiTimings(await measureUi(nodes))}\n`);
}
