// Pure transform of a Microsoft Entra ID (Graph v1.0) export into blastmap's graph: applications, service
// principals, credentials, delegated and application permissions, owners, users, groups and directory roles.
import { FragmentBuilder } from '../common/builder.ts';
import { applyEntraAudits, ENTRA_AUDIT_FILE } from './audit.ts';
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { nodeId } from '../../engine/format/native.ts';
import type { Level } from '../../engine/schema/index.ts';
import { stubNode } from '../../engine/store/link.ts';
import { classifyFiles, emptyReport, type FileRole, type ImporterOptions, type ImporterReport, type ImporterResult } from '../common/importer.ts';
import { parseRecords, type Located, type RawFile } from '../common/records.ts';
import { assumeLevel, lookupScope, splitScopes, UnknownScopes, type ScopeLookup } from '../common/scopes.ts';
import {
  CATALOGUED_APIS, DEFAULT_ACCESS_ROLE, ENTRA_ROLES, ENTRA_SCOPES, GITHUB_ACTIONS_ISSUER, MICROSOFT_TENANTS, RESOURCE_TYPES, TENANT_TYPE,
} from './catalog.ts';
import {
  appRoleAssignmentSchema, applicationSchema, directoryAuditSchema, directoryObjectSchema, directoryRoleSchema, federatedIdentityCredentialSchema, groupSchema,
  keyCredentialSchema, oauth2PermissionGrantSchema, organizationSchema, passwordCredentialSchema, roleAssignmentSchema, roleDefinitionSchema,
  servicePrincipalSchema, userSchema,
  type Application, type DirectoryObject, type FederatedIdentityCredential, type KeyCredential, type OAuth2PermissionGrant, type PasswordCredential,
  type ServicePrincipal,
} from './schema.ts';

export const PLATFORM = 'entra';
const SOURCE = 'entra';

/** Input files by endpoint. Order matters: the first matching pattern wins (sub-resources before lists). */
export const ENTRA_FILES: readonly FileRole[] = [
  { role: 'organization', pattern: /(^|\/)organization[^/]*\.json$/, produce: 'GET /organization', shape: { envelope: ['value'], single: true, fields: ['id', 'verifiedDomains'], marker: /#organization|microsoft\.graph\.organization\b/ } },
  { role: 'federatedIdentityCredentials', pattern: /federatedidentitycredential[^/]*\.json$/, produce: 'GET /applications/{id}/federatedIdentityCredentials, saved as applications/{id}/federatedIdentityCredentials.json', shape: { envelope: ['value'], fields: ['issuer', 'subject', 'audiences'], marker: /federatedIdentityCredential/i } },
  { role: 'passwordCredentials', pattern: /passwordcredential[^/]*\.json$/, produce: 'one passwordCredential (e.g. the answer of POST /applications/{id}/addPassword) or a list, saved as applications/{id}/passwordCredentials.json', shape: { envelope: ['value'], single: true, fields: ['keyId', 'hint', 'endDateTime'], marker: /passwordCredential/i } },
  { role: 'keyCredentials', pattern: /keycredential[^/]*\.json$/, produce: 'one keyCredential (e.g. the answer of POST /servicePrincipals/{id}/addTokenSigningCertificate) or a list, saved as servicePrincipals/{id}/keyCredentials.json', shape: { envelope: ['value'], single: true, fields: ['keyId', 'type', 'usage'], marker: /keyCredential/i } },
  { role: 'owners', pattern: /((^|\/)(applications|serviceprincipals|groups)\/[^/]+\/owners[^/]*|(^|\/)(application|serviceprincipal)-owners\/[^/]+)\.json$/, produce: 'GET /applications/{id}/owners, /servicePrincipals/{id}/owners or /groups/{id}/owners, saved as applications/{id}/owners.json (groups/{id}/owners.json)' },
  { role: 'groupMembers', pattern: /(^|\/)groups\/[^/]+\/members[^/]*\.json$/, produce: 'GET /groups/{id}/members, saved as groups/{id}/members.json' },
  { role: 'directoryRoleMembers', pattern: /(^|\/)directoryroles\/[^/]+\/members[^/]*\.json$/, produce: 'GET /directoryRoles/{id}/members, saved as directoryRoles/{id}/members.json' },
  { role: 'appRoleAssignments', pattern: /approleassign[^/]*\.json$/, produce: 'GET /servicePrincipals/{id}/appRoleAssignments or /appRoleAssignedTo', shape: { envelope: ['value'], fields: ['appRoleId', 'principalId', 'resourceId'], marker: /appRoleAssign/i } },
  { role: 'oauth2PermissionGrants', pattern: /oauth2permissiongrant[^/]*\.json$/, produce: 'GET /oauth2PermissionGrants', shape: { envelope: ['value'], fields: ['clientId', 'consentType', 'resourceId', 'scope'], marker: /oauth2PermissionGrant/i } },
  { role: 'roleAssignments', pattern: /roleassignments[^/]*\.json$/, produce: 'GET /roleManagement/directory/roleAssignments', shape: { envelope: ['value'], fields: ['roleDefinitionId', 'principalId', 'directoryScopeId'], marker: /roleAssignment/i } },
  { role: 'roleDefinitions', pattern: /roledefinitions[^/]*\.json$/, produce: 'GET /roleManagement/directory/roleDefinitions', shape: { envelope: ['value'], fields: ['rolePermissions', 'isBuiltIn'], marker: /roleDefinition/i } },
  { role: 'directoryRoles', pattern: /(^|\/)directoryroles[^/]*\.json$/, produce: 'GET /directoryRoles', shape: { envelope: ['value'], fields: ['roleTemplateId', 'displayName'], marker: /#directoryRoles|microsoft\.graph\.directoryRole\b/ } },
  { role: 'applications', pattern: /(^|\/)applications[^/]*\.json$/, produce: 'GET /applications', shape: { envelope: ['value'], single: true, fields: ['appId'], without: ['servicePrincipalType', 'appOwnerOrganizationId', 'servicePrincipalNames', 'appDisplayName'], marker: /#applications|microsoft\.graph\.application\b/ } },
  { role: 'servicePrincipals', pattern: /(^|\/)serviceprincipals[^/]*\.json$/, produce: 'GET /servicePrincipals', shape: { envelope: ['value'], single: true, fields: ['appId'], anyOf: ['servicePrincipalType', 'appOwnerOrganizationId', 'servicePrincipalNames', 'appDisplayName'], marker: /#servicePrincipals|microsoft\.graph\.servicePrincipal\b/ } },
  { role: 'users', pattern: /(^|\/)users[^/]*\.json$/, produce: 'GET /users?$select=id,displayName,userPrincipalName,mail,accountEnabled,userType', shape: { envelope: ['value'], single: true, fields: ['userPrincipalName'], marker: /#users|microsoft\.graph\.user\b/ } },
  { role: 'groups', pattern: /(^|\/)groups[^/]*\.json$/, produce: 'GET /groups', shape: { envelope: ['value'], single: true, fields: ['displayName'], anyOf: ['securityEnabled', 'groupTypes', 'mailEnabled'], marker: /#groups|microsoft\.graph\.group\b/ } },
  ENTRA_AUDIT_FILE,
];

const LEVEL_EDGE: Record<Level, string> = { read: 'CAN_READ', write: 'CAN_WRITE', admin: 'CAN_ADMIN' };
/** Delegated write/admin on shared (non-personal) data only works as far as the signed-in user's own rights. */
export const USER_RIGHTS_CONDITION = 'signed-in-user-rights';

const lower = (text: string): string => text.toLowerCase();
/** Records an owner on a node (governance: ownerIds), once. */
function addOwner(b: FragmentBuilder, id: string, ownerId: string): void {
  const node = b.nodes.get(id);
  if (node && !(node.ownerIds ?? []).includes(ownerId)) node.ownerIds = [...(node.ownerIds ?? []), ownerId].sort();
}

/** Which object a sub-resource file belongs to, from its path: `applications/{id}/owners.json` and the like. */
type ParentKind = 'application' | 'servicePrincipal' | 'group' | 'directoryRole';
function parentOf(path: string): { kind: ParentKind; id: string } | undefined {
  const folder = /(?:^|\/)(applications|serviceprincipals|groups|directoryroles)\/([^/]+)\/[^/]+$/i.exec(path);
  const flat = /(?:^|\/)(application|serviceprincipal)-owners\/([^/]+)\.json$/i.exec(path);
  const match = folder ?? flat;
  if (!match) return undefined;
  const kinds: Record<string, ParentKind> = { applications: 'application', application: 'application', serviceprincipals: 'servicePrincipal', serviceprincipal: 'servicePrincipal', groups: 'group', directoryroles: 'directoryRole' };
  return { kind: kinds[lower(match[1]!)]!, id: lower(match[2]!) };
}

const PARENT_FOLDER: Record<ParentKind, string> = { application: 'applications', servicePrincipal: 'servicePrincipals', group: 'groups', directoryRole: 'directoryRoles' };

/** A certificate thumbprint from `thumbprint`, or from `customKeyIdentifier` (base64 of the SHA-1/SHA-256 hash). */
function certificateFingerprint(key: KeyCredential): string | undefined {
  if (key.thumbprint) return key.thumbprint.toUpperCase();
  const raw = key.customKeyIdentifier;
  if (!raw) return undefined;
  try {
    const bytes = atob(raw);
    if (bytes.length === 20 || bytes.length === 32) return [...bytes].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('').toUpperCase();
  } catch {
    // Not base64: keep the identifier as the platform gave it.
  }
  return raw;
}

interface Scoped<T> extends Located<T> { parent?: { kind: ParentKind; id: string } }

interface ApiContext {
  /** Object id of the resource service principal (the API). */
  id: string;
  name: string;
  catalogued: boolean;
}

type ConsentMode = { mode: 'application' } | { mode: 'AllPrincipals' } | { mode: 'Principal'; userId: string };

export function transformEntra(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const report: ImporterReport = emptyReport();
  const issues: InputIssue[] = [];
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, ENTRA_FILES);
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  const scopedFiles: { file: string; parent: { kind: ParentKind; id: string } }[] = [];

  function read<S extends z.ZodType>(role: string, schema: S, single = false, parentKinds?: readonly ParentKind[]): Scoped<z.output<S>>[] {
    const out: Scoped<z.output<S>>[] = [];
    for (const file of byRole.get(role) ?? []) {
      let parent: Scoped<unknown>['parent'];
      if (parentKinds) {
        parent = parentOf(file.path);
        if (!parent || !parentKinds.includes(parent.kind)) {
          const name = file.path.split('/').pop()!;
          const folders = parentKinds.map((kind) => `${PARENT_FOLDER[kind]}/<object id>/${name}`).join(' or ');
          const issue: InputIssue = { file: file.path, path: '$', message: 'cannot tell which object this file belongs to', expected: `a path naming its ${parentKinds.join(' or ')}: ${folders}`, found: file.path };
          (options.lenient ? report.skipped : issues).push(issue);
          continue;
        }
        scopedFiles.push({ file: file.path, parent });
      }
      const result = parseRecords(schema, file, ['value'], { lenient: options.lenient, single });
      issues.push(...result.issues);
      report.skipped.push(...result.skipped);
      for (const record of result.records) out.push(parent ? { ...record, parent } : record);
    }
    if (out.length > 0) report.records[role] = (report.records[role] ?? 0) + out.length;
    return out;
  }

  const organizations = read('organization', organizationSchema, true);
  // Lists (GET /applications) or one object each (GET /applications/{id}).
  const applications = read('applications', applicationSchema, true);
  const servicePrincipals = read('servicePrincipals', servicePrincipalSchema, true);
  const passwordFiles = read('passwordCredentials', passwordCredentialSchema, true, ['application', 'servicePrincipal']);
  const keyFiles = read('keyCredentials', keyCredentialSchema, true, ['application', 'servicePrincipal']);
  const federated = read('federatedIdentityCredentials', federatedIdentityCredentialSchema, true, ['application']);
  const owners = read('owners', directoryObjectSchema, false, ['application', 'servicePrincipal', 'group']);
  const users = read('users', userSchema, true);
  const groups = read('groups', groupSchema, true);
  const groupMembers = read('groupMembers', directoryObjectSchema, false, ['group']);
  const grants = read('oauth2PermissionGrants', oauth2PermissionGrantSchema);
  const assignments = read('appRoleAssignments', appRoleAssignmentSchema);
  const roleDefinitions = read('roleDefinitions', roleDefinitionSchema);
  const roleAssignments = read('roleAssignments', roleAssignmentSchema);
  const directoryRoles = read('directoryRoles', directoryRoleSchema);
  const directoryRoleMembers = read('directoryRoleMembers', directoryObjectSchema, false, ['directoryRole']);
  const directoryAudits = read('directoryAudits', directoryAuditSchema);

  // The tenant: GET /organization, or --tenant; both must agree when both are given.
  const orgIds = [...new Set(organizations.map((o) => lower(o.value.id)))];
  const otherTenant = organizations.find((o) => lower(o.value.id) !== orgIds[0]);
  if (otherTenant) issues.push({ file: otherTenant.file, path: `${otherTenant.path}.id`, message: 'several tenants in one export', expected: `one tenant per import (${orgIds[0]}); import each tenant's folder separately`, found: lower(otherTenant.value.id) });
  const optionTenant = options.tenant?.trim() ? lower(options.tenant.trim()) : undefined;
  if (optionTenant && orgIds[0] && optionTenant !== orgIds[0]) issues.push({ file: organizations[0]!.file, path: `${organizations[0]!.path}.id`, message: '--tenant does not match the export', expected: `the tenant given with --tenant (${optionTenant})`, found: orgIds[0] });
  const tenant = orgIds[0] ?? optionTenant ?? (options.tenantFallback?.trim() ? lower(options.tenantFallback.trim()) : undefined);
  if (!tenant) issues.push({ path: '$', message: 'no tenant id', expected: 'an organization.json file (GET /organization) or --tenant <tenant id>', found: 'neither' });

  // Every parent named by a file path must be in the export; checked before anything is built.
  const appByObjectId = new Map<string, Application>();
  const appByAppId = new Map<string, Application>();
  for (const { value } of applications) { appByObjectId.set(lower(value.id), value); appByAppId.set(lower(value.appId), value); }
  const spById = new Map<string, ServicePrincipal>();
  const spByAppId = new Map<string, ServicePrincipal>();
  for (const { value } of servicePrincipals) { spById.set(lower(value.id), value); spByAppId.set(lower(value.appId), value); }
  const groupIds = new Set(groups.map((g) => lower(g.value.id)));
  const directoryRoleTemplate = new Map(directoryRoles.map((r) => [lower(r.value.id), lower(r.value.roleTemplateId)]));
  // A folder may be named by the application's object id or its appId (client id): both resolve.
  const parentApp = (id: string): Application | undefined => appByObjectId.get(id) ?? appByAppId.get(id);
  const parentSp = (id: string): ServicePrincipal | undefined => spById.get(id) ?? spByAppId.get(id);
  const orphanFiles = new Set<string>();
  for (const { file, parent } of scopedFiles) {
    const exists = parent.kind === 'application' ? parentApp(parent.id) !== undefined
      : parent.kind === 'servicePrincipal' ? parentSp(parent.id) !== undefined
        : parent.kind === 'group' ? groupIds.has(parent.id)
          : true;
    if (!exists) {
      orphanFiles.add(file);
      const issue: InputIssue = { file, path: '$', message: `the ${parent.kind} this file belongs to is not in the export`, expected: `a ${parent.kind} with id ${parent.id} in ${PARENT_FOLDER[parent.kind]}.json`, found: 'none' };
      (options.lenient ? report.skipped : issues).push(issue);
    }
  }
  const keep = <T>(records: Scoped<T>[]): Scoped<T>[] => records.filter((record) => !orphanFiles.has(record.file));
  const keptPasswordFiles = keep(passwordFiles);
  const keptKeyFiles = keep(keyFiles);
  const keptFederated = keep(federated);
  const keptOwners = keep(owners);
  const keptGroupMembers = keep(groupMembers);

  for (const grant of grants) {
    if (grant.value.consentType === 'Principal' && !grant.value.principalId) {
      const issue: InputIssue = { file: grant.file, path: `${grant.path}.principalId`, message: 'a single-user consent without its user', expected: 'the id of the consenting user (consentType "Principal")', found: 'null' };
      (options.lenient ? report.skipped : issues).push(issue);
    }
  }
  if (issues.length > 0 || !tenant) return { ok: false, issues };

  const b = new FragmentBuilder(SOURCE);
  const unknownScopes = new UnknownScopes();
  const notes = new Map<string, number>();
  const note = (text: string): void => { notes.set(text, (notes.get(text) ?? 0) + 1); };
  const id = (kind: string, native: string, inTenant = tenant): string => nodeId(PLATFORM, inTenant, kind, native);
  const base = { platform: PLATFORM, tenant, source: SOURCE };

  // (:Platform) the tenant
  const organization = organizations[0]?.value;
  const platformId = b.node({
    ...base, id: id('Platform', tenant), kind: 'Platform', vendor: 'Microsoft',
    name: organization?.displayName ? `${organization.displayName} (Entra ID)` : `Entra tenant ${tenant}`,
    properties: { tenantId: tenant, defaultDomain: organization?.verifiedDomains?.find((d) => d.isDefault)?.name },
  });
  const tenantPrincipals: string[] = [];
  const humanIds: string[] = [];
  const spNodes: string[] = [];
  const tenantApps: string[] = [];
  const managedByTenant = (principal: string, reason: string): void => {
    b.edge({ kind: 'MANAGES', from: platformId, to: principal, reason });
  };

  // Resources are created when something reaches them; the tenant Platform CONTAINS the tenant-wide ones.
  const hubIds = new Set<string>();
  function tenantResource(type: string): string {
    if (type === TENANT_TYPE) return platformId;
    const spec = RESOURCE_TYPES[type];
    const resourceId = id('Resource', type);
    if (!b.has(resourceId)) {
      b.node({ ...base, id: resourceId, kind: 'Resource', name: spec?.tenantName ?? type, resourceType: type, tags: spec?.tags.length ? spec.tags : undefined, sensitivity: spec?.sensitivity, properties: { scope: 'tenant' } });
      b.edge({ kind: 'CONTAINS', from: platformId, to: resourceId });
      if (type === 'applications' || type === 'authentication-methods') hubIds.add(type);
    }
    return resourceId;
  }
  function personalResource(type: string, userId: string): string {
    const spec = RESOURCE_TYPES[type]!;
    const resourceId = id('Resource', `${type}/${userId}`);
    if (!b.has(resourceId)) {
      const who = b.nodes.get(userRef(userId))?.email ?? userId;
      b.node({ ...base, id: resourceId, kind: 'Resource', name: spec.personalName!(who), resourceType: type, tags: spec.tags.filter((t) => t !== 'crown-jewel'), sensitivity: spec.personalSensitivity, properties: { scope: 'user', userId } });
      b.edge({ kind: 'CONTAINS', from: tenantResource(type), to: resourceId });
    }
    return resourceId;
  }
  function apiResource(api: ApiContext): string {
    const resourceId = id('Resource', `api/${api.id}`);
    if (!b.has(resourceId)) {
      b.node({ ...base, id: resourceId, kind: 'Resource', name: `${api.name} API (permissions not in the catalogue)`, resourceType: 'api', sensitivity: 5, properties: { scope: 'tenant', servicePrincipalId: api.id } });
      b.edge({ kind: 'CONTAINS', from: platformId, to: resourceId });
    }
    return resourceId;
  }

  // (:Identity {subtype: human}) users; placeholders for users only referenced by id.
  const userById = new Map(users.map((u) => [lower(u.value.id), u.value]));
  for (const { value: user } of users) {
    const upn = user.userPrincipalName;
    const guest = /#EXT#/i.test(upn);
    const userId = b.node({
      ...base, id: id('Identity', lower(user.id)), kind: 'Identity', subtype: 'human', name: user.displayName ?? upn,
      email: lower(guest && user.mail ? user.mail : upn), enabled: user.accountEnabled ?? undefined,
      properties: { objectId: lower(user.id), upn, mail: user.mail ?? undefined, userType: user.userType ?? undefined },
    });
    humanIds.push(userId);
    tenantPrincipals.push(userId);
  }
  function userRef(userId: string, hint?: { name?: string | null; upn?: string | null }): string {
    const key = lower(userId);
    const nodeKey = id('Identity', key);
    if (userById.has(key) || b.has(nodeKey)) return nodeKey;
    note('users referenced by id but not in users.json: placeholders created');
    b.node({
      ...base, id: nodeKey, kind: 'Identity', subtype: 'human', name: hint?.name ?? hint?.upn ?? `user ${key} (not in the export)`,
      email: hint?.upn ? lower(hint.upn) : undefined, properties: { objectId: key, upn: hint?.upn ?? undefined, placeholder: true },
    });
    humanIds.push(nodeKey);
    tenantPrincipals.push(nodeKey);
    return nodeKey;
  }

  // (:Group). Whose members can be changed through Graph: not a dynamic group (its rule decides) nor one synchronised
  // from on-premises AD (changed there); role-assignable ones only with role-management rights or as owner.
  const memberEditable = new Map<string, { roleAssignable: boolean }>();
  for (const { value: group } of groups) {
    const dynamic = (group.groupTypes ?? []).includes('DynamicMembership');
    if (!dynamic && group.onPremisesSyncEnabled !== true) memberEditable.set(id('Group', lower(group.id)), { roleAssignable: group.isAssignableToRole === true });
    else note('dynamic or on-premises-synchronised groups: nobody adds members to them through Entra, so no CAN_ADD_MEMBER edges');
  }
  /** Groups whose members a right over `which` groups lets its holder change, in id order. */
  const changeableGroups = (which: 'non-role-assignable' | 'all'): string[] =>
    [...memberEditable.entries()].filter(([, g]) => which === 'all' || !g.roleAssignable).map(([groupNode]) => groupNode).sort();
  /** Per principal node: the groups its ownership and directory roles let it change (what a delegated grant acting as it may change). */
  const changeableBy = new Map<string, Set<string>>();
  const canChange = (principal: string, groupNodes: readonly string[]): void => {
    const set = changeableBy.get(principal) ?? new Set<string>();
    for (const g of groupNodes) set.add(g);
    changeableBy.set(principal, set);
  };
  for (const { value: group } of groups) {
    b.node({ ...base, id: id('Group', lower(group.id)), kind: 'Group', name: group.displayName ?? group.id, properties: { objectId: lower(group.id), securityEnabled: group.securityEnabled ?? undefined, isAssignableToRole: group.isAssignableToRole ?? undefined, groupTypes: group.groupTypes ?? undefined } });
  }

  // (:App) registrations whose home is this tenant.
  const requested = (app: Application): string[] => (app.requiredResourceAccess ?? []).flatMap((api) => {
    const resource = spByAppId.get(lower(api.resourceAppId));
    const apiName = resource?.displayName ?? CATALOGUED_APIS[lower(api.resourceAppId)] ?? api.resourceAppId;
    return (api.resourceAccess ?? []).map((access) => {
      const list = access.type === 'Role' ? resource?.appRoles : resource?.oauth2PermissionScopes;
      const value = list?.find((item) => lower(item.id) === lower(access.id))?.value ?? access.id;
      return `${apiName}: ${value} (${access.type === 'Role' ? 'application' : 'delegated'})`;
    });
  });
  const appNodeOfObject = new Map<string, string>();
  for (const { value: app } of applications) {
    const appNode = b.node({
      ...base, id: id('App', lower(app.appId)), kind: 'App', name: app.displayName ?? app.appId, thirdParty: false,
      publisherVerified: Boolean(app.verifiedPublisher?.verifiedPublisherId),
      properties: {
        clientId: lower(app.appId), appId: lower(app.appId), objectId: lower(app.id), signInAudience: app.signInAudience ?? undefined,
        publisherDomain: app.publisherDomain ?? undefined, createdDateTime: app.createdDateTime ?? undefined, requestedPermissions: requested(app),
      },
    });
    appNodeOfObject.set(lower(app.id), appNode);
    tenantApps.push(appNode);
    managedByTenant(appNode, 'A tenant administrator can add credentials to any application registered in the tenant.');
  }

  // (:Identity {subtype: service|workload}) service principals, and the App each one instantiates.
  const spNodeId = (spId: string): string => id('Identity', lower(spId));
  const appOfSp = new Map<string, string>();
  for (const { value: sp } of servicePrincipals) {
    const type = sp.servicePrincipalType ?? 'Application';
    // A `$select` that left appOwnerOrganizationId out says nothing about where the application is registered:
    // it is not taken for one of this tenant's (whose administrators could add credentials to it).
    const ownerUnknown = sp.appOwnerOrganizationId === undefined && !appByAppId.has(lower(sp.appId)) && type !== 'ManagedIdentity';
    if (ownerUnknown) note('service principals without appOwnerOrganizationId (a $select left it out): where their application is registered is unknown, so it is not taken for one of this tenant\'s');
    const owner = lower(sp.appOwnerOrganizationId ?? tenant);
    const firstParty = MICROSOFT_TENANTS.has(owner);
    const thirdParty = ownerUnknown ? undefined : type !== 'ManagedIdentity' && owner !== tenant && !firstParty;
    const publisher = sp.verifiedPublisher?.displayName ?? sp.publisherName ?? undefined;
    const spNode = b.node({
      ...base, id: spNodeId(sp.id), kind: 'Identity', subtype: type === 'ManagedIdentity' ? 'workload' : 'service',
      name: sp.displayName ?? sp.appDisplayName ?? sp.appId, enabled: sp.accountEnabled ?? undefined, thirdParty,
      publisherVerified: Boolean(sp.verifiedPublisher?.verifiedPublisherId), vendor: firstParty ? 'Microsoft' : publisher,
      properties: {
        objectId: lower(sp.id), appId: lower(sp.appId), clientId: lower(sp.appId), servicePrincipalType: type, appOwnerOrganizationId: sp.appOwnerOrganizationId ? owner : undefined,
        appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? undefined, alternativeNames: sp.alternativeNames ?? undefined,
        armResourceId: sp.alternativeNames?.find((name) => name.startsWith('/subscriptions/')), tags: sp.tags ?? undefined, firstParty: firstParty || undefined,
      },
    });
    tenantPrincipals.push(spNode);
    spNodes.push(spNode);
    if (type === 'ManagedIdentity' || type === 'SocialIdp') continue;
    const home = appByAppId.get(lower(sp.appId));
    let appNode: string;
    if (home) {
      appNode = id('App', lower(home.appId));
    } else {
      // An application registered elsewhere (a vendor's multi-tenant app, or Microsoft's own): its App node
      // lives in the owner's tenant so that importing that tenant too joins the two.
      appNode = b.node({
        ...base, tenant: owner, id: id('App', lower(sp.appId), owner), kind: 'App', name: sp.appDisplayName ?? sp.displayName ?? sp.appId,
        thirdParty, publisherVerified: Boolean(sp.verifiedPublisher?.verifiedPublisherId), vendor: firstParty ? 'Microsoft' : publisher,
        properties: { clientId: lower(sp.appId), appId: lower(sp.appId), appOwnerOrganizationId: ownerUnknown ? undefined : owner, ownerUnknown: ownerUnknown || undefined, firstParty: firstParty || undefined },
      });
      if (owner === tenant && !ownerUnknown) {
        note('service principals of this tenant whose application is not in applications.json');
        tenantApps.push(appNode);
      }
      if (thirdParty) {
        // The vendor holds this app's secrets, out of sight of this tenant: whoever compromises the vendor's
        // app signs in as its service principal here.
        const held = b.node({
          ...base, tenant: owner, id: id('Credential', `vendor-held/${lower(sp.appId)}`, owner), kind: 'Credential', type: 'client-secret',
          name: `credentials held by ${publisher ?? `tenant ${owner}`} for ${sp.appDisplayName ?? sp.displayName ?? sp.appId} (not visible in this tenant)`,
          properties: { synthetic: true, appId: lower(sp.appId), appOwnerOrganizationId: owner },
        });
        b.edge({ kind: 'HOLDS', from: appNode, to: held, reason: 'The vendor keeps the credentials of its own application.' });
        b.edge({ kind: 'AUTHENTICATES_AS', from: held, to: spNode, reason: `The application's credentials sign in to this tenant as its service principal.` });
      }
    }
    appOfSp.set(lower(sp.id), appNode);
    b.edge({ kind: 'INSTALLED_IN', from: appNode, to: platformId });
  }

  // (:App)-[:HOLDS]->(:Credential)-[:AUTHENTICATES_AS]->(:Identity) secrets and certificates, never their values.
  const appCredentials = new Map<string, { passwords: PasswordCredential[]; keys: KeyCredential[] }>();
  const spCredentials = new Map<string, { passwords: PasswordCredential[]; keys: KeyCredential[] }>();
  const bucket = (map: typeof appCredentials, key: string) => map.get(key) ?? (map.set(key, { passwords: [], keys: [] }).get(key)!);
  for (const { value: app } of applications) bucket(appCredentials, lower(app.id)).passwords.push(...(app.passwordCredentials ?? []));
  for (const { value: app } of applications) bucket(appCredentials, lower(app.id)).keys.push(...(app.keyCredentials ?? []));
  for (const { value: sp } of servicePrincipals) bucket(spCredentials, lower(sp.id)).passwords.push(...(sp.passwordCredentials ?? []));
  for (const { value: sp } of servicePrincipals) bucket(spCredentials, lower(sp.id)).keys.push(...(sp.keyCredentials ?? []));
  const bucketOf = (parent: { kind: ParentKind; id: string }) => (parent.kind === 'application' ? bucket(appCredentials, lower(parentApp(parent.id)!.id)) : bucket(spCredentials, lower(parentSp(parent.id)!.id)));
  for (const { value, parent } of keptPasswordFiles) bucketOf(parent!).passwords.push(value);
  for (const { value, parent } of keptKeyFiles) bucketOf(parent!).keys.push(value);

  function credentialNodes(ownerName: string, owner: { kind: 'application' | 'servicePrincipal'; objectId: string }, list: { passwords: PasswordCredential[]; keys: KeyCredential[] }, signingThumbprint?: string): { id: string; signsIn: boolean }[] {
    const signing = new Set(list.keys.filter((key) => lower(key.usage ?? '') === 'sign').map((key) => key.customKeyIdentifier).filter(Boolean));
    const out: { id: string; signsIn: boolean }[] = [];
    for (const password of list.passwords) {
      const tokenSigning = password.customKeyIdentifier ? signing.has(password.customKeyIdentifier) : false;
      out.push({
        id: b.node({
          ...base, id: id('Credential', lower(password.keyId)), kind: 'Credential', type: 'client-secret',
          name: `${ownerName}: client secret ${password.displayName ?? password.hint ?? password.keyId}`,
          hint: password.hint ?? undefined, createdAt: password.startDateTime ?? undefined, expiresAt: password.endDateTime ?? undefined,
          properties: { keyId: lower(password.keyId), displayName: password.displayName ?? undefined, credentialOf: owner.kind, ownerObjectId: owner.objectId, tokenSigning: tokenSigning || undefined },
        }),
        signsIn: !tokenSigning,
      });
    }
    for (const key of list.keys) {
      const fingerprint = certificateFingerprint(key);
      const usage = key.usage ?? undefined;
      const tokenSigning = lower(usage ?? '') === 'sign'
        || Boolean(key.customKeyIdentifier && signing.has(key.customKeyIdentifier))
        || Boolean(signingThumbprint && fingerprint && lower(signingThumbprint) === lower(fingerprint));
      out.push({
        id: b.node({
          ...base, id: id('Credential', lower(key.keyId)), kind: 'Credential', type: 'certificate',
          name: `${ownerName}: certificate ${key.displayName ?? fingerprint ?? key.keyId}`,
          fingerprint, createdAt: key.startDateTime ?? undefined, expiresAt: key.endDateTime ?? undefined,
          properties: { keyId: lower(key.keyId), displayName: key.displayName ?? undefined, keyType: key.type ?? undefined, usage, credentialOf: owner.kind, ownerObjectId: owner.objectId, tokenSigning: tokenSigning || undefined },
        }),
        // A token-signing key signs SAML tokens Entra issues for the app; Entra keeps its private half.
        signsIn: !tokenSigning,
      });
    }
    return out;
  }

  for (const { value: app } of applications) {
    const appNode = appNodeOfObject.get(lower(app.id))!;
    const sp = spByAppId.get(lower(app.appId));
    for (const credential of credentialNodes(app.displayName ?? app.appId, { kind: 'application', objectId: lower(app.id) }, appCredentials.get(lower(app.id))!)) {
      b.edge({ kind: 'HOLDS', from: appNode, to: credential.id, reason: 'A credential of the application registration.' });
      if (credential.signsIn && sp) b.edge({ kind: 'AUTHENTICATES_AS', from: credential.id, to: spNodeId(sp.id), reason: 'The application signs in to the tenant as its service principal with this credential.' });
    }
  }
  for (const { value: sp } of servicePrincipals) {
    // Who holds a credential added to a service principal is not recorded: it is a source, not held.
    for (const credential of credentialNodes(sp.displayName ?? sp.appId, { kind: 'servicePrincipal', objectId: lower(sp.id) }, spCredentials.get(lower(sp.id))!, sp.preferredTokenSigningKeyThumbprint ?? undefined)) {
      if (credential.signsIn) b.edge({ kind: 'AUTHENTICATES_AS', from: credential.id, to: spNodeId(sp.id), reason: 'A credential added to the service principal itself signs in as it.' });
    }
  }

  // (:App)-[:HOLDS]->(:Credential {type: federated}); (:Resource {github repo})-[:RUNS_AS]->(:Identity)
  for (const { value: fic, parent } of keptFederated) {
    const app = parentApp(parent!.id)!;
    writeFederated(app, fic);
  }
  function writeFederated(app: Application, fic: FederatedIdentityCredential): void {
    const appNode = appNodeOfObject.get(lower(app.id))!;
    const credential = b.node({
      ...base, id: id('Credential', `federated/${lower(app.id)}/${fic.id ? lower(fic.id) : fic.name}`), kind: 'Credential', type: 'federated',
      name: `${app.displayName ?? app.appId}: federated credential ${fic.name}`,
      properties: { issuer: fic.issuer, subject: fic.subject, audiences: fic.audiences ?? undefined, ficName: fic.name, description: fic.description ?? undefined },
    });
    b.edge({ kind: 'HOLDS', from: appNode, to: credential, reason: 'A federated (secretless) credential of the application registration.' });
    const sp = spByAppId.get(lower(app.appId));
    if (!sp) return;
    b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: spNodeId(sp.id), reason: `A token from ${fic.issuer} with subject ${fic.subject} is exchanged for the service principal's token.` });
    const github = fic.issuer.replace(/\/+$/, '') === GITHUB_ACTIONS_ISSUER ? /^repo:([^:/]+\/[^:]+):(.+)$/.exec(fic.subject) : null;
    if (github) {
      const repo = b.node(stubNode('github', 'Resource', github[1]!, github[1]!, SOURCE));
      b.edge({ kind: 'RUNS_AS', from: repo, to: spNodeId(sp.id), reason: `GitHub Actions workflows of ${github[1]} (${github[2]}) sign in to Entra as ${sp.displayName ?? sp.appId} without a secret.` });
    }
  }

  // Principals named in owners, members and assignments; placeholders keep references that the export lacks.
  function spRef(spId: string, name?: string | null): string {
    const key = lower(spId);
    const nodeKey = spNodeId(key);
    if (spById.has(key) || b.has(nodeKey)) return nodeKey;
    note('service principals referenced by id but not in servicePrincipals.json: placeholders created');
    b.node({ ...base, id: nodeKey, kind: 'Identity', subtype: 'service', name: name ?? `service principal ${key} (not in the export)`, properties: { objectId: key, placeholder: true } });
    tenantPrincipals.push(nodeKey);
    spNodes.push(nodeKey);
    return nodeKey;
  }
  function directoryObjectRef(object: DirectoryObject): string | undefined {
    const type = lower(object['@odata.type'] ?? '');
    const key = lower(object.id);
    if (type.endsWith('.user') || (!type && userById.has(key))) return userRef(key, { name: object.displayName, upn: object.userPrincipalName });
    if (type.endsWith('.serviceprincipal') || (!type && spById.has(key))) return spRef(key, object.displayName);
    if (type.endsWith('.group') || (!type && groupIds.has(key))) return groupRef(key, object.displayName);
    note(`members or owners of other object types ignored (${type || 'unknown type'})`);
    return undefined;
  }
  function groupRef(groupId: string, name?: string | null): string {
    const nodeKey = id('Group', lower(groupId));
    if (!b.has(nodeKey)) {
      note('groups referenced by id but not in groups.json: placeholders created');
      b.node({ ...base, id: nodeKey, kind: 'Group', name: name ?? `group ${lower(groupId)} (not in the export)`, properties: { objectId: lower(groupId), placeholder: true } });
    }
    return nodeKey;
  }
  function principalRef(principalId: string, type?: string | null, name?: string | null): string {
    const key = lower(principalId);
    const kind = lower(type ?? '');
    if (kind === 'user' || (!kind && userById.has(key))) return userRef(key, { name });
    if (kind === 'group' || (!kind && groupIds.has(key))) return groupRef(key, name);
    if (kind === 'serviceprincipal' || (!kind && spById.has(key))) return spRef(key, name);
    const nodeKey = id('Identity', key);
    if (!b.has(nodeKey)) {
      note('principals of unknown type referenced by id: placeholders created');
      b.node({ ...base, id: nodeKey, kind: 'Identity', name: name ?? `directory object ${key} (not in the export)`, properties: { objectId: key, placeholder: true } });
      tenantPrincipals.push(nodeKey);
    }
    return nodeKey;
  }

  // (:Identity)-[:OWNS]->(:App) and -[:CAN_ADD_CREDENTIAL]->(:App|:Identity): owners can add a secret.
  for (const { value: object, parent } of keptOwners) {
    const ownerNode = directoryObjectRef(object);
    if (!ownerNode) continue;
    if (parent!.kind === 'application') {
      const app = parentApp(parent!.id)!;
      const appNode = appNodeOfObject.get(lower(app.id))!;
      b.edge({ kind: 'OWNS', from: ownerNode, to: appNode });
      addOwner(b, appNode, ownerNode);
      b.edge({ kind: 'CAN_ADD_CREDENTIAL', from: ownerNode, to: appNode, reason: 'An owner of the application registration can add a secret or certificate to it.' });
      const sp = spByAppId.get(lower(app.appId));
      if (sp) b.edge({ kind: 'CAN_ADD_CREDENTIAL', from: ownerNode, to: spNodeId(sp.id), reason: "An owner of the application can add a credential and sign in as its service principal." });
    } else if (parent!.kind === 'group') {
      // (:Identity)-[:CAN_ADD_MEMBER]->(:Group): an owner manages the group's members, role-assignable groups included.
      const groupNode = groupRef(parent!.id);
      if (!memberEditable.has(groupNode)) continue;
      b.edge({ kind: 'CAN_ADD_MEMBER', from: ownerNode, to: groupNode, reason: 'An owner of the group can add members to it, themselves included.' });
      canChange(ownerNode, [groupNode]);
    } else {
      const sp = parentSp(parent!.id)!;
      addOwner(b, spNodeId(sp.id), ownerNode);
      b.edge({ kind: 'CAN_ADD_CREDENTIAL', from: ownerNode, to: spNodeId(sp.id), reason: 'An owner of the service principal can add a credential to it and sign in as it.' });
    }
  }

  // (:Identity|:Group)-[:MEMBER_OF]->(:Group)
  for (const { value: object, parent } of keptGroupMembers) {
    const member = directoryObjectRef(object);
    if (member) b.edge({ kind: 'MEMBER_OF', from: member, to: groupRef(parent!.id) });
  }

  // Scopes -> authority edges through the catalogue. Application permissions reach tenant-wide resources;
  // delegated ones reach every user's data (AllPrincipals) or the consenting user's own (Principal).
  function apiOf(resourceId: string, displayName?: string | null): ApiContext {
    const sp = spById.get(lower(resourceId));
    if (!sp) note('permissions on APIs whose service principal is not in the export: looked up in the Microsoft Graph catalogue');
    const catalogued = sp ? CATALOGUED_APIS[lower(sp.appId)] !== undefined : true;
    return { id: lower(resourceId), name: sp?.displayName ?? displayName ?? (sp ? CATALOGUED_APIS[lower(sp.appId)] : undefined) ?? `API ${lower(resourceId)}`, catalogued };
  }
  function authority(from: string, scopes: readonly string[], api: ApiContext, consent: ConsentMode, grant: string, reason: string): void {
    for (const scope of scopes) {
      const lookup: ScopeLookup = api.catalogued ? lookupScope(ENTRA_SCOPES, scope) : { scope, entry: { level: assumeLevel(scope), resources: [], tenantWide: false }, assumed: true };
      unknownScopes.note(lookup);
      const { entry } = lookup;
      const types = lookup.assumed ? ['api'] : entry.resources;
      for (const type of types) {
        const personal = RESOURCE_TYPES[type]?.personalName !== undefined;
        let target: string;
        let conditions: string[] | undefined;
        if (type === 'api') target = apiResource(api);
        else if (consent.mode === 'Principal' && personal && !entry.tenantWide) target = personalResource(type, consent.userId);
        else target = tenantResource(type);
        const onlyThisUser = consent.mode === 'Principal' && personal && !entry.tenantWide;
        const boundedByUser = consent.mode === 'Principal'
          ? !onlyThisUser && (personal || entry.level !== 'read')
          : consent.mode === 'AllPrincipals' && !personal && entry.level !== 'read';
        if (boundedByUser) conditions = [USER_RIGHTS_CONDITION];
        const takeover = entry.takeover && entry.risk ? `; ${entry.risk}` : '';
        b.edge({ kind: LEVEL_EDGE[entry.level], from, to: target, scopes: [scope], grant, reason: `${reason}${takeover}.`, conditions, assumed: lookup.assumed || undefined });
      }
    }
  }

  // (:Identity)-[:CAN_*]->(:Resource|:Platform) application permissions, or (:Identity|:Group)-[:HAS_ROLE]->(:Role) app roles.
  const seenAssignments = new Set<string>();
  /** Catalogued application permissions per service principal node, with the assignment that grants each. */
  const applicationPermissions = new Map<string, Map<string, string>>();
  for (const { value: assignment } of assignments) {
    if (seenAssignments.has(assignment.id)) continue;
    seenAssignments.add(assignment.id);
    const resource = spById.get(lower(assignment.resourceId));
    const home = resource ? appByAppId.get(lower(resource.appId)) : undefined;
    const role = [...(resource?.appRoles ?? []), ...(home?.appRoles ?? [])].find((r) => lower(r.id) === lower(assignment.appRoleId));
    const resourceName = resource?.displayName ?? assignment.resourceDisplayName ?? lower(assignment.resourceId);
    if (lower(assignment.principalType) === 'serviceprincipal' && lower(assignment.appRoleId) !== DEFAULT_ACCESS_ROLE) {
      const principal = spRef(assignment.principalId, assignment.principalDisplayName);
      if (!role?.value) note('application permissions whose app role id is not among the API\'s appRoles: kept as the raw id');
      const scope = role?.value ?? lower(assignment.appRoleId);
      const api = apiOf(assignment.resourceId, assignment.resourceDisplayName);
      // Kept on the holder too, for governance: some permissions (Sites.Selected) map to no edge.
      const holder = b.nodes.get(principal)!;
      const held = new Set([...((holder.properties?.applicationPermissions as string[] | undefined) ?? []), `${api.name}: ${scope}`]);
      holder.properties = { ...holder.properties, applicationPermissions: [...held].sort() };
      authority(principal, [scope], api, { mode: 'application' }, `appRoleAssignment/${assignment.id}`, `Application permission on ${api.name}: tenant-wide, no signed-in user needed`);
      if (api.catalogued) {
        const permissions = applicationPermissions.get(principal) ?? new Map<string, string>();
        permissions.set(scope, `appRoleAssignment/${assignment.id}`);
        applicationPermissions.set(principal, permissions);
      }
      continue;
    }
    // A user or group assigned to an application (default access or one of its app roles): it may sign in to
    // the app with that role. What the role allows inside the app is that app's business, not Entra's.
    const appRoleId = lower(assignment.appRoleId);
    const roleNode = b.node({
      ...base, id: id('Role', `approle/${lower(assignment.resourceId)}/${appRoleId}`), kind: 'Role', privileged: false,
      name: `${resourceName}: ${appRoleId === DEFAULT_ACCESS_ROLE ? 'default access' : role?.value ?? role?.displayName ?? appRoleId}`,
      properties: { appRoleId, resourceServicePrincipalId: lower(assignment.resourceId), value: role?.value ?? undefined },
    });
    b.edge({ kind: 'HAS_ROLE', from: principalRef(assignment.principalId, assignment.principalType, assignment.principalDisplayName), to: roleNode, grant: `appRoleAssignment/${assignment.id}`, reason: `Assigned to the application ${resourceName}.` });
  }

  // (:Credential {type: oauth-grant}) one per delegated consent: the refresh tokens the client holds under it.
  const seenGrants = new Set<string>();
  /** Delegated grants with a group-writing scope: their CAN_ADD_MEMBER edges need the users' roles, read below. */
  const delegatedGroupWriters: { credential: string; userNode?: string; who?: string; scopes: string[] }[] = [];
  for (const { value: grant } of grants) {
    if (seenGrants.has(grant.id) || (grant.consentType === 'Principal' && !grant.principalId)) continue;
    seenGrants.add(grant.id);
    writeGrant(grant);
  }
  function writeGrant(grant: OAuth2PermissionGrant): void {
    const client = spById.get(lower(grant.clientId));
    const clientNode = spRef(grant.clientId);
    const clientName = client?.displayName ?? client?.appDisplayName ?? `client ${lower(grant.clientId)}`;
    const api = apiOf(grant.resourceId);
    const scopes = splitScopes(grant.scope);
    const userNode = grant.consentType === 'Principal' ? userRef(grant.principalId!) : undefined;
    const who = userNode ? (b.nodes.get(userNode)?.email ?? lower(grant.principalId!)) : undefined;
    const credential = b.node({
      ...base, id: id('Credential', `grant/${grant.id}`), kind: 'Credential', type: 'oauth-grant',
      name: `${clientName}: delegated consent to ${api.name} ${who ? `for ${who}` : 'for all users'}`,
      scopes, enabled: client?.accountEnabled === false ? false : undefined,
      properties: { grantId: grant.id, consentType: grant.consentType, clientServicePrincipalId: lower(grant.clientId), resourceServicePrincipalId: lower(grant.resourceId), principalId: grant.principalId ? lower(grant.principalId) : undefined },
    });
    const holder = appOfSp.get(lower(grant.clientId)) ?? clientNode;
    b.edge({ kind: 'HOLDS', from: holder, to: credential, reason: 'The client application keeps the refresh tokens issued under this consent.' });
    if (userNode && appOfSp.has(lower(grant.clientId))) b.edge({ kind: 'CONSENTED', from: userNode, to: appOfSp.get(lower(grant.clientId))!, grant: credential });
    const consent: ConsentMode = userNode ? { mode: 'Principal', userId: lower(grant.principalId!) } : { mode: 'AllPrincipals' };
    authority(credential, scopes, api, consent, credential, userNode ? `Delegated permission on ${api.name}, consented by ${who} for their own data` : `Delegated permission on ${api.name}, admin-consented for every user in the tenant`);
    const groupWriting = api.catalogued ? scopes.filter((scope) => lookupScope(ENTRA_SCOPES, scope).entry.takeover === 'add-member') : [];
    if (groupWriting.length > 0) delegatedGroupWriters.push({ credential, userNode, who, scopes: groupWriting });
  }

  // (:Role) directory roles: (:Identity|:Group)-[:HAS_ROLE]->(:Role)-[:CAN_*]->(tenant resources).
  const definitionById = new Map(roleDefinitions.map((d) => [lower(d.value.id), d.value]));
  function roleInfo(definitionId: string) {
    const definition = definitionById.get(lower(definitionId));
    const templateId = lower(definition?.templateId ?? definitionId);
    const known = ENTRA_ROLES.roles[templateId];
    return { definition, templateId, known, name: definition?.displayName ?? known?.name ?? `directory role ${templateId}`, privileged: known?.privileged ?? definition?.isPrivileged ?? false };
  }
  function directoryRole(definitionId: string): string {
    const { definition, templateId, known, name, privileged } = roleInfo(definitionId);
    const roleNode = id('Role', templateId);
    if (b.has(roleNode)) return roleNode;
    if (!known && !definition) note('directory roles neither in roleDefinitions.json nor in the role catalogue');
    b.node({ ...base, id: roleNode, kind: 'Role', name, privileged, properties: { templateId, isBuiltIn: definition?.isBuiltIn ?? undefined } });
    for (const grantOfRole of known?.grants ?? []) {
      b.edge({ kind: LEVEL_EDGE[grantOfRole.level], from: roleNode, to: tenantResource(grantOfRole.resource), reason: `${known!.name}${known!.note ? `: ${known!.note}` : ''}.` });
    }
    if (known?.groupMembership) {
      // (:Role)-[:CAN_ADD_MEMBER]->(:Group)
      const which = known.groupMembership === 'all' ? 'any group, role-assignable ones included' : 'any group that is not role-assignable';
      for (const groupNode of changeableGroups(known.groupMembership)) b.edge({ kind: 'CAN_ADD_MEMBER', from: roleNode, to: groupNode, reason: `${known.name} can change the members of ${which}.` });
    }
    return roleNode;
  }
  /** The groups a principal holding a tenant-wide role may change; recorded for the delegated grants acting as it. */
  const holdsRole = (principal: string, roleNode: string, templateId: string): void => {
    const which = ENTRA_ROLES.roles[templateId]?.groupMembership;
    if (which && roleNode === id('Role', templateId)) canChange(principal, changeableGroups(which));
  };
  function scopedRole(definitionId: string, scope: string): string {
    const unscoped = roleInfo(definitionId);
    const templateId = unscoped.templateId;
    const objectId = lower(scope.replace(/^\//, ''));
    const app = appByObjectId.get(objectId);
    const sp = spById.get(objectId);
    const over = app?.displayName ?? sp?.displayName ?? scope;
    const roleNode = b.node({ ...base, id: id('Role', `${templateId}@${scope}`), kind: 'Role', name: `${unscoped.name} (scoped to ${over})`, privileged: unscoped.privileged, properties: { templateId, directoryScopeId: scope } });
    const managesApps = (ENTRA_ROLES.roles[templateId]?.grants ?? []).some((g) => g.resource === 'applications' && g.level === 'admin');
    if (managesApps && (app || sp)) {
      const targets = app ? [appNodeOfObject.get(objectId)!, ...(spByAppId.get(lower(app.appId)) ? [spNodeId(spByAppId.get(lower(app.appId))!.id)] : [])] : [spNodeId(sp!.id)];
      for (const target of targets) b.edge({ kind: 'CAN_ADD_CREDENTIAL', from: roleNode, to: target, reason: `${unscoped.name} over this object can add credentials to it.` });
    } else {
      note('directory role assignments scoped to an administrative unit or object: recorded without authority');
    }
    return roleNode;
  }
  for (const { value: assignment } of roleAssignments) {
    const scope = assignment.directoryScopeId ?? '/';
    const roleNode = scope === '/' ? directoryRole(assignment.roleDefinitionId) : scopedRole(assignment.roleDefinitionId, scope);
    const principal = principalRef(assignment.principalId);
    b.edge({ kind: 'HAS_ROLE', from: principal, to: roleNode, grant: `roleAssignment/${assignment.id}` });
    holdsRole(principal, roleNode, roleInfo(assignment.roleDefinitionId).templateId);
  }
  for (const { value: member, parent } of directoryRoleMembers) {
    const templateId = directoryRoleTemplate.get(parent!.id);
    if (!templateId) note('directoryRoles/{id}/members files whose role is not in directoryRoles.json: the folder id is read as a template id');
    const principal = directoryObjectRef(member);
    if (!principal) continue;
    const roleNode = directoryRole(templateId ?? parent!.id);
    b.edge({ kind: 'HAS_ROLE', from: principal, to: roleNode });
    holdsRole(principal, roleNode, roleInfo(templateId ?? parent!.id).templateId);
  }

  // (:Identity)-[:CAN_ADD_MEMBER]->(:Group) application permissions: GroupMember.ReadWrite.All, Group.ReadWrite.All or
  // Directory.ReadWrite.All change the members of any group that is not role-assignable; role-assignable groups
  // also need RoleManagement.ReadWrite.Directory (Graph: "Add members", permissions).
  for (const [principal, permissions] of [...applicationPermissions.entries()].sort(([a], [c]) => (a < c ? -1 : 1))) {
    const writers = [...permissions.keys()].filter((scope) => lookupScope(ENTRA_SCOPES, scope).entry.takeover === 'add-member').sort();
    if (writers.length === 0) continue;
    const grant = permissions.get(writers[0]!)!;
    const roleManagement = permissions.has('RoleManagement.ReadWrite.Directory');
    for (const groupNode of changeableGroups(roleManagement ? 'all' : 'non-role-assignable')) {
      const roleAssignable = memberEditable.get(groupNode)!.roleAssignable;
      b.edge({
        kind: 'CAN_ADD_MEMBER', from: principal, to: groupNode, grant, scopes: roleAssignable ? [...writers, 'RoleManagement.ReadWrite.Directory'] : writers,
        reason: `Application permission ${writers.join(', ')}${roleAssignable ? ' with RoleManagement.ReadWrite.Directory (the group is role-assignable)' : ''}: adds any member to this group.`,
      });
    }
  }

  // (:Credential)-[:CAN_ADD_MEMBER]->(:Group) delegated: the grant acts as the signed-in user, so it changes only the
  // groups that user owns or whose members their directory roles may change. A single-user consent reaches that
  // user's groups; an admin consent for all users the groups any exported user may change, on that user's rights.
  for (const { credential, userNode, who, scopes } of delegatedGroupWriters) {
    const reachable = userNode ? [...(changeableBy.get(userNode) ?? [])] : [...new Set([...changeableBy.entries()].filter(([p]) => humanIds.includes(p)).flatMap(([, set]) => [...set]))];
    if (reachable.length === 0) note('delegated group-writing grants whose users may change no exported group: no CAN_ADD_MEMBER edges');
    for (const groupNode of reachable.sort()) {
      b.edge({
        kind: 'CAN_ADD_MEMBER', from: credential, to: groupNode, scopes, grant: credential, conditions: userNode ? undefined : [USER_RIGHTS_CONDITION],
        reason: userNode ? `Acts as ${who} with ${scopes.join(', ')}, and ${who} may change this group's members.` : `Acts as any signed-in user with ${scopes.join(', ')}; some user may change this group's members.`,
      });
    }
  }

  // Takeover hubs: whoever administers them can add a credential to (or reset) every principal they cover.
  if (hubIds.has('applications')) {
    for (const target of [...tenantApps, ...spNodes]) {
      b.edge({ kind: 'MANAGES', from: tenantResource('applications'), to: target, reason: 'Managing all applications includes adding a secret to this one.' });
    }
  }
  if (hubIds.has('authentication-methods')) {
    for (const target of humanIds) b.edge({ kind: 'MANAGES', from: tenantResource('authentication-methods'), to: target, reason: "Managing every user's authentication methods includes resetting this user's." });
  }
  const humans = new Set(humanIds);
  for (const principal of tenantPrincipals) {
    managedByTenant(principal, humans.has(principal) ? "A tenant administrator can reset this user's credentials." : 'A tenant administrator can add credentials to this service principal.');
  }

  // Approvals, from the audit events when the export has them.
  if (directoryAudits.length > 0) {
    applyEntraAudits(b, directoryAudits.map((record) => record.value), {
      grants: grants.map((grant) => grant.value),
      grantNode: (grantId) => id('Credential', `grant/${grantId}`),
      spNode: spNodeId,
      // An approver is named, not created: one gone from users.json stays absent (BM-GOV-APPROVER-DISABLED).
      userNode: (userId) => id('Identity', userId),
      note,
    });
  }

  report.unknownScopes = unknownScopes.list();
  report.notes = [...fileNotes, ...[...notes.entries()].map(([text, count]) => `${count} ${text}`)];
  return { ok: true, fragment: b.fragment(), report };
}
