// Google Workspace collector: the Admin SDK calls of docs/importers/google-workspace.md (Directory API users,
// tokens, groups and members; Reports API token activity) with @googleapis/admin, saved under the names the
// importer reads. Domain-wide delegation has no API and stays a file written by hand.
import type { admin_directory_v1, admin_reports_v1 } from '@googleapis/admin';
import { BlastmapError } from '../../engine/errors.ts';
import { googleAuth, googleCall, googleFailure, googlePages, type GoogleAuthClient } from './google-auth.ts';
import { MalformedResponse } from './http.ts';
import type { Collector, CollectorContext } from './types.ts';

const SCOPE = 'https://www.googleapis.com/auth/';
/** The read-only scopes each call needs (named in the summary on a 401/403). */
const SCOPES = {
  users: `${SCOPE}admin.directory.user.readonly`,
  tokens: `${SCOPE}admin.directory.user.security`,
  reports: `${SCOPE}admin.reports.audit.readonly`,
  groups: `${SCOPE}admin.directory.group.readonly`,
  members: `${SCOPE}admin.directory.group.member.readonly`,
} as const;

interface Clients { directory: admin_directory_v1.Admin; reports: admin_reports_v1.Admin }
interface Session { clients?: Promise<Clients>; firstUsers?: admin_directory_v1.Schema$Users }
const sessions = new WeakMap<CollectorContext, Session>();

function session(context: CollectorContext): Session {
  let found = sessions.get(context);
  if (!found) { found = {}; sessions.set(context, found); }
  return found;
}

function clientsOf(context: CollectorContext): Promise<Clients> {
  const current = session(context);
  current.clients ??= (async () => {
    const { admin, auth: authPlus } = await import('@googleapis/admin');
    const auth: GoogleAuthClient = googleAuth(authPlus, context.env, Object.values(SCOPES), context.env.GOOGLE_WORKSPACE_ADMIN?.trim() || undefined);
    const options = { auth, retry: false, ...(context.baseUrl ? { rootUrl: `${context.baseUrl}/` } : {}) };
    return { directory: admin({ version: 'directory_v1', ...options }), reports: admin({ version: 'reports_v1', ...options }) };
  })();
  return current.clients;
}

const domainOf = (email: string | null | undefined): string | undefined => (email && email.includes('@') ? email.slice(email.lastIndexOf('@') + 1).toLowerCase() : undefined);
/** A user id, group email or id as a file name: what the Directory API returns, never a path. */
const fileKey = (key: string): string => {
  if (!/^[\w.@+'-]+$/.test(key) || key.startsWith('.')) throw new MalformedResponse(`a user or group key that cannot be a file name: ${key.slice(0, 64)}`);
  return key;
};

export const googleWorkspaceCollector: Collector = {
  platform: 'google-workspace',
  source: 'google-workspace',
  title: 'Google Workspace',
  credentials: [
    { env: 'GOOGLE_OAUTH_ACCESS_TOKEN', description: 'an access token of an administrator with the read-only scopes (gcloud auth application-default print-access-token); without it, Application Default Credentials', required: false },
    { env: 'GOOGLE_APPLICATION_CREDENTIALS', description: 'Application Default Credentials: a service account key file (with domain-wide delegation of the read-only scopes) or a user\'s credentials file', required: false },
    { env: 'GOOGLE_WORKSPACE_ADMIN', description: 'with a service account: the administrator it acts as (domain-wide delegation needs a user to impersonate)', required: false },
    { env: 'GOOGLE_WORKSPACE_DOMAIN', description: 'the primary domain (the tenant folder); by default the domain of the administrators\' primary emails', required: false },
  ],

  failure: googleFailure,

  async tenant(context) {
    const given = context.env.GOOGLE_WORKSPACE_DOMAIN?.trim().toLowerCase();
    if (given) return given;
    const { directory } = await clientsOf(context);
    let first: admin_directory_v1.Schema$Users;
    try {
      first = await googleCall(context, 'users page 1', () => directory.users.list({ customer: 'my_customer', maxResults: 500 }));
    } catch (error) {
      const failure = googleFailure(error);
      const said = failure?.message ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
      throw new BlastmapError(failure ? 'IO' : 'INVALID_OPTION', `collect google-workspace: users.list failed (${said.slice(0, 240)})${failure?.status === 401 || failure?.status === 403 ? ` (needs ${SCOPES.users})` : ''}; credentials: GOOGLE_OAUTH_ACCESS_TOKEN, or Application Default Credentials (docs/collect.md#google-workspace)`);
    }
    session(context).firstUsers = first;
    const users = first.users ?? [];
    // The importer's rule: the one domain of the administrators' primary emails, else of all users.
    for (const group of [users.filter((u) => u.isAdmin), users]) {
      const domains = [...new Set(group.map((u) => domainOf(u.primaryEmail)).filter((d): d is string => d !== undefined))];
      if (domains.length === 1) return domains[0]!;
      if (domains.length > 1) throw new BlastmapError('INVALID_OPTION', `collect google-workspace: the users belong to several domains (${domains.join(', ')}); set GOOGLE_WORKSPACE_DOMAIN to the primary one`);
    }
    throw new BlastmapError('INVALID_OPTION', 'collect google-workspace: users.list returned no user to tell the domain by; set GOOGLE_WORKSPACE_DOMAIN');
  },

  async collect(context) {
    const { directory, reports } = await clientsOf(context);
    const current = session(context);
    context.progress.start('lists', 3);
    const users = (await context.endpoint('users', SCOPES.users, async () => {
      const pages = await googlePages(context, 'users', (pageToken) => directory.users.list({ customer: 'my_customer', maxResults: 500, ...(pageToken ? { pageToken } : {}) }), current.firstUsers, 'users');
      return pages.flatMap((p) => p.users ?? []).map((u) => u.id).filter((id): id is string => typeof id === 'string');
    })) ?? [];
    context.progress.tick('lists');
    const groups = (await context.endpoint('groups', SCOPES.groups, async () => {
      const pages = await googlePages(context, 'groups', (pageToken) => directory.groups.list({ customer: 'my_customer', maxResults: 200, ...(pageToken ? { pageToken } : {}) }), undefined, 'groups');
      return pages.flatMap((p) => p.groups ?? []).map((g) => g.email ?? g.id).filter((key): key is string => typeof key === 'string');
    })) ?? [];
    context.progress.tick('lists');
    // The token events of the last 180 days (the report's reach), from --since when given.
    await context.endpoint('token-activity', SCOPES.reports, async () => {
      await googlePages(context, 'token-activity', (pageToken) => reports.activities.list({ userKey: 'all', applicationName: 'token', maxResults: 1000, ...(context.since ? { startTime: context.since.toISOString() } : {}), ...(pageToken ? { pageToken } : {}) }), undefined, 'items');
    });
    context.progress.tick('lists');

    context.progress.start('users', users.length);
    await context.map(users, async (userKey) => {
      // tokens.list is not paged: one answer per user.
      await context.endpoint(`tokens/${userKey}`, SCOPES.tokens, async () => {
        const data = await googleCall(context, `tokens/${userKey}`, () => directory.tokens.list({ userKey }));
        await context.save(`tokens/${fileKey(userKey)}.json`, data);
      });
      context.progress.tick('users');
    });
    context.progress.start('groups', groups.length);
    await context.map(groups, async (groupKey) => {
      await context.endpoint(`groups/${groupKey}/members`, SCOPES.members, async () => {
        await googlePages(context, `groups/${fileKey(groupKey)}/members`, (pageToken) => directory.members.list({ groupKey, maxResults: 200, ...(pageToken ? { pageToken } : {}) }), undefined, 'members');
      });
      context.progress.tick('groups');
    });
  },
};
