// The second-round model end to end through the CLI: a hand-written inventory with a scoped delegation.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO, runCli } from '../helpers/cli.ts';

const INVENTORY = join(REPO, 'datasets/examples/scoped-delegation.yaml');

interface Reached { id: string; level: string; path: { kind: string }[] }

describe('scoped delegation through the CLI', () => {
  it('domain-wide delegation limited to drive.readonly over the CEO: the radius reads the CEO\'s Drive, not the mailbox', async () => {
    const run = await runCli(['radius', 'reporting service account', '--graph', INVENTORY, '--format', 'json']);
    expect(run.code, run.err).toBe(0);
    const reached = (JSON.parse(run.out) as { reached: Reached[] }).reached;
    const levelOf = (id: string) => reached.find((r) => r.id === id)?.level;
    expect(levelOf('google-workspace:acme.com:resource:drive/ceo@acme.com')).toBe('read');
    expect(levelOf('google-workspace:acme.com:resource:mailbox/ceo@acme.com')).toBeUndefined();
    expect(levelOf('google-workspace:acme.com:identity:ceo@acme.com')).toBeUndefined();
    // What the Drive holds still falls: the key pasted in it, and what the key opens.
    expect(levelOf('aws:111122223333:resource:s3/board-packs')).toBe('read');
  });

  it('the graph keeps the delegation, as DELEGATED_AS with its scope, for the reader and the plan', async () => {
    const run = await runCli(['paths', 'reporting service account', '--to', 'google-workspace:acme.com:resource:drive/ceo@acme.com', '--graph', INVENTORY, '--format', 'json']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('https://www.googleapis.com/auth/drive.readonly');
    expect(run.out).toContain('DELEGATED_AS');
  });
});
