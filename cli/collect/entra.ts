// Microsoft Entra ID collector: the Microsoft Graph v1.0 calls of docs/importers/entra.md, saved under the names
// the importer reads. The token comes from ENTRA_ACCESS_TOKEN or from @azure/identity's DefaultAzureCredential
// (environment, workload identity, managed identity, Azure CLI...); the calls are Node's fetch through the
// framework, not @microsoft/microsoft-graph-client, whose authentication middleware only signs requests to https
// hosts and whose next-link parsing only knows https URLs (docs/collect.md#microsoft-entra-id says more).
import { BlastmapError } from '../../engine/errors.ts';
import { HttpFailure, headerRecord, MalformedResponse } from './http.ts';
import type { Collector, CollectorContext } from './types.ts';

const GRAPH = 'https://graph.microsoft.com';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** The least-privileged Graph application permissions each call needs (named in the summary on a 401/403). */
const PERMISSION = {
  directory: 'Directory.Read.All',
  applications: 'Application.Read.All',
  grants: 'DelegatedPermissionGrant.Read.All (or Directory.Read.All)',
  users: 'User.Read.All (or Directory.Read.All)',
  groups: 'GroupMember.Read.All (or Directory.Read.All)',
  roles: 'RoleManagement.Read.Directory',
  audit: 'AuditLog.Read.All',
} as const;

interface Session {
  token: () => Promise<string>;
  /** The answer of GET /organization, read once for the tenant id and saved as organization.json. */
  organization?: unknown;
}
const sessions = new WeakMap<CollectorContext, Session>();

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A bearer token for Graph: ENTRA_ACCESS_TOKEN as given, else the Azure identity chain (refreshed before it expires). */
function tokenSource(env: CollectorContext['env']): () => Promise<string> {
  const given = env.ENTRA_ACCESS_TOKEN?.trim();
  if (given) return async () => given;
  let cached: { token: string; expires: number } | undefined;
  let credential: { getToken(scope: string): Promise<{ token: string; expiresOnTimestamp: number } | null> } | undefined;
  return async () => {
    if (cached && cached.expires - Date.now() > 5 * 60_000) return cached.token;
    try {
      if (!credential) {
        const { DefaultAzureCredential } = await import('@azure/identity');
        credential = new DefaultAzureCredential(env.AZURE_TENANT_ID ? { tenantId: env.AZURE_TENANT_ID } : {});
      }
      const token = await credential.getToken(GRAPH_SCOPE);
      if (!token) throw new Error('the credential chain returned no token');
      cached = { token: token.token, expires: token.expiresOnTimestamp };
      return token.token;
    } catch (error) {
      // @azure/identity's messages name the credentials it tried and why each failed; they hold no secret value,
      // but are cut short and scrubbed by the framework all the same.
      const said = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 240) : String(error);
      throw new BlastmapError('INVALID_OPTION', `collect entra: no Microsoft Graph token (set ENTRA_ACCESS_TOKEN, or AZURE_TENANT_ID with AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, or sign in with az login; docs/collect.md#microsoft-entra-id): ${said}`);
    }
  };
}

function session(context: CollectorContext): Session {
  let found = sessions.get(context);
  if (!found) { found = { token: tokenSource(context.env) }; sessions.set(context, found); }
  return found;
}

/** Graph's error answer as a short text: `HTTP 403: Authorization_RequestDenied: Insufficient privileges...`. */
async function graphFailure(response: Response): Promise<HttpFailure> {
  let detail = '';
  try {
    const body = JSON.parse(await response.text()) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : '';
    const message = typeof body.error?.message === 'string' ? body.error.message.slice(0, 200) : '';
    detail = [code, message].filter(Boolean).join(': ');
  } catch { /* not JSON: the status says enough */ }
  return new HttpFailure(response.status, headerRecord(response.headers), `HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
}

/** Every page of a Graph list (`@odata.nextLink`), saved as <file>.json, <file>-2.json...; the records are returned. */
async function getAll(context: CollectorContext, path: string, file: string): Promise<Record<string, unknown>[]> {
  const base = new URL(context.baseUrl ?? GRAPH);
  let url: string | undefined = new URL(`v1.0/${path}`, `${base.href.replace(/\/?$/, '/')}`).href;
  const records: Record<string, unknown>[] = [];
  const { token } = session(context);
  for (let page = 1; url; page++) {
    const response = await context.fetch(url, { headers: { Authorization: `Bearer ${await token()}`, Accept: 'application/json' } });
    if (!response.ok) throw await graphFailure(response);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new MalformedResponse(`${file} page ${page}: the answer is not JSON (${(error as Error).message.slice(0, 120)})`);
    }
    if (!isRecord(body) || !Array.isArray(body.value)) throw new MalformedResponse(`${file} page ${page}: expected a Graph collection ({"value": [...]})`);
    await context.save(page === 1 ? `${file}.json` : `${file}-${page}.json`, body);
    records.push(...body.value.filter(isRecord));
    const next = body['@odata.nextLink'];
    if (next !== undefined && typeof next !== 'string') throw new MalformedResponse(`${file} page ${page}: @odata.nextLink is not a URL`);
    // The token only goes to the host it was given for.
    if (next !== undefined && new URL(next, url).origin !== base.origin) throw new MalformedResponse(`${file}: the next page link leaves ${base.origin}`);
    url = next === undefined ? undefined : new URL(next, url).href;
  }
  return records;
}

const ids = (records: readonly Record<string, unknown>[]): string[] => records.map((r) => r.id).filter((id): id is string => typeof id === 'string' && /^[\w-]+$/.test(id));

export const entraCollector: Collector = {
  platform: 'entra',
  source: 'entra',
  title: 'Microsoft Entra ID',
  credentials: [
    { env: 'ENTRA_ACCESS_TOKEN', description: 'a Microsoft Graph access token (az account get-access-token --resource-type ms-graph); without it, the Azure identity chain below', required: false },
    { env: 'AZURE_TENANT_ID', description: 'the tenant of the app registration that reads the directory (@azure/identity)', required: false },
    { env: 'AZURE_CLIENT_ID', description: 'that app registration\'s application (client) id', required: false },
    { env: 'AZURE_CLIENT_SECRET', description: 'its client secret, or instead AZURE_CLIENT_CERTIFICATE_PATH: its certificate (PEM with the private key)', required: false },
  ],

  async tenant(context) {
    const current = session(context);
    const organizations = await getOrganization(context);
    current.organization = organizations;
    const first = isRecord(organizations) && Array.isArray(organizations.value) ? organizations.value.find(isRecord) : undefined;
    const id = typeof first?.id === 'string' ? first.id.toLowerCase() : undefined;
    if (!id || !/^[0-9a-f-]{36}$/.test(id)) throw new MalformedResponse('GET /organization: the answer names no tenant id');
    return id;
  },

  async collect(context) {
    const current = session(context);
    /** One list endpoint; the object ids are kept (in collect-state.json too) only for the lists fanned out from. */
    const list = (name: string, permission: string, path: string, keepIds = false) => context.endpoint(name, permission, async () => {
      const records = await getAll(context, path, name);
      return keepIds ? ids(records) : undefined;
    });
    context.progress.start('lists', 8);
    const tick = (): void => context.progress.tick('lists');
    await context.endpoint('organization', PERMISSION.directory, async () => {
      await context.save('organization.json', current.organization ?? await getOrganization(context));
    }); tick();
    const applications = (await list('applications', PERMISSION.applications, 'applications?$top=999', true)) ?? []; tick();
    const servicePrincipals = (await list('servicePrincipals', PERMISSION.applications, 'servicePrincipals?$top=999', true)) ?? []; tick();
    await list('oauth2PermissionGrants', PERMISSION.grants, 'oauth2PermissionGrants'); tick();
    await list('users', PERMISSION.users, 'users?$select=id,displayName,userPrincipalName,mail,accountEnabled,userType&$top=999'); tick();
    const groups = (await list('groups', PERMISSION.groups, 'groups?$select=id,displayName,securityEnabled,mailEnabled,groupTypes,isAssignableToRole,onPremisesSyncEnabled&$top=999', true)) ?? []; tick();
    await list('roleManagement/directory/roleDefinitions', PERMISSION.roles, 'roleManagement/directory/roleDefinitions'); tick();
    await list('roleManagement/directory/roleAssignments', PERMISSION.roles, 'roleManagement/directory/roleAssignments'); tick();
    // Optional: who approved consents and app role assignments (30 days kept by Entra; --since narrows it).
    const audit = [`category eq 'ApplicationManagement'`, ...(context.since ? [`activityDateTime ge ${context.since.toISOString()}`] : [])].join(' and ');
    await list('directoryAudits', PERMISSION.audit, `auditLogs/directoryAudits?$filter=${encodeURIComponent(audit)}`);

    const fanOut = async (kind: string, objects: readonly string[], parts: readonly [string, string][]): Promise<void> => {
      context.progress.start(kind, objects.length);
      await context.map(objects, async (id) => {
        for (const [part, permission] of parts) await list(`${kind}/${id}/${part}`, permission, `${kind}/${id}/${part}`);
        context.progress.tick(kind);
      });
    };
    await fanOut('applications', applications, [['owners', PERMISSION.applications], ['federatedIdentityCredentials', PERMISSION.applications]]);
    // appRoleAssignedTo of every service principal lists every assignment once, users' and groups' included
    // (appRoleAssignments, the other direction, only lists what service principals hold).
    await fanOut('servicePrincipals', servicePrincipals, [['owners', PERMISSION.applications], ['appRoleAssignedTo', PERMISSION.applications]]);
    await fanOut('groups', groups, [['members', PERMISSION.groups], ['owners', PERMISSION.groups]]);
  },
};

/** GET /organization (one page), with the framework's retries; not saved here (the tenant is not known yet). */
async function getOrganization(context: CollectorContext): Promise<unknown> {
  const base = new URL(context.baseUrl ?? GRAPH);
  const url = new URL('v1.0/organization', `${base.href.replace(/\/?$/, '/')}`).href;
  const response = await context.fetch(url, { headers: { Authorization: `Bearer ${await session(context).token()}`, Accept: 'application/json' } });
  if (!response.ok) {
    const failure = await graphFailure(response);
    throw new BlastmapError('IO', `collect entra: GET /organization answered ${failure.message}${failure.status === 401 || failure.status === 403 ? ` (the token needs ${PERMISSION.directory} or Organization.Read.All)` : ''}`);
  }
  try {
    return JSON.parse(await response.text()) as unknown;
  } catch {
    throw new BlastmapError('IO', 'collect entra: GET /organization did not answer JSON');
  }
}
