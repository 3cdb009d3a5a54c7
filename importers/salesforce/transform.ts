// Pure transform of Salesforce SOQL query results (OauthToken, connected apps, users, profiles, permission
// sets, object permissions, setup audit trail) into connected apps, the refresh tokens they hold and what the
// users those tokens act as can reach. Secret fields of OauthToken are not part of the schema, so never read.
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { nodeId } from '../../engine/format/native.ts';
import { stubNode } from '../../engine/store/link.ts';
import { classifyFiles, emptyReport, type FileRole, type ImporterOptions, type ImporterReport, type ImporterResult } from '../common/importer.ts';
import { parseJsonFile, parseRecords, type Located, type RawFile } from '../common/records.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import { lookupScope, UnknownScopes } from '../common/scopes.ts';
import { oauthScopeName, SALESFORCE_SCOPES } from './scopes.ts';
import {
  appMenuItemSchema, connectedAppMetadataSchema, connectedApplicationSchema, oauthTokenSchema, objectPermissionsSchema, organizationSchema, PERMISSION_FIELDS,
  permissionSetAssignmentSchema, permissionSetSchema, profileSchema, secretFindingSchema, setupAuditTrailSchema, setupEntityAccessSchema, userSchema,
  type AppMenuItem, type ConnectedApplication, type ConnectedAppMetadata, type CredentialReference, type OauthToken, type Permissions, type SalesforceUser, type SetupAuditTrail,
} from './schema.ts';

export const PLATFORM = 'salesforce';
const SOURCE = 'salesforce';
const QUERY = 'sf data query --json --result-format json --target-org $ORG --query';

/** Input files, one per queried sObject (several pages allowed); the first matching pattern wins. */
export const SALESFORCE_FILES: readonly FileRole[] = [
  { role: 'OauthToken', pattern: /(^|\/)oauthtokens?[^/]*\.json$/, produce: `${QUERY} "SELECT AppName, AppMenuItemId, UserId, User.Username, CreatedDate, LastUsedDate, UseCount FROM OauthToken" > OauthToken.json`, shape: { envelope: ['records'], fields: ['AppName', 'UseCount'] } },
  { role: 'ConnectedApplication', pattern: /(^|\/)connectedapplications?[^/]*\.json$/, produce: `${QUERY} "SELECT Id, Name, CreatedDate, OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric, RefreshTokenValidityPeriod FROM ConnectedApplication" > ConnectedApplication.json`, shape: { envelope: ['records'], fields: ['OptionsAllowAdminApprovedUsersOnly'] } },
  { role: 'ConnectedAppMetadata', pattern: /(^|\/)(connectedapps?[-_.]?metadata[^/]*|[^/]+\.connectedapp(-meta)?)\.json$/, produce: 'jsforce: conn.metadata.read("ConnectedApp", [<API names>]) saved as JSON (Metadata API readMetadata; the oauthConfig.scopes of each connected app)', shape: { fields: ['fullName', 'contactEmail'], single: true } },
  { role: 'AppMenuItem', pattern: /(^|\/)appmenuitems?[^/]*\.json$/, produce: `${QUERY} "SELECT Id, ApplicationId, Name, Label, Type, NamespacePrefix FROM AppMenuItem WHERE Type = 'ConnectedApplication'" > AppMenuItem.json`, shape: { envelope: ['records'], fields: ['ApplicationId'] } },
  { role: 'PermissionSetAssignment', pattern: /(^|\/)permissionsetassignments?[^/]*\.json$/, produce: `${QUERY} "SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment" > PermissionSetAssignment.json`, shape: { envelope: ['records'], fields: ['AssigneeId', 'PermissionSetId'] } },
  { role: 'PermissionSet', pattern: /(^|\/)permissionsets?([-_.][^/]*)?\.json$/, produce: `${QUERY} "SELECT Id, Name, Label, IsOwnedByProfile, ProfileId, PermissionsApiEnabled, PermissionsApiUserOnly, PermissionsViewAllData, PermissionsModifyAllData, PermissionsManageUsers, PermissionsCustomizeApplication, PermissionsAuthorApex FROM PermissionSet" > PermissionSet.json`, shape: { envelope: ['records'], fields: ['IsOwnedByProfile'] } },
  { role: 'SetupEntityAccess', pattern: /(^|\/)setupentityaccess[^/]*\.json$/, produce: `${QUERY} "SELECT ParentId, SetupEntityId, SetupEntityType FROM SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication'" > SetupEntityAccess.json`, shape: { envelope: ['records'], fields: ['SetupEntityId', 'ParentId'] } },
  { role: 'ObjectPermissions', pattern: /(^|\/)objectpermissions[^/]*\.json$/, produce: `${QUERY} "SELECT ParentId, SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE SobjectType IN ('Case','Account','Contact','Opportunity','Lead','Contract','User')" > ObjectPermissions.json`, shape: { envelope: ['records'], fields: ['SobjectType', 'ParentId'] } },
  { role: 'SetupAuditTrail', pattern: /(^|\/)setupaudittrail[^/]*\.json$/, produce: `${QUERY} "SELECT Action, Section, Display, CreatedDate, CreatedById, CreatedBy.Username, DelegateUser FROM SetupAuditTrail ORDER BY CreatedDate" > SetupAuditTrail.json`, shape: { envelope: ['records'], fields: ['Action', 'Section'] } },
  { role: 'Organization', pattern: /(^|\/)organization[^/]*\.json$/, produce: `${QUERY} "SELECT Id, Name, InstanceName, OrganizationType, IsSandbox FROM Organization" > Organization.json`, shape: { envelope: ['records'], fields: ['InstanceName', 'OrganizationType'] } },
  { role: 'Profile', pattern: /(^|\/)profiles?([-_.][^/]*)?\.json$/, produce: `${QUERY} "SELECT Id, Name, PermissionsApiEnabled, PermissionsApiUserOnly, PermissionsViewAllData, PermissionsModifyAllData, PermissionsManageUsers, PermissionsCustomizeApplication, PermissionsAuthorApex FROM Profile" > Profile.json`, shape: { envelope: ['records'], fields: ['PermissionsApiEnabled'], without: ['IsOwnedByProfile'] } },
  { role: 'User', pattern: /(^|\/)users?([-_.][^/]*)?\.json$/, produce: `${QUERY} "SELECT Id, Username, Email, Name, IsActive, ProfileId, UserType, FederationIdentifier, LastLoginDate FROM User" > User.json`, shape: { envelope: ['records'], fields: ['Username'] } },
  { role: 'secretFindings', pattern: /secret[-_]?findings[^/]*\.json$/, produce: 'written from a secret scanner\'s report: {"findings": [{"sObject": "Case", "recordId": "500...", "credential": "<node id>" | {"platform", "key"}}]}' },
];

/**
 * Standard objects a connected app can read, always present as Resources (so a secret found in a case can be
 * attached to Cases). `apiApproximation`: read by any API-enabled user when object permissions are not exported.
 */
export const STANDARD_OBJECTS: readonly { sObject: string; key: string; name: string; tags: string[]; apiApproximation: boolean }[] = [
  { sObject: 'Case', key: 'cases', name: 'Cases', tags: ['pii', 'customer'], apiApproximation: true },
  { sObject: 'Account', key: 'accounts', name: 'Accounts', tags: ['customer'], apiApproximation: true },
  { sObject: 'Contact', key: 'contacts', name: 'Contacts', tags: ['pii'], apiApproximation: true },
  { sObject: 'Opportunity', key: 'opportunities', name: 'Opportunities', tags: ['financial'], apiApproximation: true },
  { sObject: 'Lead', key: 'leads', name: 'Leads', tags: ['pii'], apiApproximation: false },
  { sObject: 'Contract', key: 'contracts', name: 'Contracts', tags: ['financial'], apiApproximation: false },
  { sObject: 'User', key: 'users', name: 'Users', tags: ['pii'], apiApproximation: true },
];

/** User types that are machines, not people. */
const SERVICE_USER_TYPES = new Set(['automatedprocess', 'cloudintegrationuser']);

const lower = (value: string): string => value.toLowerCase();
/** Joins compare the case-sensitive 15-character form: SOQL returns 18 characters, some fields 15. */
const key15 = (value: string): string => value.slice(0, 15);
const sameOrg = (a: string, b: string): boolean => (/^00d/i.test(a) && /^00d/i.test(b) ? key15(a) === key15(b) : lower(a) === lower(b));

/** Facts about one connected app, gathered before its node is written. */
interface AppFacts {
  key: string;
  connectedApp?: ConnectedApplication;
  menu?: AppMenuItem;
  tokenNames: Set<string>;
  authorizedFor: Set<string>;
  /** The Metadata API definition: the OAuth scopes the app's users may grant it. */
  definition?: ConnectedAppMetadata;
  audit: SetupAuditTrail[];
}

export function transformSalesforce(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const report: ImporterReport = emptyReport();
  const issues: InputIssue[] = [];
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, SALESFORCE_FILES);
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  const notes = new Map<string, number>();
  const note = (text: string, count = 1): void => { notes.set(text, (notes.get(text) ?? 0) + count); };

  function read<S extends z.ZodType>(role: string, schema: S, keys: readonly string[] = ['records'], single = false): Located<z.output<S>>[] {
    const out: Located<z.output<S>>[] = [];
    let expected = 0;
    for (const file of byRole.get(role) ?? []) {
      const parsed = parseJsonFile(file);
      // The REST API answers a failed query with a bare array of {message, errorCode}: an error, not records.
      if (parsed.ok && Array.isArray(parsed.value) && parsed.value.length > 0 && parsed.value.every((item) => item !== null && typeof item === 'object' && 'errorCode' in item)) {
        const first = parsed.value[0] as { errorCode: unknown; message?: unknown };
        issues.push({ file: file.path, path: '$[0].errorCode', message: `the API answered with an error: ${String(first.errorCode)}`, expected: 'a query result ({totalSize, done, records})', found: `${String(first.errorCode)}: ${String(first.message ?? '')}` });
        continue;
      }
      if (parsed.ok) {
        for (const page of Array.isArray(parsed.value) ? parsed.value : [parsed.value]) {
          const size = (page as { totalSize?: unknown } | null)?.totalSize;
          if (typeof size === 'number') expected = Math.max(expected, size);
        }
      }
      const result = parseRecords(schema, file, keys, { lenient: options.lenient, single });
      issues.push(...result.issues);
      report.skipped.push(...result.skipped);
      out.push(...result.records);
    }
    if (out.length > 0) report.records[role] = out.length;
    const seen = out.length + report.skipped.filter((s) => (byRole.get(role) ?? []).some((f) => f.path === s.file)).length;
    if (expected > seen) note(`${role}: the query reported totalSize ${expected} but ${seen} records were saved; save every page (follow nextRecordsUrl)`);
    return out;
  }

  const tokens = read('OauthToken', oauthTokenSchema);
  const connectedApps = read('ConnectedApplication', connectedApplicationSchema);
  const appDefinitions = read('ConnectedAppMetadata', connectedAppMetadataSchema, ['records', 'result'], true);
  const menus = read('AppMenuItem', appMenuItemSchema);
  const users = read('User', userSchema);
  const profiles = read('Profile', profileSchema);
  const permissionSets = read('PermissionSet', permissionSetSchema);
  const assignments = read('PermissionSetAssignment', permissionSetAssignmentSchema);
  const entityAccess = read('SetupEntityAccess', setupEntityAccessSchema);
  const objectPermissions = read('ObjectPermissions', objectPermissionsSchema);
  const auditTrail = read('SetupAuditTrail', setupAuditTrailSchema);
  const organizations = read('Organization', organizationSchema);
  const findings = read('secretFindings', secretFindingSchema, ['findings']);

  // The org: Organization.json, or --tenant; both must agree when both are given.
  const organization = organizations[0];
  const optionTenant = options.tenant?.trim() || undefined;
  if (organization && optionTenant && !sameOrg(organization.value.Id, optionTenant)) {
    issues.push({ file: organization.file, path: `${organization.path}.Id`, message: '--tenant does not match the export', expected: `the org given with --tenant (${optionTenant})`, found: organization.value.Id });
  }
  const otherOrg = organizations.find((o) => !sameOrg(o.value.Id, organizations[0]!.value.Id));
  if (otherOrg) issues.push({ file: otherOrg.file, path: `${otherOrg.path}.Id`, message: 'several orgs in one export', expected: `one org per import (${organizations[0]!.value.Id}); import each org's folder separately`, found: otherOrg.value.Id });
  const orgId = organization?.value.Id ?? optionTenant ?? (options.tenantFallback?.trim() || undefined);
  if (!orgId) issues.push({ path: '$', message: 'no org id', expected: 'an Organization.json file (SELECT Id, Name FROM Organization) or --tenant <org id>', found: 'neither' });
  if (issues.length > 0 || !orgId) return { ok: false, issues };

  const tenant = lower(orgId);
  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, tenant, kind, native);
  const base = { platform: PLATFORM, tenant };

  // (:Platform) the org; (:Platform)-[:CONTAINS]->(:Resource) its standard object sets, always present.
  const org = organization?.value;
  const platformId = b.node({
    ...base, id: id('Platform', 'org'), kind: 'Platform', vendor: 'Salesforce',
    name: org?.Name ? `${org.Name} (Salesforce)` : `Salesforce org ${orgId}`,
    properties: definedProperties({ orgId, instance: org?.InstanceName, edition: org?.OrganizationType, sandbox: org?.IsSandbox ?? undefined }),
  });
  const objectResource = new Map<string, string>();
  for (const object of STANDARD_OBJECTS) {
    const resourceId = b.node({ ...base, id: id('Resource', object.key), kind: 'Resource', name: object.name, resourceType: 'crm-object', tags: object.tags, properties: { sObject: object.sObject } });
    b.edge({ kind: 'CONTAINS', from: platformId, to: resourceId });
    objectResource.set(lower(object.sObject), resourceId);
  }

  // (:Role) profiles and permission sets, with the system and object permissions that decide data access.
  const profileById = new Map(profiles.map((p) => [key15(p.value.Id), p.value]));
  const permissionSetById = new Map(permissionSets.map((p) => [key15(p.value.Id), p.value]));
  const roleIdOfProfile = (profileId: string): string => id('Role', `profile/${profileById.get(key15(profileId))?.Id ?? profileId}`);
  /** A profile's own permission set (IsOwnedByProfile) is the profile: grants through it land on the profile. */
  const roleIdOfPermissionSet = (permissionSetId: string): string => {
    const set = permissionSetById.get(key15(permissionSetId));
    if (set?.IsOwnedByProfile && set.ProfileId) return roleIdOfProfile(set.ProfileId);
    return id('Role', `permission-set/${set?.Id ?? permissionSetId}`);
  };
  const rolePermissions = new Map<string, { name: string; kind: 'profile' | 'permission-set'; permissions: Set<string> }>();
  const addRole = (roleId: string, name: string, kind: 'profile' | 'permission-set', record: Permissions): void => {
    const entry = rolePermissions.get(roleId) ?? rolePermissions.set(roleId, { name, kind, permissions: new Set() }).get(roleId)!;
    for (const field of PERMISSION_FIELDS) if (record[field]) entry.permissions.add(field);
  };
  for (const { value: profile } of profiles) addRole(roleIdOfProfile(profile.Id), profile.Name, 'profile', profile);
  for (const { value: set } of permissionSets) {
    const owned = Boolean(set.IsOwnedByProfile && set.ProfileId);
    const roleId = roleIdOfPermissionSet(set.Id);
    addRole(roleId, owned ? (profileById.get(key15(set.ProfileId!))?.Name ?? set.Label ?? set.Name) : (set.Label ?? set.Name), owned ? 'profile' : 'permission-set', set);
  }
  const roleRef = (roleId: string, fallbackName: string, kind: 'profile' | 'permission-set'): string => {
    if (!rolePermissions.has(roleId)) {
      note('profiles or permission sets referenced but not exported: created without permissions');
      rolePermissions.set(roleId, { name: fallbackName, kind, permissions: new Set() });
    }
    return roleId;
  };

  const objectGrants = new Map<string, { level: 'read' | 'write'; sObject: string; fields: string[] }[]>();
  let unmappedObjects = 0;
  for (const { value: row } of objectPermissions) {
    const target = objectResource.get(lower(row.SobjectType));
    if (!target) { unmappedObjects++; continue; }
    const fields = (['PermissionsRead', 'PermissionsCreate', 'PermissionsEdit', 'PermissionsDelete', 'PermissionsViewAllRecords', 'PermissionsModifyAllRecords'] as const).filter((f) => row[f]);
    if (fields.length === 0) continue;
    const level = fields.some((f) => f !== 'PermissionsRead' && f !== 'PermissionsViewAllRecords') ? 'write' : 'read';
    const roleId = roleRef(roleIdOfPermissionSet(row.ParentId), `permission set ${row.ParentId}`, 'permission-set');
    objectGrants.set(roleId, [...(objectGrants.get(roleId) ?? []), { level, sObject: row.SobjectType, fields: [...fields] }]);
  }
  if (unmappedObjects > 0) note('object permissions on objects other than the standard object sets: not modelled', unmappedObjects);

  // Users and their roles first: the roles' nodes are written once every reference to them is known.
  const userById = new Map<string, SalesforceUser>(users.map((u) => [key15(u.value.Id), u.value]));
  const userRoles = new Map<string, Set<string>>();
  const grantRole = (userId: string, roleId: string): void => { (userRoles.get(userId) ?? userRoles.set(userId, new Set()).get(userId)!).add(roleId); };
  for (const { value: user } of users) if (user.ProfileId) grantRole(key15(user.Id), roleRef(roleIdOfProfile(user.ProfileId), user.Profile?.Name ?? `profile ${user.ProfileId}`, 'profile'));
  for (const { value: assignment } of assignments) grantRole(key15(assignment.AssigneeId), roleRef(roleIdOfPermissionSet(assignment.PermissionSetId), `permission set ${assignment.PermissionSetId}`, 'permission-set'));

  const objectApproximation = objectPermissions.length === 0 && !byRole.has('ObjectPermissions');
  for (const [roleId, role] of [...rolePermissions.entries()].sort(([x], [y]) => x.localeCompare(y))) {
    const has = (field: string): boolean => role.permissions.has(field);
    b.node({
      ...base, id: roleId, kind: 'Role', name: `${role.kind === 'profile' ? 'Profile' : 'Permission set'}: ${role.name}`,
      privileged: has('PermissionsViewAllData') || has('PermissionsModifyAllData') || has('PermissionsManageUsers') || has('PermissionsCustomizeApplication') || has('PermissionsAuthorApex'),
      properties: definedProperties({ systemPermissions: role.permissions.size > 0 ? [...role.permissions].sort() : undefined, apiEnabled: has('PermissionsApiEnabled') || undefined }),
    });
    // (:Role)-[:CAN_*]->(:Platform) org-wide data access; the Platform CONTAINS every object set.
    if (has('PermissionsManageUsers')) b.edge({ kind: 'CAN_ADMIN', from: roleId, to: platformId, scopes: ['PermissionsManageUsers'], reason: 'Manage Users resets any user\'s password and assigns any permission set: control of the org.' });
    if (has('PermissionsModifyAllData')) b.edge({ kind: 'CAN_WRITE', from: roleId, to: platformId, scopes: ['PermissionsModifyAllData'], reason: 'Modify All Data reads and changes every record in the org.' });
    if (has('PermissionsViewAllData')) b.edge({ kind: 'CAN_READ', from: roleId, to: platformId, scopes: ['PermissionsViewAllData'], reason: 'View All Data reads every record in the org.' });
    // (:Role)-[:CAN_READ|CAN_WRITE]->(:Resource) object permissions; record-level sharing is not modelled.
    for (const grant of objectGrants.get(roleId) ?? []) {
      b.edge({ kind: grant.level === 'write' ? 'CAN_WRITE' : 'CAN_READ', from: roleId, to: objectResource.get(lower(grant.sObject))!, scopes: grant.fields, reason: `Object permissions on ${grant.sObject} (${grant.fields.join(', ')}); record-level sharing is not modelled.` });
    }
    if (objectApproximation && has('PermissionsApiEnabled') && !has('PermissionsViewAllData') && !has('PermissionsModifyAllData')) {
      for (const object of STANDARD_OBJECTS.filter((o) => o.apiApproximation)) {
        b.edge({ kind: 'CAN_READ', from: roleId, to: objectResource.get(lower(object.sObject))!, scopes: ['PermissionsApiEnabled'], assumed: true, reason: `API Enabled, and object permissions were not exported: assumed to read the ${object.name} it can see.` });
      }
    }
  }
  if (objectApproximation && [...rolePermissions.values()].some((r) => r.permissions.has('PermissionsApiEnabled'))) note('roles with API Enabled assumed to read Cases, Accounts, Contacts, Opportunities and Users (ObjectPermissions.json not exported)');

  // (:Identity) users; (:Identity)-[:HAS_ROLE]->(:Role); (:Platform)-[:MANAGES]->(:Identity): Manage Users takes them over.
  const userNode = (user: SalesforceUser): string => {
    const roles = [...(userRoles.get(key15(user.Id)) ?? [])];
    const apiOnly = roles.some((r) => rolePermissions.get(r)?.permissions.has('PermissionsApiUserOnly'));
    return b.node({
      ...base, id: id('Identity', user.Id), kind: 'Identity', name: user.Name ?? user.Username,
      subtype: apiOnly || SERVICE_USER_TYPES.has(lower(user.UserType ?? '')) ? 'service' : 'human',
      email: lower(user.Email || user.Username), enabled: user.IsActive ?? undefined,
      properties: definedProperties({ userName: user.Username, federationId: user.FederationIdentifier, userType: user.UserType, profile: user.Profile?.Name ?? (user.ProfileId ? profileById.get(key15(user.ProfileId))?.Name : undefined), lastLoginDate: user.LastLoginDate, apiOnly: apiOnly || undefined }),
    });
  };
  for (const { value: user } of users) userNode(user);
  function userRef(userId: string, hint?: { Username?: string | null; Email?: string | null; Name?: string | null } | null): string {
    const known = userById.get(key15(userId));
    if (known) return id('Identity', known.Id);
    const ref = id('Identity', userId);
    if (!b.has(ref)) {
      note('users referenced by tokens or the audit trail but not in User.json: created from what those records say');
      b.node({
        ...base, id: ref, kind: 'Identity', subtype: 'human', name: hint?.Name ?? hint?.Username ?? `user ${userId}`,
        email: hint?.Email || hint?.Username ? lower((hint.Email || hint.Username)!) : undefined, properties: definedProperties({ userName: hint?.Username, placeholder: true }),
      });
    }
    return ref;
  }
  for (const [userId, roles] of [...userRoles.entries()].sort(([x], [y]) => x.localeCompare(y))) {
    const user = userRef(userId);
    for (const role of [...roles].sort()) b.edge({ kind: 'HAS_ROLE', from: user, to: role });
  }

  // Connected apps: keyed by the ConnectedApplication id wherever a token or menu item leads to it.
  const connectedById = new Map(connectedApps.map((c) => [key15(c.value.Id), c.value]));
  const connectedByName = new Map(connectedApps.map((c) => [lower(c.value.Name), c.value]));
  const menuById = new Map(menus.map((m) => [key15(m.value.Id), m.value]));
  const apps = new Map<string, AppFacts>();
  const factsOf = (key: string): AppFacts => apps.get(key) ?? apps.set(key, { key, tokenNames: new Set(), authorizedFor: new Set(), audit: [] }).get(key)!;
  for (const { value: app } of connectedApps) factsOf(app.Id).connectedApp = app;
  for (const { value: menu } of menus) {
    if (lower(menu.Type ?? 'connectedapplication') !== 'connectedapplication' || !menu.ApplicationId) continue;
    const app = connectedById.get(key15(menu.ApplicationId));
    const facts = factsOf(app?.Id ?? menu.ApplicationId);
    facts.menu = menu;
    facts.connectedApp ??= app;
  }
  const appKeyOfToken = (token: OauthToken): string => {
    const menu = token.AppMenuItemId ? menuById.get(key15(token.AppMenuItemId)) : undefined;
    if (menu?.ApplicationId) return connectedById.get(key15(menu.ApplicationId))?.Id ?? menu.ApplicationId;
    const byName = connectedByName.get(lower(token.AppName));
    if (byName) return byName.Id;
    if (token.AppMenuItemId) { note('tokens whose app menu item is not in AppMenuItem.json: the app is keyed by the menu item id'); return `menu/${token.AppMenuItemId}`; }
    note('tokens without an app menu item: the app is keyed by its name');
    return `name/${token.AppName}`;
  };
  const tokenApps = tokens.map((t) => appKeyOfToken(t.value));
  tokens.forEach((t, i) => factsOf(tokenApps[i]!).tokenNames.add(t.value.AppName));
  // Metadata API definitions join by API name (AppMenuItem.Name) or label (the app's name elsewhere, a token's AppName).
  const unknownScopes = new UnknownScopes();
  for (const { value: definition } of appDefinitions) {
    for (const name of definition.oauthConfig?.scopes ?? []) unknownScopes.note(lookupScope(SALESFORCE_SCOPES, oauthScopeName(name)));
    const names = [definition.fullName, definition.label].filter((n): n is string => Boolean(n)).map(lower);
    const match = [...apps.values()].find((facts) => [facts.menu?.Name, facts.menu?.Label, facts.connectedApp?.Name, ...facts.tokenNames].some((n) => n && names.includes(lower(n))));
    if (!match) note('connected app definitions (Metadata API) naming no app of the other files: imported as apps of their own');
    (match ?? factsOf(`name/${definition.label ?? definition.fullName}`)).definition = definition;
  }
  /** The OAuth scopes an app's definition allows (scope strings, not Metadata API names), or none when not exported. */
  const scopesOf = (facts: AppFacts): string[] | undefined => {
    const names = facts.definition?.oauthConfig?.scopes;
    return facts.definition ? [...new Set((names ?? []).map(oauthScopeName))].sort() : undefined;
  };
  const roleNames = new Map([...rolePermissions.entries()].map(([roleId, r]) => [roleId, `${r.kind === 'profile' ? 'Profile' : 'Permission set'}: ${r.name}`]));
  for (const { value: access } of entityAccess) {
    if (access.SetupEntityType && lower(access.SetupEntityType) !== 'connectedapplication') continue;
    const app = connectedById.get(key15(access.SetupEntityId));
    const facts = app ? factsOf(app.Id) : [...apps.values()].find((f) => f.menu?.ApplicationId && key15(f.menu.ApplicationId) === key15(access.SetupEntityId));
    if (!facts) { note('SetupEntityAccess rows for connected apps not in the export: ignored'); continue; }
    const roleId = roleIdOfPermissionSet(access.ParentId);
    facts.authorizedFor.add(roleNames.get(roleId) ?? access.ParentId);
  }
  const appNames = (facts: AppFacts): string[] => [facts.menu?.Label, facts.menu?.Name, facts.connectedApp?.Name, ...facts.tokenNames].filter((n): n is string => Boolean(n && n.length >= 3)).map(lower);
  for (const { value: row } of auditTrail) {
    if (!/connected ?app|oauth|remote ?access/i.test(`${row.Section ?? ''} ${row.Action}`)) continue;
    const display = lower(row.Display ?? '');
    const matched = [...apps.values()].filter((facts) => appNames(facts).some((name) => display.includes(name)));
    if (matched.length === 0) note('connected-app audit trail entries naming no app in the export: ignored');
    for (const facts of matched) facts.audit.push(row);
  }

  // (:App)-[:INSTALLED_IN]->(:Platform); policy changes as properties; (:Identity)-[:CONSENTED]->(:App) approvals.
  const appNodeOf = new Map<string, string>();
  for (const facts of [...apps.values()].sort((x, y) => x.key.localeCompare(y.key))) {
    const connected = facts.connectedApp;
    const latest = [...facts.audit].sort((x, y) => x.CreatedDate.localeCompare(y.CreatedDate)).at(-1);
    const changedBy = latest ? (latest.CreatedBy?.Username ?? latest.CreatedBy?.Name ?? latest.CreatedById ?? undefined) : undefined;
    const appId = b.node({
      ...base, id: id('App', facts.key), kind: 'App', name: facts.menu?.Label ?? connected?.Name ?? [...facts.tokenNames][0] ?? facts.definition?.label ?? facts.definition?.fullName ?? facts.key,
      properties: definedProperties({
        connectedAppId: connected?.Id ?? facts.menu?.ApplicationId ?? undefined, appMenuItemId: facts.menu?.Id, apiName: facts.menu?.Name ?? facts.definition?.fullName, namespacePrefix: facts.menu?.NamespacePrefix,
        clientId: facts.definition?.oauthConfig?.consumerKey ?? undefined, oauthScopes: scopesOf(facts),
        createdDate: connected?.CreatedDate, adminApprovedUsersOnly: connected?.OptionsAllowAdminApprovedUsersOnly ?? undefined,
        refreshTokenValidityPeriod: connected?.RefreshTokenValidityPeriod ?? undefined,
        refreshTokenExpiresOn: connected?.OptionsRefreshTokenValidityMetric === undefined || connected?.OptionsRefreshTokenValidityMetric === null ? undefined : connected.OptionsRefreshTokenValidityMetric ? 'inactivity' : 'age',
        authorizedProfilesAndPermissionSets: facts.authorizedFor.size > 0 ? [...facts.authorizedFor].sort() : undefined,
        lastPolicyChange: latest?.Display ?? undefined, lastPolicyChangeAt: latest?.CreatedDate, lastPolicyChangeBy: changedBy, lastPolicyChangeDelegate: latest?.DelegateUser ?? undefined,
        policyChanges: facts.audit.length > 0 ? facts.audit.length : undefined,
      }),
    });
    appNodeOf.set(facts.key, appId);
    b.edge({ kind: 'INSTALLED_IN', from: appId, to: platformId });
    let approval: SetupAuditTrail | undefined;
    for (const row of facts.audit) {
      // Only an installation or approval is consent; a policy change that mentions approval is not.
      if (row.CreatedById && (/install|approv/i.test(row.Action) || /^(installed|approved|pre-?authori[sz]ed)\b/i.test(row.Display ?? ''))) {
        b.edge({ kind: 'CONSENTED', from: userRef(row.CreatedById, row.CreatedBy), to: appId });
        if (!approval || row.CreatedDate > approval.CreatedDate) approval = row;
      }
    }
    // The latest installation or approval in the setup audit trail is the app's approval (docs/importers/salesforce.md).
    const approvedAt = approval ? Date.parse(approval.CreatedDate) : NaN;
    if (approval && !Number.isNaN(approvedAt)) Object.assign(b.nodes.get(appId)!, { approvedBy: userRef(approval.CreatedById!, approval.CreatedBy), approvedAt: new Date(approvedAt).toISOString() });
  }

  // (:App)-[:HOLDS]->(:Credential {refresh-token})-[:AUTHENTICATES_AS]->(:Identity): each OauthToken row.
  const seenTokens = new Map<string, number>();
  const factsByAppId = new Map([...apps.values()].map((facts) => [appNodeOf.get(facts.key)!, facts]));
  tokens.forEach(({ value: token }, i) => {
    const appKey = tokenApps[i]!;
    const appId = appNodeOf.get(appKey)!;
    const user = userRef(token.UserId, token.User);
    const userRecord = userById.get(key15(token.UserId));
    const who = userRecord?.Username ?? token.User?.Username ?? token.UserId;
    const stem = `oauth-token/${appKey}/${userRecord?.Id ?? token.UserId}/${token.CreatedDate ?? 'undated'}`;
    const n = (seenTokens.get(stem) ?? 0) + 1;
    seenTokens.set(stem, n);
    const appName = b.nodes.get(appId)?.name ?? token.AppName;
    const credential = b.node({
      ...base, id: id('Credential', n === 1 ? stem : `${stem}/${n}`), kind: 'Credential', type: 'refresh-token',
      name: `${appName} refresh token of ${who}`, createdAt: token.CreatedDate ?? undefined, lastUsedAt: token.LastUsedDate ?? undefined,
      properties: definedProperties({ appName: token.AppName, appMenuItemId: token.AppMenuItemId, userId: token.UserId, useCount: token.UseCount ?? undefined }),
    });
    b.edge({ kind: 'HOLDS', from: appId, to: credential, reason: `${appName} keeps the refresh token ${who} granted it.` });
    // The app's definition bounds what any of its tokens was granted: the token acts as its user, narrowed by those
    // scopes (the graph builder derives the narrowed authority from the catalogue); without it, the whole user.
    const allowed = scopesOf(factsByAppId.get(appId)!);
    const scopes = allowed && allowed.length > 0 ? allowed : undefined;
    b.edge({
      kind: 'AUTHENTICATES_AS', from: credential, to: user, scopes,
      reason: scopes
        ? `The token calls Salesforce as ${who}, narrowed by the OAuth scopes its connected app allows (${scopes.join(' ')}).`
        : `The token calls Salesforce APIs as ${who}, with that user's permissions (OAuth scopes are not exported per token).`,
    });
    b.edge({ kind: 'CONSENTED', from: user, to: appId, grant: credential });
  });

  // (:Resource {record})-[:CONTAINS_CREDENTIAL]->(:Credential) from secret findings, the credential as a stub.
  for (const { value: finding } of findings) {
    const recordId = id('Resource', `${lower(finding.sObject)}/${finding.recordId}`);
    if (!b.has(recordId)) {
      b.node({ ...base, id: recordId, kind: 'Resource', name: finding.name || `${finding.sObject} ${finding.recordId}`, resourceType: 'crm-record', properties: { sObject: finding.sObject, recordId: finding.recordId } });
      b.edge({ kind: 'CONTAINS', from: objectResource.get(lower(finding.sObject)) ?? platformId, to: recordId });
    }
    b.edge({
      kind: 'CONTAINS_CREDENTIAL', from: recordId, to: credentialStub(b, finding.credential),
      reason: `A secret scanner${finding.detector ? ` (${finding.detector})` : ''} found this credential in ${finding.name || `${finding.sObject} ${finding.recordId}`}${finding.field ? ` (${finding.field})` : ''}.`,
      properties: definedProperties({ field: finding.field, detector: finding.detector }),
    });
  }

  // Every user, including those only referenced, can be taken over by a Manage Users administrator.
  for (const node of [...b.nodes.values()].filter((n) => n.kind === 'Identity')) {
    b.edge({ kind: 'MANAGES', from: platformId, to: node.id, reason: 'An administrator with Manage Users can reset this user or authorise new tokens for it.' });
  }

  report.unknownScopes = unknownScopes.list();
  report.notes = [...fileNotes, ...[...notes.entries()].map(([text, count]) => `${count} ${text}`)];
  return { ok: true, fragment: b.fragment(), report };
}

/** A reference stub for a credential of any platform, resolved when that platform is (or was) imported. */
function credentialStub(b: FragmentBuilder, reference: CredentialReference): string {
  if (typeof reference === 'string') {
    const native = reference.split(':').slice(3).join(':');
    return b.node(stubNode(reference.split(':')[0]!, 'Credential', native, native, SOURCE));
  }
  return b.node(stubNode(reference.platform, 'Credential', reference.key, reference.name ?? reference.key, SOURCE));
}
