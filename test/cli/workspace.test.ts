// `--graph <workspace>`: a folder of raw exports (exports/<source>/) and native files (native/) loads exactly as
// importing each export and then the native files into a snapshot would, one import per tenant subfolder.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const DEMO = join(REPO, 'datasets/demo');
const AT = '2026-11-01';

/** A workspace with two AWS accounts (one subfolder each), the GitHub export, and one native file joining them. */
function smallWorkspace(): string {
  const dir = tempDir('blastmap-workspace-');
  cpSync(join(DEMO, 'exports/aws'), join(dir, 'exports/aws'), { recursive: true });
  // A note beside the tenant folders is not an export: each account is still imported on its own.
  writeFileSync(join(dir, 'exports/aws/README.md'), 'corvid-prod and corvid-staging, exported on 22 November\n');
  cpSync(join(DEMO, 'exports/github'), join(dir, 'exports/github'), { recursive: true });
  mkdirSync(join(dir, 'native'));
  writeFileSync(join(dir, 'native/ci.yaml'), [
    'version: 1',
    'nodes:',
    '  - { id: "ci:prod:resource:project/web", kind: Resource, name: CI project web, platform: ci, tenant: prod, tags: [secrets] }',
    'edges:',
    '  - { kind: CAN_ADMIN, from: "github:github.com:app:tackle-ci", to: "ci:prod:resource:project/web" }',
    '  - { kind: CONTAINS_CREDENTIAL, from: "ci:prod:resource:project/web", to: "aws:444455556666:credential:access-key/8baf4160dd55b0c0" }',
    '',
  ].join('\n'));
  return dir;
}

describe('--graph <workspace folder>', () => {
  it('loads the same graph as importing each export (one per tenant subfolder) and then the native files', async () => {
    const dir = smallWorkspace();
    const snapshot = join(tempDir(), 'graph.bmap');
    for (const args of [
      ['import', 'aws', join(dir, 'exports/aws/corvid-prod')],
      ['import', 'aws', join(dir, 'exports/aws/corvid-staging')],
      ['import', 'github', join(dir, 'exports/github')],
      ['import', 'native', join(dir, 'native')],
    ]) expect((await runCli([...args, '--graph', snapshot])).code).toBe(0);
    const fromWorkspace = await runCli(['radius', 'Tackle CI', '--graph', dir, '--at', AT, '--format', 'json']);
    const fromSnapshot = await runCli(['radius', 'Tackle CI', '--graph', snapshot, '--at', AT, '--format', 'json']);
    expect(fromWorkspace.code).toBe(0);
    expect(JSON.parse(fromWorkspace.out)).toEqual(JSON.parse(fromSnapshot.out));
    // Both AWS accounts were imported (the staging key in the CI project leads into the second one).
    const platforms = (JSON.parse(fromWorkspace.out) as { reached: { platform: string; tenant: string }[] }).reached.filter((e) => e.platform === 'aws').map((e) => e.tenant);
    expect(new Set(platforms)).toEqual(new Set(['111122223333', '444455556666']));
  });

  it('`import native <workspace>` says to pass the workspace as --graph instead (exit 5, nothing written)', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    const run = await runCli(['import', 'native', smallWorkspace(), '--graph', snapshot]);
    expect(run.code).toBe(5);
    expect(run.err).toContain('is a workspace');
    expect(existsSync(snapshot)).toBe(false);
  });

  it('refuses an exports/ folder no importer is called (exit 3), naming the importers', async () => {
    const dir = smallWorkspace();
    mkdirSync(join(dir, 'exports/jira'));
    writeFileSync(join(dir, 'exports/jira/issues.json'), '[]');
    const run = await runCli(['rank', '--graph', dir]);
    expect(run.code).toBe(3);
    expect(run.err).toContain('no importer is called "jira"');
    expect(run.err).toContain('salesforce');
  });

  it('reports a bad record with its file relative to the workspace and loads nothing (exit 3)', async () => {
    const dir = smallWorkspace();
    writeFileSync(join(dir, 'exports/github/teams.json'), JSON.stringify([{ id: 1, name: 'No slug' }]));
    const run = await runCli(['rank', '--graph', dir]);
    expect(run.code).toBe(3);
    expect(run.err).toMatch(/exports\/github\/teams\.json \$\[0\]\.slug/);
  });
});
