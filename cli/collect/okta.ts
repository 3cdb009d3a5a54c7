// Okta Management API collector: the endpoints of docs/importers/okta.md, saved under the names the importer reads.
// Plain fetch, not @okta/okta-sdk-nodejs: the SDK pulls fifteen packages (node-fetch 2, lodash, node-forge...),
// insists on an https org URL unless a test-only switch is set, and retries by itself; Okta's lists are bare JSON
// arrays paged by a Link header, which takes a few lines here (docs/dependencies.md, docs/collect.md#okta).
import { BlastmapError } from '../../engine/errors.ts';
import { followLink, jsonOf, MalformedResponse, nextLink } from './http.ts';
import type { Collector, CollectorContext } from './types.ts';

interface Listed { id: string }
interface AppListed extends Listed { oauth: boolean }
interface RoleListed extends Listed { type: string }

/** Role types whose assignments can be limited to groups (targets/groups). */
const GROUP_TARGETED = new Set(['USER_ADMIN', 'HELP_DESK_ADMIN', 'GROUP_MEMBERSHIP_ADMIN']);
/** The System Log events the importer reads as approvals (docs/importers/okta.md#approvals). */
const CONSENT_FILTER = 'eventType sw "app.oauth2" and eventType ew "consent.grant"';

/** The org URL from OKTA_ORG_URL, as https://<host>; the tenant is its host without Okta's `-admin` suffix. */
function orgUrl(env: CollectorContext['env']): URL {
  const raw = (env.OKTA_ORG_URL ?? '').trim();
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new BlastmapError('INVALID_OPTION', 'OKTA_ORG_URL is not a URL (expected https://<your org>.okta.com)');
  }
  return url;
}

const orgHost = (env: CollectorContext['env']): string => orgUrl(env).hostname.toLowerCase().replace(/-admin(\.(okta|oktapreview|okta-emea|okta-gov|okta-mil)\.com)$/, '$1');

function authorization(env: CollectorContext['env']): string {
  if (env.OKTA_API_TOKEN) return `SSWS ${env.OKTA_API_TOKEN}`;
  if (env.OKTA_ACCESS_TOKEN) return `Bearer ${env.OKTA_ACCESS_TOKEN}`;
  throw new BlastmapError('INVALID_OPTION', 'collect okta needs OKTA_API_TOKEN (a read-only admin\'s API token) or OKTA_ACCESS_TOKEN (an OAuth 2.0 access token of a service app) in the environment (docs/collect.md#okta)');
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const idsOf = (items: readonly unknown[]): Listed[] => items.filter(isRecord).filter((x) => typeof x.id === 'string').map((x) => ({ id: x.id as string }));

export const oktaCollector: Collector = {
  platform: 'okta',
  source: 'okta',
  title: 'Okta',
  credentials: [
    { env: 'OKTA_ORG_URL', description: 'the org URL, e.g. https://corvidlabs.okta.com', required: true },
    { env: 'OKTA_API_TOKEN', description: 'an API token of a Read-Only Administrator (sent as SSWS)', required: false },
    { env: 'OKTA_ACCESS_TOKEN', description: 'instead of OKTA_API_TOKEN: an OAuth 2.0 access token of a service app granted the read scopes (sent as Bearer)', required: false },
  ],

  async tenant(context) {
    authorization(context.env); // a missing token fails here, before anything is written
    return orgHost(context.env);
  },

  async collect(context) {
    const base = context.baseUrl ? new URL(context.baseUrl) : orgUrl(context.env);
    // Okta's links name the org's own host (not its -admin host): the pages they point to are fetched through `base`.
    const home = new URL(`https://${orgHost(context.env)}`);
    const headers = { Authorization: authorization(context.env), Accept: 'application/json' };

    /** Every page of a list, saved as <file>.json, <file>-2.json...; the items of all pages are returned. */
    const getAll = async (path: string, file: string): Promise<unknown[]> => {
      let url: string | undefined = new URL(path.replace(/^\//, ''), `${base.href.replace(/\/?$/, '/')}`).href;
      const items: unknown[] = [];
      for (let page = 1; url; page++) {
        const response = await context.fetch(url, { headers });
        const body = await jsonOf(response, `${file} page ${page}`);
        if (!Array.isArray(body)) throw new MalformedResponse(`${file} page ${page}: expected a JSON list, found ${body === null ? 'null' : typeof body}`);
        await context.save(page === 1 ? `${file}.json` : `${file}-${page}.json`, body);
        items.push(...body);
        const next = nextLink(response.headers.get('link'));
        // The token is only ever sent to the org it was given for (or the --endpoint in front of it).
        url = next === undefined ? undefined : followLink(next, url, base, home);
      }
      return items;
    };

    context.progress.start('lists', 6);
    const tick = (): void => context.progress.tick('lists');
    const users = (await context.endpoint('users', 'okta.users.read', async () => idsOf(await getAll('/api/v1/users?limit=200', 'users')))) ?? []; tick();
    const groups = (await context.endpoint('groups', 'okta.groups.read', async () => idsOf(await getAll('/api/v1/groups?limit=200', 'groups')))) ?? []; tick();
    const apps = (await context.endpoint('apps', 'okta.apps.read', async () => (await getAll('/api/v1/apps?limit=200', 'apps')).filter(isRecord).filter((x) => typeof x.id === 'string')
      .map((app): AppListed => ({ id: app.id as string, oauth: app.signOnMode === 'OPENID_CONNECT' || (isRecord(app.credentials) && isRecord(app.credentials.oauthClient)) })))) ?? []; tick();
    await context.endpoint('api-tokens', 'okta.apiTokens.read', async () => { await getAll('/api/v1/api-tokens', 'api-tokens'); }); tick();
    await context.endpoint('api-services', 'okta.oauthIntegrations.read', async () => { await getAll('/integrations/api/v1/api-services', 'api-services'); }); tick();
    const logQuery = new URLSearchParams({ filter: CONSENT_FILTER, limit: '1000', ...(context.since ? { since: context.since.toISOString() } : {}) });
    await context.endpoint('system-log', 'okta.logs.read', async () => { await getAll(`/api/v1/logs?${logQuery}`, 'system-log'); }); tick();

    const roles = async (owner: 'users' | 'groups', id: string): Promise<void> => {
      const assigned = await context.endpoint(`${owner}/${id}/roles`, 'okta.roles.read', async () => (await getAll(`/api/v1/${owner}/${id}/roles`, `${owner}/${id}/roles`))
        .filter(isRecord).filter((x) => typeof x.id === 'string').map((x): RoleListed => ({ id: x.id as string, type: String(x.type) })));
      for (const role of (assigned ?? []).filter((r) => GROUP_TARGETED.has(r.type))) {
        const path = `${owner}/${id}/roles/${role.id}/targets/groups`;
        await context.endpoint(path, 'okta.roles.read', async () => { await getAll(`/api/v1/${path}`, path); });
      }
    };

    context.progress.start('groups', groups.length);
    await context.map(groups, async ({ id }) => {
      await context.endpoint(`groups/${id}/users`, 'okta.groups.read', async () => { await getAll(`/api/v1/groups/${id}/users?limit=200`, `groups/${id}/users`); });
      await roles('groups', id);
      context.progress.tick('groups');
    });
    context.progress.start('users', users.length);
    await context.map(users, async ({ id }) => {
      await roles('users', id);
      await context.endpoint(`users/${id}/grants`, 'okta.users.read', async () => { await getAll(`/api/v1/users/${id}/grants`, `users/${id}/grants`); });
      context.progress.tick('users');
    });
    context.progress.start('apps', apps.length);
    await context.map(apps, async ({ id, oauth }) => {
      await context.endpoint(`apps/${id}/users`, 'okta.apps.read', async () => { await getAll(`/api/v1/apps/${id}/users?limit=500`, `apps/${id}/users`); });
      await context.endpoint(`apps/${id}/groups`, 'okta.apps.read', async () => { await getAll(`/api/v1/apps/${id}/groups`, `apps/${id}/groups`); });
      // Grants, refresh tokens, client secrets and keys exist for OAuth 2.0 / OIDC apps only (others answer 400).
      if (oauth) {
        await context.endpoint(`apps/${id}/grants`, 'okta.appGrants.read', async () => { await getAll(`/api/v1/apps/${id}/grants`, `apps/${id}/grants`); });
        await context.endpoint(`apps/${id}/tokens`, 'okta.apps.read', async () => { await getAll(`/api/v1/apps/${id}/tokens`, `apps/${id}/tokens`); });
        await context.endpoint(`apps/${id}/credentials/secrets`, 'okta.apps.read', async () => { await getAll(`/api/v1/apps/${id}/credentials/secrets`, `apps/${id}/credentials/secrets`); });
        await context.endpoint(`apps/${id}/credentials/jwks`, 'okta.apps.read', async () => { await getAll(`/api/v1/apps/${id}/credentials/jwks`, `apps/${id}/credentials/jwks`); });
      }
      context.progress.tick('apps');
    });
  },
};
