// The real samples of the shared corpus, under the names their origin gave them, load as one workspace with a
// tenant subfolder per platform (exports/<source>/<tenant>/), and yield what each importer's page promises; the
// SpecterOps collectors' outputs import into traversable graphs whose rank makes sense. blastmap.yaml sets the
// options `blastmap import` takes, per export.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspace, type Workspace } from '../../cli/workspace.ts';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { toFragment, type CompactGraph } from '../../engine/store/compact.ts';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const CORPUS = resolve(REPO, '../shared/corpus');
const ENTRA_TENANT = '4c1e9a6e-2f3b-4d5a-9b8c-7e6f5a4b3c2d';
/** The OIDC app of the Okta spec examples (app-oidc-get.json): its grants and refresh tokens are filed under it. */
const OIDC_APP = '0oafxqCAJWWGELFTYASJ';

/** workspace path <- corpus path: upstream names where the corpus renamed a file, the corpus names otherwise. */
const LAYOUT: Record<string, string> = {
  'exports/okta/example.okta.com/api_tokens.json': 'okta/api-tokens-list.json',
  'exports/okta/example.okta.com/applications.json': 'okta/apps-list.json',
  'exports/okta/example.okta.com/client_secrets.json': 'okta/app-client-secrets-list.json',
  'exports/okta/example.okta.com/app_jwks.json': 'okta/app-jwks-list.json',
  'exports/okta/example.okta.com/application_users.json': 'okta/app-users-list.json',
  'exports/okta/example.okta.com/groups.json': 'okta/groups-list.json',
  'exports/okta/example.okta.com/users.json': 'okta/users-list.json',
  'exports/okta/example.okta.com/api_services.json': 'okta/api-service-integrations-list.json',
  'exports/okta/example.okta.com/group_apps.json': 'upstream/openhound-okta/group_apps.json',
  'exports/okta/example.okta.com/group_members.json': 'upstream/openhound-okta/group_members.json',
  'exports/okta/example.okta.com/app-oidc-get.json': 'okta/app-oidc-get.json',
  [`exports/okta/example.okta.com/apps/${OIDC_APP}/app-grants-list.json`]: 'okta/app-grants-list.json',
  [`exports/okta/example.okta.com/apps/${OIDC_APP}/app-refresh-tokens-list.json`]: 'okta/app-refresh-tokens-list.json',
  [`exports/entra/${ENTRA_TENANT}/user-oauth2PermissionGrants-list.principal-consent.json`]: 'entra/user-oauth2PermissionGrants-list.principal-consent.json',
  [`exports/entra/${ENTRA_TENANT}/servicePrincipal-appRoleAssignedTo-list.json`]: 'entra/servicePrincipal-appRoleAssignedTo-list.json',
  'exports/google-workspace/example.com/admin-directory-users-list.cartography.json': 'google/admin-directory-users-list.cartography.json',
  'exports/google-workspace/example.com/admin-directory-tokens-by-user.cartography.json': 'google/admin-directory-tokens-by-user.cartography.json',
  'exports/gcp/example-project/gcp-iam-service-accounts-list.cartography.json': 'google/gcp-iam-service-accounts-list.cartography.json',
  'exports/gcp/example-project/gcp-iam-service-account-keys-list.cartography.json': 'google/gcp-iam-service-account-keys-list.cartography.json',
  'exports/aws/012345678901/example-authz-details.json': 'aws/get-account-authorization-details.cloudsplaining-test.json',
  'exports/slack/T0000000/admin.apps.approved.list.json': 'slack/admin-apps-approved-list.json',
  'exports/slack/T0000000/admin.apps.requests.list.json': 'slack/admin-apps-requests-list.json',
  'exports/slack/T0000000/team.integrationLogs.json': 'slack/team-integration-logs.shape.json',
  'exports/github/octo-org/org.json': 'upstream/openhound-github/org.json',
  'exports/github/octo-org/repositories.json': 'upstream/openhound-github/repositories.json',
  'exports/github/octo-org/appinstalls.json': 'upstream/openhound-github/appinstalls.json',
  'exports/github/octo-org/app.json': 'upstream/openhound-github/app.json',
  'exports/github/octo-org/actionsecrets.json': 'upstream/openhound-github/actionsecrets.json',
  'exports/github/octo-org/environments.json': 'upstream/openhound-github/environments.json',
  // The list of repositories one organization secret is shared with does not name the secret: its folder does.
  'exports/github/octo-org/actions/secrets/GH_TOKEN/selected-org-secrets.json': 'upstream/openhound-github/selected-org-secrets.json',
  'exports/opengraph/githound/githound_O_kgDOCoV2OQ.json': 'opengraph/githound_O_kgDOCoV2OQ.json',
  'exports/opengraph/githound/githound_saml_O_kgDOCoV2OQ.json': 'opengraph/githound_saml_O_kgDOCoV2OQ.json',
  'exports/opengraph/githound/githound_scim_O_kgDOCoV2OQ.json': 'opengraph/githound_scim_O_kgDOCoV2OQ.json',
  'exports/opengraph/snowhound/snowhound_NR46411.CGXOVHZ.json': 'opengraph/snowhound_NR46411.CGXOVHZ.json',
};

function corpusWorkspace(extra: Record<string, string> = {}): string {
  const dir = tempDir('blastmap-corpus-');
  for (const [to, from] of Object.entries(LAYOUT)) {
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    copyFileSync(join(CORPUS, from), join(dir, to));
  }
  for (const [path, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const kindsOf = (graph: CompactGraph, platform: string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const node of toFragment(graph).nodes) if (node.platform === platform) counts[node.kind] = (counts[node.kind] ?? 0) + 1;
  return counts;
};
const edgeKindsFrom = (graph: CompactGraph, platform: string): Set<string> => {
  const fragment = toFragment(graph);
  const platformOf = new Map(fragment.nodes.map((n) => [n.id, n.platform]));
  return new Set(fragment.edges.filter((e) => platformOf.get(e.from) === platform).map((e) => e.kind));
};

describe('the shared corpus as one workspace, a tenant subfolder per platform', () => {
  let loaded: Workspace | undefined;
  const workspace = (): Workspace => (loaded ??= loadWorkspace(corpusWorkspace()));

  it('loads every file of every export: nothing ignored, each tenant from its folder where the files do not name it', () => {
    const { imports } = workspace();
    expect(imports.map((i) => i.folder)).toEqual([
      'exports/aws/012345678901', `exports/entra/${ENTRA_TENANT}`, 'exports/gcp/example-project', 'exports/github/octo-org',
      'exports/google-workspace/example.com', 'exports/okta/example.okta.com', 'exports/opengraph/githound', 'exports/opengraph/snowhound', 'exports/slack/T0000000',
    ]);
    for (const i of imports) expect({ folder: i.folder, ignored: i.report.ignoredFiles }).toEqual({ folder: i.folder, ignored: [] });
    const tenants = new Set(toFragment(workspace().graph).nodes.filter((n) => n.kind === 'Platform').map((n) => `${n.platform}:${n.tenant}`));
    // Entra has no organization.json: the folder names the tenant. Okta's files name their org (openhound-okta's
    // test data links to your-subdomain.okta.com), so the folder name is not used.
    for (const tenant of ['okta:your-subdomain.okta.com', `entra:${ENTRA_TENANT}`, 'aws:012345678901', 'github:github', 'snowflake:nr46411.cgxovhz', 'github:spectertst']) expect(tenants).toContain(tenant);
  });

  it('okta (docs/importers/okta.md): users, groups, apps with their client secrets, keys, grants and API tokens', () => {
    const { graph, imports } = workspace();
    expect(imports.find((i) => i.source === 'okta')!.report.records).toEqual({ users: 2, groups: 2, apps: 3, 'app-users': 1, grants: 2, 'refresh-tokens': 1, 'client-secrets': 2, jwks: 2, 'api-tokens': 2, 'api-services': 1 });
    expect(kindsOf(graph, 'okta')).toMatchObject({ Platform: 1, App: expect.any(Number), Identity: expect.any(Number), Group: 2, Credential: expect.any(Number) });
    for (const kind of ['HOLDS', 'AUTHENTICATES_AS', 'CAN_READ', 'INSTALLED_IN']) expect(edgeKindsFrom(graph, 'okta')).toContain(kind);
    // Okta ids are case-sensitive: kept as Okta writes them.
    expect(graph.indexOf.has('okta:your-subdomain.okta.com:app:0oafwvZDWJKVLDCUWUAC')).toBe(true);
  });

  it('entra (docs/importers/entra.md): a delegated grant and an app role assignment on Microsoft Graph', () => {
    const { graph, imports } = workspace();
    expect(imports.find((i) => i.source === 'entra')!.report.records).toEqual({ oauth2PermissionGrants: 1, appRoleAssignments: 1 });
    for (const kind of ['HAS_ROLE', 'CAN_WRITE', 'HOLDS']) expect(edgeKindsFrom(graph, 'entra')).toContain(kind);
  });

  it('aws, gcp, google-workspace, slack, github: each sample gives the kinds its page lists', () => {
    const { graph } = workspace();
    expect(kindsOf(graph, 'aws')).toEqual({ Platform: 1, Identity: 6, Group: 2, Role: 4, Resource: 22 });
    expect(kindsOf(graph, 'gcp')).toEqual({ Platform: 1, Identity: 2, Credential: 1 });
    expect(kindsOf(graph, 'google-workspace')).toMatchObject({ Platform: 1, Identity: 2, App: 2, Credential: 3 });
    expect(kindsOf(graph, 'slack')).toMatchObject({ Platform: 1, App: 3, Credential: 1 });
    for (const kind of ['CAN_ADD_CREDENTIAL', 'CAN_ADMIN', 'MEMBER_OF', 'HAS_ROLE']) expect(edgeKindsFrom(graph, 'aws')).toContain(kind);
    expect(edgeKindsFrom(graph, 'gcp')).toContain('AUTHENTICATES_AS');
    expect(edgeKindsFrom(graph, 'google-workspace')).toContain('HOLDS');
    expect(edgeKindsFrom(graph, 'slack')).toContain('HOLDS');
    // The upstream GitHub samples: the environment names its repository by url, the secret list by its folder.
    expect(graph.indexOf.has('github:github:platform:org')).toBe(true);
    expect(graph.indexOf.has('github:github:credential:actions-secret/github/GH_TOKEN')).toBe(true);
  });

  it('GitHound and SnowHound import into traversable graphs: every collector reaches something, and rank orders them', async () => {
    const { graph, imports } = workspace();
    const githound = imports.find((i) => i.folder === 'exports/opengraph/githound')!.opengraph!;
    const snowhound = imports.find((i) => i.folder === 'exports/opengraph/snowhound')!.opengraph!;
    expect(githound.unmappedNodeKinds.map((k) => k.kind).sort()).toEqual(['GH_BranchProtectionRule', 'GH_OrgVariable', 'GH_RepoVariable']);
    expect(snowhound.unmappedNodeKinds).toEqual([]);
    const traversable = (platform: string) => {
      const fragment = toFragment(graph);
      const platformOf = new Map(fragment.nodes.map((n) => [n.id, n.platform]));
      return fragment.edges.filter((e) => platformOf.get(e.from) === platform && graph.schema.edgeKinds[e.kind]?.traversable).length;
    };
    expect(traversable('snowflake')).toBeGreaterThan(1000);
    expect(traversable('github')).toBeGreaterThan(700);
    // ACCOUNTADMIN holders reach the whole account; a user with only PUBLIC reaches little.
    const at = '2026-06-01';
    const reach = (id: string) => blastRadius(graph, [graph.indexOf.get(id)!], { at }).reached.length;
    expect(reach('snowflake:nr46411.cgxovhz:identity:NR46411.CGXOVHZ.SNOWHOUND')).toBeGreaterThan(600);
    expect(reach('snowflake:nr46411.cgxovhz:identity:NR46411.CGXOVHZ.CMADDALENA@SPECTERDEV.ONMICROSOFT.COM')).toBeLessThan(10);
    // GitHound's installation of its own collector app reaches every repository (repository_selection all).
    expect(reach('github:github.com:app:githound-specterops')).toBeGreaterThan(12);
    const dir = corpusWorkspace();
    const rank = await runCli(['rank', '--graph', dir, '--kinds', 'App,Identity', '--top', '3', '--at', at, '--format', 'json']);
    expect(rank.code).toBe(0);
    const top = (JSON.parse(rank.out) as { entries: { platform: string }[] }).entries.map((r) => r.platform);
    expect(top).toEqual(['snowflake', 'snowflake', 'snowflake']);
  });
});

describe('blastmap.yaml', () => {
  it('sets per-export options with the names `import` takes: tenant wins over the folder, lenient skips a bad record', () => {
    const bad = JSON.stringify({ value: [{ id: 'not-a-grant' }] });
    const dir = corpusWorkspace({ [`exports/entra/${ENTRA_TENANT}/oauth2PermissionGrants.json`]: bad });
    expect(() => loadWorkspace(dir)).toThrow(/problem/);
    writeFileSync(join(dir, 'blastmap.yaml'), [
      'exports:',
      `  entra/${ENTRA_TENANT}:`,
      '    lenient: true',
      '  okta:',
      '    tenant: corvidlabs.okta.com',
      '',
    ].join('\n'));
    const { graph, imports } = loadWorkspace(dir);
    expect(imports.find((i) => i.source === 'entra')!.report.skipped.length).toBeGreaterThan(0);
    expect(imports.find((i) => i.source === 'okta')!.options).toEqual({ tenant: 'corvidlabs.okta.com' });
    expect(graph.indexOf.has('okta:corvidlabs.okta.com:platform:org')).toBe(true);
    expect(graph.indexOf.has('okta:your-subdomain.okta.com:platform:org')).toBe(false);
  });

  it('loads exactly what `import` with the same options loads', async () => {
    const dir = corpusWorkspace();
    writeFileSync(join(dir, 'blastmap.yaml'), 'exports:\n  okta/example.okta.com:\n    tenant: corvidlabs.okta.com\n    lenient: true\n');
    const snapshot = join(tempDir(), 'g.bmap');
    expect((await runCli(['import', 'okta', join(dir, 'exports/okta/example.okta.com'), '--tenant', 'corvidlabs.okta.com', '--lenient', '--graph', snapshot])).code).toBe(0);
    const okta = (graph: CompactGraph) => {
      const fragment = toFragment(graph);
      const ids = new Set(fragment.nodes.filter((n) => n.platform === 'okta').map((n) => n.id));
      return { nodes: [...ids].sort(), edges: fragment.edges.filter((e) => ids.has(e.from)).map((e) => `${e.from} ${e.kind} ${e.to}`).sort() };
    };
    expect(okta(loadWorkspace(dir).graph)).toEqual(okta(readSnapshotFile(snapshot)));
  });

  it('a key naming no export folder, or an option import does not take, is an error with the file and line', () => {
    const dir = corpusWorkspace();
    writeFileSync(join(dir, 'blastmap.yaml'), 'exports:\n  okta/other-org:\n    tenant: x\n');
    expect(() => loadWorkspace(dir)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ file: 'blastmap.yaml', message: 'names no export folder of this workspace', found: 'okta/other-org' })] }));
    writeFileSync(join(dir, 'blastmap.yaml'), 'exports:\n  okta:\n    tennant: x\n');
    expect(() => loadWorkspace(dir)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ file: 'blastmap.yaml', line: 3 })] }));
  });

  it('an opengraph export takes a mapping file; a kind it names that the input lacks is a warning listing the kinds present', () => {
    const dir = corpusWorkspace({ 'mappings/snow.json': JSON.stringify({ edges: { SNOW_HasRole: 'HAS_ROLE', SNOW_CreateUser: 'CAN_ADMIN' } }) });
    writeFileSync(join(dir, 'blastmap.yaml'), 'exports:\n  opengraph/snowhound:\n    mapping: mappings/snow.json\n');
    const snow = loadWorkspace(dir).imports.find((i) => i.folder === 'exports/opengraph/snowhound')!;
    expect(snow.options).toEqual({ mapping: 'mappings/snow.json' });
    expect(snow.opengraph!.warnings).toEqual([expect.stringMatching(/^mappings\/snow\.json: edge kind SNOW_HasRole is not in the input \(its edge kinds: SNOW_AlterEventRoutingTable, .*SNOW_Select, .*SNOW_UsesStorageIntegration, SNOW_ViewLineage, SNOW_Write\)$/)]);
  });
});

describe('tenant subfolders', () => {
  it('access keys alone load under an account folder; a folder that is no account id is named in the error, not --tenant', async () => {
    const keys = JSON.stringify({ AccessKeyMetadata: [{ UserName: 'svc-backup', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Active', CreateDate: '2025-01-01T00:00:00Z' }] });
    const ok = tempDir();
    mkdirSync(join(ok, 'exports/aws/210987654321'), { recursive: true });
    writeFileSync(join(ok, 'exports/aws/210987654321/keys.json'), keys);
    const platforms = toFragment(loadWorkspace(ok).graph).nodes.filter((n) => n.kind === 'Platform').map((n) => `${n.platform}:${n.tenant}`);
    expect(platforms).toEqual(['aws:210987654321']);
    const named = tempDir();
    mkdirSync(join(named, 'exports/aws/backup-account'), { recursive: true });
    writeFileSync(join(named, 'exports/aws/backup-account/keys.json'), keys);
    const run = await runCli(['rank', '--graph', named]);
    expect(run.code).toBe(3);
    expect(run.err).toContain('the tenant folder "backup-account" is not a 12-digit account id');
    expect(run.err).not.toContain('--tenant');
  });

  it('the documented Atlassian layout (orgs/<id>/, users/<id>/, apps/<name>/) under exports/atlassian/ is one export, not two tenants', () => {
    const dir = tempDir();
    const org = '1c2d3e4f-0000-4000-8000-00000000a71a';
    mkdirSync(join(dir, `exports/atlassian/orgs/${org}`), { recursive: true });
    mkdirSync(join(dir, 'exports/atlassian/users/5b10ac8d82e05b22cc7d4ef5'), { recursive: true });
    writeFileSync(join(dir, `exports/atlassian/orgs/${org}/api-tokens.json`), JSON.stringify({ data: [{ id: 'tok-1', label: 'ci', status: 'ACTIVE', user: { id: '5b10ac8d82e05b22cc7d4ef5', orgId: org, email: 'ci@example.com' } }], links: {} }));
    writeFileSync(join(dir, 'exports/atlassian/users/5b10ac8d82e05b22cc7d4ef5/api-tokens.json'), JSON.stringify([{ id: 'tok-2', label: 'laptop', createdAt: '2025-01-01T00:00:00Z' }]));
    // Forge app manifests under apps/<name>/ belong to the same export.
    mkdirSync(join(dir, 'exports/atlassian/apps/wiki-exporter'), { recursive: true });
    copyFileSync(join(REPO, 'test/fixtures/atlassian/forge-apps/apps/wiki-exporter/manifest.yml'), join(dir, 'exports/atlassian/apps/wiki-exporter/manifest.yml'));
    const { imports } = loadWorkspace(dir);
    expect(imports.map((i) => i.folder)).toEqual(['exports/atlassian']);
    expect(imports[0]!.report.records).toEqual({ orgTokens: 1, userTokens: 1, forgeManifests: 1 });
  });

  it('Atlassian per-user tokens alone load under an organization folder (no org id in the files)', () => {
    const dir = tempDir();
    const org = '1c2d3e4f-0000-4000-8000-00000000a71a';
    mkdirSync(join(dir, `exports/atlassian/${org}/users/5b10ac8d82e05b22cc7d4ef5`), { recursive: true });
    writeFileSync(join(dir, `exports/atlassian/${org}/users/5b10ac8d82e05b22cc7d4ef5/api-tokens.json`), JSON.stringify([{ id: 'tok-2', label: 'laptop', createdAt: '2025-01-01T00:00:00Z' }]));
    const { imports, graph } = loadWorkspace(dir);
    expect(imports.map((i) => i.folder)).toEqual([`exports/atlassian/${org}`]);
    expect(toFragment(graph).nodes.filter((n) => n.kind === 'Platform').map((n) => n.tenant)).toEqual([org]);
  });
});

