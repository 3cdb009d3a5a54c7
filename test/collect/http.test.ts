// The collection framework's HTTP rules (cli/collect/http.ts) and its scrub (cli/collect/run.ts): how long a
// rate-limited answer asks to wait, which failures are retried, how Link headers are read, and what of a response
// is written. Retries are checked against a real server on 127.0.0.1 that fails as an API does.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, followLink, HttpFailure, jsonOf, MalformedResponse, nextLink, rateLimitWait, retryingFetch, withRetry } from '../../cli/collect/http.ts';
import { scrubResponse } from '../../cli/collect/run.ts';
import { isSecretFieldName } from '../../engine/secrets.ts';
import { startApiServer, type ApiServer } from '../helpers/api-server.ts';
import { FAKE_GITHUB_TOKEN, FAKE_GITLAB_TOKEN, FAKE_SLACK_BOT_TOKEN, FAKE_STRIPE_KEY } from '../helpers/fake-secrets.ts';

const fast = { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 2 };
const NOW = Date.parse('2026-12-07T12:00:00Z');

describe('rate limits', () => {
  it('waits Retry-After in seconds or until its date, and measures Okta\'s reset from the server\'s Date', () => {
    expect(rateLimitWait({ status: 429, headers: { 'retry-after': '7' } }, NOW)).toBe(7000);
    expect(rateLimitWait({ status: 429, headers: { 'retry-after': 'Mon, 07 Dec 2026 12:00:30 GMT' } }, NOW)).toBe(30_000);
    // Okta: x-rate-limit-reset is epoch seconds, and the local clock may be off: the Date header is the reference.
    const serverNow = Date.parse('Mon, 07 Dec 2026 11:00:00 GMT');
    expect(rateLimitWait({ status: 429, headers: { 'x-rate-limit-reset': String(serverNow / 1000 + 20), date: 'Mon, 07 Dec 2026 11:00:00 GMT' } }, NOW)).toBe(21_000);
    expect(rateLimitWait({ status: 429, headers: {} }, NOW)).toBe(60_000);
  });

  it('reads GitHub\'s 403 with x-ratelimit-remaining: 0 as a rate limit, and any other 403 as a refusal', () => {
    expect(rateLimitWait({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 5) } }, NOW)).toBe(6000);
    expect(rateLimitWait({ status: 403, headers: { 'retry-after': '60' } }, NOW)).toBe(60_000); // GitHub's secondary limit
    expect(rateLimitWait({ status: 403, headers: { 'x-ratelimit-remaining': '4999' } }, NOW)).toBeUndefined();
    expect(rateLimitWait({ status: 401, headers: { 'retry-after': '5' } }, NOW)).toBeUndefined();
    expect(rateLimitWait({ status: 500, headers: {} }, NOW)).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('retries 5xx until the attempts run out, then throws the last failure; never retries a 4xx', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new HttpFailure(503, {}, 'HTTP 503'); }, { policy: fast })).rejects.toThrow('HTTP 503');
    expect(calls).toBe(DEFAULT_RETRY.attempts);
    calls = 0;
    await expect(withRetry(async () => { calls++; throw new HttpFailure(404, {}, 'HTTP 404'); }, { policy: fast })).rejects.toThrow('HTTP 404');
    expect(calls).toBe(1);
    calls = 0;
    await expect(withRetry(async () => { calls++; throw new MalformedResponse('not JSON'); }, { policy: fast })).rejects.toThrow('not JSON');
    expect(calls).toBe(1);
  });

  it('maps an SDK\'s error through `failure`, and says what it waits for', async () => {
    const waits: string[] = [];
    let calls = 0;
    const value = await withRetry(async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('sdk says 429'), { sdkStatus: 429 });
      if (calls === 2) throw Object.assign(new Error('sdk says 502'), { sdkStatus: 502 });
      return 'ok';
    }, {
      policy: fast,
      failure: (error) => ({ status: (error as { sdkStatus: number }).sdkStatus, headers: { 'retry-after': '0' } }),
      onWait: (reason, _ms, failure) => waits.push(`${reason} ${failure?.status}`),
    });
    expect(value).toBe('ok');
    expect(waits).toEqual(['rate-limit 429', 'retry 502']);
  });

  it('gives up on a rate limit longer than the policy allows', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new HttpFailure(429, { 'retry-after': '3600' }, 'HTTP 429'); }, { policy: { ...fast, maxRateLimitWaitMs: 1000 } })).rejects.toThrow('HTTP 429');
    expect(calls).toBe(1);
  });
});

describe('retryingFetch on a real server', () => {
  let server: ApiServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  it('retries a dropped connection and a 502, waits out a 429, and returns the final answer', async () => {
    server = await startApiServer(() => ({ body: [{ id: 1 }] }));
    server.fail('/list', { drop: true }, { status: 502, raw: 'bad gateway' }, { status: 429, headers: { 'retry-after': '0' }, raw: '' });
    const waits: string[] = [];
    const fetchWithRetry = retryingFetch({ policy: fast, onWait: (reason, _ms, failure) => waits.push(`${reason} ${failure?.status ?? 'network'}`) });
    const response = await fetchWithRetry(`${server.url}/list`);
    expect(await jsonOf(response, 'list')).toEqual([{ id: 1 }]);
    expect(waits).toEqual(['retry network', 'retry 502', 'rate-limit 429']);
    expect(server.calls('/list')).toHaveLength(4);
  });

  it('gives up on a server that does not answer within the request timeout, as on a network failure', async () => {
    server = await startApiServer(() => new Promise(() => {}));
    const waits: string[] = [];
    const fetchWithRetry = retryingFetch({ policy: { ...fast, attempts: 2, requestTimeoutMs: 200 }, onWait: (reason) => waits.push(reason) });
    await expect(fetchWithRetry(`${server.url}/hangs`)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(waits).toEqual(['retry']);
    expect(server.calls('/hangs')).toHaveLength(2);
  });

  it('returns a refusal as it came, and a 5xx that outlasts the attempts with its status', async () => {
    server = await startApiServer(() => ({ status: 403, body: { errorSummary: 'You do not have permission' } }));
    server.fail('/flaky', ...Array.from({ length: DEFAULT_RETRY.attempts }, () => ({ status: 503, raw: '' })));
    const fetchWithRetry = retryingFetch({ policy: fast });
    const refused = await fetchWithRetry(`${server.url}/list`);
    await expect(jsonOf(refused, 'list')).rejects.toMatchObject({ status: 403, message: 'HTTP 403 Forbidden: You do not have permission' });
    const flaky = await fetchWithRetry(`${server.url}/flaky`);
    expect(flaky.status).toBe(503);
    expect(server.calls('/flaky')).toHaveLength(DEFAULT_RETRY.attempts);
  });
});

describe('nextLink', () => {
  it('finds rel="next" among other relations, in any order, and nothing without one', () => {
    expect(nextLink('<https://a.okta.com/api/v1/users?after=00u2>; rel="next", <https://a.okta.com/api/v1/users>; rel="self"')).toBe('https://a.okta.com/api/v1/users?after=00u2');
    expect(nextLink('<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last"')).toBe('https://api.github.com/x?page=3');
    expect(nextLink('<https://api.github.com/x?page=9>; rel="last"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });

  it('agrees with a plain parse of any list of links (property)', () => {
    const rel = fc.constantFrom('next', 'prev', 'self', 'last', 'first');
    const url = fc.tuple(fc.constantFrom('https://corvidlabs.okta.com/api/v1/users', 'http://127.0.0.1:8080/x'), fc.stringMatching(/^[a-z0-9=&_-]{0,12}$/))
      .map(([path, query]) => (query ? `${path}?${query}` : path));
    fc.assert(fc.property(fc.array(fc.tuple(url, rel), { maxLength: 5 }), (links) => {
      const header = links.map(([u, r]) => `<${u}>; rel="${r}"`).join(', ');
      expect(nextLink(header)).toBe(links.find(([, r]) => r === 'next')?.[0]);
    }), { numRuns: 200 });
  });
});

describe('followLink', () => {
  const proxy = new URL('http://127.0.0.1:9/okta');
  const org = new URL('https://corvidlabs.okta.com');
  it('follows a link on the API, moves a link on the platform\'s own host onto --endpoint, and refuses any other host', () => {
    expect(followLink('http://127.0.0.1:9/okta/api/v1/users?after=00u2', 'http://127.0.0.1:9/okta/api/v1/users', proxy, org)).toBe('http://127.0.0.1:9/okta/api/v1/users?after=00u2');
    expect(followLink('https://corvidlabs.okta.com/api/v1/users?after=00u2', 'http://127.0.0.1:9/okta/api/v1/users', proxy, org)).toBe('http://127.0.0.1:9/okta/api/v1/users?after=00u2');
    expect(followLink('https://api.github.com/organizations/9919/repos?page=2', 'https://ghe.corvid.example/api/v3/orgs/corvid/repos', new URL('https://ghe.corvid.example/api/v3'), new URL('https://api.github.com')))
      .toBe('https://ghe.corvid.example/api/v3/organizations/9919/repos?page=2');
    expect(() => followLink('https://collector.evil.example/api/v1/users?after=00u2', 'http://127.0.0.1:9/okta/api/v1/users', proxy, org)).toThrow('the next page link leaves http://127.0.0.1:9');
    expect(() => followLink('https://corvidlabs.okta.com/x', 'http://127.0.0.1:9/okta/api/v1/users', proxy)).toThrow(MalformedResponse);
  });
});

describe('scrubResponse', () => {
  it('redacts secret-shaped values anywhere and every value of a secret-named field, and keeps identifiers', () => {
    const scrubbed = scrubResponse([{
      id: 'ocs2corvidBotNew0g7', client_secret: 'masked-but-dropped****', secret_hash: 'p7YcRn4eJq0Tt6Ua3Hb9Kg',
      notes: `ci token ${FAKE_GITHUB_TOKEN}`, credentials: { password: {}, token: '' },
    }]) as Record<string, unknown>[];
    expect(scrubbed[0]!.client_secret).toBe('[REDACTED:secret-field]');
    expect(scrubbed[0]!.secret_hash).toBe('p7YcRn4eJq0Tt6Ua3Hb9Kg');
    expect(scrubbed[0]!.id).toBe('ocs2corvidBotNew0g7');
    expect(String(scrubbed[0]!.notes)).not.toContain(FAKE_GITHUB_TOKEN);
    expect(scrubbed[0]!.credentials).toEqual({ password: {}, token: '' });
  });

  const SECRETS = [FAKE_GITHUB_TOKEN, FAKE_SLACK_BOT_TOKEN, FAKE_GITLAB_TOKEN, FAKE_STRIPE_KEY];
  /** JSON trees of short plain words: nothing in them is secret-shaped or secret-named. */
  const word = fc.stringMatching(/^[a-z ]{0,10}$/);
  const plain = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, word, fc.integer(), fc.boolean(), fc.constant(null), tie('list'), tie('object')),
    list: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(word.filter((k) => !isSecretFieldName(k)), tie('value'), { maxKeys: 4 }),
  })).value;

  it('writes any answer without a secret unchanged (property)', () => {
    fc.assert(fc.property(plain, (value) => { expect(scrubResponse(value)).toEqual(value); }), { numRuns: 200 });
  });

  it('keeps none of the secrets planted anywhere in an answer, as a value, inside text or as a key (property)', () => {
    const planted = fc.tuple(plain, fc.constantFrom(...SECRETS), fc.constantFrom('value', 'text', 'key'), fc.nat()).map(([tree, secret, how, at]) => {
      const wrap = (inner: unknown): unknown => (how === 'key' ? { [secret]: inner } : how === 'text' ? { note: `see ${secret} here`, inner } : { value: secret, inner });
      // Put the secret at the at-th object or list met, else around the whole tree.
      let seen = 0;
      let done = false;
      const walk = (node: unknown): unknown => {
        if (done || node === null || typeof node !== 'object') return node;
        if (seen++ === at % 7) { done = true; return Array.isArray(node) ? [...node, wrap(null)] : { ...node, planted: wrap(null) }; }
        return Array.isArray(node) ? node.map(walk) : Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
      };
      const result = walk(tree);
      return { tree: done ? result : wrap(tree), secret };
    });
    fc.assert(fc.property(planted, ({ tree, secret }) => {
      expect(JSON.stringify(tree)).toContain(secret);
      expect(JSON.stringify(scrubResponse(tree))).not.toContain(secret);
    }), { numRuns: 200 });
  });
});

