// zod schemas of the Workato Developer API answers the Workato importer reads, with Workato's own field names.
// Connection credentials are never returned by these endpoints (`GET /api/connections` lists metadata only).
import { z } from 'zod';
import { tenantNumberOrId } from '../common/bounds.ts';
import { apiInstant } from '../common/records.ts';

export const workatoInstant = apiInstant;
const text = z.string().nullish();
const id = z.union([z.number().int(), z.string().min(1)]).transform((value) => String(value));

/** `GET /api/users/me`: the workspace the API client belongs to. */
/** The workspace id is the tenant, part of every node id: Workato's are numbers; a string one is accepted up to 256 characters. */
export const meSchema = z.object({ id: tenantNumberOrId, name: text, company_name: text, email: text });

/** `GET /api/connections` -> `[...]`: connections (metadata only). */
export const connectionSchema = z.object({
  id,
  application: z.string().min(1),
  provider: text,
  name: z.string(),
  description: text,
  authorized_at: workatoInstant.nullish(),
  authorization_status: text,
  folder_id: id.nullish(),
  parent_id: id.nullish(),
  created_at: workatoInstant.nullish(),
  updated_at: workatoInstant.nullish(),
  connection_lost_at: workatoInstant.nullish(),
});

/** A recipe's `config` entry: which connection (account_id) the recipe uses for an application. */
const configEntrySchema = z.object({ keyword: text, name: text, provider: text, account_id: id.nullish() });

/** `GET /api/recipes` -> `{items: [...]}`: recipes with their connections (`config`) and steps (`code`, a JSON string). */
export const recipeSchema = z.object({
  id,
  name: z.string(),
  user_id: id.nullish(),
  folder_id: id.nullish(),
  running: z.boolean().nullish(),
  trigger_application: text,
  action_applications: z.array(z.string()).nullish(),
  webhook_url: text,
  last_run_at: workatoInstant.nullish(),
  created_at: workatoInstant.nullish(),
  updated_at: workatoInstant.nullish(),
  author_name: text,
  config: z.union([z.string(), z.array(configEntrySchema)]).nullish(),
  code: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
});

/** `GET /api/folders` -> `[...]`: folders and projects. */
export const folderSchema = z.object({ id, name: z.string(), parent_id: id.nullish(), is_project: z.boolean().nullish(), project_id: id.nullish() });

/** `GET /api/members` -> `{data: [...]}`: workspace collaborators and their role. */
export const memberSchema = z.object({ id, name: text, email: text, role_name: text, grant_type: text, last_login_at: workatoInstant.nullish(), created_at: workatoInstant.nullish() });

export const configListSchema = z.array(configEntrySchema);
