// Slack Web API collector (one workspace): the methods of docs/importers/slack.md, one file per page under the
// names the importer reads (`users-list.json`, `users-list-2.json`...). @slack/web-api, Slack's own client,
// pointed at `--endpoint` by its `slackApiUrl` option and given the framework's fetch (its `fetch` option) with
// its own retries off, so 429s and 5xx are handled once, in cli/collect/http.ts. Slack answers most errors with
// HTTP 200 and `{"ok": false, "error": "missing_scope"}`: `failure` maps those codes to 401, 403 or 429.
import { BlastmapError } from '../../engine/errors.ts';
import { headerRecord, MalformedResponse } from './http.ts';
import type { Collector, CollectorContext, HttpFailureShape } from './types.ts';

type SlackClient = InstanceType<typeof import('@slack/web-api').WebClient>;
type Answer = Record<string, unknown>;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const UNAUTHORISED = new Set(['not_authed', 'invalid_auth', 'account_inactive', 'token_revoked', 'token_expired']);
const FORBIDDEN = new Set(['missing_scope', 'not_allowed_token_type', 'no_permission', 'not_an_admin', 'ekm_access_denied', 'team_access_not_granted',
  'feature_not_enabled', 'paid_only', 'not_an_enterprise', 'access_denied', 'org_login_required', 'enterprise_is_restricted']);
/** Slack's error codes are snake_case words; anything else in `error` is the body of an answer that was not JSON. */
const SLACK_CODE = /^[a-z0-9_.]{2,80}$/;

/** What the client adds to `response_metadata` from headers: removed, so a file is what Slack's body said. */
function asAnswered(data: Answer): Answer {
  const { response_metadata: meta, ...rest } = data;
  if (!isRecord(meta)) return rest;
  const { scopes: _s, acceptedScopes: _a, retryAfter: _r, messages: _m, warnings: _w, ...kept } = meta;
  return Object.keys(kept).length > 0 ? { ...rest, response_metadata: kept } : rest;
}

const clients = new WeakMap<CollectorContext, Promise<SlackClient>>();
function clientOf(context: CollectorContext): Promise<SlackClient> {
  let client = clients.get(context);
  if (!client) {
    const token = context.env.SLACK_TOKEN;
    if (!token) throw new BlastmapError('INVALID_OPTION', 'collect slack needs SLACK_TOKEN (an admin\'s user token) in the environment (docs/collect.md#slack)');
    client = import('@slack/web-api').then(({ WebClient, LogLevel }) => new WebClient(token, {
      ...(context.baseUrl ? { slackApiUrl: `${context.baseUrl}/` } : {}),
      fetch: (url, init) => context.fetch(String(url), init),
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, setLevel: () => {}, getLevel: () => LogLevel.ERROR, setName: () => {} },
    }));
    clients.set(context, client);
  }
  return client;
}

export const slackCollector: Collector = {
  platform: 'slack',
  source: 'slack',
  title: 'Slack',
  credentials: [
    { env: 'SLACK_TOKEN', description: 'a user token (xoxp-) of a workspace admin or owner with the read scopes of docs/collect.md#slack', required: true },
    { env: 'SLACK_TEAM_ID', description: 'the workspace id (T...), needed with an Enterprise Grid org token; else read from team.info', required: false },
  ],

  failure(error): HttpFailureShape | undefined {
    const e = error as { code?: string; data?: Answer; statusCode?: number; headers?: Record<string, string>; retryAfter?: number };
    if (e?.code === 'slack_webapi_http_error' && typeof e.statusCode === 'number') return { status: e.statusCode, headers: headerRecord(e.headers), message: `HTTP ${e.statusCode}` };
    if (e?.code === 'slack_webapi_rate_limited_error') return { status: 429, headers: { 'retry-after': String(e.retryAfter ?? 60) }, message: 'ratelimited' };
    if (e?.code !== 'slack_webapi_platform_error' || !isRecord(e.data)) return undefined;
    const code = String(e.data.error);
    if (!SLACK_CODE.test(code)) return undefined;
    const needed = typeof e.data.needed === 'string' ? ` (token needs ${e.data.needed})` : '';
    const status = UNAUTHORISED.has(code) ? 401 : FORBIDDEN.has(code) ? 403 : code === 'ratelimited' ? 429 : 400;
    return { status, headers: status === 429 ? { 'retry-after': '30' } : {}, message: `Slack error ${code}${needed}` };
  },

  async tenant(context) {
    const given = (context.env.SLACK_TEAM_ID ?? '').trim();
    if (given) {
      if (!/^[TE][A-Z0-9]{2,20}$/.test(given)) throw new BlastmapError('INVALID_OPTION', 'SLACK_TEAM_ID is not a Slack workspace or org id (T... or E...)');
      return given;
    }
    const client = await clientOf(context);
    const info = await client.apiCall('team.info', {}) as unknown as Answer;
    const id = isRecord(info.team) ? info.team.id : undefined;
    if (typeof id !== 'string' || !/^[TE][A-Z0-9]{2,20}$/.test(id)) throw new BlastmapError('INVALID_INPUT', 'team.info did not name the workspace: set SLACK_TEAM_ID');
    return id;
  },

  async collect(context) {
    const client = await clientOf(context);
    const teamId = (context.env.SLACK_TEAM_ID ?? '').trim();

    /** One method call; an answer that was not JSON (the client reports it as error text) is malformed. */
    const call = async (method: string, args: Record<string, unknown>, what: string): Promise<Answer> => {
      try {
        return asAnswered(await client.apiCall(method, args) as unknown as Answer);
      } catch (error) {
        const e = error as { code?: string; data?: Answer };
        if (e?.code === 'slack_webapi_platform_error' && isRecord(e.data) && !SLACK_CODE.test(String(e.data.error))) throw new MalformedResponse(`${what}: the answer is not JSON`);
        throw error;
      }
    };
    /** Every page of a cursor-paged method (response_metadata.next_cursor), saved as <file>.json, <file>-2.json... */
    const cursorPages = async (method: string, args: Record<string, unknown>, file: string, list: string): Promise<Answer[]> => {
      const items: Answer[] = [];
      let cursor: string | undefined;
      for (let page = 1; ; page++) {
        const answer = await call(method, { ...args, ...(cursor ? { cursor } : {}) }, `${file} page ${page}`);
        await context.save(page === 1 ? `${file}.json` : `${file}-${page}.json`, answer);
        if (Array.isArray(answer[list])) items.push(...(answer[list] as unknown[]).filter(isRecord));
        const next = isRecord(answer.response_metadata) ? answer.response_metadata.next_cursor : undefined;
        if (typeof next !== 'string' || next === '' || next === cursor) return items;
        cursor = next;
      }
    };
    const team = teamId ? { team_id: teamId } : {};

    context.progress.start('methods', 7);
    const tick = (): void => context.progress.tick('methods');
    await context.endpoint('team.info', 'team:read', async () => { await context.save('team-info.json', await call('team.info', team, 'team-info')); }); tick();
    await context.endpoint('admin.apps.approved.list', 'admin.apps:read (Enterprise Grid, or app approval turned on)', async () => { await cursorPages('admin.apps.approved.list', { ...team, limit: 1000 }, 'admin-apps-approved-list', 'approved_apps'); }); tick();
    await context.endpoint('admin.apps.restricted.list', 'admin.apps:read (Enterprise Grid, or app approval turned on)', async () => { await cursorPages('admin.apps.restricted.list', { ...team, limit: 1000 }, 'admin-apps-restricted-list', 'restricted_apps'); }); tick();
    await context.endpoint('admin.apps.requests.list', 'admin.apps:read (Enterprise Grid, or app approval turned on)', async () => { await cursorPages('admin.apps.requests.list', { ...team, limit: 1000 }, 'admin-apps-requests-list', 'app_requests'); }); tick();
    const logBots = await context.endpoint('team.integrationLogs', 'admin (an admin\'s user token)', async () => {
      const bots: string[] = [];
      for (let page = 1, pages = 1; page <= pages; page++) {
        const answer = await call('team.integrationLogs', { ...team, count: 1000, page }, `team-integration-logs page ${page}`);
        await context.save(page === 1 ? 'team-integration-logs.json' : `team-integration-logs-${page}.json`, answer);
        const paging = isRecord(answer.paging) ? answer.paging : {};
        pages = Number.isInteger(paging.pages) ? Math.min(Number(paging.pages), 1000) : 1;
        for (const entry of Array.isArray(answer.logs) ? answer.logs.filter(isRecord) : []) if (typeof entry.bot_id === 'string') bots.push(entry.bot_id);
      }
      return bots;
    }); tick();
    const userBots = await context.endpoint('users.list', 'users:read (users:read.email for addresses)', async () =>
      (await cursorPages('users.list', { ...team, limit: 200 }, 'users-list', 'members'))
        .map((member) => (isRecord(member.profile) ? member.profile.bot_id : undefined)).filter((id): id is string => typeof id === 'string')); tick();
    await context.endpoint('usergroups.list', 'usergroups:read', async () => { await context.save('usergroups-list.json', await call('usergroups.list', { ...team, include_users: true, include_disabled: true }, 'usergroups-list')); }); tick();

    // bots.info ties each bot to its app and bot user: the bots of users.list and those the logs name.
    const bots = [...new Set([...(userBots ?? []), ...(logBots ?? [])])].filter((id) => /^B[A-Z0-9]{2,20}$/.test(id)).sort();
    context.progress.start('bots', bots.length);
    await context.map(bots, async (bot) => {
      await context.endpoint(`bots.info/${bot}`, 'users:read', async () => { await context.save(`bots/${bot}.json`, await call('bots.info', { ...team, bot }, `bots/${bot}`)); });
      context.progress.tick('bots');
    });
  },
};
