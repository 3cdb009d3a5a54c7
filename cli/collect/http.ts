// Retries, rate limits and paging links shared by every collector. A request is retried when the failure is
// transient (a 5xx, a network error) with exponential backoff, and waited out when rate limited (429, or GitHub's
// 403 with x-ratelimit-remaining: 0) for as long as the platform's headers say; anything else is final.
import type { HttpFailureShape } from './types.ts';

/** A non-2xx answer, carried as an error: the status, the headers that say how long to wait, and a short text. */
export class HttpFailure extends Error implements HttpFailureShape {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, headers: Readonly<Record<string, string>>, message: string) {
    super(message);
    this.name = 'HttpFailure';
    this.status = status;
    this.headers = headers;
  }
}

/** A response body that is not what the endpoint returns (not JSON, not a list): reported, never retried. */
export class MalformedResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponse';
  }
}

export interface RetryPolicy {
  /** Attempts for one request on transient failures (5xx, network), the first included. */
  attempts: number;
  /** The first backoff, in milliseconds; doubled on each further attempt, capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Rate-limit waits for one request before it counts as failed. */
  rateLimitWaits: number;
  /** The longest single rate-limit wait honoured, in milliseconds (a longer reset fails the request). */
  maxRateLimitWaitMs: number;
  /** One request, answer and body included, in milliseconds: a server that hangs counts as a network failure. */
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 30_000, rateLimitWaits: 10, maxRateLimitWaitMs: 15 * 60_000, requestTimeoutMs: 120_000 };

export function headerRecord(headers: Headers | Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, key) => { out[key.toLowerCase()] = value; });
    return out;
  }
  for (const [key, value] of Object.entries(headers)) if (value !== undefined && value !== null) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  return out;
}

/** How long a rate-limited answer asks to wait, in milliseconds; undefined when it is not rate limited. */
export function rateLimitWait(failure: HttpFailureShape, now = Date.now()): number | undefined {
  const headers = failure.headers;
  const exhausted = headers['x-ratelimit-remaining'] === '0' || headers['x-rate-limit-remaining'] === '0';
  // GitHub answers a spent primary or secondary limit with 403 (or 429) and these headers.
  const limited = failure.status === 429 || (failure.status === 403 && (exhausted || headers['retry-after'] !== undefined));
  if (!limited) return undefined;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  // Okta (x-rate-limit-reset) and GitHub (x-ratelimit-reset): epoch seconds; Okta advises measuring from its Date header.
  const reset = headers['x-rate-limit-reset'] ?? headers['x-ratelimit-reset'];
  if (reset !== undefined && Number.isFinite(Number(reset))) {
    const serverNow = headers.date !== undefined && Number.isFinite(Date.parse(headers.date)) ? Date.parse(headers.date) : now;
    return Math.max(0, Number(reset) * 1000 - serverNow) + 1000;
  }
  return 60_000;
}

export const isTransient = (failure: HttpFailureShape): boolean => failure.status >= 500 || failure.status === 408;

/** A network failure of fetch itself (connection refused or reset, DNS), as opposed to an HTTP answer. */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError') return false;
  if (error.name === 'TimeoutError') return true;
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  return error.name === 'TypeError' && /fetch failed/i.test(error.message)
    || (typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)$/.test(code));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(timer); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryHooks {
  /** Maps an SDK error to its HTTP status and headers. */
  failure?: (error: unknown) => HttpFailureShape | undefined;
  /** Called before each wait: what is waited for and how long (the summary and progress say it). */
  onWait?: (reason: 'rate-limit' | 'retry', ms: number, failure: HttpFailureShape | undefined) => void;
  signal?: AbortSignal;
  policy?: RetryPolicy;
}

export function asFailure(error: unknown, failure?: (error: unknown) => HttpFailureShape | undefined): HttpFailureShape | undefined {
  if (error instanceof HttpFailure) return error;
  return failure?.(error);
}

/** Runs `run` until it succeeds, retrying transient failures and waiting out rate limits; rethrows the last error. */
export async function withRetry<T>(run: () => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  const policy = hooks.policy ?? DEFAULT_RETRY;
  let transient = 0;
  let waits = 0;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if (hooks.signal?.aborted) throw error;
      const failure = asFailure(error, hooks.failure);
      const limitedFor = failure ? rateLimitWait(failure) : undefined;
      if (limitedFor !== undefined) {
        if (++waits > policy.rateLimitWaits || limitedFor > policy.maxRateLimitWaitMs) throw error;
        hooks.onWait?.('rate-limit', limitedFor, failure);
        await sleep(limitedFor, hooks.signal);
        continue;
      }
      if ((failure && isTransient(failure)) || (!failure && isNetworkError(error))) {
        if (++transient >= policy.attempts) throw error;
        const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (transient - 1)) * (0.75 + Math.random() * 0.5);
        hooks.onWait?.('retry', delay, failure);
        await sleep(delay, hooks.signal);
        continue;
      }
      throw error;
    }
  }
}

/** A short text for a failed answer: status, reason, and the platform's own error summary when it gives one. */
async function failureText(response: Response): Promise<string> {
  let detail = '';
  try {
    const text = await response.text();
    const body = JSON.parse(text) as Record<string, unknown>;
    const said = body.errorSummary ?? body.message ?? body.error_description ?? body.error ?? (Array.isArray(body) ? (body[0] as Record<string, unknown> | undefined)?.message : undefined);
    if (typeof said === 'string') detail = `: ${said.slice(0, 200)}`;
  } catch { /* not JSON: the status says enough */ }
  return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${detail}`;
}

/**
 * fetch with the retry behaviour: transient answers and rate limits are retried inside; the last answer is returned
 * whatever its status (as fetch does), so SDKs given it as their fetch see the platform's real error.
 */
export function retryingFetch(hooks: RetryHooks = {}): (url: string | URL, init?: RequestInit) => Promise<Response> {
  return async (url, init) => {
    let last: Response | undefined;
    try {
      return await withRetry(async () => {
        const timeout = AbortSignal.timeout((hooks.policy ?? DEFAULT_RETRY).requestTimeoutMs);
        const given = hooks.signal ?? init?.signal ?? undefined;
        const response = await fetch(url, { ...init, signal: given ? AbortSignal.any([given, timeout]) : timeout });
        const failure: HttpFailureShape = { status: response.status, headers: headerRecord(response.headers) };
        if (!response.ok && (isTransient(failure) || rateLimitWait(failure) !== undefined)) {
          last = response;
          // The body is read (and dropped) so the connection is released before the wait.
          await response.arrayBuffer().catch(() => undefined);
          throw new HttpFailure(failure.status, failure.headers, `HTTP ${response.status}`);
        }
        return response;
      }, hooks);
    } catch (error) {
      if (error instanceof HttpFailure && last) return new Response(null, { status: last.status, statusText: last.statusText, headers: last.headers });
      throw error;
    }
  };
}

/** The response's JSON, or an HttpFailure for a non-2xx answer, or MalformedResponse for a body that is not JSON. */
export async function jsonOf(response: Response, what: string): Promise<unknown> {
  if (!response.ok) throw new HttpFailure(response.status, headerRecord(response.headers), await failureText(response));
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedResponse(`${what}: the answer is not JSON (${(error as Error).message.slice(0, 120)})`);
  }
}

/** The `rel="next"` target of an RFC 8288 Link header (Okta, GitHub, Atlassian), or undefined. */
export function nextLink(link: string | null | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/**
 * The URL of a next-page link, kept where the credential may go: a link on the API's base (`base`) is followed as
 * it is; a link on the platform's own host (`home`, when `--endpoint` names a proxy or gateway in front of it) is
 * moved onto the base, path prefix included; a link anywhere else is refused.
 */
export function followLink(link: string, current: string, base: URL, home?: URL): string {
  const target = new URL(link, current);
  if (target.origin === base.origin) return target.href;
  if (home && target.origin === home.origin) {
    const homePath = home.pathname.replace(/\/$/, '');
    const rest = homePath && target.pathname.startsWith(homePath) ? target.pathname.slice(homePath.length) : target.pathname;
    return new URL(`${base.pathname.replace(/\/$/, '')}${rest}${target.search}`, base.origin).href;
  }
  throw new MalformedResponse(`the next page link leaves ${base.origin}`);
}
