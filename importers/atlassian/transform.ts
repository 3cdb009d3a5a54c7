// Pure transform of Atlassian Admin API answers (the organization's API token list, per-account API tokens,
// managed accounts with their product access, Forge app manifests) into API tokens that act as their owners, what
// owners reach, and the sites Forge apps reach through their scopes.
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { nodeId } from '../../engine/format/native.ts';
import { fromZodIssues } from '../../engine/format/validate.ts';
import { readYaml } from '../../engine/format/yaml.ts';
import { coversNode } from '../../engine/schema/delegation.ts';
import { LEVEL_CODE, type Level } from '../../engine/schema/index.ts';
import { classifyFiles, emptyReport, type FileRole, type ImporterOptions, type ImporterReport, type ImporterResult } from '../common/importer.ts';
import { parseRecords, type Located, type RawFile } from '../common/records.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import { lookupScope, UnknownScopes } from '../common/scopes.ts';
import { ATLASSIAN_SCOPES } from './scopes.ts';
import { forgeManifestSchema, orgApiTokenSchema, orgUserSchema, userApiTokenSchema, type ForgeManifest, type OrgUser } from './schema.ts';

export const PLATFORM = 'atlassian';
const SOURCE = 'atlassian';
const ADMIN = 'curl -s -H "Authorization: Bearer $ATLASSIAN_ADMIN_API_KEY" -H "Accept: application/json"';

const USER_TOKENS_PATH = /(?:^|\/)(?:users\/([^/]+)\/(?:manage\/)?api-tokens[^/]*|user-api-tokens\/([^/]+))\.json$/i;
const ORG_PATH = /(?:^|\/)orgs\/([^/]+)\//i;

/** Input files by endpoint; per-account token files come first so that `users/<id>/api-tokens.json` is theirs. */
export const ATLASSIAN_FILES: readonly FileRole[] = [
  { role: 'userTokens', pattern: /(^|\/)(users\/[^/]+\/(manage\/)?api-tokens[^/]*|user-api-tokens\/[^/]+)\.json$/, produce: `${ADMIN} "https://api.atlassian.com/users/$ACCOUNT_ID/manage/api-tokens" > users/$ACCOUNT_ID/api-tokens.json`, shape: { fields: ['id', 'label', 'lastAccess'] } },
  { role: 'orgTokens', pattern: /(^|\/)(org-)?api-tokens[^/]*\.json$/, produce: `${ADMIN} "https://api.atlassian.com/admin/api-access/v1/orgs/$ORG_ID/api-tokens" > orgs/$ORG_ID/api-tokens.json`, shape: { envelope: ['data'], fields: ['id', 'user'] } },
  { role: 'forgeManifests', pattern: /(^|\/)(apps|forge-apps)\/[^/]+\/manifest\.ya?ml$/, produce: 'each Forge app\'s manifest.yml (the file `forge deploy` reads), saved as apps/<app name>/manifest.yml' },
  { role: 'users', pattern: /(^|\/)(org-)?users[^/]*\.json$/, produce: `${ADMIN} "https://api.atlassian.com/admin/v1/orgs/$ORG_ID/users" > orgs/$ORG_ID/users.json`, shape: { envelope: ['data'], fields: ['account_id'] } },
];

/** Token statuses that still authenticate; any other status (revoked, blocked, expired ...) does not. */
const USABLE_STATUSES = new Set(['allowed', 'active', 'enabled']);

const lower = (value: string): string => value.toLowerCase();

/** How sensitive a product site is, by product key (Jira, Confluence, Bitbucket ...). */
function productSpec(key: string): { tags: string[]; sensitivity: number } {
  const k = lower(key);
  if (k.includes('confluence')) return { tags: ['internal'], sensitivity: 7 };
  if (k.includes('bitbucket')) return { tags: ['source-code'], sensitivity: 8 };
  if (k.includes('jira')) return { tags: ['internal'], sensitivity: 6 };
  return { tags: [], sensitivity: 5 };
}

interface Account {
  id: string;
  name?: string;
  email?: string;
  fromDirectory?: OrgUser;
}

interface Token {
  id: string;
  accountId: string;
  label?: string;
  status?: string;
  createdAt?: string;
  lastUsedAt?: string;
  expiresAt?: string;
  listedBy: string[];
}

export function transformAtlassian(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const report: ImporterReport = emptyReport();
  const issues: InputIssue[] = [];
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, ATLASSIAN_FILES);
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  const notes = new Map<string, number>();
  const note = (text: string, count = 1): void => { notes.set(text, (notes.get(text) ?? 0) + count); };
  const orgCandidates: { id: string; file: string; path: string }[] = [];

  function read<S extends z.ZodType>(role: string, schema: S, keys: readonly string[], perFile?: (file: RawFile) => boolean): Located<z.output<S>>[] {
    const out: Located<z.output<S>>[] = [];
    for (const file of byRole.get(role) ?? []) {
      if (perFile && !perFile(file)) continue;
      const org = ORG_PATH.exec(file.path)?.[1];
      if (org) orgCandidates.push({ id: org, file: file.path, path: '$' });
      const result = parseRecords(schema, file, keys, { lenient: options.lenient });
      issues.push(...result.issues);
      report.skipped.push(...result.skipped);
      out.push(...result.records);
    }
    if (out.length > 0) report.records[role] = out.length;
    return out;
  }

  const orgTokens = read('orgTokens', orgApiTokenSchema, ['data']);
  const directory = read('users', orgUserSchema, ['data']);
  const userTokens = read('userTokens', userApiTokenSchema, ['data', 'tokens']);
  const manifests = readManifests(byRole.get('forgeManifests') ?? [], issues, report, options.lenient === true);
  for (const token of orgTokens) if (token.value.user.orgId) orgCandidates.push({ id: token.value.user.orgId, file: token.file, path: `${token.path}.user.orgId` });

  // The organization: --tenant, or the one org id the files agree on (token owners' orgId, orgs/<id>/ folders).
  const optionTenant = options.tenant?.trim() || undefined;
  const distinct = [...new Set(orgCandidates.map((c) => lower(c.id)))];
  const clash = orgCandidates.find((c) => lower(c.id) !== (optionTenant ? lower(optionTenant) : distinct[0]));
  if (clash) issues.push({ file: clash.file, path: clash.path, message: optionTenant ? '--tenant does not match the export' : 'several organizations in one export', expected: optionTenant ? `the organization given with --tenant (${optionTenant})` : `one organization per import (${distinct[0]})`, found: clash.id });
  const orgId = optionTenant ?? orgCandidates[0]?.id ?? (options.tenantFallback?.trim() || undefined);
  if (!orgId) issues.push({ path: '$', message: 'no organization id', expected: 'files under orgs/<org id>/, org API tokens naming user.orgId, or --tenant <org id>', found: 'none of them' });
  if (issues.length > 0 || !orgId) return { ok: false, issues };

  const tenant = lower(orgId);
  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, tenant, kind, native);
  const base = { platform: PLATFORM, tenant };
  const platformId = b.node({ ...base, id: id('Platform', 'org'), kind: 'Platform', vendor: 'Atlassian', name: `Atlassian organization ${orgId}`, properties: { orgId } });

  // Accounts from the directory, then from the tokens' owners; tokens by id (the org list and a user's own list overlap).
  const accounts = new Map<string, Account>();
  for (const { value: user } of directory) accounts.set(user.account_id, { id: user.account_id, name: user.name ?? undefined, email: user.email ?? undefined, fromDirectory: user });
  const tokens = new Map<string, Token>();
  const addToken = (token: Omit<Token, 'listedBy'>, listedBy: string): void => {
    const previous = tokens.get(token.id);
    if (!previous) { tokens.set(token.id, { ...token, listedBy: [listedBy] }); return; }
    for (const [field, value] of Object.entries(token)) if ((previous as unknown as Record<string, unknown>)[field] === undefined) (previous as unknown as Record<string, unknown>)[field] = value;
    if (!previous.listedBy.includes(listedBy)) previous.listedBy.push(listedBy);
  };
  for (const { value: token } of orgTokens) {
    const account = accounts.get(token.user.id) ?? accounts.set(token.user.id, { id: token.user.id }).get(token.user.id)!;
    account.name ??= token.user.name ?? undefined;
    account.email ??= token.user.email ?? undefined;
    addToken({ id: token.id, accountId: token.user.id, label: token.label ?? undefined, status: token.status ?? undefined, createdAt: token.createdAt ?? undefined, lastUsedAt: token.lastActiveAt ?? undefined, expiresAt: token.expiresAt ?? undefined }, 'organization');
  }
  for (const { value: token, file } of userTokens) {
    const match = USER_TOKENS_PATH.exec(file);
    const accountId = match?.[1] ?? match?.[2];
    if (!accountId) continue;
    if (!accounts.has(accountId)) accounts.set(accountId, { id: accountId });
    addToken({ id: token.id, accountId, label: token.label ?? undefined, createdAt: token.createdAt ?? undefined, lastUsedAt: token.lastAccess ?? undefined, expiresAt: token.expiry ?? undefined }, 'account');
  }

  // (:Identity) Atlassian accounts, keyed by account id, with their sign-in email.
  for (const account of [...accounts.values()].sort((x, y) => x.id.localeCompare(y.id))) {
    const user = account.fromDirectory;
    b.node({
      ...base, id: id('Identity', account.id), kind: 'Identity', name: account.name || account.email || `account ${account.id}`,
      subtype: lower(user?.account_type ?? '') === 'app' ? 'service' : 'human', email: account.email ? lower(account.email) : undefined,
      enabled: user?.account_status ? lower(user.account_status) === 'active' : undefined,
      properties: definedProperties({ accountId: account.id, accountType: user?.account_type, accountStatus: user?.account_status, lastActive: user?.last_active }),
    });
  }

  // (:Identity)-[:CAN_WRITE]->(:Resource {product site}): product access from the directory. What a user may do
  // inside Jira or Confluence (project and space permissions) is not in the Admin API: write is the approximation.
  function productResource(key: string, name: string | null | undefined, url: string | null | undefined): string {
    const site = url ? url.replace(/^https?:\/\//, '').replace(/\/+$/, '') : 'site';
    const resourceId = id('Resource', `product/${site}/${key}`);
    if (!b.has(resourceId)) {
      const spec = productSpec(key);
      b.node({ ...base, id: resourceId, kind: 'Resource', name: `${name || key} (${site})`, resourceType: 'product-site', tags: spec.tags.length ? spec.tags : undefined, sensitivity: spec.sensitivity, properties: { productKey: key, site } });
      b.edge({ kind: 'CONTAINS', from: platformId, to: resourceId });
    }
    return resourceId;
  }
  for (const { value: user } of directory) {
    for (const product of user.product_access ?? []) {
      b.edge({ kind: 'CAN_WRITE', from: id('Identity', user.account_id), to: productResource(product.key, product.name, product.url), reason: `Has access to ${product.name || product.key}; project and space permissions are not in the Admin API, so write access is assumed.` });
    }
  }
  const sitesResource = (): string => {
    const resourceId = id('Resource', 'sites');
    if (!b.has(resourceId)) {
      b.node({ ...base, id: resourceId, kind: 'Resource', name: 'Jira and Confluence sites of the organization (per-user access not exported)', resourceType: 'product-site', tags: ['internal'], sensitivity: 7, properties: { approximation: true } });
      b.edge({ kind: 'CONTAINS', from: platformId, to: resourceId });
    }
    return resourceId;
  };

  // (:Identity)-[:OWNS]->(:Credential {api-key})-[:AUTHENTICATES_AS]->(:Identity): an API token is its owner.
  for (const token of [...tokens.values()].sort((x, y) => x.id.localeCompare(y.id))) {
    const account = accounts.get(token.accountId)!;
    const owner = id('Identity', token.accountId);
    const who = account.email || account.name || token.accountId;
    const usable = token.status === undefined || USABLE_STATUSES.has(lower(token.status));
    const credential = b.node({
      ...base, id: id('Credential', `api-token/${token.id}`), kind: 'Credential', type: 'api-key',
      name: `API token ${token.label ? `"${token.label}" ` : ''}of ${who}`, createdAt: token.createdAt, lastUsedAt: token.lastUsedAt, expiresAt: token.expiresAt,
      revoked: usable ? undefined : true,
      properties: definedProperties({ tokenId: token.id, label: token.label, status: token.status, accountId: token.accountId, listedBy: token.listedBy.sort() }),
    });
    b.edge({ kind: 'OWNS', from: owner, to: credential });
    b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: owner, reason: `An Atlassian API token signs in to the REST APIs as ${who}, with everything that account can do.` });
    if (!usable) note('API tokens whose status is not ALLOWED: imported as revoked');
    if (!account.fromDirectory) {
      b.edge({ kind: 'CAN_WRITE', from: owner, to: sitesResource(), assumed: true, reason: `${who}'s product access is not in the export (no users.json entry): assumed to use the organization's Jira and Confluence sites.` });
    }
  }
  // (:App {Forge app})-[:CAN_*]->(:Resource {product site}): what the manifest's scopes allow on the sites of their
  // product. Which sites the app is installed on is not in the manifest: every site of that product is assumed.
  const unknownScopes = new UnknownScopes();
  for (const { value: manifest, file } of manifests) {
    const appUuid = manifest.app.id.split('/').pop()!;
    const scopes = [...new Set(manifest.permissions?.scopes ?? [])].sort();
    const folderName = /(?:^|\/)(?:apps|forge-apps)\/([^/]+)\/manifest\.ya?ml$/i.exec(file)?.[1];
    const appId = b.node({
      ...base, id: id('App', appUuid), kind: 'App', name: manifest.app.name || folderName || `Forge app ${appUuid}`,
      properties: definedProperties({ forgeAppId: manifest.app.id, oauthScopes: scopes, manifest: file }),
    });
    b.edge({ kind: 'INSTALLED_IN', from: appId, to: platformId });
    const lookups = scopes.map((scope) => lookupScope(ATLASSIAN_SCOPES, scope));
    for (const lookup of lookups) unknownScopes.note(lookup);
    const sites = [...b.nodes.values()].filter((n) => n.kind === 'Resource' && n.resourceType === 'product-site' && n.platform === PLATFORM);
    for (const site of sites.length > 0 ? sites : [b.nodes.get(sitesResource())!]) {
      // A scope no catalogue knows gets the conservative rule's level on every site, flagged assumed.
      const covering = lookups.filter((l) => l.assumed || l.entry.resources.some((r) => coversNode(r, site)));
      if (covering.length === 0) continue;
      const level = covering.reduce<Level>((best, l) => (LEVEL_CODE[l.entry.level] > LEVEL_CODE[best] ? l.entry.level : best), 'read');
      const assumed = covering.some((l) => l.assumed);
      b.edge({
        kind: level === 'admin' ? 'CAN_ADMIN' : level === 'write' ? 'CAN_WRITE' : 'CAN_READ', from: appId, to: site.id, scopes: covering.map((l) => l.scope), assumed: assumed || undefined,
        reason: `The Forge app's manifest requests ${covering.map((l) => l.scope).join(', ')}; the sites it is installed on are not in the export, so every ${site.name} is assumed.`,
      });
    }
  }
  if (manifests.length > 0) note('Forge apps: the sites they are installed on are not in the manifest; every site of the products their scopes name is assumed', manifests.length);
  report.unknownScopes = unknownScopes.list();

  const assumedOwners = new Set([...tokens.values()].filter((t) => !accounts.get(t.accountId)!.fromDirectory).map((t) => t.accountId)).size;
  if (assumedOwners > 0) note('token owners without a users.json entry: assumed to have write access to the organization\'s sites', assumedOwners);

  report.notes = [...fileNotes, ...[...notes.entries()].map(([text, count]) => `${count} ${text}`)];
  return { ok: true, fragment: b.fragment(), report };
}

/** Forge manifests (YAML): each one validated, an issue naming the file and the line of what is wrong. */
function readManifests(files: readonly RawFile[], issues: InputIssue[], report: ImporterReport, lenient: boolean): Located<ForgeManifest>[] {
  const out: Located<ForgeManifest>[] = [];
  for (const file of files) {
    const read = readYaml(file.text, { file: file.path, what: 'a Forge app manifest' });
    if (!read.ok) { (lenient ? report.skipped : issues).push(...read.issues); continue; }
    const result = forgeManifestSchema.safeParse(read.value);
    if (!result.success) {
      const found = fromZodIssues(result.error.issues, read.value, file.path, []).map((issue) => ({ ...issue, line: read.lineAt(issue.path) }));
      (lenient ? report.skipped : issues).push(...found);
      continue;
    }
    out.push({ value: result.data, file: file.path, path: '$' });
  }
  if (out.length > 0) report.records.forgeManifests = out.length;
  return out;
}
