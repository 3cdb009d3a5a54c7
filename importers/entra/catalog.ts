// The Entra importer's reference data: the permission catalogue (engine/schema/scopes/entra.json), the directory-role catalogue
// (roles.json), the resource types scopes map to, and the few well-known ids Microsoft publishes.
import { scopeCatalogSchema, type ScopeCatalog } from '../common/scopes.ts';
import { roleCatalogSchema, type RoleCatalog } from './schema.ts';
import rolesJson from './roles.json' with { type: 'json' };
import scopesJson from '../../engine/schema/scopes/entra.json' with { type: 'json' };

export const ENTRA_SCOPES: ScopeCatalog = scopeCatalogSchema.parse(scopesJson);
export const ENTRA_ROLES: RoleCatalog = roleCatalogSchema.parse(rolesJson);

/**
 * What a scope's resource type becomes. `personal` types hold one user's data (a mailbox): a single-user
 * consent reaches only that user's part, contained in the tenant-wide node. `tenant` is the Platform itself;
 * `applications` and `authentication-methods` are takeover hubs that MANAGE principals.
 */
export interface ResourceTypeSpec {
  tenantName: string;
  personalName?: (who: string) => string;
  tags: string[];
  sensitivity: number;
  personalSensitivity?: number;
}

export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeSpec>> = {
  mailbox: { tenantName: 'All mailboxes', personalName: (who) => `Mailbox of ${who}`, tags: ['crown-jewel', 'pii'], sensitivity: 10, personalSensitivity: 8 },
  calendar: { tenantName: 'All calendars', personalName: (who) => `Calendar of ${who}`, tags: ['pii'], sensitivity: 6, personalSensitivity: 4 },
  contacts: { tenantName: 'All contacts', personalName: (who) => `Contacts of ${who}`, tags: ['pii'], sensitivity: 6, personalSensitivity: 4 },
  files: { tenantName: 'All OneDrive and SharePoint files', personalName: (who) => `OneDrive of ${who}`, tags: ['pii', 'secrets'], sensitivity: 9, personalSensitivity: 7 },
  chats: { tenantName: 'All Teams chats and channel messages', personalName: (who) => `Teams chats of ${who}`, tags: ['pii'], sensitivity: 8, personalSensitivity: 6 },
  notes: { tenantName: 'All OneNote notebooks', personalName: (who) => `Notebooks of ${who}`, tags: ['pii'], sensitivity: 6, personalSensitivity: 4 },
  tasks: { tenantName: 'All tasks (To Do, Planner)', personalName: (who) => `Tasks of ${who}`, tags: ['internal'], sensitivity: 3, personalSensitivity: 2 },
  profile: { tenantName: 'Directory profiles (basic sign-in data)', tags: ['internal'], sensitivity: 2 },
  directory: { tenantName: 'Directory (users, groups, devices, organisation)', tags: ['pii'], sensitivity: 5 },
  applications: { tenantName: 'All application registrations and service principals', tags: [], sensitivity: 8 },
  'authentication-methods': { tenantName: "All users' passwords and authentication methods", tags: ['secrets'], sensitivity: 9 },
  policies: { tenantName: 'Tenant policies (Conditional Access, authentication, consent)', tags: ['production'], sensitivity: 8 },
  'audit-logs': { tenantName: 'Sign-in and audit logs', tags: ['pii'], sensitivity: 6 },
  security: { tenantName: 'Security alerts, incidents and risk data', tags: [], sensitivity: 7 },
  devices: { tenantName: 'Devices and their management', tags: ['production'], sensitivity: 7 },
  reports: { tenantName: 'Usage reports', tags: ['internal'], sensitivity: 3 },
};

/** The resource type that is the tenant's Platform node rather than a Resource. */
export const TENANT_TYPE = 'tenant';

/**
 * APIs whose permission names the catalogue describes (their appIds are published and fixed). Permissions
 * of any other API (a line-of-business or vendor API) are not catalogued: they reach that API's own node.
 */
export const CATALOGUED_APIS: Readonly<Record<string, string>> = {
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph',
  '00000002-0000-0ff1-ce00-000000000000': 'Office 365 Exchange Online',
  '00000003-0000-0ff1-ce00-000000000000': 'Office 365 SharePoint Online',
  '00000002-0000-0000-c000-000000000000': 'Windows Azure Active Directory (Azure AD Graph)',
};

/** Tenants that own Microsoft's first-party applications (their service principals are not vendors' apps). */
export const MICROSOFT_TENANTS: ReadonlySet<string> = new Set([
  'f8cdef31-a31e-4b4a-93e4-5f571e91255a', // Microsoft Services
  '72f988bf-86f1-41af-91ab-2d7cd011db47', // Microsoft
]);

/** appRoleId of an assignment that grants no role, only access to the application ("default access"). */
export const DEFAULT_ACCESS_ROLE = '00000000-0000-0000-0000-000000000000';

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
