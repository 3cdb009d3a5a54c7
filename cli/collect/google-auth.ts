// Credentials and error mapping shared by the Google collectors (google-workspace, gcp), which use Google's
// generated clients (@googleapis/admin, @googleapis/iam, @googleapis/cloudresourcemanager) on googleapis-common.
// Their own retries are off (`retry: false`): each call goes through the framework's request().
import { headerRecord, MalformedResponse } from './http.ts';
import type { CollectorContext, HttpFailureShape } from './types.ts';

/** googleapis-common's `auth` (AuthPlus), as each generated client package exports it. */
type AuthPlus = typeof import('@googleapis/admin').auth;
/** What googleapis-common accepts as `auth`: an OAuth2 client holding a token, or Application Default Credentials. */
export type GoogleAuthClient = InstanceType<AuthPlus['OAuth2']> | InstanceType<AuthPlus['GoogleAuth']>;

/**
 * GOOGLE_OAUTH_ACCESS_TOKEN as given (`gcloud auth print-access-token`), else Application Default Credentials
 * (GOOGLE_APPLICATION_CREDENTIALS, `gcloud auth application-default login`, the metadata server) with `scopes`,
 * acting as `subject` when given (a service account with domain-wide delegation impersonating an administrator).
 * `auth` is the AuthPlus of the client package the calls are made with.
 */
export function googleAuth(auth: AuthPlus, env: CollectorContext['env'], scopes: readonly string[], subject?: string): GoogleAuthClient {
  const token = env.GOOGLE_OAUTH_ACCESS_TOKEN?.trim();
  if (token) {
    const client = new auth.OAuth2();
    client.setCredentials({ access_token: token });
    return client;
  }
  return new auth.GoogleAuth({ scopes: [...scopes], ...(subject ? { clientOptions: { subject } } : {}) });
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';

/** A GaxiosError as status, headers and Google's own error text (`HTTP 403: PERMISSION_DENIED: ...`). */
export function googleFailure(error: unknown): HttpFailureShape | undefined {
  if (!isRecord(error)) return undefined;
  const response = isRecord(error.response) ? error.response : undefined;
  const status = typeof error.status === 'number' ? error.status : typeof response?.status === 'number' ? response.status : undefined;
  if (status === undefined) return undefined;
  const data = response && isRecord(response.data) && isRecord(response.data.error) ? response.data.error : undefined;
  const said = [typeof data?.status === 'string' ? data.status : '', typeof data?.message === 'string' ? data.message : String(error.message ?? '')].filter(Boolean).join(': ');
  return { status, headers: headerRecord(response?.headers as Headers | Record<string, unknown> | undefined), message: `HTTP ${status}: ${said.split('\n')[0]!.slice(0, 200)}` };
}

/** One generated-client call with the framework's retries; its `data` must be a JSON object (else a malformed page). */
export async function googleCall<T>(context: CollectorContext, what: string, call: () => Promise<{ data: T }>): Promise<T> {
  const once = async (): Promise<T> => {
    const { data } = await call();
    if (!isRecord(data) || Array.isArray(data)) throw new MalformedResponse(`${what}: the answer is not a JSON object${typeof data === 'string' ? ` (${JSON.stringify((data as string).slice(0, 40))}...)` : ''}`);
    return data;
  };
  return context.request ? context.request(once) : once();
}

/**
 * Every page of a Google list (`nextPageToken`), saved as <file>.json, <file>-2.json...; the pages are returned.
 * Google leaves an empty list out of its JSON: `list` names the list's field, written as `[]` when absent.
 */
export async function googlePages<T extends { nextPageToken?: string | null }>(context: CollectorContext, file: string, page: (pageToken: string | undefined) => Promise<{ data: T }>, first?: T, list?: string): Promise<T[]> {
  const pages: T[] = [];
  let token: string | undefined;
  for (let n = 1; ; n++) {
    const data = n === 1 && first ? first : await googleCall(context, `${file} page ${n}`, () => page(token));
    await context.save(n === 1 ? `${file}.json` : `${file}-${n}.json`, list && (data as Record<string, unknown>)[list] === undefined ? { ...data, [list]: [] } : data);
    pages.push(data);
    if (!data.nextPageToken) return pages;
    if (data.nextPageToken === token) throw new MalformedResponse(`${file} page ${n}: the same nextPageToken again`);
    token = data.nextPageToken;
  }
}
