// The HTTP application behind `blastmap serve`: JSON API routes (requests and responses checked against
// engine/api/schemas.ts) over one loaded graph, the built UI as static files, and the security headers.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { z } from 'zod';
import {
  DEFAULT_BUDGET, errorResponseSchema, exposureRequestSchema, exposureResponseSchema, graphRequestSchema, graphResponseSchema,
  mapRequestSchema, mapResponseSchema, metaResponseSchema, nodeDetailsResponseSchema, planRequestSchema, planResponseSchema, radiusRequestSchema, radiusResponseSchema,
  edgeDetailsResponseSchema, evidenceRequestSchema, evidenceResponseSchema, respondRequestSchema, respondResponseSchema, routeRequestSchema, routeResponseSchema,
  searchRequestSchema, searchResponseSchema, whatIfRequestSchema, whatIfSchema, type ErrorResponse,
} from '../../engine/api/schemas.ts';
import { clusterRequestSchema, clusterResponseSchema, markRequestSchema, marksResponseSchema, viewRequestSchema, type MarksResponse } from '../../engine/api/schemas.ts';
import { applyMarks, readMarks, setMark, writeMarks, type Marks } from '../marks.ts';
import { CROWN_JEWEL_TAG, nodeRef } from '../../engine/analysis/radius.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { basename } from 'node:path';
import { mitigationSchema, type Mitigation } from '../../engine/analysis/mitigations.ts';
import { describeRadius } from '../../engine/analysis/radius.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { compileMitigations } from '../../engine/analysis/mitigations.ts';
import { BlastmapError, type ErrorCode } from '../../engine/errors.ts';
import { redactStrings, redactText, scrubInput } from '../../engine/secrets.ts';
import { withoutControls } from '../../engine/format/validate.ts';
import { htmlDocument, radiusSection } from '../../engine/report/html.ts';
import { whatIf } from '../../engine/analysis/whatif.ts';
import { reportContextHtml, reportTitle } from './report-context.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { graphView, radiusMap } from './aggregate.ts';
import { clusterMembers } from './cluster.ts';
import { searchNodes } from './search.ts';
import type { StaticFile } from './static.ts';
import { clientAddress, DEFAULT_RATE_LIMIT, presentedToken, RateLimiter, tokenCookie, tokensEqual, type RateLimitOptions } from './guard.ts';
import { resolveEvidence, type Evidence } from '../../engine/evidence/report.ts';
import type { ObservationStore } from '../../engine/evidence/store.ts';
import { edgeDetailsResponse, evidenceResponse, exposureResponse, metaResponse, routeResponse, nodeDetailsResponse, planResponse, radiusResponse, reachOptionsOf, respondResponse, resolveSources, whatIfResponse } from './views.ts';

export const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'";
/** Largest request body accepted: analysis requests are small; mitigation lists stay well under this. */
export const BODY_LIMIT = 256 * 1024;

export interface AppOptions {
  graph: CompactGraph;
  /** Most nodes a graph view sends (clients may ask for fewer). */
  budget?: number;
  /** The built UI (from loadStaticFiles); empty serves the API only. */
  files?: ReadonlyMap<string, StaticFile>;
  /** When set, requests whose Host header is not one of these are refused (DNS rebinding on a loopback server). */
  allowedHosts?: readonly string[];
  version?: string;
  /** Server-side errors that are not the client's fault (default: printed to stderr). */
  onInternalError?: (error: unknown) => void;
  /** When set, every request must present it (Authorization: Bearer, or the cookie a `/?token=` link sets). */
  token?: string;
  /** Per-client request budget (default DEFAULT_RATE_LIMIT); false turns it off. */
  rateLimit?: RateLimitOptions | false;
  /**
   * The marks file of the graph (cli/marks.ts): marks made in the UI are written there, where the CLI reads
   * them. `graph` then has the marks applied and `unmarkedGraph` is the graph as its data says.
   */
  marksPath?: string;
  unmarkedGraph?: CompactGraph;
  /** Observations to lay over radii (`blastmap serve --evidence`, or those imported beside the graph): `/api/evidence`. */
  evidence?: ObservationStore;
}

const STATUS: Record<ErrorCode, 400 | 404 | 409 | 500> = {
  INVALID_INPUT: 400,
  INVALID_OPTION: 400,
  UNKNOWN_NODE: 404,
  AMBIGUOUS_NODE: 409,
  INVALID_SNAPSHOT: 500,
  IO: 500,
  LOCKED: 409,
};

class RequestError extends Error {
  constructor(readonly status: 400 | 401 | 404 | 405 | 413 | 415 | 421 | 429, readonly body: ErrorResponse, readonly headers: Record<string, string> = {}) {
    super(body.error.message);
  }
}

const failure = (code: string, message: string, extra: Omit<ErrorResponse['error'], 'code' | 'message'> = {}): ErrorResponse => ({ error: { code, message, ...extra } });

function parseRequest<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 50).map((issue) => ({ path: `$${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`, message: issue.message }));
  throw new RequestError(400, failure('INVALID_REQUEST', `the request does not match its schema: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, { issues }));
}

async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  // Only JSON: a cross-site form cannot send it without a preflight the server never grants.
  if (!/^application\/json\b/i.test(type)) throw new RequestError(415, failure('UNSUPPORTED_MEDIA_TYPE', 'send the request body as application/json'));
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new RequestError(400, failure('INVALID_JSON', 'the request body is not valid JSON'));
  }
  // A request body is input like any export: scrubbed before anything reads it, so that no answer, no error (a strict
  // schema names an unknown key) and no saved view can send a secret back.
  return scrubInput(body);
}

/** Comma-separated query values: `a,b` → ['a', 'b']; absent → undefined. */
const list = (value: string | undefined): string[] | undefined => (value === undefined || value === '' ? undefined : value.split(',').map((item) => item.trim()).filter(Boolean));
const number = (value: string | undefined): number | string | undefined => (value === undefined || value === '' ? undefined : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);
const defined = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** Analysis option fields as query parameters (the HTML report is a plain link). */
function analysisQuery(c: Context): Record<string, unknown> {
  return defined({
    at: c.req.query('at') || undefined,
    maxDepth: number(c.req.query('maxDepth')),
    edgeKinds: list(c.req.query('edgeKinds')),
    excludeEdgeKinds: list(c.req.query('excludeEdgeKinds')),
    enforce: list(c.req.query('enforce')),
  });
}

/**
 * The redirect target after the token link, always on this server: `//evil.example/` (or `/\\evil.example/`, which
 * browsers read alike) as a path would be a protocol-relative URL to another host, so leading slashes and
 * backslashes collapse to one slash.
 */
export function sameOriginLocation(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;
}

/** The raw request line's target form and every Host header, from the Node adapter (none in-process: tests). */
function requestTarget(c: Context): { form: 'origin' | 'other'; hosts: string[] } {
  const incoming = (c.env as { incoming?: { url?: string; headersDistinct?: Record<string, string[] | undefined> } } | undefined)?.incoming;
  if (incoming === undefined) return { form: 'origin', hosts: [] };
  return { form: incoming.url?.startsWith('/') === true ? 'origin' : 'other', hosts: incoming.headersDistinct?.host ?? [] };
}

export function createApp(options: AppOptions): Hono {
  // Reassigned when a mark changes: every route reads the current graph.
  let graph = options.graph;
  const unmarked = options.unmarkedGraph ?? options.graph;
  const marksFile = options.marksPath;
  let marks: Marks | undefined = marksFile !== undefined ? readMarks(marksFile) : undefined;
  const marksAnswer = (): MarksResponse => ({
    available: marks !== undefined,
    file: marksFile !== undefined ? basename(marksFile) : null,
    crownJewels: marks?.crownJewels ?? [],
    notCrownJewels: marks?.notCrownJewels ?? [],
    owned: marks ? marks.owned.flatMap((id) => { const v = graph.indexOf.get(id); return v === undefined ? [] : [nodeRef(graph, v)]; }) : [],
    views: marks?.views ?? [],
  });
  const marksUnavailable = () => new RequestError(404, failure('MARKS_UNAVAILABLE', 'this server keeps no marks file: start it with `blastmap serve --graph <path>`'));
  const updateMarks = (next: Marks) => {
    if (marksFile === undefined) throw marksUnavailable();
    writeMarks(marksFile, next);
    marks = next;
    graph = applyMarks(unmarked, next);
  };
  const maxBudget = options.budget ?? DEFAULT_BUDGET;
  const store = options.evidence;
  const evidenceMeta = store ? { events: store.count, first: store.count > 0 ? new Date(store.at[0]!).toISOString() : null, last: store.count > 0 ? new Date(store.at[store.count - 1]!).toISOString() : null } : null;
  const files = options.files ?? new Map<string, StaticFile>();
  const version = options.version ?? '0.0.0';
  const allowedHosts = options.allowedHosts ? new Set(options.allowedHosts.map((host) => host.toLowerCase())) : undefined;
  const app = new Hono();

  const send = <T extends z.ZodType>(c: Context, schema: T, value: unknown) => c.json(schema.parse(value) as object);

  app.use('*', async (c, next) => {
    const target = requestTarget(c);
    // `GET http://127.0.0.1/ HTTP/1.1` with `Host: evil.example`: the adapter would take the URL's host from the
    // target, not from the Host header the browser sent. Only origin-form (`/path`) is accepted; proxies are not served.
    if (target.form !== 'origin') throw new RequestError(400, failure('BAD_REQUEST_TARGET', 'send the request target as a path (origin-form); absolute-form and authority-form are not accepted'));
    // Two Host headers: Node keeps the first, a proxy in front may route by the other (RFC 9112 §3.2: answer 400).
    if (target.hosts.length > 1) throw new RequestError(400, failure('DUPLICATE_HOST', 'send exactly one Host header'));
    const host = target.hosts[0] ?? new URL(c.req.url).host;
    if (allowedHosts && !allowedHosts.has(host.toLowerCase())) {
      throw new RequestError(421, failure('MISDIRECTED', 'this server only answers requests addressed to its own host name'));
    }
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
  });
  // Before the token check, so guessing tokens is rate limited too.
  const limiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  if (limiter) {
    app.use('*', async (c, next) => {
      const wait = limiter.take(clientAddress(c));
      if (wait > 0) throw new RequestError(429, failure('RATE_LIMITED', `too many requests; retry in ${wait} s`), { 'Retry-After': String(wait) });
      await next();
    });
  }
  const token = options.token;
  if (token !== undefined) {
    app.use('*', async (c, next) => {
      const linkToken = c.req.query('token');
      // The one-time link: a page load carrying the token trades it for a cookie and drops it from the address bar.
      if (linkToken !== undefined && c.req.method === 'GET' && !c.req.path.startsWith('/api/')) {
        if (!tokensEqual(linkToken, token)) throw new RequestError(401, failure('UNAUTHORIZED', 'wrong token in the link'));
        const url = new URL(c.req.url);
        url.searchParams.delete('token');
        c.header('Set-Cookie', tokenCookie(token));
        c.header('Cache-Control', 'no-store');
        return c.redirect(sameOriginLocation(url), 303);
      }
      const presented = presentedToken(c);
      if (presented === undefined || !tokensEqual(presented, token)) {
        throw new RequestError(401, failure('UNAUTHORIZED', 'this server needs its token: open the link `blastmap serve` printed, or send Authorization: Bearer <token>'), { 'WWW-Authenticate': 'Bearer' });
      }
      await next();
    });
  }
  app.use('/api/*', bodyLimit({ maxSize: BODY_LIMIT, onError: (c) => c.json(failure('BODY_TOO_LARGE', `request bodies are limited to ${BODY_LIMIT} bytes`), 413) }));
  app.use('/api/*', compress());
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  // For a supervisor or a script waiting for the server: answers as soon as it listens, without touching the graph.
  app.get('/api/health', (c) => c.json({ status: 'ok', version }));
  app.get('/api/meta', (c) => send(c, metaResponseSchema, { ...metaResponse(graph, maxBudget, version), evidence: evidenceMeta }));

  const graphRoute = (c: Context, raw: unknown) => {
    const request = parseRequest(graphRequestSchema, raw);
    const budget = Math.min(request.budget ?? maxBudget, maxBudget);
    let focus: number[] | undefined;
    if (request.focus) {
      const focusRequest = request.focus;
      const mitigations = (focusRequest.mitigations ?? []) as Mitigation[];
      const reachOptions = reachOptionsOf(focusRequest);
      if (mitigations.length > 0) reachOptions.overlay = compileMitigations(graph, mitigations).overlay;
      focus = [...reach(graph, resolveSources(graph, focusRequest.sources), reachOptions).order];
    }
    return send(c, graphResponseSchema, graphView(graph, { budget, platforms: request.platforms, kinds: request.kinds, expand: request.expand, focus }));
  };
  app.get('/api/graph', (c) => graphRoute(c, defined({
    budget: number(c.req.query('budget')),
    platforms: list(c.req.query('platforms')),
    kinds: list(c.req.query('kinds')),
    expand: list(c.req.query('expand')),
  })));
  app.post('/api/graph', async (c) => graphRoute(c, await jsonBody(c)));

  // The radius as a map of any size: one traversal, no per-node paths (the radius answer has those).
  app.post('/api/map', async (c) => {
    const request = parseRequest(mapRequestSchema, await jsonBody(c));
    const focus = request.focus;
    const options = reachOptionsOf(focus);
    const mitigations = (focus.mitigations ?? []) as Mitigation[];
    if (mitigations.length > 0) options.overlay = compileMitigations(graph, mitigations).overlay;
    const result = reach(graph, resolveSources(graph, focus.sources), options);
    const pathNodes = (request.pathNodes ?? []).flatMap((id) => { const v = graph.indexOf.get(id); return v === undefined ? [] : [v]; });
    return send(c, mapResponseSchema, radiusMap(result, { budget: Math.min(request.budget ?? maxBudget, maxBudget), platforms: request.platforms, kinds: request.kinds, expand: request.expand, pathNodes }));
  });

  app.get('/api/search', (c) => {
    const request = parseRequest(searchRequestSchema, defined({ q: c.req.query('q') ?? '', limit: number(c.req.query('limit')) }));
    // The echo carries no control character: whoever prints this answer prints the query too.
    return send(c, searchResponseSchema, { query: redactText(withoutControls(request.q)).text, results: searchNodes(graph, request.q, request.limit ?? 12) });
  });

  app.get('/api/node/:id', (c) => {
    const at = parseRequest(z.strictObject({ at: z.iso.date().or(z.iso.datetime()).optional() }), defined({ at: c.req.query('at') || undefined })).at;
    return send(c, nodeDetailsResponseSchema, nodeDetailsResponse(graph, c.req.param('id'), at));
  });

  app.post('/api/radius', async (c) => send(c, radiusResponseSchema, radiusResponse(graph, parseRequest(radiusRequestSchema, await jsonBody(c)))));
  app.post('/api/plan', async (c) => send(c, planResponseSchema, planResponse(graph, parseRequest(planRequestSchema, await jsonBody(c)))));
  // The containment plan: GET for a link (one `sources` parameter per source), POST for scripts and the UI.
  app.get('/api/respond', (c) => send(c, respondResponseSchema, respondResponse(graph, parseRequest(respondRequestSchema, defined({
    ...analysisQuery(c), sources: c.req.queries('sources'), since: c.req.query('since') || undefined, steps: number(c.req.query('steps')),
  })), evidenceIfAny())));
  app.post('/api/respond', async (c) => send(c, respondResponseSchema, respondResponse(graph, parseRequest(respondRequestSchema, await jsonBody(c)), evidenceIfAny())));
  // Evidence: resolved against the graph once per graph object (a mark makes a new one with the same nodes).
  const resolved = new WeakMap<CompactGraph, Evidence>();
  const evidenceOf = (): Evidence => {
    if (!options.evidence) throw new RequestError(404, failure('EVIDENCE_UNAVAILABLE', 'this server holds no evidence: run `blastmap import logs <folder> --graph <graph>`, or start it with `blastmap serve --evidence <folder>`'));
    let found = resolved.get(graph);
    if (!found) resolved.set(graph, found = resolveEvidence(graph, options.evidence));
    return found;
  };
  const evidenceIfAny = (): Evidence | undefined => (options.evidence ? evidenceOf() : undefined);
  app.post('/api/evidence', async (c) => send(c, evidenceResponseSchema, evidenceResponse(graph, evidenceOf(), parseRequest(evidenceRequestSchema, await jsonBody(c)))));
  app.post('/api/whatif', async (c) => send(c, whatIfSchema, whatIfResponse(graph, parseRequest(whatIfRequestSchema, await jsonBody(c)))));
  app.get('/api/edge', (c) => {
    const request = parseRequest(z.strictObject({ source: z.string().min(1).max(2048), id: z.string().min(1).max(8192) }), defined({ source: c.req.query('source'), id: c.req.query('id') }));
    return send(c, edgeDetailsResponseSchema, edgeDetailsResponse(graph, request.source, request.id));
  });
  // Marks and saved views, kept in the graph's marks file where the CLI reads them (docs/ui.md).
  app.get('/api/marks', (c) => send(c, marksResponseSchema, marksAnswer()));
  app.post('/api/marks', async (c) => {
    const request = parseRequest(markRequestSchema, await jsonBody(c));
    if (!marks) throw marksUnavailable();
    const v = resolveNode(graph, request.node);
    const id = graph.nodes[v]!.id;
    const dataCrownJewel = unmarked.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG) ?? false;
    updateMarks(setMark(marks, id, { crownJewel: request.crownJewel, owned: request.owned, dataCrownJewel }));
    return send(c, marksResponseSchema, marksAnswer());
  });
  app.post('/api/views', async (c) => {
    const request = parseRequest(viewRequestSchema, await jsonBody(c));
    if (!marks) throw marksUnavailable();
    const current = marks;
    const others = current.views.filter((view) => view.name !== request.name);
    if (!request.delete && request.query === undefined) throw new RequestError(400, failure('INVALID_REQUEST', 'give the view\'s query, or delete: true'));
    updateMarks({ ...current, views: request.delete ? others : [...others, { name: request.name, query: request.query!, saved: new Date().toISOString() }] });
    return send(c, marksResponseSchema, marksAnswer());
  });
  app.post('/api/cluster', async (c) => send(c, clusterResponseSchema, clusterMembers(graph, parseRequest(clusterRequestSchema, await jsonBody(c)))));
  app.post('/api/route', async (c) => send(c, routeResponseSchema, routeResponse(graph, parseRequest(routeRequestSchema, await jsonBody(c)))));
  app.post('/api/exposure', async (c) => send(c, exposureResponseSchema, exposureResponse(graph, parseRequest(exposureRequestSchema, await jsonBody(c)))));

  // Node ids may contain commas: one `sources` parameter per source.
  app.get('/api/report.html', (c) => {
    const request = parseRequest(radiusRequestSchema, defined({ ...analysisQuery(c), sources: c.req.queries('sources') }));
    let mitigations: Mitigation[] = [];
    const rawMitigations = c.req.query('mitigations');
    if (rawMitigations) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawMitigations);
      } catch {
        throw new RequestError(400, failure('INVALID_REQUEST', 'mitigations: not valid JSON'));
      }
      mitigations = parseRequest(mitigationSchema.max(500), parsed) as Mitigation[];
    }
    const options = reachOptionsOf(request);
    const sources = resolveSources(graph, request.sources);
    const compiled = mitigations.length > 0 ? compileMitigations(graph, mitigations) : undefined;
    let real: { score: number; reached: number } | undefined;
    if (compiled) {
      const diff = whatIf(graph, sources, compiled, reachOptionsOf(request));
      real = { score: diff.scoreBefore, reached: diff.before.reachedCount };
      options.overlay = compiled.overlay;
    }
    const radius = describeRadius(reach(graph, sources, options), options);
    // The report says what it is: a what-if says so, with the filters, controls and cuts behind the numbers.
    const context = reportContextHtml({
      sources: radius.sources.map((s) => s.name), graph: { nodes: graph.nodeCount, edges: graph.edgeCount }, at: radius.at, made: new Date(),
      maxDepth: request.maxDepth, edgeKinds: request.edgeKinds, excludeEdgeKinds: request.excludeEdgeKinds, enforce: request.enforce, mitigations, real,
      nameOf: (id) => { const v = graph.indexOf.get(id); return v === undefined ? undefined : graph.nodes[v]!.name; },
    });
    const section = radiusSection(radius);
    const headingEnd = section.indexOf('</h1>') + '</h1>'.length;
    const whatIfNote = mitigations.length > 0 ? '<h1>What-if</h1>\n' : '';
    const html = htmlDocument(reportTitle({ sources: radius.sources.map((s) => s.name), mitigations }), `${whatIfNote}${section.slice(0, headingEnd)}\n${context}\n${section.slice(headingEnd)}`);
    c.header('Content-Disposition', 'attachment; filename="blastmap-report.html"');
    c.header('Cache-Control', 'no-store');
    return c.body(html, 200, { 'Content-Type': 'text/html; charset=utf-8' });
  });

  app.all('/api/*', () => {
    throw new RequestError(404, failure('NOT_FOUND', 'no such API route (see docs/ui.md)'));
  });

  app.get('*', (c) => {
    const file = files.get(c.req.path);
    if (!file) {
      if (files.size === 0 && c.req.path === '/') throw new RequestError(404, failure('UI_NOT_BUILT', 'the web UI is not built: run `npm run build:ui`'));
      throw new RequestError(404, failure('NOT_FOUND', 'no such file'));
    }
    c.header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.type });
  });
  app.all('*', () => {
    throw new RequestError(405, failure('METHOD_NOT_ALLOWED', 'only GET is served outside /api'));
  });

  app.onError((error, c) => {
    let status: number;
    let body: ErrorResponse;
    if (error instanceof RequestError) {
      status = error.status;
      body = error.body;
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    } else if (error instanceof BlastmapError) {
      status = STATUS[error.code];
      // Messages and issues quote the request; never send a secret back, even the caller's own.
      body = redactStrings(failure(error.code, error.message, {
        ...(error.candidates.length > 0 ? { candidates: [...error.candidates] } : {}),
        ...(error.issues.length > 0 ? { issues: error.issues.slice(0, 50).map(({ path, message, expected, found }) => defined({ path, message, expected, found }) as { path: string; message: string }) } : {}),
      }));
    } else {
      // The server log is an output too: the error's text (which may quote the request) is redacted.
      (options.onInternalError ?? ((e) => console.error('blastmap serve: internal error:', redactText(String((e as Error)?.stack ?? e)).text)))(error);
      status = 500;
      body = failure('INTERNAL', 'internal error; the server log says more');
    }
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
    return c.json(errorResponseSchema.parse(body), status as 400);
  });
  return app;
}
