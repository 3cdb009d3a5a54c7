// blastmap's graph as a BloodHound OpenGraph payload, plus the extension schema document that declares our kinds
// and which edges BloodHound CE may pathfind over. The property codec here is shared with the OpenGraph importer,
// which reads our own exports back exactly (native -> OpenGraph -> native loses nothing).
import type { GraphEdge, GraphNode } from '../format/native.ts';
import type { Schema } from '../schema/index.ts';
import { edgeRecord, type CompactGraph } from '../store/compact.ts';
import { selectExport, type ExportOptions, type RadiusMark } from './select.ts';

/** Our kinds carry this prefix in OpenGraph so they never clash with BloodHound's built-in `User`, `Group` ... */
export const OPENGRAPH_PREFIX = 'BM_';
export const OPENGRAPH_NAMESPACE = 'BM';
/** `metadata.source_kind` of our payloads; BloodHound adds it as a kind to every node of the upload. */
export const OPENGRAPH_SOURCE_KIND = 'Blastmap';

/** OpenGraph property values: primitives or homogeneous arrays of primitives, never null, never objects. */
export type OpenGraphValue = string | number | boolean | string[] | number[] | boolean[];
export type OpenGraphProperties = Record<string, OpenGraphValue>;

export interface OpenGraphNode {
  id: string;
  kinds: string[];
  properties: OpenGraphProperties;
}

export interface OpenGraphEndpoint {
  value: string;
  match_by: 'id';
}

export interface OpenGraphEdge {
  kind: string;
  start: OpenGraphEndpoint;
  end: OpenGraphEndpoint;
  properties?: OpenGraphProperties;
}

export interface OpenGraphDocument {
  metadata: { source_kind: string };
  graph: { nodes: OpenGraphNode[]; edges: OpenGraphEdge[] };
}

type FieldType = 'string' | 'number' | 'boolean' | 'strings';

/**
 * Our node fields and the OpenGraph property each becomes. Names are lower-case (BloodHound's convention);
 * dates stay ISO-8601 instants, readable in the entity panel and exact on the way back.
 */
const NODE_FIELDS: readonly (readonly [keyof GraphNode & string, string, FieldType])[] = [
  ['name', 'name', 'string'],
  ['platform', 'platform', 'string'],
  ['tenant', 'tenant', 'string'],
  ['nativeId', 'native_id', 'string'],
  ['source', 'source', 'string'],
  ['tags', 'tags', 'strings'],
  ['sensitivity', 'sensitivity', 'number'],
  ['enabled', 'enabled', 'boolean'],
  ['vendor', 'vendor', 'string'],
  ['thirdParty', 'third_party', 'boolean'],
  ['publisherVerified', 'publisher_verified', 'boolean'],
  ['ownerIds', 'owner_ids', 'strings'],
  ['subtype', 'subtype', 'string'],
  ['mfa', 'mfa', 'boolean'],
  ['email', 'email', 'string'],
  ['privileged', 'privileged', 'boolean'],
  ['type', 'credential_type', 'string'],
  ['createdAt', 'created_at', 'string'],
  ['lastUsedAt', 'last_used_at', 'string'],
  ['expiresAt', 'expires_at', 'string'],
  ['rotatedAt', 'rotated_at', 'string'],
  ['revoked', 'revoked', 'boolean'],
  ['revokedAt', 'revoked_at', 'string'],
  ['fingerprint', 'fingerprint', 'string'],
  ['hint', 'hint', 'string'],
  ['scopes', 'scopes', 'strings'],
  ['usedScopes', 'used_scopes', 'strings'],
  ['resourceType', 'resource_type', 'string'],
  ['approvedBy', 'approved_by', 'string'],
  ['approvedAt', 'approved_at', 'string'],
  ['reviewedAt', 'reviewed_at', 'string'],
  ['reviewEvery', 'review_every', 'string'],
  ['approvedScopes', 'approved_scopes', 'strings'],
];

const EDGE_FIELDS: readonly (readonly [keyof GraphEdge & string, string, FieldType])[] = [
  ['id', 'edge_id', 'string'],
  ['scopes', 'scopes', 'strings'],
  ['grant', 'grant', 'string'],
  ['reason', 'reason', 'string'],
  ['conditions', 'conditions', 'strings'],
  ['assumed', 'assumed', 'boolean'],
  ['derivedFrom', 'derived_from', 'string'],
  ['approvedBy', 'approved_by', 'string'],
  ['approvedAt', 'approved_at', 'string'],
  ['approvedScopes', 'approved_scopes', 'strings'],
  ['reviewedAt', 'reviewed_at', 'string'],
  ['reviewEvery', 'review_every', 'string'],
  ['source', 'source', 'string'],
];

/** Free-form `properties.<key>` are written as `prop_<key>`; values OpenGraph cannot hold as JSON text in `propjson_<key>`. */
export const PROPERTY_PREFIX = 'prop_';
export const PROPERTY_JSON_PREFIX = 'propjson_';
/** Radius annotations: analysis output, ignored when a payload is read back. */
export const RADIUS_PROPERTIES = { level: 'bm_level', hops: 'bm_hops', source: 'bm_source' } as const;

function homogeneous(values: readonly unknown[]): boolean {
  if (values.length === 0) return true;
  const type = typeof values[0];
  return (type === 'string' || type === 'number' || type === 'boolean') && values.every((value) => typeof value === type);
}

function encodeExtras(out: OpenGraphProperties, properties: Record<string, unknown> | undefined): void {
  if (!properties) return;
  for (const key of Object.keys(properties).sort()) {
    const value = properties[key];
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[`${PROPERTY_PREFIX}${key}`] = value;
    else if (Array.isArray(value) && homogeneous(value)) out[`${PROPERTY_PREFIX}${key}`] = [...value] as OpenGraphValue;
    else out[`${PROPERTY_JSON_PREFIX}${key}`] = JSON.stringify(value);
  }
}

function encodeFields(out: OpenGraphProperties, record: Record<string, unknown>, fields: typeof NODE_FIELDS | typeof EDGE_FIELDS): void {
  for (const [field, property] of fields) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    out[property] = (Array.isArray(value) ? [...value] : value) as OpenGraphValue;
  }
}

/** The OpenGraph properties of one of our nodes (flattened, lower-case names, no `objectid`). */
export function openGraphNodeProperties(node: GraphNode, mark?: RadiusMark): OpenGraphProperties {
  const out: OpenGraphProperties = {};
  encodeFields(out, node as unknown as Record<string, unknown>, NODE_FIELDS);
  encodeExtras(out, node.properties);
  if (mark) {
    out[RADIUS_PROPERTIES.level] = mark.level;
    out[RADIUS_PROPERTIES.hops] = mark.hops;
    out[RADIUS_PROPERTIES.source] = mark.source;
  }
  return out;
}

export function openGraphNode(node: GraphNode, mark?: RadiusMark): OpenGraphNode {
  return { id: node.id, kinds: [`${OPENGRAPH_PREFIX}${node.kind}`], properties: openGraphNodeProperties(node, mark) };
}

export function openGraphEdge(edge: GraphEdge): OpenGraphEdge {
  const properties: OpenGraphProperties = {};
  encodeFields(properties, edge as unknown as Record<string, unknown>, EDGE_FIELDS);
  encodeExtras(properties, edge.properties);
  const out: OpenGraphEdge = { kind: `${OPENGRAPH_PREFIX}${edge.kind}`, start: { value: edge.from, match_by: 'id' }, end: { value: edge.to, match_by: 'id' } };
  if (Object.keys(properties).length > 0) out.properties = properties;
  return out;
}

/** The whole graph (or a radius subgraph, with `bm_level`, `bm_hops`, `bm_source`) as one OpenGraph payload. */
export function toOpenGraph(graph: CompactGraph, options: ExportOptions = {}): OpenGraphDocument {
  const selection = selectExport(graph, options);
  return {
    metadata: { source_kind: OPENGRAPH_SOURCE_KIND },
    graph: {
      nodes: selection.nodes.map((v) => openGraphNode(graph.nodes[v]!, selection.mark(v))),
      edges: selection.edges.map((e) => openGraphEdge(edgeRecord(graph, e))),
    },
  };
}

/**
 * The same payload as text, in chunks (one node or edge per line), so a large graph is written without ever
 * holding the whole document as one string. Joined, it parses to exactly `toOpenGraph(graph, options)`.
 */
export function* openGraphText(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const selection = selectExport(graph, options);
  yield `{"metadata":${JSON.stringify({ source_kind: OPENGRAPH_SOURCE_KIND })},\n"graph":{"nodes":[`;
  let first = true;
  for (const v of selection.nodes) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(openGraphNode(graph.nodes[v]!, selection.mark(v)))}`;
    first = false;
  }
  yield '\n],"edges":[';
  first = true;
  for (const e of selection.edges) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(openGraphEdge(edgeRecord(graph, e)))}`;
    first = false;
  }
  yield '\n]}}\n';
}

// --- reading our own payloads back -------------------------------------------------------------------------

/** Our kind name for an OpenGraph kind carrying our prefix, when the schema knows it. */
export function ourKindOf(openGraphKind: string, known: Readonly<Record<string, unknown>>): string | undefined {
  if (!openGraphKind.startsWith(OPENGRAPH_PREFIX)) return undefined;
  const kind = openGraphKind.slice(OPENGRAPH_PREFIX.length);
  return Object.hasOwn(known, kind) ? kind : undefined;
}

function typeMatches(value: unknown, type: FieldType): boolean {
  if (type === 'strings') return Array.isArray(value) && value.every((item) => typeof item === 'string');
  return typeof value === type;
}

export interface DecodedRecord {
  /** Our fields and `properties`, ready for the native zod schema. */
  record: Record<string, unknown>;
  /** Properties whose value has the wrong type for the field they encode, or unreadable JSON. */
  problems: { property: string; expected: string }[];
}

function decode(properties: Readonly<Record<string, unknown>>, fields: typeof NODE_FIELDS | typeof EDGE_FIELDS, ignore: ReadonlySet<string> = new Set()): DecodedRecord {
  const record: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  const problems: DecodedRecord['problems'] = [];
  const byProperty = new Map(fields.map(([field, property, type]) => [property, [field, type] as const]));
  for (const [key, value] of Object.entries(properties)) {
    if (value === null || value === undefined || key === '__proto__' || key === `${PROPERTY_PREFIX}__proto__` || key === `${PROPERTY_JSON_PREFIX}__proto__`) continue;
    const field = byProperty.get(key);
    if (field) {
      if (typeMatches(value, field[1])) record[field[0]] = Array.isArray(value) ? [...value] : value;
      else problems.push({ property: key, expected: field[1] === 'strings' ? 'an array of strings' : `a ${field[1]}` });
    } else if (key.startsWith(PROPERTY_JSON_PREFIX)) {
      try {
        extras[key.slice(PROPERTY_JSON_PREFIX.length)] = JSON.parse(String(value));
      } catch {
        problems.push({ property: key, expected: 'JSON text' });
      }
    } else if (key.startsWith(PROPERTY_PREFIX)) {
      extras[key.slice(PROPERTY_PREFIX.length)] = Array.isArray(value) ? [...value] : value;
    } else if (key.startsWith('bm_') || ignore.has(key)) {
      continue;
    } else {
      // Added after export (BloodHound sets `objectid`, analysts add their own): kept as an extra property.
      if (!Object.hasOwn(extras, key)) extras[key] = Array.isArray(value) ? [...value] : value;
    }
  }
  if (Object.keys(extras).length > 0) record.properties = extras;
  return { record, problems };
}

/** Our node fields back from the properties of a node we exported. */
export function decodeNodeProperties(properties: Readonly<Record<string, unknown>>): DecodedRecord {
  // BloodHound adds `objectid` (= the node id) on ingest; it is not ours to keep.
  return decode(properties, NODE_FIELDS, new Set(['objectid']));
}

/** Our edge attributes back from the properties of an edge we exported. */
export function decodeEdgeProperties(properties: Readonly<Record<string, unknown>>): DecodedRecord {
  return decode(properties, EDGE_FIELDS);
}

// --- the extension schema document -------------------------------------------------------------------------

const ICONS: Readonly<Record<string, string>> = {
  Platform: 'building', App: 'cube', Identity: 'user', Group: 'users', Role: 'user-tie', Credential: 'key', Resource: 'database',
};

export interface OpenGraphExtension {
  schema: { name: string; display_name: string; version: string; namespace: string };
  node_kinds: { name: string; display_name: string; description: string; is_display_kind: boolean; icon: string; color: string }[];
  relationship_kinds: { name: string; description: string; is_traversable: boolean }[];
  environments: { environment_kind: string; source_kind: string; principal_kinds: string[] }[];
  relationship_findings: never[];
}

/**
 * The BloodHound extension schema document for a schema (built-in kinds plus any extension kinds): every node kind
 * with its colour, every edge kind and whether it is traversable, so BloodHound CE pathfinds over the same edges
 * blastmap traverses. BloodHound's pathfinding ignores levels and time; blastmap's own analyses do not.
 */
export function openGraphExtension(schema: Schema, options: { version?: string } = {}): OpenGraphExtension {
  const nodeKinds = Object.entries(schema.nodeKinds);
  return {
    schema: { name: 'Blastmap', display_name: 'blastmap (SaaS integration blast radius)', version: options.version ?? 'v1', namespace: OPENGRAPH_NAMESPACE },
    node_kinds: nodeKinds.map(([kind, spec]) => ({
      name: `${OPENGRAPH_PREFIX}${kind}`, display_name: `blastmap ${kind}`, description: spec.description, is_display_kind: true, icon: ICONS[kind] ?? 'circle', color: spec.color,
    })),
    relationship_kinds: Object.entries(schema.edgeKinds).map(([kind, spec]) => ({ name: `${OPENGRAPH_PREFIX}${kind}`, description: spec.description, is_traversable: spec.traversable })),
    environments: [{
      environment_kind: `${OPENGRAPH_PREFIX}Platform`,
      source_kind: OPENGRAPH_SOURCE_KIND,
      principal_kinds: nodeKinds.filter(([, spec]) => spec.principal).map(([kind]) => `${OPENGRAPH_PREFIX}${kind}`),
    }],
    relationship_findings: [],
  };
}
