// The Cypher blastmap sends to Neo4j, generated from engine/schema: constraints and indexes, and the only
// literals a query may contain (node labels and relationship types named by the schema). Everything else is a parameter.
import { BlastmapError } from '../../errors.ts';
import type { Schema } from '../../schema/index.ts';

/** Label every blastmap node carries, so blastmap can share a database with other graphs (e.g. Cartography's). */
export const NODE_LABEL = 'BlastmapNode';

/** Properties blastmap adds to nodes and relationships next to the native fields (never part of a fragment). */
export const MARKERS = {
  /** Id of the push or import that last wrote the item: a newer run of the same source removes what it did not write. */
  importRun: 'importRun',
  /** Position in the pushed graph, so a pull gives the nodes and edges back in the same order. */
  seq: 'seq',
  /** Identity of a relationship: its derived edge id (kind, from, to, grant), as mergeFragments keys edges. */
  key: 'key',
  /** The free-form `properties` object, as JSON: Neo4j properties cannot hold maps, nulls or mixed lists. */
  propertiesJson: 'propertiesJson',
} as const;

const NODE_KIND = /^[A-Z][A-Za-z0-9]*$/;
const EDGE_KIND = /^[A-Z][A-Z0-9_]*$/;

/**
 * A schema kind name as a Cypher label or type literal. The name must be a kind of this schema and match the
 * schema's naming rule, so no text from an export can ever become part of a query.
 */
export function kindLiteral(schema: Schema, name: string, what: 'node' | 'edge'): string {
  const known = what === 'node' ? schema.nodeKinds : schema.edgeKinds;
  const pattern = what === 'node' ? NODE_KIND : EDGE_KIND;
  if (!Object.hasOwn(known, name) || !pattern.test(name)) {
    throw new BlastmapError('INVALID_OPTION', `engine/store/neo4j: ${name} is not ${what === 'node' ? 'a node' : 'an edge'} kind of the schema`, { candidates: Object.keys(known) });
  }
  return `\`${name}\``;
}

/** `A|B|C` for a relationship pattern over these schema edge kinds. */
export function relTypes(schema: Schema, kinds: readonly string[]): string {
  if (kinds.length === 0) throw new BlastmapError('INVALID_OPTION', 'engine/store/neo4j: no edge kind to traverse');
  return kinds.map((kind) => kindLiteral(schema, kind, 'edge')).join('|');
}

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** One constraint or index blastmap relies on: what it covers, and the statement that creates it. */
export interface SchemaObject {
  name: string;
  type: 'UNIQUENESS' | 'RELATIONSHIP_UNIQUENESS' | 'RANGE';
  /** Node label or relationship type. */
  on: string;
  property: string;
  statement: string;
}

/**
 * Constraints and indexes for a schema, idempotent (`IF NOT EXISTS`): node ids are unique; node lookups by
 * kind, platform, name and source are indexed; each edge kind's key is unique (which also indexes it)
 * and its source indexed for per-source clean-up.
 */
export function schemaObjects(schema: Schema): SchemaObject[] {
  const objects: SchemaObject[] = [
    { name: 'blastmap_node_id', type: 'UNIQUENESS', on: NODE_LABEL, property: 'id', statement: `CREATE CONSTRAINT blastmap_node_id IF NOT EXISTS FOR (n:${NODE_LABEL}) REQUIRE n.id IS UNIQUE` },
    ...['kind', 'platform', 'name', 'source'].map((property): SchemaObject => {
      const name = `blastmap_node_${snake(property)}`;
      return { name, type: 'RANGE', on: NODE_LABEL, property, statement: `CREATE INDEX ${name} IF NOT EXISTS FOR (n:${NODE_LABEL}) ON (n.${property})` };
    }),
  ];
  for (const kind of Object.keys(schema.edgeKinds)) {
    const type = kindLiteral(schema, kind, 'edge');
    const key = `blastmap_edge_${kind.toLowerCase()}_key`;
    const source = `blastmap_edge_${kind.toLowerCase()}_source`;
    objects.push(
      { name: key, type: 'RELATIONSHIP_UNIQUENESS', on: kind, property: MARKERS.key, statement: `CREATE CONSTRAINT ${key} IF NOT EXISTS FOR ()-[r:${type}]-() REQUIRE r.${MARKERS.key} IS UNIQUE` },
      { name: source, type: 'RANGE', on: kind, property: 'source', statement: `CREATE INDEX ${source} IF NOT EXISTS FOR ()-[r:${type}]-() ON (r.source)` },
    );
  }
  return objects;
}

export const schemaStatements = (schema: Schema): string[] => schemaObjects(schema).map((object) => object.statement);

/** Statements that drop what `schemaStatements` creates (by name; used by `blastmap neo4j clear --schema`). */
export function dropSchemaStatements(schema: Schema): string[] {
  return schemaObjects(schema).map((object) => `DROP ${object.type === 'RANGE' ? 'INDEX' : 'CONSTRAINT'} ${object.name} IF EXISTS`);
}

/**
 * Data queries run with `replan=skip`: their plans are index seeks and expansions that do not depend on the
 * statistics, and the planner otherwise re-plans them (hundreds of milliseconds each) whenever the graph's size
 * changes a lot, which a push into an empty database always does. Schema commands take no query options.
 */
export function planned(cypher: string): string {
  return /^\s*(MATCH|UNWIND|OPTIONAL|WITH|RETURN|MERGE)\b/.test(cypher) ? `CYPHER replan=skip ${cypher.trimStart()}` : cypher;
}
