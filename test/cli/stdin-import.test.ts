// `-` for standard input in the imports that read raw files: a platform export (named with --as, since an importer
// recognises the endpoint by the file name) and an OpenGraph payload (JSON or a zip archive, told by its first bytes).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { toFragment } from '../../engine/store/compact.ts';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { BIN, REPO, runCli, tempDir } from '../helpers/cli.ts';

const OKTA_USERS = join(REPO, 'datasets/demo/exports/okta/users.json');
const OPENGRAPH = join(REPO, 'test/fixtures/opengraph/okta.json');

function withStdin(args: readonly string[], input: string | Uint8Array): { code: number; out: string; err: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

const graphOf = (path: string) => toFragment(readSnapshotFile(path));

describe('a platform export on standard input', () => {
  it('imports as the file named by --as would', async () => {
    const dir = tempDir();
    const piped = withStdin(['import', 'okta', '-', '--as', 'users.json', '--graph', join(dir, 'piped.bmap')], readFileSync(OKTA_USERS, 'utf8'));
    expect(piped.err).toBe('');
    expect(piped.code).toBe(0);
    expect(piped.out).toMatch(/^read \d+ users\n/);
    const fromFile = await runCli(['import', 'okta', OKTA_USERS, '--graph', join(dir, 'file.bmap')]);
    expect(fromFile.code).toBe(0);
    expect(graphOf(join(dir, 'piped.bmap'))).toEqual(graphOf(join(dir, 'file.bmap')));
  });

  it('without --as is a usage error that says why, and --as without `-` too', async () => {
    const dir = tempDir();
    const missing = withStdin(['import', 'okta', '-', '--graph', join(dir, 'g.bmap')], readFileSync(OKTA_USERS, 'utf8'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('needs --as <file name>');
    const stray = await runCli(['import', 'okta', join(REPO, 'datasets/demo/exports/okta'), '--as', 'users.json', '--graph', join(dir, 'g.bmap')]);
    expect(stray.code).toBe(2);
    expect(stray.err).toContain('no `-` was given');
  });
});

describe('an OpenGraph payload on standard input', () => {
  it('imports JSON, and the same payload zipped, as the file would', async () => {
    const dir = tempDir();
    const text = readFileSync(OPENGRAPH, 'utf8');
    const piped = withStdin(['import', 'opengraph', '-', '--graph', join(dir, 'json.bmap')], text);
    expect(piped.err).toBe('');
    expect(piped.code).toBe(0);
    const zipped = withStdin(['import', 'opengraph', '-', '--graph', join(dir, 'zip.bmap')], zipSync({ 'okta.json': new TextEncoder().encode(text) }));
    expect(zipped.err).toBe('');
    expect(zipped.code).toBe(0);
    expect(await runCli(['import', 'opengraph', OPENGRAPH, '--graph', join(dir, 'file.bmap')])).toMatchObject({ code: 0 });
    const expected = graphOf(join(dir, 'file.bmap'));
    expect(expected.nodes.length).toBeGreaterThan(0);
    expect(graphOf(join(dir, 'json.bmap'))).toEqual(expected);
    expect(graphOf(join(dir, 'zip.bmap'))).toEqual(expected);
  });

  it('names the input <stdin> in errors, and refuses standard input twice', () => {
    const dir = tempDir();
    const broken = withStdin(['import', 'opengraph', '-', '--graph', join(dir, 'g.bmap')], '{"graph": {"nodes": [,]}}');
    expect(broken.code).toBe(3);
    expect(broken.err).toMatch(/<stdin>/);
    const twice = withStdin(['import', 'opengraph', '-', '--mapping', '-', '--graph', join(dir, 'g.bmap')], '{}');
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('can be read once');
  });

  it('holds a zip on standard input to the archive limits, the ratio counted over the bytes read (issue #20, item 2)', () => {
    const dir = tempDir();
    // 64 MB of whitespace inside one valid document compresses to about 64 KB.
    const bomb = zipSync({ 'graph.json': new TextEncoder().encode(`{"graph": {"nodes": [${' '.repeat(64 * 1024 ** 2)}], "edges": []}}`) }, { level: 9 });
    const ratio = withStdin(['import', 'opengraph', '-', '--graph', join(dir, 'g.bmap'), '--zip-max-ratio', '20'], bomb);
    expect(ratio.code, ratio.err).toBe(3);
    expect(ratio.err).toMatch(/<stdin>.*unpacks to more than 20 MB, 20 times the archive's 1\.0 MB \(the --zip-max-ratio limit/);
    const size = withStdin(['import', 'opengraph', '-', '--graph', join(dir, 'g.bmap'), '--zip-max-ratio', '100000', '--zip-max-size', '8M'], bomb);
    expect(size.code, size.err).toBe(3);
    expect(size.err).toContain('unpacks to more than 8.0 MB (the --zip-max-size limit)');
    expect(existsSync(join(dir, 'g.bmap'))).toBe(false);
  });
});
