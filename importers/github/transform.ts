// Pure transform of a GitHub organization export (REST API responses) into blastmap's graph: repositories, app
// installations, fine-grained and classic tokens, SSH and deploy keys, Actions secrets and the workflows that use them.
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { calendarInstant } from '../../engine/format/dates.ts';
import { nodeId } from '../../engine/format/native.ts';
import { NODE_KINDS, type Level } from '../../engine/schema/index.ts';
import { stubNode } from '../../engine/store/link.ts';
import { classifyFiles, emptyReport, type FileRole, type ImporterOptions, type ImporterReport, type ImporterResult } from '../common/importer.ts';
import { parseJsonFile, parseRecords, type Located, type RawFile } from '../common/records.ts';
import { lookupScope, splitScopes, UnknownScopes, type ScopeCatalog, type ScopeLookup } from '../common/scopes.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import {
  CREDENTIAL_AUTHORIZATION_TYPES, GITHUB_OAUTH_SCOPES, GITHUB_PERMISSIONS, isOrganizationPermission, PACKAGES_SENSITIVITY, REPOSITORY_ROLES,
  secretCredentialType, secretTargetHint,
} from './catalog.ts';
import { readWorkflow, workflowText, type WorkflowFacts } from './workflows.ts';
import {
  actionsSecretSchema, appSchema, collaboratorSchema, credentialAuthorizationSchema, deployKeySchema, environmentSchema, installationSchema, memberSchema,
  oidcTrustsSchema, organizationSchema, auditEventSchema, patGrantSchema, patRequestSchema, repositorySchema, secretLinksSchema, teamSchema,
  type ActionsSecret, type App, type CredentialAuthorization, type Environment, type Repository,
} from './schema.ts';

export const PLATFORM = 'github';
const SOURCE = 'github';
/**
 * GitHub Apps are global objects (a slug names one app on github.com), so their App nodes live in this tenant:
 * the same app installed in two organizations is one App, and its blast radius spans both.
 */
export const APPS_TENANT = 'github.com';
/** Classic tokens and SSH keys act with their user's rights, which the export does not bound: conditioned edges. */
export const USER_RIGHTS_CONDITION = 'signed-in-user-rights';

const ENVELOPE_KEYS = ['installations', 'repositories', 'secrets', 'environments'] as const;

/** Input files by endpoint, named after the API path. The first matching pattern wins (sub-resources first). */
export const GITHUB_FILES: readonly FileRole[] = [
  { role: 'workflows', pattern: /(^|\/)repos\/[^/]+\/[^/]+\/contents\/\.github\/workflows\/[^/]+\.ya?ml(\.json)?$/, produce: 'GET /repos/{owner}/{repo}/contents/.github/workflows/{file}, saved as repos/{owner}/{repo}/contents/.github/workflows/{file}.json (the contents API answer) or {file} itself (Accept: application/vnd.github.raw+json)' },
  { role: 'installationRepositories', pattern: /(^|\/)installations\/[^/]+\/repositories[^/]*\.json$/, produce: 'GET /user/installations/{installation_id}/repositories (as an organization owner), saved as installations/{installation_id}/repositories.json', shape: { envelope: ['repositories'], fields: ['full_name', 'owner'] } },
  { role: 'patRepositories', pattern: /(^|\/)personal-access-tokens\/[^/]+\/repositories[^/]*\.json$/, produce: 'GET /orgs/{org}/personal-access-tokens/{pat_id}/repositories, saved as personal-access-tokens/{pat_id}/repositories.json' },
  { role: 'organizationSecretRepositories', pattern: /(^|\/)actions\/secrets\/[^/]+\/[^/]+\.json$/, produce: 'GET /orgs/{org}/actions/secrets/{secret_name}/repositories, saved as actions/secrets/{secret_name}/repositories.json' },
  { role: 'environmentSecrets', pattern: /(^|\/)repos\/[^/]+\/[^/]+\/environments\/[^/]+\/secrets[^/]*\.json$/, produce: 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets, saved as repos/{owner}/{repo}/environments/{environment_name}/secrets.json' },
  { role: 'repositorySecrets', pattern: /(^|\/)repos\/[^/]+\/[^/]+\/actions\/secrets[^/]*\.json$/, produce: 'GET /repos/{owner}/{repo}/actions/secrets, saved as repos/{owner}/{repo}/actions/secrets.json', shape: { envelope: ['secrets'], fields: ['name', 'created_at'], without: ['visibility'] } },
  { role: 'environments', pattern: /(^|\/)repos\/[^/]+\/[^/]+\/environments[^/]*\.json$/, produce: 'GET /repos/{owner}/{repo}/environments, saved as repos/{owner}/{repo}/environments.json', shape: { envelope: ['environments'], fields: ['name', 'html_url', 'created_at'] } },
  { role: 'collaborators', pattern: /(^|\/)repos\/[^/]+\/[^/]+\/collaborators[^/]*\.json$/, produce: 'GET /repos/{owner}/{repo}/collaborators?affiliation=direct, saved as repos/{owner}/{repo}/collaborators.json', shape: { fields: ['login', 'permissions', 'role_name'] } },
  { role: 'deployKeys', pattern: /(^|\/)repos\/[^/]+\/[^/]+\/keys[^/]*\.json$/, produce: 'GET /repos/{owner}/{repo}/keys, saved as repos/{owner}/{repo}/keys.json', shape: { fields: ['key', 'read_only', 'title'] } },
  { role: 'teamMaintainers', pattern: /(^|\/)teams\/[^/]+\/maintainers[^/]*\.json$/, produce: 'GET /orgs/{org}/teams/{team_slug}/members?role=maintainer, saved as teams/{team_slug}/maintainers.json' },
  { role: 'teamMembers', pattern: /(^|\/)teams\/[^/]+\/members[^/]*\.json$/, produce: 'GET /orgs/{org}/teams/{team_slug}/members, saved as teams/{team_slug}/members.json' },
  { role: 'teamRepositories', pattern: /(^|\/)teams\/[^/]+\/repos[^/]*\.json$/, produce: 'GET /orgs/{org}/teams/{team_slug}/repos, saved as teams/{team_slug}/repos.json' },
  { role: 'apps', pattern: /(^|\/)apps(\/[^/]+|[^/]*)\.json$/, produce: 'GET /apps/{app_slug}, saved as apps/{app_slug}.json', shape: { single: true, fields: ['slug', 'owner', 'permissions', 'events'] } },
  { role: 'organizationSecrets', pattern: /(^|\/)actions\/secrets[^/]*\.json$/, produce: 'GET /orgs/{org}/actions/secrets, saved as actions/secrets.json', shape: { envelope: ['secrets'], fields: ['name', 'visibility'] } },
  { role: 'auditLog', pattern: /(^|\/)audit-?log[^/]*\.json$/, produce: 'GET /orgs/{org}/audit-log?phrase=action:personal_access_token (optional: who approved each fine-grained token)', shape: { fields: ['action', 'actor'] } },
  { role: 'patRequests', pattern: /(^|\/)personal-access-token-requests[^/]*\.json$/, produce: 'GET /orgs/{org}/personal-access-token-requests', shape: { fields: ['owner', 'repository_selection', 'permissions', 'reason'] } },
  { role: 'patGrants', pattern: /(^|\/)personal-access-tokens[^/]*\.json$/, produce: 'GET /orgs/{org}/personal-access-tokens', shape: { fields: ['owner', 'repository_selection', 'permissions', 'access_granted_at'], without: ['reason'] } },
  { role: 'credentialAuthorizations', pattern: /(^|\/)credential-authorizations[^/]*\.json$/, produce: 'GET /orgs/{org}/credential-authorizations (SAML single sign-on organizations)', shape: { fields: ['login', 'credential_type', 'credential_id'] } },
  { role: 'installations', pattern: /(^|\/)installations[^/]*\.json$/, produce: 'GET /orgs/{org}/installations', shape: { envelope: ['installations'], fields: ['app_slug', 'account', 'repository_selection'] } },
  { role: 'owners', pattern: /(^|\/)owners[^/]*\.json$/, produce: 'GET /orgs/{org}/members?role=admin, saved as owners.json' },
  { role: 'members', pattern: /(^|\/)members[^/]*\.json$/, produce: 'GET /orgs/{org}/members', shape: { fields: ['login', 'site_admin', 'type'], without: ['permissions', 'role_name'] } },
  { role: 'teams', pattern: /(^|\/)teams[^/]*\.json$/, produce: 'GET /orgs/{org}/teams', shape: { fields: ['slug', 'privacy'], anyOf: ['notification_setting', 'repositories_url', 'members_url', 'permission'] } },
  { role: 'secretLinks', pattern: /(^|\/)secret-links\.json$/, produce: 'written by you: which node each Actions secret signs in as (docs/importers/github.md)' },
  { role: 'oidcTrusts', pattern: /(^|\/)oidc-trusts\.json$/, produce: 'written by you: which identities a repository\'s workflows assume through OIDC (docs/importers/github.md)' },
  { role: 'repositories', pattern: /(^|\/)repos(-[^/]*)?\.json$/, produce: 'GET /orgs/{org}/repos', shape: { bareOnly: true, fields: ['full_name', 'owner', 'private', 'fork'] } },
  { role: 'organization', pattern: /(^|\/)org(anization)?(-[^/]*)?\.json$/, produce: 'GET /orgs/{org}', shape: { single: true, fields: ['login'], anyOf: ['members_url', 'default_repository_permission', 'two_factor_requirement_enabled', 'members_can_create_repositories'] } },
];

const LEVEL_EDGE: Record<Level, string> = { read: 'CAN_READ', write: 'CAN_WRITE', admin: 'CAN_ADMIN' };
const LEVEL_RANK: Record<Level, number> = { read: 1, write: 2, admin: 3 };
const lower = (text: string): string => text.toLowerCase();
const decode = (segment: string): string => {
  try { return decodeURIComponent(segment); } catch { return segment; }
};

/** Which object a sub-resource file belongs to, read from its path. */
function pathParts(path: string, pattern: RegExp): string[] | undefined {
  const match = pattern.exec(path);
  return match ? match.slice(1).map(decode) : undefined;
}
const REPO_PATH = /(?:^|\/)repos\/([^/]+)\/([^/]+)\//i;
const ENVIRONMENT_PATH = /(?:^|\/)environments\/([^/]+)\/secrets[^/]*$/i;
const INSTALLATION_PATH = /(?:^|\/)installations\/([^/]+)\/repositories[^/]*$/i;
const PAT_PATH = /(?:^|\/)personal-access-tokens\/([^/]+)\/repositories[^/]*$/i;
const ORG_SECRET_PATH = /(?:^|\/)actions\/secrets\/([^/]+)\/[^/]+$/i;
/** An environment's API url: https://api.github.com/repos/{owner}/{repo}/environments/{name}. */
const ENVIRONMENT_URL = /\/repos\/([^/]+)\/([^/]+)\/environments\/[^/]+$/i;
const TEAM_PATH = /(?:^|\/)teams\/([^/]+)\/[^/]+$/i;

/** The repositories a grant covers: every repository, a known list, none, or (list missing) every one, assumed. */
type Coverage = { mode: 'all' } | { mode: 'listed'; repos: string[] } | { mode: 'none' } | { mode: 'assumed-all' };

interface Scoped<T> extends Located<T> { parent: string[] }

/** A reference to a node of any platform in secret-links.json or oidc-trusts.json. */
interface NodeRef { platform: string; kind: string; key: string }
const KIND_BY_LOWER = new Map(Object.keys(NODE_KINDS).map((kind) => [lower(kind), kind]));
/** `<platform>:<Kind>:<key>` or a full node id `<platform>:<tenant>:<kind>:<native id>`; keys may contain colons (ARNs). */
export function parseNodeRef(text: string): NodeRef | undefined {
  const parts = text.split(':');
  const short = parts.length >= 3 ? KIND_BY_LOWER.get(lower(parts[1]!)) : undefined;
  if (short && parts[0] && parts.slice(2).join(':')) return { platform: lower(parts[0]), kind: short, key: parts.slice(2).join(':') };
  const full = parts.length >= 4 ? KIND_BY_LOWER.get(lower(parts[2]!)) : undefined;
  if (full && parts[0] && parts.slice(3).join(':')) return { platform: lower(parts[0]), kind: full, key: parts.slice(3).join(':') };
  return undefined;
}

/**
 * An audit-log event's time: epoch milliseconds (the API's `@timestamp`, a number or digits), or an ISO-8601 text
 * (the page's JSON export writes `created_at` so); an impossible calendar date is no time (the event is left out).
 */
function auditTime(value: number | string | null | undefined): number {
  if (value === null || value === undefined) return Number.NaN;
  return typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : calendarInstant(value);
}

export function transformGithub(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const report: ImporterReport = emptyReport();
  const issues: InputIssue[] = [];
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, GITHUB_FILES);
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  const problem = (issue: InputIssue): void => { (options.lenient ? report.skipped : issues).push(issue); };

  function read<S extends z.ZodType>(role: string, schema: S, parent?: { pattern: RegExp; expected: string; fromRecord?: (record: z.output<S>) => string[] | undefined }, single = false): Scoped<z.output<S>>[] {
    const out: Scoped<z.output<S>>[] = [];
    for (const file of byRole.get(role) ?? []) {
      let parts: string[] | undefined = [];
      if (parent) {
        parts = pathParts(file.path, parent.pattern);
        // Without the parent in the path, the records may name it themselves (an environment's url).
        if (!parts && !parent.fromRecord) {
          problem({ file: file.path, path: '$', message: 'cannot tell which object this file belongs to', expected: `a path such as ${parent.expected}`, found: file.path });
          continue;
        }
      }
      const result = parseRecords(schema, file, ENVELOPE_KEYS, { lenient: options.lenient, single });
      issues.push(...result.issues);
      report.skipped.push(...result.skipped);
      for (const record of result.records) {
        const owner = parts ?? parent?.fromRecord?.(record.value);
        if (!owner) problem({ file: file.path, path: record.path, message: 'cannot tell which object this record belongs to', expected: `a path such as ${parent!.expected}, or a record naming it`, found: file.path });
        else out.push({ ...record, parent: owner });
      }
    }
    if (out.length > 0) report.records[role] = (report.records[role] ?? 0) + out.length;
    return out;
  }
  function readMap<S extends z.ZodType>(role: string, schema: S): Located<z.output<S>>[] {
    const out: Located<z.output<S>>[] = [];
    for (const file of byRole.get(role) ?? []) {
      const parsed = parseJsonFile(file);
      if (!parsed.ok) { issues.push(parsed.issue); continue; }
      const result = schema.safeParse(parsed.value);
      if (!result.success) {
        const bad = result.error.issues[0]!;
        problem({ file: file.path, path: `$${bad.path.map((p) => `[${JSON.stringify(p)}]`).join('')}`, message: bad.message, expected: role === 'secretLinks' ? 'an object {"<owner>/<repo>:<SECRET_NAME>": "<platform>:<Kind>:<key>"}' : 'an object {"<owner>/<repo>": ["<platform>:Identity:<key>"]}', found: bad.message });
        continue;
      }
      out.push({ value: result.data, file: file.path, path: '$' });
      report.records[role] = (report.records[role] ?? 0) + Object.keys(result.data as object).length;
    }
    return out;
  }

  const organizations = read('organization', organizationSchema, undefined, true);
  const repositories = read('repositories', repositorySchema);
  const installations = read('installations', installationSchema);
  const installationRepos = read('installationRepositories', repositorySchema, { pattern: INSTALLATION_PATH, expected: 'installations/<installation id>/repositories.json (or actions/secrets/<SECRET_NAME>/<file>.json for the repositories an organization secret is shared with)' });
  const apps = read('apps', appSchema, undefined, true);
  const patGrants = read('patGrants', patGrantSchema);
  const patRepos = read('patRepositories', repositorySchema, { pattern: PAT_PATH, expected: 'personal-access-tokens/<pat id>/repositories.json' });
  const patRequests = read('patRequests', patRequestSchema);
  const auditLog = read('auditLog', auditEventSchema);
  const authorizations = read('credentialAuthorizations', credentialAuthorizationSchema);
  const deployKeys = read('deployKeys', deployKeySchema, { pattern: REPO_PATH, expected: 'repos/<owner>/<repo>/keys.json' });
  const orgSecrets = read('organizationSecrets', actionsSecretSchema);
  const orgSecretRepos = read('organizationSecretRepositories', repositorySchema, { pattern: ORG_SECRET_PATH, expected: 'actions/secrets/<SECRET_NAME>/repositories.json' });
  const repoSecrets = read('repositorySecrets', actionsSecretSchema, { pattern: REPO_PATH, expected: 'repos/<owner>/<repo>/actions/secrets.json' });
  const environments = read('environments', environmentSchema, { pattern: REPO_PATH, expected: 'repos/<owner>/<repo>/environments.json', fromRecord: (environment) => pathParts(environment.url ?? '', ENVIRONMENT_URL) });
  const envSecretsRaw = read('environmentSecrets', actionsSecretSchema, { pattern: REPO_PATH, expected: 'repos/<owner>/<repo>/environments/<environment>/secrets.json' });
  const members = read('members', memberSchema);
  const owners = read('owners', memberSchema);
  const teams = read('teams', teamSchema);
  const teamMembers = read('teamMembers', memberSchema, { pattern: TEAM_PATH, expected: 'teams/<team slug>/members.json' });
  const teamRepos = read('teamRepositories', repositorySchema, { pattern: TEAM_PATH, expected: 'teams/<team slug>/repos.json' });
  const teamMaintainers = read('teamMaintainers', memberSchema, { pattern: TEAM_PATH, expected: 'teams/<team slug>/maintainers.json' });
  const collaborators = read('collaborators', collaboratorSchema, { pattern: REPO_PATH, expected: 'repos/<owner>/<repo>/collaborators.json' });
  // Workflow files are YAML (raw, or base64 inside the contents API's answer), one workflow per file.
  const workflowFiles: { file: string; repo: string; facts: WorkflowFacts }[] = [];
  for (const file of byRole.get('workflows') ?? []) {
    const parts = pathParts(file.path, REPO_PATH);
    const text = workflowText(file.path, file.text);
    const workflow = text.ok ? readWorkflow(file.path, text.text) : text;
    if (!parts) problem({ file: file.path, path: '$', message: 'cannot tell which repository this workflow belongs to', expected: 'a path such as repos/<owner>/<repo>/contents/.github/workflows/<file>.yml', found: file.path });
    else if (!workflow.ok) problem(workflow.issue);
    else workflowFiles.push({ file: file.path, repo: `${parts[0]}/${parts[1]}`, facts: workflow.facts });
  }
  if (workflowFiles.length > 0) report.records.workflows = workflowFiles.length;
  const secretLinks = readMap('secretLinks', secretLinksSchema);
  const oidcTrusts = readMap('oidcTrusts', oidcTrustsSchema);
  const envSecrets = envSecretsRaw.map((record) => ({ ...record, environment: pathParts(record.file, ENVIRONMENT_PATH)?.[0] ?? '' }));

  // The organization: GET /orgs/{org}, --tenant, or the one account every installation and repository names.
  const orgLogins = [...new Set(organizations.map((o) => lower(o.value.login)))];
  const otherOrg = organizations.find((o) => lower(o.value.login) !== orgLogins[0]);
  if (otherOrg) issues.push({ file: otherOrg.file, path: `${otherOrg.path}.login`, message: 'several organizations in one export', expected: `one organization per import (${orgLogins[0]}); import each organization's folder separately`, found: otherOrg.value.login });
  const optionTenant = options.tenant?.trim() ? lower(options.tenant.trim()) : undefined;
  if (optionTenant && orgLogins[0] && optionTenant !== orgLogins[0]) issues.push({ file: organizations[0]!.file, path: `${organizations[0]!.path}.login`, message: '--tenant does not match the export', expected: `the organization given with --tenant (${optionTenant})`, found: organizations[0]!.value.login });
  const named = [
    ...installations.map((i) => i.value.account?.login),
    ...repositories.map((r) => r.value.owner?.login ?? r.value.full_name.split('/')[0]),
  ].filter((login): login is string => Boolean(login)).map(lower);
  const inferred = [...new Set(named)];
  const tenant = orgLogins[0] ?? optionTenant ?? (inferred.length === 1 ? inferred[0] : undefined) ?? (options.tenantFallback?.trim() ? lower(options.tenantFallback.trim()) : undefined);
  if (!tenant) {
    issues.push({ path: '$', message: 'no organization', expected: 'an org.json file (GET /orgs/{org}) or --tenant <org login>', found: inferred.length > 1 ? `several accounts named in the files (${inferred.slice(0, 5).join(', ')})` : 'neither' });
  }

  // Sub-resource files must name an object of the export; checked before anything is built.
  const installationIds = new Set(installations.map((i) => i.value.id));
  const grantIds = new Set(patGrants.map((g) => g.value.id));
  const orgSecretNames = new Set(orgSecrets.map((s) => lower(s.value.name)));
  const orphan = new Set<string>();
  const requireParent = (role: string, pattern: RegExp, known: (key: string) => boolean, what: string, listFile: string): void => {
    for (const { path } of byRole.get(role) ?? []) {
      const key = pathParts(path, pattern)?.[0];
      if (key === undefined || known(key)) continue;
      orphan.add(path);
      problem({ file: path, path: '$', message: `the ${what} this file belongs to is not in the export`, expected: `${what} ${key} in ${listFile}`, found: 'none' });
    }
  };
  requireParent('installationRepositories', INSTALLATION_PATH, (key) => installationIds.has(key), 'installation', 'installations.json');
  requireParent('patRepositories', PAT_PATH, (key) => grantIds.has(key), 'fine-grained token grant', 'personal-access-tokens.json');
  requireParent('organizationSecretRepositories', ORG_SECRET_PATH, (key) => orgSecretNames.has(lower(key)), 'organization secret', 'actions/secrets.json');
  if (issues.length > 0 || !tenant) return { ok: false, issues };
  const kept = <T extends Located<unknown>>(records: T[]): T[] => records.filter((record) => !orphan.has(record.file));

  // Whether the export says what each person may do on each repository: direct collaborators of every listed
  // repository, and the members and repositories of every team (owners and the base permission are read too).
  // Then a classic token or SSH key acts as its user narrowed by its scopes (AUTHENTICATES_AS with scopes, which
  // the graph builder turns into exactly the repositories the user reaches); else the every-repository
  // approximation with the `signed-in-user-rights` condition stays.
  const filesOf = (role: string, pattern: RegExp): Set<string> => new Set((byRole.get(role) ?? []).map((f) => pathParts(f.path, pattern)?.map(lower).join('/') ?? ''));
  const collaboratorLists = filesOf('collaborators', REPO_PATH);
  const teamMemberLists = filesOf('teamMembers', TEAM_PATH);
  const teamRepoLists = filesOf('teamRepositories', TEAM_PATH);
  const missingRights = [
    ...repositories.filter((r) => !collaboratorLists.has(lower(r.value.full_name))).map((r) => `repos/${r.value.full_name}/collaborators.json`),
    ...teams.filter((t) => !teamMemberLists.has(lower(t.value.slug))).map((t) => `teams/${t.value.slug}/members.json`),
    ...teams.filter((t) => !teamRepoLists.has(lower(t.value.slug))).map((t) => `teams/${t.value.slug}/repos.json`),
  ];
  const userRightsKnown = repositories.length > 0 && missingRights.length === 0;

  const org = organizations[0]?.value;
  const orgLogin = org?.login ?? tenant;
  const b = new FragmentBuilder(SOURCE);
  const unknownScopes = new UnknownScopes();
  const notes = new Map<string, number>();
  const note = (text: string): void => { notes.set(text, (notes.get(text) ?? 0) + 1); };
  const id = (kind: string, native: string, inTenant = tenant): string => nodeId(PLATFORM, inTenant, kind, native);
  const base = { platform: PLATFORM, tenant, source: SOURCE };

  // (:Platform) the organization
  const platformId = b.node({
    ...base, id: id('Platform', 'org'), kind: 'Platform', vendor: 'GitHub', name: `GitHub organization ${orgLogin}`,
    properties: {
      login: orgLogin, orgId: org?.id ?? undefined, displayName: org?.name ?? undefined, defaultRepositoryPermission: org?.default_repository_permission ?? undefined,
      twoFactorRequired: org?.two_factor_requirement_enabled ?? undefined, plan: org?.plan?.name ?? undefined,
    },
  });

  // (:Resource {repository}) and (:Platform)-[:CONTAINS]->(:Resource) for the organization's repositories.
  const repoByKey = new Map<string, { fullName: string; nodeId: string; visibility: string | undefined }>();
  function repoNode(repo: Repository, placeholder: boolean): string {
    const key = lower(repo.full_name);
    const known = repoByKey.get(key);
    if (known) return known.nodeId;
    const visibility = repo.visibility ?? (repo.private === true ? 'private' : repo.private === false ? 'public' : undefined);
    const repoId = b.node({
      // GitHub compares owner and repository names without case: the id is lower-cased so every spelling (and
      // GitHound's, through its preset) is one node; the name keeps GitHub's spelling.
      ...base, id: id('Resource', lower(repo.full_name)), kind: 'Resource', name: repo.full_name, resourceType: 'repository', tags: ['source-code'],
      properties: {
        repoId: repo.id ?? undefined, visibility, archived: repo.archived ?? undefined, fork: repo.fork ?? undefined, defaultBranch: repo.default_branch ?? undefined,
        description: repo.description ?? undefined, placeholder: placeholder || undefined,
      },
    });
    repoByKey.set(key, { fullName: repo.full_name, nodeId: repoId, visibility });
    if (lower(repo.full_name.split('/')[0]!) === tenant) b.edge({ kind: 'CONTAINS', from: platformId, to: repoId });
    else note('repositories owned by another account: kept without the organization containing them');
    return repoId;
  }
  for (const { value } of [...repositories].sort((x, y) => x.value.full_name.localeCompare(y.value.full_name))) repoNode(value, false);
  const listedRepos = repoByKey.size;
  function repoRef(fullName: string, hint?: Repository): string {
    const known = repoByKey.get(lower(fullName));
    if (known) return known.nodeId;
    if (listedRepos > 0) note('repositories referenced by other files but not in repos.json: placeholders created');
    return repoNode(hint ?? { full_name: fullName }, true);
  }
  const repoName = (repoId: string): string => b.nameOf(repoId);

  let packagesId: string | undefined;
  function packagesNode(): string {
    if (packagesId) return packagesId;
    packagesId = b.node({ ...base, id: id('Resource', 'packages'), kind: 'Resource', name: `Packages of ${orgLogin}`, resourceType: 'packages', sensitivity: PACKAGES_SENSITIVITY });
    b.edge({ kind: 'CONTAINS', from: platformId, to: packagesId });
    return packagesId;
  }

  // (:Identity {human}) people, by login (GitHub logins are case-insensitive).
  function identityRef(loginText: string, placeholder = true): string {
    const nodeKey = id('Identity', lower(loginText));
    if (!b.has(nodeKey)) {
      const bot = /\[bot\]$/i.test(loginText);
      if (placeholder) note('users named by tokens, keys or teams but not in members.json: created from their login');
      b.node({ ...base, id: nodeKey, kind: 'Identity', subtype: bot ? 'service' : 'human', name: loginText, properties: { login: loginText } });
    }
    return nodeKey;
  }

  // (:Identity) members first, so that people named by tokens and keys are recognised as members.
  for (const { value } of [...members, ...owners].sort((x, y) => lower(x.value.login).localeCompare(lower(y.value.login)))) {
    const nodeKey = identityRef(value.login, false);
    const node = b.nodes.get(nodeKey)!;
    if (value.type === 'Bot') node.subtype = 'service';
    if (value.name) node.name = `${value.name} (${value.login})`;
    if (value.email) node.email = lower(value.email);
    node.properties = { ...node.properties, member: true };
  }

  // Scopes and permissions -> authority edges through a catalogue, one edge per (target, level) with its scopes.
  interface Authority { grant: string; who: string; coverage: Coverage; conditions?: string[]; unknownTarget: (scope: string) => string }
  function authority(from: string, scopes: readonly string[], catalog: ScopeCatalog, how: Authority): void {
    const byTarget = new Map<string, { target: string; level: Level; scopes: Set<string>; risks: Set<string>; assumed: boolean }>();
    const add = (target: string, level: Level, lookup: ScopeLookup, assumed: boolean): void => {
      const key = `${target}|${level}`;
      const entry = byTarget.get(key) ?? { target, level, scopes: new Set<string>(), risks: new Set<string>(), assumed: false };
      entry.scopes.add(lookup.scope);
      if (lookup.entry.risk) entry.risks.add(lookup.entry.risk);
      entry.assumed ||= assumed;
      byTarget.set(key, entry);
    };
    for (const scope of scopes) {
      const lookup = lookupScope(catalog, scope);
      unknownScopes.note(lookup);
      const types = lookup.assumed ? [how.unknownTarget(scope)] : lookup.entry.resources;
      for (const type of types) {
        for (const { target, assumed } of targetsOf(type, how.coverage)) add(target, lookup.entry.level, lookup, lookup.assumed || assumed);
      }
    }
    for (const entry of [...byTarget.values()].sort((x, y) => x.target.localeCompare(y.target) || LEVEL_RANK[x.level] - LEVEL_RANK[y.level])) {
      const everyRepo = entry.target === platformId && (how.coverage.mode === 'all' || how.coverage.mode === 'assumed-all');
      const where = entry.target === platformId ? `the organization ${orgLogin}${everyRepo ? ' (every repository, including future ones)' : ''}` : repoName(entry.target);
      const risks = [...entry.risks].sort();
      b.edge({
        kind: LEVEL_EDGE[entry.level], from, to: entry.target, scopes: [...entry.scopes].sort(), grant: how.grant,
        reason: `${how.who}: ${[...entry.scopes].sort().join(', ')} on ${where}${risks.length > 0 ? `; ${risks.join('; ')}` : ''}.`,
        conditions: how.conditions, assumed: entry.assumed || undefined,
      });
    }
  }
  function targetsOf(type: string, coverage: Coverage): { target: string; assumed: boolean }[] {
    const assumed = coverage.mode === 'assumed-all';
    switch (type) {
      case 'organization': return [{ target: platformId, assumed: false }];
      case 'packages': return [{ target: packagesNode(), assumed: false }];
      case 'repository':
        if (coverage.mode === 'listed') return coverage.repos.map((target) => ({ target, assumed: false }));
        return coverage.mode === 'none' ? [] : [{ target: platformId, assumed }];
      case 'public-repository': {
        const pool = coverage.mode === 'listed' ? coverage.repos : coverage.mode === 'none' ? [] : [...repoByKey.values()].map((r) => r.nodeId);
        return pool.filter((repoId) => [...repoByKey.values()].find((r) => r.nodeId === repoId)?.visibility === 'public').map((target) => ({ target, assumed }));
      }
      default:
        note(`catalogue resource types blastmap does not map (${type}): ignored`);
        return [];
    }
  }
  const listedCoverage = (records: Scoped<Repository>[], key: string): Coverage | undefined => {
    const list = records.filter((r) => lower(r.parent[0]!) === lower(key));
    if (list.length === 0) return undefined;
    return { mode: 'listed', repos: [...new Set(list.map((r) => repoRef(r.value.full_name, r.value)))].sort() };
  };
  const permissionScopes = (permissions: Record<string, string> | null | undefined): string[] =>
    Object.entries(permissions ?? {}).map(([name, level]) => `${name}:${level}`).sort();
  const permissionTarget = (scope: string): string => (isOrganizationPermission(scope.split(':')[0]!) ? 'organization' : 'repository');

  // (:App) GitHub Apps: from GET /apps/{slug}, or only from their installations.
  const appBySlug = new Map<string, App>();
  for (const { value } of apps) if (!appBySlug.has(lower(value.slug))) appBySlug.set(lower(value.slug), value);
  const appNodes = new Map<string, string>();
  function appNode(slug: string, appId?: number | null): string {
    const key = lower(slug);
    const known = appNodes.get(key);
    if (known) return known;
    const app = appBySlug.get(key);
    const ownerLogin = app?.owner?.login;
    if (!app) note('apps installed without their apps/<slug>.json (GET /apps/{slug}): owner and client id unknown');
    const nodeKey = b.node({
      ...base, tenant: APPS_TENANT, id: id('App', key, APPS_TENANT), kind: 'App', name: app?.name ?? slug,
      thirdParty: ownerLogin ? lower(ownerLogin) !== tenant : true, vendor: ownerLogin,
      properties: {
        appSlug: key, appId: app?.id ?? appId ?? undefined, clientId: app?.client_id ?? undefined, ownerLogin, ownerType: app?.owner?.type ?? undefined,
        externalUrl: app?.external_url ?? undefined, appType: 'github-app', ownerUnknown: app?.owner ? undefined : true,
      },
    });
    appNodes.set(key, nodeKey);
    return nodeKey;
  }
  for (const slug of [...appBySlug.keys()].sort()) appNode(slug);

  /** Grants with members:write: they add people to any team (CAN_ADD_MEMBER, written with the teams). */
  const memberWriters: { credential: string; who: string }[] = [];

  // (:App)-[:HOLDS]->(:Credential {installation})-[:CAN_*]->(repositories | organization)
  const seenInstallations = new Set<string>();
  for (const { value: installation } of [...installations].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    if (seenInstallations.has(installation.id)) continue;
    seenInstallations.add(installation.id);
    if (installation.account && lower(installation.account.login) !== tenant) {
      note('installations on other accounts than the organization: left out');
      continue;
    }
    const app = appNode(installation.app_slug, installation.app_id);
    const appName = b.nameOf(app);
    const scopes = permissionScopes(installation.permissions);
    const credential = b.node({
      ...base, id: id('Credential', `installation/${installation.id}`), kind: 'Credential', type: 'access-token',
      name: `${appName} installation on ${orgLogin} (installation ${installation.id})`, scopes,
      createdAt: installation.created_at ?? undefined, revoked: installation.suspended_at ? true : undefined, revokedAt: installation.suspended_at ?? undefined,
      properties: {
        installationId: installation.id, appSlug: lower(installation.app_slug), repositorySelection: installation.repository_selection,
        targetType: installation.target_type ?? undefined, events: installation.events ?? undefined, updatedAt: installation.updated_at ?? undefined,
        suspendedBy: installation.suspended_by?.login ?? undefined,
      },
    });
    b.edge({ kind: 'HOLDS', from: app, to: credential, reason: `Whoever holds the private key of ${appName} mints installation access tokens for ${orgLogin} at will.` });
    b.edge({ kind: 'INSTALLED_IN', from: app, to: platformId });
    let coverage: Coverage;
    if (lower(installation.repository_selection) === 'all') coverage = { mode: 'all' };
    else {
      coverage = listedCoverage(kept(installationRepos), installation.id) ?? { mode: 'assumed-all' };
      if (coverage.mode === 'assumed-all') note('installations on selected repositories without installations/<id>/repositories.json: every repository assumed (edges flagged assumed)');
    }
    authority(credential, scopes, GITHUB_PERMISSIONS, { grant: credential, who: `${appName} (GitHub App installation)`, coverage, unknownTarget: permissionTarget });
    if (lower(installation.permissions.members ?? '') === 'write') memberWriters.push({ credential, who: `${appName} (GitHub App installation)` });
  }

  // Owners' approvals of fine-grained tokens, newest last: by token id, else by the token owner's login.
  const approvals = auditLog.map((record) => record.value).filter((event) => event.action === 'personal_access_token.access_granted' && event.actor)
    .map((event) => ({ event, at: new Date(auditTime(event['@timestamp'] ?? event.created_at)) }))
    .filter(({ at }) => !Number.isNaN(at.getTime()))
    .sort((x, y) => x.at.getTime() - y.at.getTime());
  function approvalOf(tokenId: number | null | undefined, ownerLogin: string, grantedAt: string | undefined): { approvedBy?: string; approvedAt?: string } | undefined {
    const byToken = tokenId !== null && tokenId !== undefined ? approvals.filter(({ event }) => String(event.token_id) === String(tokenId)) : [];
    const found = (byToken.length > 0 ? byToken : approvals.filter(({ event }) => event.token_id == null && lower(event.user ?? '') === lower(ownerLogin))).at(-1);
    // The approver is named, not created: an owner who has left the organization stays absent (BM-GOV-APPROVER-DISABLED).
    if (found) return { approvedBy: id('Identity', lower(found.event.actor!)), approvedAt: found.at.toISOString() };
    return grantedAt ? { approvedAt: grantedAt } : undefined;
  }

  // (:Identity)-[:HOLDS]->(:Credential {fine-grained PAT})-[:CAN_*]->(repositories | organization)
  const seenGrants = new Set<string>();
  for (const { value: grant } of [...patGrants].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    if (seenGrants.has(grant.id)) continue;
    seenGrants.add(grant.id);
    const owner = identityRef(grant.owner.login);
    const repoScopes = permissionScopes(grant.permissions.repository);
    const orgScopes = permissionScopes(grant.permissions.organization);
    const accountScopes = permissionScopes(grant.permissions.other);
    const label = grant.token_name ?? (grant.token_id !== null && grant.token_id !== undefined ? `token ${grant.token_id}` : `grant ${grant.id}`);
    const credential = b.node({
      ...base, id: id('Credential', `fine-grained-pat/${grant.id}`), kind: 'Credential', type: 'pat',
      name: `Fine-grained PAT "${label}" of ${grant.owner.login}`, scopes: [...repoScopes, ...orgScopes, ...accountScopes],
      createdAt: grant.access_granted_at ?? undefined, expiresAt: grant.token_expires_at ?? undefined, lastUsedAt: grant.token_last_used_at ?? undefined,
      properties: {
        grantId: grant.id, tokenId: grant.token_id ?? undefined, tokenName: grant.token_name ?? undefined, ownerLogin: grant.owner.login,
        repositorySelection: grant.repository_selection, tokenExpired: grant.token_expired ?? undefined,
      },
    });
    b.edge({ kind: 'HOLDS', from: owner, to: credential, reason: `${grant.owner.login} created this token and can use it.` });
    const selection = lower(grant.repository_selection);
    let coverage: Coverage;
    if (selection === 'all') coverage = { mode: 'all' };
    else if (selection === 'none') coverage = { mode: 'none' };
    else {
      coverage = listedCoverage(kept(patRepos), grant.id) ?? { mode: 'assumed-all' };
      if (coverage.mode === 'assumed-all') note('fine-grained token grants on selected repositories without personal-access-tokens/<id>/repositories.json: every repository assumed (edges flagged assumed)');
    }
    // Approval: the organization approved the token's request when access was granted (editing a fine-grained
    // token's permissions sends it back for approval, so what it holds now is what was approved); the audit log
    // says which owner approved it.
    const approval = approvalOf(grant.token_id, grant.owner.login, grant.access_granted_at ?? undefined);
    if (approval) Object.assign(b.nodes.get(credential)!, approval, { approvedScopes: [...repoScopes, ...orgScopes, ...accountScopes] });
    const who = `Fine-grained PAT "${label}" of ${grant.owner.login}`;
    authority(credential, repoScopes, GITHUB_PERMISSIONS, { grant: credential, who, coverage, unknownTarget: () => 'repository' });
    authority(credential, orgScopes, GITHUB_PERMISSIONS, { grant: credential, who, coverage: { mode: 'all' }, unknownTarget: () => 'organization' });
    if (lower(grant.permissions.organization?.members ?? '') === 'write') memberWriters.push({ credential, who });
  }

  // Pending requests: recorded (owner OWNS the token) with no authority until an owner approves them.
  for (const { value: request } of [...patRequests].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const owner = identityRef(request.owner.login);
    const label = request.token_name ?? `request ${request.id}`;
    const credential = b.node({
      ...base, id: id('Credential', `fine-grained-pat-request/${request.id}`), kind: 'Credential', type: 'pat',
      name: `Pending request: fine-grained PAT "${label}" of ${request.owner.login}`,
      scopes: [...permissionScopes(request.permissions.repository), ...permissionScopes(request.permissions.organization)],
      createdAt: request.created_at ?? undefined, expiresAt: request.token_expires_at ?? undefined, lastUsedAt: request.token_last_used_at ?? undefined,
      properties: { pending: true, requestId: request.id, tokenId: request.token_id ?? undefined, tokenName: request.token_name ?? undefined, repositorySelection: request.repository_selection, requestReason: request.reason ?? undefined },
    });
    b.edge({ kind: 'OWNS', from: owner, to: credential, reason: 'Requested access for this token; it has none in the organization until an owner approves.' });
  }

  // (:Identity)-[:HOLDS]->(:Credential {classic PAT, OAuth or app user token, SSH key}); vendor apps hold OAuth tokens too.
  const appByName = new Map<string, string>();
  for (const [slug, nodeKey] of appNodes) { appByName.set(slug, nodeKey); appByName.set(lower(b.nameOf(nodeKey)), nodeKey); }
  const seenAuthorizations = new Set<string>();
  for (const { value: auth } of [...authorizations].sort((x, y) => x.value.credential_id.localeCompare(y.value.credential_id))) {
    if (seenAuthorizations.has(auth.credential_id)) continue;
    seenAuthorizations.add(auth.credential_id);
    writeAuthorization(auth);
  }
  function writeAuthorization(auth: CredentialAuthorization): void {
    const known = CREDENTIAL_AUTHORIZATION_TYPES[lower(auth.credential_type)];
    if (!known) note(`credential authorizations of a type blastmap does not know (${auth.credential_type}): read as classic tokens`);
    const spec = known ?? { type: 'pat' as const, label: auth.credential_type, prefix: 'credential', heldByApp: false };
    const holder = identityRef(auth.login);
    const label = auth.authorized_credential_note ?? auth.authorized_credential_title ?? undefined;
    const scopes = splitScopes(auth.scopes ?? []);
    const credential = b.node({
      ...base, id: id('Credential', `${spec.prefix}/${auth.credential_id}`), kind: 'Credential', type: spec.type,
      name: `${spec.label}${label ? ` "${label}"` : ''} of ${auth.login}${auth.token_last_eight ? ` (ends ${auth.token_last_eight})` : ''}`,
      hint: auth.token_last_eight?.slice(-16) ?? undefined, fingerprint: auth.fingerprint ?? undefined, scopes: spec.type === 'ssh-key' ? undefined : scopes,
      createdAt: auth.credential_authorized_at ?? undefined, lastUsedAt: auth.credential_accessed_at ?? undefined, expiresAt: auth.authorized_credential_expires_at ?? undefined,
      properties: {
        credentialId: auth.credential_id, authorizedCredentialId: auth.authorized_credential_id ?? undefined, credentialType: auth.credential_type,
        note: auth.authorized_credential_note ?? undefined, title: auth.authorized_credential_title ?? undefined, ownerLogin: auth.login, samlAuthorized: true,
      },
    });
    b.edge({ kind: 'HOLDS', from: holder, to: credential, reason: `${auth.login} owns this credential and authorized it for single sign-on into ${orgLogin}.` });
    if (spec.heldByApp) {
      if (label) {
        const app = appByName.get(lower(label)) ?? b.node({
          ...base, id: id('App', `oauth/${lower(label).replace(/[^a-z0-9._-]+/g, '-')}`), kind: 'App', name: label, thirdParty: true,
          properties: { appType: spec.prefix === 'oauth-token' ? 'oauth-app' : 'github-app', nameFrom: 'authorized_credential_note' },
        });
        appByName.set(lower(label), app);
        b.edge({ kind: 'HOLDS', from: app, to: credential, reason: `${label} keeps the tokens its users authorized, in its own systems.` });
        b.edge({ kind: 'CONSENTED', from: holder, to: app, grant: credential });
      } else {
        note('OAuth and app user tokens with no note: the app that holds them is unknown, only the user holds them');
      }
    }
    const who = `${spec.label} of ${auth.login}`;
    if (userRightsKnown) {
      // (:Credential)-[:AUTHENTICATES_AS {scopes}]->(:Identity): the user's own CAN_* edges, teams and roles bound it.
      if (spec.type === 'ssh-key') {
        b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: holder, scopes: ['repo'], reason: `${who} clones and pushes as ${auth.login}: git only, which is what the repo scope allows, on the repositories ${auth.login} may read or write.` });
        return;
      }
      if (scopes.length === 0) { note('tokens authorized without scopes (GitHub App user tokens act with the app\'s permissions): no authority edges'); return; }
      for (const scope of scopes) unknownScopes.note(lookupScope(GITHUB_OAUTH_SCOPES, scope));
      b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: holder, scopes, reason: `${who} acts as ${auth.login}, narrowed by its scopes (${scopes.join(', ')}), on what ${auth.login} may do in ${orgLogin}.` });
      // Package permissions are not in the export, so the package scopes keep the conditioned approximation.
      const packageScopes = scopes.filter((scope) => lookupScope(GITHUB_OAUTH_SCOPES, scope).entry.resources.includes('packages'));
      if (packageScopes.length > 0) authority(credential, packageScopes, GITHUB_OAUTH_SCOPES, { grant: credential, who, coverage: { mode: 'all' }, conditions: [USER_RIGHTS_CONDITION], unknownTarget: () => 'organization' });
      return;
    }
    note('classic tokens, OAuth tokens and SSH keys approximated as reaching every repository (condition signed-in-user-rights): the export lacks the collaborators of every repository or the members and repositories of every team');
    if (spec.type === 'ssh-key') {
      b.edge({ kind: 'CAN_WRITE', from: credential, to: platformId, grant: credential, conditions: [USER_RIGHTS_CONDITION], reason: `${who} pushes to every repository of ${orgLogin} that ${auth.login} can push to (approximated as every repository).` });
      return;
    }
    if (scopes.length === 0) note('tokens authorized without scopes (GitHub App user tokens act with the app\'s permissions): no authority edges');
    authority(credential, scopes, GITHUB_OAUTH_SCOPES, { grant: credential, who, coverage: { mode: 'all' }, conditions: [USER_RIGHTS_CONDITION], unknownTarget: () => 'organization' });
  }

  // (:Credential {deploy key})-[:CAN_READ|CAN_WRITE]->(:Resource {repository})
  for (const { value: key, parent } of [...deployKeys].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const repo = repoRef(`${parent[0]}/${parent[1]}`);
    const access = key.read_only ? 'read-only' : 'read-write';
    const credential = b.node({
      ...base, id: id('Credential', `deploy-key/${key.id}`), kind: 'Credential', type: 'deploy-key',
      name: `Deploy key "${key.title ?? key.id}" on ${repoName(repo)} (${access})`, fingerprint: key.fingerprint,
      createdAt: key.created_at ?? undefined, lastUsedAt: key.last_used ?? undefined, revoked: key.enabled === false ? true : undefined,
      properties: { keyId: key.id, title: key.title ?? undefined, readOnly: key.read_only, verified: key.verified ?? undefined, addedBy: key.added_by ?? undefined, enabled: key.enabled ?? undefined },
    });
    b.edge({ kind: key.read_only ? 'CAN_READ' : 'CAN_WRITE', from: credential, to: repo, grant: credential, reason: key.read_only ? `A read-only deploy key clones ${repoName(repo)}.` : `A read-write deploy key pushes to ${repoName(repo)}, and so changes what its workflows run.` });
    if (key.added_by) b.edge({ kind: 'OWNS', from: identityRef(key.added_by), to: credential, reason: `${key.added_by} added this deploy key.` });
  }

  // Actions secrets: (:Resource {repo})-[:RUNS_AS]->(:Identity {workflows})-[:HOLDS]->(:Credential {secret}).
  const workflowNodes = new Map<string, string>();
  const envProtection = new Map<string, Environment>();
  for (const { value, parent } of environments) envProtection.set(`${lower(`${parent[0]}/${parent[1]}`)}|${lower(value.name)}`, value);
  /** Protection rules of an environment, as conditions on the edges that run jobs in it. */
  function environmentConditions(fullName: string, environment: string): string[] {
    const protection = envProtection.get(`${lower(fullName)}|${lower(environment)}`);
    return [
      ...(protection?.protection_rules?.some((rule) => rule.type === 'branch_policy') || protection?.deployment_branch_policy ? ['branch-policy'] : []),
      ...(protection?.protection_rules?.some((rule) => rule.type === 'required_reviewers') ? ['required-reviewers'] : []),
    ];
  }
  function workflows(repo: string, environment?: string): string {
    const key = `${repo}|${environment ?? ''}`;
    const known = workflowNodes.get(key);
    if (known) return known;
    const fullName = repoName(repo);
    const nodeKey = b.node({
      ...base, id: id('Identity', environment ? `workflows/${fullName}/environments/${environment}` : `workflows/${fullName}`), kind: 'Identity', subtype: 'workload',
      name: environment ? `GitHub Actions workflows of ${fullName} (environment ${environment})` : `GitHub Actions workflows of ${fullName}`,
      properties: { repository: fullName, environment },
    });
    const conditions = environment ? environmentConditions(fullName, environment) : [];
    b.edge({
      kind: 'RUNS_AS', from: repo, to: nodeKey, conditions: conditions.length > 0 ? conditions : undefined,
      reason: environment
        ? `Whoever can push to ${fullName} can run a job in its ${environment} environment, with that environment's secrets${conditions.length > 0 ? ` (guarded by ${conditions.join(' and ')})` : ''}.`
        : `Whoever can push to ${fullName} changes what its workflows run, and so uses every secret they can read.`,
    });
    workflowNodes.set(key, nodeKey);
    return nodeKey;
  }
  const secretIds = new Map<string, string>();
  function secretNode(secret: ActionsSecret, scope: string, native: string, where: string): string {
    const nodeKey = b.node({
      ...base, id: id('Credential', `actions-secret/${native}`), kind: 'Credential', type: secretCredentialType(secret.name),
      name: `Actions secret ${secret.name} of ${where}`, createdAt: secret.created_at ?? undefined, rotatedAt: secret.updated_at ?? undefined,
      properties: { secretName: secret.name, secretScope: scope, location: where, visibility: secret.visibility ?? undefined, targetHint: secretTargetHint(secret.name) },
    });
    return nodeKey;
  }
  for (const { value: secret, parent } of [...repoSecrets].sort((x, y) => x.value.name.localeCompare(y.value.name))) {
    const repo = repoRef(`${parent[0]}/${parent[1]}`);
    const fullName = repoName(repo);
    const secretId = secretNode(secret, 'repository', `${fullName}/${secret.name}`, fullName);
    secretIds.set(`${lower(fullName)}:${lower(secret.name)}`, secretId);
    b.edge({ kind: 'HOLDS', from: workflows(repo), to: secretId, reason: `Workflows of ${fullName} read the repository secret ${secret.name}.` });
  }
  for (const { value: secret, parent, environment } of [...envSecrets].sort((x, y) => x.environment.localeCompare(y.environment) || x.value.name.localeCompare(y.value.name))) {
    const repo = repoRef(`${parent[0]}/${parent[1]}`);
    const fullName = repoName(repo);
    const secretId = secretNode(secret, 'environment', `${fullName}/environments/${environment}/${secret.name}`, `${fullName} (environment ${environment})`);
    secretIds.set(`${lower(fullName)}/environments/${lower(environment)}:${lower(secret.name)}`, secretId);
    b.edge({ kind: 'HOLDS', from: workflows(repo, environment), to: secretId, reason: `Jobs of ${fullName} in the ${environment} environment read the secret ${secret.name}.` });
  }
  const selectedFor = new Map<string, Scoped<Repository>[]>();
  for (const record of kept(orgSecretRepos)) selectedFor.set(lower(record.parent[0]!), [...(selectedFor.get(lower(record.parent[0]!)) ?? []), record]);
  const seenOrgSecrets = new Set<string>();
  for (const { value: secret } of [...orgSecrets].sort((x, y) => x.value.name.localeCompare(y.value.name))) {
    if (seenOrgSecrets.has(lower(secret.name))) continue;
    seenOrgSecrets.add(lower(secret.name));
    const secretId = secretNode(secret, 'organization', `${orgLogin}/${secret.name}`, `the organization ${orgLogin}`);
    secretIds.set(`${tenant}:${lower(secret.name)}`, secretId);
    const visibility = lower(secret.visibility ?? 'all');
    let visible: string[];
    let assumed = false;
    const allRepos = [...repoByKey.values()].filter((r) => lower(r.fullName.split('/')[0]!) === tenant);
    if (visibility === 'selected') {
      const listed = selectedFor.get(lower(secret.name));
      if (listed) visible = listed.map((r) => repoRef(r.value.full_name, r.value));
      else {
        note('organization secrets visible to selected repositories without actions/secrets/<name>/repositories.json: every repository assumed (edges flagged assumed)');
        visible = allRepos.map((r) => r.nodeId);
        assumed = true;
      }
    } else if (visibility === 'private') {
      visible = allRepos.filter((r) => r.visibility !== 'public').map((r) => r.nodeId);
    } else {
      visible = allRepos.map((r) => r.nodeId);
    }
    if (visible.length === 0) note('organization secrets visible to no repository in the export (is repos.json there?)');
    for (const repo of [...new Set(visible)].sort()) {
      b.edge({ kind: 'HOLDS', from: workflows(repo), to: secretId, assumed: assumed || undefined, reason: `Workflows of ${repoName(repo)} read the organization secret ${secret.name} (visibility ${visibility}).` });
    }
  }

  // secret-links.json: which node an Actions secret signs in as, through a stub resolved when that platform is imported.
  for (const { value, file } of secretLinks) {
    for (const [key, ref] of Object.entries(value as Record<string, string>).sort(([x], [y]) => x.localeCompare(y))) {
      const path = `$[${JSON.stringify(key)}]`;
      const secretId = secretIds.get(lower(key));
      const target = parseNodeRef(ref);
      if (!secretId) { problem({ file, path, message: 'no such Actions secret in the export', expected: '"<owner>/<repo>:<NAME>", "<owner>/<repo>/environments/<env>:<NAME>" or "<org>:<NAME>" of a secret in the export', found: key }); continue; }
      if (!target || (target.kind !== 'Identity' && target.kind !== 'App')) { problem({ file, path, message: 'not a reference to an identity or app', expected: '"<platform>:Identity:<key>", "<platform>:App:<key>" or a node id of an Identity or App', found: ref }); continue; }
      const stub = b.node(stubNode(target.platform, target.kind, target.key, target.key, SOURCE));
      b.edge({ kind: 'AUTHENTICATES_AS', from: secretId, to: stub, reason: `The secret ${b.nameOf(secretId)} signs in as ${target.key} on ${target.platform} (secret-links.json).` });
    }
  }

  // oidc-trusts.json: identities a repository's workflows assume through GitHub's OIDC tokens (no secret involved).
  for (const { value, file } of oidcTrusts) {
    for (const [key, refs] of Object.entries(value as Record<string, string | string[]>).sort(([x], [y]) => x.localeCompare(y))) {
      // `owner/repo`, or `owner/repo/environments/<env>` for a trust limited to one environment's jobs.
      const [owner, name, , environment] = key.split('/');
      for (const ref of (Array.isArray(refs) ? refs : [refs])) {
        const target = parseNodeRef(ref);
        if (!target || target.kind !== 'Identity') { problem({ file, path: `$[${JSON.stringify(key)}]`, message: 'not a reference to an identity', expected: '"<platform>:Identity:<key>" or a node id of an Identity', found: ref }); continue; }
        const repo = repoRef(`${owner}/${name}`);
        const stub = b.node(stubNode(target.platform, target.kind, target.key, target.key, SOURCE));
        const conditions = environment ? environmentConditions(repoName(repo), environment) : [];
        b.edge({
          kind: 'RUNS_AS', from: repo, to: stub, conditions: conditions.length > 0 ? conditions : undefined,
          reason: `Workflows of ${repoName(repo)}${environment ? ` in the ${environment} environment` : ''} assume ${target.key} on ${target.platform} with GitHub's OIDC token, without a secret (oidc-trusts.json).`,
        });
      }
    }
  }

  // Owners, base permission and teams.
  let ownerRole: string | undefined;
  if (owners.length > 0) {
    ownerRole = b.node({ ...base, id: id('Role', 'owner'), kind: 'Role', name: `Owner of ${orgLogin}`, privileged: true });
    b.edge({ kind: 'CAN_ADMIN', from: ownerRole, to: platformId, reason: 'Organization owners administer every repository, member, app and secret.' });
    for (const { value } of owners) b.edge({ kind: 'HAS_ROLE', from: identityRef(value.login), to: ownerRole, reason: `${value.login} is an owner of ${orgLogin}.` });
  }
  const basePermission = lower(org?.default_repository_permission ?? 'none');
  const baseLevel = REPOSITORY_ROLES[basePermission];
  if (baseLevel && members.length > 0) {
    const baseRole = b.node({ ...base, id: id('Role', 'base-permission'), kind: 'Role', name: `Base repository permission of ${orgLogin} (${basePermission})`, privileged: baseLevel === 'admin' });
    b.edge({ kind: LEVEL_EDGE[baseLevel], from: baseRole, to: platformId, scopes: [basePermission], reason: `Every member of ${orgLogin} has ${basePermission} on every repository.` });
    for (const { value } of members) b.edge({ kind: 'HAS_ROLE', from: identityRef(value.login), to: baseRole });
  }
  const teamNode = (slug: string, name?: string | null): string => {
    const nodeKey = id('Group', `team/${lower(slug)}`);
    if (!b.has(nodeKey)) b.node({ ...base, id: nodeKey, kind: 'Group', name: `Team ${name ?? slug} of ${orgLogin}`, properties: { teamSlug: lower(slug) } });
    return nodeKey;
  };
  for (const { value } of teams) teamNode(value.slug, value.name);
  for (const { value } of teams) if (value.parent) b.edge({ kind: 'MEMBER_OF', from: teamNode(value.slug), to: teamNode(value.parent.slug), reason: 'A child team inherits the access of its parent team.' });
  for (const { value, parent } of teamMembers) b.edge({ kind: 'MEMBER_OF', from: identityRef(value.login), to: teamNode(parent[0]!) });
  for (const { value, parent } of teamRepos) {
    const team = teamNode(parent[0]!);
    const role = value.role_name ? lower(value.role_name) : (['admin', 'maintain', 'push', 'triage', 'pull'] as const).find((name) => value.permissions?.[name]);
    const level = role ? REPOSITORY_ROLES[role] : undefined;
    if (!role || !level) { note(`team repositories with a custom or missing role${role ? ` (${role})` : ''}: left out`); continue; }
    const repo = repoRef(value.full_name, value);
    b.edge({ kind: LEVEL_EDGE[level], from: team, to: repo, scopes: [role], reason: `${b.nameOf(team)} has the ${role} role on ${repoName(repo)}.` });
  }
  if ((teams.length > 0 || teamMembers.length > 0) && !byRole.has('collaborators')) note('team and member lists do not include outside collaborators, and there is no collaborators.json: direct access to repositories is not in the graph');

  // (:Identity)-[:CAN_READ|CAN_WRITE|CAN_ADMIN]->(:Resource {repository}) for direct collaborators.
  for (const { value, parent } of [...kept(collaborators)].sort((x, y) => x.parent.join('/').localeCompare(y.parent.join('/')) || lower(x.value.login).localeCompare(lower(y.value.login)))) {
    const named = value.role_name ? lower(value.role_name) : undefined;
    const role = named && REPOSITORY_ROLES[named] ? named : (['admin', 'maintain', 'push', 'triage', 'pull'] as const).find((name) => value.permissions?.[name]);
    const level = role ? REPOSITORY_ROLES[role] : undefined;
    if (!role || !level) { note(`collaborators with a custom or missing role${named ? ` (${named})` : ''}: left out`); continue; }
    const repo = repoRef(`${parent[0]}/${parent[1]}`);
    const person = identityRef(value.login);
    if (!b.nodes.get(person)?.properties?.member) note('outside collaborators (people with direct access who are not members)');
    b.edge({ kind: LEVEL_EDGE[level], from: person, to: repo, scopes: [role], reason: `${value.login} is a collaborator of ${repoName(repo)} with the ${role} role.` });
  }

  // (:Role owner|:Identity maintainer|:Credential members:write)-[:CAN_ADD_MEMBER]->(:Group team): whoever can
  // change a team's members can add themselves and get what the team gets.
  const everyTeam = [...new Set([...teams.map((t) => teamNode(t.value.slug, t.value.name)), ...teamMembers.map((m) => teamNode(m.parent[0]!)), ...teamRepos.map((r) => teamNode(r.parent[0]!))])].sort();
  if (ownerRole) for (const team of everyTeam) b.edge({ kind: 'CAN_ADD_MEMBER', from: ownerRole, to: team, reason: `Organization owners manage the members of every team of ${orgLogin}.` });
  for (const { value, parent } of teamMaintainers) {
    const team = teamNode(parent[0]!);
    b.edge({ kind: 'CAN_ADD_MEMBER', from: identityRef(value.login), to: team, reason: `${value.login} maintains ${b.nameOf(team)}, so can add anyone to it.` });
  }
  for (const { credential, who } of memberWriters) {
    for (const team of everyTeam) b.edge({ kind: 'CAN_ADD_MEMBER', from: credential, to: team, grant: credential, scopes: ['members:write'], reason: `${who} has members:write, which adds people to any team of ${orgLogin}.` });
  }

  // (:Resource {repository})-[:RUNS_AS_ON_TRIGGER]->(:Identity {workflows}): a workflow that runs with the
  // repository's secrets on events a reader (or, for a public repository, anyone) causes.
  const triggered = new Map<string, { repo: string; workload: string; workflows: string[]; triggers: Set<string>; secrets: Set<string>; allSecrets: boolean }>();
  for (const { file, repo: fullName, facts } of [...workflowFiles].sort((x, y) => x.file.localeCompare(y.file))) {
    if (facts.readerTriggers.length === 0) continue;
    const repo = repoRef(fullName);
    const name = file.replace(/^.*\/contents\//i, '').replace(/\.json$/i, '');
    // Jobs in a deployment environment get that environment's secrets (guarded by its protection rules).
    const workloads = [workflows(repo), ...facts.environments.map((environment) => workflows(repo, environment))];
    for (const workload of workloads) {
      const entry = triggered.get(workload) ?? { repo, workload, workflows: [], triggers: new Set<string>(), secrets: new Set<string>(), allSecrets: false };
      entry.workflows.push(name);
      for (const trigger of facts.readerTriggers) entry.triggers.add(trigger);
      for (const secret of facts.secrets) entry.secrets.add(secret);
      entry.allSecrets ||= facts.allSecrets;
      triggered.set(workload, entry);
    }
  }
  for (const entry of [...triggered.values()].sort((x, y) => x.workload.localeCompare(y.workload))) {
    const triggers = [...entry.triggers].sort();
    const secrets = [...entry.secrets].sort();
    const visibility = [...repoByKey.values()].find((r) => r.nodeId === entry.repo)?.visibility;
    const conditions = [...(b.nodes.get(entry.workload)?.properties?.environment ? environmentConditions(repoName(entry.repo), String(b.nodes.get(entry.workload)!.properties!.environment)) : [])];
    b.edge({
      kind: 'RUNS_AS_ON_TRIGGER', from: entry.repo, to: entry.workload, conditions: conditions.length > 0 ? conditions : undefined,
      reason: `${entry.workflows.join(', ')} run${entry.workflows.length === 1 ? 's' : ''} on ${triggers.join(', ')}, which ${visibility === 'public' ? 'anyone' : 'whoever can read the repository'} can cause, with the repository's secrets${secrets.length > 0 ? ` (it names ${secrets.join(', ')})` : entry.allSecrets ? ' (it passes all of them on)' : ''}.`,
      properties: definedProperties({ workflows: entry.workflows, triggers, secretsUsed: secrets.length > 0 ? secrets : undefined, allSecrets: entry.allSecrets || undefined }),
    });
  }

  if (issues.length > 0) return { ok: false, issues };
  report.unknownScopes = unknownScopes.list();
  report.notes = [...fileNotes, ...[...notes.entries()].map(([text, count]) => `${count} ${text}`)];
  return { ok: true, fragment: b.fragment(), report };
}
