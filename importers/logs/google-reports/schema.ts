// Admin SDK Reports API activities.list (applications token, admin, drive, login): one activity, in Google's field
// names. Extends the token-activity reader's schema (importers/google-workspace/schema.ts, #23) with the actor's
// applicationInfo (the OAuth client that acted for the user), the IP address and the event type.
import { z } from 'zod';
import { activitySchema } from '../../google-workspace/schema.ts';

const text = z.string().nullish();

export const reportActivitySchema = activitySchema.extend({
  kind: text,
  etag: text,
  ipAddress: text,
  ownerDomain: text,
  actor: z.object({
    email: text,
    profileId: text,
    callerType: text,
    key: text,
    applicationInfo: z.object({ oauthClientId: text, applicationName: text, impersonation: z.boolean().nullish() }).nullish(),
  }).nullish(),
});
export type ReportActivity = z.output<typeof reportActivitySchema>;
