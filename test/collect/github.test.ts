// `blastmap collect github` against a real HTTP server on 127.0.0.1 answering as the GitHub REST API does: lists
// paged by `Link` (`page`, two records a page), object lists as `{"total_count", "<list>": [...]}` pages, a 429
// with Retry-After, a 403 with x-ratelimit-remaining: 0 (GitHub's spent rate limit), a 502 then success, a 403
// for a missing permission, and a malformed page. The records are the project's GitHub fixture organization
// (test/fixtures/github/corvid, written after the examples of GitHub's OpenAPI description), plus one workflow
// file served as the contents API serves it. @octokit/rest is pointed at the server by its baseUrl option.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toFragment } from '../../engine/store/compact.ts';
import { loadWorkspace } from '../../cli/workspace.ts';
import { filesUnder, fixtureTree, startApiServer, type ApiServer, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/github/corvid');
const TOKEN = 'github_pat_11AAAAAAA0testTokenOnlyForThisTest_abcdefghijklmnopqrstuvwxyz0123456789AB';
const PLANTED = FAKE_GITHUB_TOKEN;
const g = (kind: string, native: string): string => `github:corvid:${kind}:${native}`;
const repo = (name: string): string => g('resource', `corvid/${name}`);

const WORKFLOW_PATH = 'repos/corvid/sdk-js/contents/.github/workflows/preview.yml';
const WORKFLOW = ['name: PR preview', 'on: pull_request_target', 'jobs:', '  preview:', '    runs-on: ubuntu-latest', '    steps:',
  '      - run: npm publish', '        env:', '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}'].join('\n');
/** GET /repos/{owner}/{repo}/contents/{path} for a file, as GitHub answers it (base64 wrapped at 60 characters). */
const WORKFLOW_CONTENTS = {
  type: 'file', encoding: 'base64', size: WORKFLOW.length, name: 'preview.yml', path: '.github/workflows/preview.yml',
  content: `${Buffer.from(WORKFLOW).toString('base64').replace(/(.{60})/g, '$1\n')}\n`, sha: '3d21ec53a331a6f037a91c368710b99387d012c1',
};

const LIST_KEYS = ['installations', 'repositories', 'secrets', 'environments'];

/** One page (`page`, `per_page` 2 here) of a bare list or of a `{total_count, <list>}` answer, with GitHub's Link header. */
function githubPage(data: unknown, url: URL, size = 2): Served {
  const page = Number(url.searchParams.get('page') ?? 1);
  const key = Array.isArray(data) ? undefined : LIST_KEYS.find((k) => Array.isArray((data as Record<string, unknown>)[k]));
  if (!Array.isArray(data) && key === undefined) return { body: data };
  const all = key ? (data as Record<string, unknown[]>)[key]! : data as unknown[];
  const slice = all.slice((page - 1) * size, page * size);
  const headers: Record<string, string> = { 'x-ratelimit-remaining': '4999' };
  if (page * size < all.length) {
    const next = new URL(url.href);
    next.searchParams.set('page', String(page + 1));
    headers.link = `<${next.href}>; rel="next"`;
  }
  return { body: key ? { ...(data as object), [key]: slice } : slice, headers };
}

/**
 * What GitHub answers for a list the fixture has no file for: an empty list (in its wrapper) for each repository's
 * keys, collaborators, secrets and environments and each team's members, maintainers and repositories.
 */
function emptyLists(records: Map<string, unknown>): Map<string, unknown> {
  const empty = new Map<string, unknown>();
  for (const { full_name: name } of records.get('repos') as { full_name: string }[]) {
    empty.set(`repos/${name}/keys`, []);
    empty.set(`repos/${name}/collaborators`, []);
    empty.set(`repos/${name}/actions/secrets`, { total_count: 0, secrets: [] });
    empty.set(`repos/${name}/environments`, { total_count: 0, environments: [] });
  }
  for (const { slug } of records.get('teams') as { slug: string }[]) for (const list of ['members', 'maintainers', 'repos']) empty.set(`teams/${slug}/${list}`, []);
  for (const key of records.keys()) empty.delete(key);
  return empty;
}

function githubHandler(records: Map<string, unknown>) {
  const empty = emptyLists(records);
  return (url: URL, request: { headers: Record<string, unknown> }): Served | undefined => {
    if (request.headers.authorization !== `token ${TOKEN}`) return { status: 401, body: { message: 'Bad credentials' } };
    const path = url.pathname;
    if (`/${WORKFLOW_PATH}` === path) return { body: WORKFLOW_CONTENTS };
    if (path === '/repos/corvid/sdk-js/contents/.github/workflows') return { body: [{ name: 'preview.yml', path: '.github/workflows/preview.yml', type: 'file' }] };
    let key: string | undefined;
    if (path === '/orgs/corvid') key = 'org';
    else if (path === '/orgs/corvid/members') key = url.searchParams.get('role') === 'admin' ? 'owners' : 'members';
    else if (/^\/orgs\/corvid\/teams\/[^/]+\/members$/.test(path) && url.searchParams.get('role') === 'maintainer') key = path.slice('/orgs/corvid/'.length).replace(/members$/, 'maintainers');
    else if (path.startsWith('/orgs/corvid/')) key = path.slice('/orgs/corvid/'.length);
    else if (path.startsWith('/user/installations/')) key = path.slice('/user/'.length);
    else if (path.startsWith('/apps/') || path.startsWith('/repos/')) key = path.slice(1);
    if (key !== undefined && records.has(key)) return githubPage(records.get(key), url);
    if (key !== undefined && empty.has(key)) return { body: empty.get(key) };
    return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  };
}

const graphOf = (ws: string) => toFragment(loadWorkspace(ws).graph);
const edgeKeys = (ws: string): string[] => graphOf(ws).edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();

describe('blastmap collect github', () => {
  let server: ApiServer;
  let ws: string;
  let records: Map<string, unknown>;

  beforeEach(async () => {
    records = fixtureTree(FIXTURE);
    (records.get('repos') as Record<string, unknown>[])[2]!.description = `deploy with ${PLANTED}`;
    server = await startApiServer(githubHandler(records));
    ws = tempDir('blastmap-collect-github-');
    vi.stubEnv('GITHUB_TOKEN', TOKEN);
    vi.stubEnv('GITHUB_ORG', 'corvid');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('pages both list shapes, waits out 429 and a spent rate limit, retries a 502, reports a 403 and a malformed page, and imports', async () => {
    server.fail('/orgs/corvid/repos', { status: 429, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } });
    server.fail('/orgs/corvid/members', { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) }, body: { message: 'API rate limit exceeded' } });
    server.fail('/orgs/corvid/teams', { status: 502, body: { message: 'Server Error' } });
    server.fail('/orgs/corvid/personal-access-tokens', { status: 403, body: { message: 'Resource not accessible by personal access token', documentation_url: 'https://docs.github.com/rest' } });
    server.fail('/repos/corvid/infra/keys', { raw: '[{"id": 1, "key": "ssh-ed25519 AAAA' });

    const run = await runCli(['collect', 'github', '--out', ws, '--endpoint', server.url, '--import', '--concurrency', '2']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);
    expect(server.calls('/orgs/corvid/repos').filter((r) => !/[?&]page=/.test(r.path))).toHaveLength(2);
    expect(server.calls('/orgs/corvid/members').filter((r) => !r.path.includes('role=') && !/[?&]page=/.test(r.path))).toHaveLength(2);
    expect(server.calls('/orgs/corvid/teams').filter((r) => !/[?&]page=/.test(r.path))).toHaveLength(2);
    expect(server.calls('/orgs/corvid/personal-access-tokens')).toHaveLength(1);
    expect(run.out).toContain('waited out 2 rate limits and retried 1 transient failure');
    expect(run.out).toMatch(/personal-access-tokens: HTTP 403: Resource not accessible by personal access token \(needs admin:org read/);
    expect(run.out).toMatch(/repos\/corvid\/infra\/keys: repos\/corvid\/infra\/keys page 1: the answer is not JSON/);
    expect(run.out).toContain('2 failed');

    const folder = join(ws, 'exports/github/corvid');
    const written = filesUnder(folder);
    expect(written.filter((f) => /^repos(-\d+)?\.json$/.test(f))).toEqual(['repos-2.json', 'repos-3.json', 'repos.json']);
    expect(written.filter((f) => /^installations(-\d+)?\.json$/.test(f))).toEqual(['installations-2.json', 'installations.json']);
    expect(JSON.parse(readFileSync(join(folder, 'installations-2.json'), 'utf8'))).toMatchObject({ total_count: 3, installations: [{ app_slug: 'lintbot' }] });
    expect(written).toContain('apps/tackle-ci.json');
    expect(written).not.toContain('apps/lintbot.json'); // 404: a private app of another owner
    expect(written).toContain('installations/41829377/repositories.json');
    expect(written).toContain('actions/secrets/SNOWFLAKE_PASSWORD/repositories.json');
    expect(written).toContain('repos/corvid/infra/environments/production/secrets.json');
    expect(written).toContain(`${WORKFLOW_PATH}.json`);
    expect(written).not.toContain('personal-access-tokens.json');
    for (const file of [...written.map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PLANTED);
    }
    expect(run.out + run.err).not.toContain(TOKEN);

    // The graph: the fixture imported directly, without what the failed endpoints and the hand-written files
    // (secret-links.json, oidc-trusts.json: not an API's) give, with the served workflow.
    const expected = tempDir('blastmap-collect-github-expected-');
    try {
      const copy = join(expected, 'exports/github/corvid');
      mkdirSync(copy, { recursive: true });
      cpSync(FIXTURE, copy, { recursive: true });
      for (const gone of ['secret-links.json', 'oidc-trusts.json', 'personal-access-tokens.json', 'personal-access-tokens', 'repos/corvid/infra/keys.json']) rmSync(join(copy, gone), { recursive: true });
      writeFileSync(join(copy, 'repos.json'), JSON.stringify(records.get('repos')));
      for (const [key, body] of emptyLists(records)) {
        if (key === 'repos/corvid/infra/keys') continue;
        mkdirSync(join(copy, key, '..'), { recursive: true });
        writeFileSync(join(copy, `${key}.json`), JSON.stringify(body));
      }
      mkdirSync(join(copy, 'repos/corvid/sdk-js/contents/.github/workflows'), { recursive: true });
      writeFileSync(join(copy, `${WORKFLOW_PATH}.json`), JSON.stringify(WORKFLOW_CONTENTS));
      expect(graphOf(ws).nodes.map((n) => n.id).sort()).toEqual(graphOf(expected).nodes.map((n) => n.id).sort());
      expect(edgeKeys(ws)).toEqual(edgeKeys(expected));
    } finally {
      rmSync(expected, { recursive: true, force: true });
    }
    const edges = edgeKeys(ws);
    expect(edges).toContain(`RUNS_AS_ON_TRIGGER ${repo('sdk-js')} -> ${g('identity', 'workflows/corvid/sdk-js')}`);
    expect(edges).toContain(`HOLDS github:github.com:app:tackle-ci -> ${g('credential', 'installation/41829377')}`);
    expect(edges).toContain(`CAN_ADMIN ${g('role', 'owner')} -> ${g('platform', 'org')}`);
    expect(edges.filter((e) => e.includes('fine-grained-pat/'))).toEqual([]);
    expect(edges.filter((e) => e.includes('deploy-key/') && e.includes(repo('infra')))).toEqual([]);
  });

  it('--resume fetches only the endpoints that failed', async () => {
    server.fail('/orgs/corvid/personal-access-tokens', { status: 403, body: { message: 'Resource not accessible by personal access token' } });
    expect((await runCli(['collect', 'github', '--out', ws, '--endpoint', server.url])).code).toBe(0);
    const before = server.requests.length;
    const resumed = await runCli(['collect', 'github', '--out', ws, '--endpoint', server.url, '--resume', '-f', 'json']);
    expect(resumed.code).toBe(0);
    // The grant list (two pages) and the repositories of the one grant on a subset of repositories.
    expect(server.requests.slice(before).map((r) => r.path.split('?')[0])).toEqual([
      '/orgs/corvid/personal-access-tokens', '/orgs/corvid/personal-access-tokens', '/orgs/corvid/personal-access-tokens/25381/repositories',
    ]);
    expect(edgeKeys(ws).some((e) => e.includes(g('credential', 'fine-grained-pat/25381')))).toBe(true);
  });
});
