// `-` reads standard input wherever a command reads a file (issue #18, item 3): every file argument and option is
// run twice, once on the file and once with the same bytes piped in, and must give the same answer. What cannot
// come from standard input (a folder, a snapshot that is written, a snapshot's history) is docs/cli.md's list.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { BIN, REPO, runCli, tempDir } from '../helpers/cli.ts';

const EXAMPLE = join(REPO, 'datasets/examples/scoped-delegation.yaml');
const POLICY = join(REPO, 'datasets/policies/default.yaml');
const OPENGRAPH = join(REPO, 'test/fixtures/opengraph/okta.json');
const SOURCE = 'reporting service account';
const AT = '2026-12-01';

function withStdin(args: readonly string[], input: string | Uint8Array, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { code: number; out: string; err: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO, input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', ...options.env } });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

let dir: string;
let snapshot: string;
let later: string;
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  dir = tempDir('blastmap-stdin-');
  snapshot = join(dir, 'graph.bmap');
  expect((await runCli(['import', 'native', EXAMPLE, '--graph', snapshot])).code).toBe(0);
  // A later state: a new app reads the CEO's Drive.
  later = join(dir, 'later.bmap');
  const app = file('app.yaml', [
    'version: 1',
    'nodes:',
    '  - { nativeId: notes, kind: App, name: Notes app, platform: google-workspace, tenant: acme.com }',
    'edges:',
    '  - { kind: CAN_READ, from: "google-workspace:acme.com:app:notes", to: "google-workspace:acme.com:resource:drive/ceo@acme.com" }',
    '',
  ].join('\n'));
  expect((await runCli(['import', 'native', EXAMPLE, app, '--graph', later])).code).toBe(0);
});

/** Runs `args` with `path` in place of `-`, then with `-` and the file's bytes piped in; both answers, as given. */
function bothWays(args: readonly string[], path: string): { fromFile: { code: number; out: string; err: string }; piped: { code: number; out: string; err: string } } {
  const fromFile = withStdin(args.map((arg) => (arg === '-' ? path : arg)), '');
  const piped = withStdin(args, readFileSync(path));
  expect(piped.err, `${args.join(' ')} on standard input`).toBe(fromFile.err);
  expect(piped.code, args.join(' ')).toBe(fromFile.code);
  return { fromFile, piped };
}

/** The same answer, where the one on the file may name the file and the piped one names `<stdin>`. */
function sameAnswer(args: readonly string[], path: string): void {
  const { fromFile, piped } = bothWays(args, path);
  expect(fromFile.out.length).toBeGreaterThan(0);
  expect(piped.out).toBe(fromFile.out.split(path).join('<stdin>'));
}

describe('`-` for standard input', () => {
  it('--graph - takes a snapshot (told by its magic bytes) as well as native text', () => {
    sameAnswer(['radius', SOURCE, '--graph', '-', '--at', AT, '-f', 'json'], snapshot);
    sameAnswer(['radius', SOURCE, '--graph', '-', '--at', AT, '-f', 'json'], EXAMPLE);
    // A damaged snapshot on standard input is refused as the file is, naming <stdin>.
    const truncated = withStdin(['radius', SOURCE, '--graph', '-'], readFileSync(snapshot).subarray(0, 100));
    expect(truncated.code).toBe(5);
    expect(truncated.err).toContain('<stdin>: engine/store/snapshot: not a readable blastmap snapshot');
  });

  it('diff reads either graph from standard input', () => {
    sameAnswer(['diff', '-', later, '--at', AT, '-f', 'json'], snapshot);
    sameAnswer(['diff', snapshot, '-', '--at', AT, '-f', 'json'], later);
  });

  it('review reads the proposal, the policy and a saved diff from standard input', async () => {
    const proposal = file('proposal.yaml', readFileSync(join(dir, 'app.yaml'), 'utf8'));
    sameAnswer(['review', '-', '--policy', POLICY, '--graph', snapshot, '--at', AT, '-f', 'json'], proposal);
    sameAnswer(['review', proposal, '--policy', '-', '--graph', snapshot, '--at', AT, '-f', 'json'], POLICY);
    const saved = file('diff.json', (await runCli(['diff', snapshot, later, '--at', AT, '-f', 'json'])).out);
    sameAnswer(['review', '--diff', '-', '--policy', POLICY, '--at', AT, '-f', 'json'], saved);
  });

  it('whatif reads a mitigations file, and verify a plan, from standard input', async () => {
    const mitigations = file('mitigations.yaml', 'mitigations:\n  - revoke: board-export access key\n    description: Rotate the pasted key\n');
    sameAnswer(['whatif', SOURCE, '--mitigations', '-', '--graph', snapshot, '--at', AT, '-f', 'json'], mitigations);
    const plan = file('plan.json', (await runCli(['plan', SOURCE, '--graph', snapshot, '--at', AT, '-f', 'json'])).out);
    sameAnswer(['verify', '-', '--graph', later, '--at', AT, '-f', 'json'], plan);
  });

  it('import opengraph reads a mapping from standard input', () => {
    const mapping = file('mapping.json', JSON.stringify({ nodes: { Okta_EventHook: { kind: 'App' } } }));
    const graphs = { fromFile: join(dir, 'og-file.bmap'), piped: join(dir, 'og-piped.bmap') };
    const fromFile = withStdin(['import', 'opengraph', OPENGRAPH, '--mapping', mapping, '--graph', graphs.fromFile, '-f', 'json'], '');
    const piped = withStdin(['import', 'opengraph', OPENGRAPH, '--mapping', '-', '--graph', graphs.piped, '-f', 'json'], readFileSync(mapping));
    expect(piped.err).toBe('');
    expect(piped.code).toBe(0);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(piped.out).opengraph.unmappedNodeKinds).toEqual([]);
    expect(toFragment(readSnapshotFile(graphs.piped))).toEqual(toFragment(readSnapshotFile(graphs.fromFile)));
  });

  it('a graph on standard input has no marks file beside it (a `-.marks.json` in the folder is not read), unless BLASTMAP_MARKS names one', () => {
    const marks = file('-.marks.json', JSON.stringify({ version: 1, crownJewels: ['aws:111122223333:resource:s3/board-packs'] }));
    const args = ['radius', SOURCE, '--graph', '-', '--at', AT, '-f', 'json'];
    const jewels = (out: string): string[] => (JSON.parse(out) as { crownJewels: { name: string }[] }).crownJewels.map((entry) => entry.name);
    const unmarked = withStdin(args, readFileSync(snapshot), { cwd: dir });
    expect(unmarked.code, unmarked.err).toBe(0);
    expect(jewels(unmarked.out)).not.toContain('board-packs bucket');
    const marked = withStdin(args, readFileSync(snapshot), { cwd: dir, env: { BLASTMAP_MARKS: marks } });
    expect(marked.code, marked.err).toBe(0);
    expect(jewels(marked.out)).toContain('board-packs bucket');
  });

  it('is one input per command: two inputs given as `-` are refused before anything is read', async () => {
    for (const args of [
      ['diff', '-', '-'],
      ['whatif', SOURCE, '--mitigations', '-', '--graph', '-'],
      ['review', '-', '--policy', '-', '--graph', snapshot],
      ['import', 'opengraph', '-', '--mapping', '-', '--graph', join(dir, 'never.bmap')],
    ]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain('standard input (`-`) can be read once');
    }
  });
});
