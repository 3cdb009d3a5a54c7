// zod schemas of what the Okta Management API returns (field names as Okta spells them), and of the
// importer's own data tables (admin role rules, catalog apps, resource families). Extra fields pass unread.
import { z } from 'zod';
import { isoInstant } from '../../engine/format/native.ts';

/** `_links` as Okta returns it: named links, each `{href}` or a list of them. Read only for hosts and ids. */
const links = z.record(z.string(), z.unknown()).nullish();
const instant = isoInstant.nullish();
const text = z.string().nullish();

// GET /api/v1/users (also the members of GET /api/v1/groups/{groupId}/users, and `_embedded.user` of app users)
export const oktaUserSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  created: instant,
  activated: instant,
  statusChanged: instant,
  lastLogin: instant,
  lastUpdated: instant,
  passwordChanged: instant,
  type: z.object({ id: z.string() }).nullish(),
  profile: z.object({
    login: z.string().min(1),
    email: text,
    firstName: text,
    lastName: text,
    displayName: text,
    title: text,
    department: text,
  }),
  credentials: z.object({ provider: z.object({ type: text, name: text }).nullish() }).nullish(),
  _links: links,
});

// GET /api/v1/groups
export const oktaGroupSchema = z.object({
  id: z.string().min(1),
  type: text,
  created: instant,
  lastUpdated: instant,
  lastMembershipUpdated: instant,
  profile: z.object({ name: z.string().min(1), description: text }),
  _links: links,
});

// GET /api/v1/apps and GET /api/v1/apps/{appId}
export const oktaAppSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  label: z.string().min(1),
  status: z.string().min(1),
  signOnMode: text,
  created: instant,
  lastUpdated: instant,
  orn: text,
  /** Provisioning features that are on, e.g. PUSH_NEW_USERS (Okta creates the account on the target), GROUP_PUSH. */
  features: z.array(z.string()).nullish(),
  credentials: z.object({
    scheme: text,
    userNameTemplate: z.object({ template: text, type: text }).nullish(),
    oauthClient: z.object({
      client_id: text,
      token_endpoint_auth_method: text,
      autoKeyRotation: z.boolean().nullish(),
      pkce_required: z.boolean().nullish(),
    }).nullish(),
  }).nullish(),
  settings: z.object({
    oauthClient: z.object({
      application_type: text,
      grant_types: z.array(z.string()).nullish(),
      redirect_uris: z.array(z.string()).nullish(),
    }).nullish(),
  }).nullish(),
  _links: links,
});

// GET /api/v1/apps/{appId}/users
export const oktaAppUserSchema = z.object({
  id: z.string().min(1),
  scope: text,
  status: text,
  created: instant,
  lastUpdated: instant,
  syncState: text,
  externalId: text,
  credentials: z.object({ userName: text }).nullish(),
  _embedded: z.object({ user: z.unknown().optional() }).nullish(),
  _links: links,
});

// GET /api/v1/apps/{appId}/groups
export const oktaAppGroupSchema = z.object({
  id: z.string().min(1),
  priority: z.number().nullish(),
  lastUpdated: instant,
  /** The app user profile Okta gives members assigned through this group (e.g. Salesforce `profile`, `permissionSets`). */
  profile: z.record(z.string(), z.unknown()).nullish(),
  _links: links,
});

// GET /api/v1/apps/{appId}/grants and GET /api/v1/users/{userId}/grants (OAuth2ScopeConsentGrant)
export const oktaGrantSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  scopeId: z.string().min(1),
  clientId: text,
  userId: text,
  issuer: text,
  source: text,
  createdBy: z.object({ id: z.string(), type: text }).nullish(),
  created: instant,
  lastUpdated: instant,
  _links: links,
});

// GET /api/v1/apps/{appId}/tokens and GET /api/v1/users/{userId}/clients/{clientId}/tokens (OAuth2RefreshToken)
export const oktaRefreshTokenSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  clientId: z.string().min(1),
  userId: text,
  issuer: text,
  scopes: z.array(z.string()),
  created: instant,
  lastUpdated: instant,
  expiresAt: instant,
  _links: links,
});

// GET /api/v1/apps/{appId}/credentials/secrets (client_secret is never read: it is not in this schema)
export const oktaClientSecretSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  secret_hash: text,
  created: instant,
  lastUpdated: instant,
  _links: links,
});

// GET /api/v1/apps/{appId}/credentials/jwks (public keys; only the identifiers are read)
export const oktaJwkSchema = z.object({
  id: text,
  kid: text,
  kty: text,
  alg: text,
  use: text,
  status: text,
  created: instant,
  lastUpdated: instant,
  _links: links,
}).refine((key) => Boolean(key.id || key.kid), { message: 'a key with an id or a kid', path: ['kid'] });

// GET /api/v1/api-tokens (ApiToken; the token value is never returned)
export const oktaApiTokenSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  userId: z.string().min(1),
  clientName: text,
  tokenWindow: text,
  expiresAt: instant,
  created: instant,
  lastUpdated: instant,
  network: z.object({ connection: text, include: z.array(z.string()).nullish(), exclude: z.array(z.string()).nullish() }).nullish(),
  _links: links,
});

// GET /integrations/api/v1/api-services
export const oktaApiServiceSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  name: z.string().min(1),
  createdAt: instant,
  createdBy: text,
  grantedScopes: z.array(z.string()),
  _links: links,
});

// GET /api/v1/users/{userId}/roles and GET /api/v1/groups/{groupId}/roles
export const oktaRoleAssignmentSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  label: text,
  status: text,
  assignmentType: text,
  created: instant,
  lastUpdated: instant,
  role: text,
  'resource-set': text,
  _links: links,
});

export type OktaUser = z.output<typeof oktaUserSchema>;
export type OktaGroup = z.output<typeof oktaGroupSchema>;
export type OktaApp = z.output<typeof oktaAppSchema>;
export type OktaAppUser = z.output<typeof oktaAppUserSchema>;
export type OktaAppGroup = z.output<typeof oktaAppGroupSchema>;
export type OktaGrant = z.output<typeof oktaGrantSchema>;
export type OktaRefreshToken = z.output<typeof oktaRefreshTokenSchema>;
export type OktaClientSecret = z.output<typeof oktaClientSecretSchema>;
export type OktaJwk = z.output<typeof oktaJwkSchema>;
export type OktaApiToken = z.output<typeof oktaApiTokenSchema>;
export type OktaApiService = z.output<typeof oktaApiServiceSchema>;
export type OktaRoleAssignment = z.output<typeof oktaRoleAssignmentSchema>;

// The importer's data tables.

const authorityEdge = z.enum(['CAN_READ', 'CAN_WRITE', 'CAN_ADMIN']);

/** One thing an admin role lets its holders do, as an edge from the Role node. */
export const roleRuleSchema = z.discriminatedUnion('to', [
  z.object({ edge: authorityEdge, to: z.literal('org'), reason: z.string() }).strict(),
  z.object({ edge: authorityEdge, to: z.literal('resource'), resource: z.string(), reason: z.string() }).strict(),
  z.object({ edge: z.literal('CAN_RESET_CREDENTIAL'), to: z.enum(['all-users', 'non-admin-users']), reason: z.string() }).strict(),
  z.object({ edge: z.literal('CAN_ADD_CREDENTIAL'), to: z.literal('all-apps'), reason: z.string() }).strict(),
  // all-groups: every group whose members Okta lets anyone change; manageable-groups: those minus admin groups
  // (only Super Administrators change the members of a group that holds an admin role), limited to the
  // assignment's group targets when the export has them.
  z.object({ edge: z.literal('CAN_ADD_MEMBER'), to: z.enum(['all-groups', 'manageable-groups']), reason: z.string() }).strict(),
]);

export const adminRolesTableSchema = z.object({
  reference: z.string(),
  roles: z.record(z.string().regex(/^[A-Z_]+$/), z.object({ label: z.string(), privileged: z.boolean(), rules: z.array(roleRuleSchema) }).strict()),
}).strict();

export const catalogAppsTableSchema = z.object({
  reference: z.string(),
  apps: z.record(z.string(), z.object({
    platform: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    title: z.string(),
    /**
     * App user profile attributes that name a role on the target, and the prefix of that Role's native id there:
     * a group assigned with `{"profile": "00e..."}` to a provisioning Salesforce app gives its new members an
     * account with that Salesforce profile.
     */
    provisionedRoles: z.record(z.string(), z.string()).optional(),
  }).strict()),
}).strict();

export const resourcesTableSchema = z.object({
  reference: z.string(),
  resources: z.record(z.string().regex(/^[a-z][a-z-]*$/), z.object({ name: z.string(), resourceType: z.string(), tags: z.array(z.string()).optional() }).strict()),
}).strict();

export type RoleRule = z.output<typeof roleRuleSchema>;
export type AdminRolesTable = z.output<typeof adminRolesTableSchema>;
export type CatalogAppsTable = z.output<typeof catalogAppsTableSchema>;
export type ResourcesTable = z.output<typeof resourcesTableSchema>;

/**
 * GET /api/v1/logs (System Log): the consent events the importer reads (app.oauth2.as.consent.grant,
 * app.oauth2.consent.grant, app.oauth2.admin.consent.grant); other events are accepted and ignored.
 */
export const oktaLogEventSchema = z.object({
  uuid: text,
  published: isoInstant,
  eventType: z.string().min(1),
  actor: z.object({ id: z.string(), type: text, alternateId: text, displayName: text }).nullish(),
  outcome: z.object({ result: text, reason: text }).nullish(),
  target: z.array(z.object({ id: text, type: text, alternateId: text, displayName: text, detailEntry: z.record(z.string(), z.unknown()).nullish() })).nullish(),
  debugContext: z.object({ debugData: z.record(z.string(), z.unknown()).nullish() }).nullish(),
});
export type OktaLogEvent = z.output<typeof oktaLogEventSchema>;
