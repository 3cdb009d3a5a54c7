// engine/store/neo4j/ is the only engine folder that may import neo4j-driver, and it imports nothing else from
// outside the engine: no Node builtin, so the rule "I/O only in cli/" bends only for the database driver.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const files = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
  entry.isDirectory() ? files(`${dir}/${entry.name}`) : entry.name.endsWith('.ts') ? [`${dir}/${entry.name}`] : []);
const imports = (file: string): string[] => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
const builtins = new Set(builtinModules);

describe('the Neo4j store boundary', () => {
  it('imports neo4j-driver and engine modules only, never a Node builtin', () => {
    const store = files('engine/store/neo4j');
    expect(store).toContain('engine/store/neo4j/store.ts');
    const outside = store.flatMap((file) => imports(file)
      .filter((spec) => !spec.startsWith('.') && spec !== 'neo4j-driver')
      .map((spec) => `${file}: ${spec}${spec.startsWith('node:') || builtins.has(spec) ? ' (a Node builtin)' : ''}`));
    expect(outside).toEqual([]);
  });

  it('is the only part of the engine that imports neo4j-driver', () => {
    const importers = files('engine').filter((file) => !file.startsWith('engine/store/neo4j/') && imports(file).some((spec) => spec.startsWith('neo4j-driver')));
    expect(importers.map((file) => relative(ROOT, join(ROOT, file)))).toEqual([]);
  });
});
