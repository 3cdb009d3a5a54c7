// `blastmap neo4j bulk-csv`: the demo graph as CSV files for neo4j-admin's offline importer, and the command to run.
// (The import itself, into a real server, is test/neo4j/bulk.test.ts.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

describe('blastmap neo4j bulk-csv', () => {
  it('writes a header and a data file per kind holding every node and edge, and prints the neo4j-admin command', async () => {
    const out = join(tempDir(), 'csv');
    const result = await runCli(['neo4j', 'bulk-csv', '--graph', 'datasets/demo', '--out', out, '--database', 'acme']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const graph = loadDemoGraph();
    expect(result.out).toContain(`wrote `);
    expect(result.out).toContain(`(${graph.nodeCount} nodes, ${graph.edgeCount} edges) to ${out}`);
    const command = result.out.split('\n').find((line) => line.trimStart().startsWith('neo4j-admin '))!;
    expect(command).toMatch(/^ {2}neo4j-admin database import full .* --array-delimiter=U\+001F --multiline-fields=true --bad-tolerance=0 --skip-bad-relationships=false acme$/);
    const files = readdirSync(out).sort();
    const data = files.filter((f) => !f.endsWith('-header.csv'));
    expect(files.length).toBe(2 * data.length);
    for (const file of data) expect(command).toContain(`${out}/${file.replace(/\.csv$/, '-header.csv')},${out}/${file}`);
    const rows = (prefix: string) => data.filter((f) => f.startsWith(prefix)).reduce((sum, f) => sum + readFileSync(join(out, f), 'utf8').split('\n').filter((line) => /^"[^"]/.test(line)).length, 0);
    expect(rows('nodes-')).toBe(graph.nodeCount);
    expect(rows('edges-')).toBe(graph.edgeCount);
    const parley = readFileSync(join(out, data.find((f) => f.startsWith('nodes-App-'))!), 'utf8');
    expect(parley).toContain('"parley:prod:app:parley-chat","BlastmapNode\u001fApp"');
  });

  it('needs --out', async () => {
    const result = await runCli(['neo4j', 'bulk-csv', '--graph', 'datasets/demo']);
    expect(result.code).not.toBe(0);
    expect(result.err).toMatch(/--out/);
  });
});
