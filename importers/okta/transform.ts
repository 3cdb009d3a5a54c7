// Okta Management API exports -> a blastmap Fragment: the org, users, groups, apps, assignments (SSO into the
// platforms the apps sign in to), admin roles, API tokens, OAuth scope grants, client secrets, JWKS, refresh
// tokens and API service integrations. Pure: the CLI (or the browser) reads the files and hands them over.
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { edgeId, nodeId, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { fromZodIssues } from '../../engine/format/validate.ts';
import { EDGE_KINDS, type Level } from '../../engine/schema/index.ts';
import { stubNode } from '../../engine/store/link.ts';
import { classifyFiles, emptyReport, type FileRole, type ImporterOptions, type ImporterReport, type ImporterResult } from '../common/importer.ts';
import { MAX_HOST, MAX_TENANT_ID } from '../common/bounds.ts';
import { envelopeRecords, parseJsonFile, parseRecords, type Located, type RawFile } from '../common/records.ts';
import { lookupScope, scopeCatalogSchema, UnknownScopes, type ScopeEntry } from '../common/scopes.ts';
import adminRolesJson from './admin-roles.json' with { type: 'json' };
import catalogAppsJson from './catalog-apps.json' with { type: 'json' };
import resourcesJson from './resources.json' with { type: 'json' };
import scopesJson from '../../engine/schema/scopes/okta.json' with { type: 'json' };
import {
  adminRolesTableSchema, catalogAppsTableSchema, oktaApiServiceSchema, oktaApiTokenSchema, oktaAppGroupSchema, oktaAppSchema,
  oktaAppUserSchema, oktaClientSecretSchema, oktaGrantSchema, oktaLogEventSchema, oktaGroupSchema, oktaJwkSchema, oktaRefreshTokenSchema,
  oktaRoleAssignmentSchema, oktaUserSchema, resourcesTableSchema,
  type OktaApiService, type OktaApiToken, type OktaApp, type OktaAppGroup, type OktaAppUser, type OktaClientSecret, type OktaGrant, type OktaLogEvent,
  type OktaGroup, type OktaJwk, type OktaRefreshToken, type OktaRoleAssignment, type OktaUser, type RoleRule,
} from './schema.ts';

export const PLATFORM = 'okta';
const SOURCE = 'okta';

export const OKTA_SCOPES = scopeCatalogSchema.parse(scopesJson);
export const OKTA_ADMIN_ROLES = adminRolesTableSchema.parse(adminRolesJson);
export const OKTA_CATALOG_APPS = catalogAppsTableSchema.parse(catalogAppsJson);
export const OKTA_RESOURCES = resourcesTableSchema.parse(resourcesJson);

/**
 * Input files by endpoint. Patterns are tried in this order against the lower-cased path relative to the
 * import folder, so the per-object endpoints (apps/<id>/users.json) come before the lists (users.json).
 */
export const OKTA_FILES: readonly FileRole[] = [
  { role: 'system-log', pattern: /(^|\/)(system-?log|logs)[^/]*\.json$/, produce: 'GET /api/v1/logs?filter=eventType sw "app.oauth2" and eventType ew "consent.grant" (optional: who approved which scope, when)', shape: { fields: ['eventType', 'published', 'actor'] } },
  { role: 'role-targets', pattern: /(^|\/)(users|groups)\/[^/]+\/roles\/[^/]+\/targets\/groups[^/]*\.json$/, produce: 'GET /api/v1/users/{userId}/roles/{roleAssignmentId}/targets/groups, GET /api/v1/groups/{groupId}/roles/{roleAssignmentId}/targets/groups' },
  { role: 'app-users', pattern: /(^|\/)(apps\/[^/]+\/users[^/]*|app-users[^/]*)\.json$/, produce: 'GET /api/v1/apps/{appId}/users', shape: { fields: ['scope', 'syncState', '_links.app'] } },
  { role: 'app-groups', pattern: /(^|\/)(apps\/[^/]+\/groups[^/]*|app-groups[^/]*)\.json$/, produce: 'GET /api/v1/apps/{appId}/groups', shape: { fields: ['priority', 'profile', '_links.app'] } },
  { role: 'grants', pattern: /(^|\/)(apps\/[^/]+\/grants[^/]*|users\/[^/]+\/(clients\/[^/]+\/)?grants[^/]*|(app|user)-grants[^/]*|grants[^/]*)\.json$/, produce: 'GET /api/v1/apps/{appId}/grants, GET /api/v1/users/{userId}/grants', shape: { fields: ['scopeId', 'clientId', 'issuer'] } },
  { role: 'refresh-tokens', pattern: /(^|\/)(apps\/[^/]+\/tokens[^/]*|users\/[^/]+\/clients\/[^/]+\/tokens[^/]*|(app-)?refresh-tokens[^/]*|app-tokens[^/]*)\.json$/, produce: 'GET /api/v1/apps/{appId}/tokens, GET /api/v1/users/{userId}/clients/{clientId}/tokens', shape: { fields: ['clientId', 'userId', 'scopes', 'issuer'] } },
  { role: 'client-secrets', pattern: /(^|\/)(apps\/[^/]+\/credentials\/secrets[^/]*|(app-)?client-secrets[^/]*)\.json$/, produce: 'GET /api/v1/apps/{appId}/credentials/secrets', shape: { fields: ['secret_hash'] } },
  { role: 'jwks', pattern: /(^|\/)(apps\/[^/]+\/credentials\/jwks[^/]*|(app-)?jwks[^/]*)\.json$/, produce: 'GET /api/v1/apps/{appId}/credentials/jwks', shape: { envelope: ['keys'], unwrap: 'jwks', single: true, fields: ['kid', 'kty'] } },
  { role: 'user-roles', pattern: /(^|\/)(users\/[^/]+\/roles[^/]*|user-roles[^/]*)\.json$/, produce: 'GET /api/v1/users/{userId}/roles' },
  { role: 'group-roles', pattern: /(^|\/)(groups\/[^/]+\/roles[^/]*|group-roles[^/]*)\.json$/, produce: 'GET /api/v1/groups/{groupId}/roles' },
  { role: 'group-members', pattern: /(^|\/)(groups\/[^/]+\/users[^/]*|group-(members|users)[^/]*)\.json$/, produce: 'GET /api/v1/groups/{groupId}/users' },
  { role: 'api-tokens', pattern: /(^|\/)api-tokens[^/]*\.json$/, produce: 'GET /api/v1/api-tokens', shape: { fields: ['tokenWindow', 'clientName', 'userId'] } },
  { role: 'api-services', pattern: /(^|\/)api-service[^/]*\.json$/, produce: 'GET /integrations/api/v1/api-services', shape: { fields: ['type', 'grantedScopes', 'createdBy'] } },
  { role: 'apps', pattern: /(^|\/)(apps?([-_.][^/]*)?|apps\/[^/]+|apps\/[^/]+\/app)\.json$/, produce: 'GET /api/v1/apps (or GET /api/v1/apps/{appId})', shape: { single: true, fields: ['signOnMode', 'label', 'name'] } },
  { role: 'users', pattern: /(^|\/)(users([-_.][^/]*)?|users\/[^/]+)\.json$/, produce: 'GET /api/v1/users', shape: { fields: ['profile.login', 'status'], without: ['scope', 'syncState'] } },
  { role: 'groups', pattern: /(^|\/)(groups([-_.][^/]*)?|groups\/[^/]+)\.json$/, produce: 'GET /api/v1/groups', shape: { fields: ['objectClass', 'profile.name'] } },
];

/** User statuses in which the account cannot sign in (Okta user lifecycle). */
const INACTIVE_USER_STATUSES = new Set(['STAGED', 'SUSPENDED', 'DEPROVISIONED']);
/** App assignment statuses that no longer let the user sign in. */
const ENDED_ASSIGNMENT_STATUSES = new Set(['INACTIVE', 'DEPROVISIONED']);
const LEVEL_EDGE: Record<Level, 'CAN_READ' | 'CAN_WRITE' | 'CAN_ADMIN'> = { read: 'CAN_READ', write: 'CAN_WRITE', admin: 'CAN_ADMIN' };

// ---------------------------------------------------------------------------------------------------------
// Small readers of Okta's conventions: placeholders in documentation examples, ids in paths and `_links`.

/** `{yourOktaDomain}`, `{appId}`, `${...}`: documentation placeholders, never real values. */
export const isPlaceholder = (value: string): boolean => /[{}$]/.test(value);
const real = (value: string | null | undefined): string | undefined => (value && !isPlaceholder(value) ? value : undefined);

/** `_links` entries are a link or an array of links; deeper nesting is not Okta's and is not followed (no stack exhaustion). */
function hrefs(value: unknown, depth = 0): string[] {
  if (Array.isArray(value)) return depth >= 4 ? [] : value.flatMap((item) => hrefs(item, depth + 1));
  if (value !== null && typeof value === 'object' && typeof (value as { href?: unknown }).href === 'string') return [(value as { href: string }).href];
  return [];
}

function linkHrefs(links: Record<string, unknown> | null | undefined): string[] {
  return Object.values(links ?? {}).flatMap(hrefs);
}

/** A path segment as its text; a malformed %-escape is kept as it is rather than failing the import. */
function safeDecode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The first real `/api/v1/<collection>/<id>` found in a record's `_links`. */
function linkedId(links: Record<string, unknown> | null | undefined, collection: 'apps' | 'users' | 'groups', names?: readonly string[]): string | undefined {
  for (const [name, value] of Object.entries(links ?? {})) {
    if (names && !names.includes(name)) continue;
    for (const href of hrefs(value)) {
      const found = real(safeDecode(href.match(new RegExp(`/api/v1/${collection}/([^/?#]+)`))?.[1]));
      if (found) return found;
    }
  }
  return undefined;
}

/** `<collection>/<id>/...` in the file's path: the object a per-object endpoint's file belongs to. */
function folderId(path: string, collection: 'apps' | 'users' | 'groups'): string | undefined {
  const match = path.match(new RegExp(`(?:^|/)${collection}/([^/]+)/`, 'i'));
  return real(match?.[1]);
}

/** An Okta id with the given prefix (0oa app, 00u user, 00g group) in the file name, e.g. app-users-0oa1...json. */
function idInFileName(path: string, prefix: '0oa' | '00u' | '00g'): string | undefined {
  const name = path.split('/').pop() ?? '';
  return name.match(new RegExp(`(${prefix}[A-Za-z0-9]{8,})`))?.[1];
}

/** Host of an org URL, without an `-admin` suffix on the first label; undefined for placeholders. */
export function orgHost(url: string): string | undefined {
  const match = url.trim().match(/^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#:]+)/i);
  const host = match?.[1]?.toLowerCase();
  if (!host || isPlaceholder(url.split('/').slice(0, 3).join('/')) || !host.includes('.')) return undefined;
  const [first, ...rest] = host.split('.');
  return [first!.replace(/-admin$/, ''), ...rest].join('.');
}

/** ISO-8601 duration (`P30D`, `PT5M`, `P1DT2H`) in milliseconds; months count 30 days and years 365. */
export function durationMs(text: string): number | undefined {
  const match = text.match(/^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  const days = y! * 365 + mo! * 30 + w! * 7 + d!;
  return ((days * 24 + h!) * 60 + mi!) * 60_000 + s! * 1000;
}

/** The username an app assigns by its built-in template, for the templates Okta ships; undefined otherwise. */
export function userNameFromTemplate(template: string | null | undefined, user: OktaUser): string | undefined {
  const login = user.profile.login;
  const email = user.profile.email ?? undefined;
  switch ((template ?? '${source.login}').replace(/\s+/g, '')) {
    case '${source.login}': return login;
    case '${source.email}': return email;
    case '${fn:substringBefore(source.login,"@")}': return login.split('@')[0];
    case '${fn:substringBefore(source.email,"@")}': return email?.split('@')[0];
    default: return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading the files.

interface RoleRecords<T> { records: Located<T>[]; issues: InputIssue[]; skipped: InputIssue[] }

function readRole<S extends z.ZodType>(files: readonly RawFile[] | undefined, schema: S, lenient: boolean): RoleRecords<z.output<S>> {
  const out: RoleRecords<z.output<S>> = { records: [], issues: [], skipped: [] };
  for (const file of files ?? []) {
    const result = parseRecords(schema, file, [], { lenient, single: true });
    out.records.push(...result.records);
    out.issues.push(...result.issues);
    out.skipped.push(...result.skipped);
  }
  return out;
}

/** JWKS arrive as a bare list (the credentials endpoint), `{keys: [...]}` (a JWK Set) or `{jwks: {keys: [...]}}` (app settings). */
function readJwks(files: readonly RawFile[] | undefined, lenient: boolean): RoleRecords<OktaJwk> {
  const out: RoleRecords<OktaJwk> = { records: [], issues: [], skipped: [] };
  for (const file of files ?? []) {
    const parsed = parseJsonFile(file);
    if (!parsed.ok) { out.issues.push(parsed.issue); continue; }
    const document = parsed.value as { jwks?: unknown } | null;
    const nested = document !== null && typeof document === 'object' && !Array.isArray(document) && document.jwks !== null && typeof document.jwks === 'object';
    const { items, issues } = envelopeRecords(nested ? document.jwks : document, ['keys'], { file: file.path, single: true });
    out.issues.push(...issues);
    for (const item of items) {
      const path = nested ? item.path.replace(/^\$/, '$.jwks') : item.path;
      const result = oktaJwkSchema.safeParse(item.value);
      if (result.success) { out.records.push({ value: result.data, file: file.path, path }); continue; }
      const segments = path === '$' ? [] : (path.slice(1).match(/[^.[\]]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      (lenient ? out.skipped : out.issues).push(...fromZodIssues(result.error.issues, item.value, file.path, segments));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Building the fragment.

/** Nodes and edges by id; the same object seen twice (a user in users.json and in a group list) is one node. */
class FragmentBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  node(node: GraphNode): string {
    const clean = withoutEmpty(node);
    const previous = this.nodes.get(clean.id);
    if (!previous) this.nodes.set(clean.id, clean);
    else {
      for (const [key, value] of Object.entries(clean)) if ((previous as Record<string, unknown>)[key] === undefined) (previous as Record<string, unknown>)[key] = value;
      if (clean.properties) previous.properties = { ...clean.properties, ...previous.properties };
    }
    return clean.id;
  }

  edge(edge: GraphEdge): void {
    const clean = withoutEmpty(edge);
    const key = edgeId(clean);
    const previous = this.edges.get(key);
    if (!previous) { this.edges.set(key, clean); return; }
    if (clean.scopes) previous.scopes = [...new Set([...(previous.scopes ?? []), ...clean.scopes])].sort();
    if (clean.conditions) previous.conditions = [...new Set([...(previous.conditions ?? []), ...clean.conditions])].sort();
  }

  kindOf(id: string): string | undefined {
    return this.nodes.get(id)?.kind;
  }

  fragment(): Fragment {
    return {
      nodes: [...this.nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      edges: [...this.edges.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, edge]) => edge),
    };
  }
}

type Primitive = string | number | boolean;

/** Properties as the native format takes them: primitives or lists of them, without the gaps of the export. */
function props(values: Record<string, Primitive | readonly Primitive[] | null | undefined>): Record<string, Primitive | Primitive[]> | undefined {
  const out: Record<string, Primitive | Primitive[]> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = Array.isArray(value) ? [...(value as readonly Primitive[])] : (value as Primitive);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Drops undefined fields, so nodes and edges carry only what the export said (properties go through props). */
function withoutEmpty<T extends GraphNode | GraphEdge>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

interface AppInfo {
  id: string;
  label: string;
  catalogName?: string;
  active: boolean;
  userNameTemplate?: string | null;
  /** Can obtain tokens on its own (client credentials), so granted scopes are its own authority. */
  clientCredentials: boolean;
  authMethod?: string;
  /** Provisioning features that are on (PUSH_NEW_USERS: Okta creates the account on the target). */
  features?: readonly string[];
}

/** Group types whose members an Okta administrator changes; APP_GROUP members come from their app or directory, BUILT_IN (Everyone) from Okta itself. */
const MEMBER_EDITABLE_GROUP_TYPES = new Set(['OKTA_GROUP']);

/** Counters behind the import report's notes. */
class Notes {
  private readonly counts = new Map<string, number>();
  add(note: string, n = 1): void { this.counts.set(note, (this.counts.get(note) ?? 0) + n); }
  list(): string[] { return [...this.counts.entries()].map(([note, n]) => note.replace('{n}', String(n))).sort(); }
}

interface ScopeContext {
  grant?: string;
  /** Issuer of the token or grant: a custom authorization server's id names the API a custom scope reaches. */
  issuer?: string | null;
  /** Who the scope is exercised for: the sentence starts with the grantee's name. */
  grantee: string;
  how: string;
  /** Set for tokens that act for a user: Okta API scopes then reach only as far as that user's admin roles. */
  userBound?: { name: string; isAdmin: boolean; userId?: string };
}

class OktaOrg {
  readonly b = new FragmentBuilder();
  readonly notes = new Notes();
  readonly unknown = new UnknownScopes();
  readonly platformId: string;
  readonly users = new Map<string, OktaUser>();
  readonly groups = new Map<string, OktaGroup>();
  readonly apps = new Map<string, AppInfo>();
  readonly appByClientId = new Map<string, string>();
  readonly members = new Map<string, Set<string>>();
  /** Users holding any admin role, directly or through a group. */
  readonly admins = new Set<string>();
  /** Groups that hold an admin role: only Super Administrators change their members. */
  readonly adminGroups = new Set<string>();
  /** Role nodes each user holds, directly or through a group: what a token acting for them may do at most. */
  readonly rolesOfUser = new Map<string, Set<string>>();
  readonly resources = new Set<string>();

  constructor(readonly tenant: string) {
    this.platformId = this.id('Platform', 'org');
  }

  id(kind: string, native: string): string {
    return nodeId(PLATFORM, this.tenant, kind, native);
  }

  // --- references: the real node when the export has the object, else a stub a later import resolves

  userRef(userId: string): string {
    if (this.users.has(userId)) return this.id('Identity', userId);
    return this.b.node(stubNode(PLATFORM, 'Identity', userId, `Okta user ${userId}`, SOURCE));
  }

  appRef(appId: string): string {
    if (this.apps.has(appId)) return this.id('App', appId);
    return this.b.node(stubNode(PLATFORM, 'App', appId, `Okta app ${appId}`, SOURCE));
  }

  groupRef(groupId: string): string {
    if (this.groups.has(groupId)) return this.id('Group', groupId);
    return this.b.node(stubNode(PLATFORM, 'Group', groupId, `Okta group ${groupId}`, SOURCE));
  }

  appLabel(appId: string): string {
    return this.apps.get(appId)?.label ?? `Okta app ${appId}`;
  }

  userName(userId: string): string {
    const user = this.users.get(userId);
    return user ? displayName(user) : `Okta user ${userId}`;
  }

  /** The first candidate id that names a known app (by app id or OAuth client id), else the first candidate. */
  pickApp(...candidates: (string | undefined)[]): string | undefined {
    const present = candidates.filter((c): c is string => c !== undefined);
    for (const candidate of present) {
      const known = this.appOfClient(candidate);
      if (known) return known;
    }
    return present[0];
  }

  /** The app whose OAuth client id (or app id) this is. */
  appOfClient(clientId: string): string | undefined {
    return this.appByClientId.get(clientId) ?? (this.apps.has(clientId) ? clientId : undefined);
  }

  resource(type: string): string {
    const id = this.id('Resource', type);
    if (!this.resources.has(id)) {
      this.resources.add(id);
      const spec = OKTA_RESOURCES.resources[type];
      this.b.node({ id, kind: 'Resource', name: spec?.name ?? `Okta ${type}`, platform: PLATFORM, tenant: this.tenant, source: SOURCE, resourceType: spec?.resourceType ?? type, tags: spec?.tags });
    }
    return id;
  }

  /** The APIs a custom authorization server protects: what a custom (non-Okta) scope reaches. */
  apiResource(issuer: string | null | undefined): string {
    const server = issuer?.match(/\/oauth2\/([^/?#]+)/)?.[1];
    const key = server && real(server) ? server : 'unknown';
    const id = this.id('Resource', `authorization-server/${key}`);
    if (!this.resources.has(id)) {
      this.resources.add(id);
      this.b.node({
        id, kind: 'Resource', platform: PLATFORM, tenant: this.tenant, source: SOURCE, resourceType: 'api',
        name: key === 'unknown' ? 'APIs protected by an Okta custom authorization server' : `APIs protected by Okta authorization server ${key}`,
        properties: props({ authorizationServerId: key === 'unknown' ? undefined : key }),
      });
    }
    return id;
  }

  /** The identity an app acts as when it uses its own client credentials (client_credentials flow). */
  serviceIdentity(appId: string): string {
    const id = this.id('Identity', `service/${appId}`);
    const app = this.apps.get(appId);
    this.b.node({
      id, kind: 'Identity', subtype: 'service', name: `${this.appLabel(appId)} (service client)`, platform: PLATFORM, tenant: this.tenant, source: SOURCE,
      enabled: app ? app.active : undefined, properties: props({ oktaAppId: appId }),
    });
    return id;
  }

  /** Groups whose members the user's admin roles let them change: the CAN_ADD_MEMBER targets of those roles. */
  groupsChangeableBy(userId: string | undefined): string[] {
    const roles = userId ? this.rolesOfUser.get(userId) : undefined;
    if (!roles) return [];
    const out = new Set<string>();
    for (const edge of this.b.edges.values()) if (edge.kind === 'CAN_ADD_MEMBER' && roles.has(edge.from)) out.add(edge.to);
    return [...out].sort();
  }

  /** Real (exported) Okta users, in id order. */
  userIds(filter?: (userId: string) => boolean): string[] {
    return [...this.users.keys()].filter((userId) => !filter || filter(userId)).sort();
  }

  // --- edges

  /** Adds the edge when the schema allows it from this node kind; otherwise counts it as not expressible. */
  edge(edge: GraphEdge): boolean {
    const spec = EDGE_KINDS[edge.kind as keyof typeof EDGE_KINDS];
    const fromKind = this.b.kindOf(edge.from);
    const toKind = this.b.kindOf(edge.to);
    if (!spec || !fromKind || !toKind || !(spec.from as readonly string[]).includes(fromKind) || !(spec.to as readonly string[]).includes(toKind)) {
      this.notes.add(`${edge.kind} edges from a ${fromKind ?? 'missing node'} cannot be expressed in the graph model and were left out: {n}`);
      return false;
    }
    this.b.edge({ ...edge, source: SOURCE });
    return true;
  }

  /**
   * Fan-out targets of a rule: the org, a resource family, users, apps or groups. `groupTargets` are the groups an
   * assignment is limited to (role targets): users are then the members of those groups, groups those groups.
   */
  ruleTargets(to: 'org' | 'all-users' | 'non-admin-users' | 'all-apps' | 'all-groups' | 'manageable-groups', except?: string, groupTargets?: ReadonlySet<string>): string[] {
    const inTargets = (userId: string): boolean => !groupTargets || [...groupTargets].some((g) => this.members.get(g)?.has(userId));
    switch (to) {
      case 'org': return [this.platformId];
      case 'all-users': return this.userIds(inTargets).map((u) => this.id('Identity', u));
      case 'non-admin-users': return this.userIds((u) => !this.admins.has(u) && inTargets(u)).map((u) => this.id('Identity', u));
      case 'all-apps': return [...this.apps.keys()].sort().filter((a) => a !== except).map((a) => this.id('App', a));
      case 'all-groups': return this.groupIds((g) => !groupTargets || groupTargets.has(g)).map((g) => this.id('Group', g));
      case 'manageable-groups': return this.groupIds((g) => !this.adminGroups.has(g) && (!groupTargets || groupTargets.has(g))).map((g) => this.id('Group', g));
    }
  }

  /** Exported groups whose members an administrator can change (OKTA_GROUP), in id order. */
  groupIds(filter?: (groupId: string) => boolean): string[] {
    return [...this.groups.values()].filter((g) => MEMBER_EDITABLE_GROUP_TYPES.has(g.type ?? 'OKTA_GROUP') && (!filter || filter(g.id))).map((g) => g.id).sort();
  }

  applyRoleRule(roleId: string, rule: RoleRule, groupTargets?: ReadonlySet<string>): void {
    const targets = rule.to === 'resource' ? [this.resource(rule.resource)] : this.ruleTargets(rule.to, undefined, groupTargets);
    const limited = groupTargets && rule.to !== 'resource' && rule.to !== 'org' && rule.to !== 'all-apps' ? ' (limited to the groups this assignment targets)' : '';
    for (const to of targets) this.edge({ kind: rule.edge, from: roleId, to, reason: limited ? `${rule.reason.replace(/\.$/, '')}${limited}.` : rule.reason });
  }

  /**
   * Authority from one scope, through the catalogue: CAN_<level> on the Okta resource families it reaches,
   * plus the takeover edge its catalogue entry names. Unknown scopes follow the conservative rule.
   */
  scopeEdges(from: string, scope: string, context: ScopeContext): void {
    const lookup = lookupScope(OKTA_SCOPES, scope);
    this.unknown.note(lookup);
    const { entry, assumed } = lookup;
    const oktaScope = scope.startsWith('okta.');
    if (context.userBound && oktaScope && (entry.tenantWide || assumed) && !context.userBound.isAdmin) {
      this.notes.add('Okta API scopes on tokens of users who hold no admin role were left without org-wide edges (Okta limits them to the user\'s admin permissions): {n}');
      return;
    }
    const targets = assumed
      ? [oktaScope ? this.resource(familyResource(scope)) : this.apiResource(context.issuer)]
      : entry.resources.map((type) => this.resource(type));
    const forUser = context.userBound ? ` for ${context.userBound.name}` : '';
    for (const to of targets) {
      this.edge({
        kind: LEVEL_EDGE[entry.level], from, to, scopes: [scope], grant: context.grant, assumed: assumed || undefined,
        reason: `${capitalise(context.grantee)} holds ${scope}${forUser} (${context.how})${assumed ? `; ${scope} is not in the catalogue, so its level (${entry.level}) is assumed from its name` : ''}.`,
      });
    }
    if (!assumed && entry.takeover) this.takeoverEdges(from, scope, entry, context, forUser);
  }

  private takeoverEdges(from: string, scope: string, entry: ScopeEntry, context: ScopeContext, forUser: string): void {
    const own = this.b.nodes.get(from)?.properties?.oktaAppId;
    const base = { from, scopes: [scope], grant: context.grant };
    switch (entry.takeover) {
      case 'reset-credential':
        for (const to of this.ruleTargets('all-users')) this.edge({ ...base, kind: 'CAN_RESET_CREDENTIAL', to, reason: `${scope} lets ${context.grantee}${forUser} reset any user's password and factors.` });
        break;
      case 'add-credential':
        for (const to of this.ruleTargets('all-apps', typeof own === 'string' ? own : undefined)) this.edge({ ...base, kind: 'CAN_ADD_CREDENTIAL', to, reason: `${scope} lets ${context.grantee}${forUser} generate new client credentials for any app.` });
        break;
      case 'assign-role':
        this.edge({ ...base, kind: 'CAN_ADMIN', to: this.platformId, reason: `${scope} lets ${context.grantee}${forUser} give itself any admin role, Super Administrator included.` });
        break;
      case 'impersonate':
        for (const to of this.ruleTargets('all-users')) this.edge({ ...base, kind: 'CAN_IMPERSONATE', to, reason: `${scope} lets ${context.grantee}${forUser} add an identity provider that signs in as any user.` });
        break;
      case 'add-member': {
        // A token acting for a user changes only the groups that user's admin roles may change; a service
        // client's admin roles are not read, so its scope reaches every group (the upper bound).
        const groups = context.userBound ? this.groupsChangeableBy(context.userBound.userId) : this.ruleTargets('all-groups');
        for (const to of groups) this.edge({ ...base, kind: 'CAN_ADD_MEMBER', to, reason: `${scope} lets ${context.grantee}${forUser} add any user to this group${context.userBound ? `, which ${context.userBound.name}'s admin roles may change` : ''}.` });
        break;
      }
      default:
        break;
    }
  }
}

/** The resource family an unknown `okta.<family>.<verb>` scope reaches: that of its catalogued siblings, else the family. */
function familyResource(scope: string): string {
  const family = scope.split('.')[1] ?? 'unknown';
  for (const verb of ['read', 'manage']) {
    const sibling = OKTA_SCOPES.scopes[`okta.${family}.${verb}`];
    if (sibling?.resources[0]) return sibling.resources[0];
  }
  return family;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function displayName(user: OktaUser): string {
  const profile = user.profile;
  return profile.displayName || [profile.firstName, profile.lastName].filter(Boolean).join(' ') || profile.login;
}

function lowerEmail(user: OktaUser): string | undefined {
  const email = user.profile.email || (user.profile.login.includes('@') ? user.profile.login : undefined);
  return email ? email.toLowerCase() : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The tenant: --tenant, else the org host named in `_links` and issuers, else the org id in an `orn`.

interface TenantEvidence { hosts: Set<string>; orgIds: Set<string>; placeholders: number }

/**
 * The org host or org id a record names. Either becomes the tenant, part of every node id the import makes, so one
 * longer than a host name or an id can be is refused, naming the record (issues), not copied into every id.
 */
function collectTenantEvidence(evidence: TenantEvidence, located: Located<{ _links?: Record<string, unknown> | null; issuer?: string | null; orn?: string | null }>, issues: InputIssue[]): void {
  const record = located.value;
  const tooLong = (field: string, what: string, limit: number, length: number): void => {
    issues.push({ file: located.file, path: `${located.path}.${field}`, message: `${what} longer than ${limit} characters`, expected: `${what} of at most ${limit} characters`, found: `${length} characters` });
  };
  for (const [field, href] of [...linkHrefs(record._links).map((h) => ['_links', h] as const), ...(record.issuer ? [['issuer', record.issuer] as const] : [])]) {
    if (isPlaceholder(href.split('/').slice(0, 3).join('/'))) { evidence.placeholders++; continue; }
    const host = orgHost(href);
    if (host && host.length > MAX_HOST) tooLong(field, 'an org host', MAX_HOST, host.length);
    else if (host) evidence.hosts.add(host);
  }
  const orgId = record.orn?.match(/^orn:[^:]+:[^:]+:([^:]+):/)?.[1];
  if (orgId && orgId.length > MAX_TENANT_ID) tooLong('orn', 'an org id', MAX_TENANT_ID, orgId.length);
  else if (orgId && real(orgId)) evidence.orgIds.add(orgId.toLowerCase());
}

export function normaliseTenant(value: string): string {
  return orgHost(value) ?? value.trim().toLowerCase();
}

function decideTenant(options: ImporterOptions, evidence: TenantEvidence, notes: Notes): { tenant: string } | { issue: InputIssue } {
  const hosts = [...evidence.hosts].sort();
  if (options.tenant) {
    const tenant = normaliseTenant(options.tenant);
    const others = hosts.filter((host) => host !== tenant);
    if (others.length > 0) notes.add(`--tenant ${tenant} was used although the export also names ${others.join(', ')}`);
    return { tenant };
  }
  if (hosts.length === 1) return { tenant: hosts[0]! };
  if (options.tenantFallback?.trim()) return { tenant: normaliseTenant(options.tenantFallback) };
  if (hosts.length > 1) {
    return { issue: { path: '$', message: 'the export names several Okta orgs', expected: 'links to one Okta org, or --tenant <org host> to say which org this export is', found: hosts.join(', ') } };
  }
  const orgIds = [...evidence.orgIds].sort();
  if (orgIds.length === 1) {
    notes.add(`tenant ${orgIds[0]} is the org id found in app ORNs; pass --tenant <org host> to key the graph by the org's domain instead`);
    return { tenant: orgIds[0]! };
  }
  return {
    issue: {
      path: '$', message: 'cannot tell which Okta org this export is',
      expected: 'an org host in the records\' _links (https://<org>.okta.com/...) or --tenant <org host>, e.g. --tenant corvidlabs.okta.com',
      found: evidence.placeholders > 0 ? 'only documentation placeholders such as {yourOktaDomain}' : 'no org links',
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The transform.

export function transformOkta(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const lenient = options.lenient === true;
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, OKTA_FILES);
  const read = <S extends z.ZodType>(role: string, schema: S) => readRole(byRole.get(role), schema, lenient);
  const inputs = {
    users: read('users', oktaUserSchema),
    groups: read('groups', oktaGroupSchema),
    roleTargets: read('role-targets', oktaGroupSchema),
    groupMembers: read('group-members', oktaUserSchema),
    apps: read('apps', oktaAppSchema),
    appUsers: read('app-users', oktaAppUserSchema),
    appGroups: read('app-groups', oktaAppGroupSchema),
    userRoles: read('user-roles', oktaRoleAssignmentSchema),
    groupRoles: read('group-roles', oktaRoleAssignmentSchema),
    grants: read('grants', oktaGrantSchema),
    refreshTokens: read('refresh-tokens', oktaRefreshTokenSchema),
    clientSecrets: read('client-secrets', oktaClientSecretSchema),
    jwks: readJwks(byRole.get('jwks'), lenient),
    apiTokens: read('api-tokens', oktaApiTokenSchema),
    apiServices: read('api-services', oktaApiServiceSchema),
    systemLog: read('system-log', oktaLogEventSchema),
  };
  const all = Object.values(inputs) as RoleRecords<{ _links?: Record<string, unknown> | null; issuer?: string | null; orn?: string | null }>[];
  const issues = all.flatMap((role) => role.issues);
  const skipped = all.flatMap((role) => role.skipped);
  if (issues.length > 0) return { ok: false, issues };

  const notes = new Notes();
  const evidence: TenantEvidence = { hosts: new Set(), orgIds: new Set(), placeholders: 0 };
  const evidenceIssues: InputIssue[] = [];
  for (const role of all) for (const record of role.records) collectTenantEvidence(evidence, record, evidenceIssues);
  if (evidenceIssues.length > 0) return { ok: false, issues: evidenceIssues };
  const decided = decideTenant(options, evidence, notes);
  if ('issue' in decided) return { ok: false, issues: [decided.issue] };

  const org = new OktaOrg(decided.tenant);
  const ownerIssues: InputIssue[] = [];
  /** A record whose owner (app, user or group) cannot be told: an error, or skipped under --lenient. */
  const unowned = (record: Located<unknown>, what: string, expected: string): void => {
    (lenient ? skipped : ownerIssues).push({ file: record.file, path: record.path, message: `cannot tell which ${what} this record belongs to`, expected, found: 'no id in the file path, in _links or in the record' });
  };

  addOrgNode(org, evidence);
  addUsers(org, inputs.users.records, inputs.groupMembers.records, inputs.appUsers.records);
  addGroups(org, [...inputs.groups.records, ...inputs.roleTargets.records], inputs.groupMembers.records, unowned);
  addApps(org, inputs.apps.records, inputs.apiServices.records);
  addRoles(org, inputs.userRoles.records, inputs.groupRoles.records, readRoleTargets(inputs.roleTargets.records), unowned);
  addManagement(org);
  addAssignments(org, inputs.appUsers.records, inputs.appGroups.records, unowned);
  const approvals = addGrants(org, inputs.grants.records, unowned);
  addApiServiceAuthority(org, inputs.apiServices.records);
  addClientCredentials(org, inputs.clientSecrets.records, inputs.jwks.records, unowned);
  addInferredClientCredentials(org);
  addApiTokens(org, inputs.apiTokens.records);
  addRefreshTokens(org, inputs.refreshTokens.records);
  for (const resource of [...org.resources].sort()) org.edge({ kind: 'CONTAINS', from: org.platformId, to: resource });
  applyApprovals(org, approvals, inputs.systemLog.records.map((record) => record.value));
  if (ownerIssues.length > 0) return { ok: false, issues: ownerIssues };

  const report: ImporterReport = emptyReport();
  const roleNames: Record<keyof typeof inputs, string> = {
    users: 'users', groups: 'groups', roleTargets: 'role-targets', groupMembers: 'group-members', apps: 'apps', appUsers: 'app-users', appGroups: 'app-groups',
    userRoles: 'user-roles', groupRoles: 'group-roles', grants: 'grants', refreshTokens: 'refresh-tokens', clientSecrets: 'client-secrets',
    jwks: 'jwks', apiTokens: 'api-tokens', apiServices: 'api-services', systemLog: 'system-log',
  };
  for (const [key, role] of Object.entries(inputs) as [keyof typeof inputs, RoleRecords<unknown>][]) {
    if (byRole.has(roleNames[key])) report.records[roleNames[key]] = role.records.length;
  }
  report.skipped = skipped;
  report.unknownScopes = org.unknown.list();
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  report.notes = [...fileNotes, ...notes.list(), ...org.notes.list()];
  return { ok: true, fragment: org.b.fragment(), report };
}

function addOrgNode(org: OktaOrg, evidence: TenantEvidence): void {
  const orgIds = [...evidence.orgIds].sort();
  org.b.node({
    id: org.platformId, kind: 'Platform', name: `Okta org ${org.tenant}`, platform: PLATFORM, tenant: org.tenant, source: SOURCE, vendor: 'Okta',
    properties: props({ orgId: orgIds.length === 1 ? orgIds[0] : undefined }),
  });
}

// (:Identity {subtype: human}) for every user seen: the user list, group member lists, app users' `_embedded.user`.
function addUsers(org: OktaOrg, users: Located<OktaUser>[], members: Located<OktaUser>[], appUsers: Located<OktaAppUser>[]): void {
  const embedded = appUsers.flatMap((record) => {
    const parsed = oktaUserSchema.safeParse(record.value._embedded?.user);
    return parsed.success ? [parsed.data] : [];
  });
  for (const user of [...users.map((r) => r.value), ...members.map((r) => r.value), ...embedded]) {
    if (!org.users.has(user.id)) org.users.set(user.id, user);
    org.b.node({
      id: org.id('Identity', user.id), kind: 'Identity', subtype: 'human', name: displayName(user), platform: PLATFORM, tenant: org.tenant, source: SOURCE,
      email: lowerEmail(user), enabled: !INACTIVE_USER_STATUSES.has(user.status),
      properties: props({
        login: user.profile.login, status: user.status, lastLogin: user.lastLogin, created: user.created, passwordChanged: user.passwordChanged,
        title: user.profile.title, department: user.profile.department, userType: user.type?.id, credentialProvider: user.credentials?.provider?.type,
      }),
    });
  }
}

// (:Group), and (:Identity)-[:MEMBER_OF]->(:Group) from groups/<groupId>/users.json.
function addGroups(org: OktaOrg, groups: Located<OktaGroup>[], members: Located<OktaUser>[], unowned: (r: Located<unknown>, what: string, expected: string) => void): void {
  for (const { value: group } of groups) {
    if (!org.groups.has(group.id)) org.groups.set(group.id, group);
    org.b.node({
      id: org.id('Group', group.id), kind: 'Group', name: group.profile.name, platform: PLATFORM, tenant: org.tenant, source: SOURCE,
      properties: props({ type: group.type, description: group.profile.description, lastMembershipUpdated: group.lastMembershipUpdated }),
    });
  }
  for (const record of members) {
    const groupId = folderId(record.file, 'groups') ?? idInFileName(record.file, '00g');
    if (!groupId) { unowned(record, 'group', 'the group id in the file path: groups/<groupId>/users.json or group-members-<groupId>.json'); continue; }
    const set = org.members.get(groupId) ?? new Set<string>();
    set.add(record.value.id);
    org.members.set(groupId, set);
    org.edge({ kind: 'MEMBER_OF', from: org.userRef(record.value.id), to: org.groupRef(groupId) });
  }
}

// (:App) for apps and API service integrations; (:App)-[:INSTALLED_IN]->(:Platform).
function addApps(org: OktaOrg, apps: Located<OktaApp>[], services: Located<OktaApiService>[]): void {
  for (const { value: app } of apps) {
    const oauth = app.credentials?.oauthClient;
    const clientId = real(oauth?.client_id);
    const settings = app.settings?.oauthClient;
    const grantTypes = settings?.grant_types ?? [];
    const target = OKTA_CATALOG_APPS.apps[app.name];
    org.apps.set(app.id, {
      id: app.id, label: app.label, catalogName: app.name, active: app.status === 'ACTIVE', userNameTemplate: app.credentials?.userNameTemplate?.template,
      clientCredentials: settings?.application_type === 'service' || grantTypes.includes('client_credentials'), authMethod: oauth?.token_endpoint_auth_method ?? undefined,
      features: app.features ?? undefined,
    });
    if (clientId) org.appByClientId.set(clientId, app.id);
    org.b.node({
      id: org.id('App', app.id), kind: 'App', name: app.label, platform: PLATFORM, tenant: org.tenant, source: SOURCE, enabled: app.status === 'ACTIVE',
      properties: props({
        catalogName: app.name, signOnMode: app.signOnMode, status: app.status, clientId, applicationType: settings?.application_type, grantTypes,
        tokenEndpointAuthMethod: oauth?.token_endpoint_auth_method, targetPlatform: target?.platform, created: app.created, orn: app.orn, features: app.features,
      }),
    });
  }
  for (const { value: service } of services) {
    const clientId = linkedClientId(service._links) ?? service.id;
    if (!org.apps.has(service.id)) org.apps.set(service.id, { id: service.id, label: service.name, active: true, clientCredentials: true });
    org.appByClientId.set(clientId, service.id);
    org.b.node({
      id: org.id('App', service.id), kind: 'App', name: service.name, platform: PLATFORM, tenant: org.tenant, source: SOURCE, thirdParty: true,
      properties: props({ clientId, integrationType: service.type, created: service.createdAt, grantedScopes: [...service.grantedScopes].sort() }),
    });
    const owner = real(service.createdBy);
    if (owner) org.edge({ kind: 'OWNS', from: org.userRef(owner), to: org.id('App', service.id), reason: `${org.userName(owner)} installed the ${service.name} API service integration.` });
  }
  for (const appId of [...org.apps.keys()].sort()) org.edge({ kind: 'INSTALLED_IN', from: org.id('App', appId), to: org.platformId });
}

function linkedClientId(links: Record<string, unknown> | null | undefined): string | undefined {
  for (const href of linkHrefs(links)) {
    const match = href.match(/\/oauth2\/v1\/clients\/([^/?#]+)/);
    if (match && real(match[1])) return match[1];
  }
  return undefined;
}

// (:Identity|Group)-[:HAS_ROLE]->(:Role), and the role's authority from the rule table (admin-roles.json).
function addRoles(org: OktaOrg, userRoles: Located<OktaRoleAssignment>[], groupRoles: Located<OktaRoleAssignment>[], roleTargets: ReadonlyMap<string, ReadonlySet<string>>, unowned: (r: Located<unknown>, what: string, expected: string) => void): void {
  const roleNodes = new Map<string, { rules: readonly RoleRule[]; groupTargets?: ReadonlySet<string> }>();
  const roleNode = (assignment: OktaRoleAssignment): string => {
    const spec = OKTA_ADMIN_ROLES.roles[assignment.type];
    // An assignment limited to some groups (role targets) is its own Role: its reach differs from the org-wide one's.
    const groupTargets = assignment.type === 'CUSTOM' ? undefined : roleTargets.get(assignment.id);
    const native = assignment.type === 'CUSTOM' ? `custom/${assignment.role ?? assignment.id}${assignment['resource-set'] ? `/${assignment['resource-set']}` : ''}`
      : groupTargets ? `${assignment.type}/targets/${assignment.id}` : assignment.type;
    const id = org.id('Role', native);
    if (!roleNodes.has(id)) {
      roleNodes.set(id, { rules: spec?.rules ?? [], groupTargets });
      if (assignment.type === 'CUSTOM') org.notes.add('custom admin role assignments have no authority edges: their permissions and resource sets are not read (see docs/importers/okta.md): {n}');
      else if (!spec) org.notes.add(`admin role type ${assignment.type} is not in the rule table: it has no authority edges`);
    }
    const label = spec?.label ?? assignment.label ?? assignment.type;
    const targetNames = groupTargets ? [...groupTargets].map((g) => org.groups.get(g)?.profile.name ?? g).sort() : undefined;
    org.b.node({
      id, kind: 'Role', name: targetNames ? `${label} (groups: ${targetNames.join(', ')})` : label, platform: PLATFORM, tenant: org.tenant, source: SOURCE,
      privileged: spec?.privileged ?? true,
      properties: props({ type: assignment.type, customRoleId: assignment.role, resourceSet: assignment['resource-set'], roleAssignmentId: groupTargets ? assignment.id : undefined, targetGroupIds: groupTargets ? [...groupTargets].sort() : undefined }),
    });
    return id;
  };
  const holds = (userId: string, role: string): void => {
    const roles = org.rolesOfUser.get(userId) ?? new Set<string>();
    roles.add(role);
    org.rolesOfUser.set(userId, roles);
  };
  const active = (assignment: OktaRoleAssignment): boolean => {
    if (!assignment.status || assignment.status === 'ACTIVE') return true;
    org.notes.add('admin role assignments that are not ACTIVE were left out: {n}');
    return false;
  };
  for (const record of userRoles) {
    if (!active(record.value)) continue;
    const userId = folderId(record.file, 'users') ?? idInFileName(record.file, '00u') ?? linkedId(record.value._links, 'users', ['assignee']);
    if (!userId) { unowned(record, 'user', 'the user id in the file path: users/<userId>/roles.json or user-roles-<userId>.json'); continue; }
    const role = roleNode(record.value);
    const principal = org.userRef(userId);
    const viaGroup = record.value.assignmentType === 'GROUP';
    org.admins.add(userId);
    holds(userId, role);
    org.edge({ kind: 'HAS_ROLE', from: principal, to: role, reason: `${org.userName(userId)} holds the ${org.b.nodes.get(role)!.name} role${viaGroup ? ' through a group' : ''}.` });
  }
  for (const record of groupRoles) {
    if (!active(record.value)) continue;
    const groupId = folderId(record.file, 'groups') ?? idInFileName(record.file, '00g') ?? linkedId(record.value._links, 'groups', ['assignee']);
    if (!groupId) { unowned(record, 'group', 'the group id in the file path: groups/<groupId>/roles.json or group-roles-<groupId>.json'); continue; }
    const role = roleNode(record.value);
    const principal = org.groupRef(groupId);
    org.adminGroups.add(groupId);
    for (const member of org.members.get(groupId) ?? []) { org.admins.add(member); holds(member, role); }
    org.edge({ kind: 'HAS_ROLE', from: principal, to: role, reason: `Members of ${org.groups.get(groupId)?.profile.name ?? `group ${groupId}`} hold the ${org.b.nodes.get(role)!.name} role.` });
  }
  // Rules need the admin sets (help desk and org admins cannot act on administrators), so they come last.
  for (const [id, { rules, groupTargets }] of [...roleNodes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) for (const rule of rules) org.applyRoleRule(id, rule, groupTargets);
}

/**
 * Role targets: `.../roles/<roleAssignmentId>/targets/groups.json` lists the groups one assignment is limited to.
 * The listed groups are Group objects, so they also join the export's groups.
 */
function readRoleTargets(records: Located<OktaGroup>[]): Map<string, Set<string>> {
  const targets = new Map<string, Set<string>>();
  for (const record of records) {
    const assignmentId = real(record.file.match(/(?:^|\/)roles\/([^/]+)\/targets\//i)?.[1]);
    if (!assignmentId) continue;
    const set = targets.get(assignmentId) ?? new Set<string>();
    set.add(record.value.id);
    targets.set(assignmentId, set);
  }
  return targets;
}

// (:Platform)-[:MANAGES]->(:Identity|App): whoever administers the org can reset any user and mint any app's credentials.
function addManagement(org: OktaOrg): void {
  for (const userId of org.userIds()) {
    org.edge({ kind: 'MANAGES', from: org.platformId, to: org.id('Identity', userId), reason: `An Okta Super Administrator can reset ${org.userName(userId)}'s password and factors and sign in as them.` });
  }
  for (const appId of [...org.apps.keys()].sort()) {
    org.edge({ kind: 'MANAGES', from: org.platformId, to: org.id('App', appId), reason: `An Okta Super Administrator can reconfigure ${org.appLabel(appId)} and generate new client credentials for it.` });
  }
}

// (:Identity)-[:SSO_TO]->(:Identity stub on the app's platform) for apps whose catalog name maps to a platform;
// (:Identity)-[:CONSENTED]->(:App), without authority, for the others.
function addAssignments(org: OktaOrg, appUsers: Located<OktaAppUser>[], appGroups: Located<OktaAppGroup>[], unowned: (r: Located<unknown>, what: string, expected: string) => void): void {
  const direct = new Set<string>();
  const assign = (appId: string, userId: string, userName: string | undefined, how: string, status?: string | null): void => {
    if (status && ENDED_ASSIGNMENT_STATUSES.has(status)) { org.notes.add('app assignments that are INACTIVE or DEPROVISIONED were left out: {n}'); return; }
    const app = org.apps.get(appId);
    const target = app?.catalogName ? OKTA_CATALOG_APPS.apps[app.catalogName] : undefined;
    const from = org.userRef(userId);
    const label = org.appLabel(appId);
    if (target && userName && app?.active) {
      const to = org.b.node(stubNode(target.platform, 'Identity', userName, userName, SOURCE));
      org.edge({ kind: 'SSO_TO', from, to, reason: `${org.userName(userId)} signs in to ${target.title} as ${userName} through the Okta app ${label} (${how}).`, properties: props({ oktaAppId: appId, userName }) });
      return;
    }
    const why = !app ? 'the app is not in the export' : !target ? `blastmap does not know which platform the catalog app ${app.catalogName ?? ''} signs in to` : !app.active ? 'the app is not active' : 'the assignment has no username';
    org.edge({ kind: 'CONSENTED', from, to: org.appRef(appId), reason: `${org.userName(userId)} is assigned to ${label}${userName ? ` as ${userName}` : ''} (${how}); no SSO edge because ${why}.`, properties: props({ userName }) });
  };
  for (const record of appUsers) {
    const appId = folderId(record.file, 'apps') ?? idInFileName(record.file, '0oa') ?? linkedId(record.value._links, 'apps');
    if (!appId) { unowned(record, 'app', 'the app id in the file path (apps/<appId>/users.json) or in _links.app'); continue; }
    direct.add(`${appId}|${record.value.id}`);
    assign(appId, record.value.id, real(record.value.credentials?.userName), record.value.scope === 'GROUP' ? 'group assignment' : 'direct assignment', record.value.status);
  }
  for (const record of appGroups) {
    const appId = folderId(record.file, 'apps') ?? idInFileName(record.file, '0oa') ?? linkedId(record.value._links, 'apps', ['app']);
    if (!appId) { unowned(record, 'app', 'the app id in the file path (apps/<appId>/groups.json) or in _links.app'); continue; }
    const groupId = record.value.id;
    const members = [...(org.members.get(groupId) ?? [])].sort();
    if (members.length === 0) org.notes.add('group assignments to apps have no exported members (export groups/<groupId>/users.json): {n}');
    const template = org.apps.get(appId)?.userNameTemplate;
    const groupName = org.groups.get(groupId)?.profile.name ?? groupId;
    addProvisionedRoles(org, appId, groupId, record.value);
    for (const userId of members) {
      if (direct.has(`${appId}|${userId}`)) continue;
      const user = org.users.get(userId);
      const userName = user ? userNameFromTemplate(template, user) : undefined;
      if (user && userName === undefined) org.notes.add('group-assigned users have no SSO edge: the app\'s username template is not one blastmap can evaluate (export apps/<appId>/users.json): {n}');
      assign(appId, userId, userName, `member of ${groupName}, assigned by group; username from the app's template`);
    }
  }
}

/** Profile attribute values as a list of real ids: a string, or a list of strings (permission sets). */
function profileValues(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '' && !isPlaceholder(v)).map((v) => v.trim());
}

// (:Group)-[:HAS_ROLE]->(:Role stub on the target): a group assigned to an app that creates accounts (PUSH_NEW_USERS)
// with a role in the assignment's profile gives whoever joins the group an account with that role. That is what
// adding a member (CAN_ADD_MEMBER) buys beyond the members' own SSO links.
function addProvisionedRoles(org: OktaOrg, appId: string, groupId: string, assignment: OktaAppGroup): void {
  const app = org.apps.get(appId);
  const target = app?.catalogName ? OKTA_CATALOG_APPS.apps[app.catalogName] : undefined;
  if (!app || !target?.provisionedRoles || !assignment.profile) return;
  const named = Object.entries(target.provisionedRoles).flatMap(([attribute, prefix]) => profileValues(assignment.profile![attribute]).map((value) => ({ attribute, native: `${prefix}${value}` })));
  if (named.length === 0) return;
  if (!app.active || !app.features?.includes('PUSH_NEW_USERS')) {
    org.notes.add('group assignments naming a role on an app that does not create accounts (inactive, or no PUSH_NEW_USERS): new members get no account, so no HAS_ROLE edge: {n}');
    return;
  }
  const groupName = org.groups.get(groupId)?.profile.name ?? `group ${groupId}`;
  for (const { attribute, native } of named) {
    const role = org.b.node(stubNode(target.platform, 'Role', native, `${target.title} ${attribute} ${native.slice(native.indexOf('/') + 1)}`, SOURCE));
    org.edge({
      kind: 'HAS_ROLE', from: org.groupRef(groupId), to: role, properties: props({ oktaAppId: appId, attribute }),
      reason: `Okta creates a ${target.title} account with this ${attribute} for whoever joins ${groupName}, which is assigned to ${app.label}, and signs them in to it.`,
    });
  }
}

// OAuth 2.0 scope consent grants. App grants (no userId): the app's service identity gets each Okta API scope's
// authority when the app can use client credentials. User grants: (:Identity)-[:CONSENTED]->(:App) only.
function addGrants(org: OktaOrg, grants: Located<OktaGrant>[], unowned: (r: Located<unknown>, what: string, expected: string) => void): GrantApprovals {
  const approvals: GrantApprovals = { byGrant: new Map(), grantsOfApp: new Map() };
  for (const record of grants) {
    const grant = record.value;
    const clientId = real(grant.clientId);
    const userId = real(grant.userId) ?? folderId(record.file, 'users');
    const appId = org.pickApp(folderId(record.file, 'apps') ?? idInFileName(record.file, '0oa'), linkedId(grant._links, 'apps'), clientId);
    if (!appId) { unowned(record, 'app', 'the app id in the file path (apps/<appId>/grants.json), in _links.app or a real clientId'); continue; }
    if (grant.status !== 'ACTIVE') { org.notes.add('scope grants that are not ACTIVE give no authority and were left out: {n}'); continue; }
    const grantRef = org.id('grant', grant.id);
    const approver = userId ?? (grant.createdBy && grant.createdBy.type !== 'Client' ? real(grant.createdBy.id) : undefined);
    if (approver) {
      org.edge({
        kind: 'CONSENTED', from: org.userRef(approver), to: org.appRef(appId), scopes: [grant.scopeId],
        reason: `${org.userName(approver)} ${userId ? 'consented to' : 'granted'} ${grant.scopeId} ${userId ? 'for' : 'to'} ${org.appLabel(appId)} (${(grant.source ?? 'ADMIN').toLowerCase().replace('_', '-')} consent).`,
      });
    }
    if (userId) continue;
    const app = org.apps.get(appId);
    if (app && !app.clientCredentials) {
      org.notes.add('scope grants to apps that cannot use client credentials act only through users\' tokens (see refresh tokens); no service-client edges: {n}');
      continue;
    }
    org.scopeEdges(org.serviceIdentity(appId), grant.scopeId, { grant: grantRef, issuer: grant.issuer, grantee: `${org.appLabel(appId)} (service client)`, how: `admin-consented scope grant ${grant.id}` });
    // The grant record says who granted the scope: a person approved it; a client (an app with
    // okta.appGrants.manage) granted it with no one's approval.
    const byClient = grant.createdBy?.type === 'Client' ? real(grant.createdBy.id) : undefined;
    // Neither said (no createdBy): nothing is recorded, approved or not.
    if (approver || byClient) {
      approvals.byGrant.set(grantRef, {
        ...(grant.created ? { at: grant.created } : {}),
        by: approver ? org.userRef(approver) : org.appRef(org.pickApp(undefined, undefined, byClient) ?? byClient!),
        scopes: approver ? [grant.scopeId] : [],
      });
    }
    const ofApp = approvals.grantsOfApp.get(appId) ?? new Set<string>();
    approvals.grantsOfApp.set(appId, ofApp.add(grantRef));
  }
  return approvals;
}

interface GrantApprovals {
  /** Per scope grant (its `grant` ref on the edges): when, by whom, which scopes approved. */
  byGrant: Map<string, { at?: string; by?: string; scopes: string[] }>;
  grantsOfApp: Map<string, Set<string>>;
}

const CONSENT_EVENTS = new Set(['app.oauth2.as.consent.grant', 'app.oauth2.consent.grant', 'app.oauth2.admin.consent.grant']);

/**
 * Writes each scope grant's approval on its edges: from the grant record, then from System Log consent events
 * (a person's consent to a scope for an app, later than what the record says, is the approval).
 */
function applyApprovals(org: OktaOrg, approvals: GrantApprovals, events: readonly OktaLogEvent[]): void {
  let byRef: Map<string, Set<string>> | undefined;
  const scopesOfGrant = (): Map<string, Set<string>> => {
    if (byRef) return byRef;
    byRef = new Map();
    for (const edge of org.b.edges.values()) {
      if (edge.grant === undefined) continue;
      const set = byRef.get(edge.grant) ?? new Set<string>();
      for (const scope of edge.scopes ?? []) set.add(scope);
      byRef.set(edge.grant, set);
    }
    return byRef;
  };
  for (const event of [...events].sort((a, c) => (a.published < c.published ? -1 : a.published > c.published ? 1 : 0))) {
    if (!CONSENT_EVENTS.has(event.eventType) || (event.outcome?.result && event.outcome.result !== 'SUCCESS')) continue;
    if (!event.actor || event.actor.type !== 'User') { org.notes.add('consent events without a person as actor (system or client): not read as approvals: {n}'); continue; }
    const targets = event.target ?? [];
    const appTarget = targets.find((t) => t.type === 'AppInstance')?.id ?? targets.map((t) => t.detailEntry?.publicclientapp).find((v): v is string => typeof v === 'string');
    const appId = appTarget ? org.pickApp(appTarget, undefined, typeof event.debugContext?.debugData?.clientId === 'string' ? event.debugContext.debugData.clientId : undefined) : undefined;
    const grants = appId ? approvals.grantsOfApp.get(appId) : undefined;
    if (!grants) { org.notes.add('consent events for apps with no scope grant in the export: not read: {n}'); continue; }
    const listed = [event.debugContext?.debugData?.scopes, event.debugContext?.debugData?.grantedScopes].filter((v): v is string => typeof v === 'string').flatMap((v) => v.split(/[\s,]+/));
    const scopes = new Set([...targets.filter((t) => t.type === 'Scope' || (t.type == null && t.detailEntry?.publicclientapp !== undefined)).map((t) => t.displayName ?? ''), ...listed].filter(Boolean));
    for (const ref of grants) {
      const approval = approvals.byGrant.get(ref) ?? { scopes: [] };
      const scopeOfGrant = scopesOfGrant().get(ref);
      // A consent approves the grants of the app whose scope it names.
      if (!scopeOfGrant || ![...scopes].some((scope) => scopeOfGrant.has(scope))) continue;
      approvals.byGrant.set(ref, { at: event.published, by: org.userRef(event.actor.id), scopes: [...new Set([...approval.scopes, ...scopes])] });
    }
  }
  for (const edge of org.b.edges.values()) {
    const approval = edge.grant !== undefined ? approvals.byGrant.get(edge.grant) : undefined;
    if (!approval) continue;
    if (approval.at !== undefined) edge.approvedAt = approval.at;
    if (approval.by !== undefined) edge.approvedBy = approval.by;
    edge.approvedScopes = approval.scopes.filter((scope) => (edge.scopes ?? []).includes(scope));
  }
}

function addApiServiceAuthority(org: OktaOrg, services: Located<OktaApiService>[]): void {
  for (const { value: service } of services) {
    const identity = org.serviceIdentity(service.id);
    for (const scope of [...service.grantedScopes].sort()) {
      org.scopeEdges(identity, scope, { grant: org.id('grant', `api-service/${service.id}`), grantee: `${service.name} (service client)`, how: `granted to the ${service.type} API service integration` });
    }
  }
}

// (:App)-[:HOLDS]->(:Credential {client-secret|certificate})-[:AUTHENTICATES_AS]->(:Identity {service}).
function addClientCredentials(org: OktaOrg, secrets: Located<OktaClientSecret>[], keys: Located<OktaJwk>[], unowned: (r: Located<unknown>, what: string, expected: string) => void): void {
  for (const record of secrets) {
    const secret = record.value;
    const appId = folderId(record.file, 'apps') ?? idInFileName(record.file, '0oa') ?? linkedId(secret._links, 'apps');
    if (!appId) { unowned(record, 'app', 'the app id in the file path (apps/<appId>/credentials/secrets.json) or in _links'); continue; }
    const id = org.b.node({
      id: org.id('Credential', `client-secret/${secret.id}`), kind: 'Credential', type: 'client-secret', name: `Client secret ${secret.id} of ${org.appLabel(appId)}`,
      platform: PLATFORM, tenant: org.tenant, source: SOURCE, createdAt: secret.created ?? undefined, revoked: secret.status !== 'ACTIVE' || undefined,
      fingerprint: secret.secret_hash ?? undefined, properties: props({ status: secret.status, lastUpdated: secret.lastUpdated, oktaAppId: appId }),
    });
    linkClientCredential(org, appId, id, 'client secret');
  }
  for (const record of keys) {
    const key = record.value;
    const appId = folderId(record.file, 'apps') ?? idInFileName(record.file, '0oa') ?? linkedId(key._links, 'apps');
    if (!appId) { unowned(record, 'app', 'the app id in the file path (apps/<appId>/credentials/jwks.json) or in _links'); continue; }
    const keyId = (key.id ?? key.kid)!;
    const id = org.b.node({
      id: org.id('Credential', `jwk/${keyId}`), kind: 'Credential', type: 'certificate', name: `Public key ${key.kid ?? keyId} of ${org.appLabel(appId)}`,
      platform: PLATFORM, tenant: org.tenant, source: SOURCE, createdAt: key.created ?? undefined, revoked: key.status === 'INACTIVE' || undefined,
      fingerprint: key.kid ?? undefined, properties: props({ status: key.status, kty: key.kty, alg: key.alg, use: key.use, oktaAppId: appId }),
    });
    linkClientCredential(org, appId, id, 'private key of this public key (private_key_jwt)');
  }
}

function linkClientCredential(org: OktaOrg, appId: string, credential: string, what: string): void {
  const label = org.appLabel(appId);
  org.edge({ kind: 'HOLDS', from: org.appRef(appId), to: credential, reason: `${label} authenticates to Okta with this ${what}.` });
  org.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: org.serviceIdentity(appId), reason: `The ${what} lets its holder get tokens as ${label}'s client (client credentials).` });
}

/** A service identity whose secrets or keys were not exported is still reachable from its app. */
function addInferredClientCredentials(org: OktaOrg): void {
  const authenticated = new Set([...org.b.edges.values()].filter((e) => e.kind === 'AUTHENTICATES_AS').map((e) => e.to));
  const serviceIds = [...org.b.nodes.values()].filter((n) => n.kind === 'Identity' && n.subtype === 'service' && !authenticated.has(n.id));
  for (const identity of serviceIds) {
    const appId = String(identity.properties?.oktaAppId);
    const app = org.apps.get(appId);
    const keyBased = app?.authMethod === 'private_key_jwt';
    const id = org.b.node({
      id: org.id('Credential', `client-credentials/${appId}`), kind: 'Credential', type: keyBased ? 'certificate' : 'client-secret',
      name: `Client credentials of ${org.appLabel(appId)} (not in the export)`, platform: PLATFORM, tenant: org.tenant, source: SOURCE,
      properties: props({ inferred: true, tokenEndpointAuthMethod: app?.authMethod, oktaAppId: appId }),
    });
    linkClientCredential(org, appId, id, keyBased ? 'private key' : 'client secret');
  }
}

// (:Credential {api-key})-[:AUTHENTICATES_AS]->(:Identity owner): an SSWS token acts with its creator's admin roles.
// Who holds the token is not in the export: it is left unheld, a source to analyse.
function addApiTokens(org: OktaOrg, tokens: Located<OktaApiToken>[]): void {
  for (const { value: token } of tokens) {
    const owner = org.userRef(token.userId);
    const window = token.tokenWindow ? durationMs(token.tokenWindow) : undefined;
    if (token.tokenWindow && window === undefined) org.notes.add(`API token window ${token.tokenWindow} is not an ISO-8601 duration: last use not inferred`);
    const lastUsed = token.expiresAt && window !== undefined ? new Date(Math.max(Date.parse(token.expiresAt) - window, token.created ? Date.parse(token.created) : -Infinity)).toISOString() : undefined;
    const restricted = token.network?.connection && token.network.connection !== 'ANYWHERE';
    const id = org.b.node({
      id: org.id('Credential', `api-token/${token.id}`), kind: 'Credential', type: 'api-key', name: `Okta API token "${token.name}"`,
      platform: PLATFORM, tenant: org.tenant, source: SOURCE, createdAt: token.created ?? undefined, expiresAt: token.expiresAt ?? undefined, lastUsedAt: lastUsed,
      ownerIds: [owner],
      properties: props({
        tokenName: token.name, clientName: token.clientName, tokenWindow: token.tokenWindow, networkConnection: token.network?.connection ?? undefined,
        networkZones: token.network?.include ?? undefined, lastUpdated: token.lastUpdated, ownerUserId: token.userId,
        lastUsedAtInferred: lastUsed ? 'expiresAt - tokenWindow: the expiry slides by the window on each use' : undefined,
      }),
    });
    org.edge({
      kind: 'AUTHENTICATES_AS', from: id, to: owner, conditions: restricted ? ['ip-allowlist'] : undefined,
      reason: `An Okta API token acts as the user who created it (${org.userName(token.userId)}) with all of their admin roles${restricted ? '; it is accepted only from the network zones it names' : ''}.`,
    });
    org.edge({ kind: 'OWNS', from: owner, to: id, reason: `${org.userName(token.userId)} created the API token.` });
  }
}

// (:App)-[:HOLDS]->(:Credential {refresh-token}) with scope edges for the user it acts for.
function addRefreshTokens(org: OktaOrg, tokens: Located<OktaRefreshToken>[]): void {
  for (const { value: token, file } of tokens) {
    const appId = org.pickApp(token.clientId, linkedId(token._links, 'apps', ['app']), folderId(file, 'apps'))!;
    const userId = real(token.userId) ?? folderId(file, 'users');
    const label = org.appLabel(appId);
    const who = userId ? org.userName(userId) : 'an unknown user';
    const id = org.b.node({
      id: org.id('Credential', `refresh-token/${token.id}`), kind: 'Credential', type: 'refresh-token', name: `Refresh token of ${label} for ${who}`,
      platform: PLATFORM, tenant: org.tenant, source: SOURCE, createdAt: token.created ?? undefined, expiresAt: token.expiresAt ?? undefined,
      revoked: token.status !== 'ACTIVE' || undefined, scopes: [...token.scopes].sort(),
      properties: props({ status: token.status, oauthClientId: token.clientId, oktaUserId: userId, issuer: token.issuer, lastUpdated: token.lastUpdated }),
    });
    org.edge({ kind: 'HOLDS', from: org.appRef(appId), to: id, reason: `${label} keeps this refresh token to get access tokens for ${who}.` });
    for (const scope of [...token.scopes].sort()) {
      org.scopeEdges(id, scope, {
        grant: id, issuer: token.issuer, grantee: `the refresh token of ${label}`, how: `refresh token ${token.id}`,
        userBound: { name: who, isAdmin: userId !== undefined && org.admins.has(userId), userId },
      });
    }
  }
}
