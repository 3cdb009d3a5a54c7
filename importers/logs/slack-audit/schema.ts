// Slack's Audit Logs API (GET https://api.slack.com/audit/v1/logs) entries, in Slack's field names, and the
// workspace integration log (team.integrationLogs, the schema the export importer reads, importers/slack/schema.ts).
import { z } from 'zod';
import { unixSeconds } from '../../slack/schema.ts';

const text = z.string().nullish();
const named = z.object({ id: text, name: text, email: text, team: text, domain: text, title: text, filetype: text, privacy: text, is_distributed: z.boolean().nullish() }).nullish();

export const auditEntrySchema = z.object({
  id: z.string().min(1),
  date_create: unixSeconds,
  action: z.string().min(1),
  actor: z.object({ type: text, user: named }),
  entity: z.object({
    type: text,
    user: named,
    channel: named,
    file: named,
    app: named,
    workspace: named,
    enterprise: named,
    workflow: named,
    usergroup: named,
  }).nullish(),
  context: z.object({
    location: z.object({ type: text, id: text, name: text, domain: text }).nullish(),
    ua: text,
    ip_address: text,
    session_id: z.union([z.string(), z.number()]).nullish(),
  }).nullish(),
  details: z.record(z.string(), z.unknown()).nullish(),
});
export type AuditEntry = z.output<typeof auditEntrySchema>;
