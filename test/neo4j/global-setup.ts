// Starts ONE real Neo4j server for every test file under test/neo4j/ (Maven resolves it on a fresh machine) and
// stops it afterwards. No Java or Maven means the tests fail here, loudly: they are never skipped.
// BLASTMAP_TEST_NEO4J_URI (with _USER and _PASSWORD) points the tests at a server already running instead;
// they delete blastmap's data in it.
import type { TestProject } from 'vitest/node';
import { startNeo4jServer } from '../../scripts/neo4j/server.ts';

export interface TestNeo4j {
  uri: string;
  user: string;
  password: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: TestNeo4j;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.BLASTMAP_TEST_NEO4J_URI;
  if (given) {
    project.provide('neo4j', { uri: given, user: process.env.BLASTMAP_TEST_NEO4J_USER ?? 'neo4j', password: process.env.BLASTMAP_TEST_NEO4J_PASSWORD ?? '' });
    return async () => {};
  }
  const started = Date.now();
  const server = await startNeo4jServer({ onLine: (line) => { if (line.startsWith('scripts/neo4j:')) console.error(line); } });
  console.error(`test/neo4j: Neo4j ready at ${server.uri} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('neo4j', { uri: server.uri, user: server.user, password: server.password });
  return server.stop;
}
