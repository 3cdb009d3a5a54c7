// Reading the Workspace export files: tokens.list in both saved layouts (one file per user, or one map of
// user -> tokens), and the token activity report folded into first grant, revocation and last use per (user, app).
import type { InputIssue } from '../../engine/errors.ts';
import { jsonPath } from '../../engine/errors.ts';
import { fromZodIssues } from '../../engine/format/validate.ts';
import { parseJsonFile, type RawFile } from '../common/records.ts';
import { splitScopes } from '../common/scopes.ts';
import { tokenSchema, type ActivityParameter, type GoogleActivity, type GoogleToken } from './schema.ts';

export interface LocatedToken {
  userKey: string;
  token: GoogleToken;
  file: string;
  path: string;
}

export interface TokensRead {
  tokens: LocatedToken[];
  /** User keys whose token list was exported (even when empty): for them tokens.list is the current state. */
  covered: Set<string>;
  issues: InputIssue[];
  skipped: InputIssue[];
}

/** `tokens/<userKey>.json` names the user when the saved response does not. */
function userKeyFromPath(path: string): string | undefined {
  const match = /(?:^|\/)tokens\/([^/]+)\.json$/i.exec(path);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads one tokens file, whatever its layout:
 * - a tokens.list response `{kind: "admin#directory#tokenList", items: [...]}` (the user from `items[].userKey`
 *   or the file name `tokens/<userKey>.json`), or an array of such responses;
 * - a map `{ "<userKey>": [token, ...] }` (or `{ "<userKey>": {items: [...]} }`), as cartography saves it.
 */
export function readTokenFile(file: RawFile, lenient: boolean): TokensRead {
  const out: TokensRead = { tokens: [], covered: new Set(), issues: [], skipped: [] };
  const parsed = parseJsonFile(file);
  if (!parsed.ok) { out.issues.push(parsed.issue); return out; }
  const fromPath = userKeyFromPath(file.path);
  const take = (item: unknown, segments: (string | number)[], mapKey: string | undefined): void => {
    const result = tokenSchema.safeParse(item);
    if (!result.success) {
      const issues = fromZodIssues(result.error.issues, item, file.path, segments);
      (lenient ? out.skipped : out.issues).push(...issues);
      return;
    }
    const userKey = result.data.userKey ?? mapKey ?? fromPath;
    if (!userKey) {
      const issue = { file: file.path, path: jsonPath([...segments, 'userKey']), message: 'no user for this token', expected: 'a userKey on the token, a map key, or a file named tokens/<userKey>.json', found: 'nothing' };
      (lenient ? out.skipped : out.issues).push(issue);
      return;
    }
    out.covered.add(userKey.toLowerCase());
    out.tokens.push({ userKey, token: result.data, file: file.path, path: jsonPath(segments) });
  };
  const readList = (page: Record<string, unknown>, base: (string | number)[], mapKey: string | undefined): void => {
    if (mapKey ?? fromPath) out.covered.add((mapKey ?? fromPath)!.toLowerCase());
    const items = page.items;
    if (items === undefined) return;
    if (!Array.isArray(items)) {
      out.issues.push({ file: file.path, path: jsonPath([...base, 'items']), message: 'items is not a list', expected: 'an array of tokens', found: typeof items });
      return;
    }
    items.forEach((item, i) => take(item, [...base, 'items', i], mapKey));
  };
  const doc = parsed.value;
  const looksLikeList = (value: Record<string, unknown>): boolean => 'items' in value || value.kind === 'admin#directory#tokenList';
  if (Array.isArray(doc)) {
    doc.forEach((entry, i) => {
      if (isObject(entry) && looksLikeList(entry)) readList(entry, [i], undefined);
      else take(entry, [i], undefined);
    });
  } else if (isObject(doc) && looksLikeList(doc)) {
    readList(doc, [], undefined);
  } else if (isObject(doc)) {
    for (const [key, value] of Object.entries(doc)) {
      if (Array.isArray(value)) {
        out.covered.add(key.toLowerCase());
        value.forEach((item, i) => take(item, [key, i], key));
      } else if (isObject(value)) {
        readList(value, [key], key);
      } else {
        out.issues.push({ file: file.path, path: jsonPath([key]), message: 'not a token list', expected: 'an array of tokens or a tokens.list response', found: value === null ? 'null' : typeof value });
      }
    }
  } else {
    out.issues.push({ file: file.path, path: '$', message: 'no tokens found', expected: 'a tokens.list response, an array of them, or a map of user key to tokens', found: doc === null ? 'null' : typeof doc });
  }
  return out;
}

/** Everything the token activity report says about one (user, client) pair. */
export interface GrantHistory {
  email: string;
  clientId: string;
  appName?: string;
  firstAuthorizedAt?: string;
  lastAuthorizedAt?: string;
  authorizations: number;
  lastRevokedAt?: string;
  lastUsedAt?: string;
  /** Last time any event was seen for the pair: a lower bound on how long the grant lived. */
  lastSeenAt: string;
  scopes: Set<string>;
  apis: Set<string>;
  nativeApp?: boolean;
}

/** All string values of a parameter, whichever value key the API used. */
export function parameterValues(parameter: ActivityParameter): string[] {
  const values: string[] = [];
  if (parameter.value != null) values.push(parameter.value);
  if (parameter.intValue != null) values.push(String(parameter.intValue));
  if (parameter.boolValue != null) values.push(String(parameter.boolValue));
  for (const v of parameter.multiValue ?? []) values.push(v);
  for (const v of parameter.multiIntValue ?? []) values.push(String(v));
  return values;
}

type ActivityEvent = GoogleActivity['events'][number];

function firstValue(event: ActivityEvent, name: string): string | undefined {
  for (const parameter of event.parameters ?? []) if (parameter.name === name) return parameterValues(parameter)[0];
  return undefined;
}

/** Scopes of an authorize or revoke event: `scope` (a list) and `scope_data` (messages with `scope_name`). */
export function eventScopes(event: ActivityEvent): string[] {
  const scopes: string[] = [];
  for (const parameter of event.parameters ?? []) {
    if (parameter.name === 'scope') scopes.push(...splitScopes(parameterValues(parameter)));
    if (parameter.name === 'scope_data') {
      const messages = [...(parameter.multiMessageValue ?? []), ...(parameter.messageValue ? [parameter.messageValue] : [])];
      for (const message of messages) {
        for (const inner of message.parameter ?? []) if (inner.name === 'scope_name') scopes.push(...splitScopes(parameterValues(inner)));
      }
    }
  }
  return [...new Set(scopes)];
}

const later = (a: string | undefined, b: string): string => (a === undefined || b > a ? b : a);
const earlier = (a: string | undefined, b: string): string => (a === undefined || b < a ? b : a);

/**
 * Folds token activity into one history per (user email, client id). Activities without a user (an API key
 * caller) or without a client id are counted in `unattributed` and otherwise ignored.
 */
export function grantHistories(activities: readonly GoogleActivity[], emailOfProfile: (profileId: string) => string | undefined): { histories: Map<string, GrantHistory>; unattributed: number } {
  const histories = new Map<string, GrantHistory>();
  let unattributed = 0;
  for (const activity of activities) {
    const email = (activity.actor?.email ?? (activity.actor?.profileId ? emailOfProfile(activity.actor.profileId) : undefined))?.toLowerCase();
    const time = activity.id.time;
    for (const event of activity.events) {
      const clientId = firstValue(event, 'client_id');
      if (!email || !clientId) { unattributed++; continue; }
      const key = historyKey(email, clientId);
      const history = histories.get(key) ?? { email, clientId, authorizations: 0, lastSeenAt: time, scopes: new Set<string>(), apis: new Set<string>() };
      histories.set(key, history);
      history.lastSeenAt = later(history.lastSeenAt, time);
      const appName = firstValue(event, 'app_name');
      if (appName) history.appName = appName;
      const clientType = firstValue(event, 'client_type');
      if (clientType) history.nativeApp = clientType.startsWith('NATIVE_') || clientType === 'CONNECTED_DEVICE';
      if (event.name === 'authorize') {
        history.authorizations++;
        history.firstAuthorizedAt = earlier(history.firstAuthorizedAt, time);
        history.lastAuthorizedAt = later(history.lastAuthorizedAt, time);
        for (const scope of eventScopes(event)) history.scopes.add(scope);
      } else if (event.name === 'revoke') {
        history.lastRevokedAt = later(history.lastRevokedAt, time);
      } else if (event.name === 'activity') {
        history.lastUsedAt = later(history.lastUsedAt, time);
        const api = firstValue(event, 'api_name');
        if (api) history.apis.add(api);
      }
    }
  }
  return { histories, unattributed };
}

export const historyKey = (email: string, clientId: string): string => `${email.toLowerCase()}|${clientId}`;

/** True when the last word on the pair is a revocation (a later authorize re-grants). */
export function revokedLast(history: GrantHistory): boolean {
  return history.lastRevokedAt !== undefined && (history.lastAuthorizedAt === undefined || history.lastRevokedAt >= history.lastAuthorizedAt);
}
