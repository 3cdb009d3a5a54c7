// zod schemas of the Make API (v2) answers the Make importer reads, with Make's own field names. Connection
// secrets are never returned (`GET /api/v2/connections` lists metadata: the app, the account it signs in as).
import { z } from 'zod';
import { tenantNumberOrId } from '../common/bounds.ts';
import { apiInstant } from '../common/records.ts';

export const makeInstant = apiInstant;
const text = z.string().nullish();
const id = z.union([z.number().int(), z.string().min(1)]).transform((value) => String(value));

/** `GET /api/v2/teams?organizationId=` -> `{teams: [...]}`. */
/** The organization is the tenant, part of every node id: Make's ids are numbers; a string one is accepted up to 256 characters. */
export const teamSchema = z.object({ id, name: z.string(), organizationId: tenantNumberOrId.nullish() });

/** `GET /api/v2/connections?teamId=` -> `{connections: [...]}`: `metadata.value` is the account it signs in as. */
export const connectionSchema = z.object({
  id,
  name: z.string(),
  accountName: z.string().min(1),
  accountLabel: text,
  accountType: text,
  teamId: id.nullish(),
  expire: makeInstant.nullish(),
  scopes: z.union([z.number(), z.array(z.string())]).nullish(),
  metadata: z.object({ value: text, type: text }).passthrough().nullish(),
});

const userRef = z.object({ id: id.nullish(), name: text, email: text }).nullish();

/** `GET /api/v2/scenarios?teamId=` -> `{scenarios: [...]}`. */
export const scenarioSchema = z.object({
  id,
  name: z.string(),
  teamId: id.nullish(),
  hookId: id.nullish(),
  folderId: id.nullish(),
  isPaused: z.boolean().nullish(),
  islinked: z.boolean().nullish(),
  usedPackages: z.array(z.string()).nullish(),
  lastEdit: makeInstant.nullish(),
  created: makeInstant.nullish(),
  createdByUser: userRef,
  updatedByUser: userRef,
});

/** `GET /api/v2/scenarios/{scenarioId}/blueprint` -> `{code, response: {blueprint: {name, flow: [...]}}}`. */
export const blueprintSchema = z.object({
  response: z.object({ blueprint: z.object({ name: text, flow: z.array(z.unknown()) }).passthrough() }).passthrough(),
}).passthrough();
