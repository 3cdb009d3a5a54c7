// The web API's wire format (docs/ui.md): zod schemas of every request and response of `blastmap serve`,
// shared by the server (validates both ways) and the browser UI (validates what it receives). Pure.
import { calendarInstant } from '../format/dates.ts';
import { z } from 'zod';
import type { Exposure } from '../analysis/exposure.ts';
import type { Finding } from '../analysis/findings.ts';
import { mitigationItemSchema } from '../analysis/mitigations.ts';
import type { AppliedMitigation } from '../analysis/mitigations.ts';
import type { LateralBridge, LateralTarget } from '../analysis/paths.ts';
import type { Cut, PlanStep, RevocationPlan } from '../analysis/plan.ts';
import type { ControlSummary, NodeRef, PathStepView, PlatformSummary } from '../analysis/radius.ts';
import { RESPOND_ACTIONS, RESPOND_PHASES, type ResponsePlan } from '../analysis/respond.ts';
import type { WhatIfResult } from '../analysis/whatif.ts';
import { LEVELS } from '../schema/index.ts';

/** Nodes the browser receives at most by default; beyond it the server aggregates by platform and kind. */
export const DEFAULT_BUDGET = 20_000;
/** Reached entries in a radius answer when the request names no `limit`: the answer is a summary and a first page. */
export const RADIUS_PAGE = 1_000;
/** Most reached entries one radius answer carries; `page.nextOffset` leads to the rest. */
export const RADIUS_PAGE_MAX = 50_000;
/** Most list entries a response carries where a list can grow with the graph (the counts stay exact). */
export const LIST_CAP = 200;

const reference = z.string().min(1).max(2048);
const isoDate = z.string().max(40).refine((text) => /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(calendarInstant(text)), { message: 'an ISO-8601 date on a real calendar day, such as 2025-08-10' });
const kindName = z.string().min(1).max(64);
const platformName = z.string().min(1).max(128);

export const levelSchema = z.enum(LEVELS);

/** Traversal options every analysis request shares (the CLI's --at, --max-depth, edge filters, --enforce). */
export const analysisOptionsSchema = z.strictObject({
  at: isoDate.optional().describe('Analysis instant; default now.'),
  maxDepth: z.number().int().min(0).max(1000).optional(),
  edgeKinds: z.array(kindName).max(64).optional().describe('Only these edge kinds extend the radius.'),
  excludeEdgeKinds: z.array(kindName).max(64).optional().describe('These edge kinds never extend the radius.'),
  enforce: z.array(kindName).max(64).optional().describe('Edges carrying these conditions are blocked.'),
});
export type AnalysisOptions = z.infer<typeof analysisOptionsSchema>;

const sourcesField = z.array(reference).min(1).max(64).describe('Compromised nodes: ids or exact names.');
const mitigationsField = z.array(mitigationItemSchema).max(500);

// ---------------------------------------------------------------------------------------------- requests

export const radiusRequestSchema = analysisOptionsSchema.extend({
  sources: sourcesField,
  mitigations: mitigationsField.optional().describe('Applied on top of the graph; the response then carries the what-if difference.'),
  /** Where the page of `reached` starts in the full, ordered list (crown jewels and the highest points first). */
  offset: z.number().int().min(0).optional(),
  /** Most entries of `reached` sent (default RADIUS_PAGE, at most RADIUS_PAGE_MAX); `reachedCount` stays exact. */
  limit: z.number().int().min(0).max(RADIUS_PAGE_MAX).optional(),
  /** The former name of `limit` (used when `limit` is absent). */
  reachedLimit: z.number().int().min(0).max(RADIUS_PAGE_MAX).optional(),
});
export type RadiusRequest = z.infer<typeof radiusRequestSchema>;

export const planRequestSchema = analysisOptionsSchema.extend({
  sources: sourcesField,
  steps: z.number().int().min(1).max(20).optional(),
  mitigations: mitigationsField.optional().describe('Cuts already applied (the UI\'s what-ifs): the plan starts from the radius they leave and plans the next cuts.'),
});
export type PlanRequest = z.infer<typeof planRequestSchema>;

export const respondRequestSchema = analysisOptionsSchema.extend({
  sources: sourcesField,
  since: isoDate.optional().describe("When the attacker got the sources; default their createdAt, else unknown (assume all)."),
  steps: z.number().int().min(0).max(100).optional().describe('Most cut steps after contain and rotate (default 25).'),
});
export type RespondRequest = z.infer<typeof respondRequestSchema>;

export const evidenceRequestSchema = analysisOptionsSchema.extend({
  sources: sourcesField,
  since: isoDate.optional().describe("The window's start: when the attacker got the sources; default their createdAt, else the start of the logs."),
});
export type EvidenceRequest = z.infer<typeof evidenceRequestSchema>;

export const whatIfRequestSchema = analysisOptionsSchema.extend({
  sources: sourcesField,
  mitigations: mitigationsField.min(1),
});
export type WhatIfRequest = z.infer<typeof whatIfRequestSchema>;

export const exposureRequestSchema = analysisOptionsSchema.extend({
  target: reference,
  kinds: z.array(kindName).min(1).max(16).optional(),
  top: z.number().int().min(1).max(LIST_CAP).optional(),
});
export type ExposureRequest = z.infer<typeof exposureRequestSchema>;

/** `platform/kind`: the key of an aggregated cluster. */
export const clusterKeySchema = z.string().min(3).max(200);

export const graphRequestSchema = z.strictObject({
  budget: z.number().int().min(1).max(1_000_000).optional(),
  platforms: z.array(platformName).max(256).optional(),
  kinds: z.array(kindName).max(64).optional(),
  /** Clusters to show node by node (as far as the budget allows). */
  expand: z.array(clusterKeySchema).max(256).optional(),
  /** A radius to show whole (up to the budget) inside an aggregated view. */
  focus: radiusRequestSchema.optional(),
});
export type GraphRequest = z.infer<typeof graphRequestSchema>;

export const searchRequestSchema = z.strictObject({
  q: z.string().max(256),
  limit: z.number().int().min(1).max(50).optional(),
});

// --------------------------------------------------------------------------------------------- responses

export const nodeRefSchema = z.object({ id: z.string(), name: z.string(), kind: z.string(), platform: z.string(), tenant: z.string() }) satisfies z.ZodType<NodeRef>;

export const pathStepSchema = z.object({
  edgeId: z.string(),
  kind: z.string(),
  from: nodeRefSchema,
  to: nodeRefSchema,
  level: levelSchema,
  scopes: z.array(z.string()).optional(),
  reason: z.string().optional(),
  grant: z.string().optional(),
  conditions: z.array(z.string()).optional(),
  derivedFrom: z.string().optional(),
}) satisfies z.ZodType<PathStepView>;

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    candidates: z.array(z.string()).optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string(), expected: z.string().optional(), found: z.string().optional() })).optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

const countByName = z.array(z.object({ name: z.string(), count: z.number().int() }));

export const rankEntrySchema = nodeRefSchema.pick({ id: true, name: true, kind: true, platform: true }).extend({ score: z.number(), reached: z.number().int(), crownJewels: z.number().int() });

export const metaResponseSchema = z.object({
  version: z.string(),
  nodeCount: z.number().int(),
  edgeCount: z.number().int(),
  budget: z.number().int(),
  platforms: countByName,
  kinds: countByName,
  edgeKinds: z.array(z.object({ name: z.string(), count: z.number().int(), traversable: z.boolean() })),
  /** The riskiest connectors (Apps by blast-radius score), as starting points. */
  riskiest: z.array(rankEntrySchema),
  now: z.string(),
  /** The evidence the server holds (`blastmap serve --evidence`, or imported beside the graph), or null. */
  evidence: z.object({ events: z.number().int(), first: z.string().nullable(), last: z.string().nullable() }).nullable().optional(),
});
export type MetaResponse = z.infer<typeof metaResponseSchema>;

// ---------------------------------------------------------------------------------------------- evidence

const evidenceFactsShape = {
  /** A node or edge of the report is observed or contradicted: every other one of the radius is possible. */
  status: z.enum(['observed', 'contradicted']),
  reason: z.enum(['blocked', 'known-origin', 'mixed']).optional(),
  count: z.number().int(),
  first: z.string(),
  last: z.string(),
  sources: z.array(z.string()),
  actors: z.array(z.string()),
  actions: z.array(z.string()),
  ips: z.array(z.string()),
  records: z.number().optional(),
};
export const observedActionSchema = z.object({
  actor: z.string(), actorName: z.string(), action: z.string(), family: z.string(), category: z.enum(['auth', 'read', 'bulk', 'write', 'admin', 'persistence', 'other']), outcome: z.enum(['success', 'failure', 'blocked']),
  target: z.string().optional(), count: z.number().int(), first: z.string(), last: z.string(), records: z.number().optional(), sources: z.array(z.string()), ips: z.array(z.string()),
});
const statusTotals = z.object({ observed: z.number().int(), possible: z.number().int(), contradicted: z.number().int() });
/** What the logs show of a radius (engine/evidence/report.ts, docs/evidence.md). */
export const evidenceResponseSchema = z.object({
  window: z.object({ from: z.string().nullable(), to: z.string() }),
  totals: z.object({ eventsInWindow: z.number().int(), eventsCounted: z.number().int(), unresolvedActors: z.number().int(), nodes: statusTotals, edges: statusTotals }),
  nodes: z.array(nodeRefSchema.extend(evidenceFactsShape)),
  edges: z.array(z.object({ edgeId: z.string(), kind: z.string(), from: z.string(), to: z.string(), ...evidenceFactsShape })),
  actions: z.array(observedActionSchema),
  hints: z.array(z.object({ node: z.string(), name: z.string(), kind: z.enum(['no-history', 'new-ip-range', 'new-user-agent', 'new-family', 'bulk-read']), values: z.array(z.string()), events: z.number().int(), first: z.string(), last: z.string(), eventIds: z.array(z.string()), records: z.number().optional() })),
  unresolved: z.object({ refs: z.number().int(), events: z.number().int(), top: z.array(z.object({ ref: z.object({ platform: z.string(), tenant: z.string().optional(), ids: z.array(z.string()), name: z.string().optional() }), events: z.number().int(), why: z.enum(['no-match', 'ambiguous']), candidates: z.number().int().optional() })) }),
});
export type EvidenceResponse = z.infer<typeof evidenceResponseSchema>;

export const viewNodeSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.string(),
  platform: z.string(),
  crownJewel: z.boolean(),
});
export type ViewNode = z.infer<typeof viewNodeSchema>;

export const viewEdgeSchema = z.object({
  /** Unique key in this view (edge ids derived from endpoints can repeat). */
  key: z.string(),
  /** The engine's edge id when it is not `source|kind|target` (explicit ids, grants): see `viewEdgeId`. */
  id: z.string().optional(),
  source: z.string(),
  target: z.string(),
  kind: z.string(),
  traversable: z.boolean(),
});
export type ViewEdge = z.infer<typeof viewEdgeSchema>;

/** The engine's edge id of a view edge (what paths, cuts and mitigations name). */
export const viewEdgeId = (edge: Pick<ViewEdge, 'id' | 'source' | 'kind' | 'target'>): string => edge.id ?? `${edge.source}|${edge.kind}|${edge.target}`;

export const viewClusterSchema = z.object({
  /** `platform/kind` (platforms never contain `/`). */
  key: clusterKeySchema,
  platform: z.string(),
  kind: z.string(),
  /** Nodes of that platform and kind not shown individually. */
  count: z.number().int().min(1),
});
export type ViewCluster = z.infer<typeof viewClusterSchema>;

export const viewLinkSchema = z.object({
  /** Unit keys: `n:<node id>` or `c:<cluster key>`, so a node id can never pass for a cluster. */
  source: z.string(),
  target: z.string(),
  count: z.number().int().min(1),
});
export type ViewLink = z.infer<typeof viewLinkSchema>;

export const graphResponseSchema = z.object({
  total: z.object({ nodes: z.number().int(), edges: z.number().int() }),
  /** Nodes left after the platform and kind filters. */
  matching: z.number().int(),
  budget: z.number().int(),
  aggregated: z.boolean(),
  nodes: z.array(viewNodeSchema),
  edges: z.array(viewEdgeSchema),
  clusters: z.array(viewClusterSchema),
  /** Aggregated edges that touch a cluster. */
  links: z.array(viewLinkSchema),
});
export type GraphResponse = z.infer<typeof graphResponseSchema>;

/**
 * The radius as a map (`POST /api/map`): what a browser can draw of a radius of any size. Sources, every
 * crown jewel and the nodes of the path being examined are always drawn; within the budget, the crown jewels'
 * witness paths and the nearest reached nodes too; every other reached node is counted into a cluster of its
 * platform, kind and level, and the nodes not reached into clusters of their platform and kind.
 */
export const mapRequestSchema = z.strictObject({
  budget: z.number().int().min(1).max(1_000_000).optional(),
  platforms: z.array(platformName).max(256).optional(),
  kinds: z.array(kindName).max(64).optional(),
  /** Clusters to show node by node while the budget lasts: `platform/kind` or `platform/kind/level`. */
  expand: z.array(clusterKeySchema).max(256).optional(),
  focus: radiusRequestSchema,
  /** Nodes of the path being examined: drawn whatever the budget. */
  pathNodes: z.array(reference).max(256).optional(),
});
export type MapRequest = z.infer<typeof mapRequestSchema>;

export const mapClusterSchema = viewClusterSchema.extend({
  /** Set on clusters of reached nodes: the level they are all reached at, and the fewest hops among them. */
  level: levelSchema.optional(),
  hops: z.number().int().optional(),
  /** Nodes of the cluster that are crown jewels (always drawn besides, so 0 unless the cluster is not reached). */
  crownJewels: z.number().int().optional(),
});
export type MapCluster = z.infer<typeof mapClusterSchema>;

export const mapReachedSchema = z.object({
  id: z.string(),
  level: levelSchema,
  hops: z.number().int(),
  /** The last step of its witness path: the node it comes from and the edge's engine id. */
  parent: z.string().nullable(),
  via: z.string().nullable(),
});

export const mapSummarySchema = z.object({
  sources: z.array(nodeRefSchema),
  at: z.string(),
  reachedCount: z.number().int(),
  /** Reached nodes drawn one by one, and those counted into clusters. */
  drawnReached: z.number().int(),
  clusteredReached: z.number().int(),
  crownJewelCount: z.number().int(),
  /** Platforms × levels of the whole radius. */
  platforms: z.array(z.object({ platform: z.string(), read: z.number().int(), write: z.number().int(), admin: z.number().int(), crownJewels: z.number().int() })),
  /** Crown jewels grouped by the bridge of their witness path (the first node on a platform no source is on; null: same platform). */
  byBridge: z.array(z.object({
    bridge: nodeRefSchema.nullable(),
    crownJewels: z.array(nodeRefSchema.extend({ level: levelSchema, hops: z.number().int() })),
  })),
});
export type MapSummary = z.infer<typeof mapSummarySchema>;

export const mapResponseSchema = graphResponseSchema.extend({
  clusters: z.array(mapClusterSchema),
  /** The drawn reached nodes (sources excluded) with their level, hops and witness step. */
  reached: z.array(mapReachedSchema),
  summary: mapSummarySchema,
});
export type MapResponse = z.infer<typeof mapResponseSchema>;

/**
 * `POST /api/cluster`: the members of one cluster of a view or a radius map (drill-down). With `focus` the
 * cluster is one of the map's: `platform/kind/level` holds the nodes reached at that level, `platform/kind` the
 * nodes not reached; without it, every node of that platform and kind. Members come nearest first (by hops),
 * then by name, a page at a time.
 */
export const clusterRequestSchema = z.strictObject({
  key: clusterKeySchema,
  focus: radiusRequestSchema.optional(),
  offset: z.number().int().min(0).max(10_000_000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type ClusterRequest = z.infer<typeof clusterRequestSchema>;

export const clusterResponseSchema = z.object({
  key: z.string(),
  platform: z.string(),
  kind: z.string(),
  level: levelSchema.nullable(),
  /** Nodes in the cluster in all. */
  count: z.number().int(),
  offset: z.number().int(),
  members: z.array(nodeRefSchema.extend({ crownJewel: z.boolean(), hops: z.number().int().nullable() })),
});
export type ClusterResponse = z.infer<typeof clusterResponseSchema>;

/** `GET /api/marks`: the analyst's marks kept beside the graph (cli/marks.ts) and the saved views. */
export const marksResponseSchema = z.object({
  /** False when the server keeps no marks file (a graph given without a path, e.g. the built-in demo). */
  available: z.boolean(),
  /** The marks file's name (not its folder). */
  file: z.string().nullable(),
  crownJewels: z.array(z.string()),
  notCrownJewels: z.array(z.string()),
  owned: z.array(nodeRefSchema),
  views: z.array(z.object({ name: z.string(), query: z.string(), saved: z.string().optional() })),
});
export type MarksResponse = z.infer<typeof marksResponseSchema>;

/** `POST /api/marks`: mark or unmark one node; an absent field leaves that mark as it is. */
export const markRequestSchema = z.strictObject({
  node: reference,
  crownJewel: z.boolean().optional(),
  owned: z.boolean().optional(),
});
export type MarkRequest = z.infer<typeof markRequestSchema>;

/** `POST /api/views`: save a view under a name (replacing one of that name), or delete it. */
export const viewRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  query: z.string().max(16_384).optional(),
  delete: z.boolean().optional(),
});
export type ViewRequest = z.infer<typeof viewRequestSchema>;

/** `POST /api/route`: the path an attacker holding `from` takes to `to`, if any (A→B pathfinding). */
export const routeRequestSchema = analysisOptionsSchema.extend({
  from: reference,
  to: reference,
  mitigations: mitigationsField.optional(),
});
export type RouteRequest = z.infer<typeof routeRequestSchema>;

export const routeResponseSchema = z.object({
  from: nodeRefSchema,
  to: nodeRefSchema,
  at: z.string(),
  /** The level obtained on `to`, null when `from` does not reach it. */
  level: levelSchema.nullable(),
  hops: z.number().int().nullable(),
  path: z.array(pathStepSchema),
});
export type RouteResponse = z.infer<typeof routeResponseSchema>;

/** `GET /api/edge?source=&id=`: one edge of the graph with what it carries (kind, scopes, reason, conditions). */
export const edgeDetailsResponseSchema = z.object({
  edgeId: z.string(),
  kind: z.string(),
  traversable: z.boolean(),
  from: nodeRefSchema,
  to: nodeRefSchema,
  scopes: z.array(z.string()).optional(),
  reason: z.string().optional(),
  grant: z.string().optional(),
  conditions: z.array(z.string()).optional(),
  derivedFrom: z.string().optional(),
});
export type EdgeDetailsResponse = z.infer<typeof edgeDetailsResponseSchema>;

export const searchResultSchema = nodeRefSchema.extend({ match: z.enum(['name', 'id', 'kind', 'platform']) });
export const searchResponseSchema = z.object({ query: z.string(), results: z.array(searchResultSchema) });
export type SearchResult = z.infer<typeof searchResultSchema>;
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const findingSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  title: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
  nodeId: z.string(),
  nodeName: z.string(),
  kind: z.string(),
  platform: z.string(),
  tenant: z.string(),
  console: z.string(),
  evidence: z.object({
    summary: z.string(),
    dates: z.record(z.string(), z.string()),
    related: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), platform: z.string(), relation: z.string() })),
    scopes: z.array(z.string()).optional(),
    privilege: z.object({ score: z.number(), adminOn: z.number(), crownJewels: z.array(z.string()), privileged: z.boolean() }).optional(),
  }),
  remediation: z.string(),
  references: z.object({ owaspNhi: z.array(z.string()), nistCsf: z.array(z.string()) }),
}) satisfies z.ZodType<Finding>;
export type FindingView = z.infer<typeof findingSchema>;

const primitive = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const neighbourSchema = z.object({ edgeId: z.string(), kind: z.string(), direction: z.enum(['in', 'out']), node: nodeRefSchema, scopes: z.array(z.string()).optional() });

export const nodeDetailsResponseSchema = z.object({
  /** The node record as stored (validated native format: no secret values). */
  node: z.record(z.string(), z.union([primitive, z.array(primitive), z.record(z.string(), z.union([primitive, z.array(primitive)]))])),
  ref: nodeRefSchema,
  crownJewel: z.boolean(),
  sensitivity: z.number(),
  /** Usable at the instant asked for (not revoked, expired, disabled or not yet created). */
  usable: z.boolean(),
  owners: z.array(nodeRefSchema),
  neighbours: z.array(neighbourSchema),
  inCount: z.number().int(),
  outCount: z.number().int(),
  findings: z.array(findingSchema),
  at: z.string(),
});
export type NodeDetailsResponse = z.infer<typeof nodeDetailsResponseSchema>;

export const radiusEntryViewSchema = nodeRefSchema.extend({
  level: levelSchema,
  hops: z.number().int(),
  points: z.number(),
  crownJewel: z.boolean(),
  lateral: z.boolean(),
  /** Edge id of the last step of the witness path: together they draw the witness tree. */
  via: z.string().nullable(),
  /** The node that step comes from (its parent in the witness tree). */
  parent: z.string().nullable(),
  /** Unenforced controls (edge conditions) on the witness path: enforcing one breaks this path. */
  controls: z.array(z.string()),
});
export type RadiusEntryView = z.infer<typeof radiusEntryViewSchema>;

export const crownJewelViewSchema = radiusEntryViewSchema.extend({ path: z.array(pathStepSchema) });

const controlSummarySchema = z.object({ control: z.string(), reached: z.number().int(), crownJewels: z.number().int() }) satisfies z.ZodType<ControlSummary>;

const platformSummarySchema = z.object({
  platform: z.string(), tenants: z.array(z.string()), reached: z.number().int(), read: z.number().int(), write: z.number().int(), admin: z.number().int(), score: z.number(), crownJewels: z.number().int(),
}) satisfies z.ZodType<PlatformSummary>;

const lateralTargetSchema = nodeRefSchema.extend({
  level: levelSchema, hops: z.number().int(), points: z.number(), sensitivity: z.number(), crownJewel: z.boolean(), platforms: z.array(z.string()), path: z.array(pathStepSchema),
}) satisfies z.ZodType<LateralTarget>;

export const lateralBridgeSchema = z.object({
  bridge: pathStepSchema,
  approach: z.array(pathStepSchema),
  score: z.number(),
  reachedCount: z.number().int(),
  crownJewels: z.number().int(),
  platforms: z.array(z.string()),
  /** The first targets beyond the bridge (crown jewels first); `reachedCount` counts them all. */
  targets: z.array(lateralTargetSchema),
}) satisfies z.ZodType<Omit<LateralBridge, 'onward'>>;
export type LateralBridgeView = z.infer<typeof lateralBridgeSchema>;

const appliedMitigationSchema = z.object({
  action: z.enum(['revoke', 'disable', 'removeEdge', 'removeScope']),
  reference: z.string(),
  description: z.string(),
  nodes: z.array(nodeRefSchema),
  edges: z.array(z.string()),
  narrowed: z.array(z.string()).optional(),
}) satisfies z.ZodType<AppliedMitigation>;

const whatIfSummarySchema = z.object({
  score: z.number(),
  scoreParts: z.object({ data: z.number(), principals: z.number() }),
  reachedCount: z.number().int(),
  crownJewels: z.array(nodeRefSchema.extend({ level: levelSchema })),
  platforms: z.array(platformSummarySchema),
  byKind: z.record(z.string(), z.number()),
});

export const whatIfSchema = z.object({
  sources: z.array(nodeRefSchema),
  at: z.string(),
  maxDepth: z.number().nullable(),
  mitigations: z.array(appliedMitigationSchema),
  before: whatIfSummarySchema,
  after: whatIfSummarySchema,
  scoreBefore: z.number(),
  scoreAfter: z.number(),
  scoreDelta: z.number(),
  removed: z.array(nodeRefSchema.extend({ levelBefore: levelSchema, hopsBefore: z.number().int(), pointsBefore: z.number(), crownJewel: z.boolean(), pathBefore: z.array(pathStepSchema) })),
  lowered: z.array(nodeRefSchema.extend({ levelBefore: levelSchema, levelAfter: levelSchema, pointsBefore: z.number(), pointsAfter: z.number(), crownJewel: z.boolean() })),
  unchangedCount: z.number().int(),
  crownJewelsCut: z.array(nodeRefSchema.extend({ levelBefore: levelSchema })),
}) satisfies z.ZodType<WhatIfResult>;
export type WhatIfView = z.infer<typeof whatIfSchema>;

// The CLI's streamed JSON of `whatif` and `paths` (not server responses: `/api/whatif` keeps each removed
// node's `pathBefore`, its lists being capped). Witness paths are shared in one table of steps with parents.

/** A step of the shared witness table: `parent` -1 when it leaves a source (and then `from` is given). */
export const witnessViewStepSchema = pathStepSchema.omit({ from: true }).extend({ parent: z.number().int().min(-1), from: nodeRefSchema.optional() });

/** `blastmap whatif --format json`: `removed` entries reference their `pathBefore` by `witness`, an index into `witness`. */
export const whatIfJsonSchema = whatIfSchema.omit({ removed: true }).extend({
  witness: z.array(witnessViewStepSchema),
  removed: z.array(nodeRefSchema.extend({ levelBefore: levelSchema, hopsBefore: z.number().int(), pointsBefore: z.number(), crownJewel: z.boolean(), witness: z.number().int().min(-1) })),
});

/** `blastmap paths --format json` without `--to`: lateral targets reference their `path` by `witness`. */
export const lateralPathsJsonSchema = z.object({
  analysis: z.literal('lateral-paths'),
  sources: z.array(nodeRefSchema),
  sourcePlatforms: z.array(z.string()),
  at: z.string(),
  maxDepth: z.number().nullable(),
  score: z.number(),
  lateralScore: z.number(),
  lateralCount: z.number().int(),
  crownJewels: z.number().int(),
  platforms: z.array(z.object({ platform: z.string(), reached: z.number().int(), score: z.number(), crownJewels: z.number().int() })),
  witness: z.array(witnessViewStepSchema),
  bridges: z.array(lateralBridgeSchema.omit({ targets: true }).extend({
    onward: z.array(z.object({ step: pathStepSchema, score: z.number(), reachedCount: z.number().int(), crownJewels: z.number().int() })),
    targets: z.array(lateralTargetSchema.omit({ path: true }).extend({ witness: z.number().int().min(-1) })),
  })),
});

export const radiusResponseSchema = z.object({
  sources: z.array(nodeRefSchema),
  at: z.string(),
  maxDepth: z.number().nullable(),
  score: z.number(),
  scoreParts: z.object({ data: z.number(), principals: z.number() }),
  reachedCount: z.number().int(),
  crownJewels: z.array(crownJewelViewSchema),
  platforms: z.array(platformSummarySchema),
  byKind: z.record(z.string(), z.number()),
  /** One page of the reached nodes, in the radius order (crown jewels and the highest points first). */
  reached: z.array(radiusEntryViewSchema),
  /** Where `reached` sits in the full list of `reachedCount` entries; `nextOffset` is null on the last page. */
  page: z.object({ offset: z.number().int(), limit: z.number().int(), nextOffset: z.number().int().nullable() }),
  dormant: z.array(nodeRefSchema.extend({ why: z.string(), level: levelSchema, hops: z.number().int() })),
  /** Unenforced controls on the witness paths, and how many reached nodes depend on each. */
  controls: z.array(controlSummarySchema),
  lateral: z.object({ lateralScore: z.number(), lateralCount: z.number().int(), bridges: z.array(lateralBridgeSchema), bridgeCount: z.number().int() }),
  /** With mitigations: the radius above is the mitigated one, and this says what changed. */
  whatIf: z.object({
    scoreBefore: z.number(),
    scoreAfter: z.number(),
    reachedBefore: z.number().int(),
    reachedAfter: z.number().int(),
    removed: z.array(z.string()),
    mitigations: z.array(appliedMitigationSchema),
  }).nullable(),
});
export type RadiusResponse = z.infer<typeof radiusResponseSchema>;

const edgeRefSchema = z.object({
  edgeId: z.string(), kind: z.string(), from: nodeRefSchema, to: nodeRefSchema,
  scopes: z.array(z.string()).optional(), grant: z.string().optional(), reason: z.string().optional(), conditions: z.array(z.string()).optional(),
});

export const cutSchema = z.object({
  action: z.enum(['revoke', 'disable', 'remove-grant', 'remove-edge']),
  id: z.string(),
  name: z.string(),
  node: nodeRefSchema.extend({ type: z.string().optional() }).optional(),
  edges: z.array(edgeRefSchema).optional(),
  edgesDisabled: z.number().int(),
  delegation: z.literal(true).optional(),
  mitigations: z.array(z.union([z.object({ revoke: z.string() }), z.object({ disable: z.string() }), z.object({ removeEdge: z.string() })])),
}) satisfies z.ZodType<Cut>;
export type CutView = z.infer<typeof cutSchema>;

const planStepSchema = z.object({
  step: z.number().int(),
  cut: cutSchema,
  alternatives: z.array(cutSchema),
  scoreBefore: z.number(),
  scoreAfter: z.number(),
  removed: z.number(),
  lost: z.array(nodeRefSchema.extend({ level: levelSchema, points: z.number(), crownJewel: z.boolean() })),
  lowered: z.array(nodeRefSchema.extend({ levelBefore: levelSchema, levelAfter: levelSchema })),
  crownJewelsLost: z.array(nodeRefSchema),
}) satisfies z.ZodType<PlanStep>;

/** The before/after totals the preventive and the containment plan share (PlanTotals). */
const planTotalsShape = {
  initialScore: z.number(),
  finalScore: z.number(),
  initialReached: z.number().int(),
  finalReached: z.number().int(),
  crownJewelsBefore: z.array(nodeRefSchema),
  crownJewelsAfter: z.array(nodeRefSchema),
};

export const planResponseSchema = z.object({
  sources: z.array(nodeRefSchema),
  at: z.string(),
  maxDepth: z.number().nullable(),
  ...planTotalsShape,
  steps: z.array(planStepSchema),
  stoppedBecause: z.enum(['steps', 'nothing-left', 'no-single-cut-helps']),
}) satisfies z.ZodType<RevocationPlan>;
export type PlanResponse = z.infer<typeof planResponseSchema>;

const whoSchema = z.object({ id: z.string(), name: z.string(), kind: z.string(), platform: z.string(), how: z.string(), compromised: z.boolean() });

/** One step of the containment plan; `phase`, `action`, `target`, `where`, `who`, `removes`, `impact` are the contract the UI reads. */
export const respondStepSchema = z.object({
  step: z.number().int(),
  phase: z.enum(RESPOND_PHASES),
  action: z.enum(RESPOND_ACTIONS),
  title: z.string(),
  target: nodeRefSchema,
  where: z.string(),
  who: z.array(whoSchema),
  removes: z.number(),
  scoreAfter: z.number(),
  reachedAfter: z.number().int(),
  impact: z.object({
    cost: z.enum(['low', 'medium', 'high']),
    notes: z.array(z.string()),
    dependents: z.array(nodeRefSchema.extend({ relation: z.string() })),
  }),
  containment: z.boolean(),
  blocks: z.object({ nodes: z.array(z.string()), edges: z.array(z.string()) }),
  mitigations: z.array(z.union([z.object({ revoke: z.string() }), z.object({ disable: z.string() }), z.object({ removeEdge: z.string() })])),
  credentials: z.array(nodeRefSchema).optional(),
  vendor: z.string().optional(),
  lookFor: z.array(z.string()).optional(),
  objects: z.array(nodeRefSchema).optional(),
  since: z.string().nullable().optional(),
  liveThrough: nodeRefSchema.optional(),
  grant: z.string().optional(),
  edges: z.array(z.object({ edgeId: z.string(), kind: z.string(), from: nodeRefSchema, to: nodeRefSchema })).optional(),
  /** With evidence on the server: what the logs show of the step's target (docs/evidence.md). */
  evidence: z.object({
    status: z.enum(['observed', 'possible', 'contradicted']), reason: z.enum(['blocked', 'known-origin', 'mixed']).optional(),
    count: z.number().int().optional(), first: z.string().optional(), last: z.string().optional(), sources: z.array(z.string()).optional(), ips: z.array(z.string()).optional(),
    actions: z.array(observedActionSchema).optional(),
  }).optional(),
});

export const respondResponseSchema = z.object({
  source: nodeRefSchema,
  sources: z.array(nodeRefSchema),
  since: z.string().nullable(),
  sinceBasis: z.enum(['option', 'createdAt', 'unknown']),
  at: z.string(),
  harvested: z.array(nodeRefSchema.extend({
    via: z.string(),
    viaNode: nodeRefSchema,
    edgeKind: z.string(),
    path: z.array(pathStepSchema),
    validNow: z.boolean(),
    liveThrough: nodeRefSchema.optional(),
    remediation: z.enum(['contain', 'rotate', 'vendor', 'none']),
    round: z.number().int(),
  })),
  steps: z.array(respondStepSchema),
  ...planTotalsShape,
  residue: z.array(nodeRefSchema.extend({ level: z.string(), why: z.string() })),
  vendors: z.array(z.string()),
  assumptions: z.array(z.string()),
  evidence: evidenceResponseSchema.optional(),
}) satisfies z.ZodType<ResponsePlan>;
export type RespondResponse = z.infer<typeof respondResponseSchema>;

export const exposureResponseSchema = z.object({
  target: nodeRefSchema.extend({ tags: z.array(z.string()), sensitivity: z.number(), crownJewel: z.boolean() }),
  at: z.string(),
  maxDepth: z.number().nullable(),
  kinds: z.array(z.string()),
  targetUsable: z.boolean(),
  candidateCount: z.number().int(),
  exposedCount: z.number().int(),
  byLevel: z.object({ read: z.number().int(), write: z.number().int(), admin: z.number().int() }),
  byKind: z.record(z.string(), z.number()),
  identitiesBySubtype: z.record(z.string(), z.number()),
  privilegedRoles: z.number().int(),
  exposed: z.array(nodeRefSchema.extend({
    level: levelSchema, hops: z.number().int(), path: z.array(pathStepSchema), subtype: z.string().optional(), privileged: z.boolean().optional(),
  })),
}) satisfies z.ZodType<Exposure>;
export type ExposureResponse = z.infer<typeof exposureResponseSchema>;

