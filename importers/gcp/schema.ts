// zod schemas of the Google Cloud IAM objects the gcp importer reads (service accounts, their keys, IAM
// policies), with Google's field names. Private key material (`privateKeyData`) is never part of them.
import { z } from 'zod';
import { emailText, tenantIdText } from '../common/bounds.ts';
import { googleInstant } from '../google-workspace/schema.ts';

/** `projects.serviceAccounts.list` / `gcloud iam service-accounts list --format=json`, one account. */
/**
 * Project ids are 6 to 30 characters (a legacy domain-scoped one, `example.com:project`, a little longer): accepted up
 * to 256. Emails up to 320 characters, key names up to 1,024. The bound matters: the project is the tenant, part of
 * every node id the import makes, and it is read from these fields.
 */
const projectId = tenantIdText;
const email = emailText.regex(/^[^@\s]+@[^@\s]+$/, { message: 'an email address' });

export const serviceAccountSchema = z.object({
  name: z.string().nullish(),
  projectId: projectId.nullish(),
  uniqueId: z.string().min(1),
  email,
  displayName: z.string().nullish(),
  description: z.string().nullish(),
  oauth2ClientId: z.string().nullish(),
  disabled: z.boolean().nullish(),
});
export type ServiceAccount = z.output<typeof serviceAccountSchema>;

/** `projects.serviceAccounts.keys.list`, one key; `name` is `projects/{p}/serviceAccounts/{email}/keys/{keyId}`. */
export const serviceAccountKeySchema = z.object({
  name: z.string().max(1024).regex(/serviceAccounts\/[^/]+\/keys\/[^/]+$/, { message: 'projects/{project}/serviceAccounts/{email}/keys/{keyId}' }),
  keyType: z.string().min(1),
  keyOrigin: z.string().nullish(),
  keyAlgorithm: z.string().nullish(),
  validAfterTime: googleInstant.nullish(),
  validBeforeTime: googleInstant.nullish(),
  disabled: z.boolean().nullish(),
});
export type ServiceAccountKey = z.output<typeof serviceAccountKeySchema>;

/** One binding of `getIamPolicy` (`{version, etag, bindings: [...]}`). */
export const bindingSchema = z.object({
  role: z.string().min(1),
  members: z.array(z.string()),
  condition: z.object({ title: z.string().nullish(), description: z.string().nullish(), expression: z.string().nullish() }).nullish(),
});
export type Binding = z.output<typeof bindingSchema>;
