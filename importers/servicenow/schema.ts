// zod schemas of ServiceNow Table API answers (`GET /api/now/table/<table>` -> `{"result": [...]}`) the ServiceNow
// importer reads, with the tables' own column names. Password and token columns (oauth_entity.client_secret,
// oauth_credential.token, credential records' password fields) are never read.
import { z } from 'zod';
import { calendarInstant } from '../../engine/format/dates.ts';

/**
 * ServiceNow date-times: `2025-03-14 09:12:44` (the Table API's internal value, UTC) or ISO-8601. Empty strings
 * are the API's "no value".
 */
export const snowInstant = z
  .string()
  .transform((text) => text.trim())
  .transform((text) => (text === '' ? undefined : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text))
  .refine((text) => text === undefined || !Number.isNaN(calendarInstant(text)), { message: 'a date-time such as 2025-03-14 09:12:44' })
  .transform((text) => (text === undefined ? undefined : new Date(Date.parse(text)).toISOString()));

/** `"true"`/`"false"` as the Table API writes booleans (or real booleans with sysparm_display_value=false in some clients). */
export const snowBoolean = z.union([z.boolean(), z.string()]).transform((value) => (typeof value === 'boolean' ? value : value.trim().toLowerCase() === 'true' ? true : value.trim() === '' ? undefined : false));

/**
 * A reference column: `{"link": "https://<instance>.service-now.com/api/now/table/<table>/<sys_id>", "value": "<sys_id>"}`
 * by default, the bare sys_id with `sysparm_exclude_reference_link=true`, or `""` when empty.
 */
export const snowReference = z
  .union([z.string(), z.object({ value: z.string().nullish(), link: z.string().nullish(), display_value: z.string().nullish() })])
  .transform((ref) => (typeof ref === 'string' ? (ref === '' ? undefined : { value: ref, link: undefined }) : ref.value ? { value: ref.value, link: ref.link ?? undefined } : undefined));

const text = z.string().nullish();

/** `sys_user`: accounts, including integration users (web service access only, internal integration user). */
export const sysUserSchema = z.object({
  sys_id: z.string().min(1),
  user_name: text,
  name: text,
  email: text,
  active: snowBoolean.nullish(),
  locked_out: snowBoolean.nullish(),
  web_service_access_only: snowBoolean.nullish(),
  internal_integration_user: snowBoolean.nullish(),
  last_login_time: snowInstant.nullish(),
  sys_created_on: snowInstant.nullish(),
});

/** `sys_user_role`: roles; `elevated_privilege` marks roles such as security_admin. */
export const sysUserRoleSchema = z.object({ sys_id: z.string().min(1), name: z.string().min(1), elevated_privilege: snowBoolean.nullish(), description: text });

/** `sys_user_has_role`: a user's roles (direct and inherited through groups). */
export const sysUserHasRoleSchema = z.object({ sys_id: z.string().nullish(), user: snowReference, role: snowReference, state: text, inherited: snowBoolean.nullish() });

/** `sys_user_group`, `sys_user_grmember` and `sys_group_has_role`: groups, their members and their roles. */
export const sysUserGroupSchema = z.object({ sys_id: z.string().min(1), name: z.string(), active: snowBoolean.nullish() });
export const sysUserGrmemberSchema = z.object({ sys_id: z.string().nullish(), user: snowReference, group: snowReference });
export const sysGroupHasRoleSchema = z.object({ sys_id: z.string().nullish(), group: snowReference, role: snowReference });

/** `oauth_entity`: Application Registries (OAuth clients of the instance, and third-party providers it calls). */
export const oauthEntitySchema = z.object({
  sys_id: z.string().min(1),
  name: z.string(),
  client_id: text,
  type: text,
  active: snowBoolean.nullish(),
  refresh_token_lifespan: text,
  access_token_lifespan: text,
  sys_created_on: snowInstant.nullish(),
  sys_created_by: text,
});

/** `oauth_credential`: tokens the instance issued (Manage Tokens): type, expiry, user, the registry entry (peer), scope. */
export const oauthCredentialSchema = z.object({
  sys_id: z.string().min(1),
  name: text,
  type: text,
  expires: snowInstant.nullish(),
  user: snowReference.nullish(),
  peer: snowReference.nullish(),
  scope: text,
  sys_created_on: snowInstant.nullish(),
});

/** `discovery_credentials` (and its extensions basic_auth_credentials, api_key_credentials, oauth_2_0_credentials): stored credentials, metadata only. */
export const credentialRecordSchema = z.object({
  sys_id: z.string().min(1),
  name: z.string(),
  type: text,
  sys_class_name: text,
  active: snowBoolean.nullish(),
  user_name: text,
  credential_alias: snowReference.nullish(),
  sys_created_on: snowInstant.nullish(),
  sys_updated_on: snowInstant.nullish(),
});
