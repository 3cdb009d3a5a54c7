// Approvals from Entra directory audit events (directoryAudits.json, optional): who consented to a delegated grant
// and when, what that consent covered, scopes added to a grant afterwards without a consent, and who assigned each
// application permission. Writes approvedBy / approvedAt / approvedScopes on grants (docs/importers/entra.md).
import type { FragmentBuilder } from '../common/builder.ts';
import type { FileRole } from '../common/importer.ts';
import { splitScopes } from '../common/scopes.ts';
import type { DirectoryAudit, OAuth2PermissionGrant } from './schema.ts';

export const ENTRA_AUDIT_FILE: FileRole = {
  role: 'directoryAudits',
  pattern: /(^|\/)directoryaudits[^/]*\.json$/,
  produce: "GET /auditLogs/directoryAudits?$filter=category eq 'ApplicationManagement' (optional: approvals of grants)",
  shape: { envelope: ['value'], fields: ['activityDisplayName', 'activityDateTime'], marker: /directoryAudit/i },
};

const lower = (text: string): string => text.toLowerCase();

/** A modifiedProperties value as Graph writes it: JSON text (`"\"Mail.Read\""`, `"[\"a\"]"`), or plain text. */
export function auditValue(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    return text.trim();
  }
  if (Array.isArray(value)) return value.map((item) => String(item)).join(' ').trim();
  return typeof value === 'string' ? value.trim() : String(value);
}

export interface ConsentEntry {
  grantId?: string;
  clientId: string;
  principalId?: string;
  resourceId: string;
  consentType: string;
  scopes: string[];
}

/**
 * The grants a "Consent to application" event wrote, from `ConsentAction.Permissions`:
 * `[] => [[Id: <grant id>, ClientId: <sp>, PrincipalId: <user or empty>, ResourceId: <sp>, ConsentType: ..., Scope: a b, CreatedDateTime: ...]]; `
 * (the part after `=>` is the new state; an empty Id is an app-only consent's).
 */
export function consentEntries(text: string): ConsentEntry[] {
  const after = text.includes('=>') ? text.slice(text.lastIndexOf('=>') + 2) : text;
  const entries: ConsentEntry[] = [];
  const pattern = /\[Id: ([^,\]]*), ClientId: ([^,\]]*), PrincipalId: ([^,\]]*), ResourceId: ([^,\]]*), ConsentType: ([^,\]]*), Scope: ([^,\]]*)/g;
  for (let match = pattern.exec(after); match; match = pattern.exec(after)) {
    const [, grantId, clientId, principalId, resourceId, consentType, scope] = match.map((part) => (part ?? '').trim());
    if (!clientId || !resourceId) continue;
    entries.push({
      ...(grantId ? { grantId } : {}), clientId: lower(clientId), ...(principalId ? { principalId: lower(principalId) } : {}),
      resourceId: lower(resourceId), consentType: consentType!, scopes: splitScopes(scope ?? ''),
    });
  }
  return entries;
}

export interface AuditContext {
  grants: readonly OAuth2PermissionGrant[];
  grantNode(grantId: string): string;
  spNode(spId: string): string;
  userNode(userId: string): string;
  note(text: string): void;
}

const properties = (event: DirectoryAudit): Map<string, { oldValue: string; newValue: string }> => {
  const out = new Map<string, { oldValue: string; newValue: string }>();
  for (const target of event.targetResources ?? []) {
    for (const property of target.modifiedProperties ?? []) {
      if (property.displayName && !out.has(property.displayName)) out.set(property.displayName, { oldValue: auditValue(property.oldValue), newValue: auditValue(property.newValue) });
    }
  }
  return out;
};

/** The approvals in the audit events, written on the grants the builder holds. Events of other kinds are ignored. */
export function applyEntraAudits(b: FragmentBuilder, audits: readonly DirectoryAudit[], ctx: AuditContext): void {
  const events = audits.filter((event) => event.result === undefined || event.result === null || lower(event.result) === 'success')
    .slice().sort((a, c) => (a.activityDateTime < c.activityDateTime ? -1 : a.activityDateTime > c.activityDateTime ? 1 : 0));
  const activity = (event: DirectoryAudit): string => lower(event.activityDisplayName);
  // A delegated-grant change written by a consent shares the consent's correlation id: it is that consent.
  const consentCorrelations = new Set(events.filter((event) => activity(event) === 'consent to application' && event.correlationId).map((event) => event.correlationId!));
  const byUser = (event: DirectoryAudit): string | undefined => (event.initiatedBy?.user?.id ? ctx.userNode(lower(event.initiatedBy.user.id)) : undefined);

  interface GrantHistory { consent?: { at: string; by?: string | undefined }; unapproved: Map<string, string> }
  const history = new Map<string, GrantHistory>();
  const historyOf = (grantId: string): GrantHistory => history.get(grantId) ?? history.set(grantId, { unapproved: new Map() }).get(grantId)!;
  const grantsFor = (clientId: string, resourceId: string, consentType?: string, principalId?: string): OAuth2PermissionGrant[] => ctx.grants.filter((grant) =>
    lower(grant.clientId) === clientId && lower(grant.resourceId) === resourceId
    && (consentType === undefined || grant.consentType === consentType)
    && (consentType !== 'Principal' || principalId === undefined || lower(grant.principalId ?? '') === principalId));

  for (const event of events) {
    const kind = activity(event);
    const props = properties(event);
    if (kind === 'consent to application') {
      for (const entry of consentEntries(props.get('ConsentAction.Permissions')?.newValue ?? '')) {
        const matched = entry.grantId !== undefined ? ctx.grants.filter((grant) => grant.id === entry.grantId) : [];
        for (const grant of matched.length > 0 ? matched : grantsFor(entry.clientId, entry.resourceId, entry.consentType, entry.principalId)) {
          const record = historyOf(grant.id);
          record.consent = { at: event.activityDateTime, by: byUser(event) };
          // A consent approves what it lists; scopes added before it without one are approved by it too.
          for (const scope of entry.scopes) record.unapproved.delete(scope);
          if (entry.scopes.length === 0) record.unapproved.clear();
        }
      }
    } else if (kind === 'add delegated permission grant' || kind === 'update delegated permission grant') {
      if (event.correlationId && consentCorrelations.has(event.correlationId)) continue;
      const scope = props.get('DelegatedPermissionGrant.Scope');
      const targets = event.targetResources ?? [];
      const resourceId = targets[0]?.id ? lower(targets[0].id) : undefined;
      const clientId = targets[1]?.id ? lower(targets[1].id) : undefined;
      if (!scope || !resourceId || !clientId) {
        ctx.note('delegated permission grant events without the scope, the API or the client: not read');
        continue;
      }
      const before = new Set(splitScopes(scope.oldValue));
      const added = splitScopes(scope.newValue).filter((s) => !before.has(s));
      const candidates = grantsFor(clientId, resourceId);
      const allUsers = candidates.filter((grant) => grant.consentType === 'AllPrincipals');
      for (const grant of allUsers.length > 0 ? allUsers : candidates) {
        const record = historyOf(grant.id);
        for (const s of added) record.unapproved.set(s, event.activityDateTime);
      }
    } else if (kind === 'add app role assignment to service principal') {
      const role = props.get('AppRole.Value')?.newValue;
      const client = props.get('ServicePrincipal.ObjectID')?.newValue;
      if (!role || !client) {
        ctx.note('app role assignment events without the role value or the service principal: not read');
        continue;
      }
      const from = ctx.spNode(lower(client));
      const user = byUser(event);
      const app = event.initiatedBy?.app?.servicePrincipalId ? ctx.spNode(lower(event.initiatedBy.app.servicePrincipalId)) : undefined;
      if (!user) ctx.note('application permissions assigned by an application, not a person: recorded as granted without approval');
      for (const edge of b.edges.values()) {
        if (edge.from !== from || !edge.grant?.startsWith('appRoleAssignment/') || !(edge.scopes ?? []).includes(role)) continue;
        edge.approvedAt = event.activityDateTime;
        const by = user ?? app;
        if (by !== undefined) edge.approvedBy = by;
        // Assigned by a person: that is the approval. By an application: no one approved it.
        edge.approvedScopes = user ? [role] : [];
      }
    }
  }

  for (const [grantId, record] of history) {
    const node = b.nodes.get(ctx.grantNode(grantId));
    if (!node) continue;
    const current = node.scopes ?? [];
    node.approvedScopes = current.filter((scope) => !record.unapproved.has(scope));
    if (record.consent) {
      node.approvedAt = record.consent.at;
      if (record.consent.by !== undefined) node.approvedBy = record.consent.by;
    }
    if (record.unapproved.size > 0) ctx.note('delegated grants with scopes added after their last consent without a new one (approvedScopes leaves them out)');
  }
}
