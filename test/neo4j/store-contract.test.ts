// The GraphStore contract (test/engine/store-contract.ts) on a real Neo4j server: the same answers as the memory store.
import { afterAll, beforeAll } from 'vitest';
import type { Neo4jStore } from '../../engine/store/neo4j/index.ts';
import { graphStoreContract } from '../engine/store-contract.ts';
import { freshStore, holding } from './helpers.ts';

let store: Neo4jStore;
beforeAll(async () => { store = await freshStore(); });
afterAll(async () => { await store?.close(); });

graphStoreContract('neo4j', { open: (graph) => holding(store, graph) }, { reachRuns: 40 });
