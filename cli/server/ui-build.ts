// Where the built web UI lives (dist/ui) and building it when it is missing or older than its sources,
// so `blastmap serve` works on a fresh clone (vite is a dev dependency; an installed package ships dist/ui).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BlastmapError } from '../../engine/errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export const REPO_ROOT = PACKAGE_ROOT;
export const UI_DIST = join(REPO_ROOT, 'dist/ui');
const UI_SOURCES = [join(REPO_ROOT, 'ui'), join(REPO_ROOT, 'engine'), join(REPO_ROOT, 'vite.config.ts')];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** True when dist/ui has an index.html at least as new as every UI and engine source file. */
export function uiIsCurrent(dist = UI_DIST): boolean {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return false;
  if (!existsSync(join(REPO_ROOT, 'ui'))) return true;
  return statSync(index).mtimeMs >= Math.max(...UI_SOURCES.map(newestChange));
}

/** Builds the UI with vite into `outDir` (default dist/ui). */
export async function buildUi(outDir = UI_DIST): Promise<void> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch (error) {
    throw new BlastmapError('IO', `the web UI is not built and vite is not installed: run \`npm install\` then \`npm run build:ui\``, { cause: error });
  }
  await vite.build({ configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
}

/** The folder to serve: dist/ui, built first when missing or stale (`log` says so). */
export async function ensureUi(log: (text: string) => void): Promise<string> {
  if (!uiIsCurrent()) {
    if (!existsSync(join(REPO_ROOT, 'ui'))) throw new BlastmapError('IO', `no built web UI at ${UI_DIST}`);
    log('building the web UI (dist/ui)…');
    await buildUi();
  }
  return UI_DIST;
}
