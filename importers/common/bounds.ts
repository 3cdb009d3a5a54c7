// Bounds on the export fields an importer folds into every node id (the tenant: an org, domain, project, workspace,
// account or instance). Near the platforms' own maxima; without them one long field made every id as long
// (docs/importers/README.md, "Ids and their bounds"). finishFragment's 2,048-character id bound catches the rest,
// but only after an importer's per-node work on the field.
import { z } from 'zod';

/** A tenant id (GUIDs and UUIDs are 36 characters, logins 39, project ids 30): accepted up to 256. */
export const MAX_TENANT_ID = 256;
/** The longest host name DNS allows (an Okta org, a ServiceNow instance). */
export const MAX_HOST = 253;
/** An email address, whose domain can be the tenant. */
export const MAX_EMAIL = 320;

/** A string tenant id. */
export const tenantIdText = z.string().max(MAX_TENANT_ID);
/** An email address string (format checks are the caller's). */
export const emailText = z.string().max(MAX_EMAIL);
/** A numeric id, or a non-empty string one of at most MAX_TENANT_ID characters, as a string (Make, Workato). */
export const tenantNumberOrId = z.union([z.number().int(), z.string().min(1).max(MAX_TENANT_ID)]).transform((value) => String(value));
