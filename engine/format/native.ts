// zod schemas of blastmap's native format: a Fragment of nodes and edges, built from an engine schema so
// that extension kinds validate too. The JSON Schema published for editors is generated from these.
import { z } from 'zod';
import { calendarInstant } from './dates.ts';
import { CREDENTIAL_TYPES, DEFAULT_SCHEMA, IDENTITY_SUBTYPES, type Schema } from '../schema/index.ts';

/** Accepts an ISO-8601 date or date-time and normalises it to a UTC instant (`...Z`). */
export const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, { message: 'an ISO-8601 date or date-time' })
  .refine((text) => !Number.isNaN(calendarInstant(text)), { message: 'a real calendar date' })
  .transform((text) => new Date(Date.parse(text)).toISOString());

const primitive = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** Free-form extra properties: primitives or arrays of primitives, as OpenGraph also requires. */
const propertyValue = z.union([primitive, z.array(primitive)]);
export const extraProperties = z.record(z.string(), propertyValue);

/**
 * zod's records skip a `__proto__` key (neither checked nor kept), so a property named `__proto__` would vanish.
 * Input keys are data: the record's own `__proto__` property, when its value is valid, is put back as an own
 * property (defineProperty: assignment would set the prototype). `parsed` is the schema's output for `raw`.
 */
export function keepProtoProperty<T>(parsed: T, raw: unknown): T {
  const rawProperties = raw !== null && typeof raw === 'object' ? (raw as { properties?: unknown }).properties : undefined;
  if (rawProperties === null || typeof rawProperties !== 'object' || !Object.hasOwn(rawProperties, '__proto__')) return parsed;
  const value = propertyValue.safeParse((rawProperties as Record<string, unknown>)['__proto__']);
  if (!value.success) return parsed;
  const record = parsed as { properties?: Record<string, unknown> };
  record.properties ??= {};
  Object.defineProperty(record.properties, '__proto__', { value: value.data, enumerable: true, writable: true, configurable: true });
  return parsed;
}

const idText = z.string().min(1).max(2048);
/** A review cadence: `P<n>D`, `P<n>W`, `P<n>M` or `P<n>Y` (engine/analysis/findings-review.ts reads it). */
export const REVIEW_CADENCE = /^P[1-9][0-9]{0,4}[DWMY]$/;
const reviewCadence = z.string().regex(REVIEW_CADENCE, { message: 'an ISO-8601 duration such as P90D, P12W, P6M or P1Y' });
const tag = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'a lower-case tag such as crown-jewel' });
const approvedScopes = z.array(z.string().max(512)).describe('The scopes the approval (approvedAt) covered, as the audit event lists them; a scope carried now and not in this list was added without approval.');

/** Approval and review of a grant edge, as on App and Credential nodes (findings-approval.ts, findings-review.ts read them). */
function approvalFields() {
  return {
    approvedBy: idText.optional().describe('Id of the identity that approved this grant (consent, admin approval, change ticket owner).'),
    approvedAt: isoInstant.optional().describe('When this grant was approved.'),
    approvedScopes: approvedScopes.optional(),
    reviewedAt: isoInstant.optional().describe('When this grant was last reviewed.'),
    reviewEvery: reviewCadence.optional().describe('How often this grant must be reviewed (P90D, P12W, P6M, P1Y).'),
  };
}

export function nodeSchema(schema: Schema = DEFAULT_SCHEMA) {
  const kinds = Object.keys(schema.nodeKinds) as [string, ...string[]];
  return z
    .object({
      id: idText.optional().describe('Stable id `<platform>:<tenant>:<kind>:<native id>`; derived from nativeId when omitted.'),
      nativeId: idText.optional().describe("The platform's own id; used to derive `id` when `id` is omitted."),
      kind: z.enum(kinds).describe('Node kind.'),
      name: z.string().min(1).max(1024),
      platform: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'a lower-case platform key such as salesforce' }),
      tenant: z.string().min(1).max(512),
      source: z.string().max(256).optional(),
      tags: z.array(tag).max(64).optional(),
      sensitivity: z.number().min(0).max(10).optional().describe('0-10; defaults by tag (crown-jewel 10, secrets 9, pii 8 ...).'),
      enabled: z.boolean().optional().describe('false = disabled account or app: it cannot be used and does not extend a radius.'),
      // App and Platform
      vendor: z.string().max(256).optional(),
      thirdParty: z.boolean().optional(),
      publisherVerified: z.boolean().optional(),
      ownerIds: z.array(idText).optional(),
      // Approval and review (App, Credential): who approved the access and when, and the review cadence.
      approvedBy: idText.optional().describe('Id of the identity that approved the access (consent, admin approval, change ticket owner).'),
      approvedAt: isoInstant.optional().describe('When the access was approved.'),
      reviewedAt: isoInstant.optional().describe('When the access was last reviewed (still needed, scopes still right).'),
      reviewEvery: reviewCadence.optional().describe('How often the access must be reviewed: an ISO-8601 duration in days, weeks, months or years (P90D, P12W, P6M, P1Y).'),
      approvedScopes: approvedScopes.optional(),
      // Identity
      subtype: z.enum(IDENTITY_SUBTYPES).optional(),
      mfa: z.boolean().optional(),
      email: z.string().max(320).optional(),
      // Role
      privileged: z.boolean().optional(),
      // Credential
      type: z.enum(CREDENTIAL_TYPES).optional().describe('Credential type; required on Credential nodes.'),
      createdAt: isoInstant.optional(),
      lastUsedAt: isoInstant.optional(),
      expiresAt: isoInstant.optional(),
      rotatedAt: isoInstant.optional(),
      revoked: z.boolean().optional(),
      revokedAt: isoInstant.optional().describe('When the credential was revoked; before it, the credential still worked.'),
      fingerprint: z.string().max(512).optional(),
      hint: z.string().max(16).optional().describe('A few non-secret characters of the secret, as the platform shows them.'),
      scopes: z.array(z.string().max(512)).optional().describe('Scopes the credential carries, for governance findings.'),
      usedScopes: z.array(z.string().max(512)).optional().describe('Scopes seen in use, where usage data exists.'),
      // Resource
      resourceType: z.string().max(128).optional(),
      properties: extraProperties.optional().describe('Anything else worth showing; primitives or arrays of primitives.'),
    })
    .strict()
    .superRefine((node, ctx) => {
      if (node.id === undefined && node.nativeId === undefined) {
        ctx.addIssue({ code: 'custom', path: ['id'], message: 'an id (or a nativeId to derive it from)', input: undefined });
      }
      if (node.kind === 'Credential' && node.type === undefined) {
        ctx.addIssue({ code: 'custom', path: ['type'], message: `a credential type (${CREDENTIAL_TYPES.join(', ')})`, input: undefined });
      }
    });
}

export function edgeSchema(schema: Schema = DEFAULT_SCHEMA) {
  const kinds = Object.keys(schema.edgeKinds) as [string, ...string[]];
  return z
    .object({
      id: idText.optional().describe('Stable edge id; derived from kind, from, to and grant when omitted.'),
      kind: z.enum(kinds),
      from: idText,
      to: idText,
      scopes: z.array(z.string().max(512)).optional().describe('Raw scope strings that justify the edge.'),
      grant: idText.optional().describe('Id of the credential or consent this edge derives from.'),
      reason: z.string().max(2048).optional().describe('One human sentence, shown in paths.'),
      conditions: z.array(tag).optional().describe('Mitigating controls such as ip-allowlist, mfa, device-trust.'),
      assumed: z.boolean().optional().describe('The level was assumed from an unknown scope by the conservative rule.'),
      ...approvalFields(),
      derivedFrom: idText.optional().describe('Set by the graph builder on the edges it derives from a scoped delegation: that edge\'s id. Such edges are derived again on every build, so an import need not carry them.'),
      source: z.string().max(256).optional(),
      properties: extraProperties.optional(),
    })
    .strict();
}

export function fragmentSchema(schema: Schema = DEFAULT_SCHEMA) {
  return z
    .object({
      $schema: z.string().optional(),
      version: z.literal(1).optional().describe('Native format version.'),
      source: z.string().max(256).optional().describe('Default `source` for nodes and edges that do not name one.'),
      nodes: z.array(nodeSchema(schema)).default([]),
      edges: z.array(edgeSchema(schema)).default([]),
    })
    .strict();
}

export type NodeInput = z.input<ReturnType<typeof nodeSchema>>;
export type EdgeInput = z.input<ReturnType<typeof edgeSchema>>;
export type ParsedNode = z.output<ReturnType<typeof nodeSchema>>;
export type ParsedEdge = z.output<ReturnType<typeof edgeSchema>>;

/** A node after validation: `id` always present. */
export type GraphNode = Omit<ParsedNode, 'id' | 'nativeId'> & { id: string; nativeId?: string | undefined };
export type GraphEdge = ParsedEdge;

/** What importers produce and stores load: nodes and edges in the native model. */
export interface Fragment {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** `<platform>:<tenant>:<kind>:<native id>`, fixed parts lower-cased, the native id as the source gives it. */
export function nodeId(platform: string, tenant: string, kind: string, nativeId: string): string {
  return `${platform.toLowerCase()}:${tenant.toLowerCase()}:${kind.toLowerCase()}:${nativeId}`;
}

/**
 * Edge ids derived from their endpoints are stable across imports. An edge the graph builder derived from a
 * scoped delegation also names the delegation: it may join the same nodes as a direct grant, or as another
 * delegation's edge, and must never be taken for (or merged with) either.
 */
export function edgeId(edge: Pick<GraphEdge, 'kind' | 'from' | 'to' | 'grant'> & { derivedFrom?: string | undefined }): string {
  return `${edge.from}|${edge.kind}|${edge.to}${edge.grant !== undefined ? `|${edge.grant}` : ''}${edge.derivedFrom !== undefined ? `|via:${edge.derivedFrom}` : ''}`;
}

/** JSON Schema (draft 2020-12) of the native format, for editors and external validators. */
export function nativeJsonSchema(schema: Schema = DEFAULT_SCHEMA): Record<string, unknown> {
  const json = z.toJSONSchema(fragmentSchema(schema), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...json,
    $id: 'https://blastmap.dev/schema/native-v1.json',
    title: 'blastmap native fragment',
    description: 'Nodes and edges of a blastmap graph (graph-model.md). Accepted as JSON, YAML, or NDJSON with one node or edge per line.',
  };
}
