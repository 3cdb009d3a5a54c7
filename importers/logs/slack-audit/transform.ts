// Slack audit log entries and integration log entries to Observations. The actor is the user (id, e-mail); the target
// the entity the action touched (an app, a user, a channel, a file, a workspace). Installing an app, widening its
// scopes, creating a user or a public file link, and raising a role are `persistence`; exports are `bulk`
// (docs/importers/logs/slack-audit.md).
import type { NodeRef, Observation, ObservationCategory, ObservationOutcome } from '../../../engine/evidence/types.ts';
import { integrationLogSchema } from '../../slack/schema.ts';
import type { FileRole } from '../../common/importer.ts';
import type { RawFile } from '../../common/records.ts';
import { epochMs, logSession, nodeRef } from '../log-files.ts';
import type { LogImportResult, LogImporterOptions } from '../types.ts';
import { auditEntrySchema, type AuditEntry } from './schema.ts';

export const SOURCE = 'slack-audit';
const PLATFORM = 'slack';

export const SLACK_AUDIT_FILES: readonly FileRole[] = [
  {
    role: 'auditLogs',
    pattern: /(^|\/)(audit[-_]?logs?|slack[-_]audit)[^/]*\.(json|ndjson|jsonl)$/,
    produce: 'curl -H "Authorization: Bearer $SLACK_ORG_OWNER_TOKEN" "https://api.slack.com/audit/v1/logs?oldest={unix}&limit=9999" > audit-logs.json (follow response_metadata.next_cursor)',
    shape: { envelope: ['entries'], fields: ['id', 'date_create', 'action', 'actor'] },
  },
  {
    role: 'integrationLogs',
    pattern: /(^|\/)(team[-_.])?integration[-_.]?logs[^/]*\.(json|ndjson|jsonl)$/,
    produce: 'curl -H "Authorization: Bearer $SLACK_TOKEN" "https://slack.com/api/team.integrationLogs?count=1000&page=1" > team-integration-logs.json',
    shape: { envelope: ['logs'], fields: ['change_type', 'date'] },
  },
];

/** Audit log action -> category. Tested whole; actions not listed are `other`. */
export const SLACK_ACTION_CATEGORIES: ReadonlyMap<string, ObservationCategory> = new Map([
  ['app_installed', 'persistence'],
  ['app_approved', 'persistence'],
  ['app_scopes_expanded', 'persistence'],
  ['app_resources_added', 'persistence'],
  ['app_resources_granted', 'persistence'],
  ['bot_token_upgraded', 'persistence'],
  ['org_app_workspace_added', 'persistence'],
  ['user_created', 'persistence'],
  ['guest_created', 'persistence'],
  ['role_change_to_admin', 'persistence'],
  ['role_change_to_owner', 'persistence'],
  ['file_public_link_created', 'persistence'],
  ['workflow_app_token_preference_updated', 'persistence'],
  ['user_login', 'auth'],
  ['user_logout', 'auth'],
  ['user_login_failed', 'auth'],
  ['user_session_invalidated', 'auth'],
  ['file_downloaded', 'read'],
  ['file_downloaded_blocked', 'read'],
  ['file_uploaded', 'write'],
  ['file_shared', 'write'],
  ['channel_created', 'write'],
  ['public_channel_created', 'write'],
  ['private_channel_created', 'write'],
  ['manual_export_started', 'bulk'],
  ['manual_export_completed', 'bulk'],
  ['scheduled_export_started', 'bulk'],
  ['scheduled_export_completed', 'bulk'],
  ['corporate_exports_approved', 'persistence'],
  ['corporate_exports_enabled', 'persistence'],
  ['app_uninstalled', 'admin'],
  ['app_restricted', 'admin'],
  ['app_removed_from_whitelist', 'admin'],
  ['user_deactivated', 'admin'],
  ['role_change_to_user', 'admin'],
  ['pref.', 'admin'],
]);

export function slackCategory(action: string): ObservationCategory {
  return SLACK_ACTION_CATEGORIES.get(action) ?? (action.startsWith('pref.') ? 'admin' : 'other');
}

export function slackOutcome(action: string): ObservationOutcome {
  if (/_blocked$/.test(action)) return 'blocked';
  return /_failed$/.test(action) ? 'failure' : 'success';
}

/** Integration log change_type -> category: an app added, enabled or widened is persistence; removed or disabled, admin. */
export const INTEGRATION_CHANGE_CATEGORIES: ReadonlyMap<string, ObservationCategory> = new Map([
  ['added', 'persistence'],
  ['enabled', 'persistence'],
  ['expanded', 'persistence'],
  ['updated', 'admin'],
  ['removed', 'admin'],
  ['disabled', 'admin'],
]);

function entityRef(entry: AuditEntry, tenant: string | undefined): NodeRef | undefined {
  const entity = entry.entity;
  if (!entity) return undefined;
  const object = entity.app ?? entity.user ?? entity.channel ?? entity.file ?? entity.usergroup ?? entity.workflow ?? entity.workspace ?? entity.enterprise;
  if (!object) return undefined;
  return nodeRef(PLATFORM, tenant, [object.id, object.email], object.name);
}

export function transformSlackAudit(files: readonly RawFile[], options: LogImporterOptions): LogImportResult {
  const session = logSession(files, SLACK_AUDIT_FILES, options);
  const observations: Observation[] = [];
  for (const record of session.read('auditLogs', auditEntrySchema, ['entries'])) {
    const { value: entry, file, path } = record;
    const location = entry.context?.location;
    const tenant = options.tenant ?? entry.actor.user?.team ?? (location?.type === 'workspace' || location?.type === 'enterprise' ? location.id : undefined) ?? undefined;
    const user = entry.actor.user;
    const actor = nodeRef(PLATFORM, tenant, [user?.id, user?.email], user?.name);
    if (actor.ids.length === 0) {
      session.problem({ file, path: `${path}.actor.user`, line: record.line, message: 'no actor', expected: 'actor.user.id or actor.user.email', found: 'neither' });
      continue;
    }
    const target = entityRef(entry, tenant);
    observations.push({
      at: epochMs(entry.date_create),
      actor,
      ...(target && target.ids.length > 0 ? { target } : {}),
      action: entry.action,
      family: entry.entity?.type ?? 'audit',
      category: slackCategory(entry.action),
      outcome: slackOutcome(entry.action),
      ...(entry.context?.ip_address ? { ip: entry.context.ip_address } : {}),
      ...(entry.context?.ua ? { userAgent: entry.context.ua } : {}),
      source: SOURCE,
      eventId: entry.id,
    });
  }
  for (const { value: log } of session.read('integrationLogs', integrationLogSchema, ['logs'])) {
    const change = (log.change_type ?? 'updated').toLowerCase();
    const app = log.app_id ? nodeRef(PLATFORM, options.tenant, [log.app_id], log.app_type) : nodeRef(PLATFORM, options.tenant, [log.service_id === null || log.service_id === undefined ? undefined : String(log.service_id)], log.service_type);
    observations.push({
      at: epochMs(log.date),
      actor: nodeRef(PLATFORM, options.tenant, [log.user_id], log.user_name),
      target: app,
      action: `integration ${change}`,
      family: 'integrations',
      category: INTEGRATION_CHANGE_CATEGORIES.get(change) ?? 'other',
      outcome: 'success',
      source: SOURCE,
      eventId: `integration:${log.date}:${log.app_id ?? log.service_id}:${change}:${log.user_id ?? ''}`,
    });
  }
  return session.finish(observations);
}
