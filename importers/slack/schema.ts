// zod schemas of the Slack Web API responses the Slack importer reads, with Slack's own field names.
// Unknown fields are accepted and ignored; token values and webhook URLs are never part of these shapes.
import { z } from 'zod';
import { tenantIdText } from '../common/bounds.ts';

/** Slack timestamps: Unix seconds as a number (`date_updated`) or as a string (`date` in integration logs). */
export const unixSeconds = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, { message: 'Unix seconds' })])
  // Beyond ±8.64e12 s a Date is invalid and toISOString throws: a bad number is an input error, not a crash.
  .refine((value) => Math.abs(Number(value)) <= 8.64e12, { message: 'Unix seconds within the range of dates' })
  .transform((value) => new Date(Math.round(Number(value) * 1000)).toISOString());

const text = z.string().nullish();
/**
 * Team and enterprise ids (`T0FABRIK1`, `E0ABC1234`): Slack's are about ten characters; accepted up to 256. The bound
 * matters: the team id is the tenant, part of every node id the import makes.
 */
const teamId = tenantIdText.nullish();

/** `app` inside admin.apps.approved/restricted/requests lists. */
export const appSchema = z.object({
  id: z.string().min(1),
  name: text,
  description: text,
  is_internal: z.boolean().nullish(),
  is_app_directory_approved: z.boolean().nullish(),
  app_directory_url: text,
});

/** One scope of an app request or approval: `{name, description, is_sensitive, token_type}`. */
export const scopeSchema = z.object({
  name: z.string().min(1),
  description: text,
  is_sensitive: z.boolean().nullish(),
  token_type: text,
});

/** `admin.apps.approved.list` -> `approved_apps[]`, `admin.apps.restricted.list` -> `restricted_apps[]`. */
export const resolvedAppSchema = z.object({
  app: appSchema,
  scopes: z.array(scopeSchema).nullish(),
  date_updated: unixSeconds.nullish(),
  last_resolved_by: z.object({ actor_id: z.string().min(1), actor_type: text }).nullish(),
  enterprise_id: teamId,
  team_id: teamId,
});

/** `admin.apps.requests.list` -> `app_requests[]`. */
export const appRequestSchema = z.object({
  id: z.string().min(1),
  app: appSchema,
  user: z.object({ id: z.string().min(1), name: text, email: text }).nullish(),
  team: z.object({ id: tenantIdText.min(1), name: text, domain: text }).nullish(),
  scopes: z.array(scopeSchema).nullish(),
  message: text,
  date_created: unixSeconds.nullish(),
});

/**
 * `team.integrationLogs` -> `logs[]`: an app (`app_id`, `app_type`) or a legacy service (`service_id`,
 * `service_type`) added, removed, enabled, disabled or updated by `user_id` at `date`, with `scope`.
 */
export const integrationLogSchema = z
  .object({
    user_id: text,
    user_name: text,
    date: unixSeconds,
    change_type: text,
    app_id: text,
    app_type: text,
    service_id: z.union([z.number(), z.string()]).nullish(),
    service_type: text,
    scope: text,
    channel: text,
    reason: text,
  })
  .refine((log) => Boolean(log.app_id) || (log.service_id !== undefined && log.service_id !== null && log.service_id !== ''), { message: 'an app_id or a service_id', path: ['app_id'] });

/** `users.list` -> `members[]`; bots carry `is_bot` and the app they belong to in `profile.api_app_id`. */
export const memberSchema = z.object({
  id: z.string().min(1),
  team_id: teamId,
  name: text,
  real_name: text,
  deleted: z.boolean().nullish(),
  is_admin: z.boolean().nullish(),
  is_owner: z.boolean().nullish(),
  is_primary_owner: z.boolean().nullish(),
  is_restricted: z.boolean().nullish(),
  is_ultra_restricted: z.boolean().nullish(),
  is_bot: z.boolean().nullish(),
  profile: z.object({
    email: text,
    real_name: text,
    display_name: text,
    api_app_id: text,
    bot_id: text,
  }).nullish(),
});

/** `bots.info` -> `{bot}`: links a bot to its app and its bot user. */
export const botInfoSchema = z.object({
  bot: z.object({
    id: z.string().min(1),
    app_id: text,
    user_id: text,
    name: text,
    deleted: z.boolean().nullish(),
  }),
});

/** `team.info` -> `{team}`: names the workspace (and its Enterprise Grid org). */
export const teamInfoSchema = z.object({
  team: z.object({ id: tenantIdText.min(1), name: text, domain: text, enterprise_id: teamId, enterprise_name: text }),
});

/**
 * `usergroups.list?include_users=true` -> `usergroups[]`: a user group (`@handle`), its members (`users`), and the
 * channels it puts its members in (`prefs.channels`, `prefs.groups`). `date_delete` is set on disabled groups.
 */
export const usergroupSchema = z.object({
  id: z.string().min(1),
  team_id: teamId,
  name: text,
  handle: text,
  description: text,
  is_external: z.boolean().nullish(),
  auto_type: text,
  date_delete: z.number().nullish(),
  prefs: z.object({ channels: z.array(z.string()).nullish(), groups: z.array(z.string()).nullish() }).nullish(),
  users: z.array(z.string().min(1)).nullish(),
});

/** A credential named by its blastmap node id (`aws:1111:credential:...`) or by platform and key. */
export const credentialReferenceSchema = z.union([
  z.string().regex(/^[a-z0-9][a-z0-9._-]*:[^:]+:credential:.+$/i, { message: 'a credential node id such as aws:111122223333:credential:<native id>' }),
  z.object({ platform: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/), key: z.string().min(1), name: z.string().nullish() }),
]);

/**
 * `secret-findings.json` (blastmap's own shape, e.g. converted from a secret scanner's report): a credential
 * found in a channel. Only where it was found and which credential it is; never the secret itself.
 */
export const secretFindingSchema = z.object({
  channel: z.string().min(1),
  channel_name: text,
  is_private: z.boolean().nullish(),
  message_ts: text,
  detector: text,
  credential: credentialReferenceSchema,
});

export type SlackApp = z.output<typeof appSchema>;
export type SlackScope = z.output<typeof scopeSchema>;
export type ResolvedApp = z.output<typeof resolvedAppSchema>;
export type AppRequest = z.output<typeof appRequestSchema>;
export type IntegrationLog = z.output<typeof integrationLogSchema>;
export type Member = z.output<typeof memberSchema>;
export type Usergroup = z.output<typeof usergroupSchema>;
export type SecretFinding = z.output<typeof secretFindingSchema>;
export type CredentialReference = z.output<typeof credentialReferenceSchema>;
