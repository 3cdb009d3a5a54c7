// `blastmap collect <platform>`: runs one collector against the platform's API and writes what it returns into
// <workspace>/exports/<source>/<tenant>/, the folder the importer reads. The framework owns everything but the
// endpoints: retries and rate limits (http.ts), per-endpoint partial failure, --resume (collect-state.json),
// bounded concurrency, progress, and the secret scrub of every response before it is written.
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { BlastmapError } from '../../engine/errors.ts';
import { isSecretFieldName, redactText, scrubInput } from '../../engine/secrets.ts';
import { EXPORTS_DIR } from '../workspace.ts';
import { asFailure, DEFAULT_RETRY, isNetworkError, MalformedResponse, retryingFetch, withRetry, type RetryPolicy } from './http.ts';
import type { Collector, CollectorContext, HttpFailureShape } from './types.ts';

/** The resume record of a workspace, at its root: per `<source>/<tenant>`, the endpoints done and failed. */
export const STATE_FILE = 'collect-state.json';

export interface CollectOptions {
  /** The workspace folder (exports/ is made inside it). */
  out: string;
  env: Readonly<Record<string, string | undefined>>;
  since?: Date;
  resume?: boolean;
  concurrency?: number;
  endpoint?: string;
  signal?: AbortSignal;
  policy?: RetryPolicy;
  /** Progress: a count starting and moving (a terminal shows a bar), and each wait with its reason. */
  progress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { kind: 'start'; name: string; total?: number }
  | { kind: 'tick'; name: string; done: number; total?: number }
  | { kind: 'wait'; text: string };

export interface EndpointFailure {
  endpoint: string;
  /** The permission, scope or role the endpoint needs, as the collector names it. */
  permission: string;
  status?: number;
  message: string;
}

export interface CollectSummary {
  platform: string;
  title: string;
  source: string;
  tenant: string;
  /** The export folder, relative to the workspace. */
  folder: string;
  ok: string[];
  failed: EndpointFailure[];
  /** Endpoints --resume found done and did not call again. */
  resumed: string[];
  /** Files written by this run. */
  files: number;
  rateLimitWaits: number;
  retries: number;
}

interface TenantState {
  platform: string;
  started: string;
  finished?: string;
  /** Endpoint name -> what it returned (the small projection a collector fans out from, scrubbed). */
  done: Record<string, unknown>;
  failed: Record<string, EndpointFailure>;
  /** Endpoint name -> the files it wrote (relative to the export folder): a run of it again removes them first. */
  files?: Record<string, string[]>;
}
interface StateFile { version: 1; collections: Record<string, TenantState> }

function readState(path: string): StateFile {
  if (!existsSync(path)) return { version: 1, collections: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as StateFile;
    if (parsed?.version === 1 && parsed.collections && typeof parsed.collections === 'object') return parsed;
  } catch { /* below */ }
  throw new BlastmapError('INVALID_INPUT', `${path} is not a collect-state file (delete it, or collect without --resume)`);
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * What is written: every secret-shaped string (and key) redacted by the importers' own input scrubber, and every
 * string under a property whose name says it is a secret (`client_secret`, `token`, `password`...) replaced,
 * whatever it looks like (a masked secret is still dropped).
 */
export function scrubResponse(body: unknown): unknown {
  const dropNamed = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(dropNamed);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = typeof item === 'string' && item !== '' && isSecretFieldName(key) ? '[REDACTED:secret-field]' : dropNamed(item);
    return out;
  };
  // Through JSON first: an SDK's Date (or any object with toJSON) is written as the API sent it, not as `{}`.
  const plain: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  return dropNamed(scrubInput(plain));
}

/** The heading of a platform's section in docs/collect.md, as a link anchor. */
const DOC_ANCHORS: Readonly<Record<string, string>> = { entra: 'microsoft-entra-id', gcp: 'google-cloud' };

/** A file name under the export folder, as the collector gives it: relative, no `..`, no absolute path. */
function safeRelative(path: string): string {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean.startsWith(`..${sep}`) || clean === '..' || clean.split(sep).includes('..') || clean === '.') {
    throw new BlastmapError('INVALID_OPTION', `a collector asked to write outside its export folder: ${redactText(path).text}`);
  }
  return clean;
}

const tenantFolderName = (tenant: string): string => {
  const name = tenant.trim().replace(/[/\\:]+/g, '_');
  if (name === '' || name === '.' || name === '..') throw new BlastmapError('INVALID_INPUT', `the tenant "${redactText(tenant).text}" cannot be a folder name`);
  return name;
};

/** A short, secret-free text for any error an endpoint ends with. */
function failureMessage(error: unknown, failure: HttpFailureShape | undefined): string {
  const text = failure?.message ?? (error instanceof Error ? error.message : String(error));
  const base = failure && !text.startsWith('HTTP') ? `HTTP ${failure.status}: ${text}` : text;
  return redactText(base.replace(/\s+/g, ' ').slice(0, 300)).text;
}

export async function runCollect(collector: Collector, options: CollectOptions): Promise<CollectSummary> {
  const signal = options.signal ?? new AbortController().signal;
  const policy = options.policy ?? DEFAULT_RETRY;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const endpointOverride = options.endpoint ?? options.env[`BLASTMAP_${collector.platform.toUpperCase().replace(/-/g, '_')}_ENDPOINT`];
  const missing = collector.credentials.filter((c) => c.required && !options.env[c.env]);
  if (missing.length > 0) {
    throw new BlastmapError('INVALID_OPTION', `collect ${collector.platform} needs ${missing.map((c) => `${c.env} (${c.description})`).join(', ')} in the environment (docs/collect.md#${DOC_ANCHORS[collector.platform] ?? collector.platform})`);
  }
  let rateLimitWaits = 0;
  let retries = 0;
  const progressLine = options.progress ?? (() => {});
  const onWait = (reason: 'rate-limit' | 'retry', ms: number, failure: HttpFailureShape | undefined): void => {
    if (reason === 'rate-limit') rateLimitWaits++; else retries++;
    progressLine({ kind: 'wait', text: `${collector.platform}: ${reason === 'rate-limit' ? `rate limited (HTTP ${failure?.status ?? 429})` : failure ? `HTTP ${failure.status}` : 'network error'}, retrying in ${(ms / 1000).toFixed(1)} s` });
  };
  const hooks = { failure: collector.failure?.bind(collector), onWait, signal, policy };
  const fetchWithRetry = retryingFetch(hooks);

  const statePath = join(options.out, STATE_FILE);
  const state = readState(statePath);
  const summary: CollectSummary = { platform: collector.platform, title: collector.title, source: collector.source, tenant: '', folder: '', ok: [], failed: [], resumed: [], files: 0, rateLimitWaits: 0, retries: 0 };
  let tenantState: TenantState | undefined;
  let folder = '';
  const persist = (): void => { writeAtomically(statePath, `${JSON.stringify(state, null, 2)}\n`); };

  const progressCounts = new Map<string, { done: number; total?: number }>();
  /** Which endpoint a save() belongs to, through the awaits of concurrent endpoints. */
  const current = new AsyncLocalStorage<string>();

  const context: CollectorContext = {
    ...(endpointOverride ? { baseUrl: endpointOverride.replace(/\/+$/, '') } : {}),
    env: options.env,
    ...(options.since ? { since: options.since } : {}),
    signal,
    async save(relativePath, body) {
      if (!folder) throw new BlastmapError('INVALID_OPTION', `collector ${collector.platform} saved a file before its tenant was known`);
      const relative = safeRelative(relativePath);
      writeAtomically(join(options.out, folder, relative), `${JSON.stringify(scrubResponse(body), null, 2)}\n`);
      summary.files++;
      const owner = current.getStore();
      if (owner !== undefined) ((tenantState!.files ??= {})[owner] ??= []).push(relative);
    },
    async endpoint<T>(name: string, permission: string, run: () => Promise<T>): Promise<T | undefined> {
      const record = tenantState!;
      if (options.resume && Object.hasOwn(record.done, name)) {
        summary.resumed.push(name);
        return (record.done[name] ?? undefined) as T | undefined;
      }
      // What this endpoint wrote in an interrupted or failed run (a page 3 it may not have now) goes first.
      for (const file of record.files?.[name] ?? []) rmSync(join(options.out, folder, safeRelative(file)), { force: true });
      if (record.files) delete record.files[name];
      try {
        const value = await current.run(name, run);
        record.done[name] = value === undefined ? null : scrubInput(value);
        delete record.failed[name];
        summary.ok.push(name);
        persist();
        return value;
      } catch (error) {
        if (signal.aborted) throw error;
        const failure = asFailure(error, hooks.failure);
        const denied = failure && (failure.status === 401 || failure.status === 403);
        const entry: EndpointFailure = {
          endpoint: name,
          permission,
          ...(failure ? { status: failure.status } : {}),
          message: denied ? `${failureMessage(error, failure)} (needs ${permission})`
            : error instanceof MalformedResponse || failure || isNetworkError(error) ? failureMessage(error, failure)
            : `unexpected error: ${failureMessage(error, undefined)}`,
        };
        record.failed[name] = entry;
        summary.failed.push(entry);
        persist();
        return undefined;
      }
    },
    async map<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
      const results = new Array<R>(items.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < items.length) {
          const index = next++;
          results[index] = await run(items[index]!);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
      return results;
    },
    progress: {
      start(name, total) {
        progressCounts.set(name, { done: 0, ...(total !== undefined ? { total } : {}) });
        progressLine({ kind: 'start', name, ...(total !== undefined ? { total } : {}) });
      },
      tick(name, n = 1) {
        const count = progressCounts.get(name) ?? { done: 0 };
        count.done += n;
        progressCounts.set(name, count);
        progressLine({ kind: 'tick', name, done: count.done, ...(count.total !== undefined ? { total: count.total } : {}) });
      },
    },
    fetch: (url, init) => fetchWithRetry(url, init),
    request: (run) => withRetry(run, hooks),
  };

  const tenant = await withRetry(() => collector.tenant(context), hooks);
  const folderName = tenantFolderName(tenant);
  folder = join(EXPORTS_DIR, collector.source, folderName);
  summary.tenant = tenant;
  summary.folder = folder;
  const key = `${collector.source}/${folderName}`;
  const exportPath = join(options.out, folder);
  const previous = state.collections[key];
  if (!options.resume || !previous) {
    if (existsSync(exportPath) && readdirSync(exportPath).length > 0) {
      // Pages of an earlier run would be read with the new ones (users-3.json from when there were 3 pages).
      if (!previous) throw new BlastmapError('IO', `${exportPath} already holds files that blastmap collect did not write: move them, or collect into another workspace (--out)`);
      rmSync(exportPath, { recursive: true, force: true });
    }
    state.collections[key] = { platform: collector.platform, started: new Date().toISOString(), done: {}, failed: {} };
  }
  tenantState = state.collections[key]!;
  delete tenantState.finished;
  tenantState.failed = {};
  mkdirSync(exportPath, { recursive: true });
  persist();

  await collector.collect(context);

  tenantState.finished = new Date().toISOString();
  persist();
  summary.rateLimitWaits = rateLimitWaits;
  summary.retries = retries;
  return summary;
}

/** Something useful was collected: at least one endpoint answered, in this run or a resumed one. */
export const collectedAnything = (summary: CollectSummary): boolean => summary.ok.length + summary.resumed.length > 0;
