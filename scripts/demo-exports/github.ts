// Corvid Labs' GitHub organization `corvid` as the GitHub REST API returns it (docs/importers/github.md):
// repositories and their direct collaborators, the Tackle CI installation, tokens authorised for SAML SSO,
// fine-grained PATs, deploy keys, Actions secrets (names only) and what they open, the sdk-js workflows, members,
// owners, teams and their maintainers.
import { createHash } from 'node:crypto';
import { PEOPLE } from './people.ts';
import type { Files } from './write.ts';

const ORG = 'corvid';
const ORG_ID = 48_213_907;
const API = 'https://api.github.com';

interface Repo { name: string; visibility: 'private' | 'public' | 'internal'; description: string; created: string }
const REPOS: Repo[] = [
  { name: 'api', visibility: 'private', description: 'Corvid Sync API (core product backend)', created: '2019-03-04T10:00:00Z' },
  { name: 'web', visibility: 'private', description: 'Customer web app', created: '2019-03-05T10:00:00Z' },
  { name: 'infra', visibility: 'private', description: 'Terraform for corvid-prod and corvid-staging', created: '2019-06-10T10:00:00Z' },
  { name: 'data-pipelines', visibility: 'private', description: 'dbt models and Snowflake loaders', created: '2021-02-01T10:00:00Z' },
  { name: 'mobile-app', visibility: 'private', description: 'iOS and Android app', created: '2021-09-14T10:00:00Z' },
  { name: 'helm-charts', visibility: 'private', description: 'Helm charts deployed by Argo CD', created: '2022-01-20T10:00:00Z' },
  { name: 'terraform-modules', visibility: 'private', description: 'Shared Terraform modules', created: '2022-01-21T10:00:00Z' },
  { name: 'support-tools', visibility: 'private', description: 'Scripts the support team runs against customer tenants', created: '2022-08-02T10:00:00Z' },
  { name: 'sdk-python', visibility: 'public', description: 'Python SDK', created: '2020-05-11T10:00:00Z' },
  { name: 'sdk-js', visibility: 'public', description: 'JavaScript SDK', created: '2020-05-12T10:00:00Z' },
  { name: 'docs', visibility: 'public', description: 'docs.corvidlabs.com', created: '2020-05-13T10:00:00Z' },
  { name: '.github', visibility: 'public', description: 'Organization profile and shared workflows', created: '2019-03-04T11:00:00Z' },
];

/** Teams and what each may do on which repository (GitHub's role names). */
const TEAMS: { slug: string; name: string; repos: Record<string, 'pull' | 'triage' | 'push' | 'maintain' | 'admin'> }[] = [
  { slug: 'platform', name: 'Platform', repos: { infra: 'admin', 'helm-charts': 'admin', 'terraform-modules': 'admin', '.github': 'admin', api: 'push' } },
  { slug: 'backend', name: 'Backend', repos: { api: 'maintain', 'sdk-python': 'push', 'support-tools': 'push', infra: 'triage' } },
  { slug: 'frontend', name: 'Frontend', repos: { web: 'maintain', 'sdk-js': 'push', docs: 'push' } },
  { slug: 'mobile', name: 'Mobile', repos: { 'mobile-app': 'maintain', api: 'pull' } },
  { slug: 'data', name: 'Data', repos: { 'data-pipelines': 'maintain', infra: 'pull' } },
  { slug: 'security', name: 'Security', repos: Object.fromEntries(REPOS.filter((r) => r.visibility === 'private').map((r) => [r.name, 'pull' as const])) },
  { slug: 'product', name: 'Product', repos: { docs: 'push', web: 'pull' } },
  { slug: 'release', name: 'Release automation', repos: { 'sdk-js': 'push', 'sdk-python': 'push', docs: 'push' } },
];

/** Team maintainers (GET /orgs/{org}/teams/{team}/members?role=maintainer): they add anyone to their team. */
const MAINTAINERS: Record<string, string[]> = { platform: ['sofia-marchetti'], backend: ['gnovak'], frontend: ['gnovak'], data: ['weizhang-data'] };

const BOT = 'corvid-release-bot';
const userIds = new Map<string, number>([...PEOPLE.filter((p) => p.github).map((p, i) => [p.github!, 1_204_100 + i * 13] as const), [BOT, 1_309_552]]);
const user = (login: string) => ({
  login, id: userIds.get(login)!, node_id: `MDQ6VXNlcj${userIds.get(login)!}`, avatar_url: `https://avatars.githubusercontent.com/u/${userIds.get(login)!}?v=4`,
  gravatar_id: '', url: `${API}/users/${login}`, html_url: `https://github.com/${login}`, type: 'User', site_admin: false,
});
const orgAccount = { login: ORG, id: ORG_ID, node_id: 'MDEyOk9yZ2FuaXphdGlvbjQ4MjEzOTA3', url: `${API}/orgs/${ORG}`, avatar_url: `https://avatars.githubusercontent.com/u/${ORG_ID}?v=4`, type: 'Organization', site_admin: false };

function repository(r: Repo, i: number) {
  return {
    id: 301_100_000 + i * 17, node_id: `R_kgDOcvd${i}`, name: r.name, full_name: `${ORG}/${r.name}`, private: r.visibility !== 'public', owner: orgAccount,
    html_url: `https://github.com/${ORG}/${r.name}`, description: r.description, fork: false, url: `${API}/repos/${ORG}/${r.name}`,
    created_at: r.created, updated_at: '2026-11-20T10:00:00Z', pushed_at: '2026-11-21T17:00:00Z', archived: false, disabled: false,
    visibility: r.visibility, default_branch: 'main',
  };
}

/** A public key in OpenSSH form, made up from a label: the importer fingerprints it, nothing can sign with it. */
function publicKey(label: string): string {
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.concat([Buffer.from([0, 0, 0, type.length]), type, Buffer.from([0, 0, 0, 32]), createHash('sha256').update(`corvid-demo-${label}`).digest()]);
  return `ssh-ed25519 ${blob.toString('base64')}`;
}

const secrets = (list: { name: string; created: string; updated: string; visibility?: string }[]) => [{
  total_count: list.length,
  secrets: list.map((s) => ({ name: s.name, created_at: s.created, updated_at: s.updated, ...(s.visibility ? { visibility: s.visibility } : {}) })),
}];

export const TACKLE_INSTALLATION = 41_829_377;

/** GET /repos/{owner}/{repo}/contents/{path} for a file: its text in base64, in lines of 60 as GitHub sends it. */
function contentsFile(repo: string, path: string, lines: string[]) {
  const text = lines.join('\n');
  const sha = createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');
  const url = `${API}/repos/${ORG}/${repo}/contents/${path}?ref=main`;
  return {
    name: path.split('/').pop(), path, sha, size: Buffer.byteLength(text), url,
    html_url: `https://github.com/${ORG}/${repo}/blob/main/${path}`, git_url: `${API}/repos/${ORG}/${repo}/git/blobs/${sha}`,
    download_url: `https://raw.githubusercontent.com/${ORG}/${repo}/main/${path}`, type: 'file',
    content: `${Buffer.from(text).toString('base64').replace(/(.{60})/g, '$1\n')}\n`, encoding: 'base64',
    _links: { self: url, git: `${API}/repos/${ORG}/${repo}/git/blobs/${sha}`, html: `https://github.com/${ORG}/${repo}/blob/main/${path}` },
  };
}

export function githubExport(files: Files): void {
  files['org.json'] = {
    ...orgAccount, name: 'Corvid Labs', company: null, blog: 'https://corvidlabs.com', description: 'Corvid Labs', public_repos: 4, total_private_repos: 8,
    plan: { name: 'enterprise', space: 976_562_499, private_repos: 999_999, filled_seats: 19, seats: 25 },
    default_repository_permission: 'none', members_can_create_repositories: false, two_factor_requirement_enabled: true,
    created_at: '2019-03-01T10:00:00Z', updated_at: '2026-09-01T10:00:00Z',
  };
  files['repos.json'] = REPOS.map(repository);
  // Direct collaborators (affiliation=direct): Corvid grants access through teams only, so every list is empty;
  // having them all tells the importer that teams, owners and the base permission are everyone's access.
  for (const r of REPOS) files[`repos/${ORG}/${r.name}/collaborators.json`] = [];
  const members = [...userIds.keys()].sort();
  files['members.json'] = members.map(user);
  files['owners.json'] = ['moyelaran', 'sofia-marchetti'].map(user);
  files['teams.json'] = TEAMS.map((t, i) => ({
    id: 7_001_200 + i, node_id: `T_kwDOcvd${i}`, url: `${API}/teams/${7_001_200 + i}`, html_url: `https://github.com/orgs/${ORG}/teams/${t.slug}`,
    name: t.name, slug: t.slug, description: t.name, privacy: 'closed', notification_setting: 'notifications_enabled', permission: 'pull', parent: null,
  }));
  for (const team of TEAMS) {
    const logins = team.slug === 'release' ? [BOT] : PEOPLE.filter((p) => p.teams?.includes(team.slug)).map((p) => p.github!);
    files[`teams/${team.slug}/members.json`] = logins.sort().map(user);
    files[`teams/${team.slug}/maintainers.json`] = (MAINTAINERS[team.slug] ?? []).map(user);
    files[`teams/${team.slug}/repos.json`] = Object.entries(team.repos).map(([name, role]) => {
      const r = REPOS.find((x) => x.name === name)!;
      const rank = ['pull', 'triage', 'push', 'maintain', 'admin'].indexOf(role);
      return { ...repository(r, REPOS.indexOf(r)), role_name: role === 'pull' ? 'read' : role === 'push' ? 'write' : role, permissions: { pull: true, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4 } };
    });
  }

  // Tackle CI, the hosted CI vendor, installed on four repositories with contents:write.
  files['installations.json'] = [{
    total_count: 1,
    installations: [{
      id: TACKLE_INSTALLATION, account: orgAccount, access_tokens_url: `${API}/app/installations/${TACKLE_INSTALLATION}/access_tokens`,
      repositories_url: `${API}/installation/repositories`, html_url: `https://github.com/organizations/${ORG}/settings/installations/${TACKLE_INSTALLATION}`,
      app_id: 118_204, app_slug: 'tackle-ci', target_id: ORG_ID, target_type: 'Organization',
      permissions: { actions: 'read', checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write', statuses: 'write' },
      events: ['check_run', 'pull_request', 'push'], created_at: '2023-03-14T12:00:00Z', updated_at: '2026-06-01T08:00:00Z',
      single_file_name: null, has_multiple_single_files: false, single_file_paths: [], repository_selection: 'selected', suspended_at: null, suspended_by: null,
    }],
  }];
  files[`installations/${TACKLE_INSTALLATION}/repositories.json`] = [{
    total_count: 4, repository_selection: 'selected',
    repositories: ['web', 'infra', 'helm-charts', 'sdk-js'].map((name) => repository(REPOS.find((r) => r.name === name)!, REPOS.findIndex((r) => r.name === name))),
  }];
  files['apps/tackle-ci.json'] = {
    id: 118_204, slug: 'tackle-ci', node_id: 'MDExOkludGVncmF0aW9uMTE4MjA0', client_id: 'Iv1.8a61f9b3a7aba766',
    owner: { login: 'tackle-ci', id: 7_700_311, node_id: 'MDEyOk9yZ2FuaXphdGlvbjc3MDAzMTE=', url: `${API}/users/tackle-ci`, html_url: 'https://github.com/tackle-ci', type: 'Organization', site_admin: false },
    name: 'Tackle CI', description: 'Hosted continuous integration', external_url: 'https://tackle-ci.example', html_url: 'https://github.com/apps/tackle-ci',
    created_at: '2020-07-01T10:00:00Z', updated_at: '2026-01-01T10:00:00Z',
    permissions: { actions: 'read', checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write', statuses: 'write' },
    events: ['check_run', 'pull_request', 'push'], installations_count: 5_120,
  };

  // Jonas's fine-grained token for an on-call debugging session: it expired on 12 June 2025, a day after he
  // pasted it in #eng-oncall (see the Slack export's secret findings).
  files['personal-access-tokens.json'] = [{
    id: 25_381, owner: user('jlindqvist'), repository_selection: 'subset', repositories_url: `${API}/organizations/${ORG_ID}/personal-access-tokens/25381/repositories`,
    permissions: { organization: {}, repository: { contents: 'read', metadata: 'read' } },
    access_granted_at: '2025-05-20T21:10:00Z', token_id: 98_716, token_name: 'oncall-debug', token_expired: true, token_expires_at: '2025-06-12T21:10:00Z', token_last_used_at: '2025-06-11T23:40:00Z',
  }];
  files['personal-access-tokens/25381/repositories.json'] = ['api', 'infra', 'support-tools'].map((name) => repository(REPOS.find((r) => r.name === name)!, REPOS.findIndex((r) => r.name === name)));
  files['personal-access-token-requests.json'] = [];
  // Credentials authorised for SAML SSO: the release bot's classic token (public repositories and packages, no
  // expiry), the CTO's laptop token, and an SSH key.
  files['credential-authorizations.json'] = [
    { login: BOT, credential_id: 161_190, credential_type: 'personal access token', token_last_eight: '5e0c91ab', credential_authorized_at: '2023-07-10T08:00:00Z', credential_accessed_at: '2026-11-18T15:20:00Z', authorized_credential_id: 11_223_344, authorized_credential_note: 'release-publish', authorized_credential_title: null, authorized_credential_expires_at: null, scopes: ['public_repo', 'write:packages'] },
    { login: 'moyelaran', credential_id: 161_195, credential_type: 'personal access token', token_last_eight: '71c3fc11', credential_authorized_at: '2024-01-26T19:06:43Z', credential_accessed_at: '2026-11-21T09:00:00Z', authorized_credential_id: 12_345_678, authorized_credential_note: 'laptop cli', authorized_credential_title: null, authorized_credential_expires_at: '2027-01-26T19:06:43Z', scopes: ['repo', 'read:org', 'workflow'] },
    { login: 'sofia-marchetti', credential_id: 161_196, credential_type: 'SSH Key', credential_authorized_at: '2024-02-01T10:00:00Z', credential_accessed_at: '2026-11-21T18:00:00Z', authorized_credential_id: 22_345_678, authorized_credential_title: 'work laptop', authorized_credential_note: null, fingerprint: 'SHA256:r3V0sZk1nYc9QeXAMPLEs0f1aM4rch3tt1pUbK3y', scopes: [] },
  ];

  files['repos/corvid/helm-charts/keys.json'] = [{
    id: 88_120_441, key: `${publicKey('argocd-prod')} argocd-prod`, url: `${API}/repos/${ORG}/helm-charts/keys/88120441`, title: 'argocd-prod', verified: true,
    created_at: '2022-03-02T10:00:00Z', read_only: true, added_by: 'dalvarez', last_used: '2026-11-22T06:45:00Z', enabled: true,
  }];

  // Actions secrets: their names only (GitHub never returns values), and what the non-obvious ones open.
  files['actions/secrets.json'] = secrets([{ name: 'SLACK_DEPLOY_WEBHOOK_URL', created: '2022-04-01T10:00:00Z', updated: '2024-04-01T10:00:00Z', visibility: 'private' }]);
  files['repos/corvid/sdk-js/actions/secrets.json'] = secrets([{ name: 'RELEASE_TOKEN', created: '2023-07-10T08:05:00Z', updated: '2023-07-10T08:05:00Z' }, { name: 'NPM_TOKEN', created: '2021-03-01T10:00:00Z', updated: '2025-03-01T10:00:00Z' }]);
  files['repos/corvid/sdk-python/actions/secrets.json'] = secrets([{ name: 'RELEASE_TOKEN', created: '2023-07-10T08:06:00Z', updated: '2023-07-10T08:06:00Z' }, { name: 'PYPI_API_TOKEN', created: '2021-03-01T10:00:00Z', updated: '2025-03-01T10:00:00Z' }]);
  files['repos/corvid/data-pipelines/actions/secrets.json'] = secrets([{ name: 'SNOWFLAKE_PRIVATE_KEY', created: '2023-02-01T10:00:00Z', updated: '2024-02-01T10:00:00Z' }]);
  files['repos/corvid/web/actions/secrets.json'] = secrets([{ name: 'SENTRY_AUTH_TOKEN', created: '2022-05-01T10:00:00Z', updated: '2025-05-01T10:00:00Z' }]);
  // The sdk-js workflows, as the contents API returns them. pr-preview.yml runs on pull_request_target: anyone
  // who can open a pull request on the public repository runs its build, with NPM_TOKEN, in Corvid's context.
  files['repos/corvid/sdk-js/contents/.github/workflows/pr-preview.yml.json'] = contentsFile('sdk-js', '.github/workflows/pr-preview.yml', [
    'name: PR preview',
    'on:',
    '  pull_request_target:',
    '    types: [opened, synchronize]',
    'permissions:',
    '  contents: read',
    '  pull-requests: write',
    'jobs:',
    '  preview:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          ref: ${{ github.event.pull_request.head.sha }}',
    '      - run: npm ci && npm run build',
    '      - run: npm publish --tag "pr-${{ github.event.number }}"',
    '        env:',
    '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
    '',
  ]);
  files['repos/corvid/sdk-js/contents/.github/workflows/release.yml.json'] = contentsFile('sdk-js', '.github/workflows/release.yml', [
    'name: Release',
    'on:',
    '  push:',
    '    tags: ["v*"]',
    'jobs:',
    '  publish:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - run: npm ci && npm publish',
    '        env:',
    '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
    '      - run: gh release create "$GITHUB_REF_NAME" --generate-notes',
    '        env:',
    '          GH_TOKEN: ${{ secrets.RELEASE_TOKEN }}',
    '',
  ]);
  files['secret-links.json'] = {
    'corvid/sdk-js:RELEASE_TOKEN': `github:Identity:${BOT}`,
    'corvid/sdk-python:RELEASE_TOKEN': `github:Identity:${BOT}`,
    'corvid/data-pipelines:SNOWFLAKE_PRIVATE_KEY': 'snowflake:Identity:user/SVC_DBT',
  };
}
