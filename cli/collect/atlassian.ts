// Atlassian Admin API collector (one organization): the endpoints of docs/importers/atlassian.md under the importer's
// layout (`orgs/<org id>/api-tokens.json`, `orgs/<org id>/users.json`, `users/<account id>/api-tokens.json`), pages
// as `api-tokens-2.json`... Plain fetch: Atlassian publishes no official Node client for the Admin API. Its lists
// page by `links.next`, a full URL on some endpoints and a cursor on others; both are followed.
import { BlastmapError } from '../../engine/errors.ts';
import { followLink, jsonOf, MalformedResponse } from './http.ts';
import type { Collector, CollectorContext } from './types.ts';

const API = 'https://api.atlassian.com';
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function apiKey(env: CollectorContext['env']): string {
  const key = env.ATLASSIAN_ADMIN_API_KEY;
  if (!key) throw new BlastmapError('INVALID_OPTION', 'collect atlassian needs ATLASSIAN_ADMIN_API_KEY (an organization admin API key with read:tokens:admin and read:accounts:admin) in the environment (docs/collect.md#atlassian)');
  return key;
}

const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9:-]{2,80}$/;
/** The organization tenant() found, so collect() does not ask again. */
const found = new WeakMap<CollectorContext, string>();

export const atlassianCollector: Collector = {
  platform: 'atlassian',
  source: 'atlassian',
  title: 'Atlassian',
  credentials: [
    { env: 'ATLASSIAN_ADMIN_API_KEY', description: 'an organization admin API key (Atlassian Administration > Settings > API keys) with read:tokens:admin and read:accounts:admin', required: true },
    { env: 'ATLASSIAN_ORG_ID', description: 'the organization id; when unset, the one organization the key can reach (GET /admin/v1/orgs)', required: false },
  ],

  async tenant(context) {
    const headers = { Authorization: `Bearer ${apiKey(context.env)}`, Accept: 'application/json' };
    const given = (context.env.ATLASSIAN_ORG_ID ?? '').trim();
    if (given) {
      if (!ORG_ID.test(given)) throw new BlastmapError('INVALID_OPTION', 'ATLASSIAN_ORG_ID is not an organization id');
      return given;
    }
    const answer = await jsonOf(await context.fetch(`${context.baseUrl ?? API}/admin/v1/orgs`, { headers }), 'orgs');
    const ids = (isRecord(answer) && Array.isArray(answer.data) ? answer.data : []).filter(isRecord).map((org) => org.id).filter((id): id is string => typeof id === 'string' && ORG_ID.test(id));
    if (ids.length !== 1) throw new BlastmapError('INVALID_OPTION', `the API key reaches ${ids.length} organizations: set ATLASSIAN_ORG_ID to the one to collect`);
    found.set(context, ids[0]!);
    return ids[0]!;
  },

  async collect(context) {
    const headers = { Authorization: `Bearer ${apiKey(context.env)}`, Accept: 'application/json' };
    const org = (context.env.ATLASSIAN_ORG_ID ?? '').trim() || found.get(context) || (await atlassianCollector.tenant(context));
    const base = new URL(context.baseUrl ?? API);
    const root = `${base.origin}${base.pathname.replace(/\/$/, '')}`;

    /** Every page of a `{data, links}` list, saved as <file>.json, <file>-2.json...; the records of all pages. */
    const pages = async (path: string, file: string): Promise<Record<string, unknown>[]> => {
      const first = `${root}${path}`;
      const records: Record<string, unknown>[] = [];
      let url: string | undefined = first;
      for (let page = 1; url; page++) {
        const body = await jsonOf(await context.fetch(url, { headers }), `${file} page ${page}`);
        if (!isRecord(body) || !Array.isArray(body.data)) throw new MalformedResponse(`${file} page ${page}: expected {data: [...], links}`);
        await context.save(page === 1 ? `${file}.json` : `${file}-${page}.json`, body);
        records.push(...body.data.filter(isRecord));
        const next = isRecord(body.links) && typeof body.links.next === 'string' && body.links.next !== '' ? body.links.next : undefined;
        if (next === undefined) break;
        // A full URL (managed accounts) or a cursor for the same path (API tokens).
        let target: string;
        if (/^https?:\/\//i.test(next)) target = followLink(next, url, base, new URL(API));
        else { const withCursor = new URL(first); withCursor.searchParams.set('cursor', next); target = withCursor.href; }
        if (target === url) throw new MalformedResponse(`${file}: the next page link points at the same page`);
        url = target;
      }
      return records;
    };

    context.progress.start('organization', 2);
    const tokenOwners = (await context.endpoint(`orgs/${org}/api-tokens`, 'read:tokens:admin', async () =>
      (await pages(`/admin/api-access/v1/orgs/${encodeURIComponent(org)}/api-tokens`, `orgs/${org}/api-tokens`))
        .map((token) => (isRecord(token.user) ? token.user.id : undefined)).filter((id): id is string => typeof id === 'string'))) ?? [];
    context.progress.tick('organization');
    const accounts = (await context.endpoint(`orgs/${org}/users`, 'read:accounts:admin', async () =>
      (await pages(`/admin/v1/orgs/${encodeURIComponent(org)}/users`, `orgs/${org}/users`))
        .map((user) => user.account_id).filter((id): id is string => typeof id === 'string'))) ?? [];
    context.progress.tick('organization');

    // Each managed account's own token list: the accounts of users.json and every owner the org token list names.
    const owners = [...new Set([...accounts, ...tokenOwners])].filter((id) => /^[A-Za-z0-9:._-]{1,128}$/.test(id) && id !== '.' && id !== '..').sort();
    context.progress.start('accounts', owners.length);
    await context.map(owners, async (account) => {
      await context.endpoint(`users/${account}/api-tokens`, 'read:tokens:admin (the account must be managed by the organization)', async () => {
        const body = await jsonOf(await context.fetch(`${root}/users/${encodeURIComponent(account)}/manage/api-tokens`, { headers }), `users/${account}/api-tokens`);
        if (!Array.isArray(body)) throw new MalformedResponse(`users/${account}/api-tokens: expected a JSON list`);
        await context.save(`users/${account}/api-tokens.json`, body);
      });
      context.progress.tick('accounts');
    });
  },
};
