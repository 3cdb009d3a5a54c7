// Native nodes and edges to Neo4j property maps and back, exactly: every native field is a property of the
// same name (primitives and lists of primitives), `properties` is kept as JSON, and blastmap's markers are added.
import { BlastmapError } from '../../errors.ts';
import { edgeId, type GraphEdge, type GraphNode } from '../../format/native.ts';
import { MARKERS } from './cypher.ts';

export type PropertyValue = string | number | boolean | string[] | number[] | boolean[];
export type PropertyMap = Record<string, PropertyValue>;

const INTERNAL = new Set<string>(Object.values(MARKERS));

function storable(where: string, field: string, value: unknown): PropertyValue {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) {
    // Neo4j lists are homogeneous and hold no nulls; native list fields are lists of strings.
    const types = new Set(value.map((item) => typeof item));
    if (types.size <= 1 && value.every((item) => item !== null && (typeof item !== 'number' || Number.isFinite(item)))) return value as PropertyValue;
  }
  throw new BlastmapError('INVALID_INPUT', `engine/store/neo4j: ${where} field ${field} cannot be stored as a Neo4j property (${JSON.stringify(value)})`);
}

function toProperties(where: string, record: Record<string, unknown>, skip: ReadonlySet<string>): PropertyMap {
  const props: PropertyMap = {};
  for (const [field, value] of Object.entries(record)) {
    if (value === undefined || skip.has(field)) continue;
    if (INTERNAL.has(field)) throw new BlastmapError('INVALID_INPUT', `engine/store/neo4j: ${where} uses the reserved field name ${field}`);
    if (field === 'properties') props[MARKERS.propertiesJson] = JSON.stringify(value);
    else props[field] = storable(where, field, value);
  }
  return props;
}

function fromProperties(props: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(props)) {
    if (field === MARKERS.propertiesJson) record.properties = JSON.parse(value as string);
    else if (!INTERNAL.has(field)) record[field] = value;
  }
  return record;
}

/** A node's property map: its native fields, the run that wrote it and its position. */
export function nodeProperties(node: GraphNode, run: string, seq: number): PropertyMap {
  return { ...toProperties(`node ${node.id}`, node, new Set()), [MARKERS.importRun]: run, [MARKERS.seq]: seq };
}

const EDGE_ENDS = new Set(['kind', 'from', 'to']);

/** The key a relationship is merged on: the derived edge id, the same key mergeFragments collapses duplicates on. */
export const edgeKey = (edge: GraphEdge): string => edgeId(edge);

/** A relationship's property map: the edge's fields except kind and endpoints (the type and the nodes say them). */
export function edgeProperties(edge: GraphEdge, run: string, seq: number): PropertyMap {
  return { ...toProperties(`edge ${edgeKey(edge)}`, edge, EDGE_ENDS), [MARKERS.key]: edgeKey(edge), [MARKERS.importRun]: run, [MARKERS.seq]: seq };
}

export const nodeFromProperties = (props: Record<string, unknown>): GraphNode => fromProperties(props) as GraphNode;

export function edgeFromProperties(kind: string, from: string, to: string, props: Record<string, unknown>): GraphEdge {
  return { kind, from, to, ...fromProperties(props) } as GraphEdge;
}
