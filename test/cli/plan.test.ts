// `blastmap plan` and `blastmap paths` as a user runs them: advice in text, JSON a program can read,
// markdown with attacker-controlled names escaped, and the exit statuses of bad input.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.ts';

const AT = '2026-06-01';
let graph = '';

beforeAll(() => {
  graph = join(tempDir(), 'incident.json');
  const node = (id: string, kind: string, name: string, platform: string, extra: Record<string, unknown> = {}) => ({ id, kind, name, platform, tenant: 't', ...extra });
  writeFileSync(graph, JSON.stringify({
    version: 1,
    nodes: [
      node('chat:t:app:drift', 'App', 'Drift', 'chat'),
      node('sf:t:credential:tok', 'Credential', 'SF token', 'salesforce', { type: 'refresh-token' }),
      node('sf:t:resource:cases', 'Resource', 'Cases | *all*', 'salesforce', { tags: ['pii'] }),
      node('aws:t:credential:key', 'Credential', 'AWS key\u001b[31m', 'aws', { type: 'api-key' }),
      node('aws:t:identity:svc', 'Identity', 'svc-export', 'aws', { subtype: 'service' }),
      node('aws:t:resource:bucket', 'Resource', 'prod-bucket', 'aws', { tags: ['crown-jewel'] }),
    ],
    edges: [
      { kind: 'HOLDS', from: 'chat:t:app:drift', to: 'sf:t:credential:tok' },
      { kind: 'CAN_READ', from: 'sf:t:credential:tok', to: 'sf:t:resource:cases', scopes: ['api'], reason: 'The token can query Cases.' },
      { kind: 'CONTAINS_CREDENTIAL', from: 'sf:t:resource:cases', to: 'aws:t:credential:key' },
      { kind: 'AUTHENTICATES_AS', from: 'aws:t:credential:key', to: 'aws:t:identity:svc' },
      { kind: 'CAN_WRITE', from: 'aws:t:identity:svc', to: 'aws:t:resource:bucket' },
    ],
  }));
});

describe('blastmap plan', () => {
  it('advises revoking the Salesforce token first, with the score it removes and the crown jewel it cuts off', async () => {
    const run = await runCli(['plan', 'Drift', '--graph', graph, '--at', AT]);
    expect(run.code).toBe(0);
    // 1 (token) + 8 (cases, pii, read) + 1 (key) + 1 (identity) + 20 (bucket, write) = 31.
    expect(run.out).toContain('1. Revoke SF token (refresh-token on salesforce): removes 31 of 31 points (100%), cuts off 5 nodes including 1 crown jewel (prod-bucket)');
    expect(run.out).toContain('equally effective: Remove Drift -HOLDS-> SF token');
    expect(run.out).toContain('Nothing beyond the source is reachable any more.');
    expect(run.out).not.toContain('\u001b');
  });

  it('writes the choke points and the plan as JSON', async () => {
    const run = await runCli(['plan', 'Drift', '--graph', graph, '--at', AT, '--format', 'json', '--steps', '1', '--top', '2']);
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.out);
    expect(parsed.plan.steps.map((s: { cut: { id: string }; removed: number }) => [s.cut.id, s.removed])).toEqual([['sf:t:credential:tok', 31]]);
    expect(parsed.chokePoints.chokePoints).toHaveLength(2);
    expect(parsed.chokePoints.chokePoints[1].cut.action).toBe('remove-edge');
  });

  it('escapes names in markdown', async () => {
    const run = await runCli(['plan', 'Drift', '--graph', graph, '--at', AT, '--format', 'markdown']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Cases \\| \\*all\\*');
    expect(run.out).not.toContain('Cases | *all*');
  });

  it('rejects a negative step count with exit 2', async () => {
    const run = await runCli(['plan', 'Drift', '--graph', graph, '--steps', '-1']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--steps');
  });
});

describe('blastmap paths', () => {
  it('shows the bridge off the vendor platform and the onward hop to AWS', async () => {
    const run = await runCli(['paths', 'Drift', '--graph', graph, '--at', AT]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('LATERAL MOVEMENT from Drift (App on chat)');
    expect(run.out).toContain('1. Drift -HOLDS-> SF token (chat -> salesforce)');
    // The ESC in the key's name never reaches the terminal: the import boundary turns it into U+FFFD.
    expect(run.out).toMatch(/then Cases \| \*all\* -CONTAINS_CREDENTIAL-> AWS key\uFFFD\[31m \(salesforce -> aws\): 3 nodes, score 22, 1 crown jewel/);
    expect(run.out).not.toContain('\u001b');
  });

  it('lists the shortest path to a target step by step with scopes and reasons', async () => {
    const run = await runCli(['paths', 'Drift', '--to', 'prod-bucket', '--graph', graph, '--at', AT]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('prod-bucket is reached at WRITE in 5 hops over 1 shortest path.');
    expect(run.out).toContain('-CAN_READ [api]-> READ  Cases | *all* (Resource on salesforce)');
    expect(run.out).toContain('The token can query Cases.');
    const json = JSON.parse((await runCli(['paths', 'Drift', '--to', 'aws:t:resource:bucket', '--graph', graph, '--at', AT, '--format', 'json'])).out);
    expect(json).toMatchObject({ analysis: 'shortest-paths', reached: true, level: 'write', hops: 5, total: 1 });
  });

  it('exits 4 on an unknown target and 2 on a zero limit', async () => {
    expect((await runCli(['paths', 'Drift', '--to', 'nope', '--graph', graph, '--at', AT])).code).toBe(4);
    expect((await runCli(['paths', 'Drift', '--to', 'prod-bucket', '--limit', '0', '--graph', graph, '--at', AT])).code).toBe(2);
  });
});
