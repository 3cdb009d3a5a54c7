// Okta System Log events to Observations. The actor is the credential when the log names one (an API token's id in
// transaction.detail.requestApiTokenId, an OAuth client's id when actor.type is PublicClientApp), else the user by
// id and login (docs/importers/logs/okta-system-log.md).
import type { NodeRef, Observation, ObservationCategory, ObservationOutcome } from '../../../engine/evidence/types.ts';
import type { FileRole } from '../../common/importer.ts';
import type { RawFile } from '../../common/records.ts';
import { epochMs, logSession, nodeRef } from '../log-files.ts';
import type { LogImportResult, LogImporterOptions } from '../types.ts';
import { logEventSchema, type LogEvent } from './schema.ts';

export const SOURCE = 'okta-system-log';
const PLATFORM = 'okta';

export const OKTA_LOG_FILES: readonly FileRole[] = [
  {
    role: 'system-log',
    pattern: /(^|\/)(system-?log|okta-?logs?|logs)[^/]*\.(json|ndjson|jsonl)$/,
    produce: 'GET https://{yourOktaDomain}/api/v1/logs?since=...&until=...&limit=1000 (follow the Link: rel="next" header; save each page or one event per line)',
    shape: { fields: ['uuid', 'published', 'eventType', 'actor'] },
  },
];

/**
 * eventType -> category, first match wins: exact names, then prefixes (ending in `.`). `persistence` for events that
 * create or widen access. Tested whole in test/importers/logs/okta-system-log.test.ts.
 */
export const OKTA_EVENT_CATEGORIES: readonly (readonly [string, ObservationCategory])[] = [
  ['user.lifecycle.create', 'persistence'],
  ['user.lifecycle.activate', 'persistence'],
  ['user.lifecycle.reactivate', 'persistence'],
  ['group.user_membership.add', 'persistence'],
  ['application.user_membership.add', 'persistence'],
  ['application.lifecycle.create', 'persistence'],
  ['app.oauth2.as.consent.grant', 'persistence'],
  ['app.oauth2.consent.grant', 'persistence'],
  ['app.oauth2.admin.consent.grant', 'persistence'],
  ['system.api_token.create', 'persistence'],
  ['user.account.privilege.grant', 'persistence'],
  ['group.privilege.grant', 'persistence'],
  ['user.mfa.factor.activate', 'persistence'],
  ['policy.lifecycle.create', 'persistence'],
  ['policy.lifecycle.update', 'persistence'],
  ['policy.rule.create', 'persistence'],
  ['policy.rule.update', 'persistence'],
  ['system.idp.lifecycle.create', 'persistence'],
  ['user.session.', 'auth'],
  ['user.authentication.', 'auth'],
  ['app.oauth2.as.token.', 'auth'],
  ['app.oauth2.token.', 'auth'],
  ['app.oauth2.', 'auth'],
  ['policy.evaluate_sign_on', 'auth'],
  ['system.', 'admin'],
  ['application.', 'admin'],
  ['group.', 'admin'],
  ['user.', 'admin'],
  ['policy.', 'admin'],
];

export function oktaCategory(eventType: string): ObservationCategory {
  for (const [key, category] of OKTA_EVENT_CATEGORIES) {
    if (key.endsWith('.') ? eventType.startsWith(key) : eventType === key) return category;
  }
  return 'other';
}

/** outcome.result: SUCCESS and ALLOW succeed, DENY is a policy's refusal, anything else (FAILURE, CHALLENGE ...) failed. */
export function oktaOutcome(result: string | null | undefined): ObservationOutcome {
  const value = (result ?? 'SUCCESS').toUpperCase();
  if (value === 'SUCCESS' || value === 'ALLOW') return 'success';
  if (value === 'DENY') return 'blocked';
  return 'failure';
}

const detailText = (detail: Record<string, unknown> | null | undefined, key: string): string | undefined => {
  const value = detail?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

function actorRef(event: LogEvent, tenant: string | undefined): NodeRef {
  const actor = event.actor;
  const token = detailText(event.transaction?.detail, 'requestApiTokenId');
  // A request made with an API token: the token acted (as its owner, whose id and login follow).
  if (token) return nodeRef(PLATFORM, tenant, [token, actor?.id, actor?.alternateId], actor?.displayName);
  return nodeRef(PLATFORM, tenant, [actor?.id, actor?.alternateId], actor?.displayName);
}

function targetRef(event: LogEvent, tenant: string | undefined): NodeRef | undefined {
  const target = (event.target ?? [])[0];
  if (!target) return undefined;
  return nodeRef(PLATFORM, tenant, [target.id, target.alternateId], target.displayName);
}

export function transformOktaLog(files: readonly RawFile[], options: LogImporterOptions): LogImportResult {
  const session = logSession(files, OKTA_LOG_FILES, options);
  const tenant = options.tenant;
  const observations: Observation[] = session.read('system-log', logEventSchema, ['events', 'value']).map(({ value: event }) => {
    if (event.actor?.type === 'PublicClientApp') session.note('events by OAuth clients (actor.type PublicClientApp)');
    if (detailText(event.transaction?.detail, 'requestApiTokenId')) session.note('events made with an API token (transaction.detail.requestApiTokenId)');
    const target = targetRef(event, tenant);
    return {
      at: epochMs(event.published),
      actor: actorRef(event, tenant),
      ...(target ? { target } : {}),
      action: event.eventType,
      family: event.eventType.split('.').slice(0, 2).join('.'),
      category: oktaCategory(event.eventType),
      outcome: oktaOutcome(event.outcome?.result),
      ...(event.client?.ipAddress ? { ip: event.client.ipAddress } : {}),
      ...(event.client?.userAgent?.rawUserAgent ? { userAgent: event.client.userAgent.rawUserAgent } : {}),
      source: SOURCE,
      ...(event.uuid ? { eventId: event.uuid } : {}),
    };
  });
  return session.finish(observations);
}
