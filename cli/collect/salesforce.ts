// Salesforce collector: the SOQL queries of docs/importers/salesforce.md through the REST API's /query, one file
// per page under the importer's names (`User.json`, `User-2.json`: the answers as the API returns them, paged by
// nextRecordsUrl). Plain fetch rather than jsforce: the collector needs one REST resource and its paging, and
// jsforce brings a large dependency tree (SOAP, XML, streaming) and its own HTTP layer for it (docs/collect.md#salesforce).
import { BlastmapError } from '../../engine/errors.ts';
import { headerRecord, HttpFailure, jsonOf, MalformedResponse } from './http.ts';
import type { Collector, CollectorContext } from './types.ts';

const DEFAULT_API_VERSION = 'v61.0';
const PERMISSIONS = 'PermissionsApiEnabled, PermissionsApiUserOnly, PermissionsViewAllData, PermissionsModifyAllData, PermissionsManageUsers, PermissionsCustomizeApplication, PermissionsAuthorApex';
const STANDARD_OBJECTS = "('Case','Account','Contact','Opportunity','Lead','Contract','User')";
/** Error codes Salesforce gives a user who may not read an object or field: reported as a missing permission. */
const DENIED = new Set(['INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS_OR_READONLY', 'INVALID_TYPE', 'API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED', 'FUNCTIONALITY_NOT_ENABLED']);

interface Query { file: string; soql: (since?: Date) => string; permission: string }

/** The queries the importer's page lists, in its order; file = the sObject (the importer's file name). */
export const SALESFORCE_QUERIES: readonly Query[] = [
  { file: 'Organization', soql: () => 'SELECT Id, Name, InstanceName, OrganizationType, IsSandbox FROM Organization', permission: 'API Enabled' },
  { file: 'OauthToken', soql: () => 'SELECT AppName, AppMenuItemId, UserId, User.Username, CreatedDate, LastUsedDate, UseCount FROM OauthToken', permission: 'Customize Application (to see every user\'s tokens) and API Enabled' },
  { file: 'ConnectedApplication', soql: () => 'SELECT Id, Name, CreatedDate, OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric, RefreshTokenValidityPeriod FROM ConnectedApplication', permission: 'View Setup and Configuration' },
  { file: 'AppMenuItem', soql: () => "SELECT Id, ApplicationId, Name, Label, Type, NamespacePrefix FROM AppMenuItem WHERE Type = 'ConnectedApplication'", permission: 'View Setup and Configuration' },
  { file: 'User', soql: () => 'SELECT Id, Username, Email, Name, IsActive, ProfileId, UserType, FederationIdentifier, LastLoginDate FROM User', permission: 'View Setup and Configuration' },
  { file: 'Profile', soql: () => `SELECT Id, Name, ${PERMISSIONS} FROM Profile`, permission: 'View Setup and Configuration' },
  { file: 'PermissionSet', soql: () => `SELECT Id, Name, Label, IsOwnedByProfile, ProfileId, ${PERMISSIONS} FROM PermissionSet`, permission: 'View Setup and Configuration' },
  { file: 'PermissionSetAssignment', soql: () => 'SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment', permission: 'View Setup and Configuration' },
  { file: 'ObjectPermissions', soql: () => `SELECT ParentId, SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete, PermissionsViewAllRecords, PermissionsModifyAllRecords FROM ObjectPermissions WHERE SobjectType IN ${STANDARD_OBJECTS}`, permission: 'View Setup and Configuration' },
  { file: 'SetupEntityAccess', soql: () => "SELECT ParentId, SetupEntityId, SetupEntityType FROM SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication'", permission: 'View Setup and Configuration' },
  { file: 'SetupAuditTrail', soql: (since) => `SELECT Action, Section, Display, CreatedDate, CreatedById, CreatedBy.Username, DelegateUser FROM SetupAuditTrail${since ? ` WHERE CreatedDate >= ${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}` : ''} ORDER BY CreatedDate`, permission: 'View Setup and Configuration' },
];

function settings(env: CollectorContext['env']): { instance: URL; token: string; version: string } {
  const token = env.SF_ACCESS_TOKEN;
  if (!token) throw new BlastmapError('INVALID_OPTION', 'collect salesforce needs SF_ACCESS_TOKEN (an access token of a read-only admin user, e.g. from `sf org display --json`) in the environment (docs/collect.md#salesforce)');
  let instance: URL;
  try {
    instance = new URL(env.SF_INSTANCE_URL ?? '');
  } catch {
    throw new BlastmapError('INVALID_OPTION', 'SF_INSTANCE_URL is not a URL (expected https://<my domain>.my.salesforce.com)');
  }
  const version = (env.SF_API_VERSION ?? DEFAULT_API_VERSION).replace(/^(\d)/, 'v$1');
  if (!/^v\d{2}\.\d$/.test(version)) throw new BlastmapError('INVALID_OPTION', 'SF_API_VERSION is not an API version (e.g. v61.0)');
  return { instance, token, version };
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A query's pages: GET /services/data/<v>/query?q=..., then each nextRecordsUrl; each answer handed to `page`. */
async function query(context: CollectorContext, soql: string, what: string, page: (answer: Record<string, unknown>, n: number) => Promise<void>): Promise<void> {
  const { instance, token, version } = settings(context.env);
  const base = new URL(context.baseUrl ?? instance.origin);
  let url: string | undefined = new URL(`/services/data/${version}/query?q=${encodeURIComponent(soql)}`, base).href;
  for (let n = 1; url; n++) {
    const response = await context.fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    if (!response.ok && response.status === 400) {
      // Salesforce says "not allowed" with a 400 and an error code (INVALID_TYPE: the object is not visible to this user).
      const text = await response.text();
      let code = '';
      let message = '';
      try { const body = JSON.parse(text) as { errorCode?: string; message?: string }[]; code = String(body[0]?.errorCode ?? ''); message = String(body[0]?.message ?? ''); } catch { /* below */ }
      throw new HttpFailure(DENIED.has(code) ? 403 : 400, headerRecord(response.headers), `HTTP 400 ${code}: ${message.slice(0, 200)}`);
    }
    const body = await jsonOf(response, `${what} page ${n}`);
    if (!isRecord(body) || !Array.isArray(body.records)) throw new MalformedResponse(`${what} page ${n}: expected a query answer ({totalSize, done, records})`);
    await page(body, n);
    const next = body.done === false && typeof body.nextRecordsUrl === 'string' ? new URL(body.nextRecordsUrl, base) : undefined;
    if (next && next.origin !== base.origin) throw new MalformedResponse(`${what}: nextRecordsUrl leaves ${base.origin}`);
    url = next?.href;
  }
}

export const salesforceCollector: Collector = {
  platform: 'salesforce',
  source: 'salesforce',
  title: 'Salesforce',
  credentials: [
    { env: 'SF_INSTANCE_URL', description: 'the org\'s instance URL, e.g. https://corvid.my.salesforce.com', required: true },
    { env: 'SF_ACCESS_TOKEN', description: 'an access token of a user with View Setup and Configuration and Customize Application (e.g. `sf org display --json`)', required: true },
    { env: 'SF_API_VERSION', description: `the REST API version (default ${DEFAULT_API_VERSION})`, required: false },
  ],

  async tenant(context) {
    settings(context.env);
    let id: unknown;
    await query(context, 'SELECT Id FROM Organization', 'Organization', async (answer) => { id = (answer.records as Record<string, unknown>[])[0]?.Id; });
    if (typeof id !== 'string' || !/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(id)) throw new BlastmapError('INVALID_INPUT', 'the Organization query named no org id (00D...)');
    return id;
  },

  async collect(context) {
    context.progress.start('queries', SALESFORCE_QUERIES.length);
    for (const q of SALESFORCE_QUERIES) {
      await context.endpoint(q.file, q.permission, async () => {
        await query(context, q.soql(context.since), q.file, (answer, n) => context.save(n === 1 ? `${q.file}.json` : `${q.file}-${n}.json`, answer));
      });
      context.progress.tick('queries');
    }
  },
};
