// The GitHub importer: a hand-made organization export becomes repositories, app installations, tokens, keys and
// Actions secrets whose blast radius is known by construction. There is no GitHub sample in the shared corpus, so
// test/fixtures/github/corvid follows the examples and schemas of GitHub's OpenAPI description
// (github/rest-api-description, descriptions/ghec): GET /orgs/{org} (organization-full), GET /orgs/{org}/repos
// (minimal-repository), GET /orgs/{org}/installations (installation-paginated), GET /user/installations/{id}/repositories,
// GET /apps/{app_slug} (integration), GET /orgs/{org}/personal-access-tokens and .../{pat_id}/repositories
// (organization-programmatic-access-grant), GET /orgs/{org}/personal-access-token-requests, GET /orgs/{org}/credential-
// authorizations (credential-authorization), GET /repos/{o}/{r}/keys (deploy-key), GET /orgs/{org}/actions/secrets and
// .../{secret_name}/repositories (organization-actions-secret), GET /repos/{o}/{r}/actions/secrets and
// .../environments/{env}/secrets (actions-secret), GET /repos/{o}/{r}/environments (environment), GET /orgs/{org}/members,
// GET /orgs/{org}/teams, .../teams/{slug}/members and .../teams/{slug}/repos (team-repository).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../cli/commands/import.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { edgeSchema, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { finishFragment, type SourcedFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { buildGraph, toFragment } from '../../engine/store/compact.ts';
import { stubNode } from '../../engine/store/link.ts';
import type { ImporterOptions, ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { scopeCatalogSchema } from '../../importers/common/scopes.ts';
import { RESOURCE_TYPES, secretCredentialType, secretTargetHint } from '../../importers/github/catalog.ts';
import { sshFingerprint } from '../../importers/github/fingerprint.ts';
import { githubImporter } from '../../importers/github/index.ts';
import { parseNodeRef, USER_RIGHTS_CONDITION } from '../../importers/github/transform.ts';
import { findImporter } from '../../importers/registry.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/github/corvid');
const AT = Date.parse('2026-11-01T00:00:00Z');

const g = (kind: string, native: string): string => `github:corvid:${kind}:${native}`;
const PLATFORM = g('platform', 'org');
const repo = (name: string): string => g('resource', `corvid/${name}`);
const identity = (login: string): string => g('identity', login);
const credential = (native: string): string => g('credential', native);
const workflows = (name: string): string => g('identity', `workflows/corvid/${name}`);
const TACKLE = 'github:github.com:app:tackle-ci';
const TACKLE_INSTALLATION = credential('installation/41829377');
const RELEASE_MANAGER_INSTALLATION = credential('installation/52000001');
const LINTBOT = 'github:github.com:app:lintbot';
const TRAVIS = g('app', 'oauth/travis-ci');
const AWS_KEY = credential('actions-secret/corvid/infra/AWS_ACCESS_KEY_ID');

const run = (files: readonly RawFile[], options: ImporterOptions = {}): ImporterResult => githubImporter.transform(files, options);
function imported(files: readonly RawFile[], options: ImporterOptions = {}) {
  const result = run(files, options);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
const fixtureFiles = (): RawFile[] => readRawFiles([FIXTURE]);
const corvid = () => imported(fixtureFiles());
const only = (...paths: string[]): RawFile[] => fixtureFiles().filter((file) => paths.includes(file.path));
const file = (path: string, body: unknown): RawFile => ({ path, text: JSON.stringify(body) });
const ORG_FILE = file('org.json', { login: 'corvid', id: 9919 });

const node = (fragment: Fragment, id: string): GraphNode => {
  const found = fragment.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
type EdgeFilter = Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>;
const edges = (fragment: Fragment, filter: EdgeFilter): GraphEdge[] =>
  fragment.edges.filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.from === undefined || e.from === filter.from) && (filter.to === undefined || e.to === filter.to));
const edgeKeys = (fragment: Fragment, filter: EdgeFilter): string[] => edges(fragment, filter).map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();

const sourced = (fragment: Fragment): SourcedFragment => {
  const finished = finishFragment(structuredClone(fragment), { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
  if (!finished.ok) throw new Error(`unfinished: ${JSON.stringify(finished.issues)}`);
  return finished.value;
};

describe('the GitHub importer is registered', () => {
  it('answers to `blastmap import github`', () => {
    expect(findImporter('github')).toBe(githubImporter);
  });
});

describe('organization and repositories', () => {
  it('the organization is a Platform that contains every repository, each tagged source code with its visibility', () => {
    const { fragment } = corvid();
    expect(node(fragment, PLATFORM)).toMatchObject({ kind: 'Platform', tenant: 'corvid', vendor: 'GitHub', properties: { login: 'corvid', defaultRepositoryPermission: 'read', twoFactorRequired: true } });
    const names = ['api', 'docs', 'infra', 'legacy-site', 'sdk-js', 'web'];
    expect(edgeKeys(fragment, { kind: 'CONTAINS', from: PLATFORM })).toEqual(names.map((n) => `CONTAINS ${PLATFORM} -> ${repo(n)}`));
    expect(node(fragment, repo('infra'))).toMatchObject({ kind: 'Resource', resourceType: 'repository', tags: ['source-code'], properties: { visibility: 'private', repoId: 1296270 } });
    expect(node(fragment, repo('docs')).properties).toMatchObject({ visibility: 'public' });
    expect(node(fragment, repo('legacy-site')).properties).toMatchObject({ archived: true });
  });

  it('without org.json the organization is the one account the repositories name, and --tenant must agree with org.json', () => {
    const { fragment } = imported(only('repos.json'));
    expect(node(fragment, PLATFORM).tenant).toBe('corvid');
    const clash = run(only('org.json'), { tenant: 'other-org' });
    expect(!clash.ok && clash.issues[0]).toMatchObject({ file: 'org.json', path: '$.login', message: '--tenant does not match the export' });
    const none = run([file('installations.json', { total_count: 0, installations: [] })]);
    expect(!none.ok && none.issues[0]).toMatchObject({ message: 'no organization', expected: 'an org.json file (GET /orgs/{org}) or --tenant <org login>' });
  });
});

describe('GitHub App installations', () => {
  it('a third-party CI app holds its installation, which writes only the repositories it was given', () => {
    const { fragment } = corvid();
    expect(node(fragment, TACKLE)).toMatchObject({ kind: 'App', tenant: 'github.com', name: 'Tackle CI', thirdParty: true, vendor: 'tackle-ci-inc', properties: { clientId: 'Iv1.8a61f9b3a7aba766', appId: 118204, appSlug: 'tackle-ci' } });
    expect(node(fragment, TACKLE_INSTALLATION)).toMatchObject({ type: 'access-token', createdAt: '2023-03-14T12:00:00.000Z', properties: { repositorySelection: 'selected', installationId: '41829377' } });
    expect(edgeKeys(fragment, { from: TACKLE })).toEqual([
      `HOLDS ${TACKLE} -> ${credential('app-user-token/161198')}`, `HOLDS ${TACKLE} -> ${TACKLE_INSTALLATION}`, `INSTALLED_IN ${TACKLE} -> ${PLATFORM}`,
    ]);
    expect(edgeKeys(fragment, { from: TACKLE_INSTALLATION })).toEqual([
      `CAN_READ ${TACKLE_INSTALLATION} -> ${repo('infra')}`, `CAN_READ ${TACKLE_INSTALLATION} -> ${repo('web')}`,
      `CAN_WRITE ${TACKLE_INSTALLATION} -> ${repo('infra')}`, `CAN_WRITE ${TACKLE_INSTALLATION} -> ${repo('web')}`,
    ]);
    const write = edges(fragment, { kind: 'CAN_WRITE', from: TACKLE_INSTALLATION, to: repo('infra') })[0]!;
    expect(write).toMatchObject({ scopes: ['contents:write'], grant: TACKLE_INSTALLATION });
    expect(edges(fragment, { kind: 'CAN_READ', from: TACKLE_INSTALLATION, to: repo('web') })[0]!.scopes).toEqual(['actions:read', 'pull_requests:write']);
  });

  it('an installation on all repositories reaches the organization, and a permission the catalogue lacks is assumed and reported', () => {
    const { fragment, report } = corvid();
    expect(node(fragment, 'github:github.com:app:corvid-release-manager')).toMatchObject({ thirdParty: false, properties: { clientId: 'Iv23liCorvidRelease01' } });
    expect(edgeKeys(fragment, { from: RELEASE_MANAGER_INSTALLATION })).toEqual([`CAN_READ ${RELEASE_MANAGER_INSTALLATION} -> ${PLATFORM}`, `CAN_WRITE ${RELEASE_MANAGER_INSTALLATION} -> ${PLATFORM}`]);
    expect(edges(fragment, { kind: 'CAN_WRITE', from: RELEASE_MANAGER_INSTALLATION })[0]).toMatchObject({ scopes: ['ledger_entries:write'], assumed: true });
    expect(edges(fragment, { kind: 'CAN_READ', from: RELEASE_MANAGER_INSTALLATION })[0]).toMatchObject({ scopes: ['contents:read', 'issues:write'] });
    expect(edges(fragment, { kind: 'CAN_READ', from: RELEASE_MANAGER_INSTALLATION })[0]!.assumed).toBeUndefined();
    expect(report.unknownScopes).toEqual([{ scope: 'ledger_entries:write', count: 1, assumedLevel: 'write' }]);
  });

  it('a suspended installation is revoked from its suspension on, so its app reaches nothing today', () => {
    const { fragment } = corvid();
    expect(node(fragment, LINTBOT)).toMatchObject({ thirdParty: true, properties: { ownerUnknown: true } });
    expect(node(fragment, credential('installation/60000002'))).toMatchObject({ revoked: true, revokedAt: '2025-01-10T00:00:00.000Z', properties: { suspendedBy: 'moyelaran' } });
    const graph = buildGraph(fragment);
    const reached = (at: number) => reach(graph, [graph.indexOf.get(LINTBOT)!], { at }).level[graph.indexOf.get(repo('api'))!];
    expect(reached(AT)).toBe(0);
    expect(reached(Date.parse('2024-06-01T00:00:00Z'))).toBe(1);
  });

  it('an installation on selected repositories without its repository list is assumed to reach every repository, flagged', () => {
    const installation = JSON.parse(readFileSync(join(FIXTURE, 'installations.json'), 'utf8')).installations[0];
    const { fragment, report } = imported([ORG_FILE, file('installations.json', { total_count: 1, installations: [installation] })]);
    const writes = edges(fragment, { kind: 'CAN_WRITE', from: TACKLE_INSTALLATION });
    expect(writes.map((e) => [e.to, e.assumed])).toEqual([[PLATFORM, true]]);
    expect(report.notes.some((n) => n.includes('installations/<id>/repositories.json'))).toBe(true);
  });
});

describe('fine-grained personal access tokens', () => {
  it('a grant on selected repositories reaches only those, with expiry, last use and grant time as instants', () => {
    const { fragment } = corvid();
    const pat = credential('fine-grained-pat/25381');
    expect(node(fragment, pat)).toMatchObject({
      type: 'pat', name: 'Fine-grained PAT "oncall-debug" of jlindqvist', createdAt: '2025-05-21T04:10:00.000Z',
      expiresAt: '2026-12-31T00:00:00.000Z', lastUsedAt: '2026-10-01T08:00:00.000Z', scopes: ['contents:read', 'metadata:read'],
    });
    expect(edgeKeys(fragment, { to: pat })).toEqual([`HOLDS ${identity('jlindqvist')} -> ${pat}`]);
    expect(edgeKeys(fragment, { from: pat })).toEqual([`CAN_READ ${pat} -> ${repo('api')}`]);
  });

  it('a grant on all repositories with members:write administers the organization and changes every team\'s members', () => {
    const { fragment } = corvid();
    const pat = credential('fine-grained-pat/25382');
    expect(edgeKeys(fragment, { from: pat })).toEqual([
      `CAN_ADD_MEMBER ${pat} -> ${g('group', 'team/platform')}`, `CAN_ADD_MEMBER ${pat} -> ${g('group', 'team/platform-oncall')}`,
      `CAN_ADMIN ${pat} -> ${PLATFORM}`, `CAN_WRITE ${pat} -> ${PLATFORM}`,
    ]);
    expect(edges(fragment, { kind: 'CAN_ADMIN', from: pat })[0]!.scopes).toEqual(['members:write']);
    expect(edges(fragment, { kind: 'CAN_WRITE', from: pat })[0]!.scopes).toEqual(['contents:write', 'workflows:write']);
    expect(node(fragment, pat).expiresAt).toBeUndefined();
  });

  it('a grant on no repositories with read-only organization permissions has no authority edge', () => {
    const { fragment } = corvid();
    const pat = credential('fine-grained-pat/25383');
    expect(node(fragment, pat)).toMatchObject({ expiresAt: '2025-02-17T08:47:09.000Z', properties: { tokenExpired: true, repositorySelection: 'none' } });
    expect(edges(fragment, { from: pat })).toEqual([]);
  });

  it('a pending request is recorded, owned by its requester, with no authority and no holder', () => {
    const { fragment } = corvid();
    const request = credential('fine-grained-pat-request/1850');
    expect(node(fragment, request)).toMatchObject({ properties: { pending: true, requestReason: 'Deploy hotfixes from my laptop' }, scopes: ['contents:write', 'metadata:read'] });
    expect(edgeKeys(fragment, { to: request })).toEqual([`OWNS ${identity('kwatanabe')} -> ${request}`]);
    expect(edges(fragment, { from: request })).toEqual([]);
  });
});

describe('SAML credential authorizations', () => {
  it('a classic token writes every repository as far as its user may, and read:org alone gives nothing', () => {
    const { fragment } = corvid();
    const pat = credential('classic-pat/161195');
    expect(node(fragment, pat)).toMatchObject({ type: 'pat', hint: '71c3fc11', lastUsedAt: '2026-10-30T09:00:00.000Z', scopes: ['repo', 'read:org', 'workflow'] });
    expect(edgeKeys(fragment, { from: pat })).toEqual([`CAN_WRITE ${pat} -> ${PLATFORM}`]);
    expect(edges(fragment, { from: pat })[0]).toMatchObject({ scopes: ['repo', 'workflow'], conditions: [USER_RIGHTS_CONDITION] });
  });

  it('public_repo reaches only the public repositories', () => {
    const { fragment } = corvid();
    const pat = credential('classic-pat/161199');
    expect(edgeKeys(fragment, { from: pat })).toEqual([`CAN_WRITE ${pat} -> ${repo('docs')}`, `CAN_WRITE ${pat} -> ${repo('sdk-js')}`]);
    expect(node(fragment, pat).expiresAt).toBe('2024-04-26T19:06:43.000Z');
  });

  it('an SSH key keeps its fingerprint and pushes wherever its user can', () => {
    const { fragment } = corvid();
    const key = credential('ssh-key/161196');
    expect(node(fragment, key)).toMatchObject({ type: 'ssh-key', fingerprint: 'SHA256:jklmnop12345678', name: 'SSH key "work laptop" of sofia-marchetti' });
    expect(edges(fragment, { from: key })).toMatchObject([{ kind: 'CAN_WRITE', to: PLATFORM, conditions: [USER_RIGHTS_CONDITION] }]);
  });

  it('an OAuth app token is held by the vendor app named in its note too (the Heroku and Travis CI shape)', () => {
    const { fragment } = corvid();
    const token = credential('oauth-token/161197');
    expect(node(fragment, TRAVIS)).toMatchObject({ kind: 'App', name: 'Travis CI', thirdParty: true });
    expect(edgeKeys(fragment, { to: token })).toEqual([`HOLDS ${TRAVIS} -> ${token}`, `HOLDS ${identity('jlindqvist')} -> ${token}`]);
    expect(edgeKeys(fragment, { kind: 'CONSENTED', to: TRAVIS })).toEqual([`CONSENTED ${identity('jlindqvist')} -> ${TRAVIS}`]);
    // A GitHub App user token names its app: the installed app's node holds it.
    expect(edgeKeys(fragment, { to: credential('app-user-token/161198') })).toContain(`HOLDS ${TACKLE} -> ${credential('app-user-token/161198')}`);
  });
});

describe('deploy keys', () => {
  it('read-only keys read, read-write keys write, disabled keys are revoked, and only the fingerprint of the key is kept', () => {
    const { fragment } = corvid();
    const raw = JSON.parse(readFileSync(join(FIXTURE, 'repos/corvid/infra/keys.json'), 'utf8'))[0].key as string;
    const expected = `SHA256:${createHash('sha256').update(Buffer.from(raw.split(' ')[1]!, 'base64')).digest('base64').replace(/=+$/, '')}`;
    expect(node(fragment, credential('deploy-key/3001'))).toMatchObject({ type: 'deploy-key', fingerprint: expected, lastUsedAt: '2026-10-30T06:45:00.000Z', properties: { readOnly: false, addedBy: 'moyelaran' } });
    expect(edgeKeys(fragment, { from: credential('deploy-key/3001') })).toEqual([`CAN_WRITE ${credential('deploy-key/3001')} -> ${repo('infra')}`]);
    expect(edgeKeys(fragment, { from: credential('deploy-key/3002') })).toEqual([`CAN_READ ${credential('deploy-key/3002')} -> ${repo('web')}`]);
    expect(node(fragment, credential('deploy-key/3003')).revoked).toBe(true);
    expect(edgeKeys(fragment, { kind: 'OWNS', to: credential('deploy-key/3001') })).toEqual([`OWNS ${identity('moyelaran')} -> ${credential('deploy-key/3001')}`]);
  });

  it('a keys file that is not under repos/<owner>/<repo>/ is not read', () => {
    const { report } = imported([ORG_FILE, file('keys.json', [])]);
    expect(report.ignoredFiles).toEqual(['keys.json']);
  });
});

describe('Actions secrets and workflows', () => {
  it('writing a repository runs its workflows, which hold the repository secrets, named by what they probably open', () => {
    const { fragment } = corvid();
    expect(edges(fragment, { kind: 'RUNS_AS', from: repo('infra'), to: workflows('infra') })).toHaveLength(1);
    expect(node(fragment, workflows('infra'))).toMatchObject({ kind: 'Identity', subtype: 'workload', name: 'GitHub Actions workflows of corvid/infra' });
    expect(node(fragment, AWS_KEY)).toMatchObject({ type: 'api-key', rotatedAt: '2025-06-01T12:00:00.000Z', properties: { secretName: 'AWS_ACCESS_KEY_ID', secretScope: 'repository', targetHint: 'aws' } });
    expect(edgeKeys(fragment, { kind: 'HOLDS', from: workflows('infra') })).toEqual([
      credential('actions-secret/corvid/NPM_TOKEN'), credential('actions-secret/corvid/SLACK_WEBHOOK_URL'), AWS_KEY, credential('actions-secret/corvid/infra/AWS_SECRET_ACCESS_KEY'),
    ].map((to) => `HOLDS ${workflows('infra')} -> ${to}`).sort());
  });

  it('organization secrets reach the workflows of the repositories their visibility names', () => {
    const { fragment } = corvid();
    const holders = (name: string) => edges(fragment, { kind: 'HOLDS', to: credential(`actions-secret/corvid/${name}`) }).map((e) => e.from).sort();
    expect(holders('SLACK_WEBHOOK_URL')).toEqual(['api', 'docs', 'infra', 'legacy-site', 'sdk-js', 'web'].map(workflows));
    expect(holders('NPM_TOKEN')).toEqual(['api', 'infra', 'legacy-site', 'web'].map(workflows));
    expect(holders('SNOWFLAKE_PASSWORD')).toEqual([workflows('api')]);
    expect(node(fragment, credential('actions-secret/corvid/SNOWFLAKE_PASSWORD'))).toMatchObject({ type: 'password', properties: { targetHint: 'snowflake', secretScope: 'organization', visibility: 'selected' } });
  });

  it('environment secrets belong to the environment\'s jobs, guarded by its protection rules', () => {
    const { fragment } = corvid();
    const production = g('identity', 'workflows/corvid/infra/environments/production');
    expect(edges(fragment, { kind: 'RUNS_AS', from: repo('infra'), to: production })[0]!.conditions).toEqual(['branch-policy', 'required-reviewers']);
    expect(edgeKeys(fragment, { from: production })).toEqual([`HOLDS ${production} -> ${credential('actions-secret/corvid/infra/environments/production/TF_API_TOKEN')}`]);
  });

  it('secret-links.json says what a secret signs in as and oidc-trusts.json what workflows assume, through stubs', () => {
    const { fragment } = corvid();
    expect(edgeKeys(fragment, { from: AWS_KEY })).toEqual([`AUTHENTICATES_AS ${AWS_KEY} -> aws:*:identity:user/ci-deployer`]);
    expect(node(fragment, 'aws:*:identity:user/ci-deployer')).toMatchObject({ kind: 'Identity', tenant: '*', properties: { stub: true, key: 'user/ci-deployer' } });
    expect(edgeKeys(fragment, { kind: 'RUNS_AS', to: 'gcp:*:identity:deployer@corvid-prod.iam.gserviceaccount.com' })).toEqual([`RUNS_AS ${repo('api')} -> gcp:*:identity:deployer@corvid-prod.iam.gserviceaccount.com`]);
    // A trust limited to the production environment starts at the repository, guarded by that environment's rules.
    expect(edges(fragment, { kind: 'RUNS_AS', to: 'aws:*:identity:role/terraform-apply' })).toMatchObject([{ from: repo('infra'), conditions: ['branch-policy', 'required-reviewers'] }]);
  });

  it('a link to a secret the export does not have fails, naming the key', () => {
    const result = run([ORG_FILE, file('secret-links.json', { 'corvid/infra:NOPE': 'aws:Identity:user/x' })]);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'secret-links.json', path: '$["corvid/infra:NOPE"]', message: 'no such Actions secret in the export' });
  });

  it('secret names hint at their platform and credential type', () => {
    expect([secretTargetHint('AWS_SECRET_ACCESS_KEY'), secretTargetHint('NPM_TOKEN'), secretTargetHint('SNOWFLAKE_ACCOUNT'), secretTargetHint('BUILD_NUMBER')]).toEqual(['aws', 'npm', 'snowflake', undefined]);
    expect([secretCredentialType('DEPLOY_SSH_KEY'), secretCredentialType('DB_PASSWORD'), secretCredentialType('GH_PAT'), secretCredentialType('SENTRY_DSN')]).toEqual(['ssh-key', 'password', 'pat', 'api-key']);
  });

  it('references name a node either as <platform>:<Kind>:<key> (keys may hold colons) or by its full id', () => {
    expect(parseNodeRef('aws:Identity:arn:aws:iam::111122223333:role/deploy')).toEqual({ platform: 'aws', kind: 'Identity', key: 'arn:aws:iam::111122223333:role/deploy' });
    expect(parseNodeRef('aws:111122223333:identity:role/deploy')).toEqual({ platform: 'aws', kind: 'Identity', key: 'role/deploy' });
    expect(parseNodeRef('just-a-name')).toBeUndefined();
  });
});

describe('members, owners and teams', () => {
  it('owners administer the organization and every team\'s members, every member has the base permission, teams reach their repositories', () => {
    const { fragment } = corvid();
    expect(edgeKeys(fragment, { kind: 'HAS_ROLE', to: g('role', 'owner') })).toEqual([`HAS_ROLE ${identity('moyelaran')} -> ${g('role', 'owner')}`]);
    expect(edgeKeys(fragment, { from: g('role', 'owner') })).toEqual([
      `CAN_ADD_MEMBER ${g('role', 'owner')} -> ${g('group', 'team/platform')}`, `CAN_ADD_MEMBER ${g('role', 'owner')} -> ${g('group', 'team/platform-oncall')}`,
      `CAN_ADMIN ${g('role', 'owner')} -> ${PLATFORM}`,
    ]);
    expect(edgeKeys(fragment, { from: g('role', 'base-permission') })).toEqual([`CAN_READ ${g('role', 'base-permission')} -> ${PLATFORM}`]);
    expect(edges(fragment, { kind: 'HAS_ROLE', to: g('role', 'base-permission') })).toHaveLength(6);
    const platformTeam = g('group', 'team/platform');
    expect(edgeKeys(fragment, { from: platformTeam })).toEqual([`CAN_ADMIN ${platformTeam} -> ${repo('infra')}`, `CAN_WRITE ${platformTeam} -> ${repo('web')}`]);
    expect(edgeKeys(fragment, { kind: 'MEMBER_OF', to: platformTeam })).toEqual([
      `MEMBER_OF ${g('group', 'team/platform-oncall')} -> ${platformTeam}`, `MEMBER_OF ${identity('jlindqvist')} -> ${platformTeam}`, `MEMBER_OF ${identity('sofia-marchetti')} -> ${platformTeam}`,
    ]);
  });
});

describe('workflow triggers: code execution from read', () => {
  const yamlFile = (path: string, text: string): RawFile => ({ path, text });
  /** The contents API's answer for a file: its text in base64, wrapped at 60 characters as GitHub does. */
  const contentsFile = (path: string, text: string): RawFile => file(`${path}.json`, {
    type: 'file', encoding: 'base64', size: text.length, name: path.split('/').pop(), path: path.replace(/^.*\/contents\//, ''),
    content: `${Buffer.from(text).toString('base64').replace(/(.{60})/g, '$1\n')}\n`, sha: '3d21ec53a331a6f037a91c368710b99387d012c1',
  });
  const WORKFLOWS = 'repos/corvid/sdk-js/contents/.github/workflows';
  const PREVIEW = [
    'name: PR preview',
    'on: pull_request_target',
    'jobs:',
    '  preview:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '        with: { ref: "${{ github.event.pull_request.head.sha }}" }',
    '      - run: npm ci && npm run build && npm publish --tag "pr-${{ github.event.number }}"',
    '        env:',
    '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
    '          GH: ${{ secrets.GITHUB_TOKEN }}',
  ].join('\n');

  it('a pull_request_target workflow gives the repository\'s workload from read, naming the secrets it uses', () => {
    const { fragment, report } = imported([...fixtureFiles(), yamlFile(`${WORKFLOWS}/preview.yml`, PREVIEW)]);
    expect(edgeKeys(fragment, { kind: 'RUNS_AS_ON_TRIGGER' })).toEqual([`RUNS_AS_ON_TRIGGER ${repo('sdk-js')} -> ${workflows('sdk-js')}`]);
    expect(edges(fragment, { kind: 'RUNS_AS_ON_TRIGGER' })[0]).toMatchObject({
      properties: { workflows: ['.github/workflows/preview.yml'], triggers: ['pull_request_target'], secretsUsed: ['NPM_TOKEN'] },
    });
    expect(edges(fragment, { kind: 'RUNS_AS_ON_TRIGGER' })[0]!.reason).toContain('which anyone can cause');
    expect(report.records.workflows).toBe(1);
    // A reader of sdk-js, and no writer, now runs code as its workflows and gets the release bot's token.
    const reader: Fragment = {
      nodes: [{ id: 'github:corvid:identity:outsider', kind: 'Identity', name: 'outsider', platform: 'github', tenant: 'corvid', subtype: 'human' }],
      edges: [{ kind: 'CAN_READ', from: 'github:corvid:identity:outsider', to: repo('sdk-js') }],
    };
    const { graph } = assembleGraph([sourced(fragment), sourced(reader)]);
    const result = reach(graph, [graph.indexOf.get('github:corvid:identity:outsider')!], { at: AT });
    expect(result.level[graph.indexOf.get(credential('actions-secret/corvid/sdk-js/RELEASE_TOKEN'))!]).toBe(3);
    const without = buildGraph(corvid().fragment);
    expect(without.indexOf.has(workflows('sdk-js'))).toBe(true);
    expect(edgeKeys(corvid().fragment, { kind: 'RUNS_AS_ON_TRIGGER' })).toEqual([]);
  });

  it('reads `on:` as a string, a list or a map, from raw YAML or the contents API\'s base64, and only reader triggers count', () => {
    const files = [
      ...fixtureFiles(),
      // A list, saved as the contents API answers: issue_comment runs with secrets on anyone's comment.
      contentsFile('repos/corvid/web/contents/.github/workflows/comment-ops.yml', 'on: [push, issue_comment]\njobs:\n  ops:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n'),
      // A map with workflow_run, its job in the production environment: that environment's workload, guarded.
      yamlFile('repos/corvid/infra/contents/.github/workflows/after-ci.yaml', 'on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  apply:\n    environment: { name: production }\n    runs-on: ubuntu-latest\n    steps:\n      - run: terraform apply\n        env: { TF: "${{ secrets[\'TF_API_TOKEN\'] }}" }\n'),
      // issues without any secret, and pull_request (no secrets for forks): no edge.
      yamlFile('repos/corvid/api/contents/.github/workflows/triage.yml', 'on:\n  issues:\n    types: [opened]\n  pull_request:\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps: [{ run: echo hi }]\n'),
      // discussion with secrets: inherit, through a reusable workflow: every secret.
      yamlFile('repos/corvid/docs/contents/.github/workflows/discuss.yml', 'on: { discussion: { types: [created] } }\njobs:\n  answer:\n    uses: corvid/.github/.github/workflows/bot.yml@main\n    secrets: inherit\n'),
    ];
    const { fragment } = imported(files);
    expect(edgeKeys(fragment, { kind: 'RUNS_AS_ON_TRIGGER' })).toEqual([
      `RUNS_AS_ON_TRIGGER ${repo('docs')} -> ${workflows('docs')}`,
      `RUNS_AS_ON_TRIGGER ${repo('infra')} -> ${workflows('infra')}`,
      `RUNS_AS_ON_TRIGGER ${repo('infra')} -> ${g('identity', 'workflows/corvid/infra/environments/production')}`,
      `RUNS_AS_ON_TRIGGER ${repo('web')} -> ${workflows('web')}`,
    ]);
    const production = edges(fragment, { kind: 'RUNS_AS_ON_TRIGGER', to: g('identity', 'workflows/corvid/infra/environments/production') })[0]!;
    expect(production.conditions).toEqual(['branch-policy', 'required-reviewers']);
    expect(production.properties).toMatchObject({ triggers: ['workflow_run'], secretsUsed: ['TF_API_TOKEN'] });
    expect(edges(fragment, { kind: 'RUNS_AS_ON_TRIGGER', to: workflows('docs') })[0]!.properties).toMatchObject({ triggers: ['discussion'], allSecrets: true });
    expect(edges(fragment, { kind: 'RUNS_AS_ON_TRIGGER', to: workflows('web') })[0]!.properties).toMatchObject({ triggers: ['issue_comment'], workflows: ['.github/workflows/comment-ops.yml'] });
    expect(edges(fragment, { kind: 'RUNS_AS_ON_TRIGGER', to: workflows('web') })[0]!.reason).toContain('whoever can read the repository');
  });

  it('hostile or malformed workflow files are input errors naming the file (and line), never a crash', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'on: *j'].join('\n');
    const cases: [RawFile, string, number | undefined][] = [
      [yamlFile(`${WORKFLOWS}/bomb.yml`, bomb), 'not valid YAML', undefined],
      [yamlFile(`${WORKFLOWS}/deep.yml`, `on: ${'['.repeat(5000)}`), 'nested more than', undefined],
      [yamlFile(`${WORKFLOWS}/broken.yml`, 'on: push\njobs:\n  a: [unclosed\n'), 'not valid YAML', 4],
      [yamlFile(`${WORKFLOWS}/no-on.yml`, 'name: nothing\njobs: {}\n'), 'no `on:` key', 1],
      [yamlFile(`${WORKFLOWS}/number.yml`, 'name: x\non: 42\n'), 'events not readable', 2],
      [yamlFile(`${WORKFLOWS}/list.yml`, '- on: push\n'), 'not a workflow', 1],
      [file(`${WORKFLOWS}/dir.yml.json`, { type: 'dir', encoding: 'base64', content: '' }), 'Invalid input', undefined],
      [file(`${WORKFLOWS}/bad64.yml.json`, { type: 'file', encoding: 'base64', content: '/w==' }), 'not base64-encoded UTF-8 text', undefined],
    ];
    for (const [bad, message, line] of cases) {
      const result = run([...fixtureFiles(), bad]);
      expect(result.ok, bad.path).toBe(false);
      if (result.ok) continue;
      expect(result.issues[0]!.file).toBe(bad.path);
      expect(result.issues[0]!.message).toContain(message);
      if (line !== undefined) expect(result.issues[0]!.line, bad.path).toBe(line);
    }
    const lenient = run([...fixtureFiles(), cases[0]![0]], { lenient: true });
    expect(lenient.ok && lenient.report.skipped.map((s) => s.file)).toEqual([`${WORKFLOWS}/bomb.yml`]);
  });
});

describe('team membership control (CAN_ADD_MEMBER)', () => {
  it('team maintainers, owners and grants with members:write can change a team\'s members', () => {
    const maintainers = file('teams/platform-oncall/maintainers.json', [{ login: 'jlindqvist', id: 1003, type: 'User' }]);
    const { fragment } = imported([...fixtureFiles(), maintainers]);
    const oncall = g('group', 'team/platform-oncall');
    expect(edgeKeys(fragment, { kind: 'CAN_ADD_MEMBER', to: oncall })).toEqual([
      `CAN_ADD_MEMBER ${credential('fine-grained-pat/25382')} -> ${oncall}`,
      `CAN_ADD_MEMBER ${identity('jlindqvist')} -> ${oncall}`,
      `CAN_ADD_MEMBER ${g('role', 'owner')} -> ${oncall}`,
    ]);
    // An installation with members:write reaches every team too.
    const installation = file('installations.json', { total_count: 1, installations: [{ id: 7, app_slug: 'people-sync', account: { login: 'corvid' }, repository_selection: 'all', permissions: { members: 'write', metadata: 'read' } }] });
    const withApp = imported([...fixtureFiles().filter((f) => f.path !== 'installations.json' && !f.path.startsWith('installations/')), installation]).fragment;
    expect(edgeKeys(withApp, { kind: 'CAN_ADD_MEMBER', from: credential('installation/7') })).toEqual([
      `CAN_ADD_MEMBER ${credential('installation/7')} -> ${g('group', 'team/platform')}`, `CAN_ADD_MEMBER ${credential('installation/7')} -> ${oncall}`,
    ]);
    // Adding yourself to the platform team gives its admin on corvid/infra.
    const { graph } = assembleGraph([sourced(fragment)]);
    const fromMaintainer = reach(graph, [graph.indexOf.get(identity('jlindqvist'))!], { at: AT });
    expect(fromMaintainer.level[graph.indexOf.get(oncall)!]).toBe(3);
  });
});

describe('classic tokens act as their user when the export has the users\' repository rights', () => {
  const FIXTURE_REPOS = ['api', 'infra', 'web', 'docs', 'sdk-js', 'legacy-site'];
  const collaborator = (login: string, role: string) => ({ login, id: 2000, type: 'User', site_admin: false, role_name: role, permissions: { pull: true, triage: role !== 'read', push: ['write', 'maintain', 'admin'].includes(role), maintain: ['maintain', 'admin'].includes(role), admin: role === 'admin' } });
  const withRights = (): RawFile[] => [
    ...fixtureFiles(),
    ...FIXTURE_REPOS.map((name) => file(`repos/corvid/${name}/collaborators.json`, name === 'docs' ? [collaborator('dalvarez', 'write'), collaborator('ext-writer', 'triage')] : [])),
    file('teams/platform-oncall/repos.json', []),
  ];

  it('without every repository\'s collaborators the every-repository approximation stays, and the report says why', () => {
    const { report } = corvid();
    expect(report.notes.some((n) => n.includes('approximated as reaching every repository'))).toBe(true);
    const partial = imported([...fixtureFiles(), file('repos/corvid/docs/collaborators.json', [])]).fragment;
    expect(edgeKeys(partial, { from: credential('classic-pat/161195') })).toEqual([`CAN_WRITE ${credential('classic-pat/161195')} -> ${PLATFORM}`]);
  });

  it('a classic token, an OAuth token and an SSH key authenticate as their user with their scopes, and direct collaborators get their own edges', () => {
    const { fragment, report } = imported(withRights());
    const pat = credential('classic-pat/161195');
    expect(edgeKeys(fragment, { from: pat })).toEqual([`AUTHENTICATES_AS ${pat} -> ${identity('moyelaran')}`]);
    expect(edges(fragment, { from: pat })[0]).toMatchObject({ scopes: ['read:org', 'repo', 'workflow'] });
    expect(edges(fragment, { from: pat })[0]!.conditions).toBeUndefined();
    expect(edges(fragment, { from: credential('ssh-key/161196') })).toMatchObject([{ kind: 'AUTHENTICATES_AS', to: identity('sofia-marchetti'), scopes: ['repo'] }]);
    expect(edges(fragment, { from: credential('oauth-token/161197') })).toMatchObject([{ kind: 'AUTHENTICATES_AS', to: identity('jlindqvist'), scopes: ['read:org', 'repo', 'user:email'] }]);
    // A GitHub App user token (no scopes) still gets nothing: the app's permissions bound it, not the user's.
    expect(edges(fragment, { from: credential('app-user-token/161198') })).toEqual([]);
    expect(edgeKeys(fragment, { to: repo('docs'), kind: 'CAN_WRITE' })).toContain(`CAN_WRITE ${identity('dalvarez')} -> ${repo('docs')}`);
    expect(edges(fragment, { from: identity('ext-writer') })).toMatchObject([{ kind: 'CAN_READ', to: repo('docs'), scopes: ['triage'] }]);
    expect(report.notes.some((n) => n.includes('outside collaborators'))).toBe(true);
    expect(report.notes.some((n) => n.includes('approximated as reaching every repository'))).toBe(false);
  });

  it('with the user\'s rights the token reaches no more than its user (before the graph builder narrows it to the scopes)', () => {
    // dalvarez: base read on every repository, write on docs as a collaborator; his public_repo token reaches
    // sdk-js only at read now, where the approximation said write.
    const { graph } = assembleGraph([sourced(imported(withRights()).fragment)]);
    // The token expired in April 2024: analysed while it was valid.
    const result = reach(graph, [graph.indexOf.get(credential('classic-pat/161199'))!], { at: Date.parse('2024-03-01T00:00:00Z') });
    const level = (id: string) => result.level[graph.indexOf.get(id)!];
    expect([level(repo('docs')), level(repo('sdk-js'))]).toEqual([2, 1]);
  });
});

describe('cross-platform stubs', () => {
  it('an Entra or AWS OIDC trust on a repository stub, and a secret link to an AWS user, resolve to the imported nodes', () => {
    const { fragment } = corvid();
    // What the Entra importer writes for a federated credential with subject repo:Corvid/Infra:ref:refs/heads/main.
    const cloud: Fragment = {
      nodes: [
        stubNode('github', 'Resource', 'Corvid/Infra', 'Corvid/Infra', 'entra'),
        { id: 'entra:t1:identity:sp-1', kind: 'Identity', name: 'deployer', platform: 'entra', tenant: 't1', subtype: 'service' },
        { id: 'aws:111122223333:identity:user/ci-deployer', kind: 'Identity', name: 'ci-deployer', platform: 'aws', tenant: '111122223333', subtype: 'service' },
        { id: 'aws:111122223333:identity:role/terraform-apply', kind: 'Identity', name: 'terraform-apply', platform: 'aws', tenant: '111122223333', subtype: 'workload' },
      ],
      edges: [{ kind: 'RUNS_AS', from: 'github:*:resource:corvid/infra', to: 'entra:t1:identity:sp-1' }],
    };
    const { graph, report } = assembleGraph([sourced(cloud), sourced(fragment)]);
    const linked = toFragment(graph);
    expect(edgeKeys(linked, { kind: 'RUNS_AS', to: 'entra:t1:identity:sp-1' })).toEqual([`RUNS_AS ${repo('infra')} -> entra:t1:identity:sp-1`]);
    expect(edgeKeys(linked, { from: AWS_KEY })).toEqual([`AUTHENTICATES_AS ${AWS_KEY} -> aws:111122223333:identity:user/ci-deployer`]);
    expect(edgeKeys(linked, { kind: 'RUNS_AS', to: 'aws:111122223333:identity:role/terraform-apply' })).toEqual([`RUNS_AS ${repo('infra')} -> aws:111122223333:identity:role/terraform-apply`]);
    expect(report.links.unresolved.map((u) => u.id)).toEqual(['gcp:*:identity:deployer@corvid-prod.iam.gserviceaccount.com']);
    // The token of the release bot linked as github:Identity:corvid-release-bot resolves inside the same import.
    expect(edgeKeys(linked, { from: credential('actions-secret/corvid/sdk-js/RELEASE_TOKEN') })).toEqual([`AUTHENTICATES_AS ${credential('actions-secret/corvid/sdk-js/RELEASE_TOKEN')} -> ${identity('corvid-release-bot')}`]);
  });
});

describe('validation', () => {
  it('a record without a required field fails with its file and JSON path, and --lenient skips it and imports the rest', () => {
    const bad = file('installations.json', { total_count: 2, installations: [{ id: 1, app_slug: 'ok-app', repository_selection: 'all', permissions: { contents: 'read' } }, { id: 2, repository_selection: 'all', permissions: {} }] });
    const strict = run([ORG_FILE, bad]);
    expect(strict.ok).toBe(false);
    if (strict.ok) return;
    expect(strict.issues).toHaveLength(1);
    expect(strict.issues[0]).toMatchObject({ file: 'installations.json', path: '$.installations[1].app_slug' });
    const lenient = imported([ORG_FILE, bad], { lenient: true });
    expect(lenient.report.skipped).toMatchObject([{ file: 'installations.json', path: '$.installations[1].app_slug' }]);
    expect(lenient.fragment.nodes.map((n) => n.id)).toContain(credential('installation/1'));
    expect(lenient.fragment.nodes.map((n) => n.id)).not.toContain(credential('installation/2'));
  });

  it('a deploy key without read_only and a grant without its owner are errors at their paths', () => {
    const result = run([ORG_FILE, file('repos/corvid/web/keys.json', [{ id: 7, title: 'x' }]), file('personal-access-tokens.json', [{ id: 5, repository_selection: 'all', permissions: {} }])]);
    expect(!result.ok && result.issues.map((i) => `${i.file} ${i.path}`).sort()).toEqual(['personal-access-tokens.json $[0].owner', 'repos/corvid/web/keys.json $[0].read_only']);
  });

  it('a repository list of an installation or grant that is not in the export fails, naming the file', () => {
    const result = run([ORG_FILE, file('installations/99/repositories.json', { total_count: 0, repositories: [] })]);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'installations/99/repositories.json', path: '$', expected: 'installation 99 in installations.json' });
    const lenient = imported([ORG_FILE, file('personal-access-tokens/5/repositories.json', [])], { lenient: true });
    expect(lenient.report.skipped[0]).toMatchObject({ file: 'personal-access-tokens/5/repositories.json' });
  });

  it('every node and edge is valid native format and the fragment assembles', () => {
    const { fragment } = corvid();
    const nodes = nodeSchema();
    const edgeShape = edgeSchema();
    for (const n of fragment.nodes) expect(nodes.safeParse(n).success, n.id).toBe(true);
    for (const e of fragment.edges) expect(edgeShape.safeParse(e).success, `${e.kind} ${e.from} ${e.to}`).toBe(true);
    expect(() => assembleGraph([sourced(fragment)])).not.toThrow();
  });
});

describe('idempotence and secrets', () => {
  it('importing the same export twice gives the same graph, whatever order the files come in', () => {
    const first = corvid().fragment;
    expect(imported([...fixtureFiles()].reverse()).fragment).toEqual(first);
    const once = assembleGraph([sourced(first)]).graph;
    const twice = assembleGraph([sourced(first)], once).graph;
    expect(toFragment(twice)).toEqual(toFragment(once));
  });

  it('token values, app secrets and key bodies never reach the fragment nor the snapshot', async () => {
    const raw = fixtureFiles().map((f) => f.text).join('\n');
    for (const marker of ['"token": "ghs_EXAMPLE', '"client_secret": "EXAMPLE', '"pem": "-----BEGIN RSA PRIVATE KEY', '"key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE']) expect(raw).toContain(marker);
    const text = JSON.stringify(corvid().fragment);
    for (const leaked of ['EXAMPLE', 'ghs_', 'PRIVATE KEY', 'ssh-ed25519', 'AAAAC3NzaC1lZDI1NTE5']) expect(text).not.toContain(leaked);
    const snapshot = join(tempDir(), 'graph.bmap');
    const result = await runCli(['import', 'github', FIXTURE, '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).not.toContain('redacted');
    const bytes = readFileSync(snapshot).toString('latin1');
    for (const leaked of ['EXAMPLE', 'ghs_', 'ssh-ed25519']) expect(bytes).not.toContain(leaked);
  });
});

describe('catalogues and fingerprints', () => {
  it('permissions.json and the classic-token scope catalogue validate and name only resource types the importer maps', () => {
    for (const name of ['importers/github/permissions.json', 'engine/schema/scopes/github.json']) {
      const catalog = scopeCatalogSchema.parse(JSON.parse(readFileSync(join(REPO, name), 'utf8')));
      const named = Object.values(catalog.scopes).flatMap((entry) => entry.resources);
      expect(named.filter((type) => !(RESOURCE_TYPES as readonly string[]).includes(type)), name).toEqual([]);
    }
    const permissions = scopeCatalogSchema.parse(JSON.parse(readFileSync(join(REPO, 'importers/github/permissions.json'), 'utf8')));
    expect(permissions.scopes['contents:write']).toMatchObject({ level: 'write', resources: ['repository'] });
    expect(permissions.scopes['metadata:read']!.resources).toEqual([]);
    expect(permissions.scopes['administration:write']).toMatchObject({ level: 'admin', resources: ['repository'] });
  });

  it('SSH fingerprints match what OpenSSH computes', () => {
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl someone@example';
    expect(sshFingerprint(key)).toBe(`SHA256:${createHash('sha256').update(Buffer.from(key.split(' ')[1]!, 'base64')).digest('base64').replace(/=+$/, '')}`);
    expect(sshFingerprint('not a key')).toBeUndefined();
  });
});

describe('blastmap import github, end to end', () => {
  type Step = { kind: string; scopes?: string[]; from: { id: string }; to: { id: string } };
  type Radius = { reached: { id: string; level: string; path: Step[] }[] };
  const radius = async (snapshot: string, source: string, extra: string[] = []): Promise<Radius> => {
    const result = await runCli(['radius', source, '--graph', snapshot, '--format', 'json', '--paths', '--at', '2026-11-01', ...extra]);
    expect(result.code, result.err).toBe(0);
    return JSON.parse(result.out) as Radius;
  };

  it('a third-party CI app with contents:write reaches a repository, its workflows and the AWS key they hold', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    const result = await runCli(['import', 'github', FIXTURE, '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('ledger_entries:write (1x) -> write');
    const fromTackle = await radius(snapshot, TACKLE);
    const level = (id: string) => fromTackle.reached.find((r) => r.id === id)?.level;
    expect([level(repo('infra')), level(repo('web')), level(repo('api'))]).toEqual(['write', 'write', undefined]);
    expect(level(workflows('infra'))).toBe('admin');
    const key = fromTackle.reached.find((r) => r.id === AWS_KEY)!;
    expect(key.path.map((step) => step.kind)).toEqual(['HOLDS', 'CAN_WRITE', 'RUNS_AS', 'HOLDS']);
    expect(key.path[1]!.scopes).toEqual(['contents:write']);
    expect(level('aws:*:identity:user/ci-deployer')).toBe('admin');
    // The Snowflake password is visible only to corvid/api, which Tackle CI cannot write.
    expect(level(credential('actions-secret/corvid/SNOWFLAKE_PASSWORD'))).toBeUndefined();
  });

  it('the vendor holding a user\'s OAuth token reaches every repository and its secrets, unless user rights are enforced', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    expect((await runCli(['import', 'github', FIXTURE, '--graph', snapshot])).code).toBe(0);
    const fromTravis = await radius(snapshot, TRAVIS);
    // Write on every repository runs the sdk-js release workflow, whose RELEASE_TOKEN is the release bot's
    // fine-grained token with members:write: the organization falls, at admin.
    const api = fromTravis.reached.find((r) => r.id === repo('api'))!;
    expect(api.level).toBe('admin');
    expect(api.path.map((step) => step.to.id)).toContain(credential('actions-secret/corvid/sdk-js/RELEASE_TOKEN'));
    expect(fromTravis.reached.some((r) => r.id === credential('actions-secret/corvid/SNOWFLAKE_PASSWORD'))).toBe(true);
    const enforced = await radius(snapshot, TRAVIS, ['--enforce', USER_RIGHTS_CONDITION]);
    expect(enforced.reached.some((r) => r.id === repo('api'))).toBe(false);
  });

  it('an export with no organization exits with the invalid-input status and says what is missing', async () => {
    const dir = tempDir();
    const result = await runCli(['import', 'github', join(FIXTURE, 'credential-authorizations.json'), '--graph', join(dir, 'g.bmap')]);
    expect(result.code).toBe(3);
    expect(result.err).toContain('an org.json file (GET /orgs/{org}) or --tenant');
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('a repository full_name longer than GitHub allows is refused with file and JSON path, not copied into the id of each of its secrets, keys and environments', () => {
    const long = `corvid/${'i'.repeat(100_000)}`;
    const files = readRawFiles([FIXTURE]).map((f) => ({ path: f.path.replaceAll('corvid/infra', long), text: f.text.replaceAll('corvid/infra', long) }));
    const result = githubImporter.transform(files, {});
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'repos.json', path: '$[1].full_name', expected: 'at most 256 characters' });
  });

  it('an organization login longer than any GitHub login is refused with file and JSON path, not copied into every node id', () => {
    // A fuzz case: org.json's login replaced by 300,000 characters made 13 MB of node ids out of this 46-node fixture.
    const files = readRawFiles([FIXTURE]).map((f) => (f.path === 'org.json' ? { ...f, text: JSON.stringify({ ...JSON.parse(f.text), login: 'a'.repeat(100_000) }) } : f));
    const result = githubImporter.transform(files, {});
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'org.json', path: '$.login', expected: 'at most 256 characters' });
    expect(githubImporter.transform(readRawFiles([FIXTURE]).map((f) => (f.path === 'org.json' ? { ...f, text: JSON.stringify({ ...JSON.parse(f.text), login: 'x'.repeat(39) }) } : f)), {}).ok).toBe(true);
  });
});
