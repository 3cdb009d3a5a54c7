// Google Workspace Reports API activities to Observations, one per event of an activity. The actor is the OAuth
// client when the event names one (token events' client_id, actor.applicationInfo.oauthClientId), else the user by
// profile id and e-mail (docs/importers/logs/google-reports.md).
import type { NodeRef, Observation, ObservationCategory } from '../../../engine/evidence/types.ts';
import type { ActivityParameter } from '../../google-workspace/schema.ts';
import type { FileRole } from '../../common/importer.ts';
import type { RawFile } from '../../common/records.ts';
import { epochMs, logSession, nodeRef } from '../log-files.ts';
import type { LogImportResult, LogImporterOptions } from '../types.ts';
import { reportActivitySchema, type ReportActivity } from './schema.ts';

export const SOURCE = 'google-reports';
const PLATFORM = 'google-workspace';
const API = 'https://admin.googleapis.com/admin/reports/v1/activity/users/all/applications';

export const GOOGLE_REPORT_FILES: readonly FileRole[] = [
  {
    role: 'activities',
    pattern: /(^|\/)((token|admin|drive|login)[-_]?(activit(y|ies))?|activit(y|ies)|reports?)[^/]*\.(json|ndjson|jsonl)$/,
    produce: `GET ${API}/{token|admin|drive|login}?startTime=...&maxResults=1000 (follow nextPageToken)`,
    shape: { envelope: ['items'], fields: ['id.time', 'events'] },
  },
];

/**
 * `<application>:<event name>` -> category (event names lower-cased), then `<application>:*` for the rest of an
 * application. Tested whole.
 */
export const GOOGLE_EVENT_CATEGORIES: ReadonlyMap<string, ObservationCategory> = new Map([
  ['token:authorize', 'persistence'],
  ['token:revoke', 'admin'],
  ['token:activity', 'read'],
  ['token:request', 'auth'],
  ['token:*', 'other'],
  ['admin:create_user', 'persistence'],
  ['admin:assign_role', 'persistence'],
  ['admin:grant_admin_privilege', 'persistence'],
  ['admin:create_role', 'persistence'],
  ['admin:add_privilege', 'persistence'],
  ['admin:add_group_member', 'persistence'],
  ['admin:authorize_api_client_access', 'persistence'],
  ['admin:add_to_trusted_oauth2_apps', 'persistence'],
  ['admin:change_application_setting', 'admin'],
  ['admin:*', 'admin'],
  ['drive:change_user_access', 'persistence'],
  ['drive:change_document_visibility', 'persistence'],
  ['drive:change_document_access_scope', 'persistence'],
  ['drive:change_acl_editors', 'persistence'],
  ['drive:download', 'read'],
  ['drive:view', 'read'],
  ['drive:print', 'read'],
  ['drive:copy', 'read'],
  ['drive:create', 'write'],
  ['drive:upload', 'write'],
  ['drive:edit', 'write'],
  ['drive:delete', 'write'],
  ['drive:trash', 'write'],
  ['drive:*', 'other'],
  ['login:2sv_enroll', 'persistence'],
  ['login:recovery_email_edit', 'persistence'],
  ['login:recovery_phone_edit', 'persistence'],
  ['login:*', 'auth'],
]);

export function googleCategory(application: string, event: string): ObservationCategory {
  const app = application.toLowerCase();
  return GOOGLE_EVENT_CATEGORIES.get(`${app}:${event.toLowerCase()}`) ?? GOOGLE_EVENT_CATEGORIES.get(`${app}:*`) ?? 'other';
}

const parameter = (parameters: readonly ActivityParameter[] | null | undefined, name: string): string | undefined => {
  const found = (parameters ?? []).find((p) => p.name === name);
  if (!found) return undefined;
  if (found.value) return found.value;
  if (found.intValue !== undefined && found.intValue !== null) return String(found.intValue);
  if (found.multiValue && found.multiValue.length > 0) return found.multiValue.join(' ');
  return undefined;
};

/** The Workspace a log line belongs to: the option, else the actor's e-mail domain, else the customer id. */
const tenantOf = (activity: ReportActivity, options: LogImporterOptions): string | undefined =>
  options.tenant ?? (activity.actor?.email?.includes('@') ? activity.actor.email.split('@')[1]!.toLowerCase() : activity.ownerDomain ?? activity.id.customerId ?? undefined);

export function transformGoogleReports(files: readonly RawFile[], options: LogImporterOptions): LogImportResult {
  const session = logSession(files, GOOGLE_REPORT_FILES, options);
  const observations: Observation[] = [];
  for (const { value: activity, file, path } of session.read('activities', reportActivitySchema, ['items'])) {
    const application = (activity.id.applicationName ?? (/(token|admin|drive|login)/.exec(file.toLowerCase())?.[1] ?? 'unknown')).toLowerCase();
    const tenant = tenantOf(activity, options);
    const user = nodeRef(PLATFORM, tenant, [activity.actor?.profileId, activity.actor?.email], activity.actor?.email);
    activity.events.forEach((event, k) => {
      const clientId = parameter(event.parameters, 'client_id') ?? activity.actor?.applicationInfo?.oauthClientId ?? undefined;
      const appName = parameter(event.parameters, 'app_name') ?? activity.actor?.applicationInfo?.applicationName ?? undefined;
      // An app acting with a user's grant: the client id first, then the user whose grant it is.
      const actor: NodeRef = clientId ? nodeRef(PLATFORM, tenant, [clientId, activity.actor?.email], appName) : user;
      if (actor.ids.length === 0) {
        session.problem({ file, path: `${path}.actor`, message: 'no actor', expected: 'actor.email or actor.profileId, or a client_id parameter', found: 'neither' });
        return;
      }
      const target = targetOf(application, event.parameters, tenant, clientId ? user : undefined);
      const api = parameter(event.parameters, 'api_name');
      observations.push({
        at: epochMs(activity.id.time),
        actor,
        ...(target && target.ids.length > 0 ? { target } : {}),
        action: event.name,
        family: api ? `${application}.${api}` : application,
        category: googleCategory(application, event.name),
        outcome: application === 'login' && /failure|suspicious/i.test(event.name) ? 'failure' : 'success',
        ...(activity.ipAddress ? { ip: activity.ipAddress } : {}),
        source: SOURCE,
        // uniqueQualifier tells apart activities of the same time (Google's definition), so the time is part of the id.
        eventId: `${activity.id.time}:${activity.id.uniqueQualifier ?? ''}:${k}`,
      });
    });
  }
  return session.finish(observations);
}

/** What an event acted on: the document, the user an admin changed, or the user whose grant an app used. */
function targetOf(application: string, parameters: readonly ActivityParameter[] | null | undefined, tenant: string | undefined, grantOwner: NodeRef | undefined): NodeRef | undefined {
  if (application === 'drive') {
    const doc = parameter(parameters, 'doc_id');
    return doc ? nodeRef(PLATFORM, tenant, [doc], parameter(parameters, 'doc_title')) : undefined;
  }
  if (application === 'admin') {
    const email = parameter(parameters, 'USER_EMAIL') ?? parameter(parameters, 'GROUP_EMAIL');
    const client = parameter(parameters, 'API_CLIENT_NAME') ?? parameter(parameters, 'OAUTH2_APP_ID');
    return email ? nodeRef(PLATFORM, tenant, [email], email) : client ? nodeRef(PLATFORM, tenant, [client]) : undefined;
  }
  return grantOwner;
}
