// The server beyond loopback: a token on every request (header, or the cookie a one-time link sets), compared in
// constant time; a per-client rate limit; anti-framing headers on every answer; no request path escapes the UI.
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../cli/server/app.ts';
import { RateLimiter, TOKEN_COOKIE, tokensEqual } from '../../../cli/server/guard.ts';
import { checkExposure, startServer } from '../../../cli/server/start.ts';
import { loadStaticFiles } from '../../../cli/server/static.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { scenario } from '../../helpers/scenario.ts';
import { BIN, REPO } from '../../helpers/cli.ts';

const TOKEN = 'test-token-0123456789abcdef';
const { graph } = scenario((s) => { s.app('crm'); s.resource('cases'); s.edge('CAN_READ', 'crm', 'cases'); });

const uiDir = mkdtempSync(join(tmpdir(), 'blastmap-hardening-ui-'));
mkdirSync(join(uiDir, 'assets'));
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');
writeFileSync(join(uiDir, 'assets/app-1.js'), 'console.log(1)');
writeFileSync(join(uiDir, '.env'), 'SECRET=outside');
writeFileSync(join(tmpdir(), 'blastmap-hardening-outside.txt'), 'SECRET=outside');
const files = loadStaticFiles(uiDir);

function expectFramingHeaders(response: Response): void {
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(response.headers.get('content-security-policy')!)?.[1];
  expect(scriptSrc).toBe("'self'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('token', () => {
  const app = createApp({ graph, files, token: TOKEN, rateLimit: false });

  it('refuses API requests without the token, or with a wrong one, with 401 and the security headers', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: `Basic ${TOKEN}` }, { cookie: `${TOKEN_COOKIE}=nope` }, { authorization: `Bearer ${TOKEN}x` }];
    for (const headers of attempts) {
      const response = await app.request('/api/meta', { headers });
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect((await response.json()).error.code).toBe('UNAUTHORIZED');
      expectFramingHeaders(response);
    }
    expect((await app.request('/api/meta')).headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers requests bearing the token in the Authorization header or the cookie', async () => {
    expect((await app.request('/api/meta', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await app.request('/api/meta', { headers: { cookie: `other=1; ${TOKEN_COOKIE}=${TOKEN}` } })).status).toBe(200);
    const radius = await app.request('/api/radius', { method: 'POST', body: JSON.stringify({ sources: ['crm'] }), headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    expect(radius.status).toBe(200);
  });

  it('does not accept the token as an API query parameter (it would end up in logs and history)', async () => {
    expect((await app.request(`/api/meta?token=${TOKEN}`)).status).toBe(401);
  });

  it('guards the UI files too', async () => {
    expect((await app.request('/')).status).toBe(401);
    expect((await app.request('/assets/app-1.js', { headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}` } })).status).toBe(200);
  });

  it('trades the one-time link for an HttpOnly, SameSite=Strict cookie and drops the token from the address', async () => {
    const response = await app.request(`/?sources=a%3Ab&token=${TOKEN}&at=2026-01-01`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/?sources=a%3Ab&at=2026-01-01');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^${TOKEN_COOKIE}=${TOKEN};`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    const follow = await app.request('/', { headers: { cookie: cookie.split(';')[0]! } });
    expect(follow.status).toBe(200);
    expect(await follow.text()).toContain('<title>ui</title>');
  });

  it('sets no cookie for a wrong link token', async () => {
    const response = await app.request('/?token=not-the-token-at-all');
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('compares tokens by value whatever their lengths', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(TOKEN, `${TOKEN}0`)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => tokensEqual(a, b) === (a === b)), { numRuns: 200 });
  });
});

describe('exposure beyond loopback', () => {
  it('needs a token of at least 16 characters on any address other than loopback', () => {
    expect(() => checkExposure('127.0.0.1', undefined)).not.toThrow();
    expect(() => checkExposure('::1', undefined)).not.toThrow();
    for (const host of ['0.0.0.0', '192.168.1.4', '::', 'example.com']) {
      expect(() => checkExposure(host, undefined), host).toThrow(/--token/);
      expect(() => checkExposure(host, TOKEN)).not.toThrow();
    }
    expect(() => checkExposure('0.0.0.0', 'short')).toThrow(BlastmapError);
  });

  it('startServer refuses 0.0.0.0 without a token before listening', async () => {
    await expect(startServer({ graph, host: '0.0.0.0', port: 0, uiDir })).rejects.toThrow(/--token/);
  });

  it('`blastmap serve --host 0.0.0.0` without a token exits 2 naming --token and BLASTMAP_TOKEN', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', BLASTMAP_NO_BROWSER: '1' };
    delete env.BLASTMAP_TOKEN;
    const run = spawnSync(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--port', '0', '--graph', join(REPO, 'test/fixtures/native')], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--token');
    expect(run.stderr).toContain('BLASTMAP_TOKEN');
  });
});

describe('rate limit', () => {
  it('lets a burst through, then answers with the wait until the bucket refills', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perSecond: 2 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('remembers a bounded number of clients, forgetting the least recently seen', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 0.001, maxClients: 100 }, () => 0);
    for (let i = 0; i < 1000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.clients).toBe(100);
  });

  it('answers 429 with Retry-After and the security headers once a client spends its budget, before checking the token', async () => {
    const app = createApp({ graph, files, token: TOKEN, rateLimit: { burst: 5, perSecond: 0.01 } });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await app.request('/api/meta', { headers: { authorization: 'Bearer wrong-guess-0123456789abc' } })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const limited = await app.request('/api/meta', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    expectFramingHeaders(limited);
  });
});

describe('static files', () => {
  it('no request path, however encoded, serves anything but the files loaded from the UI folder', async () => {
    const app = createApp({ graph, files, rateLimit: false });
    const known = new Map([...files].map(([url, file]) => [url, Buffer.from(file.body).toString()]));
    const segment = fc.constantFrom('..', '%2e%2e', '%2E%2E', '.%2e', '..%2f', '..%5c', '..\\', '%00', '.env', 'assets', 'index.html', 'etc', 'passwd', 'blastmap-hardening-outside.txt', '%2f', '', '.', '~');
    await fc.assert(fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 7 }), async (segments) => {
      const path = `/${segments.join('/')}`;
      let response: Response;
      try {
        response = await app.request(path);
      } catch {
        return; // a URL the runtime itself rejects never reaches the server
      }
      const body = await response.text();
      expect(body).not.toContain('SECRET=outside');
      if (response.status === 200) expect([...known.values()]).toContain(body);
      else expect([400, 404]).toContain(response.status);
      expectFramingHeaders(response);
    }), { numRuns: 300 });
  });
});

describe('a real server on 0.0.0.0 with BLASTMAP_TOKEN', () => {
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => { for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL'); });

  it('answers only requests with the token and never prints the token', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--port', '0', '--graph', join(REPO, 'test/fixtures/native')], {
      cwd: REPO, env: { ...process.env, NO_COLOR: '1', BLASTMAP_NO_BROWSER: '1', BLASTMAP_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /blastmap UI: (http:\/\/\S+)/.exec(output);
        if (match) { clearTimeout(timer); resolve(match[1]!); }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${output}`)); });
    });
    const get = (path: string, headers: Record<string, string> = {}) => new Promise<number>((resolve, reject) => {
      const req = request(new URL(path, url), { headers }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
      req.on('error', reject);
      req.end();
    });
    expect(await get('/api/meta')).toBe(401);
    expect(await get('/api/meta', { authorization: `Bearer ${TOKEN}` })).toBe(200);
    expect(await get('/api/meta', { authorization: `Bearer ${TOKEN}`, host: 'anything.example' })).toBe(200);
    expect(output).not.toContain(TOKEN);
    expect(output).toContain('warning: listening on 0.0.0.0');
    child.kill('SIGTERM');
  });
});
