// The kind mapping from OpenGraph collectors' vocabularies to blastmap's: data (mapping.json), extensible by the
// user with a file of the same shape, checked against the schema so a typo in a kind fails before any import.
import { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { fromZodIssues } from '../../engine/format/validate.ts';
import { CREDENTIAL_TYPES, IDENTITY_SUBTYPES, type EdgeKindSpec, type Schema } from '../../engine/schema/index.ts';
import defaultMappingJson from './mapping.json' with { type: 'json' };
import snowhoundJson from './presets/snowhound.json' with { type: 'json' };

/**
 * Built-in mappings of collectors' real outputs, laid over the default one (their kinds do not overlap): a
 * collector's payload imports into a traversable graph without any --mapping. GitHound and openhound-okta kinds
 * live in mapping.json itself.
 */
export const OPENGRAPH_PRESETS: Readonly<Record<string, unknown>> = { snowhound: snowhoundJson };

/** Unmapped collector edges (and mapped ones that must not traverse) become this non-traversable kind. */
export const OPENGRAPH_EDGE = 'OPENGRAPH_EDGE';
/** A collector's traversable "control of the source is control of the target", between any two kinds. */
export const OPENGRAPH_CONTROLS = 'OPENGRAPH_CONTROLS';

/** The two edge kinds an OpenGraph import may add to a graph's schema (they persist in its snapshot). */
export function openGraphEdgeKinds(schema: Schema): Record<string, EdgeKindSpec> {
  const every = Object.keys(schema.nodeKinds);
  return {
    [OPENGRAPH_EDGE]: {
      description: "A collector's relationship blastmap does not traverse (unmapped, or mapped to nothing); its original kinds are in properties.opengraphKinds.",
      from: every, to: every, traversable: false, requires: 'admin', grants: 'admin',
    },
    [OPENGRAPH_CONTROLS]: {
      description: "A collector's traversable relationship meaning that control of the source gives control of the target, between kinds no native edge kind joins.",
      from: every, to: every, traversable: true, requires: 'admin', grants: 'admin',
    },
  };
}

const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'a lower-case platform key such as okta' });
const tag = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'a lower-case tag such as source-code' });

const nodeEntry = z.object({
  kind: z.string(),
  subtype: z.enum(IDENTITY_SUBTYPES).optional(),
  type: z.enum(CREDENTIAL_TYPES).optional(),
  resourceType: z.string().max(128).optional(),
  tags: z.array(tag).optional(),
  platform: slug.optional(),
  tenantProperties: z.array(z.string()).optional(),
  /** A fixed tenant (GitHub Apps live in `github.com`, not in an organization). */
  tenant: z.string().min(1).optional(),
  /**
   * The native id as blastmap's own importer writes it, from the node's properties: `{login}`, `team/{slug}`,
   * `{full_name}`. A node missing a property keeps the collector's id.
   */
  id: z.string().min(1).optional(),
  /** Lower-case the filled id: the platform compares these names without case (GitHub logins and repositories). */
  lowerId: z.boolean().optional(),
}).strict();

const platformRule = z.object({
  prefix: z.string(),
  platform: slug,
  tenantProperties: z.array(z.string()).default([]),
}).strict();

export const mappingSchema = z.object({
  $comment: z.string().optional(),
  platforms: z.array(platformRule).default([]),
  fields: z.record(z.string(), z.array(z.string())).default({}),
  nodes: z.record(z.string(), nodeEntry).default({}),
  edges: z.record(z.string(), z.string().nullable()).default({}),
}).strict();

export type OpenGraphMapping = z.output<typeof mappingSchema>;
export type NodeMappingEntry = z.output<typeof nodeEntry>;

/** Our fields (and `properties.<key>`) a collector's property may fill. */
const FIELD_TARGETS = ['name', 'email', 'enabled', 'createdAt', 'expiresAt', 'lastUsedAt'];

/** Problems that make a mapping unusable against a schema: unknown kinds, missing credential types, unknown fields. */
function mappingProblems(mapping: OpenGraphMapping, schema: Schema, file: string | undefined): InputIssue[] {
  const issues: InputIssue[] = [];
  const nodeKinds = Object.keys(schema.nodeKinds);
  const edgeKinds = [...Object.keys(schema.edgeKinds), OPENGRAPH_EDGE, OPENGRAPH_CONTROLS];
  for (const [collectorKind, entry] of Object.entries(mapping.nodes)) {
    if (!nodeKinds.includes(entry.kind)) issues.push({ file, path: `$.nodes.${collectorKind}.kind`, message: `unknown node kind ${entry.kind}`, expected: `one of ${nodeKinds.join(', ')}`, found: JSON.stringify(entry.kind) });
    if (entry.kind === 'Credential' && entry.type === undefined) issues.push({ file, path: `$.nodes.${collectorKind}.type`, message: 'a credential needs a type', expected: `a credential type (${CREDENTIAL_TYPES.join(', ')})`, found: 'nothing' });
  }
  for (const [collectorKind, ours] of Object.entries(mapping.edges)) {
    if (ours !== null && !edgeKinds.includes(ours)) issues.push({ file, path: `$.edges.${collectorKind}`, message: `unknown edge kind ${ours}`, expected: `null or one of ${edgeKinds.join(', ')}`, found: JSON.stringify(ours) });
  }
  for (const target of Object.keys(mapping.fields)) {
    if (!FIELD_TARGETS.includes(target) && !target.startsWith('properties.')) issues.push({ file, path: `$.fields.${target}`, message: `unknown field ${target}`, expected: `one of ${FIELD_TARGETS.join(', ')} or properties.<key>`, found: JSON.stringify(target) });
  }
  return issues;
}

export type MappingResult = { ok: true; mapping: OpenGraphMapping } | { ok: false; issues: InputIssue[] };

/**
 * The default mapping, with a user's mapping (parsed JSON) laid over it: their node, edge and field entries
 * replace ours kind by kind, their platform rules are tried before ours.
 */
export function buildMapping(schema: Schema, user?: { value: unknown; file: string }): MappingResult {
  const base = Object.values(OPENGRAPH_PRESETS).map((preset) => mappingSchema.parse(preset)).reduce((merged, preset) => ({
    platforms: [...merged.platforms, ...preset.platforms],
    fields: Object.fromEntries([...new Set([...Object.keys(merged.fields), ...Object.keys(preset.fields)])].map((target) => [target, [...new Set([...(merged.fields[target] ?? []), ...(preset.fields[target] ?? [])])]])),
    nodes: { ...merged.nodes, ...preset.nodes },
    edges: { ...merged.edges, ...preset.edges },
  }), mappingSchema.parse(defaultMappingJson));
  let mapping = base;
  if (user) {
    const parsed = mappingSchema.safeParse(user.value);
    if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, user.value, user.file) };
    const extra = parsed.data;
    mapping = {
      platforms: [...extra.platforms, ...base.platforms],
      fields: { ...base.fields, ...extra.fields },
      nodes: { ...base.nodes, ...extra.nodes },
      edges: { ...base.edges, ...extra.edges },
    };
    const issues = mappingProblems(extra, schema, user.file);
    if (issues.length > 0) return { ok: false, issues };
  }
  const issues = mappingProblems(mapping, schema, user?.file);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, mapping };
}
