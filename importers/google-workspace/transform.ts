// Pure transform from Google Workspace Admin SDK exports to a Fragment: users, per-user OAuth grants with
// their history, and domain-wide delegation. The mapping is documented in docs/importers/google-workspace.md.
import type { InputIssue } from '../../engine/errors.ts';
import { nodeId, type Fragment } from '../../engine/format/native.ts';
import { stubNode } from '../../engine/store/link.ts';
import type { Level } from '../../engine/schema/index.ts';
import { emptyReport, type ImporterReport } from '../common/importer.ts';
import type { Located } from '../common/records.ts';
import { lookupScope, splitScopes, UnknownScopes, scopeCatalogSchema, type ScopeLookup } from '../common/scopes.ts';
import { definedProperties, FragmentBuilder, withoutPrototype } from '../common/builder.ts';
import firstPartyData from './first-party.json' with { type: 'json' };
import scopeData from '../../engine/schema/scopes/google-workspace.json' with { type: 'json' };
import { historyKey, revokedLast, type GrantHistory, type LocatedToken } from './read.ts';
import type { Delegation, GoogleGroup, GoogleMember, GoogleUser } from './schema.ts';

export const PLATFORM = 'google-workspace';
export const SOURCE = 'google-workspace';

/** Null-prototype table: a scope named `constructor` or `toString` in an export must read as unknown. */
export const SCOPE_CATALOG = withoutPrototype(scopeCatalogSchema.parse(scopeData));
export const FIRST_PARTY_CLIENTS: Readonly<Record<string, string>> = firstPartyData.clients;

/** Admin SDK (and Vault, licensing, group settings) scopes do nothing unless the user is an administrator. */
const ADMIN_ONLY_SCOPE = /^https:\/\/www\.googleapis\.com\/auth\/(admin\.|ediscovery|apps\.groups\.settings|apps\.licensing|cloud-identity\.groups)/;
export const isAdminOnlyScope = (scope: string): boolean => ADMIN_ONLY_SCOPE.test(scope);

/** Data every user has; one Resource per user, created only when something reaches it. */
const PER_USER = {
  mailbox: { name: 'Mailbox', all: 'All mailboxes', tags: ['pii'] },
  drive: { name: 'Drive', all: 'All drives', tags: ['pii'] },
  calendar: { name: 'Calendar', all: 'All calendars', tags: ['internal'] },
  contacts: { name: 'Contacts', all: 'All contacts', tags: ['pii'] },
  profile: { name: 'Profile', all: '', tags: [] },
  other: { name: 'Other Google data', all: 'All other Google data', tags: [] },
} as const;
type PerUserType = keyof typeof PER_USER;

/** Tenant-wide resources. `profile` lives in the users directory. */
const TENANT = {
  directory: { name: 'Users directory', tags: ['pii'] },
  groups: { name: 'Groups and memberships', tags: ['internal'] },
  devices: { name: 'Managed devices', tags: ['internal'] },
  'audit-logs': { name: 'Audit logs and usage reports', tags: ['internal'] },
  settings: { name: 'Workspace settings (domains, customer, schemas, resources)', tags: ['internal'] },
} as const;
type TenantType = keyof typeof TENANT;

const isPerUser = (type: string): type is PerUserType => Object.hasOwn(PER_USER, type);
const isTenant = (type: string): type is TenantType => Object.hasOwn(TENANT, type);

const KIND_OF_LEVEL: Record<Level, 'CAN_READ' | 'CAN_WRITE' | 'CAN_ADMIN'> = { read: 'CAN_READ', write: 'CAN_WRITE', admin: 'CAN_ADMIN' };
const VERB: Record<Level, string> = { read: 'read', write: 'write to', admin: 'fully control' };

/** Short form of a scope for sentences: `https://www.googleapis.com/auth/gmail.readonly` -> `gmail.readonly`. */
export const shortScope = (scope: string): string => scope.replace(/^https:\/\/www\.googleapis\.com\/auth\//, '');

export interface WorkspaceInput {
  users: Located<GoogleUser>[];
  tokens: LocatedToken[];
  /** User keys (ids or emails, lower-cased) whose token list was exported. */
  tokensCovered: Set<string>;
  histories: Map<string, GrantHistory>;
  delegations: Located<Delegation>[];
  /** groups.list and members.list (optional: without them there are no Group nodes). */
  groups?: Located<GoogleGroup>[];
  members?: Located<GoogleMember>[];
}

/** The group a members.list file belongs to: `groups/<groupKey>/members.json` or `group-members/<groupKey>.json`. */
function groupKeyOf(path: string): string | undefined {
  const match = /(?:^|\/)groups\/([^/]+)\/members[^/]*\.json$/i.exec(path) ?? /(?:^|\/)group-members\/([^/]+)\.json$/i.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!).toLowerCase();
  } catch {
    return match[1]!.toLowerCase();
  }
}

/**
 * The tenant key: `--tenant`, else the one domain of the administrators' primary emails, else the one domain
 * of all users. Several candidates (or none) is an error that names them.
 */
export function primaryDomain(users: readonly Located<GoogleUser>[], tenant: string | undefined, fallback?: string): { ok: true; domain: string } | { ok: false; issue: InputIssue } {
  if (tenant) return { ok: true, domain: tenant.toLowerCase() };
  const domainOf = (u: GoogleUser): string => u.primaryEmail.slice(u.primaryEmail.indexOf('@') + 1).toLowerCase();
  const admins = [...new Set(users.filter((u) => u.value.isAdmin).map((u) => domainOf(u.value)))].sort();
  if (admins.length === 1) return { ok: true, domain: admins[0]! };
  const all = [...new Set(users.map((u) => domainOf(u.value)))].sort();
  if (admins.length === 0 && all.length === 1) return { ok: true, domain: all[0]! };
  const candidates = admins.length > 1 ? admins : all;
  if (fallback?.trim()) return { ok: true, domain: fallback.trim().toLowerCase() };
  return {
    ok: false,
    issue: {
      file: users[0]?.file, path: '$', message: 'cannot tell the primary domain',
      expected: 'one domain among the administrators\' primary emails (or all users\'), or --tenant <primary domain>',
      found: candidates.length === 0 ? 'no users' : `several: ${candidates.join(', ')}`,
    },
  };
}

interface UserInfo {
  user: GoogleUser;
  id: string;
  email: string;
  admin: boolean;
  active: boolean;
}

/** Builds the fragment. Pure: the same input always gives the same fragment, in the same order. */
export function buildWorkspace(input: WorkspaceInput, domain: string, options: { lenient?: boolean } = {}): { fragment: Fragment; report: ImporterReport; issues: InputIssue[] } {
  const report = emptyReport();
  const issues: InputIssue[] = [];
  const unknown = new UnknownScopes();
  let adminScopesIgnored = 0;
  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, domain, kind, native);
  const base = { platform: PLATFORM, tenant: domain };

  // (:Platform) the Workspace tenant
  const platformId = b.node({ ...base, id: id('Platform', domain), kind: 'Platform', name: `Google Workspace ${domain}`, vendor: 'Google', properties: customerProperties(input.users) });

  // Tenant-wide resources, created on first use; (:Platform)-[:CONTAINS]->(:Resource)
  const tenantResource = (type: TenantType | Exclude<PerUserType, 'profile'>): string => {
    const isAll = isPerUser(type);
    const rid = id('Resource', isAll ? `all/${type}` : type);
    if (!b.nodes.has(rid)) {
      const spec = isAll ? PER_USER[type] : TENANT[type];
      b.node({ ...base, id: rid, kind: 'Resource', name: `${isAll ? PER_USER[type].all : TENANT[type as TenantType].name} (${domain})`, resourceType: type, ...(spec.tags.length > 0 ? { tags: [...spec.tags] } : {}), properties: { allUsers: true } });
      b.edge({ kind: 'CONTAINS', from: platformId, to: rid, reason: `The ${domain} tenant holds it.` });
    }
    return rid;
  };

  const users = new Map<string, UserInfo>();
  const byKey = new Map<string, UserInfo>();
  for (const { value: user } of input.users) {
    const email = user.primaryEmail.toLowerCase();
    if (users.has(email)) continue;
    const info: UserInfo = { user, id: id('Identity', email), email, admin: user.isAdmin || user.isDelegatedAdmin === true, active: user.suspended !== true && user.archived !== true };
    users.set(email, info);
    byKey.set(email, info);
    byKey.set(user.id.toLowerCase(), info);
  }

  // (:Resource {directory})-[:MANAGES]->(:Identity): whoever administers the directory resets any password.
  const directoryId = users.size > 0 ? tenantResource('directory') : undefined;
  const superAdminId = id('Role', 'super-admin');
  for (const info of [...users.values()].sort((a, b2) => a.email.localeCompare(b2.email))) {
    const { user } = info;
    b.node({
      ...base, id: info.id, kind: 'Identity', subtype: 'human', name: user.name?.fullName || info.email, email: info.email,
      enabled: info.active, mfa: user.isEnrolledIn2Sv ?? undefined,
      properties: definedProperties({
        googleId: user.id, isAdmin: user.isAdmin, isDelegatedAdmin: user.isDelegatedAdmin, isEnforcedIn2Sv: user.isEnforcedIn2Sv,
        suspended: user.suspended, suspensionReason: user.suspensionReason, archived: user.archived, orgUnitPath: user.orgUnitPath,
        creationTime: user.creationTime, lastLoginTime: neverSignedIn(user.lastLoginTime) ? undefined : user.lastLoginTime,
        neverSignedIn: neverSignedIn(user.lastLoginTime) ? true : undefined,
      }),
    });
    if (directoryId) b.edge({ kind: 'MANAGES', from: directoryId, to: info.id, reason: `An administrator of the ${domain} directory can reset ${info.email}'s password and sign in as them.` });
    if (user.isAdmin) {
      // (:Identity)-[:HAS_ROLE]->(:Role {Super Admin})-[:CAN_ADMIN]->(:Platform)
      if (!b.nodes.has(superAdminId)) {
        b.node({ ...base, id: superAdminId, kind: 'Role', name: 'Super Admin', privileged: true });
        b.edge({ kind: 'CAN_ADMIN', from: superAdminId, to: platformId, reason: `A super administrator controls every setting, user and piece of data in ${domain}.` });
      }
      b.edge({ kind: 'HAS_ROLE', from: info.id, to: superAdminId, reason: `${info.email} is a super administrator (isAdmin).` });
    }
  }

  // (:Group) from groups.list, keyed by email (GCP IAM bindings name groups by email: the gcp import's stubs resolve).
  const groupByKey = new Map<string, string>();
  for (const { value: group } of input.groups ?? []) {
    const email = group.email.toLowerCase();
    const gid = id('Group', email);
    if (!b.nodes.has(gid)) {
      b.node({
        ...base, id: gid, kind: 'Group', name: group.name || email,
        properties: definedProperties({ email, googleId: group.id, description: group.description, directMembersCount: group.directMembersCount == null ? undefined : Number(group.directMembersCount), adminCreated: group.adminCreated }),
      });
    }
    groupByKey.set(email, gid);
    groupByKey.set(group.id.toLowerCase(), gid);
  }
  const allGroups = [...new Set(groupByKey.values())].sort();
  /** Groups each user owns or manages: what a grant acting as that user may change through the Cloud Identity Groups API. */
  const managedBy = new Map<string, Set<string>>();
  const groupNotes = new Map<string, number>();
  const groupNote = (text: string): void => { groupNotes.set(text, (groupNotes.get(text) ?? 0) + 1); };
  for (const record of input.members ?? []) {
    const key = groupKeyOf(record.file);
    const gid = key === undefined ? undefined : groupByKey.get(key);
    if (!gid) {
      const issue = { file: record.file, path: record.path, message: 'a group member of an unknown group', expected: 'a file at groups/<group email or id>/members.json whose group is in groups.list', found: key ?? record.file };
      (options.lenient ? report.skipped : issues).push(issue);
      continue;
    }
    const member = record.value;
    const memberKey = (member.email ?? member.id ?? '').toLowerCase();
    const type = member.type.toUpperCase();
    if (type === 'CUSTOMER') {
      // (:Identity)-[:MEMBER_OF]->(:Group): the whole customer, every user of the domain.
      for (const info of users.values()) b.edge({ kind: 'MEMBER_OF', from: info.id, to: gid, reason: `Every ${domain} user is a member (the group holds the whole customer).` });
      continue;
    }
    if (type === 'GROUP') {
      const nested = groupByKey.get(memberKey);
      if (nested) b.edge({ kind: 'MEMBER_OF', from: nested, to: gid });
      else groupNote('group members that are groups not in groups.list (another domain?): left out');
      continue;
    }
    const info = type === 'USER' ? byKey.get(memberKey) : undefined;
    if (!info) { groupNote('group members outside the exported users (external addresses, service accounts): left out'); continue; }
    // (:Identity)-[:MEMBER_OF]->(:Group)
    b.edge({ kind: 'MEMBER_OF', from: info.id, to: gid });
    const role = (member.role ?? 'MEMBER').toUpperCase();
    if (role === 'OWNER' || role === 'MANAGER') {
      // (:Identity)-[:CAN_ADD_MEMBER]->(:Group): owners and managers add members (the default "who can manage members").
      b.edge({ kind: 'CAN_ADD_MEMBER', from: info.id, to: gid, reason: `${info.email} is a group ${role.toLowerCase()}: owners and managers can add members (the group's default member management setting).` });
      const set = managedBy.get(info.email) ?? new Set<string>();
      set.add(gid);
      managedBy.set(info.email, set);
    }
  }
  if (b.nodes.has(superAdminId)) {
    // (:Role {Super Admin})-[:CAN_ADD_MEMBER]->(:Group)
    for (const gid of allGroups) b.edge({ kind: 'CAN_ADD_MEMBER', from: superAdminId, to: gid, reason: 'A super administrator changes the members of any group.' });
  }

  /**
   * (:Credential)-[:CAN_ADD_MEMBER]->(:Group) from group-writing scopes (`takeover: add-member`). The Directory API
   * scopes work for administrators only: every group. A non-administrator's cloud-identity.groups grant changes only
   * the groups that user owns or manages. Domain-wide delegation acts as any user, administrators included.
   */
  const memberEdges = (grantId: string, lookups: readonly ScopeLookup[], holder: UserInfo | 'everyone', who: string, hasAdmin: boolean): void => {
    for (const lookup of lookups) {
      if (lookup.assumed || lookup.entry.takeover !== 'add-member') continue;
      const short = shortScope(lookup.scope);
      let targets: string[];
      let why: string;
      if (holder === 'everyone') { targets = hasAdmin ? allGroups : []; why = 'impersonating an administrator'; }
      else if (holder.admin) { targets = allGroups; why = `as administrator ${holder.email}`; }
      else if (/\/cloud-identity\.groups$/.test(lookup.scope)) { targets = [...(managedBy.get(holder.email) ?? [])].sort(); why = `as ${holder.email}, who owns or manages the group`; }
      else continue;
      for (const to of targets) b.edge({ kind: 'CAN_ADD_MEMBER', from: grantId, to, scopes: [lookup.scope], grant: grantId, reason: `${who} can add members to this group with ${short} (${why}).` });
    }
  };

  // A user's own data, created on first use: contained in the tenant-wide set, owned by the user.
  const userResource = (info: UserInfo, type: PerUserType): string => {
    const rid = id('Resource', `${type}/${info.email}`);
    if (!b.nodes.has(rid)) {
      const spec = PER_USER[type];
      b.node({ ...base, id: rid, kind: 'Resource', name: `${spec.name} of ${info.email}`, resourceType: type, ...(spec.tags.length > 0 ? { tags: [...spec.tags] } : {}), properties: { owner: info.email } });
      const container = type === 'profile' ? tenantResource('directory') : tenantResource(type);
      b.edge({ kind: 'CONTAINS', from: container, to: rid });
      // (:Identity)-[:CAN_ADMIN]->(:Resource): the owner
      b.edge({ kind: 'CAN_ADMIN', from: info.id, to: rid, reason: `${info.email} owns it.` });
    }
    return rid;
  };

  /** Resources a scope reaches: one user's data, or every user's (tenant-wide), and the level. */
  const targetsOf = (lookup: ScopeLookup, holder: UserInfo | 'everyone'): string[] => {
    if (lookup.assumed) return [holder === 'everyone' ? tenantResource('other') : userResource(holder, 'other')];
    return lookup.entry.resources.flatMap((type): string[] => {
      if (type === 'platform') return [platformId];
      if (isTenant(type)) return [tenantResource(type)];
      if (!isPerUser(type)) return [];
      if (holder === 'everyone' || lookup.entry.tenantWide) return [type === 'profile' ? tenantResource('directory') : tenantResource(type)];
      return [userResource(holder, type)];
    });
  };

  /** Authority edges from a grant, one per (target, level), each carrying the scopes that justify it. */
  const authorityEdges = (grantId: string, scopes: readonly string[], holder: UserInfo | 'everyone', who: string): ScopeLookup[] => {
    const lookups: ScopeLookup[] = [];
    const grouped = new Map<string, { to: string; level: Level; scopes: string[]; assumed: boolean }>();
    for (const scope of scopes) {
      const lookup = lookupScope(SCOPE_CATALOG, scope);
      unknown.note(lookup);
      lookups.push(lookup);
      if (holder !== 'everyone' && isAdminOnlyScope(scope) && !holder.admin) { adminScopesIgnored++; continue; }
      for (const to of targetsOf(lookup, holder)) {
        const key = `${to}|${lookup.entry.level}`;
        const group = grouped.get(key) ?? { to, level: lookup.entry.level, scopes: [], assumed: true };
        group.scopes.push(scope);
        group.assumed &&= lookup.assumed;
        grouped.set(key, group);
      }
    }
    for (const group of grouped.values()) {
      const target = b.nodes.get(group.to)!;
      b.edge({
        kind: KIND_OF_LEVEL[group.level], from: grantId, to: group.to, scopes: group.scopes, grant: grantId,
        reason: `${who} can ${VERB[group.level]} ${target.name} with ${group.scopes.map(shortScope).join(', ')}${group.assumed ? ' (level assumed: scope not in the catalogue)' : ''}.`,
        ...(group.assumed ? { assumed: true } : {}),
      });
    }
    return lookups;
  };

  // Apps and per-user grants: tokens.list (current state), enriched and completed by the token activity report.
  const appIds = new Map<string, string>();
  const app = (clientId: string, name: string | undefined, facts: { nativeApp?: boolean | null; anonymous?: boolean | null }): string => {
    const aid = id('App', clientId);
    const firstParty = Object.hasOwn(FIRST_PARTY_CLIENTS, clientId) ? FIRST_PARTY_CLIENTS[clientId] : undefined;
    if (!b.nodes.has(aid)) {
      b.node({
        ...base, id: aid, kind: 'App', name: name || firstParty || clientId, thirdParty: firstParty === undefined,
        ...(firstParty ? { vendor: 'Google' } : {}), ...(facts.anonymous === true ? { publisherVerified: false } : {}),
        properties: definedProperties({ clientId, nativeApp: facts.nativeApp, anonymous: facts.anonymous, firstParty }),
      });
      // (:App)-[:INSTALLED_IN]->(:Platform)
      b.edge({ kind: 'INSTALLED_IN', from: aid, to: platformId });
    }
    appIds.set(clientId, aid);
    return aid;
  };

  interface Grant { info: UserInfo; clientId: string; name?: string; scopes: string[]; nativeApp?: boolean | null; anonymous?: boolean | null; history?: GrantHistory; current: boolean }
  const grants = new Map<string, Grant>();
  let unknownUsers = 0;
  for (const located of input.tokens) {
    const info = byKey.get(located.userKey.toLowerCase());
    if (!info) {
      const issue = { file: located.file, path: located.path, message: `token for unknown user ${located.userKey}`, expected: 'a userKey (user id or primary email) listed in users.list', found: JSON.stringify(located.userKey) };
      (options.lenient ? report.skipped : issues).push(issue);
      continue;
    }
    const key = historyKey(info.email, located.token.clientId);
    const previous = grants.get(key);
    const scopes = [...new Set([...(previous?.scopes ?? []), ...splitScopes(located.token.scopes)])];
    grants.set(key, { info, clientId: located.token.clientId, name: located.token.displayText ?? undefined, scopes, nativeApp: located.token.nativeApp, anonymous: located.token.anonymous, current: true });
  }
  let historyOnly = 0;
  for (const history of input.histories.values()) {
    const info = users.get(history.email);
    if (!info) { unknownUsers++; continue; }
    const key = historyKey(info.email, history.clientId);
    const grant = grants.get(key);
    if (grant) { grant.history = history; continue; }
    historyOnly++;
    grants.set(key, { info, clientId: history.clientId, name: history.appName, scopes: [...history.scopes].sort(), nativeApp: history.nativeApp, history, current: false });
  }
  const covered = (info: UserInfo): boolean => input.tokensCovered.has(info.email) || input.tokensCovered.has(info.user.id.toLowerCase());

  for (const key of [...grants.keys()].sort()) {
    const grant = grants.get(key)!;
    const { info, history } = grant;
    const aid = app(grant.clientId, grant.name ?? history?.appName, { nativeApp: grant.nativeApp, anonymous: grant.anonymous });
    const appName = b.nodes.get(aid)!.name;
    const gid = id('Credential', `oauth-grant/${info.email}/${grant.clientId}`);
    // Not in tokens.list although the user's list was exported: gone since its last event (revoked, expired, or
    // removed by a password change). A revoke after the last authorize says when.
    const revokedByReport = history !== undefined && revokedLast(history);
    const goneFromList = !grant.current && covered(info);
    const revoked = grant.current ? false : revokedByReport || goneFromList;
    b.node({
      ...base, id: gid, kind: 'Credential', type: 'oauth-grant', name: `${appName} grant for ${info.email}`,
      scopes: [...grant.scopes].sort(),
      ...(history?.firstAuthorizedAt ? { createdAt: history.firstAuthorizedAt } : {}),
      ...(history?.lastUsedAt ? { lastUsedAt: history.lastUsedAt } : {}),
      // A token `authorize` event is the user's own consent: the user approved the grant then. Each event lists
      // the scopes of that request only (incremental authorisation), so what the approval covered is not claimed.
      ...(history?.lastAuthorizedAt ? { approvedBy: info.id, approvedAt: history.lastAuthorizedAt } : {}),
      ...(revoked ? { revoked: true, revokedAt: revokedByReport ? history!.lastRevokedAt! : history!.lastSeenAt } : {}),
      ...(info.active ? {} : { enabled: false }),
      properties: definedProperties({
        clientId: grant.clientId, user: info.email,
        inTokensList: grant.current, authorizations: history?.authorizations,
        apisUsed: history && history.apis.size > 0 ? [...history.apis].sort() : undefined,
        revokedBy: revoked ? (revokedByReport ? 'revoke event' : 'absent from tokens.list') : undefined,
        // Revoked once, then authorised again (still in tokens.list): the revocation did not end the access.
        reauthorizedAfterRevokeAt: !revoked && history?.lastRevokedAt !== undefined ? history.lastRevokedAt : undefined,
        userSuspended: info.active ? undefined : true,
      }),
    });
    // (:App)-[:HOLDS]->(:Credential): the app keeps the refresh token it got for this user.
    b.edge({ kind: 'HOLDS', from: aid, to: gid, reason: `${appName} keeps the refresh token ${info.email} granted it.` });
    // (:Identity)-[:CONSENTED]->(:App)
    b.edge({ kind: 'CONSENTED', from: info.id, to: aid, grant: gid });
    const lookups = authorityEdges(gid, grant.scopes, info, `${appName} (as ${info.email})`);
    memberEdges(gid, lookups, info, `${appName} (as ${info.email})`, false);
    const impersonating = lookups.filter((l) => l.entry.takeover === 'impersonate').map((l) => l.scope);
    if (impersonating.length > 0) {
      // (:Credential)-[:AUTHENTICATES_AS]->(:Identity): cloud-platform acts as the user wherever they have IAM roles.
      b.edge({ kind: 'AUTHENTICATES_AS', from: gid, to: info.id, scopes: impersonating, grant: gid, reason: `${appName} acts as ${info.email} in Google Cloud with ${impersonating.map(shortScope).join(', ')} (over-approximation: the user's Workspace data is included).` });
    }
  }

  // Domain-wide delegation: the client acts as any user for its scopes.
  const admins = [...users.values()].filter((u) => u.admin && u.active).sort((a, c) => a.email.localeCompare(c.email));
  for (const { value: delegation } of [...input.delegations].sort((a, c) => a.value.clientId.localeCompare(c.value.clientId))) {
    const clientId = delegation.clientId;
    const scopes = splitScopes(delegation.scopes);
    // A numeric client id is a service account (its uniqueId / oauth2ClientId): a stub the gcp import resolves.
    const serviceAccount = /^\d+$/.test(clientId);
    const knownApp = appIds.get(clientId);
    const label = delegation.name ?? (knownApp ? b.nodes.get(knownApp)!.name : `client ${clientId}`);
    const holder = serviceAccount
      ? b.node({ ...stubNode('gcp', 'Identity', clientId, delegation.name ?? `Service account ${clientId}`, SOURCE), subtype: 'service' })
      : app(clientId, delegation.name ?? undefined, {});
    const did = id('Credential', `domain-wide-delegation/${clientId}`);
    b.node({ ...base, id: did, kind: 'Credential', type: 'oauth-grant', name: `Domain-wide delegation for ${label}`, scopes: [...scopes].sort(), properties: { clientId, delegation: 'domain-wide' } });
    // (:Identity|App)-[:HOLDS]->(:Credential)
    b.edge({ kind: 'HOLDS', from: holder, to: did, reason: `${label} can sign a token for any ${domain} user with its own key: domain-wide delegation needs no per-user consent.` });
    const lookups = authorityEdges(did, scopes, 'everyone', `${label} (any user, domain-wide delegation)`);
    memberEdges(did, lookups, 'everyone', label, admins.length > 0);
    // Group-writing scopes (admin.directory.group) are not a takeover of the administrator: their CAN_ADD_MEMBER
    // edges say what they change, and on a delegation edge the graph builder would read them as handing over the user.
    const takeover = lookups.filter((l) => l.entry.takeover !== 'add-member' && ((isAdminOnlyScope(l.scope) && l.entry.level === 'admin') || l.entry.takeover === 'impersonate')).map((l) => l.scope);
    if (takeover.length > 0) {
      for (const admin of admins) {
        // (:Credential)-[:AUTHENTICATES_AS]->(:Identity): impersonating an administrator with admin scopes is their takeover.
        b.edge({ kind: 'AUTHENTICATES_AS', from: did, to: admin.id, scopes: takeover, grant: did, reason: `${label} can impersonate administrator ${admin.email} with ${takeover.map(shortScope).join(', ')}.` });
      }
    }
  }

  report.unknownScopes = unknown.list();
  for (const [text, count] of groupNotes) report.notes.push(`${count} ${text}`);
  if (adminScopesIgnored > 0) report.notes.push(`${adminScopesIgnored} Admin SDK scope${adminScopesIgnored === 1 ? '' : 's'} granted by non-administrators: ${adminScopesIgnored === 1 ? 'it reaches' : 'they reach'} nothing, so no authority was mapped`);
  if (unknownUsers > 0) report.notes.push(`${unknownUsers} token activity pair${unknownUsers === 1 ? '' : 's'} name users that are not in users.list (deleted since?); skipped`);
  if (historyOnly > 0) report.notes.push(`${historyOnly} grant${historyOnly === 1 ? '' : 's'} known only from the token activity report`);
  return { fragment: b.fragment(), report, issues };
}

/** `lastLoginTime` of an account that never signed in is the Unix epoch. */
function neverSignedIn(time: string | null | undefined): boolean {
  return time != null && Date.parse(time) === 0;
}

function customerProperties(users: readonly Located<GoogleUser>[]): Record<string, string> | undefined {
  const ids = [...new Set(users.map((u) => u.value.customerId).filter((c): c is string => typeof c === 'string' && c !== ''))].sort();
  return ids.length === 1 ? { customerId: ids[0]! } : undefined;
}
