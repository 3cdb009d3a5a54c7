// The Neo4j store: the only part of the engine that imports neo4j-driver. Kept out of engine/index.ts so the
// library and the browser bundle never load the driver; import it from 'engine/store/neo4j/index.ts'.
export * from './cypher.ts';
export * from './codec.ts';
export * from './store.ts';
export * from './traversal.ts';
export * from './sync.ts';
export * from './lookup.ts';
export * from './bulk.ts';
