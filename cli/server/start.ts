// Starts the HTTP server of `blastmap serve` on a loopback address by default and reports its URL.
import type { ObservationStore } from '../../engine/evidence/store.ts';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { BlastmapError } from '../../engine/errors.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import type { createApp } from './app.ts';
import { loadStaticFiles } from './static.ts';
import { applyMarks, readMarks } from '../marks.ts';
import { MIN_TOKEN_LENGTH, type RateLimitOptions } from './guard.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7420;

export interface ServerOptions {
  graph: CompactGraph;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  budget?: number;
  /** Folder of the built UI (dist/ui). */
  uiDir: string;
  version?: string;
  /** Required on any address other than loopback: every request must present it. */
  token?: string;
  /** Per-client rate limit (default DEFAULT_RATE_LIMIT); false turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** The graph's marks file (cli/marks.ts): applied to `graph` (as its data says), and where the UI's marks go. */
  marksPath?: string;
  /** Observations for `/api/evidence` (docs/evidence.md). */
  evidence?: ObservationStore;
}

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Refuses to expose the graph beyond loopback without a token, and refuses tokens too short to resist guessing. */
export function checkExposure(host: string, token: string | undefined): void {
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new BlastmapError('INVALID_OPTION', `--token: use at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 24\`)`);
  }
  if (token === undefined && !isLoopback(host)) {
    throw new BlastmapError('INVALID_OPTION', `--host ${host} exposes the graph beyond this machine: pass --token <token> (or set BLASTMAP_TOKEN) so every request must present it`);
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  checkExposure(host, options.token);
  const files = loadStaticFiles(options.uiDir);
  // Loaded here, not at the top: every command imports this module's settings, and only `serve` needs the HTTP stack.
  const [{ serve }, { createApp }] = await Promise.all([import('@hono/node-server'), import('./app.ts')]);
  const marked = options.marksPath !== undefined ? applyMarks(options.graph, readMarks(options.marksPath)) : options.graph;
  const app = (port: number) => createApp({
    graph: marked,
    ...(options.marksPath !== undefined ? { marksPath: options.marksPath, unmarkedGraph: options.graph } : {}),
    files,
    ...(options.budget !== undefined ? { budget: options.budget } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    ...(options.evidence !== undefined ? { evidence: options.evidence } : {}),
    // A loopback server answers only to loopback names: a page elsewhere cannot rebind a DNS name onto it.
    ...(isLoopback(host) ? { allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`] } : {}),
  });
  let handler: ReturnType<typeof createApp> | undefined;
  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve({ fetch: (request, env) => handler!.fetch(request, env), hostname: host, port: options.port ?? DEFAULT_PORT }) as Server;
    created.once('listening', () => resolve(created));
    created.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new BlastmapError('IO', `port ${options.port ?? DEFAULT_PORT} on ${host} is in use; pass --port <n> (0 = any free port)`)
        : new BlastmapError('IO', `cannot listen on ${host}:${options.port ?? DEFAULT_PORT}: ${error.message}`, { cause: error }));
    });
  });
  const port = (server.address() as AddressInfo).port;
  handler = app(port);
  // The first page asks for the riskiest connectors: rank them now, while the user opens the link.
  const warm = setTimeout(() => { void import('./views.ts').then(({ warmCaches }) => warmCaches(marked)); }, 0);
  warm.unref?.();
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${port}/`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
