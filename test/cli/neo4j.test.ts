// `blastmap neo4j schema` and --store checks that need no server (test/neo4j/ runs the rest on a real Neo4j).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { runCli } from '../helpers/cli.ts';

describe('blastmap neo4j without a server', () => {
  it('prints the constraints and indexes generated from the schema', async () => {
    const { code, out } = await runCli(['neo4j', 'schema']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('CREATE CONSTRAINT blastmap_node_id IF NOT EXISTS FOR (n:BlastmapNode) REQUIRE n.id IS UNIQUE;');
    expect(lines).toContain('CREATE CONSTRAINT blastmap_edge_holds_key IF NOT EXISTS FOR ()-[r:`HOLDS`]-() REQUIRE r.key IS UNIQUE;');
    const kinds = Object.keys(DEFAULT_SCHEMA.edgeKinds);
    expect(lines.filter((line) => line.includes('_key IF NOT EXISTS'))).toHaveLength(kinds.length);
    for (const kind of kinds) expect(lines).toContain(`CREATE INDEX blastmap_edge_${kind.toLowerCase()}_source IF NOT EXISTS FOR ()-[r:\`${kind}\`]-() ON (r.source);`);
  });

  it('refuses an unknown store and a missing address before connecting', async () => {
    const bogus = await runCli(['radius', 'x', '--store', 'postgres', '--graph', 'datasets/demo']);
    expect(bogus.code).toBe(2);
    expect(bogus.err).toContain('--store postgres: expected memory or neo4j');
    const saved = process.env.NEO4J_URI;
    delete process.env.NEO4J_URI;
    try {
      const missing = await runCli(['rank', '--store', 'neo4j']);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain('set NEO4J_URI');
    } finally {
      if (saved !== undefined) process.env.NEO4J_URI = saved;
    }
  });

  it('offers --store on the analysis commands', async () => {
    for (const command of ['radius', 'paths', 'rank', 'findings', 'exposure', 'whatif', 'plan']) {
      const { out } = await runCli([command, '--help']);
      expect(out, command).toContain('--store <store>');
    }
  });
});
