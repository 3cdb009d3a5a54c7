// GitHub organization audit log events to Observations. The actor is the token when the event names one (token_id,
// hashed_token, with programmatic_access_type saying which kind), the OAuth app when oauth_application_id says one
// acted, and the user's login (docs/importers/logs/github-audit.md).
import type { Observation, ObservationCategory } from '../../../engine/evidence/types.ts';
import type { FileRole } from '../../common/importer.ts';
import type { RawFile } from '../../common/records.ts';
import { epochMs, logSession, nodeRef, type LogRecord } from '../log-files.ts';
import type { LogImportResult, LogImporterOptions } from '../types.ts';
import { githubAuditCsvRowSchema, githubAuditEventSchema, type GithubAuditEvent } from './schema.ts';

export const SOURCE = 'github-audit';
const PLATFORM = 'github';
const NAMES = String.raw`(audit[-_]?log[^/]*|export-[^/]+)`;

export const GITHUB_AUDIT_FILES: readonly FileRole[] = [
  {
    role: 'auditLog',
    pattern: new RegExp(String.raw`(^|/)${NAMES}\.(json|ndjson|jsonl)$`),
    produce: 'gh api --paginate "/orgs/{org}/audit-log?include=all&per_page=100" > audit-log.json (or the JSON export of the organization\'s audit log page, export-{org}-{timestamp}.json)',
    shape: { fields: ['action'], anyOf: ['@timestamp', 'created_at'], bareOnly: true },
  },
  {
    role: 'auditLogCsv',
    pattern: new RegExp(String.raw`(^|/)${NAMES}\.csv$`),
    produce: 'the CSV export of the organization\'s audit log page (export-{org}-{timestamp}.csv)',
    shape: { text: /^\uFEFF?[^\n]*\baction\b[^\n]*/ },
  },
];

/**
 * action -> category, exact first, then the prefix before the dot (`git.*`). Tested whole. `persistence`: members,
 * keys, apps, installations, approved token requests, webhooks and visibility changes that widen access.
 */
export const GITHUB_ACTION_CATEGORIES: ReadonlyMap<string, ObservationCategory> = new Map([
  ['org.add_member', 'persistence'],
  ['org.update_member', 'persistence'],
  ['org.invite_member', 'persistence'],
  ['team.add_member', 'persistence'],
  ['team.add_repository', 'persistence'],
  ['repo.add_member', 'persistence'],
  ['repo.access', 'persistence'],
  ['public_key.create', 'persistence'],
  ['hook.create', 'persistence'],
  ['oauth_application.create', 'persistence'],
  ['oauth_application.generate_client_secret', 'persistence'],
  ['integration.create', 'persistence'],
  ['integration.generate_client_secret', 'persistence'],
  ['integration_installation.create', 'persistence'],
  ['integration_installation.repositories_added', 'persistence'],
  ['org.oauth_app_access_approved', 'persistence'],
  ['personal_access_token.access_granted', 'persistence'],
  ['org_credential_authorization.grant', 'persistence'],
  ['git.clone', 'bulk'],
  ['repo.download_zip', 'bulk'],
  ['git.fetch', 'read'],
  ['git.push', 'write'],
  ['repo.create', 'write'],
  ['repo.destroy', 'write'],
  ['org_credential_authorization.revoke', 'admin'],
  ['oauth_authorization.destroy', 'admin'],
  ['git.*', 'read'],
  ['org.*', 'admin'],
  ['team.*', 'admin'],
  ['repo.*', 'admin'],
  ['protected_branch.*', 'admin'],
  ['integration_installation.*', 'admin'],
  ['oauth_application.*', 'admin'],
  ['personal_access_token.*', 'admin'],
]);

export function githubCategory(action: string): ObservationCategory {
  return GITHUB_ACTION_CATEGORIES.get(action) ?? GITHUB_ACTION_CATEGORIES.get(`${action.split('.')[0]}.*`) ?? 'other';
}

const idText = (value: string | number | null | undefined): string | undefined => (value === null || value === undefined || value === '' ? undefined : String(value));

function observationOf(event: GithubAuditEvent, options: LogImporterOptions): Observation | undefined {
  const when = event['@timestamp'] ?? event.created_at;
  if (when === undefined || when === null) return undefined;
  const tenant = options.tenant ?? event.org ?? undefined;
  // A token's id (fine-grained or classic), its hash, the OAuth app that holds it, then the user or bot it acts as.
  const actor = nodeRef(PLATFORM, tenant, [idText(event.token_id), event.hashed_token, idText(event.oauth_application_id), event.actor], event.actor ?? event.oauth_application_name);
  const repo = event.repo ?? event.repository;
  const target = repo ? nodeRef(PLATFORM, tenant, [repo], repo) : event.user ? nodeRef(PLATFORM, tenant, [event.user], event.user) : undefined;
  const family = event.action.split('.')[0]!;
  return {
    at: epochMs(when),
    actor,
    ...(target ? { target } : {}),
    action: event.action,
    family,
    category: githubCategory(event.action),
    outcome: 'success',
    ...(event.actor_ip ? { ip: event.actor_ip } : {}),
    ...(event.user_agent ? { userAgent: event.user_agent } : {}),
    source: SOURCE,
    ...(event._document_id ? { eventId: event._document_id } : {}),
  };
}

export function transformGithubAudit(files: readonly RawFile[], options: LogImporterOptions): LogImportResult {
  const session = logSession(files, GITHUB_AUDIT_FILES, options);
  const records: LogRecord<GithubAuditEvent>[] = [
    ...session.read('auditLog', githubAuditEventSchema, ['events', 'items']),
    ...session.readCsv('auditLogCsv', githubAuditCsvRowSchema),
  ];
  const observations: Observation[] = [];
  for (const record of records) {
    const { value, file, path } = record;
    const observation = observationOf(value, options);
    if (!observation || Number.isNaN(observation.at)) {
      session.problem({ file, path: `${path}["@timestamp"]`, line: record.line, message: 'no event time', expected: '@timestamp or created_at (epoch milliseconds or ISO 8601)', found: String(value['@timestamp'] ?? value.created_at ?? 'nothing') });
      continue;
    }
    if (observation.actor.ids.length === 0) {
      session.problem({ file, path: `${path}.actor`, line: record.line, message: 'no actor', expected: 'actor, token_id, hashed_token or oauth_application_id', found: 'none' });
      continue;
    }
    if (value.programmatic_access_type) session.note(`events made with a ${value.programmatic_access_type}`);
    observations.push(observation);
  }
  return session.finish(observations);
}
