// Shared by the test/neo4j/ files: a connection to the server the global setup started, and a store holding a graph.
import { inject } from 'vitest';
import { toFragment, type CompactGraph } from '../../engine/store/compact.ts';
import { Neo4jStore, type Neo4jConnection } from '../../engine/store/neo4j/index.ts';

export function testConnection(): Neo4jConnection {
  const { uri, user, password } = inject('neo4j');
  return { uri, user, password };
}

/** A connected store on an emptied database with blastmap's schema in place. */
export async function freshStore(): Promise<Neo4jStore> {
  const store = await Neo4jStore.connect(testConnection());
  await store.clear();
  await store.ensureSchema();
  return store;
}

/** Makes the database hold exactly `graph`, in its order. */
export async function holding(store: Neo4jStore, graph: CompactGraph): Promise<Neo4jStore> {
  await store.push(toFragment(graph));
  return store;
}

/** Order-preserving JSON round trip: drops undefined fields, as the database does. */
export const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
