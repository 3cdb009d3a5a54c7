// The Workato importer: Developer API answers (GET /api/users/me, /api/members, /api/folders, /api/connections,
// /api/recipes with `config` and the JSON-encoded `code`, shaped as docs.workato.com's examples) become recipes
// holding the connections they use, collaborators who can edit them, and what the recipes do to identities.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { governanceFindings } from '../../engine/analysis/findings.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { buildGraph } from '../../engine/store/compact.ts';
import { actionOfName, platformOfConnector } from '../../importers/common/ipaas.ts';
import { findImporter } from '../../importers/registry.ts';
import { workatoImporter } from '../../importers/workato/index.ts';
import { edgeKeys, importerFixture, nodeOf } from '../helpers/importer-fixture.ts';
import { REPO } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/workato/globex');
const w = (kind: string, native: string): string => `workato:4848:${kind}:${native}`;
const PLATFORM = w('platform', 'workspace');
const JOINER = w('app', 'recipe/1913500');
const LEAVER = w('app', 'recipe/1913501');
const OKTA = w('credential', 'connection/36');
const WORKDAY = w('credential', 'connection/37');

const { run, imported, fixtureFiles, fixture } = importerFixture(workatoImporter, FIXTURE);
const node = nodeOf;

describe('the Workato importer', () => {
  it('is registered and reads every endpoint; the workspace is the id GET /api/users/me returns', () => {
    expect(findImporter('workato')).toBe(workatoImporter);
    const { fragment, report } = fixture();
    expect(report.records).toEqual({ me: 1, members: 3, folders: 3, connections: 5, recipes: 4 });
    expect(node(fragment, PLATFORM)).toMatchObject({ kind: 'Platform', vendor: 'Workato', name: 'Workato workspace Globex' });
  });

  it('Admins administer the workspace, Analysts too (folder permissions assumed), Operators only read', () => {
    const { fragment } = fixture();
    expect(fragment.edges.filter((e) => e.to === PLATFORM && e.kind !== 'INSTALLED_IN').map((e) => `${e.kind} ${e.from.split(':').pop()} ${e.assumed ?? false}`).sort())
      .toEqual(['CAN_ADMIN 21001 false', 'CAN_ADMIN 21002 true', 'CAN_READ 21003 false']);
  });

  it('a recipe holds the connections of its config and says what its steps do (nested blocks included)', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { from: JOINER, kind: 'HOLDS' })).toEqual([OKTA, WORKDAY, w('credential', 'connection/198')].sort().map((c) => `HOLDS ${JOINER} -> ${c}`));
    expect(node(fragment, JOINER).properties).toMatchObject({ identityActions: ['okta add_user_to_group', 'okta create_user'], running: true, trigger: 'workday', ownerProject: '701', ownerName: 'IT Automation' });
    expect(node(fragment, JOINER).properties?.hrWrites).toBeUndefined();
    expect(node(fragment, LEAVER).properties).toMatchObject({ identityActions: ['okta deactivate_user'], hrWrites: ['workday terminate_employee'], publicWebhook: true });
  });

  it('connections are metadata: target system from the application, a failed authorization is revoked, links say what one signs in as', () => {
    const { fragment } = fixture();
    expect(node(fragment, OKTA)).toMatchObject({ kind: 'Credential', createdAt: '2024-09-15T07:40:52.422Z', properties: { targetPlatform: 'okta', targetSystem: 'identity-provider', usedByRecipes: ['1913500', '1913501'] } });
    expect(node(fragment, w('credential', 'connection/199'))).toMatchObject({ revoked: true, properties: { authorizationStatus: 'failed', targetPlatform: 'salesforce' } });
    expect(edgeKeys(fragment, { from: OKTA })).toEqual([`AUTHENTICATES_AS ${OKTA} -> okta:*:identity:svc-workato@globex.example`]);
    expect(edgeKeys(fragment, { to: OKTA, kind: 'MANAGES' })).toEqual([`MANAGES ${PLATFORM} -> ${OKTA}`, `MANAGES ${w('resource', 'folder/4516')} -> ${OKTA}`]);
    const graph = buildGraph(fragment);
    const analyst = reach(graph, [graph.indexOf.get(w('identity', '21002'))!]);
    expect(analyst.level[graph.indexOf.get('okta:*:identity:svc-workato@globex.example')!]).toBe(3);
  });

  it('raises the integration-platform findings on the fixture', () => {
    const rules = ['BM-GOV-IDENTITY-CONTROL-PLANE', 'BM-GOV-SEGREGATION-OF-DUTIES', 'BM-GOV-SHARED-CONNECTION', 'BM-GOV-CONNECTION-CONCENTRATION'];
    const found = governanceFindings(buildGraph(fixture().fragment), { at: '2026-12-01', ruleIds: rules }).map((f) => `${f.ruleId} ${f.severity} ${f.nodeId}`).sort();
    expect(found).toEqual([
      `BM-GOV-CONNECTION-CONCENTRATION high ${PLATFORM}`,
      `BM-GOV-IDENTITY-CONTROL-PLANE critical ${LEAVER}`,
      `BM-GOV-IDENTITY-CONTROL-PLANE high ${JOINER}`,
      `BM-GOV-SEGREGATION-OF-DUTIES high ${LEAVER}`,
      `BM-GOV-SHARED-CONNECTION medium ${w('credential', 'connection/196')}`,
    ]);
  });

  it('refuses an export without a workspace, a --tenant that contradicts it and recipe code that is not JSON', () => {
    const noMe = fixtureFiles().filter((f) => !f.path.endsWith('me.json'));
    expect(!run(noMe).ok && (run(noMe) as { issues: { message: string }[] }).issues.map((i) => i.message)).toEqual(['no Workato workspace id']);
    expect(imported(noMe, { tenantFallback: 'globex-prod' }).fragment.nodes.some((n) => n.id === 'workato:globex-prod:platform:workspace')).toBe(true);
    expect(!run(fixtureFiles(), { tenant: '9999' }).ok).toBe(true);
    const broken = fixtureFiles().map((f) => (f.path.endsWith('recipes.json') ? { ...f, text: f.text.replace(/"code": "\{/, '"code": "{oops') } : f));
    const result = run(broken);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'recipes.json', path: '$.items[0].code', message: 'not JSON' });
  });

  it('files are recognised by their content whatever their names', () => {
    const renamed = fixtureFiles().map((f) => (f.path.endsWith('connection-links.json') ? f : { ...f, path: `workato-${f.text.length}.json` }));
    expect(imported(renamed).report.records).toEqual(fixture().report.records);
  });
});

describe('connector names and action names (the heuristic shared by the iPaaS importers)', () => {
  it.each([
    ['okta', 'okta'], ['azure_active_directory', 'entra'], ['microsoft-entra-id', 'entra'], ['google_workspace_admin', 'google-workspace'], ['workday', 'workday'],
    ['bamboohr', 'bamboohr'], ['service_now', 'servicenow'], ['jira', 'atlassian'], ['slack', 'slack'], ['salesforce', 'salesforce'], ['workato_webhooks', undefined],
  ])('%s -> %s', (name, platform) => expect(platformOfConnector(name)).toBe(platform));

  it.each([
    ['okta', 'create_user', 'create-identity'], ['okta', 'add_user_to_group', 'add-member'], ['okta', 'deactivate_user', 'remove-identity'],
    ['okta', 'reset_password', 'reset-credential'], ['entra', 'assignRole', 'assign-role'], ['okta', 'createUser', 'create-identity'], ['okta', 'search_users', undefined],
    ['okta', 'get_user', undefined], ['workday', 'terminate_employee', 'write-hr-record'], ['workday', 'get_worker', undefined], ['slack', 'create_user', undefined],
    ['google-workspace', 'remove_member_from_group', 'remove-member'], ['entra', 'delete_group', 'change-group'],
  ])('%s %s -> %s', (platform, name, action) => expect(actionOfName(platform, name)).toBe(action));
});

describe('input amplification: the tenant is part of every node id', () => {
  it('a workspace id longer than Workato writes is refused with file and JSON path, not copied into every node id', () => {
    const result = run(fixtureFiles().map((f) => (f.path === 'me.json' ? { ...f, text: f.text.replace('"id": 4848', `"id": "${'4'.repeat(100_000)}"`) } : f)));
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'me.json', path: '$.id', expected: 'at most 256 characters' });
  });
});
