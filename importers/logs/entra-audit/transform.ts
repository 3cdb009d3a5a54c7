// Entra directory audit events to Observations: who (initiatedBy.app or initiatedBy.user) did what
// (activityDisplayName) to which object (the first target resource). Activities that create or widen access, new
// service principals, credentials, consents, role assignments, members and users, are `persistence`
// (docs/importers/logs/entra-audit.md).
import type { Observation, ObservationCategory } from '../../../engine/evidence/types.ts';
import { ENTRA_AUDIT_FILE } from '../../entra/audit.ts';
import type { FileRole } from '../../common/importer.ts';
import type { RawFile } from '../../common/records.ts';
import { epochMs, logSession, nodeRef } from '../log-files.ts';
import type { LogImportResult, LogImporterOptions } from '../types.ts';
import { directoryAuditEventSchema, type DirectoryAuditEvent } from './schema.ts';

export const SOURCE = 'entra-audit';
const PLATFORM = 'entra';

export const ENTRA_AUDIT_LOG_FILES: readonly FileRole[] = [
  {
    ...ENTRA_AUDIT_FILE,
    pattern: /(^|\/)(directory-?audits?|audit-?logs?)[^/]*\.(json|ndjson|jsonl)$/,
    produce: 'GET https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge {start} (every category; follow @odata.nextLink)',
  },
];

/**
 * activityDisplayName -> category (exact, case-insensitive). Activities not listed fall back by their category:
 * the directory's management categories are `admin`, the rest `other`. Tested whole.
 */
export const ENTRA_ACTIVITY_CATEGORIES: ReadonlyMap<string, ObservationCategory> = new Map([
  ['add service principal', 'persistence'],
  ['add service principal credentials', 'persistence'],
  ['update application – certificates and secrets management', 'persistence'],
  ['add application', 'persistence'],
  ['add owner to application', 'persistence'],
  ['add owner to service principal', 'persistence'],
  ['consent to application', 'persistence'],
  ['add delegated permission grant', 'persistence'],
  ['update delegated permission grant', 'persistence'],
  ['add app role assignment to service principal', 'persistence'],
  ['add app role assignment grant to user', 'persistence'],
  ['add member to group', 'persistence'],
  ['add owner to group', 'persistence'],
  ['add member to role', 'persistence'],
  ['add eligible member to role', 'persistence'],
  ['add scoped member to role', 'persistence'],
  ['add user', 'persistence'],
  ['invite external user', 'persistence'],
  ['add policy', 'persistence'],
  ['update policy', 'persistence'],
  ['add conditional access policy', 'persistence'],
  ['update conditional access policy', 'persistence'],
  ['set federation settings on domain', 'persistence'],
  ['set domain authentication', 'persistence'],
  ['add partner to company', 'persistence'],
  ['reset user password', 'admin'],
  ['update user', 'admin'],
  ['delete user', 'admin'],
  ['remove member from group', 'admin'],
  ['remove service principal credentials', 'admin'],
  ['remove delegated permission grant', 'admin'],
]);

const ADMIN_CATEGORIES = new Set(['applicationmanagement', 'usermanagement', 'groupmanagement', 'rolemanagement', 'policy', 'directorymanagement', 'devicemanagement', 'authorization']);

export function entraAuditCategory(activity: string, category: string | null | undefined): ObservationCategory {
  const known = ENTRA_ACTIVITY_CATEGORIES.get(activity.trim().toLowerCase());
  if (known) return known;
  return ADMIN_CATEGORIES.has((category ?? '').toLowerCase()) ? 'admin' : 'other';
}

const userAgentOf = (event: DirectoryAuditEvent): string | undefined =>
  (event.additionalDetails ?? []).find((d) => (d.key ?? '').toLowerCase() === 'user-agent')?.value ?? undefined;

export function transformEntraAudits(files: readonly RawFile[], options: LogImporterOptions): LogImportResult {
  const session = logSession(files, ENTRA_AUDIT_LOG_FILES, options);
  const tenant = options.tenant;
  const observations: Observation[] = [];
  for (const record of session.read('directoryAudits', directoryAuditEventSchema, ['value'])) {
    const { value: event, file, path } = record;
    const app = event.initiatedBy?.app;
    const user = event.initiatedBy?.user;
    const actor = app && (app.appId || app.servicePrincipalId)
      ? nodeRef(PLATFORM, tenant, [app.appId, app.servicePrincipalId], app.displayName ?? app.servicePrincipalName)
      : nodeRef(PLATFORM, tenant, [user?.id, user?.userPrincipalName], user?.displayName);
    if (actor.ids.length === 0) {
      session.problem({ file, path: `${path}.initiatedBy`, line: record.line, message: 'no initiator', expected: 'initiatedBy.app (appId) or initiatedBy.user (id)', found: 'neither' });
      continue;
    }
    const first = (event.targetResources ?? [])[0];
    const target = first ? nodeRef(PLATFORM, tenant, [first.id, first.userPrincipalName], first.displayName) : undefined;
    const result = (event.result ?? 'success').toLowerCase();
    const userAgent = userAgentOf(event);
    observations.push({
      at: epochMs(event.activityDateTime),
      actor,
      ...(target && target.ids.length > 0 ? { target } : {}),
      action: event.activityDisplayName,
      family: event.category || event.loggedByService || 'directory',
      category: entraAuditCategory(event.activityDisplayName, event.category),
      outcome: result === 'success' ? 'success' : 'failure',
      ...(user?.ipAddress ? { ip: user.ipAddress } : {}),
      ...(userAgent ? { userAgent } : {}),
      source: SOURCE,
      ...(event.id ? { eventId: event.id } : {}),
    });
  }
  return session.finish(observations);
}
