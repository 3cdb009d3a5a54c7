// OpenGraph zip archives (issue #20, item 2): entries are streamed one by one, and an archive of too many entries,
// too many unpacked bytes or a bomb's compression ratio is refused with an error naming the limit and its flag.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../cli/commands/import-opengraph.ts';
import { writeSnapshotFile } from '../../cli/snapshot-file.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { scenario } from '../helpers/scenario.ts';

const payload = (ids: string[]) => JSON.stringify({ graph: { nodes: ids.map((id) => ({ id, kinds: ['Person'], properties: { name: id } })), edges: [] } });

function setup(files: Zippable, level: 0 | 6 | 9 = 6): { zip: string; snapshot: string; before: Buffer } {
  const dir = tempDir('blastmap-zip-');
  const zip = join(dir, 'collector.zip');
  writeFileSync(zip, zipSync(files, { level }));
  const snapshot = join(dir, 'graph.bmap');
  writeSnapshotFile(snapshot, scenario((s) => { s.app('existing'); }).graph);
  return { zip, snapshot, before: readFileSync(snapshot) };
}

describe('a zip of 20,000 entries', () => {
  const files: Zippable = { 'people.json': strToU8(payload(['alice', 'bob'])) };
  for (let i = 0; i < 20_000; i++) files[`notes/n${i}.txt`] = strToU8('x');
  const { zip, snapshot, before } = setup(files);

  it('is refused by default, naming the limit and the flag, and nothing is written', async () => {
    const run = await runCli(['import', 'opengraph', zip, '--graph', snapshot]);
    expect(run.code, run.err).toBe(3);
    expect(run.err).toContain('more than 10000 entries in this zip archive (the --zip-max-entries limit)');
    expect(readFileSync(snapshot).equals(before)).toBe(true);
  });

  it('imports with the limit raised, without overflowing the stack', async () => {
    const run = await runCli(['import', 'opengraph', zip, '--graph', snapshot, '--zip-max-entries', '20001', '--format', 'json']);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ nodesImported: 2 });
  });
});

describe('a zip bomb', () => {
  // 64 MB of whitespace inside one valid document compresses to about 64 KB: a ratio near 1000.
  const padding = ' '.repeat(64 * 1024 ** 2);
  const { zip, snapshot, before } = setup({ 'graph.json': strToU8(`{"graph": {"nodes": [${padding}], "edges": []}}`) }, 9);

  it('is refused by its ratio before it is unpacked, naming the limit and the flag', async () => {
    const run = await runCli(['import', 'opengraph', zip, '--graph', snapshot, '--zip-max-ratio', '20']);
    expect(run.code, run.err).toBe(3);
    expect(run.err).toMatch(/unpacks to more than 20 MB, 20 times the archive's 1\.0 MB \(the --zip-max-ratio limit/);
    expect(readFileSync(snapshot).equals(before)).toBe(true);
  });

  it('is refused by its total size when the ratio is raised, naming that limit', async () => {
    const run = await runCli(['import', 'opengraph', zip, '--graph', snapshot, '--zip-max-ratio', '100000', '--zip-max-size', '8M']);
    expect(run.code, run.err).toBe(3);
    expect(run.err).toContain('unpacks to more than 8.0 MB (the --zip-max-size limit)');
    expect(readFileSync(snapshot).equals(before)).toBe(true);
  });

  it('imports when both limits allow it (the limits, not the archive, refused it)', async () => {
    const run = await runCli(['import', 'opengraph', zip, '--graph', snapshot, '--zip-max-ratio', '100000', '--zip-max-size', '1G', '--format', 'json']);
    expect(run.code, run.err).toBe(0);
  });
});

describe('limit options', () => {
  it.each([['4G', 4 * 1024 ** 3], ['500M', 500 * 1024 ** 2], ['1048576', 1048576], ['1.5kb', 1536]])('%s is %d bytes', (text, bytes) => {
    expect(parseByteSize('--zip-max-size', text)).toBe(bytes);
  });

  it.each([['--zip-max-size', 'lots'], ['--zip-max-size', '0'], ['--zip-max-entries', '-1'], ['--zip-max-ratio', 'x']])('%s %s is an option error (exit 2)', async (flag, value) => {
    const { zip, snapshot } = setup({ 'a.json': strToU8(payload(['a'])) });
    const run = await runCli(['import', 'opengraph', zip, '--graph', snapshot, flag, value]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(flag);
  });
});
