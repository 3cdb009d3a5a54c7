// `blastmap exposure` on the demo company: by default it names the people and admin roles that reach a crown
// jewel, not only the integrations; --integrations and --kinds narrow it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.ts';

const DEMO = join(REPO, 'datasets/demo');
const BUCKET = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
const AT = '2026-12-01';

interface Entry { id: string; kind: string; subtype?: string; privileged?: boolean; level: string; hops: number }

describe('blastmap exposure on the demo', () => {
  it('lists humans, workloads and privileged roles that reach the customer-data bucket by default', async () => {
    const run = await runCli(['exposure', BUCKET, '--graph', DEMO, '--at', AT, '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as { kinds: string[]; exposed: Entry[]; byKind: Record<string, number>; privilegedRoles: number };
    expect(result.kinds).toEqual(['Identity', 'Role', 'App', 'Credential']);
    const admins = (kind: string) => result.exposed.filter((e) => e.kind === kind && e.level === 'admin').map((e) => e.id);
    // Okta's IT Admins hold Super Administrator, which federates into AWS IAM Identity Center.
    expect(result.exposed.filter((e) => e.kind === 'Identity' && e.subtype === 'human' && e.level === 'admin').length).toBeGreaterThan(0);
    expect(admins('Identity')).toContain('aws:111122223333:identity:role/AWSReservedSSO_AdministratorAccess_796d21d1523fc5a1');
    expect(admins('Role')).toEqual(expect.arrayContaining(['aws:111122223333:role:aws-policy/AdministratorAccess', 'okta:corvidlabs.okta.com:role:SUPER_ADMIN']));
    expect(result.privilegedRoles).toBeGreaterThan(0);
    expect(result.byKind.App).toBeGreaterThan(0);
  });

  it('--integrations keeps only apps and credentials, like --kinds App,Credential', async () => {
    const narrow = await runCli(['exposure', BUCKET, '--graph', DEMO, '--at', AT, '--integrations', '--format', 'json']);
    const byKinds = await runCli(['exposure', BUCKET, '--graph', DEMO, '--at', AT, '--kinds', 'App,Credential', '--format', 'json']);
    const narrowed = JSON.parse(narrow.out) as { exposed: Entry[] };
    expect(new Set(narrowed.exposed.map((e) => e.kind))).toEqual(new Set(['App', 'Credential']));
    expect(narrowed).toEqual(JSON.parse(byKinds.out));
    const both = await runCli(['exposure', BUCKET, '--graph', DEMO, '--integrations', '--kinds', 'App']);
    expect(both.code).toBe(2);
  });

  it('the text report has a section per kind, identities first', async () => {
    const run = await runCli(['exposure', BUCKET, '--graph', DEMO, '--at', AT, '--top', '40']);
    expect(run.out).toMatch(/^\d+ identities \(\d+ human, \d+ service, \d+ workload\), \d+ roles \(\d+ privileged\), \d+ apps, \d+ credentials\.$/m);
    expect(run.out.indexOf('IDENTITIES (')).toBeLessThan(run.out.indexOf('ROLES ('));
  });
});

describe('blastmap exposure JSON: one shared witness table', () => {
  interface Step { next: number; from: string; to: string; edgeId: string; kind: string; level: string }
  interface Written { exposed: (Entry & { witness: number; path?: Step[] })[]; witness: Step[] }
  const follow = (steps: Step[], first: number): Step[] => {
    const path: Step[] = [];
    for (let i = first; i >= 0; i = steps[i]!.next) path.push(steps[i]!);
    return path;
  };

  it('every source\'s path, followed through the table, is its full path (--paths), each step written once', async () => {
    const table = JSON.parse((await runCli(['exposure', BUCKET, '--graph', DEMO, '--at', AT, '--format', 'json'])).out) as Written;
    const full = JSON.parse((await runCli(['exposure', BUCKET, '--graph', DEMO, '--at', AT, '--format', 'json', '--paths'])).out) as Written;
    expect(table.exposed.length).toBeGreaterThan(10);
    expect(table.exposed[0]).not.toHaveProperty('path');
    table.witness.forEach((step, i) => expect(step.next).toBeLessThan(i));
    table.exposed.forEach((entry, i) => {
      const path = full.exposed[i]!.path!;
      expect(path.length).toBe(entry.hops);
      expect(follow(table.witness, entry.witness)).toEqual(path.map(({ from, to, ...rest }) => expect.objectContaining({ ...rest, from: (from as unknown as { id: string }).id, to: (to as unknown as { id: string }).id })));
      expect(path.at(-1)?.to).toEqual(expect.objectContaining({ id: BUCKET }));
    });
    // Paths join: fewer steps than the sum of the path lengths.
    expect(table.witness.length).toBeLessThan(table.exposed.reduce((sum, entry) => sum + entry.hops, 0));
  });
});
