// The `blastmap collect` command itself: its options are checked before anything is called or written, the
// endpoint can come from BLASTMAP_<PLATFORM>_ENDPOINT, and a broken collect-state.json is reported, not ignored.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApiServer, type ApiServer } from '../helpers/api-server.ts';
import { runCli, tempDir } from '../helpers/cli.ts';

describe('blastmap collect (options)', () => {
  let ws: string;
  let server: ApiServer;
  beforeEach(async () => {
    ws = tempDir('blastmap-collect-cli-');
    // An Okta that knows nothing: every list is empty.
    server = await startApiServer((url) => (url.pathname.startsWith('/api/v1/') || url.pathname.startsWith('/integrations/') ? { body: [] } : undefined));
    vi.stubEnv('OKTA_ORG_URL', 'https://corvidlabs-admin.okta.com/');
    vi.stubEnv('OKTA_API_TOKEN', 'test-token-value-for-options');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('refuses an unknown platform, a date that is not one and a concurrency out of range, writing nothing', async () => {
    const unknown = await runCli(['collect', 'okat', '--out', ws]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no collector for this platform');
    expect(unknown.err).toContain('okta');
    expect((await runCli(['collect', 'okta', '--out', ws, '--since', 'last tuesday'])).err).toContain('--since last tuesday: expected a date');
    expect((await runCli(['collect', 'okta', '--out', ws, '--concurrency', '0'])).code).toBe(2);
    expect(readdirSync(ws)).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('takes the endpoint from BLASTMAP_OKTA_ENDPOINT, files an -admin org under its org, and passes --since to the System Log', async () => {
    vi.stubEnv('BLASTMAP_OKTA_ENDPOINT', server.url);
    const run = await runCli(['collect', 'okta', '--out', ws, '--since', '2026-11-01', '-f', 'json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as { tenant: string; folder: string; failed: unknown[] };
    expect(summary.tenant).toBe('corvidlabs.okta.com');
    expect(summary.failed).toEqual([]);
    expect(existsSync(join(ws, 'exports/okta/corvidlabs.okta.com/users.json'))).toBe(true);
    const log = server.calls('/api/v1/logs')[0]!;
    expect(new URL(log.path, server.url).searchParams.get('since')).toBe('2026-11-01T00:00:00.000Z');
  });

  it('sends OKTA_ACCESS_TOKEN as a Bearer token when no API token is given', async () => {
    vi.stubEnv('OKTA_API_TOKEN', '');
    vi.stubEnv('OKTA_ACCESS_TOKEN', 'test-access-token-for-options');
    expect((await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url])).code).toBe(0);
    expect(new Set(server.requests.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer test-access-token-for-options']));
  });

  it('behind --endpoint (a proxy), follows next links that name the org itself through the proxy, and no other host', async () => {
    await server.close();
    server = await startApiServer((url) => {
      if (url.pathname === '/api/v1/users') {
        return url.searchParams.get('after') === '1' ? { body: [{ id: '00u2' }] }
          : { body: [{ id: '00u1' }], headers: { link: '<https://corvidlabs.okta.com/api/v1/users?limit=200&after=1>; rel="next"' } };
      }
      if (url.pathname === '/api/v1/groups') return { body: [], headers: { link: '<https://collector.evil.example/api/v1/groups?after=1>; rel="next"' } };
      return url.pathname.startsWith('/api/v1/') || url.pathname.startsWith('/integrations/') ? { body: [] } : undefined;
    });
    const run = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url]);
    expect(run.code).toBe(0);
    expect(server.calls('/api/v1/users').map((r) => r.path)).toEqual(['/api/v1/users?limit=200', '/api/v1/users?limit=200&after=1']);
    expect(existsSync(join(ws, 'exports/okta/corvidlabs.okta.com/users-2.json'))).toBe(true);
    expect(run.out).toMatch(/groups: the next page link leaves http:\/\/127\.0\.0\.1/);
  });

  it('reports a collect-state.json that is not one (exit 3) instead of starting over silently', async () => {
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'collect-state.json'), '{"not": "a state"}');
    const run = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url, '--resume']);
    expect(run.code).toBe(3);
    expect(run.err).toContain('is not a collect-state file');
  });
});
