// Test runner settings: unit, property and CLI tests under test/; benchmarks run only via `npm run bench`.
// test/neo4j/ is its own project: one real Neo4j server (started by its global setup) shared by its files, run one at a time,
// after the unit project: run beside it, the server starved for CPU and its property test went from 8 s to past 180 s.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/bench/**', 'test/neo4j/**', 'node_modules/**'] },
      },
      {
        extends: true,
        test: { name: 'neo4j', include: ['test/neo4j/**/*.test.ts'], globalSetup: ['test/neo4j/global-setup.ts'], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
