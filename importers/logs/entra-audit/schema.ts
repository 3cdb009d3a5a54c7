// Microsoft Graph directory audit events (GET /auditLogs/directoryAudits, every category). Extends the approvals
// reader's schema (importers/entra/schema.ts, #23) with what evidence needs: the service that logged the event, the
// operation type, the initiating user's IP address, the app's service principal name, and additionalDetails (which
// carries the User-Agent).
import { z } from 'zod';
import { directoryAuditSchema } from '../../entra/schema.ts';

const text = z.string().nullish();

export const directoryAuditEventSchema = directoryAuditSchema.extend({
  loggedByService: text,
  operationType: text,
  resultReason: text,
  initiatedBy: z.object({
    user: z.object({ id: text, displayName: text, userPrincipalName: text, ipAddress: text }).nullish(),
    app: z.object({ appId: text, displayName: text, servicePrincipalId: text, servicePrincipalName: text }).nullish(),
  }).nullish(),
  targetResources: z.array(z.object({
    id: text,
    displayName: text,
    type: text,
    userPrincipalName: text,
    modifiedProperties: z.array(z.object({ displayName: text, oldValue: text, newValue: text })).nullish(),
  })).nullish(),
  additionalDetails: z.array(z.object({ key: text, value: text })).nullish(),
});
export type DirectoryAuditEvent = z.output<typeof directoryAuditEventSchema>;
