// `blastmap serve`: the web UI and its JSON API on one graph, on 127.0.0.1 by default (docs/ui.md).
import { existsSync } from 'node:fs';
import type { ObservationStore } from '../../engine/evidence/store.ts';
import { evidencePath, loadEvidenceStore } from '../evidence.ts';
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { DEFAULT_BUDGET } from '../../engine/api/schemas.ts';
import { BlastmapError } from '../../engine/errors.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { parseCount, shownPath, type Io } from '../context.ts';
import { graphMarksPath, loadUnmarkedGraph } from '../load-graph.ts';
import { checkExposure, DEFAULT_HOST, DEFAULT_PORT, isLoopback, startServer, type RunningServer } from '../server/start.ts';
import { ensureUi } from '../server/ui-build.ts';
import { VERSION } from '../package-root.ts';


interface ServeFlags { evidence?: string | boolean; graph?: string; port?: string; host?: string; budget?: string; open?: boolean; token?: string }

export interface ServeSettings {
  host?: string;
  port?: number;
  budget?: number;
  open?: boolean;
  /** Query string appended to the printed URL (e.g. a radius to open with). */
  path?: string;
  /** Every request must present it (required beyond loopback). */
  token?: string;
  /** The graph's marks file (cli/marks.ts): the UI's marks and saved views are kept there. */
  marksPath?: string;
  /** Observations the UI lays over radii (docs/evidence.md). */
  evidence?: ObservationStore;
}

/**
 * Opens a URL in the desktop's browser when there is a desktop and an opener; never fails because of it.
 * BLASTMAP_NO_BROWSER=1 turns it off (tests, remote shells).
 */
export function openBrowser(url: string): boolean {
  if (process.env.BLASTMAP_NO_BROWSER) return false;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    // no opener: the URL is printed anyway
    return false;
  }
}

/** Starts the server on `graph`, prints where, and resolves when it stops (Ctrl-C or SIGTERM). */
export async function serveGraph(io: Io, graph: CompactGraph, settings: ServeSettings): Promise<void> {
  const host = settings.host ?? DEFAULT_HOST;
  checkExposure(host, settings.token);
  if (!isLoopback(host)) io.err(io.color.yellow(`warning: listening on ${shownPath(host)}: anyone who can reach this address and knows the token can read the graph; the traffic is not encrypted`));
  const tokenOption = settings.token !== undefined ? { token: settings.token } : {};
  const marksOption = { ...(settings.marksPath !== undefined ? { marksPath: settings.marksPath } : {}), ...(settings.evidence !== undefined ? { evidence: settings.evidence } : {}) };
  const uiDir = await ensureUi((text) => io.err(io.color.dim(text)));
  let server: RunningServer;
  try {
    server = await startServer({ graph, host, port: settings.port ?? DEFAULT_PORT, uiDir, version: VERSION, ...tokenOption, ...marksOption, ...(settings.budget !== undefined ? { budget: settings.budget } : {}) });
  } catch (error) {
    // The default port may be taken by another blastmap: fall back to any free port rather than fail.
    if (settings.port !== undefined || !(error instanceof BlastmapError)) throw error;
    server = await startServer({ graph, host, port: 0, uiDir, version: VERSION, ...tokenOption, ...marksOption, ...(settings.budget !== undefined ? { budget: settings.budget } : {}) });
  }
  const url = `${server.url}${settings.path ?? ''}`;
  io.out(`blastmap UI: ${url}  (${graph.nodeCount} nodes, ${graph.edgeCount} edges; Ctrl-C to stop)`);
  // The token is never printed (terminal logs outlive it). Opening `?token=` once trades it for an HttpOnly cookie.
  const link = settings.token === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(settings.token)}`;
  if (settings.token !== undefined) io.err(io.color.dim('every request must present the token: open the URL above once with ?token=<token> (the browser keeps it in a cookie), or send Authorization: Bearer <token>'));
  if (settings.open && !openBrowser(link)) io.err(io.color.dim('no desktop browser to open here: open the URL above in yours'));
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServe(program: Command, io: Io): void {
  program
    .command('serve')
    .description('the web UI: search, simulate a compromise, follow paths, toggle cuts and watch the radius shrink (127.0.0.1 by default)')
    .option('-g, --graph <snapshot|file|folder>', 'graph to serve (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-p, --port <port>', `port to listen on (default ${DEFAULT_PORT}; 0 = any free port)`)
    .option('--host <address>', `address to listen on (default ${DEFAULT_HOST}; anything else exposes the graph to the network)`)
    .option('--budget <nodes>', `most nodes sent to the browser before aggregating by platform and kind (default ${DEFAULT_BUDGET})`)
    .option('--open', 'open the UI in the default browser')
    .option('--evidence [folder]', 'lay activity logs over radii in the UI: a folder of raw logs (default: what `blastmap import logs` stored beside the graph, when there is any)')
    .option('--token <token>', 'require this token on every request (default $BLASTMAP_TOKEN; required with a --host other than loopback; at least 16 characters)')
    .action(async (flags: ServeFlags) => {
      const port = parseCount('--port', flags.port);
      if (port !== undefined && port > 65535) throw new BlastmapError('INVALID_OPTION', `--port ${flags.port}: expected 0 to 65535`);
      const budget = parseCount('--budget', flags.budget, 1);
      const token = flags.token ?? (process.env.BLASTMAP_TOKEN || undefined);
      // Checked before the graph is loaded, so a refused exposure fails fast.
      checkExposure(flags.host ?? DEFAULT_HOST, token);
      // The graph as its data says: the server applies the marks file itself and rewrites it when marks change.
      const graph = await loadUnmarkedGraph(flags.graph);
      const marksPath = graphMarksPath(flags.graph);
      // Evidence kept beside the graph, unless the graph came from standard input (nothing is beside it).
      const evidence = await loadEvidenceStore(flags.evidence ?? (flags.graph !== '-' && existsSync(evidencePath(flags.graph)) ? true : undefined), flags.graph);
      await serveGraph(io, graph, { ...(marksPath !== undefined ? { marksPath } : {}), ...(evidence ? { evidence } : {}), ...(token !== undefined ? { token } : {}), ...(flags.host ? { host: flags.host } : {}), ...(port !== undefined ? { port } : {}), ...(budget !== undefined ? { budget } : {}), open: flags.open === true });
    });
}
