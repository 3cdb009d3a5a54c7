// What the browser tests share: Debian's Chromium driven by playwright-core (no browser download), the UI
// built fresh into a temporary folder, servers started in-process on free ports, screenshots as artifacts.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { startServer, type RunningServer } from '../../cli/server/start.ts';
import { buildUi, REPO_ROOT } from '../../cli/server/ui-build.ts';

export const CHROMIUM = process.env.BLASTMAP_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/e2e');
export const VIEWPORT = { width: 1000, height: 700 };

/** Flags for Chromium as root in a container with no network but loopback. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`e2e: no Chromium at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium (or set BLASTMAP_CHROMIUM)`);
  }
}

export async function buildUiForTests(): Promise<{ dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'blastmap-ui-'));
  await buildUi(dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

export const serve = (graph: CompactGraph, uiDir: string, budget?: number, marksPath?: string): Promise<RunningServer> =>
  startServer({ graph, uiDir, host: '127.0.0.1', port: 0, ...(budget !== undefined ? { budget } : {}), ...(marksPath !== undefined ? { marksPath } : {}) });

/** Problems the page reports: uncaught errors, CSP violations, dialogs (which a payload would open). */
export interface PageWatch {
  errors: string[];
  dialogs: string[];
}

/** `bypassCSP` lets a test inject a checker (axe-core) the page's Content Security Policy would otherwise refuse. */
export async function openPage(browser: Browser, url: string, options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; watch: PageWatch }> {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true, ...(options.bypassCSP ? { bypassCSP: true } : {}) });
  const page = await context.newPage();
  const watch: PageWatch = { errors: [], dialogs: [] };
  page.on('pageerror', (error) => watch.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
  return { page, watch };
}

/** Screenshots docs/ui.md shows: refreshed into docs/images/ui/ when BLASTMAP_DOCS_SCREENSHOTS=1. */
export const DOCS_SCREENSHOTS = join(REPO_ROOT, 'docs/images/ui');
const DOCUMENTED = new Set(['06-path', '08-cut-applied', '14-radius-map-100k', '15-radius-map-path-100k', '16-keyboard-1024', '17-bidi-long-names', '18-route', '19-edge', '20-level-patterns', '22-cluster-members', '23-marks-views', '24-cluster-members-100k', '25-evidence']);

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  if (process.env.BLASTMAP_DOCS_SCREENSHOTS === '1' && DOCUMENTED.has(name)) {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    copyFileSync(path, join(DOCS_SCREENSHOTS, `${name}.png`));
  }
  return path;
}

/** Waits until a body data attribute is set to something other than `previous`, and returns it. */
export async function waitForData(page: Page, name: string, previous?: string): Promise<string> {
  const handle = await page.waitForFunction(([key, before]) => {
    const value = document.body.dataset[key as string];
    return value !== undefined && value !== '' && value !== before && document.body.dataset.busy === '0' ? value : false;
  }, [name, previous ?? null] as const, { timeout: 20_000 });
  return (await handle.jsonValue()) as string;
}
