// From OpenGraph elements to blastmap nodes and edges. Our own exports (kinds `BM_*`) come back exactly; other
// collectors' kinds go through the mapping table; what maps to nothing is kept (generic nodes, non-traversable
// edges) and reported. Edges are resolved once every node is known: by id, by name (deprecated) or by property.
import { calendarInstant, isCalendarDate } from '../../engine/format/dates.ts';
import type { InputIssue } from '../../engine/errors.ts';
import { decodeEdgeProperties, decodeNodeProperties, openGraphNodeProperties, ourKindOf, OPENGRAPH_PREFIX } from '../../engine/export/opengraph.ts';
import { edgeSchema, nodeId, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { fromZodIssues } from '../../engine/format/validate.ts';
import { DEFAULT_SCHEMA, defineSchema, type Schema } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { scrubInput } from '../../engine/secrets.ts';
import { OPENGRAPH_CONTROLS, OPENGRAPH_EDGE, openGraphEdgeKinds, type NodeMappingEntry, type OpenGraphMapping } from './mapping.ts';
import type { OpenGraphElementSink } from './read.ts';
import { openGraphEdgeSchema, openGraphMetadataSchema, openGraphNodeSchema, type OpenGraphEdgeInput, type OpenGraphEndpointInput } from './schema.ts';

export const OPENGRAPH_SOURCE = 'opengraph';
const DEFAULT_TENANT = 'opengraph';
/** Unmatched endpoints listed one by one in the report; beyond this they are only counted. */
const LISTED_UNMATCHED = 200;

/** A node already in the graph an edge may point at (by our id, or by the OpenGraph id it was imported with). */
export interface ExistingNode {
  id: string;
  kind: string;
  /** OpenGraph kinds it answers to, for an endpoint's `kind` filter. */
  kinds: readonly string[];
}

export interface OpenGraphImportOptions {
  mapping: OpenGraphMapping;
  /** The graph's schema (default: the built-in one); extension kinds in it are recognised as ours. */
  schema?: Schema;
  /** Tenant for collectors' nodes, instead of the one read from their properties. */
  tenant?: string;
  /** Skip invalid elements (listed in the report) instead of failing. */
  lenient?: boolean;
  existing?: (id: string) => ExistingNode | undefined;
  /**
   * The kinds a user's --mapping file names: each one absent from the input is a warning listing the kinds the input
   * has (a mapping written for another collector, or another version of it, would otherwise change nothing silently).
   */
  requested?: { file: string; nodes: readonly string[]; edges: readonly string[] };
}

export interface KindCount { kind: string; count: number }

export interface OpenGraphReport {
  files: string[];
  sourceKinds: string[];
  nodesRead: number;
  edgesRead: number;
  /** Elements recognised as blastmap's own (kinds `BM_*`), read back exactly. */
  ours: { nodes: number; edges: number };
  /** Collectors' node kinds with no mapping: kept as Resource nodes with properties.opengraphKinds. */
  unmappedNodeKinds: KindCount[];
  /** Collectors' edge kinds with no mapping: kept as non-traversable OPENGRAPH_EDGE edges. */
  unmappedEdgeKinds: KindCount[];
  /** Edge kinds mapped to nothing on purpose: kept as OPENGRAPH_EDGE. */
  nonTraversableEdgeKinds: KindCount[];
  /** Mapped edges whose endpoints the mapped kind does not allow, and what they became instead. */
  refitted: { kind: string; mappedTo: string; keptAs: string; from: string; to: string; count: number }[];
  /** Edges dropped because an endpoint matched no node (or several), with where they are. */
  unmatched: InputIssue[];
  unmatchedCount: number;
  /** Repeated node ids (the first occurrence is kept). */
  duplicateNodes: number;
  /** Invalid elements skipped under --lenient. */
  skipped: InputIssue[];
  /** Kinds the --mapping names that the input does not have, with the kinds it has. */
  warnings: string[];
}

export type OpenGraphResult =
  | { ok: true; fragment: Fragment; schema: Schema; report: OpenGraphReport }
  | { ok: false; issues: InputIssue[] };

interface FileNode {
  /** Index into `nodes`. */
  index: number;
  kinds: readonly string[];
  ours: boolean;
}

interface PendingEdge {
  file: string;
  index: number;
  edge: OpenGraphEdgeInput;
}

interface Target { id: string; kind: string }

interface DocumentContext {
  file: string;
  sourceKind: string | undefined;
  /** Per platform, the tenant the document's nodes named so far: a node that names none is in the same one. */
  tenants: Map<string, string>;
}

type Primitive = string | number | boolean;

function countOf(map: Map<string, number>): KindCount[] {
  return [...map].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * The native id of a collector's node: the mapping's id template filled from its properties (so it is the id
 * blastmap's own importer gives the same object, and the two merge), else the collector's id as it is.
 */
function nativeIdOf(entry: NodeMappingEntry | undefined, ogId: string, properties: Record<string, unknown>): string {
  if (!entry?.id) return ogId;
  let missing = false;
  const filled = entry.id.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const value = properties[name];
    if (typeof value !== 'string' && typeof value !== 'number') { missing = true; return ''; }
    return String(value);
  });
  if (missing || filled === '') return ogId;
  return entry.lowerId ? filled.toLowerCase() : filled;
}

/** Lower-case slug usable as a platform key (`Okta` -> `okta`, `My Collector` -> `my-collector`). */
function platformSlug(text: string): string | undefined {
  const slug = text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').replace(/-+$/, '');
  return slug.length > 0 ? slug.slice(0, 64) : undefined;
}

/** An instant from ISO text or epoch seconds/milliseconds; zero and negatives mean "never" in collectors' data. */
function instantOf(value: unknown): string | undefined {
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    ms = value > 1e11 ? value : value * 1000;
  } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    ms = calendarInstant(value);
  } else return undefined;
  if (Number.isNaN(ms)) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1970 && year <= 9999 ? new Date(ms).toISOString() : undefined;
}

/** Finds nodes of a graph by our id, or by the OpenGraph id a previous OpenGraph import gave them. */
export function existingNodes(graph: CompactGraph): (id: string) => ExistingNode | undefined {
  let byOpenGraphId: Map<string, number> | undefined;
  return (id) => {
    let v = graph.indexOf.get(id);
    if (v === undefined) {
      if (!byOpenGraphId) {
        byOpenGraphId = new Map();
        graph.nodes.forEach((node, i) => {
          const ogId = node.properties?.opengraphId;
          if (typeof ogId === 'string' && !byOpenGraphId!.has(ogId)) byOpenGraphId!.set(ogId, i);
        });
      }
      v = byOpenGraphId.get(id);
    }
    if (v === undefined) return undefined;
    const node = graph.nodes[v]!;
    const kinds = node.properties?.opengraphKinds;
    return { id: node.id, kind: node.kind, kinds: Array.isArray(kinds) ? kinds.map(String) : [`${OPENGRAPH_PREFIX}${node.kind}`] };
  };
}

function valueKey(value: unknown): string {
  return `${typeof value}:${String(value)}`;
}

function cleanProperties(properties: Record<string, unknown> | null | undefined): Record<string, Primitive | Primitive[]> {
  const out: Record<string, Primitive | Primitive[]> = {};
  if (!properties) return out;
  for (const [key, value] of Object.entries(properties)) {
    // `__proto__` would set the record's prototype rather than a property; no collector means it as data.
    if (value === null || value === undefined || key === '__proto__') continue;
    out[key] = Array.isArray(value) ? value.filter((item) => item !== null) as Primitive[] : value as Primitive;
  }
  return out;
}

/**
 * Collects elements (from one or several documents, in order) and turns them into a fragment at `finish()`.
 * Feed it from `OpenGraphReader` (streaming) or from a parsed document.
 */
export class OpenGraphTransform {
  private readonly schema: Schema;
  /** The schema plus our OpenGraph edge kinds, so an export of a graph that has them reads back too. */
  private readonly fullSchema: Schema;
  private readonly mapping: OpenGraphMapping;
  private readonly nodes: GraphNode[] = [];
  private readonly fileNodes = new Map<string, FileNode>();
  private readonly pending: PendingEdge[] = [];
  private readonly issues: InputIssue[] = [];
  private readonly skipped: InputIssue[] = [];
  private readonly files: string[] = [];
  private readonly sourceKinds = new Set<string>();
  private readonly unmappedNodes = new Map<string, number>();
  private readonly nodeKindsSeen = new Set<string>();
  private readonly byOurId = new Map<string, number>();
  /** Nodes whose collector id another node of another kind has too, by `<id>\0<kind>`. */
  private readonly kindedNodes = new Map<string, FileNode>();
  private readonly sharedIdNodes: FileNode[] = [];
  private readonly edgeKindsSeen = new Set<string>();
  private readonly unmappedEdges = new Map<string, number>();
  private readonly nullEdges = new Map<string, number>();
  private readonly refits = new Map<string, OpenGraphReport['refitted'][number]>();
  private readonly unmatched: InputIssue[] = [];
  private unmatchedCount = 0;
  private duplicates = 0;
  private nodesRead = 0;
  private edgesRead = 0;
  private readonly ours = { nodes: 0, edges: 0 };
  private readonly nodeValidator: ReturnType<typeof nodeSchema>;
  private readonly edgeValidator: ReturnType<typeof edgeSchema>;
  private nameIndex: Map<string, number[]> | undefined;
  private readonly propertyIndex = new Map<string, Map<string, number[]>>();
  private existing: ((id: string) => ExistingNode | undefined) | undefined;

  /** `--tenant` is input like the payload: scrubbed before it is folded into any id. */
  private readonly tenant: string | undefined;

  constructor(private readonly options: OpenGraphImportOptions) {
    this.tenant = options.tenant === undefined ? undefined : scrubInput(options.tenant);
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    this.fullSchema = defineSchema({ edgeKinds: openGraphEdgeKinds(this.schema) }, this.schema);
    this.mapping = options.mapping;
    this.nodeValidator = nodeSchema(this.schema);
    this.edgeValidator = edgeSchema(this.fullSchema);
  }

  /**
   * A new document (a file, or a zip entry): its metadata applies to its own nodes. The returned sink is what
   * `OpenGraphReader` feeds.
   */
  openDocument(file: string): OpenGraphElementSink {
    this.files.push(file);
    const context: DocumentContext = { file, sourceKind: undefined, tenants: new Map() };
    return {
      metadata: (raw) => this.metadata(raw, context),
      node: (raw, index) => this.node(raw, index, context),
      edge: (raw, index) => this.edge(raw, index, context.file),
    };
  }

  /** Problems found outside elements (a file that is not an OpenGraph document): fatal unless lenient. */
  report(issues: readonly InputIssue[]): void {
    if (issues.length > 0) this.problem([...issues]);
  }

  private problem(issues: InputIssue[]): void {
    if (this.options.lenient) this.skipped.push(...issues);
    else this.issues.push(...issues);
  }

  private metadata(raw: unknown, context: DocumentContext): void {
    const parsed = openGraphMetadataSchema.safeParse(raw);
    if (!parsed.success) { this.problem(fromZodIssues(parsed.error.issues, raw, context.file, ['metadata'])); return; }
    context.sourceKind = parsed.data.source_kind;
    if (context.sourceKind) this.sourceKinds.add(context.sourceKind);
  }

  private node(raw: unknown, index: number, context: DocumentContext): void {
    const file = context.file;
    this.nodesRead++;
    const base = ['graph', 'nodes', index];
    const parsed = openGraphNodeSchema.safeParse(raw);
    if (!parsed.success) { this.problem(fromZodIssues(parsed.error.issues, raw, file, base)); return; }
    const og = parsed.data;
    for (const kind of og.kinds) this.nodeKindsSeen.add(kind);
    const ourKind = ourKindOf(og.kinds[0]!, this.schema.nodeKinds);
    const built = ourKind ? this.ourNode(og.id, ourKind, og.properties ?? {}) : this.collectorNode(og.id, og.kinds, og.properties ?? {}, context);
    const checked = this.nodeValidator.safeParse(built.record);
    if (!checked.success || built.problems.length > 0) {
      const where = `$.graph.nodes[${index}].properties`;
      const issues: InputIssue[] = built.problems.map((p: { property: string; expected: string; found?: string }) => ({ file, path: `${where}.${p.property}`, message: `expected ${p.expected}`, expected: p.expected, found: p.found ?? 'another type' }));
      if (!checked.success) issues.push(...fromZodIssues(checked.error.issues, built.record, file, [...base, 'properties']));
      this.problem(issues);
      return;
    }
    const earlier = this.fileNodes.get(og.id);
    // A collector may reuse one id for objects of different kinds (SnowHound's SNOWFLAKE database and application):
    // both are kept, and an edge naming the id with a kind finds the right one.
    if (earlier && earlier.kinds[0] === og.kinds[0]) { this.duplicates++; return; }
    const node = { ...checked.data, id: checked.data.id ?? String(built.record.id) } as GraphNode;
    // Two collector nodes a mapping's id template makes one node of ours (a user in the main and the SAML file).
    const same = ourKind ? undefined : this.byOurId.get(node.id);
    if (same !== undefined) { this.fileNodes.set(og.id, { index: same, kinds: og.kinds, ours: false }); this.duplicates++; return; }
    this.byOurId.set(node.id, this.nodes.length);
    const fileNode: FileNode = { index: this.nodes.length, kinds: og.kinds, ours: ourKind !== undefined };
    if (earlier) {
      for (const kind of earlier.kinds) this.kindedNodes.set(`${og.id}\u0000${kind}`, earlier);
      for (const kind of og.kinds) this.kindedNodes.set(`${og.id}\u0000${kind}`, fileNode);
      this.sharedIdNodes.push(fileNode);
    } else this.fileNodes.set(og.id, fileNode);
    this.nodes.push(node);
    if (ourKind) this.ours.nodes++;
  }

  private edge(raw: unknown, index: number, file: string): void {
    this.edgesRead++;
    const parsed = openGraphEdgeSchema.safeParse(raw);
    if (!parsed.success) { this.problem(fromZodIssues(parsed.error.issues, raw, file, ['graph', 'edges', index])); return; }
    this.edgeKindsSeen.add(parsed.data.kind);
    this.pending.push({ file, index, edge: parsed.data });
  }

  /** One of our nodes, read back from the properties we wrote. */
  private ourNode(id: string, kind: string, properties: Record<string, unknown>) {
    const decoded = decodeNodeProperties(properties);
    return { record: { ...decoded.record, id, kind }, problems: decoded.problems };
  }

  private platformRule(kind: string) {
    let best: OpenGraphMapping['platforms'][number] | undefined;
    for (const rule of this.mapping.platforms) {
      if (kind.startsWith(rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
    }
    return best;
  }

  private field(properties: Record<string, unknown>, target: string): unknown {
    const name = this.fieldName(properties, target);
    return name === undefined ? undefined : properties[name];
  }

  /** The collector's property that gives `target`: the first of the mapping's names that holds a value. */
  private fieldName(properties: Record<string, unknown>, target: string): string | undefined {
    for (const name of this.mapping.fields[target] ?? []) {
      const value = properties[name];
      if (value !== undefined && value !== null && value !== '') return name;
    }
    return undefined;
  }

  /** A collector's node: kind from the mapping (first of its kinds that has one), or a generic Resource. */
  private collectorNode(ogId: string, kinds: readonly string[], raw: Record<string, unknown>, context: DocumentContext) {
    const sourceKind = context.sourceKind;
    const properties = cleanProperties(raw);
    let entry: NodeMappingEntry | undefined;
    let matched = kinds[0]!;
    for (const kind of kinds) {
      const found = this.mapping.nodes[kind];
      if (found) { entry = found; matched = kind; break; }
    }
    if (!entry) bump(this.unmappedNodes, kinds[0]!);
    const kind = entry?.kind ?? 'Resource';
    const rule = this.platformRule(matched);
    const platform = entry?.platform ?? rule?.platform ?? (sourceKind ? platformSlug(sourceKind) : undefined) ?? DEFAULT_TENANT;
    let tenant = entry?.tenant ?? this.tenant;
    if (tenant === undefined) {
      for (const name of entry?.tenantProperties ?? rule?.tenantProperties ?? []) {
        const value = properties[name];
        if (typeof value === 'string' && value !== '') { tenant = value.toLowerCase(); break; }
      }
      if (tenant !== undefined && entry?.tenant === undefined) context.tenants.set(platform, tenant);
    }
    tenant ??= context.tenants.get(platform) ?? DEFAULT_TENANT;
    const name = this.field(properties, 'name');
    const record: Record<string, unknown> = {
      id: nodeId(platform, tenant, kind, nativeIdOf(entry, ogId, properties)),
      kind,
      name: (typeof name === 'string' || typeof name === 'number' ? String(name) : ogId).slice(0, 1024),
      platform,
      tenant: tenant.slice(0, 512),
      source: OPENGRAPH_SOURCE,
    };
    if (entry?.subtype) record.subtype = entry.subtype;
    if (entry?.type) record.type = entry.type;
    if (entry?.resourceType) record.resourceType = entry.resourceType;
    else if (!entry) record.resourceType = kinds[0]!.slice(0, 128);
    if (entry?.tags) record.tags = [...entry.tags];
    const email = this.field(properties, 'email');
    if (typeof email === 'string' && email.includes('@') && email.length <= 320) record.email = email.toLowerCase();
    const enabled = this.field(properties, 'enabled');
    if (typeof enabled === 'boolean') record.enabled = enabled;
    const problems: { property: string; expected: string; found?: string }[] = [];
    for (const target of ['createdAt', 'expiresAt', 'lastUsedAt']) {
      const value = this.field(properties, target);
      const instant = instantOf(value);
      if (instant) record[target] = instant;
      // A date that is not on the calendar (2024-02-30) is an input error naming the property, never dropped
      // or rolled over to the next valid day; other text and "never" values (0, negatives) stay as before.
      else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !isCalendarDate(value)) {
        problems.push({ property: this.fieldName(properties, target)!, expected: 'a real calendar date', found: JSON.stringify(value.slice(0, 40)) });
      }
    }
    const extras: Record<string, unknown> = { ...properties };
    for (const target of Object.keys(this.mapping.fields)) {
      if (!target.startsWith('properties.')) continue;
      const value = this.field(properties, target);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') extras[target.slice('properties.'.length)] = value;
    }
    extras.opengraphId = ogId;
    extras.opengraphKinds = [...kinds];
    record.properties = extras;
    return { record, problems };
  }

  /** A file node as OpenGraph sees it, for name and property matching. */
  private openGraphView(fileNode: FileNode): Record<string, unknown> {
    const node = this.nodes[fileNode.index]!;
    return fileNode.ours ? openGraphNodeProperties(node) : (node.properties ?? {});
  }

  private byName(): Map<string, number[]> {
    if (!this.nameIndex) {
      const index = new Map<string, number[]>();
      for (const fileNode of [...this.fileNodes.values(), ...this.sharedIdNodes]) {
        const name = this.openGraphView(fileNode).name;
        if (typeof name !== 'string') continue;
        for (const key of new Set([name, `~${name.toLowerCase()}`])) index.set(key, [...(index.get(key) ?? []), fileNode.index]);
      }
      this.nameIndex = index;
    }
    return this.nameIndex;
  }

  private byProperty(key: string): Map<string, number[]> {
    let index = this.propertyIndex.get(key);
    if (!index) {
      index = new Map();
      for (const fileNode of [...this.fileNodes.values(), ...this.sharedIdNodes]) {
        const value = this.openGraphView(fileNode)[key];
        if (value === undefined || value === null || typeof value === 'object') continue;
        const bucket = valueKey(value);
        index.set(bucket, [...(index.get(bucket) ?? []), fileNode.index]);
      }
      this.propertyIndex.set(key, index);
    }
    return index;
  }

  private kindsOfIndex(index: number): readonly string[] {
    const node = this.nodes[index]!;
    const kinds = node.properties?.opengraphKinds;
    return Array.isArray(kinds) ? kinds as string[] : [`${OPENGRAPH_PREFIX}${node.kind}`];
  }

  /** The node an endpoint names, or why none (nothing matched, or several did). */
  private resolve(endpoint: OpenGraphEndpointInput): { target: Target } | { reason: string } {
    const matchBy = endpoint.match_by ?? 'id';
    let candidates: { id: string; kind: string; kinds: readonly string[] }[] = [];
    if (matchBy === 'id') {
      const value = endpoint.value!;
      const fileNode = (endpoint.kind !== undefined ? this.kindedNodes.get(`${value}\u0000${endpoint.kind}`) : undefined) ?? this.fileNodes.get(value);
      if (fileNode) {
        const node = this.nodes[fileNode.index]!;
        candidates = [{ id: node.id, kind: node.kind, kinds: fileNode.kinds }];
      } else {
        const known = this.existing?.(value);
        if (known) candidates = [known];
      }
    } else {
      let indices: number[];
      if (matchBy === 'name') {
        const index = this.byName();
        indices = index.get(endpoint.value!) ?? index.get(`~${endpoint.value!.toLowerCase()}`) ?? [];
      } else {
        indices = [];
        endpoint.property_matchers!.forEach((matcher, i) => {
          const found = this.byProperty(matcher.key).get(valueKey(matcher.value)) ?? [];
          indices = i === 0 ? found : indices.filter((v) => found.includes(v));
        });
      }
      candidates = [...new Set(indices)].map((i) => ({ id: this.nodes[i]!.id, kind: this.nodes[i]!.kind, kinds: this.kindsOfIndex(i) }));
    }
    if (endpoint.kind !== undefined) candidates = candidates.filter((c) => c.kinds.includes(endpoint.kind!));
    const what = matchBy === 'property'
      ? endpoint.property_matchers!.map((m) => `${m.key} = ${JSON.stringify(m.value)}`).join(' and ')
      : `${matchBy} ${JSON.stringify(endpoint.value)}`;
    const kindText = endpoint.kind !== undefined ? ` of kind ${endpoint.kind}` : '';
    if (candidates.length === 0) return { reason: `no node${kindText} with ${what} in the file${this.existing ? ' or the graph' : ''}` };
    if (candidates.length > 1) return { reason: `${candidates.length} nodes${kindText} with ${what}` };
    return { target: { id: candidates[0]!.id, kind: candidates[0]!.kind } };
  }

  /** Our edge kind for a collector's (or our own) edge between these endpoint kinds. */
  private edgeKindFor(ogKind: string, from: string, to: string, used: Set<string>): { kind: string; ours: boolean } {
    const own = ourKindOf(ogKind, this.fullSchema.edgeKinds);
    if (own) {
      if (!Object.hasOwn(this.schema.edgeKinds, own)) used.add(own);
      return { kind: own, ours: true };
    }
    const mapped = Object.hasOwn(this.mapping.edges, ogKind) ? this.mapping.edges[ogKind] : undefined;
    if (mapped === undefined) { bump(this.unmappedEdges, ogKind); used.add(OPENGRAPH_EDGE); return { kind: OPENGRAPH_EDGE, ours: false }; }
    if (mapped === null) { bump(this.nullEdges, ogKind); used.add(OPENGRAPH_EDGE); return { kind: OPENGRAPH_EDGE, ours: false }; }
    if (mapped === OPENGRAPH_CONTROLS || mapped === OPENGRAPH_EDGE) { used.add(mapped); return { kind: mapped, ours: false }; }
    const spec = this.schema.edgeKinds[mapped]!;
    if (spec.from.includes(from) && spec.to.includes(to)) return { kind: mapped, ours: false };
    // Endpoints the mapped kind does not join: a takeover edge (admin to admin) into a principal or credential
    // stays traversable as OPENGRAPH_CONTROLS; anything else would over- or under-state a level, so it is kept
    // non-traversable.
    const target = this.schema.nodeKinds[to];
    const keptAs = spec.traversable && spec.requires === 'admin' && spec.grants === 'admin' && target && !target.graded ? OPENGRAPH_CONTROLS : OPENGRAPH_EDGE;
    used.add(keptAs);
    const key = `${ogKind}|${mapped}|${from}|${to}`;
    const refit = this.refits.get(key) ?? { kind: ogKind, mappedTo: mapped, keptAs, from, to, count: 0 };
    refit.count++;
    this.refits.set(key, refit);
    return { kind: keptAs, ours: false };
  }

  /** Resolves every edge and returns the fragment (or every problem). `existing` finds nodes already in the graph. */
  finish(existing: ((id: string) => ExistingNode | undefined) | undefined = this.options.existing): OpenGraphResult {
    if (this.issues.length > 0) return { ok: false, issues: this.issues };
    this.existing = existing;
    const used = new Set<string>();
    const edges: GraphEdge[] = [];
    const collectorEdges = new Map<string, GraphEdge>();
    const problems: InputIssue[] = [];
    for (const { file, index, edge } of this.pending) {
      const start = this.resolve(edge.start);
      const end = this.resolve(edge.end);
      if (!('target' in start) || !('target' in end)) {
        for (const [side, result] of [['start', start], ['end', end]] as const) {
          if ('reason' in result) {
            this.unmatchedCount++;
            if (this.unmatched.length < LISTED_UNMATCHED) this.unmatched.push({ file, path: `$.graph.edges[${index}].${side}`, message: `${edge.kind}: ${result.reason}`, expected: 'exactly one matching node', found: result.reason });
          }
        }
        continue;
      }
      const { kind, ours } = this.edgeKindFor(edge.kind, start.target.kind, end.target.kind, used);
      if (ours) {
        const decoded = decodeEdgeProperties(edge.properties ?? {});
        const record = { ...decoded.record, kind, from: start.target.id, to: end.target.id };
        const checked = this.edgeValidator.safeParse(record);
        if (!checked.success || decoded.problems.length > 0) {
          const where = `$.graph.edges[${index}].properties`;
          problems.push(...decoded.problems.map((p) => ({ file, path: `${where}.${p.property}`, message: `expected ${p.expected}`, expected: p.expected, found: 'another type' })));
          if (!checked.success) problems.push(...fromZodIssues(checked.error.issues, record, file, ['graph', 'edges', index, 'properties']));
          continue;
        }
        this.ours.edges++;
        edges.push(checked.data);
        continue;
      }
      // Several collector edges between the same two nodes that become the same kind are one edge of ours,
      // remembering every original kind.
      const key = `${start.target.id}\u0000${kind}\u0000${end.target.id}`;
      const previous = collectorEdges.get(key);
      if (previous) {
        const kinds = new Set(previous.properties!.opengraphKinds as string[]);
        kinds.add(edge.kind);
        previous.properties = { ...cleanProperties(edge.properties), ...previous.properties, opengraphKinds: [...kinds].sort() };
        continue;
      }
      const created: GraphEdge = { kind, from: start.target.id, to: end.target.id, source: OPENGRAPH_SOURCE, properties: { ...cleanProperties(edge.properties), opengraphKinds: [edge.kind] } };
      collectorEdges.set(key, created);
      edges.push(created);
    }
    if (problems.length > 0) {
      if (!this.options.lenient) return { ok: false, issues: problems };
      this.skipped.push(...problems);
    }
    let schema = this.schema;
    if (used.size > 0) {
      const added = Object.fromEntries(Object.entries(openGraphEdgeKinds(schema)).filter(([name]) => used.has(name)));
      schema = defineSchema({ edgeKinds: added }, schema);
    }
    return {
      ok: true,
      fragment: { nodes: this.nodes, edges },
      schema,
      report: {
        files: [...this.files],
        sourceKinds: [...this.sourceKinds].sort(),
        nodesRead: this.nodesRead,
        edgesRead: this.edgesRead,
        ours: { ...this.ours },
        unmappedNodeKinds: countOf(this.unmappedNodes),
        unmappedEdgeKinds: countOf(this.unmappedEdges),
        nonTraversableEdgeKinds: countOf(this.nullEdges),
        refitted: [...this.refits.values()].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
        unmatched: this.unmatched,
        unmatchedCount: this.unmatchedCount,
        duplicateNodes: this.duplicates,
        skipped: this.skipped,
        warnings: this.mappingWarnings(),
      },
    };
  }

  /** One warning per kind the user's mapping names and the input lacks, listing the kinds the input has. */
  private mappingWarnings(): string[] {
    const requested = this.options.requested;
    if (!requested) return [];
    const listed = (kinds: ReadonlySet<string>): string => (kinds.size === 0 ? 'none' : [...kinds].sort().join(', '));
    return [
      ...requested.nodes.filter((kind) => !this.nodeKindsSeen.has(kind)).map((kind) => `${requested.file}: node kind ${kind} is not in the input (its node kinds: ${listed(this.nodeKindsSeen)})`),
      ...requested.edges.filter((kind) => !this.edgeKindsSeen.has(kind)).map((kind) => `${requested.file}: edge kind ${kind} is not in the input (its edge kinds: ${listed(this.edgeKindsSeen)})`),
    ];
  }
}
