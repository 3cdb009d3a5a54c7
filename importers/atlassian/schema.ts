// zod schemas of the Atlassian Admin API answers the Atlassian importer reads (API tokens, managed accounts),
// with Atlassian's own field names. Token values are never returned by these endpoints, so never read.
import { z } from 'zod';
import { tenantIdText } from '../common/bounds.ts';
import { apiInstant } from '../common/records.ts';

/** Atlassian date-times (ISO-8601, with or without fraction and offset) become UTC instants. */
export const atlassianInstant = apiInstant;

const text = z.string().nullish();

/** `GET /admin/api-access/v1/orgs/{orgId}/api-tokens` -> `data[]`: a managed account's API token. */
export const orgApiTokenSchema = z.object({
  id: z.string().min(1),
  label: text,
  status: text,
  createdAt: atlassianInstant.nullish(),
  expiresAt: atlassianInstant.nullish(),
  lastActiveAt: atlassianInstant.nullish(),
  // Org ids are UUIDs (36 characters); accepted up to 256. The org is the tenant, part of every node id the import makes.
  user: z.object({ id: z.string().min(1), orgId: tenantIdText.nullish(), name: text, email: text }),
});

/** `GET https://api.atlassian.com/users/{account_id}/manage/api-tokens` -> `[]`: one account's API tokens. */
export const userApiTokenSchema = z.object({
  id: z.string().min(1),
  label: text,
  createdAt: atlassianInstant.nullish(),
  lastAccess: atlassianInstant.nullish(),
  expiry: atlassianInstant.nullish(),
});

/** `GET /admin/v1/orgs/{orgId}/users` -> `data[]`: managed accounts and the product sites they can use. */
export const orgUserSchema = z.object({
  account_id: z.string().min(1),
  account_type: text,
  account_status: text,
  name: text,
  email: text,
  last_active: atlassianInstant.nullish(),
  product_access: z.array(z.object({ key: z.string().min(1), name: text, url: text, last_active: atlassianInstant.nullish() })).nullish(),
});

/**
 * A Forge app's `manifest.yml` (the file `forge deploy` reads): its app id (`ari:cloud:ecosystem::app/<uuid>`) and the
 * scopes it requests, `permissions.scopes`. Everything else (modules, egress, resources) is not read.
 */
export const forgeManifestSchema = z.object({
  app: z.object({ id: z.string().regex(/^ari:cloud:ecosystem::app\/[0-9a-f-]+$/i, { message: 'a Forge app id such as ari:cloud:ecosystem::app/<uuid>' }), name: text }),
  permissions: z.object({ scopes: z.array(z.string().min(1)).nullish() }).nullish(),
});

export type OrgApiToken = z.output<typeof orgApiTokenSchema>;
export type ForgeManifest = z.output<typeof forgeManifestSchema>;
export type UserApiToken = z.output<typeof userApiTokenSchema>;
export type OrgUser = z.output<typeof orgUserSchema>;
