// zod schemas of the Microsoft Graph v1.0 objects the Entra importer reads, with Graph's own field names.
// Unknown fields are accepted and ignored (Graph grows); secret fields (secretText, key) are never read.
import { z } from 'zod';
import { tenantIdText } from '../common/bounds.ts';
import { apiInstant } from '../common/records.ts';
import { LEVELS } from '../../engine/schema/index.ts';

/** Graph date-times such as `2021-09-09T19:50:29.3086381Z` (seven fraction digits) become UTC instants. */
const graphInstant = apiInstant;

/**
 * Entra object ids, app ids and the tenant id: GUIDs in Graph (36 characters), accepted in any shape up to 256. The
 * bound matters: the tenant id is part of every node id the import makes, so one megabyte there made every node
 * and edge id a megabyte long (a fuzz case that took 10 s and 1.5 GB for a 635 KB export).
 */
const guidLike = tenantIdText.min(1);

const verifiedPublisher = z.object({
  displayName: z.string().nullish(),
  verifiedPublisherId: z.string().nullish(),
  addedDateTime: z.string().nullish(),
});

/** `GET /organization`: the tenant. */
export const organizationSchema = z.object({
  id: guidLike,
  displayName: z.string().nullish(),
  verifiedDomains: z.array(z.object({ name: z.string(), isDefault: z.boolean().nullish() })).nullish(),
});

/** A client secret's metadata (`passwordCredential`); `secretText` is deliberately not part of it. */
export const passwordCredentialSchema = z.object({
  keyId: guidLike,
  displayName: z.string().nullish(),
  hint: z.string().nullish(),
  startDateTime: graphInstant.nullish(),
  endDateTime: graphInstant.nullish(),
  customKeyIdentifier: z.string().nullish(),
});

/** A certificate's metadata (`keyCredential`, or beta `selfSignedCertificate`); the `key` body is never read. */
export const keyCredentialSchema = z.object({
  keyId: guidLike,
  displayName: z.string().nullish(),
  type: z.string().nullish(),
  usage: z.string().nullish(),
  startDateTime: graphInstant.nullish(),
  endDateTime: graphInstant.nullish(),
  customKeyIdentifier: z.string().nullish(),
  thumbprint: z.string().nullish(),
});

/** `GET /applications/{id}/federatedIdentityCredentials`: secretless trust in an external token issuer. */
export const federatedIdentityCredentialSchema = z.object({
  id: z.string().nullish(),
  name: z.string().min(1),
  issuer: z.string().min(1),
  subject: z.string().min(1),
  audiences: z.array(z.string()).nullish(),
  description: z.string().nullish(),
});

const appRole = z.object({
  id: guidLike,
  value: z.string().nullish(),
  displayName: z.string().nullish(),
  allowedMemberTypes: z.array(z.string()).nullish(),
});

const permissionScope = z.object({
  id: guidLike,
  value: z.string().nullish(),
  type: z.string().nullish(),
});

/** `GET /applications`: an app registration whose home is this tenant. */
export const applicationSchema = z.object({
  id: guidLike,
  appId: guidLike,
  displayName: z.string().nullish(),
  createdDateTime: z.string().nullish(),
  signInAudience: z.string().nullish(),
  publisherDomain: z.string().nullish(),
  verifiedPublisher: verifiedPublisher.nullish(),
  appRoles: z.array(appRole).nullish(),
  api: z.object({ oauth2PermissionScopes: z.array(permissionScope).nullish() }).nullish(),
  requiredResourceAccess: z.array(z.object({
    resourceAppId: guidLike,
    resourceAccess: z.array(z.object({ id: guidLike, type: z.string() })).nullish(),
  })).nullish(),
  passwordCredentials: z.array(passwordCredentialSchema).nullish(),
  keyCredentials: z.array(keyCredentialSchema).nullish(),
});

/** `GET /servicePrincipals`: an application's (or managed identity's) instance in this tenant. */
export const servicePrincipalSchema = z.object({
  id: guidLike,
  appId: guidLike,
  displayName: z.string().nullish(),
  appDisplayName: z.string().nullish(),
  appOwnerOrganizationId: guidLike.nullish(),
  servicePrincipalType: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  appRoleAssignmentRequired: z.boolean().nullish(),
  publisherName: z.string().nullish(),
  verifiedPublisher: verifiedPublisher.nullish(),
  alternativeNames: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
  preferredTokenSigningKeyThumbprint: z.string().nullish(),
  appRoles: z.array(appRole).nullish(),
  oauth2PermissionScopes: z.array(permissionScope).nullish(),
  passwordCredentials: z.array(passwordCredentialSchema).nullish(),
  keyCredentials: z.array(keyCredentialSchema).nullish(),
});

/** `GET /oauth2PermissionGrants`: a delegated consent. `clientId` and `resourceId` are service principal object ids. */
export const oauth2PermissionGrantSchema = z.object({
  id: z.string().min(1),
  clientId: guidLike,
  consentType: z.enum(['AllPrincipals', 'Principal']),
  principalId: z.string().nullish(),
  resourceId: guidLike,
  scope: z.string().nullish(),
});

/** `appRoleAssignments` / `appRoleAssignedTo`: an application permission, or a user/group assigned to an app. */
export const appRoleAssignmentSchema = z.object({
  id: z.string().min(1),
  appRoleId: guidLike,
  principalId: guidLike,
  principalType: z.string().min(1),
  principalDisplayName: z.string().nullish(),
  resourceId: guidLike,
  resourceDisplayName: z.string().nullish(),
  createdDateTime: z.string().nullish(),
});

/** `GET /users`. `accountEnabled` is only returned when selected. */
export const userSchema = z.object({
  id: guidLike,
  userPrincipalName: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  userType: z.string().nullish(),
});

/** `GET /groups`. */
export const groupSchema = z.object({
  id: guidLike,
  displayName: z.string().nullish(),
  securityEnabled: z.boolean().nullish(),
  mailEnabled: z.boolean().nullish(),
  isAssignableToRole: z.boolean().nullish(),
  groupTypes: z.array(z.string()).nullish(),
  /** Synchronised from on-premises Active Directory: members are changed there, not through Graph. */
  onPremisesSyncEnabled: z.boolean().nullish(),
});

/** Members and owners come back as directory objects tagged with their `@odata.type`. */
export const directoryObjectSchema = z.object({
  id: guidLike,
  '@odata.type': z.string().nullish(),
  displayName: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  mail: z.string().nullish(),
  appId: z.string().nullish(),
});

/** `GET /roleManagement/directory/roleDefinitions`. */
export const roleDefinitionSchema = z.object({
  id: guidLike,
  displayName: z.string().min(1),
  templateId: z.string().nullish(),
  isBuiltIn: z.boolean().nullish(),
  isPrivileged: z.boolean().nullish(),
});

/** `GET /roleManagement/directory/roleAssignments`. `directoryScopeId` "/" = the whole tenant. */
export const roleAssignmentSchema = z.object({
  id: z.string().min(1),
  principalId: guidLike,
  roleDefinitionId: guidLike,
  directoryScopeId: z.string().nullish(),
});

/** `GET /directoryRoles` (activated roles; members under `directoryRoles/{id}/members`). */
export const directoryRoleSchema = z.object({
  id: guidLike,
  roleTemplateId: guidLike,
  displayName: z.string().nullish(),
});

/**
 * `GET /auditLogs/directoryAudits`: one directory audit event. The importer reads consent and grant events
 * ("Consent to application", "Add/Update delegated permission grant", "Add app role assignment to service
 * principal"); every other event is accepted and ignored. `newValue`/`oldValue` are JSON text as Graph gives them.
 */
export const directoryAuditSchema = z.object({
  id: z.string().nullish(),
  category: z.string().nullish(),
  correlationId: z.string().nullish(),
  result: z.string().nullish(),
  activityDisplayName: z.string().min(1),
  activityDateTime: graphInstant,
  initiatedBy: z.object({
    user: z.object({ id: z.string().nullish(), displayName: z.string().nullish(), userPrincipalName: z.string().nullish() }).nullish(),
    app: z.object({ appId: z.string().nullish(), displayName: z.string().nullish(), servicePrincipalId: z.string().nullish() }).nullish(),
  }).nullish(),
  targetResources: z.array(z.object({
    id: z.string().nullish(),
    displayName: z.string().nullish(),
    type: z.string().nullish(),
    modifiedProperties: z.array(z.object({ displayName: z.string().nullish(), oldValue: z.string().nullish(), newValue: z.string().nullish() })).nullish(),
  })).nullish(),
});

export type Organization = z.output<typeof organizationSchema>;
export type DirectoryAudit = z.output<typeof directoryAuditSchema>;
export type Application = z.output<typeof applicationSchema>;
export type ServicePrincipal = z.output<typeof servicePrincipalSchema>;
export type PasswordCredential = z.output<typeof passwordCredentialSchema>;
export type KeyCredential = z.output<typeof keyCredentialSchema>;
export type FederatedIdentityCredential = z.output<typeof federatedIdentityCredentialSchema>;
export type OAuth2PermissionGrant = z.output<typeof oauth2PermissionGrantSchema>;
export type AppRoleAssignment = z.output<typeof appRoleAssignmentSchema>;
export type User = z.output<typeof userSchema>;
export type Group = z.output<typeof groupSchema>;
export type DirectoryObject = z.output<typeof directoryObjectSchema>;
export type RoleDefinition = z.output<typeof roleDefinitionSchema>;
export type RoleAssignment = z.output<typeof roleAssignmentSchema>;
export type DirectoryRole = z.output<typeof directoryRoleSchema>;

/** The directory-role catalogue (roles.json): what each built-in role lets its holders do, by template id. */
export const roleCatalogSchema = z.object({
  reference: z.string(),
  roles: z.record(z.string(), z.object({
    name: z.string(),
    privileged: z.boolean(),
    grants: z.array(z.object({ level: z.enum(LEVELS), resource: z.string() }).strict()).default([]),
    /**
     * Whose members the role may change: `non-role-assignable` groups (Groups, User Administrator, Directory
     * Writers: "excluding role-assignable groups" in the permissions reference), or `all` groups (Global and
     * Privileged Role Administrator, who also manage role-assignable groups).
     */
    groupMembership: z.enum(['non-role-assignable', 'all']).optional(),
    note: z.string().optional(),
  }).strict()),
}).strict();

export type RoleCatalog = z.output<typeof roleCatalogSchema>;
