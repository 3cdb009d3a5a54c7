// `blastmap respond` as a responder runs it on the demo: the contain step on Parley, rotations of the keys pasted in
// Salesforce cases, JSON in the UI's contract, markdown and HTML with hostile names escaped, bad options refused.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { respondResponseSchema } from '../../engine/api/schemas.ts';
import { respondPlanFromJson } from '../../engine/report/respond.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

const AT = '2026-11-22';
const AWS_KEY = 'aws:111122223333:credential:access-key/9a184e3db4e81384';
const SNOWFLAKE_PAT = 'snowflake:corvidlabs:credential:pat/SVC_REPORTING/GLIMPSE_DASHBOARDS';
const PARLEY_TOKEN = 'salesforce:00dhs000000cvdlmak:credential:oauth-token/0H4Hs000000Cv01GAA/005Hs00000JrW4FIAQ/2024-03-12T16:22:05.000Z';

describe('blastmap respond on the demo', () => {
  it('contains Parley with one kill per tenant and rotates the AWS key and the Snowflake token found in cases', async () => {
    const run = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--at', AT, '--format', 'json']);
    expect(run.code).toBe(0);
    const plan = respondResponseSchema.parse(respondPlanFromJson(JSON.parse(run.out)));
    expect(plan.source.id).toBe('parley:prod:app:parley-chat');
    const contain = plan.steps.filter((step) => step.phase === 'contain');
    expect(contain.map((step) => [step.action, step.target.name])).toEqual([
      ['vendor-kill', 'Parley Chat for Salesforce'],
      ['vendor-kill', 'Parley Email'],
    ]);
    expect(contain[0]!.credentials!.map((c) => c.id)).toEqual([PARLEY_TOKEN]);
    // Five Gmail grants, one action: block the OAuth client.
    expect(contain[1]!.credentials).toHaveLength(5);
    expect(contain[1]!.title).toContain('Block OAuth client 417905633812-prl3mailsync.apps.googleusercontent.com');
    const rotate = plan.steps.filter((step) => step.phase === 'rotate').map((step) => step.target.id);
    expect(rotate.sort()).toEqual([AWS_KEY, SNOWFLAKE_PAT].sort());
    expect(plan.harvested.find((h) => h.id === AWS_KEY)).toMatchObject({ remediation: 'rotate', via: 'found in Case 00031337: nightly export failing' });
    expect(plan.steps.filter((step) => step.phase === 'cleanup').map((step) => step.target.name)).toEqual([
      'Case 00031337: nightly export failing',
      'Case 00031402: revenue dashboard stale, Snowflake sync auth errors',
    ]);
    expect(plan.finalScore).toBe(0);
    expect(plan.residue).toEqual([]);
    // Who can block the connected app: Salesforce's admin profile first, then people holding it.
    expect(contain[0]!.who[0]).toMatchObject({ kind: 'Role', name: 'Profile: System Administrator' });
  });

  it('contains a vendor whose service account lives in its own cloud project by blocking its delegation, not by touching the project', async () => {
    const run = await runCli(['respond', 'Vaultline Backup for Google Workspace', '--graph', 'datasets/demo', '--at', AT, '--format', 'json']);
    const plan = respondResponseSchema.parse(respondPlanFromJson(JSON.parse(run.out)));
    const contain = plan.steps.filter((step) => step.phase === 'contain');
    expect(contain.map((step) => [step.action, step.target.id])).toEqual([
      ['vendor-kill', 'google-workspace:corvidlabs.com:credential:domain-wide-delegation/104477230918822460113'],
    ]);
    expect(contain[0]!.title).toContain('Block OAuth client 104477230918822460113');
    // Vaultline's own service account and its key are the vendor's to deal with: left as residue, said so.
    expect(plan.residue.map((r) => [r.kind, r.why])).toEqual([['Identity', "on Vaultline Software's side: only the vendor can act there"]]);
  });

  it('prints the window, the assumptions and the phases in text, and --since narrows the window', async () => {
    const run = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--at', AT, '--since', '2026-11-01']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('CONTAINMENT PLAN for Parley Chat (App on parley)');
    expect(run.out).toContain('assume breach, window 2026-11-01 00:00Z to 2026-11-22 00:00Z');
    expect(run.out).toContain('ROTATE: every harvested credential still valid');
    expect(run.out).toContain('Nothing is reachable from the source or any harvested credential after these steps.');
    const markdown = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--at', AT, '--format', 'markdown']);
    expect(markdown.out).toContain('## Assumptions');
    expect(markdown.out).toContain('## Contain: revoke or disable the source');
    expect(markdown.out).toMatch(/\| 1 \| Block connected app "Parley Chat for Salesforce"/);
  });

  it('refuses a --since after --at and an unknown format', async () => {
    const late = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--at', AT, '--since', '2026-12-01']);
    expect(late.code).not.toBe(0);
    expect(late.err).toContain('is after --at');
    const format = await runCli(['respond', 'Parley Chat', '--graph', 'datasets/demo', '--format', 'sarif']);
    expect(format.code).not.toBe(0);
    expect(format.err).toContain('--format sarif');
  });
});

describe('blastmap respond with hostile names', () => {
  let graph = '';
  beforeAll(() => {
    graph = join(tempDir(), 'hostile.json');
    const node = (id: string, kind: string, name: string, platform: string, extra: Record<string, unknown> = {}) => ({ id, kind, name, platform, tenant: 't', ...extra });
    writeFileSync(graph, JSON.stringify({
      version: 1,
      nodes: [
        node('chat:t:credential:bot', 'Credential', 'bot <script>alert(1)</script>', 'chat', { type: 'api-key' }),
        node('chat:t:resource:channel', 'Resource', '#ops | *all* \u001b[31m', 'chat'),
        node('git:t:credential:pat', 'Credential', 'PAT "><img src=x>', 'git', { type: 'pat' }),
        node('git:t:resource:repo', 'Resource', 'repo', 'git', { tags: ['crown-jewel'] }),
      ],
      edges: [
        { kind: 'CAN_READ', from: 'chat:t:credential:bot', to: 'chat:t:resource:channel' },
        { kind: 'CONTAINS_CREDENTIAL', from: 'chat:t:resource:channel', to: 'git:t:credential:pat' },
        { kind: 'CAN_WRITE', from: 'git:t:credential:pat', to: 'git:t:resource:repo' },
      ],
    }));
  });

  it('escapes names in HTML, markdown and the terminal', async () => {
    const html = await runCli(['respond', 'chat:t:credential:bot', '--graph', graph, '--at', AT, '--format', 'html']);
    expect(html.code).toBe(0);
    expect(html.out).not.toContain('<script>alert');
    expect(html.out).toContain('bot &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.out).not.toContain('"><img');
    expect(html.out).toContain("Content-Security-Policy");
    const markdown = await runCli(['respond', 'chat:t:credential:bot', '--graph', graph, '--at', AT, '--format', 'markdown']);
    expect(markdown.out).toContain('\\#ops \\| \\*all\\*');
    const text = await runCli(['respond', 'chat:t:credential:bot', '--graph', graph, '--at', AT]);
    expect(text.out).not.toContain('\u001b[31m');
    expect(text.out).toContain('Revoke the stolen api-key bot <script>');
  });
});
