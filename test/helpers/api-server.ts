// A real HTTP server on 127.0.0.1 for the collectors' tests: a handler answers each request from a platform's
// published examples, and faults queued per path (a 429 with Retry-After, a 503, a 403, a malformed body) are
// served first, one per request, the way a real API misbehaves. Every request is recorded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { join, relative } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface Served {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; `raw` instead sends the text as it is (a malformed page). */
  body?: unknown;
  raw?: string;
  /** Cut the connection without answering (a network failure). */
  drop?: boolean;
}

export interface Recorded { method: string; path: string; headers: IncomingMessage['headers']; body: string }

export type Handler = (url: URL, request: Recorded) => Served | undefined | Promise<Served | undefined>;

export interface ApiServer {
  url: string;
  requests: Recorded[];
  /** Queue answers for a path (`/api/v1/users`, or with its query): served, in order, before the handler's. */
  fail(path: string, ...answers: Served[]): void;
  /** The requests whose path (without query) is `path`. */
  calls(path: string): Recorded[];
  /** The most requests the server was answering at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function startApiServer(handler: Handler): Promise<ApiServer> {
  const requests: Recorded[] = [];
  const faults = new Map<string, Served[]>();
  let base = '';
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', base);
        const recorded: Recorded = { method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        requests.push(recorded);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        res.on('close', () => { inFlight--; });
        const queued = faults.get(url.pathname + url.search)?.length ? faults.get(url.pathname + url.search) : faults.get(url.pathname);
        let answer: Served | undefined = queued?.shift();
        try {
          answer ??= await handler(url, recorded);
        } catch (error) {
          answer = { status: 500, body: { message: String(error) } };
        }
        answer ??= { status: 404, body: { errorCode: 'E0000007', errorSummary: `Not found: ${url.pathname}` } };
        if (answer.drop) { req.socket.destroy(); return; }
        const text = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    fail(path, ...answers) { faults.set(path, [...(faults.get(path) ?? []), ...answers]); },
    calls: (path) => requests.filter((r) => r.path.split('?')[0] === path),
    maxInFlight: () => maxInFlight,
    close: () => new Promise<void>((resolve, reject) => { server.closeAllConnections(); server.close((error) => (error ? reject(error) : resolve())); }),
  };
}

/**
 * One page of `items` for APIs paged by an RFC 8288 Link header (Okta: `after` cursor; GitHub: `page`): the page
 * the request's cursor asks for, with `Link: <...>; rel="next"` while more remain.
 */
export function linkPage(items: readonly unknown[], url: URL, pageSize: number, cursor: 'after' | 'page' = 'after'): Served {
  const at = cursor === 'after' ? Number(url.searchParams.get('after') ?? 0) : (Number(url.searchParams.get('page') ?? 1) - 1) * pageSize;
  const page = items.slice(at, at + pageSize);
  const headers: Record<string, string> = {};
  if (at + pageSize < items.length) {
    const next = new URL(url.href);
    next.searchParams.set(cursor, String(cursor === 'after' ? at + pageSize : at / pageSize + 2));
    headers.link = `<${url.href}>; rel="self", <${next.href}>; rel="next"`;
  }
  return { body: page, headers };
}

/** A fixture folder as `<path without .json>` -> parsed JSON, the records a test server answers with. */
export function fixtureTree(root: string): Map<string, unknown> {
  const records = new Map<string, unknown>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json')) records.set(relative(root, full).replace(/\.json$/, ''), JSON.parse(readFileSync(full, 'utf8')));
    }
  };
  walk(root);
  return records;
}

/** Every file under `dir`, relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => { for (const name of readdirSync(d)) { const full = join(d, name); if (statSync(full).isDirectory()) walk(full); else out.push(relative(dir, full)); } };
  walk(dir);
  return out.sort();
}
