// GitHub REST API collector (one organization): the endpoints of docs/importers/github.md, saved under the names
// the importer reads, one file per page (`repos.json`, `repos-2.json`: each page exactly as GitHub returns it, a
// bare list or `{"total_count", "installations": [...]}`). @octokit/rest, GitHub's own client, pointed at
// `--endpoint` through its `baseUrl` option and given the framework's fetch (its `request.fetch` option), so
// retries and GitHub's rate limits (429, or 403 with x-ratelimit-remaining: 0) are handled once, in cli/collect/http.ts.
import { BlastmapError } from '../../engine/errors.ts';
import { followLink, headerRecord, MalformedResponse, nextLink } from './http.ts';
import type { Collector, CollectorContext, HttpFailureShape } from './types.ts';

type OctokitClient = InstanceType<typeof import('@octokit/rest').Octokit>;
interface Page { data: unknown; headers: Record<string, unknown> }

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
/** The items of one page: a bare list, or the list inside GitHub's `{total_count, <list>}` wrapper. */
function itemsOf(data: unknown, key?: string): Record<string, unknown>[] {
  const list = Array.isArray(data) ? data : key && isRecord(data) && Array.isArray(data[key]) ? data[key] : [];
  return (list as unknown[]).filter(isRecord);
}

function requireOrg(env: CollectorContext['env']): string {
  const org = (env.GITHUB_ORG ?? '').trim();
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(org)) throw new BlastmapError('INVALID_OPTION', 'GITHUB_ORG is not an organization login (letters, digits and hyphens)');
  if (!env.GITHUB_TOKEN) throw new BlastmapError('INVALID_OPTION', 'collect github needs GITHUB_TOKEN (an organization owner\'s read-only token) in the environment (docs/collect.md#github)');
  return org;
}

const enc = encodeURIComponent;
const GITHUB_API = new URL('https://api.github.com');

export const githubCollector: Collector = {
  platform: 'github',
  source: 'github',
  title: 'GitHub',
  credentials: [
    { env: 'GITHUB_TOKEN', description: 'a token of an organization owner: classic with repo, read:org, admin:org (read only here), or fine-grained with read access (docs/collect.md#github)', required: true },
    { env: 'GITHUB_ORG', description: 'the organization login, e.g. corvid', required: true },
  ],

  async tenant(context) {
    return requireOrg(context.env).toLowerCase();
  },

  failure(error): HttpFailureShape | undefined {
    const e = error as { name?: string; status?: unknown; response?: { headers?: Record<string, unknown>; data?: unknown }; message?: string };
    if (e?.name !== 'HttpError' || typeof e.status !== 'number') return undefined;
    const said = isRecord(e.response?.data) && typeof e.response.data.message === 'string' ? e.response.data.message : undefined;
    return { status: e.status, headers: headerRecord(e.response?.headers), message: `HTTP ${e.status}${said ? `: ${said.slice(0, 200)}` : ''}` };
  },

  async collect(context) {
    const org = requireOrg(context.env);
    const { Octokit } = await import('@octokit/rest');
    const octokit: OctokitClient = new Octokit({
      auth: context.env.GITHUB_TOKEN,
      userAgent: 'blastmap-collect',
      ...(context.baseUrl ? { baseUrl: context.baseUrl } : {}),
      request: { fetch: context.fetch, signal: context.signal },
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    const base = new URL(context.baseUrl ?? GITHUB_API.href);

    /** Every page of `url`, each saved as it came (<file>.json, <file>-2.json...); the items of all pages (`key`: the wrapped list). */
    const pages = async (url: string, file: string, key?: string, perPage = true): Promise<Record<string, unknown>[]> => {
      const items: Record<string, unknown>[] = [];
      let next: string | undefined = url + (perPage ? `${url.includes('?') ? '&' : '?'}per_page=100` : '');
      for (let page = 1; next; page++) {
        const response: Page = await octokit.request({ method: 'GET', url: next });
        if (!Array.isArray(response.data) && !isRecord(response.data)) throw new MalformedResponse(`${file} page ${page}: the answer is not JSON`);
        await context.save(page === 1 ? `${file}.json` : `${file}-${page}.json`, response.data);
        items.push(...itemsOf(response.data, key));
        const link = nextLink(String(response.headers.link ?? ''));
        next = link === undefined ? undefined : followLink(link, new URL(next!, base).href, base, GITHUB_API);
      }
      return items;
    };
    /** One object, saved as it came. */
    const one = async (url: string, file: string): Promise<Record<string, unknown>> => {
      const response: Page = await octokit.request({ method: 'GET', url });
      if (!isRecord(response.data) && !Array.isArray(response.data)) throw new MalformedResponse(`${file}: the answer is not JSON`);
      await context.save(`${file}.json`, response.data);
      return isRecord(response.data) ? response.data : {};
    };
    /** A 404 that means "nothing here" (no workflows folder, an org without SAML, a private app of another owner). */
    const absentOn404 = async <T>(run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (error) {
        if (githubCollector.failure!(error)?.status === 404) return undefined;
        throw error;
      }
    };

    const o = enc(org);
    context.progress.start('organization', 12);
    const tick = (): void => context.progress.tick('organization');
    await context.endpoint('org', 'read:org', async () => { await one(`/orgs/${o}`, 'org'); }); tick();
    const repos = (await context.endpoint('repos', 'repo (or fine-grained: Metadata read on the repositories)', async () =>
      (await pages(`/orgs/${o}/repos`, 'repos')).map((r) => ({ fullName: String(r.full_name) })))) ?? []; tick();
    const installations = (await context.endpoint('installations', 'admin:org read (an organization owner; fine-grained: Administration read)', async () =>
      (await pages(`/orgs/${o}/installations`, 'installations', 'installations')).map((i) => ({ id: Number(i.id), slug: String(i.app_slug), selection: String(i.repository_selection) })))) ?? []; tick();
    const patGrants = (await context.endpoint('personal-access-tokens', 'admin:org read (an organization owner; fine-grained: Personal access tokens read)', async () =>
      (await pages(`/orgs/${o}/personal-access-tokens`, 'personal-access-tokens')).map((p) => ({ id: Number(p.id), selection: String(p.repository_selection) })))) ?? []; tick();
    await context.endpoint('personal-access-token-requests', 'admin:org read (fine-grained: Personal access token requests read)', async () => { await pages(`/orgs/${o}/personal-access-token-requests`, 'personal-access-token-requests'); }); tick();
    await context.endpoint('credential-authorizations', 'admin:org read (an organization owner; SAML single sign-on orgs only)', async () => { await absentOn404(() => pages(`/orgs/${o}/credential-authorizations`, 'credential-authorizations')); }); tick();
    const orgSecrets = (await context.endpoint('actions/secrets', 'admin:org read (fine-grained: organization Secrets read)', async () =>
      (await pages(`/orgs/${o}/actions/secrets`, 'actions/secrets', 'secrets')).map((s) => ({ name: String(s.name), visibility: String(s.visibility) })))) ?? []; tick();
    await context.endpoint('members', 'read:org (fine-grained: Members read)', async () => { await pages(`/orgs/${o}/members`, 'members'); }); tick();
    await context.endpoint('owners', 'read:org (fine-grained: Members read)', async () => { await pages(`/orgs/${o}/members?role=admin`, 'owners'); }); tick();
    const teams = (await context.endpoint('teams', 'read:org (fine-grained: Members read)', async () => (await pages(`/orgs/${o}/teams`, 'teams')).map((t) => ({ slug: String(t.slug) })))) ?? []; tick();
    const auditPhrase = `action:personal_access_token${context.since ? ` created:>=${context.since.toISOString().slice(0, 10)}` : ''}`;
    await context.endpoint('audit-log', 'read:audit_log (GitHub Enterprise Cloud)', async () => { await absentOn404(() => pages(`/orgs/${o}/audit-log?phrase=${enc(auditPhrase)}`, 'audit-log')); }); tick();
    const slugs = [...new Set(installations.map((i) => i.slug))].sort();
    await context.map(slugs, async (slug) => { await context.endpoint(`apps/${slug}`, 'none (public app metadata)', async () => { await absentOn404(() => one(`/apps/${enc(slug)}`, `apps/${slug}`)); }); });
    tick();

    const selected = installations.filter((i) => i.selection === 'selected');
    await context.map(selected, async ({ id }) => {
      await context.endpoint(`installations/${id}/repositories`, 'a user access token of an organization owner (the installation\'s repositories)', async () => { await pages(`/user/installations/${id}/repositories`, `installations/${id}/repositories`, 'repositories'); });
    });
    await context.map(patGrants.filter((p) => p.selection === 'subset'), async ({ id }) => {
      await context.endpoint(`personal-access-tokens/${id}/repositories`, 'admin:org read (fine-grained: Personal access tokens read)', async () => { await pages(`/orgs/${o}/personal-access-tokens/${id}/repositories`, `personal-access-tokens/${id}/repositories`); });
    });
    await context.map(orgSecrets.filter((s) => s.visibility === 'selected'), async ({ name }) => {
      await context.endpoint(`actions/secrets/${name}/repositories`, 'admin:org read (fine-grained: organization Secrets read)', async () => { await pages(`/orgs/${o}/actions/secrets/${enc(name)}/repositories`, `actions/secrets/${name}/repositories`, 'repositories'); });
    });

    context.progress.start('repositories', repos.length);
    await context.map(repos, async ({ fullName }) => {
      const [owner, repo] = fullName.split('/') as [string, string];
      const r = `/repos/${enc(owner)}/${enc(repo)}`;
      const folder = `repos/${owner}/${repo}`;
      await context.endpoint(`${folder}/keys`, 'repo (fine-grained: Administration read)', async () => { await pages(`${r}/keys`, `${folder}/keys`); });
      await context.endpoint(`${folder}/collaborators`, 'repo (fine-grained: Metadata read; push access to list)', async () => { await pages(`${r}/collaborators?affiliation=direct`, `${folder}/collaborators`); });
      await context.endpoint(`${folder}/contents/.github/workflows`, 'repo (fine-grained: Contents read)', async () => {
        const listing = await absentOn404(async () => (await octokit.request({ method: 'GET', url: `${r}/contents/.github/workflows` })).data as unknown);
        const files = (Array.isArray(listing) ? listing : []).filter(isRecord).filter((f) => f.type === 'file' && /\.ya?ml$/i.test(String(f.name)));
        for (const file of files) await one(`${r}/contents/.github/workflows/${enc(String(file.name))}`, `${folder}/contents/.github/workflows/${String(file.name)}`);
      });
      await context.endpoint(`${folder}/actions/secrets`, 'repo (fine-grained: Secrets read)', async () => { await pages(`${r}/actions/secrets`, `${folder}/actions/secrets`, 'secrets'); });
      const environments = await context.endpoint(`${folder}/environments`, 'repo (fine-grained: Environments read)', async () =>
        (await pages(`${r}/environments`, `${folder}/environments`, 'environments')).map((e) => String(e.name)));
      for (const name of environments ?? []) {
        await context.endpoint(`${folder}/environments/${name}/secrets`, 'repo (fine-grained: Environments read)', async () => { await pages(`${r}/environments/${enc(name)}/secrets`, `${folder}/environments/${name}/secrets`, 'secrets'); });
      }
      context.progress.tick('repositories');
    });

    context.progress.start('teams', teams.length);
    await context.map(teams, async ({ slug }) => {
      const t = `/orgs/${o}/teams/${enc(slug)}`;
      await context.endpoint(`teams/${slug}/members`, 'read:org (fine-grained: Members read)', async () => { await pages(`${t}/members`, `teams/${slug}/members`); });
      await context.endpoint(`teams/${slug}/maintainers`, 'read:org (fine-grained: Members read)', async () => { await pages(`${t}/members?role=maintainer`, `teams/${slug}/maintainers`); });
      await context.endpoint(`teams/${slug}/repos`, 'read:org (fine-grained: Members read)', async () => { await pages(`${t}/repos`, `teams/${slug}/repos`); });
      context.progress.tick('teams');
    });
  },
};
