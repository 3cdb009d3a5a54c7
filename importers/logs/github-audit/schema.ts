// GitHub organization audit log (GET /orgs/{org}/audit-log, and the JSON or CSV file the audit log page exports):
// one event, in GitHub's field names. Extends the approvals reader's schema (importers/github/schema.ts, #23) with
// the fields evidence needs: the actor's IP and user agent, the token (hashed_token, token_id), the OAuth app, the
// repository.
import { z } from 'zod';
import { auditEventSchema } from '../../github/schema.ts';

const text = z.string().nullish();
const idLike = z.union([z.number(), z.string()]).nullish();

export const githubAuditEventSchema = auditEventSchema.extend({
  _document_id: text,
  actor_id: idLike,
  actor_ip: text,
  user_agent: text,
  hashed_token: text,
  token_scopes: text,
  oauth_application_id: idLike,
  oauth_application_name: text,
  integration: text,
  repo: text,
  repository: text,
  user_id: idLike,
  business: text,
  operation_type: text,
});
export type GithubAuditEvent = z.output<typeof githubAuditEventSchema>;

/** A row of the audit log page's CSV export: every cell is text; `@timestamp`/`created_at` in epoch milliseconds. */
export const githubAuditCsvRowSchema = z.record(z.string(), z.string()).transform((row) => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (value !== '') out[key] = value;
  return out;
}).pipe(githubAuditEventSchema);
