// The Okta importer: every corpus sample imports, each mapping rule (users, groups, admin roles, assignments
// and SSO, grants, client credentials, API tokens, refresh tokens, API services) yields the nodes and edges the
// graph model says, bad input fails with file and JSON path, secrets never enter the graph, and an end-to-end
// run shows an Okta API token reaching a Google mailbox through the admin path.
//
// Hand-made fixtures (test/fixtures/okta/org) follow the Okta Management API reference
// (developer.okta.com/docs/api/openapi/okta-management/): Users, Groups (members, roles), Applications (users,
// groups, grants, tokens, credentials/secrets), API tokens, API service integrations, Role assignments.
import { cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { EDGE_KINDS } from '../../engine/schema/index.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { encodeSnapshot } from '../../engine/store/snapshot.ts';
import { readRawFiles } from '../../cli/commands/import.ts';
import { classifyFiles } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { scopeCatalogSchema } from '../../importers/common/scopes.ts';
import { oktaImporter } from '../../importers/okta/index.ts';
import { findImporter } from '../../importers/registry.ts';
import { durationMs, OKTA_ADMIN_ROLES, OKTA_CATALOG_APPS, OKTA_FILES, OKTA_RESOURCES, OKTA_SCOPES, userNameFromTemplate } from '../../importers/okta/transform.ts';
import type { OktaUser } from '../../importers/okta/schema.ts';
import scopesJson from '../../engine/schema/scopes/okta.json' with { type: 'json' };
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const CORPUS = resolve(REPO, '../shared/corpus/okta');
const FIXTURE = join(REPO, 'test/fixtures/okta/org');
const GOOGLE = join(REPO, 'test/fixtures/okta/google-workspace.yaml');
const TENANT = 'corvidlabs.okta.com';

// Fixture ids (test/fixtures/okta/org).
const PRIYA = '00uhrg3c6uAb0OlKvss3'; // Super Administrator through the Okta Super Admins group; owns the scim-bridge API token
const TOM = '00uwlLHSbB6KNw5C3m6L'; // Help Desk Administrator; owns the helpdesk-automation token (network zone)
const ELENA = '00u9mlsUG2xNyrAZZx1Z'; // CFO: Google (direct) and Salesforce (through Sales)
const RAJ = '00urBm8sTJgHsFEKnbPN'; // Sales: Salesforce through the group, Legacy Wiki directly
const NINA = '00uv8DV3acJn4taxNWcr'; // SUSPENDED
const SUPER_GROUP = '00gv2GbUdX4H3a6qJ3i5';
const SALES = '00g3cfEiaMzaGzdDcbtq';
const GOOGLE_APP = '0oaC328HDLhxuQQFUQM9';
const SALESFORCE_APP = '0oaWvVqU4ly0CT1JngQG';
const BOT = '0oavLlBpTu3plKvGsYl3'; // OIDC service app: okta.users.manage, okta.groups.read (and a revoked okta.logs.read)
const EXPENSE = '0oaOihPkR5f4vMSO9r4k'; // OIDC web app; client id 0oaExpensePortalWeb7
const WIKI = '0oaBCUZuxY7gxqzCvbZB';
const SIEM = '0oa1siemConnector0g7';

const id = (rest: string, tenant = TENANT): string => `okta:${tenant}:${rest}`;
const fixtureFiles = (): RawFile[] => readRawFiles([FIXTURE]);

function importOk(files: readonly RawFile[], options: { tenant?: string; lenient?: boolean } = {}) {
  const result = oktaImporter.transform(files, options);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 1)}`);
  return result;
}

function importIssues(files: readonly RawFile[], options: { tenant?: string; lenient?: boolean } = {}) {
  const result = oktaImporter.transform(files, options);
  if (result.ok) throw new Error('import unexpectedly succeeded');
  return result.issues;
}

const node = (fragment: Fragment, nodeId: string): GraphNode => {
  const found = fragment.nodes.find((n) => n.id === nodeId);
  if (!found) throw new Error(`no node ${nodeId}`);
  return found;
};
const edges = (fragment: Fragment, kind: string, from?: string, to?: string): GraphEdge[] =>
  fragment.edges.filter((e) => e.kind === kind && (from === undefined || e.from === from) && (to === undefined || e.to === to));
const targets = (fragment: Fragment, kind: string, from: string): string[] => edges(fragment, kind, from).map((e) => e.to).sort();
/** Edges as `KIND from -> to`, with this tenant's prefix dropped, as an order-free set. */
const edgeSet = (fragment: Fragment, tenant: string): Set<string> => {
  const short = (x: string) => x.replace(`okta:${tenant}:`, '');
  return new Set(fragment.edges.map((e) => `${e.kind} ${short(e.from)} -> ${short(e.to)}`));
};

const corpusText = (name: string): string => readFileSync(join(CORPUS, name), 'utf8');

/** The corpus samples laid out as the API paths they come from (the documented file layout). */
const CORPUS_LAYOUT: Record<string, string> = {
  'apps-list.json': 'apps.json',
  'app-oidc-get.json': 'apps/0oafxqCAJWWGELFTYASJ.json',
  'users-list.json': 'users.json',
  'groups-list.json': 'groups.json',
  'api-tokens-list.json': 'api-tokens.json',
  'api-service-integrations-list.json': 'api-services.json',
  'app-users-list.json': 'apps/0oajiqIRNXPPJBNZMGYL/users.json',
  'app-grants-list.json': 'apps/0oa1nkheCuDn82XVI0g4/grants.json',
  'app-client-secrets-list.json': 'apps/0oa1nkheCuDn82XVI0g4/credentials/secrets.json',
  'app-jwks-list.json': 'apps/0oa1nkheCuDn82XVI0g4/credentials/jwks.json',
  'app-refresh-tokens-list.json': 'apps/0oabskvc6442nkvQO0h7/tokens.json',
};
const corpusLayout = (): RawFile[] => Object.entries(CORPUS_LAYOUT).map(([name, path]) => ({ path, text: corpusText(name) }));

describe('okta importer: data tables', () => {
  it('the scope catalogue is valid and names only resource families the importer knows', () => {
    expect(scopeCatalogSchema.safeParse(scopesJson).success).toBe(true);
    const families = new Set(Object.keys(OKTA_RESOURCES.resources));
    const used = [...Object.values(OKTA_SCOPES.scopes), ...OKTA_SCOPES.patterns.map((p) => p.entry)].flatMap((entry) => entry.resources);
    expect(used.filter((type) => !families.has(type))).toEqual([]);
    for (const verb of ['read', 'manage']) for (const family of ['users', 'groups', 'apps', 'roles', 'policies', 'apiTokens']) expect(OKTA_SCOPES.scopes[`okta.${family}.${verb}`]).toBeDefined();
    expect(OKTA_SCOPES.scopes['okta.logs.read']).toMatchObject({ level: 'read', resources: ['logs'] });
  });

  it('admin role rules use edges a Role may carry and resource families that exist', () => {
    for (const [type, role] of Object.entries(OKTA_ADMIN_ROLES.roles)) {
      for (const rule of role.rules) {
        expect((EDGE_KINDS[rule.edge].from as readonly string[]).includes('Role'), `${type} ${rule.edge}`).toBe(true);
        if (rule.to === 'resource') expect(OKTA_RESOURCES.resources[rule.resource], `${type} -> ${rule.resource}`).toBeDefined();
      }
    }
    expect(Object.keys(OKTA_ADMIN_ROLES.roles)).toEqual(expect.arrayContaining(['SUPER_ADMIN', 'ORG_ADMIN', 'APP_ADMIN', 'USER_ADMIN', 'GROUP_MEMBERSHIP_ADMIN', 'HELP_DESK_ADMIN', 'READ_ONLY_ADMIN', 'API_ACCESS_MANAGEMENT_ADMIN']));
  });

  it('maps the Okta catalog app names to the platforms they sign in to', () => {
    const platformOf = (name: string) => OKTA_CATALOG_APPS.apps[name]?.platform;
    expect([platformOf('google'), platformOf('salesforce'), platformOf('githubcloud'), platformOf('github_enterprise'), platformOf('slack')]).toEqual(['google-workspace', 'salesforce', 'github', 'github', 'slack']);
    expect([platformOf('amazon_aws'), platformOf('aws_account_federation'), platformOf('office365'), platformOf('microsoft_office_365')]).toEqual(['aws', 'aws', 'entra', 'entra']);
    expect([platformOf('atlassian'), platformOf('jira_onprem'), platformOf('zoomus'), platformOf('box'), platformOf('template_swa')]).toEqual(['atlassian', 'atlassian', 'zoom', 'box', undefined]);
  });

  it('is registered for `blastmap import okta`', () => {
    expect(findImporter('okta')).toBe(oktaImporter);
  });
});

describe('okta importer: the corpus samples', () => {
  it('recognises every corpus file by its own name', () => {
    const names = readdirSync(CORPUS).filter((n) => n.endsWith('.json')).sort();
    expect(names).toHaveLength(11);
    const { byRole, ignored } = classifyFiles(names.map((path) => ({ path, text: '' })), OKTA_FILES);
    expect(ignored).toEqual([]);
    const roleOf = Object.fromEntries([...byRole.entries()].flatMap(([role, files]) => files.map((f) => [f.path, role])));
    expect(roleOf).toEqual({
      'api-service-integrations-list.json': 'api-services', 'api-tokens-list.json': 'api-tokens', 'app-client-secrets-list.json': 'client-secrets',
      'app-grants-list.json': 'grants', 'app-jwks-list.json': 'jwks', 'app-oidc-get.json': 'apps', 'app-refresh-tokens-list.json': 'refresh-tokens',
      'app-users-list.json': 'app-users', 'apps-list.json': 'apps', 'groups-list.json': 'groups', 'users-list.json': 'users',
    });
  });

  it('imports all eleven samples laid out as their API paths, with the nodes and edges each implies', () => {
    const tenant = 'testorg.okta.com';
    const { fragment, report } = importOk(corpusLayout(), { tenant });
    expect(new Set(fragment.nodes.map((n) => n.id))).toEqual(new Set([
      'okta:*:app:0oa1nkhecudn82xvi0g4', 'okta:*:app:0oabskvc6442nkvqo0h7', 'okta:*:app:0oajiqirnxppjbnzmgyl',
      'okta:*:identity:00u6eltha0nrsc47i0h7', 'okta:*:identity:00uabcdefg1234567890', 'okta:*:identity:00uu3u0ujw1p6afzc2d5',
      ...[
        'platform:org', 'app:0oa1gjh63g214q0Hq0g4', 'app:0oa72lrepvp4WqEET1d9', 'app:0oafxqCAJWWGELFTYASJ',
        'credential:api-token/00T1234567890abcdefg', 'credential:api-token/00Tabcdefg1234567890', 'credential:client-credentials/0oa72lrepvp4WqEET1d9',
        'credential:client-secret/ocs2f4zrZbs8nUa7p0g4', 'credential:client-secret/ocs2f50kZB0cITmYU0g4', 'credential:jwk/pks2f4zrZbs8nUa7p0g4',
        'credential:jwk/pks2f50kZB0cITmYU0g4', 'credential:refresh-token/oar579Mcp7OUsNTlo0g3', 'group:00g1emaKYZTWRYYRRTSK', 'group:00garwpuyxHaWOkdV0g4',
        'identity:00u118oQYT4TBTemp0g4', 'identity:00u1dnq5S0CfjlkpABCD', 'identity:service/0oa1nkheCuDn82XVI0g4', 'identity:service/0oa72lrepvp4WqEET1d9',
        'resource:apps', 'resource:authorization-server/ausain6z9zIedDCxB0h7', 'resource:groups', 'resource:logs', 'resource:users',
      ].map((rest) => id(rest, tenant)),
    ]));
    expect(edgeSet(fragment, tenant)).toEqual(new Set([
      // app-client-secrets-list.json and app-jwks-list.json: held by the app named in their _links, acting as its client
      'HOLDS okta:*:app:0oa1nkhecudn82xvi0g4 -> credential:client-secret/ocs2f4zrZbs8nUa7p0g4',
      'HOLDS okta:*:app:0oa1nkhecudn82xvi0g4 -> credential:client-secret/ocs2f50kZB0cITmYU0g4',
      'HOLDS okta:*:app:0oa1nkhecudn82xvi0g4 -> credential:jwk/pks2f4zrZbs8nUa7p0g4',
      'HOLDS okta:*:app:0oa1nkhecudn82xvi0g4 -> credential:jwk/pks2f50kZB0cITmYU0g4',
      'AUTHENTICATES_AS credential:client-secret/ocs2f4zrZbs8nUa7p0g4 -> identity:service/0oa1nkheCuDn82XVI0g4',
      'AUTHENTICATES_AS credential:client-secret/ocs2f50kZB0cITmYU0g4 -> identity:service/0oa1nkheCuDn82XVI0g4',
      'AUTHENTICATES_AS credential:jwk/pks2f4zrZbs8nUa7p0g4 -> identity:service/0oa1nkheCuDn82XVI0g4',
      'AUTHENTICATES_AS credential:jwk/pks2f50kZB0cITmYU0g4 -> identity:service/0oa1nkheCuDn82XVI0g4',
      // app-grants-list.json: okta.users.read and okta.apps.manage to that app's service client, approved by their creator
      'CONSENTED okta:*:identity:00u6eltha0nrsc47i0h7 -> okta:*:app:0oa1nkhecudn82xvi0g4',
      'CAN_READ identity:service/0oa1nkheCuDn82XVI0g4 -> resource:users',
      'CAN_ADMIN identity:service/0oa1nkheCuDn82XVI0g4 -> resource:apps',
      'CAN_ADD_CREDENTIAL identity:service/0oa1nkheCuDn82XVI0g4 -> app:0oa1gjh63g214q0Hq0g4',
      'CAN_ADD_CREDENTIAL identity:service/0oa1nkheCuDn82XVI0g4 -> app:0oa72lrepvp4WqEET1d9',
      'CAN_ADD_CREDENTIAL identity:service/0oa1nkheCuDn82XVI0g4 -> app:0oafxqCAJWWGELFTYASJ',
      // app-refresh-tokens-list.json: held by its client; car:drive is a custom scope of a custom authorization server
      'HOLDS okta:*:app:0oabskvc6442nkvqo0h7 -> credential:refresh-token/oar579Mcp7OUsNTlo0g3',
      'CAN_ADMIN credential:refresh-token/oar579Mcp7OUsNTlo0g3 -> resource:authorization-server/ausain6z9zIedDCxB0h7',
      // api-tokens-list.json: both tokens act as their creator; nobody is known to hold them
      'AUTHENTICATES_AS credential:api-token/00T1234567890abcdefg -> okta:*:identity:00uabcdefg1234567890',
      'AUTHENTICATES_AS credential:api-token/00Tabcdefg1234567890 -> okta:*:identity:00uabcdefg1234567890',
      'OWNS okta:*:identity:00uabcdefg1234567890 -> credential:api-token/00T1234567890abcdefg',
      'OWNS okta:*:identity:00uabcdefg1234567890 -> credential:api-token/00Tabcdefg1234567890',
      // api-service-integrations-list.json: a third-party app whose client reads users, groups and the System Log
      'OWNS okta:*:identity:00uu3u0ujw1p6afzc2d5 -> app:0oa72lrepvp4WqEET1d9',
      'HOLDS app:0oa72lrepvp4WqEET1d9 -> credential:client-credentials/0oa72lrepvp4WqEET1d9',
      'AUTHENTICATES_AS credential:client-credentials/0oa72lrepvp4WqEET1d9 -> identity:service/0oa72lrepvp4WqEET1d9',
      'CAN_READ identity:service/0oa72lrepvp4WqEET1d9 -> resource:groups',
      'CAN_READ identity:service/0oa72lrepvp4WqEET1d9 -> resource:logs',
      'CAN_READ identity:service/0oa72lrepvp4WqEET1d9 -> resource:users',
      // app-users-list.json: an assignment to an app that is not in the export: recorded, no authority
      'CONSENTED identity:00u1dnq5S0CfjlkpABCD -> okta:*:app:0oajiqirnxppjbnzmgyl',
      // apps-list.json, app-oidc-get.json, api services: installed in and managed by the org
      'INSTALLED_IN app:0oa1gjh63g214q0Hq0g4 -> platform:org', 'INSTALLED_IN app:0oa72lrepvp4WqEET1d9 -> platform:org', 'INSTALLED_IN app:0oafxqCAJWWGELFTYASJ -> platform:org',
      'MANAGES platform:org -> app:0oa1gjh63g214q0Hq0g4', 'MANAGES platform:org -> app:0oa72lrepvp4WqEET1d9', 'MANAGES platform:org -> app:0oafxqCAJWWGELFTYASJ',
      // users-list.json and the embedded user of app-users-list.json
      'MANAGES platform:org -> identity:00u118oQYT4TBTemp0g4', 'MANAGES platform:org -> identity:00u1dnq5S0CfjlkpABCD',
      'CONTAINS platform:org -> resource:apps', 'CONTAINS platform:org -> resource:authorization-server/ausain6z9zIedDCxB0h7', 'CONTAINS platform:org -> resource:groups',
      'CONTAINS platform:org -> resource:logs', 'CONTAINS platform:org -> resource:users',
    ]));
    expect(report.records).toEqual({ users: 1, groups: 2, apps: 2, 'app-users': 1, grants: 2, 'refresh-tokens': 1, 'client-secrets': 2, jwks: 2, 'api-tokens': 2, 'api-services': 1 });
    expect(report.unknownScopes).toEqual([{ scope: 'car:drive', count: 1, assumedLevel: 'admin' }]);
    expect(report.ignoredFiles).toEqual([]);
    const saml = node(fragment, id('app:0oa1gjh63g214q0Hq0g4', tenant));
    expect(saml).toMatchObject({ name: 'Custom Saml 2.0 App', enabled: true, properties: { catalogName: 'testorgone_customsaml20app_1', signOnMode: 'SAML_2_0' } });
    expect(node(fragment, id('app:0oafxqCAJWWGELFTYASJ', tenant)).properties).toMatchObject({ clientId: '0oahonkqCRR6TSNlg4', applicationType: 'native', tokenEndpointAuthMethod: 'client_secret_post' });
    expect(node(fragment, id('group:00garwpuyxHaWOkdV0g4', tenant))).toMatchObject({ name: 'Engineering users', properties: { type: 'APP_GROUP' } });
  });

  it('keeps a JWK\'s kid as its fingerprint and drops the key material', () => {
    const { fragment } = importOk(corpusLayout(), { tenant: 'testorg.okta.com' });
    const active = node(fragment, id('credential:jwk/pks2f50kZB0cITmYU0g4', 'testorg.okta.com'));
    expect(active).toMatchObject({ type: 'certificate', fingerprint: 'ASHJHGasa782333-Sla3x3POBiIxDreBCdZuFs5B', createdAt: '2023-04-06T21:32:33.000Z' });
    expect(active.revoked).toBeUndefined();
    expect(node(fragment, id('credential:jwk/pks2f4zrZbs8nUa7p0g4', 'testorg.okta.com')).revoked).toBe(true);
    expect(JSON.stringify(fragment)).not.toContain('AJncrKuine49');
  });

  it('needs the app id from the folder for a grant list whose ids are documentation placeholders', () => {
    const files = Object.keys(CORPUS_LAYOUT).map((path) => ({ path, text: corpusText(path) }));
    const issues = importIssues(files, { tenant: 'testorg.okta.com' });
    expect(issues.map((i) => `${i.file} ${i.path}`)).toEqual(['app-grants-list.json $[0]', 'app-grants-list.json $[1]']);
    expect(issues[0]!.expected).toContain('apps/<appId>/grants.json');
    // The other ten files import as they are named.
    const rest = importOk(files.filter((f) => f.path !== 'app-grants-list.json'), { tenant: 'testorg.okta.com' });
    expect(rest.report.ignoredFiles).toEqual([]);
  });

  it('imports the corpus through the CLI from a folder laid out as the API paths', async () => {
    const dir = tempDir();
    for (const [name, path] of Object.entries(CORPUS_LAYOUT)) {
      mkdirSync(dirname(join(dir, 'export', path)), { recursive: true });
      cpSync(join(CORPUS, name), join(dir, 'export', path));
    }
    const run = await runCli(['import', 'okta', join(dir, 'export'), '--tenant', 'testorg.okta.com', '--graph', join(dir, 'g.bmap'), '--format', 'json']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as { nodes: number; importer: { records: Record<string, number> } };
    expect(report.nodes).toBe(29);
    expect(Object.values(report.importer.records).reduce((a, b) => a + b, 0)).toBe(16);
  });
});

describe('okta importer: which org', () => {
  it('takes the org from the hosts in the records\' _links', () => {
    const { fragment } = importOk(fixtureFiles());
    expect(node(fragment, id('platform:org'))).toMatchObject({ kind: 'Platform', name: 'Okta org corvidlabs.okta.com', tenant: TENANT, vendor: 'Okta' });
    expect(fragment.nodes.filter((n) => n.platform === 'okta' && n.tenant !== '*').every((n) => n.tenant === TENANT)).toBe(true);
  });

  it('asks for --tenant when the export only has documentation placeholders', () => {
    const issues = importIssues([{ path: 'api-tokens.json', text: corpusText('api-tokens-list.json') }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.expected).toContain('--tenant');
    expect(issues[0]!.found).toContain('{yourOktaDomain}');
  });

  it('refuses to guess between several orgs, and normalises --tenant given as a URL', () => {
    const other = JSON.parse(readFileSync(join(FIXTURE, 'users.json'), 'utf8')) as { _links: { self: { href: string } } }[];
    other[0]!._links.self.href = 'https://othercorp.okta.com/api/v1/users/x';
    const files = [...fixtureFiles().filter((f) => f.path !== 'users.json'), { path: 'users.json', text: JSON.stringify(other) }];
    expect(importIssues(files)[0]!.found).toBe('corvidlabs.okta.com, othercorp.okta.com');
    const { fragment, report } = importOk(files, { tenant: 'https://CorvidLabs-admin.okta.com/' });
    expect(node(fragment, id('platform:org')).tenant).toBe(TENANT);
    expect(report.notes.some((note) => note.includes('othercorp.okta.com'))).toBe(true);
  });

  it('falls back to the org id of an app ORN, and says so', () => {
    const { fragment, report } = importOk([{ path: 'apps.json', text: corpusText('apps-list.json') }]);
    expect(node(fragment, 'okta:00o1n8sbwarj7oqrw406:platform:org').properties).toMatchObject({ orgId: '00o1n8sbwarj7oqrw406' });
    expect(report.notes.some((note) => note.includes('--tenant'))).toBe(true);
  });
});

describe('okta importer: users, groups and admin roles', () => {
  const { fragment } = importOk(fixtureFiles());

  it('maps users to human identities with a lower-case email, login and enabled from the status', () => {
    expect(node(fragment, id(`identity:${ELENA}`))).toMatchObject({ kind: 'Identity', subtype: 'human', name: 'Elena Sokolova', email: 'elena.sokolova@corvidlabs.com', enabled: true, properties: { login: 'elena.sokolova@corvidlabs.com', status: 'ACTIVE', department: 'Finance' } });
    expect(node(fragment, id(`identity:${NINA}`)).enabled).toBe(false);
  });

  it('maps group members to MEMBER_OF edges', () => {
    expect(targets(fragment, 'MEMBER_OF', id(`identity:${RAJ}`))).toEqual([id(`group:${SALES}`), id('group:00gWSCKyYoxV16HoamLP')].sort());
    expect(edges(fragment, 'MEMBER_OF', undefined, id(`group:${SUPER_GROUP}`)).map((e) => e.from)).toEqual([id(`identity:${PRIYA}`)]);
  });

  it('gives group and user role assignments HAS_ROLE edges to privileged Role nodes', () => {
    expect(edges(fragment, 'HAS_ROLE').map((e) => `${e.from} -> ${e.to}`).sort()).toEqual([
      `${id(`group:${SUPER_GROUP}`)} -> ${id('role:SUPER_ADMIN')}`,
      `${id(`identity:${TOM}`)} -> ${id('role:HELP_DESK_ADMIN')}`,
    ]);
    expect(node(fragment, id('role:SUPER_ADMIN'))).toMatchObject({ kind: 'Role', name: 'Super Administrator', privileged: true });
  });

  it('lets Super Administrators administer the org, which manages every user and app', () => {
    expect(targets(fragment, 'CAN_ADMIN', id('role:SUPER_ADMIN'))).toEqual([id('platform:org')]);
    expect(targets(fragment, 'MANAGES', id('platform:org'))).toEqual([
      ...[BOT, WIKI, GOOGLE_APP, EXPENSE, SALESFORCE_APP, SIEM].map((a) => id(`app:${a}`)),
      ...[ELENA, PRIYA, RAJ, NINA, TOM].map((u) => id(`identity:${u}`)),
    ].sort());
  });

  it('lets Help Desk Administrators reset only users who hold no admin role', () => {
    expect(targets(fragment, 'CAN_RESET_CREDENTIAL', id('role:HELP_DESK_ADMIN'))).toEqual([ELENA, RAJ, NINA].map((u) => id(`identity:${u}`)).sort());
    expect(targets(fragment, 'CAN_READ', id('role:HELP_DESK_ADMIN'))).toEqual([id('resource:logs'), id('resource:users')]);
  });

  it('turns the role rule table into edges for other roles, and keeps custom roles without authority', () => {
    const roles = (type: string, extra: Record<string, unknown> = {}) => JSON.stringify([{ id: `ra-${type}`, type, status: 'ACTIVE', assignmentType: 'USER', ...extra }]);
    const files = [
      ...fixtureFiles(),
      { path: `users/${RAJ}/roles.json`, text: roles('APP_ADMIN') },
      { path: `users/${ELENA}/roles.json`, text: roles('ORG_ADMIN') },
      { path: `users/${NINA}/roles.json`, text: roles('CUSTOM', { label: 'Report viewer', role: 'cr0custom', 'resource-set': 'iam0set' }) },
    ];
    const { fragment: more, report } = importOk(files);
    expect(targets(more, 'CAN_ADD_CREDENTIAL', id('role:APP_ADMIN'))).toHaveLength(6);
    expect(targets(more, 'CAN_ADMIN', id('role:APP_ADMIN'))).toEqual([id('resource:apps')]);
    // Org admins cannot act on administrators: now Priya, Tom, Raj, Elena and Nina all hold a role.
    expect(targets(more, 'CAN_RESET_CREDENTIAL', id('role:ORG_ADMIN'))).toEqual([]);
    expect(targets(more, 'CAN_ADMIN', id('role:ORG_ADMIN'))).not.toContain(id('platform:org'));
    expect(more.edges.filter((e) => e.from === id('role:custom/cr0custom/iam0set'))).toEqual([]);
    expect(node(more, id('role:custom/cr0custom/iam0set'))).toMatchObject({ kind: 'Role', privileged: true, properties: { type: 'CUSTOM' } });
    expect(report.notes.some((note) => note.includes('custom admin role'))).toBe(true);
  });
});

describe('okta importer: assignments and SSO', () => {
  const { fragment } = importOk(fixtureFiles());

  it('links a direct assignment to a mapped catalog app to the target account by its username', () => {
    const [sso] = edges(fragment, 'SSO_TO', id(`identity:${ELENA}`), 'google-workspace:*:identity:elena.sokolova@corvidlabs.com');
    expect(sso).toMatchObject({ properties: { oktaAppId: GOOGLE_APP, userName: 'elena.sokolova@corvidlabs.com' } });
    expect(sso!.reason).toContain('Google Workspace');
    expect(node(fragment, 'google-workspace:*:identity:elena.sokolova@corvidlabs.com')).toMatchObject({ kind: 'Identity', platform: 'google-workspace', tenant: '*' });
  });

  it('gives the members of an assigned group SSO edges with the username from the app template', () => {
    expect(targets(fragment, 'SSO_TO', id(`identity:${RAJ}`))).toEqual(['salesforce:*:identity:raj.mehta@corvidlabs.com']);
    expect(targets(fragment, 'SSO_TO', id(`identity:${ELENA}`))).toEqual(['google-workspace:*:identity:elena.sokolova@corvidlabs.com', 'salesforce:*:identity:elena.sokolova@corvidlabs.com']);
  });

  it('records an assignment to an app of unknown platform without authority', () => {
    expect(targets(fragment, 'SSO_TO', id(`identity:${RAJ}`))).not.toContain(expect.stringContaining('rmehta'));
    const [assignment] = edges(fragment, 'CONSENTED', id(`identity:${RAJ}`), id(`app:${WIKI}`));
    expect(assignment).toMatchObject({ properties: { userName: 'rmehta' } });
    expect(assignment!.reason).toContain('template_swa');
  });

  it('gives no SSO edge through an inactive app, and drops deprovisioned assignments', () => {
    const apps = JSON.parse(readFileSync(join(FIXTURE, 'apps.json'), 'utf8')) as { id: string; status: string }[];
    apps.find((a) => a.id === GOOGLE_APP)!.status = 'INACTIVE';
    const ended = JSON.stringify([{ id: RAJ, scope: 'USER', status: 'DEPROVISIONED', credentials: { userName: 'raj.mehta@corvidlabs.com' } }]);
    const files = [...fixtureFiles().filter((f) => f.path !== 'apps.json'), { path: 'apps.json', text: JSON.stringify(apps) }, { path: `apps/${SALESFORCE_APP}/users.json`, text: ended }];
    const { fragment: more, report } = importOk(files);
    expect(targets(more, 'SSO_TO', id(`identity:${ELENA}`))).toEqual(['salesforce:*:identity:elena.sokolova@corvidlabs.com']);
    expect(edges(more, 'CONSENTED', id(`identity:${ELENA}`), id(`app:${GOOGLE_APP}`))[0]!.reason).toContain('not active');
    expect(node(more, id(`app:${GOOGLE_APP}`)).enabled).toBe(false);
    // Raj's app-user record (deprovisioned) overrides what his group would give him.
    expect(targets(more, 'SSO_TO', id(`identity:${RAJ}`))).toEqual([]);
    expect(report.notes).toContain('app assignments that are INACTIVE or DEPROVISIONED were left out: 1');
  });

  it('keeps an app\'s OAuth client id so other importers\' stubs resolve to it', () => {
    expect(node(fragment, id(`app:${EXPENSE}`)).properties).toMatchObject({ clientId: '0oaExpensePortalWeb7', catalogName: 'oidc_client', grantTypes: ['authorization_code', 'refresh_token'] });
  });

  it('derives usernames from the built-in templates only', () => {
    const user = { id: 'u', status: 'ACTIVE', profile: { login: 'Ann.Lee@corp.example', email: 'ann@corp.example' } } as OktaUser;
    expect(userNameFromTemplate(undefined, user)).toBe('Ann.Lee@corp.example');
    expect(userNameFromTemplate('${source.email}', user)).toBe('ann@corp.example');
    expect(userNameFromTemplate('${fn:substringBefore(source.login, "@")}', user)).toBe('Ann.Lee');
    expect(userNameFromTemplate('${source.firstName}.${source.lastName}', user)).toBeUndefined();
  });
});

describe('okta importer: who can change a group\'s members (CAN_ADD_MEMBER)', () => {
  const link = (path: string) => ({ href: `https://corvidlabs.okta.com${path}` });
  const SUPPORT = '00g7supportTeam0g7x';
  // GET /api/v1/groups: an Okta-mastered group, as the Groups API returns it.
  const group = (groupId: string, name: string, type = 'OKTA_GROUP') => ({
    id: groupId, created: '2024-01-15T09:00:00.000Z', lastUpdated: '2024-01-15T09:00:00.000Z', lastMembershipUpdated: '2026-09-01T10:00:00.000Z',
    objectClass: ['okta:user_group'], type, profile: { name, description: null }, _links: { users: link(`/api/v1/groups/${groupId}/users`) },
  });
  // GET /api/v1/users/{userId}/roles: a standard role assignment.
  const roleFile = (userId: string, assignmentId: string, type: string, label: string) => JSON.stringify([{
    id: assignmentId, label, type, status: 'ACTIVE', created: '2025-01-10T09:00:00.000Z', lastUpdated: '2025-01-10T09:00:00.000Z', assignmentType: 'USER',
    _links: { assignee: link(`/api/v1/users/${userId}`) },
  }]);
  const withSupport = (): RawFile[] => [...fixtureFiles(), { path: 'groups-2.json', text: JSON.stringify([group(SUPPORT, 'Support')]) }];
  const addMember = (fragment: Fragment, from: string) => targets(fragment, 'CAN_ADD_MEMBER', from);

  it('lets a Group Membership Administrator change every Okta-mastered group but the admin groups, and a Super Administrator every one', () => {
    const { fragment } = importOk([...withSupport(), { path: `users/${RAJ}/roles.json`, text: roleFile(RAJ, 'ra1rajGroupMember0g7', 'GROUP_MEMBERSHIP_ADMIN', 'Group Membership Administrator') }]);
    // Okta Super Admins holds an admin role (only Super Administrators change it); Everyone is BUILT_IN (Okta keeps it).
    expect(addMember(fragment, id('role:GROUP_MEMBERSHIP_ADMIN'))).toEqual([id(`group:${SALES}`), id(`group:${SUPPORT}`)].sort());
    expect(addMember(fragment, id('role:SUPER_ADMIN'))).toEqual([id(`group:${SALES}`), id(`group:${SUPER_GROUP}`), id(`group:${SUPPORT}`)].sort());
    expect(edges(fragment, 'CAN_ADD_MEMBER').map((e) => e.to)).not.toContain(id('group:00gWSCKyYoxV16HoamLP'));
  });

  it('limits a role assignment to its group targets when the export has them', () => {
    // GET /api/v1/users/{userId}/roles/{roleAssignmentId}/targets/groups lists Group objects.
    const { fragment, report } = importOk([
      ...withSupport(),
      { path: `users/${ELENA}/roles.json`, text: roleFile(ELENA, 'ra1elenaGroupAdm0g7', 'USER_ADMIN', 'Group Administrator') },
      { path: `users/${ELENA}/roles/ra1elenaGroupAdm0g7/targets/groups.json`, text: JSON.stringify([group(SALES, 'Sales')]) },
    ]);
    const role = id('role:USER_ADMIN/targets/ra1elenaGroupAdm0g7');
    expect(node(fragment, role)).toMatchObject({ kind: 'Role', name: 'Group Administrator (groups: Sales)', properties: { targetGroupIds: [SALES] } });
    expect(edges(fragment, 'HAS_ROLE', id(`identity:${ELENA}`)).map((e) => e.to)).toEqual([role]);
    expect(addMember(fragment, role)).toEqual([id(`group:${SALES}`)]);
    // Resets reach the non-admin members of the targeted groups only: Raj, not Nina (Everyone only).
    expect(targets(fragment, 'CAN_RESET_CREDENTIAL', role)).toEqual([id(`identity:${RAJ}`)]);
    expect(fragment.nodes.some((n) => n.id === id('role:USER_ADMIN'))).toBe(false);
    expect(report.records['role-targets']).toBe(1);
  });

  it('gives a service app granted okta.groups.manage every group, with the scope on each edge', () => {
    const grant = {
      id: 'oag1groupsManage0g7', status: 'ACTIVE', created: '2025-04-10T12:00:00.000Z', createdBy: { id: PRIYA, type: 'User' }, lastUpdated: '2025-04-10T12:00:00.000Z',
      issuer: 'https://corvidlabs.okta.com', clientId: BOT, scopeId: 'okta.groups.manage', source: 'ADMIN', _embedded: { scope: { id: 'okta.groups.manage' } },
      _links: { app: link(`/api/v1/apps/${BOT}`), client: link(`/oauth2/v1/clients/${BOT}`) },
    };
    const { fragment } = importOk([...withSupport(), { path: `apps/${BOT}/grants-2.json`, text: JSON.stringify([grant]) }]);
    const client = id(`identity:service/${BOT}`);
    expect(addMember(fragment, client)).toEqual([id(`group:${SALES}`), id(`group:${SUPER_GROUP}`), id(`group:${SUPPORT}`)].sort());
    for (const edge of edges(fragment, 'CAN_ADD_MEMBER', client)) expect(edge).toMatchObject({ scopes: ['okta.groups.manage'], grant: id('grant:oag1groupsManage0g7') });
    expect(targets(fragment, 'CAN_WRITE', client)).toContain(id('resource:groups'));
  });

  it('lets a user\'s token with okta.groups.manage change only the groups that user\'s roles may change', () => {
    const token = (tokenId: string, userId: string) => ({
      id: tokenId, status: 'ACTIVE', created: '2026-09-15T08:00:00.000Z', lastUpdated: '2026-09-15T08:00:00.000Z', expiresAt: '2026-12-15T08:00:00.000Z',
      issuer: 'https://corvidlabs.okta.com', clientId: '0oaExpensePortalWeb7', userId, scopes: ['openid', 'offline_access', 'okta.groups.manage'],
      _links: { app: link(`/api/v1/apps/${EXPENSE}`), user: link(`/api/v1/users/${userId}`) },
    });
    const { fragment } = importOk([
      ...withSupport(),
      { path: `users/${RAJ}/roles.json`, text: roleFile(RAJ, 'ra1rajGroupMember0g7', 'GROUP_MEMBERSHIP_ADMIN', 'Group Membership Administrator') },
      { path: `apps/${EXPENSE}/tokens-2.json`, text: JSON.stringify([token('oar1rajGroups00000g7', RAJ), token('oar1ninaGroups0000g7', NINA)]) },
    ]);
    // Raj may change Sales and Support, not the Super Admins group, although the scope alone is org-wide.
    expect(addMember(fragment, id('credential:refresh-token/oar1rajGroups00000g7'))).toEqual([id(`group:${SALES}`), id(`group:${SUPPORT}`)].sort());
    // Nina holds no admin role: her token changes nothing.
    expect(addMember(fragment, id('credential:refresh-token/oar1ninaGroups0000g7'))).toEqual([]);
    // The grant never becomes the user: no principal edge from either token.
    expect(edges(fragment, 'AUTHENTICATES_AS').filter((e) => e.from.includes('refresh-token/'))).toEqual([]);
  });

  /** The fixture with the Salesforce app creating accounts (or not) and Sales assigned to it with a profile. */
  const salesforceProvisioning = (features: string[]): RawFile[] => fixtureFiles().map((file) => {
    if (file.path.endsWith('apps.json') && !file.path.includes('/')) {
      const apps = JSON.parse(file.text) as { id: string; features?: string[] }[];
      return { ...file, text: JSON.stringify(apps.map((app) => (app.id === SALESFORCE_APP ? { ...app, features } : app))) };
    }
    if (file.path === `apps/${SALESFORCE_APP}/groups.json`) {
      const [assignment] = JSON.parse(file.text) as Record<string, unknown>[];
      return { ...file, text: JSON.stringify([{ ...assignment, profile: { profile: '00eHs000000Cv02IAC', role: null, permissionSets: ['0PSHs000000Cv11GAC'] } }]) };
    }
    return file;
  });

  it('gives a group assigned to a provisioning Salesforce app the profile and permission sets its new members get', () => {
    const { fragment } = importOk(salesforceProvisioning(['IMPORT_NEW_USERS', 'PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_USER_DEACTIVATION']));
    expect(targets(fragment, 'HAS_ROLE', id(`group:${SALES}`))).toEqual(['salesforce:*:role:permission-set/0pshs000000cv11gac', 'salesforce:*:role:profile/00ehs000000cv02iac']);
    expect(edges(fragment, 'HAS_ROLE', id(`group:${SALES}`))[0]!.reason).toContain('Okta creates a Salesforce.com account');
    expect(node(fragment, id(`app:${SALESFORCE_APP}`)).properties?.features).toContain('PUSH_NEW_USERS');
  });

  it('gives no such role when the app does not create accounts, and says so', () => {
    const { fragment, report } = importOk(salesforceProvisioning([]));
    expect(targets(fragment, 'HAS_ROLE', id(`group:${SALES}`))).toEqual([]);
    expect(report.notes.some((note) => note.includes('no PUSH_NEW_USERS'))).toBe(true);
  });

  it('a stolen API token of a Group Membership Administrator reaches Salesforce data by adding its user to Sales', () => {
    const files = [
      ...salesforceProvisioning(['PUSH_NEW_USERS']),
      // Tom (Everyone only) also holds Group Membership Administrator; his HR-sync token acts as him.
      { path: `users/${TOM}/roles-2.json`, text: roleFile(TOM, 'ra1tomGroupMember0g7', 'GROUP_MEMBERSHIP_ADMIN', 'Group Membership Administrator') },
      { path: 'api-tokens-2.json', text: JSON.stringify([{ id: '00T1hrisSyncTok00g7', name: 'hris-sync', userId: TOM, clientName: 'Okta API', tokenWindow: 'P30D', network: { connection: 'ANYWHERE' }, created: '2025-06-18T14:02:11.000Z', expiresAt: '2026-12-22T02:00:43.000Z', _links: { user: link(`/api/v1/users/${TOM}`) } }]) },
    ];
    const { fragment } = importOk(files);
    // The Salesforce side as its importer names it: the Corvid Sales profile writes Opportunities.
    const sf = (rest: string) => `salesforce:00dhs000000cvdlmak:${rest}`;
    const salesforce: Fragment = {
      nodes: [
        { id: sf('role:profile/00eHs000000Cv02IAC'), kind: 'Role', name: 'Profile: Corvid Sales', platform: 'salesforce', tenant: '00dhs000000cvdlmak' },
        { id: sf('role:permission-set/0PSHs000000Cv11GAC'), kind: 'Role', name: 'Permission set: Parley Chat Integration', platform: 'salesforce', tenant: '00dhs000000cvdlmak' },
        { id: sf('resource:opportunities'), kind: 'Resource', name: 'Opportunities', platform: 'salesforce', tenant: '00dhs000000cvdlmak', tags: ['customer'] },
      ] as GraphNode[],
      edges: [{ kind: 'CAN_WRITE', from: sf('role:profile/00eHs000000Cv02IAC'), to: sf('resource:opportunities') }] as GraphEdge[],
    };
    const finish = (f: Fragment) => {
      const done = finishFragment(f, { nodePaths: f.nodes.map((n) => n.id), edgePaths: f.edges.map((e) => e.to) });
      if (!done.ok) throw new Error('inconsistent fragment');
      return done.value;
    };
    const graph = assembleGraph([finish(fragment), finish(salesforce)]).graph;
    const radius = blastRadius(graph, [graph.indexOf.get(id('credential:api-token/00T1hrisSyncTok00g7'))!], { at: new Date('2026-11-01T00:00:00Z') });
    const opportunities = radius.reached.find((r) => r.id === sf('resource:opportunities'));
    expect(opportunities?.level).toBe('write');
    expect(opportunities?.path.map((step) => step.kind)).toEqual(['AUTHENTICATES_AS', 'HAS_ROLE', 'CAN_ADD_MEMBER', 'HAS_ROLE', 'CAN_WRITE']);
    expect(opportunities?.path[2]!.to.id).toBe(id(`group:${SALES}`));
    // Not the admin group: a Group Membership Administrator cannot join Okta Super Admins.
    expect(radius.reached.some((r) => r.id === id('role:SUPER_ADMIN'))).toBe(false);
  });
});

describe('okta importer: OAuth grants, client credentials and API services', () => {
  const { fragment, report } = importOk(fixtureFiles());
  const botClient = id(`identity:service/${BOT}`);

  it('gives a service app\'s client the authority of its active Okta API scope grants', () => {
    expect(node(fragment, botClient)).toMatchObject({ kind: 'Identity', subtype: 'service', name: 'Corvid Provisioning Bot (service client)' });
    expect(targets(fragment, 'CAN_RESET_CREDENTIAL', botClient)).toEqual([ELENA, PRIYA, RAJ, NINA, TOM].map((u) => id(`identity:${u}`)).sort());
    expect(edges(fragment, 'CAN_WRITE', botClient, id('resource:users'))).toMatchObject([{ scopes: ['okta.users.manage'], grant: id('grant:oag1usersManage00g7') }]);
    expect(edges(fragment, 'CAN_READ', botClient).map((e) => e.to)).toEqual([id('resource:groups')]);
    expect(report.notes).toContain('scope grants that are not ACTIVE give no authority and were left out: 1');
  });

  it('records who granted the scopes, without authority', () => {
    expect(edges(fragment, 'CONSENTED', id(`identity:${PRIYA}`), id(`app:${BOT}`))).toMatchObject([{ scopes: ['okta.groups.read', 'okta.users.manage'] }]);
    expect(edges(fragment, 'CONSENTED', id(`identity:${ELENA}`), id(`app:${EXPENSE}`))).toMatchObject([{ scopes: ['expenses:approve'] }]);
  });

  it('gives no client edges for scopes granted to an app that cannot use client credentials', () => {
    const grant = JSON.stringify([{ id: 'oagWeb', status: 'ACTIVE', scopeId: 'okta.users.manage', clientId: '0oaExpensePortalWeb7', source: 'ADMIN' }]);
    const { fragment: more, report: moreReport } = importOk([...fixtureFiles(), { path: `apps/${EXPENSE}/grants.json`, text: grant }]);
    expect(more.nodes.some((n) => n.id === id(`identity:service/${EXPENSE}`))).toBe(false);
    expect(moreReport.notes.some((note) => note.includes('cannot use client credentials'))).toBe(true);
  });

  it('maps client secrets to credentials the app holds, revoked when inactive, with the hash as fingerprint', () => {
    const active = node(fragment, id('credential:client-secret/ocs2corvidBotNew0g7'));
    expect(active).toMatchObject({ type: 'client-secret', fingerprint: 'p7YcRn4eJq0Tt6Ua3Hb9Kg', createdAt: '2025-04-10T12:00:00.000Z' });
    expect(active.revoked).toBeUndefined();
    expect(node(fragment, id('credential:client-secret/ocs1corvidBotOld0g7')).revoked).toBe(true);
    expect(targets(fragment, 'HOLDS', id(`app:${BOT}`))).toEqual([id('credential:client-secret/ocs1corvidBotOld0g7'), id('credential:client-secret/ocs2corvidBotNew0g7')]);
    expect(targets(fragment, 'AUTHENTICATES_AS', id('credential:client-secret/ocs2corvidBotNew0g7'))).toEqual([botClient]);
  });

  it('maps an API service integration to a third-party app whose client holds the granted scopes', () => {
    expect(node(fragment, id(`app:${SIEM}`))).toMatchObject({ thirdParty: true, name: 'Acme SIEM Connector', properties: { clientId: SIEM, integrationType: 'acme_siem' } });
    expect(targets(fragment, 'CAN_READ', id(`identity:service/${SIEM}`))).toEqual([id('resource:logs'), id('resource:users')]);
    expect(edges(fragment, 'OWNS', id(`identity:${PRIYA}`), id(`app:${SIEM}`))).toHaveLength(1);
    // Its secret is the vendor's: not in the export, so an inferred credential keeps the app -> client path.
    expect(node(fragment, id(`credential:client-credentials/${SIEM}`))).toMatchObject({ type: 'client-secret', properties: { inferred: true } });
    expect(targets(fragment, 'HOLDS', id(`app:${SIEM}`))).toEqual([id(`credential:client-credentials/${SIEM}`)]);
  });

  it('assumes the level of an unknown Okta API scope from its name, on its family\'s resource, and reports it', () => {
    const grant = JSON.stringify([{ id: 'oagNew', status: 'ACTIVE', scopeId: 'okta.userFactors.manage', source: 'ADMIN' }, { id: 'oagKnown', status: 'ACTIVE', scopeId: 'okta.idps.manage', source: 'ADMIN' }]);
    const { fragment: more, report: moreReport } = importOk([...fixtureFiles(), { path: `apps/${BOT}/grants-extra.json`, text: grant }]);
    expect(edges(more, 'CAN_ADMIN', botClient, id('resource:userFactors'))).toMatchObject([{ assumed: true, scopes: ['okta.userFactors.manage'] }]);
    expect(moreReport.unknownScopes).toContainEqual({ scope: 'okta.userFactors.manage', count: 1, assumedLevel: 'admin' });
    // okta.idps.manage: an inbound identity provider can sign in as anyone.
    expect(targets(more, 'CAN_IMPERSONATE', botClient)).toHaveLength(5);
  });
});

describe('okta importer: API tokens and refresh tokens', () => {
  const { fragment, report } = importOk(fixtureFiles());
  const scim = id('credential:api-token/00T1scimBridgeTok0g7');

  it('maps an API token to an unheld api-key that acts as its creator', () => {
    expect(node(fragment, scim)).toMatchObject({
      kind: 'Credential', type: 'api-key', name: 'Okta API token "scim-bridge"', createdAt: '2025-03-02T09:00:00.000Z', expiresAt: '2026-11-20T09:00:00.000Z',
      ownerIds: [id(`identity:${PRIYA}`)], properties: { tokenWindow: 'P30D', networkConnection: 'ANYWHERE', clientName: 'Okta API' },
    });
    expect(targets(fragment, 'AUTHENTICATES_AS', scim)).toEqual([id(`identity:${PRIYA}`)]);
    expect(edges(fragment, 'HOLDS', undefined, scim)).toEqual([]);
  });

  it('infers the last use of an API token as its expiry minus its sliding window', () => {
    expect(node(fragment, scim).lastUsedAt).toBe('2026-10-21T09:00:00.000Z');
    expect(durationMs('P30D')).toBe(30 * 86_400_000);
    expect(durationMs('PT5M')).toBe(300_000);
    expect(durationMs('P1DT2H')).toBe(26 * 3_600_000);
    expect(durationMs('30 days')).toBeUndefined();
  });

  it('marks a token restricted to network zones with the ip-allowlist condition', () => {
    const [edge] = edges(fragment, 'AUTHENTICATES_AS', id('credential:api-token/00T1helpdeskAuto00g7'));
    expect(edge).toMatchObject({ to: id(`identity:${TOM}`), conditions: ['ip-allowlist'] });
    expect(edges(fragment, 'AUTHENTICATES_AS', scim)[0]!.conditions).toBeUndefined();
  });

  it('maps refresh tokens to credentials held by the app their client id names', () => {
    const elenas = id('credential:refresh-token/oar1elenaExpenses0g7');
    expect(node(fragment, elenas)).toMatchObject({ type: 'refresh-token', expiresAt: '2026-12-15T08:00:00.000Z', scopes: ['expenses:approve', 'offline_access', 'openid', 'profile'] });
    expect(targets(fragment, 'HOLDS', id(`app:${EXPENSE}`))).toEqual([elenas, id('credential:refresh-token/oar1priyaOrgApi000g7')].sort());
    // openid/profile/offline_access reach nothing beyond the profile; the custom scope reaches its authorization server's APIs.
    expect(edges(fragment, 'CAN_ADMIN', elenas)).toMatchObject([{ to: id('resource:authorization-server/auspbFSkM248pGhMqkiE'), assumed: true, scopes: ['expenses:approve'] }]);
    expect(fragment.edges.filter((e) => e.from === elenas)).toHaveLength(1);
    expect(report.unknownScopes).toEqual([{ scope: 'expenses:approve', count: 1, assumedLevel: 'admin' }]);
  });

  it('gives a refresh token Okta API authority only when its user holds an admin role', () => {
    expect(edges(fragment, 'CAN_READ', id('credential:refresh-token/oar1priyaOrgApi000g7'))).toMatchObject([{ to: id('resource:users'), scopes: ['okta.users.read'] }]);
    const token = JSON.stringify([{ id: 'oarRaj', status: 'ACTIVE', clientId: '0oaExpensePortalWeb7', userId: RAJ, scopes: ['okta.users.read'], issuer: `https://${TENANT}` }]);
    const { fragment: more, report: moreReport } = importOk([...fixtureFiles(), { path: `apps/${EXPENSE}/tokens-raj.json`, text: token }]);
    expect(more.edges.filter((e) => e.from === id('credential:refresh-token/oarRaj'))).toEqual([]);
    expect(moreReport.notes.some((note) => note.includes('hold no admin role'))).toBe(true);
  });
});

describe('okta importer: validation, secrets, idempotence', () => {
  it('fails on a missing required field with the file and JSON path', () => {
    const users = JSON.parse(readFileSync(join(FIXTURE, 'users.json'), 'utf8')) as { profile: Record<string, unknown>; id?: string }[];
    delete users[1]!.profile.login;
    delete users[3]!.id;
    const files = [...fixtureFiles().filter((f) => f.path !== 'users.json'), { path: 'users.json', text: JSON.stringify(users) }];
    expect(importIssues(files).map((i) => `${i.file} ${i.path}: ${i.expected}, found ${i.found}`)).toEqual([
      'users.json $[1].profile.login: a string, found nothing',
      'users.json $[3].id: a string, found nothing',
    ]);
  });

  it('skips and reports bad records and records of unknown owner under --lenient', () => {
    const users = JSON.parse(readFileSync(join(FIXTURE, 'users.json'), 'utf8')) as { status?: string }[];
    delete users[3]!.status;
    const orphanGrant = JSON.stringify([{ id: 'oagOrphan', status: 'ACTIVE', scopeId: 'okta.users.read' }]);
    const files = [...fixtureFiles().filter((f) => f.path !== 'users.json'), { path: 'users.json', text: JSON.stringify(users) }, { path: 'grants.json', text: orphanGrant }];
    expect(importIssues(files).map((i) => `${i.file} ${i.path}`)).toEqual(['users.json $[3].status']);
    const { report } = importOk(files, { lenient: true });
    expect(report.skipped.map((i) => `${i.file} ${i.path}`)).toEqual(['users.json $[3].status', 'grants.json $[0]']);
    expect(report.records.users).toBe(4);
  });

  it('never lets a secret value into the graph or a snapshot', () => {
    const files = [...fixtureFiles(), ...corpusLayout().filter((f) => f.path.includes('credentials') || f.path === 'apps/0oafxqCAJWWGELFTYASJ.json').map((f) => ({ ...f, path: `corpus/${f.path}` }))];
    const raw = files.map((f) => f.text).join('\n');
    expect(raw).toContain('EXAMPLE-not-a-real-secret-1234567890');
    expect(raw).toContain('DRUFXGF9XbLn......a3x3POBiIxDreBCdZuFs5B');
    const { fragment } = importOk(files, { tenant: TENANT });
    // As the importer produced it, before the engine's own scrubber sees it.
    const imported = JSON.stringify(fragment);
    const finished = finishFragment(fragment, { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
    if (!finished.ok) throw new Error('inconsistent fragment');
    const snapshot = new TextDecoder().decode(encodeSnapshot(assembleGraph([finished.value]).graph));
    for (const text of [imported, snapshot]) {
      expect(text).not.toContain('EXAMPLE-not-a-real-secret');
      expect(text).not.toContain('DRUFXGF9XbLn......');
      expect(text).not.toContain('HAGDTYU9XbLnS');
      expect(text).not.toContain('REDACTED-BY-RESEARCH');
    }
  });

  it('gives the same graph when the same export is imported twice', () => {
    const sourced = () => {
      const { fragment } = importOk(fixtureFiles());
      const finished = finishFragment(fragment, { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
      if (!finished.ok) throw new Error('inconsistent fragment');
      return finished.value;
    };
    const once = assembleGraph([sourced()]).graph;
    const twice = assembleGraph([sourced()], once).graph;
    expect(toFragment(twice)).toEqual(toFragment(once));
    expect(importOk(fixtureFiles()).fragment).toEqual(importOk(fixtureFiles()).fragment);
  });
});

describe('okta importer: blast radius through the imported org', () => {
  it('a stolen service-app client secret takes over every user, the Super Administrator included, and the org with her', () => {
    const { fragment } = importOk(fixtureFiles());
    const finished = finishFragment(fragment, { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
    if (!finished.ok) throw new Error('inconsistent fragment');
    const graph = assembleGraph([finished.value]).graph;
    const radius = blastRadius(graph, [graph.indexOf.get(id('credential:client-secret/ocs2corvidBotNew0g7'))!], { at: new Date('2026-11-01T00:00:00Z') });
    const org = radius.reached.find((r) => r.id === id('platform:org'));
    expect(org?.level).toBe('admin');
    expect(org?.path.map((s) => s.kind)).toEqual(['AUTHENTICATES_AS', 'CAN_RESET_CREDENTIAL', 'MEMBER_OF', 'HAS_ROLE', 'CAN_ADMIN']);
    // The network-zone condition, when enforced, stops Tom's token at the door.
    const zoned = blastRadius(graph, [graph.indexOf.get(id('credential:api-token/00T1helpdeskAuto00g7'))!], { at: new Date('2026-11-01T00:00:00Z'), enforceConditions: ['ip-allowlist'] });
    expect(zoned.reachedCount).toBe(0);
  });

  it('end to end: import okta + native Google, and the API token reaches the Google account through the admin path', async () => {
    const dir = tempDir();
    const graph = join(dir, 'graph.bmap');
    const okta = await runCli(['import', 'okta', FIXTURE, '--graph', graph]);
    expect(okta.err).toBe('');
    expect(okta.code).toBe(0);
    const google = await runCli(['import', 'native', GOOGLE, '--graph', graph, '--format', 'json']);
    expect(google.code).toBe(0);
    expect((JSON.parse(google.out) as { links: { resolved: number } }).links.resolved).toBe(1);
    const run = await runCli(['radius', id('credential:api-token/00T1scimBridgeTok0g7'), '--graph', graph, '--format', 'json', '--paths', '--at', '2026-11-01']);
    expect(run.code).toBe(0);
    const radius = JSON.parse(run.out) as { reached: { id: string; level: string; path: { kind: string; to: { id: string } }[] }[]; crownJewels: { id: string }[] };
    const account = radius.reached.find((r) => r.id === 'google-workspace:corvidlabs.com:identity:elena.sokolova@corvidlabs.com');
    expect(account?.level).toBe('admin');
    expect(account?.path.map((s) => s.kind)).toEqual(['AUTHENTICATES_AS', 'MEMBER_OF', 'HAS_ROLE', 'CAN_ADMIN', 'MANAGES', 'SSO_TO']);
    expect(account?.path.map((s) => s.to.id).slice(0, 5)).toEqual([id(`identity:${PRIYA}`), id(`group:${SUPER_GROUP}`), id('role:SUPER_ADMIN'), id('platform:org'), id(`identity:${ELENA}`)]);
    expect(radius.crownJewels.map((c) => c.id)).toEqual(['google-workspace:corvidlabs.com:resource:mailbox/elena.sokolova@corvidlabs.com']);
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('an org host longer than a host name can be is refused with file and JSON path, not copied into every node id', () => {
    const host = `${'c'.repeat(100_000)}.okta.com`;
    const result = oktaImporter.transform(readRawFiles([FIXTURE]).map((f) => ({ ...f, text: f.text.replaceAll(TENANT, host) })), {});
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'users.json', path: '$[0]._links', expected: 'an org host of at most 253 characters' });
    expect(JSON.stringify(!result.ok && result.issues).length).toBeLessThan(100_000);
  });
});
