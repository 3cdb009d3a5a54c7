// Access control for `blastmap serve` beyond loopback: a shared token (header, or a cookie set by a one-time link),
// compared in constant time, and a per-client token-bucket rate limit that answers 429 before any work is done.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';

/** Cookie holding the token once the one-time `?token=` link was opened. */
export const TOKEN_COOKIE = 'blastmap_token';
/** Shortest token accepted: a guessable token would turn the rate limit into the only defence. */
export const MIN_TOKEN_LENGTH = 16;

/** Hashing both sides first gives equal-length buffers, so neither the length nor a prefix leaks through timing. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The token a request presents: `Authorization: Bearer <t>` first, then the cookie. */
export function presentedToken(c: Context): string | undefined {
  const authorization = c.req.header('authorization');
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  return bearer ?? cookieValue(c.req.header('cookie'), TOKEN_COOKIE);
}

/** `Set-Cookie` for the token: never readable by script, never sent cross-site, whole site. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

export interface RateLimitOptions {
  /** Requests a client may make at once (the bucket's size). */
  burst: number;
  /** Requests per second the bucket refills at. */
  perSecond: number;
  /** Clients remembered at most; the least recently seen are forgotten first (memory stays bounded). */
  maxClients?: number;
}

/** Generous enough for the UI (a search per keystroke, a radius per click), tight enough to stop token guessing. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 300, perSecond: 50, maxClients: 10_000 };

/** In-memory token buckets by client address. `take` answers 0 when allowed, else the seconds to wait. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly options: RateLimitOptions, private readonly now: () => number = () => Date.now()) {}

  take(client: string): number {
    const now = this.now();
    const { burst, perSecond } = this.options;
    const previous = this.buckets.get(client);
    let tokens = previous ? Math.min(burst, previous.tokens + ((now - previous.at) / 1000) * perSecond) : burst;
    // Re-inserting keeps the map in least-recently-seen order for eviction.
    if (previous) this.buckets.delete(client);
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.buckets.set(client, { tokens, at: now });
    const max = this.options.maxClients ?? DEFAULT_RATE_LIMIT.maxClients!;
    while (this.buckets.size > max) this.buckets.delete(this.buckets.keys().next().value as string);
    return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / perSecond));
  }

  get clients(): number {
    return this.buckets.size;
  }
}

/** The peer address from the Node adapter; in-process requests (tests) have none and share one bucket. */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
