// The GraphStore contract on the embedded memory store (test/neo4j/ runs the same contract on Neo4j).
import { MemoryStore } from '../../../engine/store/memory.ts';
import { graphStoreContract } from '../store-contract.ts';

graphStoreContract('memory', { open: async (graph) => new MemoryStore(graph) });
