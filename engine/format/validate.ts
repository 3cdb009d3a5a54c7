// Validation of native fragments beyond their shape: ids, references, endpoint kinds, duplicates, secrets.
// Every check returns all issues at once (a result union), never just the first.
import type { z } from 'zod';
import { describeFound, jsonPath, type InputIssue } from '../errors.ts';
import { DEFAULT_SCHEMA, type Schema } from '../schema/index.ts';
import { countRedactionMarkers, findSecret, isSecretFieldName, redactId, redactText, scrubInput } from '../secrets.ts';
import { edgeId, fragmentSchema, keepProtoProperty, nodeId, type Fragment, type GraphEdge, type GraphNode } from './native.ts';
import { withoutControls } from './controls.ts';

export { withoutControls } from './controls.ts';

export type Result<T> = { ok: true; value: T; warnings: InputIssue[] } | { ok: false; issues: InputIssue[] };

/** Where each node and edge of a fragment came from, so later checks can name the file and path. */
export interface Provenance {
  file?: string | undefined;
  nodePaths: string[];
  edgePaths: string[];
  /** Line of each node / edge when the format knows it. */
  nodeLines?: (number | undefined)[];
  edgeLines?: (number | undefined)[];
}

export interface SourcedFragment {
  fragment: Fragment;
  provenance: Provenance;
  /** Secret-shaped values that were redacted on the way in. */
  redactions: number;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key as string];
  }
  return current;
}

/** Turns zod issues into blastmap issues that name the file, the JSON path, the expectation and the finding. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, file?: string, basePath: readonly PropertyKey[] = []): InputIssue[] {
  return issues.map((issue) => {
    const path = [...basePath, ...issue.path];
    const found = describeFound(valueAt(raw, issue.path));
    let expected: string;
    switch (issue.code) {
      case 'invalid_type': expected = `a${/^[aeiou]/.test(issue.expected) ? 'n' : ''} ${issue.expected}`; break;
      case 'invalid_value': expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`; break;
      case 'unrecognized_keys': return { file, path: jsonPath(path), message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`, expected: 'only documented fields', found: issue.keys.map((k) => JSON.stringify(k)).join(', ') };
      case 'too_small': expected = issue.origin === 'string' ? `a non-empty string${Number(issue.minimum) > 1 ? ` of at least ${issue.minimum} characters` : ''}` : `at least ${issue.minimum}`; break;
      case 'too_big': expected = issue.origin === 'string' ? `at most ${issue.maximum} characters` : `at most ${issue.maximum}`; break;
      case 'invalid_format': expected = issue.message; break;
      case 'custom': expected = issue.message; break;
      default: expected = issue.message;
    }
    return { file, path: jsonPath(path), message: issue.message, expected, found: issue.code === 'custom' && found === 'nothing' ? 'nothing' : found };
  });
}


/** Redacts secret-shaped text in free-text fields and drops secret-named extra properties. */
function scrubNode(node: GraphNode): number {
  let count = 0;
  const scrub = (text: string): string => {
    const { text: out, found } = redactText(withoutControls(text));
    count += found.length + countRedactionMarkers(text);
    return out;
  };
  node.name = scrub(node.name);
  if (node.email !== undefined) node.email = scrub(node.email);
  scrubOtherFields(node as unknown as Record<string, unknown>, NODE_TEXT_FIELDS, NODE_LIST_FIELDS, scrub);
  const id = scrubId(node.id);
  node.id = id.text;
  // Markers already in the id came from the input boundary (scrubInput); both kinds are counted once, here.
  count += countRedactionMarkers(node.id);
  if (node.nativeId !== undefined) node.nativeId = scrubId(node.nativeId).text;
  if (node.ownerIds) node.ownerIds = node.ownerIds.map((owner) => scrubId(owner).text);
  // Identifiers of a secret are kept (they are not secrets) but, like every text from outside, without control characters.
  if (node.fingerprint !== undefined) node.fingerprint = withoutControls(node.fingerprint);
  if (node.hint !== undefined) node.hint = withoutControls(node.hint);
  if (node.fingerprint !== undefined && findSecret(node.fingerprint)) { node.fingerprint = undefined; count++; }
  if (node.hint !== undefined && findSecret(node.hint)) { node.hint = undefined; count++; }
  // Not `count += ...`: that would read `count` before scrub() increments it during the call.
  const dropped = scrubProperties(node.properties, scrub);
  return count + dropped;
}

function scrubProperties(properties: Record<string, unknown> | undefined, scrub: (text: string) => string): number {
  if (!properties) return 0;
  let count = 0;
  for (const [key, value] of Object.entries(properties)) {
    // A key that held a secret was redacted at the input boundary (scrubInput); here it is counted.
    count += countRedactionMarkers(key);
    if (isSecretFieldName(key) && value !== null && value !== '') {
      delete properties[key];
      count++;
      continue;
    }
    if (typeof value === 'string') properties[key] = scrub(value);
    else if (Array.isArray(value)) properties[key] = value.map((item) => (typeof item === 'string' ? scrub(item) : item));
  }
  return count;
}

/** Free-text fields beyond names and properties: any of them can carry a pasted secret or a control character. */
const NODE_TEXT_FIELDS = ['platform', 'tenant', 'vendor', 'resourceType', 'source'] as const;
const NODE_LIST_FIELDS = ['scopes', 'usedScopes', 'approvedScopes', 'tags'] as const;
const EDGE_TEXT_FIELDS = ['source'] as const;
const EDGE_LIST_FIELDS = ['scopes', 'conditions', 'approvedScopes'] as const;

/** `scrub` counts what it redacts. */
function scrubOtherFields(record: Record<string, unknown>, texts: readonly string[], lists: readonly string[], scrub: (text: string) => string): void {
  for (const field of texts) {
    const value = record[field];
    if (typeof value === 'string') record[field] = scrub(value);
  }
  for (const field of lists) {
    const value = record[field];
    if (Array.isArray(value)) record[field] = value.map((item) => (typeof item === 'string' ? scrub(item) : item));
  }
}

/**
 * Ids are shown everywhere, so they lose control characters and secrets too. A redacted run keeps a
 * fingerprint, and references go through the same function: distinct ids stay distinct and edges still
 * join the nodes they named. Counted once per node, not per reference.
 */
function scrubId(id: string): { text: string; found: number } {
  const clean = withoutControls(id);
  if (!findSecret(clean)) return { text: clean, found: 0 };
  const { text, found } = redactId(clean);
  return { text, found: found.length };
}

function scrubEdge(edge: GraphEdge): number {
  let count = 0;
  const scrub = (text: string): string => {
    const { text: out, found } = redactText(withoutControls(text));
    count += found.length + countRedactionMarkers(text);
    return out;
  };
  if (edge.reason !== undefined) edge.reason = scrub(edge.reason);
  scrubOtherFields(edge as unknown as Record<string, unknown>, EDGE_TEXT_FIELDS, EDGE_LIST_FIELDS, scrub);
  // References are redacted exactly as the ids they name, so the edge still joins the same nodes.
  edge.from = scrubId(edge.from).text;
  edge.to = scrubId(edge.to).text;
  if (edge.grant !== undefined) edge.grant = scrubId(edge.grant).text;
  if (edge.id !== undefined) edge.id = scrubId(edge.id).text;
  const dropped = scrubProperties(edge.properties, scrub);
  return count + dropped;
}

/**
 * Validates one parsed document (the object of a JSON or YAML file) as a native fragment: shape, ids,
 * duplicates inside the document, secrets. References between nodes are checked later, across the batch.
 */
export function validateFragmentDocument(raw: unknown, options: { file?: string; schema?: Schema; source?: string } = {}): Result<SourcedFragment> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  // The boundary: every key and value is scrubbed before the schema derives ids or folds the case of any part.
  const clean = scrubInput(raw);
  const parsed = fragmentSchema(schema).safeParse(clean);
  if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, clean, options.file) };
  const defaultSource = parsed.data.source ?? options.source;
  const rawNodes = (clean as { nodes: unknown[] }).nodes;
  const rawEdges = (clean as { edges: unknown[] }).edges;
  parsed.data.nodes.forEach((node, i) => keepProtoProperty(node, rawNodes[i]));
  parsed.data.edges.forEach((edge, i) => keepProtoProperty(edge, rawEdges[i]));
  const nodes: GraphNode[] = parsed.data.nodes.map((node) => ({
    ...node,
    id: node.id ?? nodeId(node.platform, node.tenant, node.kind, node.nativeId as string),
    source: node.source ?? defaultSource,
  }));
  const edges: GraphEdge[] = parsed.data.edges.map((edge) => ({ ...edge, source: edge.source ?? defaultSource }));
  const provenance: Provenance = {
    file: options.file,
    nodePaths: nodes.map((_, i) => `$.nodes[${i}]`),
    edgePaths: edges.map((_, i) => `$.edges[${i}]`),
  };
  return finishFragment({ nodes, edges }, provenance);
}

/**
 * The longest id a graph holds: the native format's own bound on `id`, `from` and `to` (`idText` in native.ts). An
 * importer that folds an unbounded export field (a tenant, a domain, an instance URL) into every id would otherwise
 * make every node and edge id as long as that field: a 635 KB export with a 0.6 MB tenant id made 0.6 MB ids,
 * 1.5 GB and 10 s to import.
 */
export const MAX_ID_LENGTH = 2048;

/**
 * At most SCRUBBED characters of an over-long id or path are scrubbed (a secret that starts in the quoted head is
 * found whole) and at most SHOWN of them quoted: never the whole id. At most LISTED ids are described one by one.
 */
const SCRUBBED = 4096;
const SHOWN = 60;
const LISTED = 100;

/** The head of a long id or path, scrubbed like an id (secrets redacted with a fingerprint, no control characters). */
function headOf(text: string): string {
  if (text.length <= SHOWN) return scrubId(text).text;
  const head = scrubId(text.slice(0, SCRUBBED)).text;
  return `${head.slice(0, SHOWN)}…`;
}

/** A provenance path that quotes an id (importers name a node `node <id>`) is cut like the id. */
const shortPath = (path: string): string => (path.length <= SHOWN + 40 ? path : `${headOf(path)} (${path.length.toLocaleString('en-US')} characters)`);

/**
 * Every node id and edge reference longer than MAX_ID_LENGTH, as issues naming file, path and line. Only lengths are
 * read (constant time even for a string built by concatenation), so this runs before any id is hashed or flattened.
 */
export function overlongIds(fragment: Fragment, provenance: Provenance): InputIssue[] {
  const issues: InputIssue[] = [];
  const limit = MAX_ID_LENGTH.toLocaleString('en-US');
  let unlisted = 0;
  const issue = (base: string | undefined, fallback: string, field: string, id: string, line: number | undefined): InputIssue | undefined => {
    // One tenant too long makes every id too long: past the first LISTED, they are counted, not described.
    if (issues.length >= LISTED) { unlisted++; return undefined; }
    return {
      file: provenance.file, path: `${shortPath(base ?? fallback)}.${field}`, line,
      message: `${field === 'id' ? 'id' : `reference ${field}`} longer than ${limit} characters`,
      expected: `an id of at most ${limit} characters`,
      found: `${id.length.toLocaleString('en-US')} characters: ${JSON.stringify(headOf(id))}`,
    };
  };
  const push = (found: InputIssue | undefined): void => { if (found) issues.push(found); };
  fragment.nodes.forEach((node, index) => {
    if (node.id.length > MAX_ID_LENGTH) push(issue(provenance.nodePaths[index], `$.nodes[${index}]`, 'id', node.id, provenance.nodeLines?.[index]));
    node.ownerIds?.forEach((owner, i) => {
      if (owner.length > MAX_ID_LENGTH) push(issue(provenance.nodePaths[index], `$.nodes[${index}]`, `ownerIds[${i}]`, owner, provenance.nodeLines?.[index]));
    });
  });
  fragment.edges.forEach((edge, index) => {
    for (const field of ['from', 'to', 'grant', 'id'] as const) {
      const id = edge[field];
      if (id !== undefined && id.length > MAX_ID_LENGTH) push(issue(provenance.edgePaths[index], `$.edges[${index}]`, field, id, provenance.edgeLines?.[index]));
    }
  });
  if (unlisted > 0) {
    issues.push({ file: provenance.file, path: '$', message: `${unlisted.toLocaleString('en-US')} more ids longer than ${limit} characters, not listed`, expected: `ids of at most ${limit} characters`, found: `${unlisted.toLocaleString('en-US')} more` });
  }
  return issues;
}

/** Id bounds, secret scrubbing and in-document duplicate checks shared by every text format. */
export function finishFragment(fragment: Fragment, provenance: Provenance): Result<SourcedFragment> {
  // Before the ids are hashed into `seen`: hashing flattens a concatenated id, once per node.
  const overlong = overlongIds(fragment, provenance);
  if (overlong.length > 0) return { ok: false, issues: overlong };
  const issues: InputIssue[] = [];
  const seen = new Map<string, number>();
  fragment.nodes.forEach((node, index) => {
    const first = seen.get(node.id);
    if (first === undefined) { seen.set(node.id, index); return; }
    const previous = fragment.nodes[first] as GraphNode;
    if (conflictingFields(previous, node).length > 0) {
      issues.push({
        file: provenance.file, path: `${provenance.nodePaths[index]}.id`, line: provenance.nodeLines?.[index],
        message: `duplicate node id ${scrubId(node.id).text}`,
        expected: 'a unique node id (or an identical repeat)',
        found: `${JSON.stringify(scrubId(node.id).text)}, also at ${provenance.nodePaths[first]} with different ${conflictingFields(previous, node).join(', ')}`,
      });
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  let redactions = 0;
  for (const node of fragment.nodes) redactions += scrubNode(node);
  for (const edge of fragment.edges) redactions += scrubEdge(edge);
  return { ok: true, value: { fragment, provenance, redactions }, warnings: [] };
}

const SCALAR_FIELDS = ['kind', 'name', 'platform', 'tenant', 'type', 'subtype', 'expiresAt', 'createdAt', 'revoked', 'enabled'] as const;

function conflictingFields(a: GraphNode, b: GraphNode): string[] {
  return SCALAR_FIELDS.filter((field) => a[field] !== undefined && b[field] !== undefined && a[field] !== b[field]);
}

/**
 * Checks a batch of fragments (plus the nodes already in the graph) for dangling edges and edges whose
 * endpoints are of kinds the edge kind does not allow.
 */
export function checkReferences(batch: readonly SourcedFragment[], existingKind: (id: string) => string | undefined, schema: Schema = DEFAULT_SCHEMA): InputIssue[] {
  const kindOf = new Map<string, string>();
  for (const { fragment } of batch) for (const node of fragment.nodes) if (!kindOf.has(node.id)) kindOf.set(node.id, node.kind);
  const issues: InputIssue[] = [];
  for (const { fragment, provenance } of batch) {
    fragment.edges.forEach((edge, index) => {
      const spec = schema.edgeKinds[edge.kind];
      const base = provenance.edgePaths[index] ?? `$.edges[${index}]`;
      const line = provenance.edgeLines?.[index];
      for (const end of ['from', 'to'] as const) {
        const id = edge[end];
        const kind = kindOf.get(id) ?? existingKind(id);
        const allowed = end === 'from' ? spec?.from : spec?.to;
        if (kind === undefined) {
          issues.push({ file: provenance.file, path: `${base}.${end}`, line, message: `unknown node ${id}`, expected: 'the id of a node in this import or in the graph', found: describeFound(id) });
        } else if (allowed && !allowed.includes(kind)) {
          issues.push({ file: provenance.file, path: `${base}.${end}`, line, message: `${edge.kind} cannot ${end === 'from' ? 'start at' : 'end at'} a ${kind}`, expected: `a ${allowed.join(' or ')} node for ${edge.kind}.${end}`, found: `${kind} ${describeFound(id)}` });
        }
      }
    });
  }
  return issues;
}

/**
 * Merges fragments into one, in order. The same node seen twice (two importers, or the same export
 * imported again) becomes one node: later values fill gaps, tags and owners are unioned. The same edge
 * (kind, from, to, grant) becomes one edge with the union of its scopes and conditions.
 */
export function mergeFragments(fragments: readonly Fragment[]): Fragment {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  for (const fragment of fragments) {
    for (const node of fragment.nodes) {
      const previous = nodes.get(node.id);
      nodes.set(node.id, previous ? mergeNode(previous, node) : { ...node });
    }
    for (const edge of fragment.edges) {
      const key = edgeId(edge);
      const previous = edges.get(key);
      edges.set(key, previous ? mergeEdge(previous, edge) : { ...edge });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

const union = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): T[] | undefined =>
  a === undefined && b === undefined ? undefined : [...new Set([...(a ?? []), ...(b ?? [])])];

function mergeNode(previous: GraphNode, next: GraphNode): GraphNode {
  const merged: GraphNode = { ...next, ...definedOnly(previous) } as GraphNode;
  // Later facts win for mutable state (a credential revoked since the last export).
  for (const field of ['revoked', 'revokedAt', 'enabled', 'lastUsedAt', 'expiresAt', 'rotatedAt', 'reviewedAt', 'reviewEvery', 'approvedAt', 'approvedBy', 'approvedScopes'] as const) {
    if (next[field] !== undefined) (merged as Record<string, unknown>)[field] = next[field];
  }
  merged.tags = union(previous.tags, next.tags);
  merged.ownerIds = union(previous.ownerIds, next.ownerIds);
  merged.scopes = union(previous.scopes, next.scopes);
  merged.usedScopes = union(previous.usedScopes, next.usedScopes);
  if (previous.properties || next.properties) merged.properties = { ...next.properties, ...previous.properties };
  return stripUndefined(merged);
}

function mergeEdge(previous: GraphEdge, next: GraphEdge): GraphEdge {
  const merged: GraphEdge = { ...next, ...definedOnly(previous) } as GraphEdge;
  merged.scopes = union(previous.scopes, next.scopes);
  merged.conditions = union(previous.conditions, next.conditions);
  // Approval and review are mutable state, as on nodes: the later record (a re-approval, a review) wins.
  for (const field of ['approvedBy', 'approvedAt', 'approvedScopes', 'reviewedAt', 'reviewEvery'] as const) {
    if (next[field] !== undefined) (merged as Record<string, unknown>)[field] = next[field];
  }
  if (previous.properties || next.properties) merged.properties = { ...next.properties, ...previous.properties };
  return stripUndefined(merged);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function stripUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
