// Entra sign-in events to Observations. A service principal's sign-in names the credential it used (beta:
// servicePrincipalCredentialKeyId), its appId and its object id; a user's names the user by object id and UPN. The
// outcome is `blocked` when Conditional Access refused the sign-in (docs/importers/logs/entra-signin.md).
import type { Observation, ObservationOutcome } from '../../../engine/evidence/types.ts';
import type { FileRole } from '../../common/importer.ts';
import type { RawFile } from '../../common/records.ts';
import { epochMs, logSession, nodeRef } from '../log-files.ts';
import type { LogImportResult, LogImporterOptions } from '../types.ts';
import { signInSchema, type SignIn } from './schema.ts';

export const SOURCE = 'entra-signin';
const PLATFORM = 'entra';

export const ENTRA_SIGNIN_FILES: readonly FileRole[] = [
  {
    role: 'signIns',
    pattern: /(^|\/)(sign-?ins|serviceprincipalsignins|signinlogs?)[^/]*\.(json|ndjson|jsonl)$/,
    produce: "GET https://graph.microsoft.com/v1.0/auditLogs/signIns (users); GET https://graph.microsoft.com/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal') (service principals); follow @odata.nextLink",
    shape: { envelope: ['value'], fields: ['createdDateTime', 'appId', 'ipAddress'], anyOf: ['status', 'conditionalAccessStatus', 'signInEventTypes'], marker: /signIns/i },
  },
];

/** Error codes that mean a policy refused the sign-in (not a wrong secret): Conditional Access and its kin. */
export const BLOCKED_ERROR_CODES: ReadonlySet<number> = new Set([
  53000, // device not compliant
  53001, // device not domain joined
  53002, // app not approved
  53003, // blocked by Conditional Access
  53004, // proof-up blocked
  530032, // blocked by security defaults / workload identity policy
  7000112, // application disabled
  700016, // application not found in the directory
]);

export function signInOutcome(event: SignIn): ObservationOutcome {
  const code = event.status?.errorCode ?? 0;
  if ((event.conditionalAccessStatus ?? '').toLowerCase() === 'failure' || BLOCKED_ERROR_CODES.has(code)) return 'blocked';
  return code === 0 ? 'success' : 'failure';
}

const isServicePrincipal = (event: SignIn): boolean => {
  const types = (event.signInEventTypes ?? []).map((t) => t.toLowerCase());
  if (types.includes('serviceprincipal') || types.includes('managedidentity')) return true;
  return !event.userId && Boolean(event.servicePrincipalId);
};

export function transformEntraSignIns(files: readonly RawFile[], options: LogImporterOptions): LogImportResult {
  const session = logSession(files, ENTRA_SIGNIN_FILES, options);
  const observations: Observation[] = session.read('signIns', signInSchema, ['value']).map(({ value: event }) => {
    const tenant = options.tenant ?? event.homeTenantId ?? event.resourceTenantId ?? undefined;
    const workload = isServicePrincipal(event);
    session.note(workload ? 'service principal sign-ins' : 'user sign-ins');
    const actor = workload
      ? nodeRef(PLATFORM, tenant, [event.servicePrincipalCredentialKeyId, event.appId, event.servicePrincipalId], event.servicePrincipalName ?? event.appDisplayName)
      : nodeRef(PLATFORM, tenant, [event.userId, event.userPrincipalName], event.userDisplayName);
    const target = nodeRef(PLATFORM, event.resourceTenantId ?? tenant, [event.resourceId], event.resourceDisplayName);
    const kind = workload ? (event.managedIdentityType && event.managedIdentityType !== 'none' ? 'managed identity' : 'service principal') : event.isInteractive === false ? 'non-interactive user' : 'user';
    return {
      at: epochMs(event.createdDateTime),
      actor,
      ...(target.ids.length > 0 ? { target } : {}),
      action: `${kind} sign-in${event.appDisplayName && !workload ? ` to ${event.appDisplayName}` : ''}`,
      family: event.resourceDisplayName || 'signIns',
      category: 'auth',
      outcome: signInOutcome(event),
      ...(event.ipAddress ? { ip: event.ipAddress } : {}),
      ...(event.userAgent ? { userAgent: event.userAgent } : {}),
      source: SOURCE,
      eventId: event.id,
    };
  });
  return session.finish(observations);
}
