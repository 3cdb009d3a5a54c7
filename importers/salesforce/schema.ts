// zod schemas of the Salesforce SOQL query results the Salesforce importer reads, one per sObject, with the
// field names of the Object Reference. OauthToken's AccessToken, RequestToken and DeleteToken are never read.
import { z } from 'zod';
import { apiInstant } from '../common/records.ts';

/** SOQL date-times such as `2024-03-12T16:22:05.000+0000` become UTC instants. */
export const sfInstant = apiInstant;

const text = z.string().nullish();
const flag = z.boolean().nullish();
/** A Salesforce record id: 15 characters (case-sensitive) or 18 (with a case-insensitive checksum suffix). */
const sfId = z.string().regex(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/, { message: 'a 15- or 18-character Salesforce id' });

/** Every SOQL record carries `attributes {type, url}`; relationship fields come back as nested records. */
const attributes = z.object({ type: z.string(), url: text }).nullish();
const userLookup = z.object({ Username: text, Email: text, Name: text }).nullish();

/** `SELECT ... FROM OauthToken`: one refresh token a user granted a connected app. `Id` is always null. */
export const oauthTokenSchema = z.object({
  attributes,
  AppName: z.string().min(1),
  AppMenuItemId: sfId.nullish(),
  UserId: sfId,
  User: userLookup,
  CreatedDate: sfInstant.nullish(),
  LastUsedDate: sfInstant.nullish(),
  UseCount: z.number().nullish(),
});

/** `SELECT ... FROM ConnectedApplication`: a connected app's policies (the consumer key is not exposed). */
export const connectedApplicationSchema = z.object({
  attributes,
  Id: sfId,
  Name: z.string().min(1),
  CreatedDate: sfInstant.nullish(),
  LastModifiedDate: sfInstant.nullish(),
  OptionsAllowAdminApprovedUsersOnly: flag,
  OptionsRefreshTokenValidityMetric: flag,
  RefreshTokenValidityPeriod: z.number().nullish(),
  StartUrl: text,
});

/**
 * A connected app's Metadata API definition (`readMetadata('ConnectedApp', ...)`, as jsforce's `metadata.read` or the
 * SOAP answer converted to JSON gives it): its name, and the OAuth scopes its users may grant it. A list of one
 * comes back as a bare string. `consumerKey` is the public client id; the consumer secret is never read.
 */
const oneOrMany = z.union([z.string(), z.array(z.string())]).nullish().transform((value) => (value === null || value === undefined ? [] : typeof value === 'string' ? [value] : value));
export const connectedAppMetadataSchema = z.object({
  fullName: z.string().min(1),
  label: text,
  contactEmail: text,
  oauthConfig: z.object({ consumerKey: text, scopes: oneOrMany }).nullish(),
});

/** `SELECT ... FROM AppMenuItem`: the App Launcher entry tokens point at (`ApplicationId` = the connected app). */
export const appMenuItemSchema = z.object({
  attributes,
  Id: sfId,
  ApplicationId: sfId.nullish(),
  Name: text,
  Label: text,
  Type: text,
  NamespacePrefix: text,
  Description: text,
});

export const userSchema = z.object({
  attributes,
  Id: sfId,
  Username: z.string().min(1),
  Email: text,
  Name: text,
  IsActive: flag,
  ProfileId: sfId.nullish(),
  Profile: z.object({ Name: text }).nullish(),
  UserType: text,
  FederationIdentifier: text,
  LastLoginDate: sfInstant.nullish(),
});

/** The system permissions that decide API access and org-wide data access, on profiles and permission sets. */
const permissions = {
  PermissionsApiEnabled: flag,
  PermissionsApiUserOnly: flag,
  PermissionsViewAllData: flag,
  PermissionsModifyAllData: flag,
  PermissionsManageUsers: flag,
  PermissionsCustomizeApplication: flag,
  PermissionsAuthorApex: flag,
};
export const PERMISSION_FIELDS = Object.keys(permissions) as (keyof typeof permissions)[];

export const profileSchema = z.object({ attributes, Id: sfId, Name: z.string().min(1), ...permissions });

export const permissionSetSchema = z.object({
  attributes,
  Id: sfId,
  Name: z.string().min(1),
  Label: text,
  IsOwnedByProfile: flag,
  ProfileId: sfId.nullish(),
  ...permissions,
});

export const permissionSetAssignmentSchema = z.object({ attributes, AssigneeId: sfId, PermissionSetId: sfId });

/** `SetupEntityAccess`: a profile's or permission set's access to a setup entity (here: connected apps). */
export const setupEntityAccessSchema = z.object({ attributes, ParentId: sfId, SetupEntityId: sfId, SetupEntityType: text });

export const objectPermissionsSchema = z.object({
  attributes,
  ParentId: sfId,
  SobjectType: z.string().min(1),
  PermissionsRead: flag,
  PermissionsCreate: flag,
  PermissionsEdit: flag,
  PermissionsDelete: flag,
  PermissionsViewAllRecords: flag,
  PermissionsModifyAllRecords: flag,
});

export const setupAuditTrailSchema = z.object({
  attributes,
  Action: z.string().min(1),
  Section: text,
  Display: text,
  CreatedDate: sfInstant,
  CreatedById: sfId.nullish(),
  CreatedBy: userLookup,
  DelegateUser: text,
});

export const organizationSchema = z.object({ attributes, Id: sfId, Name: text, InstanceName: text, OrganizationType: text, IsSandbox: flag });

/** A credential named by its blastmap node id (`aws:1111:credential:...`) or by platform and key. */
export const credentialReferenceSchema = z.union([
  z.string().regex(/^[a-z0-9][a-z0-9._-]*:[^:]+:credential:.+$/i, { message: 'a credential node id such as aws:111122223333:credential:<native id>' }),
  z.object({ platform: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), key: z.string().min(1), name: z.string().nullish() }),
]);

/** `secret-findings.json` (blastmap's own shape): a credential found in a record, never the secret itself. */
export const secretFindingSchema = z.object({
  sObject: z.string().min(1),
  recordId: z.string().min(1),
  name: text,
  field: text,
  detector: text,
  credential: credentialReferenceSchema,
});

export type OauthToken = z.output<typeof oauthTokenSchema>;
export type ConnectedApplication = z.output<typeof connectedApplicationSchema>;
export type ConnectedAppMetadata = z.output<typeof connectedAppMetadataSchema>;
export type AppMenuItem = z.output<typeof appMenuItemSchema>;
export type SalesforceUser = z.output<typeof userSchema>;
export type Profile = z.output<typeof profileSchema>;
export type PermissionSet = z.output<typeof permissionSetSchema>;
export type ObjectPermissions = z.output<typeof objectPermissionsSchema>;
export type SetupAuditTrail = z.output<typeof setupAuditTrailSchema>;
export type CredentialReference = z.output<typeof credentialReferenceSchema>;
export type Permissions = Pick<Profile, (typeof PERMISSION_FIELDS)[number]>;
