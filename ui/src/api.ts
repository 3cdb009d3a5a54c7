// The browser side of the JSON API: every answer is checked against the same zod schemas the server uses,
// and errors come back as ApiError with the server's code, message and candidate nodes.
import type { z } from 'zod';
import {
  edgeDetailsResponseSchema, errorResponseSchema, evidenceResponseSchema, type EvidenceRequest, exposureResponseSchema, graphResponseSchema, mapResponseSchema, routeResponseSchema, metaResponseSchema, nodeDetailsResponseSchema, planResponseSchema,
  RADIUS_PAGE_MAX, radiusResponseSchema, respondResponseSchema, searchResponseSchema, type ExposureRequest, type GraphRequest, type PlanRequest, type RadiusRequest, type RadiusResponse,
  clusterResponseSchema, marksResponseSchema, type ClusterRequest, type MarkRequest, type ViewRequest, type MapRequest, type Mitigation, type RespondRequest, type RouteRequest,
} from './logic/wire.ts';

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly candidates: readonly string[] = []) {
    super(message);
  }
}

async function call<T extends z.ZodType>(schema: T, path: string, body?: unknown, signal?: AbortSignal): Promise<z.output<T>> {
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: signal ?? null,
  });
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = errorResponseSchema.safeParse(json);
    if (error.success) throw new ApiError(error.data.error.code, error.data.error.message, error.data.error.candidates ?? []);
    throw new ApiError('HTTP', `the server answered ${response.status}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError('BAD_RESPONSE', `unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/**
 * The radius: one page when the request names a `limit` (or `reachedLimit`), otherwise every page, joined (the
 * server sends a summary and a first page by default; a graph drawn node by node needs every reached node).
 */
async function radiusPages(request: RadiusRequest, signal?: AbortSignal): Promise<RadiusResponse> {
  const first = await call(radiusResponseSchema, '/api/radius', request, signal);
  if (request.limit !== undefined || request.reachedLimit !== undefined) return first;
  const reached = [...first.reached];
  for (let next = first.page.nextOffset; next !== null;) {
    const page = await call(radiusResponseSchema, '/api/radius', { ...request, offset: next, limit: RADIUS_PAGE_MAX }, signal);
    reached.push(...page.reached);
    next = page.page.nextOffset;
  }
  return { ...first, reached, page: { offset: 0, limit: reached.length, nextOffset: null } };
}

export const api = {
  meta: () => call(metaResponseSchema, '/api/meta'),
  graph: (request: GraphRequest, signal?: AbortSignal) => call(graphResponseSchema, '/api/graph', request, signal),
  search: (q: string, signal?: AbortSignal) => call(searchResponseSchema, `/api/search?q=${encodeURIComponent(q)}&limit=12`, undefined, signal),
  node: (id: string, at?: string) => call(nodeDetailsResponseSchema, `/api/node/${encodeURIComponent(id)}${at ? `?at=${encodeURIComponent(at)}` : ''}`),
  radius: radiusPages,
  /** The plan from where the applied what-ifs leave the radius (`mitigations`, the same list whatif takes). */
  plan: (request: PlanRequest & { mitigations?: Mitigation[] }, signal?: AbortSignal) => call(planResponseSchema, '/api/plan', request, signal),
  exposure: (request: ExposureRequest, signal?: AbortSignal) => call(exposureResponseSchema, '/api/exposure', request, signal),
  respond: (request: RespondRequest, signal?: AbortSignal) => call(respondResponseSchema, '/api/respond', request, signal),
  /** What the logs show of a radius (only when meta.evidence says the server holds some). */
  evidence: (request: EvidenceRequest, signal?: AbortSignal) => call(evidenceResponseSchema, '/api/evidence', request, signal),
  map: (request: MapRequest, signal?: AbortSignal) => call(mapResponseSchema, '/api/map', request, signal),
  edge: (source: string, id: string) => call(edgeDetailsResponseSchema, `/api/edge?source=${encodeURIComponent(source)}&id=${encodeURIComponent(id)}`),
  route: (request: RouteRequest, signal?: AbortSignal) => call(routeResponseSchema, '/api/route', request, signal),
  cluster: (request: ClusterRequest) => call(clusterResponseSchema, '/api/cluster', request),
  marks: () => call(marksResponseSchema, '/api/marks'),
  mark: (request: MarkRequest) => call(marksResponseSchema, '/api/marks', request),
  saveView: (request: ViewRequest) => call(marksResponseSchema, '/api/views', request),
};

/** Link to the HTML report of the current radius (a download; the report is static and script-free). */
export function reportUrl(request: RadiusRequest): string {
  const params = new URLSearchParams();
  for (const source of request.sources) params.append('sources', source);
  if (request.at) params.set('at', request.at);
  if (request.maxDepth !== undefined) params.set('maxDepth', String(request.maxDepth));
  if (request.excludeEdgeKinds?.length) params.set('excludeEdgeKinds', request.excludeEdgeKinds.join(','));
  if (request.mitigations?.length) params.set('mitigations', JSON.stringify(request.mitigations));
  return `/api/report.html?${params.toString()}`;
}
