// The foundation commands as a user runs them: import native, radius, schema; errors and exit statuses.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeJsonSchema } from '../../engine/format/native.ts';
import { REPO, runCli, spawnCli, tempDir } from '../helpers/cli.ts';
import { colorEnabled } from '../../cli/context.ts';

const FIXTURE = join(REPO, 'test/fixtures/native/drift-mini.yaml');
const AT = '2026-06-01';

describe('blastmap import native', () => {
  it('writes a snapshot that radius then reads', async () => {
    const dir = tempDir();
    const graph = join(dir, 'g.bmap');
    const imported = await runCli(['import', 'native', FIXTURE, '--graph', graph]);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/now 10 nodes and 8 edges/);
    expect(existsSync(graph)).toBe(true);
    const radius = await runCli(['radius', 'Drift', '--graph', graph, '--at', AT, '--format', 'json']);
    expect(radius.code).toBe(0);
    const parsed = JSON.parse(radius.out);
    expect(parsed.crownJewels.map((e: { id: string }) => e.id)).toEqual(['aws:111:resource:prod-bucket']);
  });

  it('importing the same file twice leaves the same graph', async () => {
    const dir = tempDir();
    const graph = join(dir, 'g.bmap');
    await runCli(['import', 'native', FIXTURE, '--graph', graph]);
    const first = readFileSync(graph);
    const again = await runCli(['import', 'native', FIXTURE, '--graph', graph]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/now 10 nodes and 8 edges \(was 10 and 8\)/);
    expect(readFileSync(graph).equals(first)).toBe(true);
  });

  it('reports every problem with file, JSON path and line, exits 3 and writes nothing', async () => {
    const dir = tempDir();
    const graph = join(dir, 'g.bmap');
    await runCli(['import', 'native', FIXTURE, '--graph', graph]);
    const before = readFileSync(graph);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, [
      'nodes:',
      '  - { id: "a:t:app:x", kind: Ap, name: X, platform: a, tenant: t }',
      '  - { id: "a:t:credential:k", kind: Credential, name: K, platform: a, tenant: t }',
      'edges:',
      '  - { kind: HOLDS, from: "a:t:app:x", to: "a:t:credential:k" }',
      '',
    ].join('\n'));
    const good = join(dir, 'good.yaml');
    copyFileSync(FIXTURE, good);
    const result = await runCli(['import', 'native', good, bad, '--graph', graph]);
    expect(result.code).toBe(3);
    expect(result.err).toContain('nothing was imported');
    expect(result.err).toMatch(/bad\.yaml \$\.nodes\[0\]\.kind \(line 2\): expected one of .*found "Ap"/);
    expect(result.err).toMatch(/bad\.yaml \$\.nodes\[1\]\.type \(line 3\): expected a credential type/);
    expect(readFileSync(graph).equals(before)).toBe(true);
  });

  it('rejects a dangling edge across the batch and writes nothing', async () => {
    const dir = tempDir();
    const graph = join(dir, 'g.bmap');
    const file = join(dir, 'dangling.json');
    writeFileSync(file, JSON.stringify({ nodes: [{ id: 'a:t:app:x', kind: 'App', name: 'X', platform: 'a', tenant: 't' }], edges: [{ kind: 'HOLDS', from: 'a:t:app:x', to: 'a:t:credential:missing' }] }));
    const result = await runCli(['import', 'native', file, '--graph', graph]);
    expect(result.code).toBe(3);
    expect(result.err).toMatch(/dangling\.json \$\.edges\[0\]\.to: expected the id of a node in this import or in the graph, found "a:t:credential:missing"/);
    expect(existsSync(graph)).toBe(false);
  });

  it('refuses to write while another writer holds the lock', async () => {
    const dir = tempDir();
    const graph = join(dir, 'g.bmap');
    // The lock another writer holds while it writes (withWriteLock's owner line): this test process, alive, on this host.
    // (withWriteLock itself is synchronous: it would let go before the command, which loads its module first, reads it.)
    writeFileSync(`${graph}.lock`, `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`);
    const result = await runCli(['import', 'native', FIXTURE, '--graph', graph]);
    expect(result.code).toBe(6);
    expect(result.err).toMatch(/is being written by process \d+/);
    expect(existsSync(graph)).toBe(false);
  });
});

describe('blastmap radius', () => {
  let graph: string;
  beforeAll(async () => {
    graph = join(tempDir(), 'g.bmap');
    await runCli(['import', 'native', FIXTURE, '--graph', graph]);
  });

  it('briefs crown jewels first, with the credential chain, then platforms, then dormant finds', async () => {
    const { code, out } = await runCli(['radius', 'Drift', '--graph', graph, '--at', AT]);
    expect(code).toBe(0);
    const crown = out.indexOf('CROWN JEWELS REACHED');
    const platforms = out.indexOf('BY PLATFORM');
    const dormant = out.indexOf('DORMANT');
    expect(crown).toBeGreaterThan(0);
    expect(platforms).toBeGreaterThan(crown);
    expect(dormant).toBeGreaterThan(platforms);
    expect(out).toContain('WRITE prod-customer-data');
    expect(out).toContain('Drift -HOLDS-> Drift Salesforce token -CAN_READ [api]-> Cases -CONTAINS-> Case 00001 - export failing -CONTAINS_CREDENTIAL-> svc-export access key -AUTHENTICATES_AS-> svc-export -CAN_WRITE-> prod-customer-data');
    expect(out).toContain('credentials on this path: Drift Salesforce token -> svc-export access key');
    expect(out).toMatch(/revoked\s+old access key/);
  });

  it('honours --at: before the old key was revoked it still worked', async () => {
    const { out } = await runCli(['radius', 'Drift', '--graph', graph, '--at', '2025-06-01', '--format', 'json']);
    const parsed = JSON.parse(out);
    expect(parsed.reached.map((e: { id: string }) => e.id)).toContain('aws:111:credential:akia-old');
    expect(parsed.dormant).toEqual([]);
  });

  it('honours --max-depth', async () => {
    const { out } = await runCli(['radius', 'Drift', '--graph', graph, '--at', AT, '--max-depth', '2', '--format', 'json']);
    const parsed = JSON.parse(out);
    expect(parsed.reached.map((e: { id: string }) => e.id).sort()).toEqual(['salesforce:acme:credential:tok', 'salesforce:acme:resource:cases']);
  });

  it('accepts an id as well as a name, and markdown output', async () => {
    const { code, out } = await runCli(['radius', 'chatvendor:prod:app:drift', '--graph', graph, '--at', AT, '--format', 'markdown']);
    expect(code).toBe(0);
    expect(out).toMatch(/^# Blast radius: Drift \(App on chatvendor\)/);
    expect(out).toContain('| aws | 111 |');
  });

  it('suggests the closest nodes for an unknown name and exits 4', async () => {
    const { code, err } = await runCli(['radius', 'Drfit', '--graph', graph]);
    expect(code).toBe(4);
    expect(err).toContain('no node has the id or name "Drfit"');
    expect(err).toMatch(/closest nodes:\n {2}chatvendor:prod:app:drift/);
  });

  it('lists the matches of an ambiguous name and exits 4', async () => {
    const { code, err } = await runCli(['radius', 'Logs', '--graph', graph]);
    expect(code).toBe(4);
    expect(err).toContain('"Logs" names 2 nodes');
    expect(err).toContain('aws:111:resource:logs ');
    expect(err).toContain('aws:111:resource:logs-2 ');
  });

  it('rejects a bad option value with exit 2', async () => {
    expect((await runCli(['radius', 'Drift', '--graph', graph, '--at', 'yesterday'])).code).toBe(2);
    expect((await runCli(['radius', 'Drift', '--graph', graph, '--format', 'pdf'])).code).toBe(2);
    expect((await runCli(['radius', 'Drift', '--graph', graph, '--edge-kinds', 'NOPE'])).code).toBe(2);
  });

  it('reads native files directly with --graph, without writing anything', async () => {
    const { code, out } = await runCli(['radius', 'Drift', '--graph', FIXTURE, '--at', AT, '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).reachedCount).toBe(7);
  });

  it('says where to start when there is no graph', async () => {
    const { code, err } = await runCli(['radius', 'Drift', '--graph', join(tempDir(), 'none.bmap')]);
    expect(code).toBe(5);
    expect(err).toContain('blastmap import native');
  });
});

describe('blastmap schema', () => {
  it('prints the JSON Schema that docs/native-format.schema.json holds', async () => {
    const { code, out } = await runCli(['schema']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(nativeJsonSchema());
    expect(JSON.parse(readFileSync(join(REPO, 'docs/native-format.schema.json'), 'utf8'))).toEqual(nativeJsonSchema());
  });
});

describe('the blastmap command as a process', () => {
  it('prints help for every command and exits 0', () => {
    const result = spawnCli(['radius', '--help']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: blastmap radius');
  });

  it('uses colour on a terminal, and never with NO_COLOR', () => {
    const command = `${JSON.stringify(process.execPath)} bin/blastmap.js radius Drift --graph ${JSON.stringify(FIXTURE)} --at ${AT}`;
    const env = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    env.TERM = 'xterm-256color';
    const tty = spawnSyncScript(command, env);
    expect(tty).toMatch(/\u001b\[/);
    const noColor = spawnSyncScript(command, { ...env, NO_COLOR: '1' });
    expect(noColor).toContain('CROWN JEWELS REACHED');
    expect(noColor).not.toMatch(/\u001b\[\d+m/);
    const piped = spawnCli(['radius', 'Drift', '--graph', FIXTURE, '--at', AT], { env });
    expect(piped.out).not.toMatch(/\u001b\[/);
    // An empty NO_COLOR is not set (no-color.org); FORCE_COLOR colours even a pipe (force-color.org).
    expect(spawnSyncScript(command, { ...env, NO_COLOR: '' })).toMatch(/\u001b\[/);
    const forced = spawnCli(['radius', 'Drift', '--graph', FIXTURE, '--at', AT], { env: { ...env, FORCE_COLOR: '1' } });
    expect(forced.out).toMatch(/\u001b\[\d+m/);
  });

  it('decides colour by FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    const cases: [NodeJS.ProcessEnv, boolean, boolean][] = [
      [{}, true, true],
      [{}, false, false],
      [{ TERM: 'dumb' }, true, false],
      [{ NO_COLOR: '1' }, true, false],
      [{ NO_COLOR: '' }, true, true],
      [{ FORCE_COLOR: '1' }, false, true],
      [{ FORCE_COLOR: '' }, false, false],
      [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    ];
    for (const [env, isTty, expected] of cases) expect([env, isTty, colorEnabled(env, isTty)]).toEqual([env, isTty, expected]);
  });
});

/** Runs a shell command under a pseudo-terminal (util-linux `script`) and returns what it printed. */
function spawnSyncScript(command: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });
  return result.stdout;
}
