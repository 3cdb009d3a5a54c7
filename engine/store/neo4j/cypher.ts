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
    throw new BlastmapError('INVALID_OPTION', `engine/store/neo4j: ${name} is not a ${what} kind of the schema`, { candidates: Object.keys(known) });
  }
  return `\`${name}\``;
}

/** `A|B|C` for a relationship pattern over these schema edge kinds. */
export function relTypes(schema: Schema, kinds: readonly string[]): string {
  if (kinds.length === 0) throw new BlastmapError('INVALID_OPTION', 'engine/store/neo4j: no edge kind to traverse');
  return kinds.map((kind) => kindLiteral(schema, kind, 'edge')).join('|');
}

const snake = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * Constraints and indexes for a schema, idempotent (`IF NOT EXISTS`): node ids are unique; node lookups by
 * kind, platform, name and source are indexed; each edge kind's key is unique (which also indexes it) and its
 * source indexed for per-source clean-up.
 */
export function schemaStatements(schema: Schema): string[] {
  const statements = [
    `CREATE CONSTRAINT blastmap_node_id IF NOT EXISTS FOR (n:${NODE_LABEL}) REQUIRE n.id IS UNIQUE`,
    ...['kind', 'platform', 'name', 'source', MARKERS.seq].map((property) =>
      `CREATE INDEX blastmap_node_${snake(property)} IF NOT EXISTS FOR (n:${NODE_LABEL}) ON (n.${property})`),
  ];
  for (const kind of Object.keys(schema.edgeKinds)) {
    const type = kindLiteral(schema, kind, 'edge');
    statements.push(
      `CREATE CONSTRAINT blastmap_edge_${kind.toLowerCase()}_key IF NOT EXISTS FOR ()-[r:${type}]-() REQUIRE r.${MARKERS.key} IS UNIQUE`,
      `CREATE INDEX blastmap_edge_${kind.toLowerCase()}_source IF NOT EXISTS FOR ()-[r:${type}]-() ON (r.source)`,
    );
  }
  return statements;
}

/** Statements that drop what `schemaStatements` creates (names only; used by `blastmap neo4j clear --schema`). */
export function dropSchemaStatements(schema: Schema): string[] {
  return schemaStatements(schema).map((statement) => {
    const match = /^CREATE (CONSTRAINT|INDEX) (\S+)/.exec(statement)!;
    return `DROP ${match[1]} ${match[2]} IF EXISTS`;
  });
}
