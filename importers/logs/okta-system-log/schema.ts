// Okta System Log (GET /api/v1/logs): one LogEvent, in Okta's field names. Extends the consent reader's schema
// (importers/okta/schema.ts, #23) with the fields evidence needs: the client's IP and user agent, the transaction
// (an API token's id when the request carried one), the debug data.
import { z } from 'zod';
import { oktaLogEventSchema } from '../../okta/schema.ts';

const text = z.string().nullish();

export const logEventSchema = oktaLogEventSchema.extend({
  displayMessage: text,
  severity: text,
  client: z.object({
    ipAddress: text,
    userAgent: z.object({ rawUserAgent: text, os: text, browser: text }).nullish(),
    zone: text,
    device: text,
    id: text,
  }).nullish(),
  transaction: z.object({ type: text, id: text, detail: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  authenticationContext: z.object({ credentialType: text, credentialProvider: text, externalSessionId: text }).nullish(),
  request: z.object({ ipChain: z.array(z.object({ ip: text })).nullish() }).nullish(),
});
export type LogEvent = z.output<typeof logEventSchema>;
