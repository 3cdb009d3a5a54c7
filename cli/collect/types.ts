// The contract between `blastmap collect` (cli/collect/run.ts) and one platform's collector (cli/collect/<platform>.ts).
// A collector calls the endpoints its importer's page documents and saves the responses under the names the
// importer reads; the framework does the rest (retries, rate limits, partial failures, resume, progress, files).

/** An HTTP failure as the framework judges it: its status and response headers (Retry-After, rate-limit resets). */
export interface HttpFailureShape {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** A short description for the summary (never a credential, never a whole response body). */
  message?: string;
}

export interface CollectorContext {
  /**
   * Base URL override for tests (`--endpoint <url>` / BLASTMAP_<PLATFORM>_ENDPOINT); SDKs get it via their documented base-URL option.
   * Named `baseUrl`, not `endpoint` as first drafted: `endpoint` is the method below, and TypeScript cannot have both.
   */
  baseUrl?: string;
  /** Credentials and settings read from the environment (never from argv values echoed anywhere). */
  env: Readonly<Record<string, string | undefined>>;
  since?: Date;
  /** Write one response file, relative to exports/<source>/<tenant>/, exactly as the importer reads it (pages as <name>.json, <name>-2.json, or merged, whichever the importer doc says). Secret values are dropped before writing (see below). */
  save(relativePath: string, body: unknown): Promise<void>;
  /** Run one endpoint: retries transient errors (5xx, network) with backoff, waits out 429 (Retry-After, x-rate-limit-reset, x-ratelimit-reset), records a 403/401 as a partial failure naming `permission`, and continues; skipped when --resume finds it done. */
  endpoint<T>(name: string, permission: string, run: () => Promise<T>): Promise<T | undefined>;
  /** Bounded concurrency for fan-out (per-user, per-group calls). */
  map<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]>;
  progress: { start(name: string, total?: number): void; tick(name: string, n?: number): void };
  /** A fetch with the same retry/rate-limit behaviour, for platforms without a fitting SDK. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  signal: AbortSignal;
  /**
   * One SDK call with the retry/rate-limit behaviour of `fetch`: the error it throws is judged by the collector's
   * `failure` (or is an HttpFailure), retried when transient, waited out when rate limited, else rethrown.
   * Wrap each page call in it, so a failed page 5 does not fetch pages 1 to 4 again.
   */
  request?<T>(run: () => Promise<T>): Promise<T>;
}

export interface Collector {
  platform: string;          // collect <platform>
  source: string;            // importer source name: exports/<source>/<tenant>/
  title: string;
  /** Environment variables read, and what each is (docs/collect.md lists them). */
  credentials: readonly { env: string; description: string; required: boolean }[];
  /** The tenant folder name (org host, tenant id, domain, account id...), from env or the API. */
  tenant(context: CollectorContext): Promise<string>;
  collect(context: CollectorContext): Promise<void>;
  /** Maps an error thrown by the platform's SDK to the HTTP status and headers it carried (undefined: not an HTTP failure). */
  failure?(error: unknown): HttpFailureShape | undefined;
}
