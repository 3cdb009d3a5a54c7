// Microsoft Graph sign-in logs: GET /auditLogs/signIns (v1.0: user sign-ins) and the beta endpoint with a
// signInEventTypes filter (service principal, managed identity and non-interactive sign-ins), in Graph's field names.
import { z } from 'zod';
import { apiInstant } from '../../common/records.ts';

const text = z.string().nullish();

export const signInSchema = z.object({
  id: z.string().min(1),
  createdDateTime: apiInstant,
  userDisplayName: text,
  userPrincipalName: text,
  userId: text,
  appId: text,
  appDisplayName: text,
  ipAddress: text,
  clientAppUsed: text,
  userAgent: text,
  correlationId: text,
  conditionalAccessStatus: text,
  isInteractive: z.boolean().nullish(),
  resourceDisplayName: text,
  resourceId: text,
  resourceTenantId: text,
  homeTenantId: text,
  servicePrincipalId: text,
  servicePrincipalName: text,
  servicePrincipalCredentialKeyId: text,
  servicePrincipalCredentialThumbprint: text,
  managedIdentityType: text,
  signInEventTypes: z.array(z.string()).nullish(),
  status: z.object({ errorCode: z.number().nullish(), failureReason: text, additionalDetails: text }).nullish(),
});
export type SignIn = z.output<typeof signInSchema>;
