// The n8n importer: public API answers (GET /api/v1/users, /projects, /projects/{id}/users, /credentials,
// /workflows, shaped as n8n's OpenAPI spec in packages/cli/src/public-api/v1 describes them) become the
// integration platform's control plane: workflows as Apps holding the connections their nodes use, who can edit
// them, what they do to identities, and secrets typed into node parameters.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reach } from '../../engine/analysis/reach.ts';
import { buildGraph } from '../../engine/store/compact.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { n8nImporter } from '../../importers/n8n/index.ts';
import { findImporter } from '../../importers/registry.ts';
import { edgeKeys, importerFixture, nodeOf } from '../helpers/importer-fixture.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/n8n/acme');
const INSTANCE = '8a1c4e9f2b7d3a6c5e0f1b2d4c6e8a0f9b3d5c7e1a2f4b6d8c0e2a4f6b8d0c2e';
const n = (kind: string, native: string): string => `n8n:${INSTANCE}:${kind}:${native}`;
const USERS = { alice: '6f3c2a9e-1b4d-4e8f-9a7c-2d5e8b1f4a60', bob: '0b9d4c1e-7a2f-4c3b-8e6d-5f1a9c2b7e41', carol: '3e7a1f5c-9d2b-4a6e-b8c1-7f4d2e9a5b13', dave: '9c2e6b8a-4f1d-4b7c-a3e5-1d8f6a2c9e07' };
const user = (name: keyof typeof USERS): string => n('identity', USERS[name]);
const PLATFORM = n('platform', 'instance');
const PEOPLE = n('resource', 'project/Pq7kZxWm2RtYv9Ab');
const SALES = n('resource', 'project/Sx3nLc8dQe5Hj1Fo');
const ONBOARD = n('app', 'workflow/2tUt1wbLX592XDdX');
const OFFBOARD = n('app', 'workflow/7QwErTyUiOp4AsDf');
const DEALS = n('app', 'workflow/Zx9Cv8Bn7Mm6Ll5K');
const OKTA = n('credential', 'vHxaz5UaCghVYl9C');
const ENTRA = n('credential', 'En4Tr4Gr0upWr1te');
const SLACK = n('credential', 'Sl4ckB0tN0tif1er');
const SFDC = n('credential', 'SfdcInt3grat10nU');
const BAMBOO = n('credential', 'Bh2Rr7TqLm4Ns8Kd');

const { run, imported, fixtureFiles, fixture } = importerFixture(n8nImporter, FIXTURE);
const node = nodeOf;
/** The fixture with its workflows file replaced by `workflows` (each given the fixture's instance id). */
const withWorkflows = (workflows: object[]): RawFile[] => [
  ...fixtureFiles().filter((f) => !f.path.endsWith('workflows.json')),
  { path: 'workflows.json', text: JSON.stringify({ data: workflows.map((w) => ({ meta: { instanceId: INSTANCE }, shared: [{ role: 'workflow:owner', projectId: 'Sx3nLc8dQe5Hj1Fo' }], ...w })), nextCursor: null }) },
];

describe('the n8n importer is registered', () => {
  it('answers to `blastmap import n8n` and is listed by `import --help`', async () => {
    expect(findImporter('n8n')).toBe(n8nImporter);
    const help = await runCli(['import', '--help']);
    expect(help.out + help.err).toContain('n8n');
  });
});

describe('the instance and its people', () => {
  it('reads every endpoint and names the instance by the workflows\' meta.instanceId', () => {
    const { fragment, report } = fixture();
    expect(report.records).toEqual({ users: 4, projects: 3, projectMembers: 2, credentials: 5, workflows: 3 });
    expect(node(fragment, PLATFORM)).toMatchObject({ kind: 'Platform', vendor: 'n8n', tenant: INSTANCE });
  });

  it('instance owners and admins administer the platform; a pending invitation is a disabled account', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { kind: 'CAN_ADMIN', to: PLATFORM })).toEqual([`CAN_ADMIN ${user('alice')} -> ${PLATFORM}`, `CAN_ADMIN ${user('dave')} -> ${PLATFORM}`]);
    expect(node(fragment, user('dave'))).toMatchObject({ enabled: false, properties: { pending: true, role: 'global:admin' } });
    expect(node(fragment, user('alice'))).toMatchObject({ name: 'Alice Ng', email: 'alice.ng@acme.example', subtype: 'human' });
    expect(node(fragment, user('alice')).enabled).toBeUndefined();
  });

  it('a project editor administers the project (editing a workflow uses its credentials); a viewer reads it', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { to: PEOPLE, kind: 'CAN_ADMIN' })).toEqual([`CAN_ADMIN ${user('bob')} -> ${PEOPLE}`]);
    expect(edgeKeys(fragment, { to: PEOPLE, kind: 'CAN_READ' })).toEqual([`CAN_READ ${user('carol')} -> ${PEOPLE}`]);
    expect(edgeKeys(fragment, { to: PEOPLE, kind: 'CONTAINS' })).toEqual([`CONTAINS ${PLATFORM} -> ${PEOPLE}`]);
  });
});

describe('workflows and the connections they hold', () => {
  it('each workflow is an App holding the credentials its nodes use, managed by its project and the instance', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { from: ONBOARD, kind: 'HOLDS' })).toEqual([BAMBOO, ENTRA, SLACK, OKTA].map((c) => `HOLDS ${ONBOARD} -> ${c}`));
    expect(edgeKeys(fragment, { to: ONBOARD, kind: 'MANAGES' })).toEqual([`MANAGES ${PLATFORM} -> ${ONBOARD}`, `MANAGES ${PEOPLE} -> ${ONBOARD}`]);
    expect(node(fragment, ONBOARD)).toMatchObject({ kind: 'App', vendor: 'n8n', name: 'n8n workflow "Onboard new hire"', properties: { active: true, triggers: ['n8n-nodes-base.scheduleTrigger'], tags: ['hr', 'provisioning'], ownerProject: 'Pq7kZxWm2RtYv9Ab' } });
  });

  it("a workflow's owners are its project's admins, when the project's members are exported", () => {
    expect(node(fixture().fragment, ONBOARD).ownerIds).toBeUndefined(); // People Ops has an editor and a viewer, no admin
    const files = fixtureFiles().map((f) => (f.path.endsWith('Pq7kZxWm2RtYv9Ab/users.json') ? { ...f, text: f.text.replace('"project:editor"', '"project:admin"') } : f));
    expect(node(imported(files).fragment, ONBOARD).ownerIds).toEqual([user('bob')]);
  });

  it('a credential is held by the instance and by every project it is shared with, metadata only', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { to: SLACK, kind: 'MANAGES' })).toEqual([`MANAGES ${PLATFORM} -> ${SLACK}`, `MANAGES ${PEOPLE} -> ${SLACK}`, `MANAGES ${SALES} -> ${SLACK}`]);
    expect(node(fragment, SLACK)).toMatchObject({ kind: 'Credential', type: 'oauth-grant', properties: { credentialType: 'slackOAuth2Api', targetPlatform: 'slack', targetSystem: 'messaging', usedByWorkflows: ['2tUt1wbLX592XDdX', 'Zx9Cv8Bn7Mm6Ll5K'] } });
    expect(node(fragment, OKTA)).toMatchObject({ type: 'api-key', createdAt: '2024-06-11T08:00:12.000Z', properties: { targetSystem: 'identity-provider' } });
  });

  it('says what a workflow does to identities (from the node catalogue), what it writes to HR, and its public webhooks', () => {
    const { fragment } = fixture();
    expect(node(fragment, ONBOARD).properties).toMatchObject({ identityActions: ['entra user:addGroup', 'okta user:create'] });
    expect(node(fragment, ONBOARD).properties?.hrWrites).toBeUndefined();
    expect(node(fragment, OFFBOARD).properties).toMatchObject({ identityActions: ['entra user:removeGroup', 'okta user:delete'], hrWrites: ['bamboohr employee:update'], publicWebhook: true });
    expect(node(fragment, DEALS).properties).toMatchObject({ active: false, triggers: ['n8n-nodes-base.salesforceTrigger'] });
    // Its HTTP Request node sends a header from the environment, with no n8n credential: not a call with a held credential.
    expect(node(fragment, DEALS).properties?.anyCalls).toBeUndefined();
    expect(node(fragment, DEALS).properties?.identityActions).toBeUndefined();
  });

  it('connection-links.json says what a credential signs in as; the radius of a project editor crosses into Okta and Entra', () => {
    const { fragment, report } = fixture();
    expect(edgeKeys(fragment, { from: OKTA, kind: 'AUTHENTICATES_AS' })).toEqual([`AUTHENTICATES_AS ${OKTA} -> okta:*:identity:svc-n8n@acme.example`]);
    expect(edgeKeys(fragment, { from: ENTRA, kind: 'AUTHENTICATES_AS' })).toEqual([`AUTHENTICATES_AS ${ENTRA} -> entra:*:app:n8n-people-ops`]);
    expect(report.notes.join('\n')).toContain('3 credentials not in connection-links.json');
    const graph = buildGraph(fragment);
    const from = (id: string) => reach(graph, [graph.indexOf.get(id)!]);
    const bob = from(user('bob'));
    expect(bob.level[graph.indexOf.get('okta:*:identity:svc-n8n@acme.example')!]).toBe(3);
    expect(bob.level[graph.indexOf.get(SFDC)!]).toBe(0);
    // A viewer reads the project, which takes over nothing.
    expect(from(user('carol')).level[graph.indexOf.get(OKTA)!]).toBe(0);
  });
});

describe('secrets typed into workflow nodes', () => {
  // Assembled at run time: no secret-shaped literal in the repository.
  const slackToken = ['xoxb', '1234567890', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
  const partnerKey = ['pk', 'live', 'Zq8RtY2uI9oP3aS7dF1gH5jK'].join('_');
  const workflows = [{ id: 'hc1', name: 'Legacy sync', nodes: [
    { name: 'Call partner', type: 'n8n-nodes-base.httpRequest', parameters: { method: 'POST', url: 'https://api.partner.example/v2', headerParameters: { parameters: [{ name: 'X-API-Key', value: partnerKey }, { name: 'Authorization', value: '={{ $env.TOKEN }}' }] } } },
    { name: 'Notify', type: 'n8n-nodes-base.code', parameters: { jsCode: `await fetch(url, { headers: { Authorization: 'Bearer ${slackToken}' } })` } },
  ] }];

  it('become credentials of their own (rule and fingerprint, never the value) that project readers reach', () => {
    const { fragment, report } = imported(withWorkflows(workflows));
    const typed = fragment.nodes.filter((x) => x.properties?.hardcoded === true);
    expect(typed.map((x) => x.properties?.rule).sort()).toEqual(['secret-named-field', 'slack-token']);
    expect(JSON.stringify(fragment)).not.toContain(partnerKey);
    expect(JSON.stringify(fragment)).not.toContain(slackToken);
    for (const secret of typed) {
      expect(secret.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(edgeKeys(fragment, { to: secret.id })).toEqual([`CONTAINS_CREDENTIAL ${SALES} -> ${secret.id}`, `HOLDS ${n('app', 'workflow/hc1')} -> ${secret.id}`]);
    }
    // An expression (`={{ $env.TOKEN }}`) is a reference, not a secret.
    expect(typed.some((x) => String(x.properties?.where).includes('parameters[1]'))).toBe(false);
    expect(report.notes.join('\n')).toContain('2 secrets typed into workflow node parameters');
  });
});

describe('validation', () => {
  it('a workflow without an instance id and no --tenant is refused; --tenant or the workspace folder names it', () => {
    const files = [{ path: 'workflows.json', text: JSON.stringify({ data: [{ id: 'w', name: 'x', nodes: [{ name: 'a', type: 'n8n-nodes-base.noOp' }] }] }) }];
    const refused = run(files);
    expect(!refused.ok && refused.issues.map((i) => i.message)).toEqual(['no n8n instance name']);
    expect(imported(files, { tenant: 'n8n.acme.example' }).fragment.nodes.some((x) => x.id === 'n8n:n8n.acme.example:platform:instance')).toBe(true);
    expect(imported(files, { tenantFallback: 'prod' }).fragment.nodes.some((x) => x.id === 'n8n:prod:platform:instance')).toBe(true);
  });

  it('two instances in one export, a link to an unknown credential or to a non-principal are errors with file and path', () => {
    const original = JSON.parse(fixtureFiles().find((f) => f.path.endsWith('workflows.json'))!.text) as { data: object[] };
    const two = run(withWorkflows([...original.data, { id: 'w2', name: 'x', nodes: [{ name: 'a', type: 'n8n-nodes-base.noOp' }], meta: { instanceId: 'other' } }]));
    expect(!two.ok && two.issues[0]).toMatchObject({ file: 'workflows.json', message: 'several n8n instances in one export' });
    const links = { path: 'connection-links.json', text: JSON.stringify({ nope: 'okta:Identity:x', vHxaz5UaCghVYl9C: 'okta:Resource:x' }) };
    const bad = run([...fixtureFiles().filter((f) => !f.path.endsWith('connection-links.json')), links]);
    expect(!bad.ok && bad.issues.map((i) => `${i.file} ${i.path} ${i.message}`)).toEqual([
      'connection-links.json $["nope"] no such n8n credential in the export',
      'connection-links.json $["vHxaz5UaCghVYl9C"] not a reference to an identity or app',
    ]);
  });

  it('a record missing a required field fails with its JSON path; --lenient skips it', () => {
    const files = [...fixtureFiles().filter((f) => !f.path.endsWith('credentials.json')), { path: 'credentials.json', text: JSON.stringify({ data: [{ id: 'c1', name: 'ok', type: 'oktaApi', shared: [] }, { id: 'c2', name: 'no type', shared: [] }] }) }];
    const strict = run(files);
    expect(!strict.ok && strict.issues).toEqual([expect.objectContaining({ file: 'credentials.json', path: '$.data[1].type' })]);
    expect(imported(files, { lenient: true }).report.skipped.map((i) => i.path)).toEqual(['$.data[1].type']);
  });

  it('files are recognised by their content whatever their names', () => {
    const renamed = fixtureFiles().map((f) => (f.path.endsWith('connection-links.json') || f.path.includes('projects/') ? f : { ...f, path: `dump-${f.path.replace(/\//g, '-').replace(/\.json$/, '')}.json` }));
    expect(imported(renamed).report.records).toEqual({ users: 4, projects: 3, projectMembers: 2, credentials: 5, workflows: 3 });
  });

  it('the CLI imports the fixture into a snapshot, and rank lists the workflows', async () => {
    const dir = tempDir();
    const graph = join(dir, 'g.bmap');
    const imp = await runCli(['import', 'n8n', FIXTURE, '--graph', graph]);
    expect(imp.code, imp.err).toBe(0);
    const rank = await runCli(['rank', '--graph', graph, '--format', 'json']);
    expect(rank.out).toContain('Onboard new hire');
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('an instance id longer than n8n writes is refused with file and JSON path, not copied into every node id', () => {
    const result = run(fixtureFiles().map((f) => ({ ...f, text: f.text.replaceAll(INSTANCE, 'f'.repeat(100_000)) })));
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'workflows.json', path: '$.data[0].meta.instanceId', expected: 'at most 256 characters' });
  });
});
