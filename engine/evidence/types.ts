// Evidence: what the platforms' activity and audit logs say was actually done. A log event becomes an Observation:
// who acted (a reference the graph resolves to a credential or principal), on what, the action, when, from where.
// Observations live beside the graph, never as edges (docs/evidence.md). Pure types: no I/O.

/** What happened to the request, as the log says. `blocked`: refused by a policy (conditional access, IP allow list). */
export type ObservationOutcome = 'success' | 'failure' | 'blocked';

/**
 * What the action did, for ranking and for the hunt phase. `persistence`: it created or widened access (a new app,
 * key, token, consent, user, role or group membership, a changed policy). `bulk`: a read of many records at once
 * (a bulk API job, an export, a report download, a `SELECT` returning many rows).
 */
export type ObservationCategory = 'auth' | 'read' | 'bulk' | 'write' | 'admin' | 'persistence' | 'other';

/**
 * A reference to a graph node as a log names it. The graph resolves it at analysis time (engine/evidence/resolve.ts)
 * by node id, by a credential identifier (access key id, client id, key id, token hint), by nativeId, by e-mail or
 * user principal name, by name: a log importer never needs to rebuild the export importers' node ids.
 */
export interface NodeRef {
  /** The platform as the graph names it: 'aws', 'okta', 'entra', 'google-workspace', 'github', 'salesforce', 'slack'. */
  platform: string;
  /** The tenant when the log says it (AWS account id, Okta org host, Entra tenant id, Workspace customer/domain, GitHub org, Salesforce org id, Slack team/enterprise id). */
  tenant?: string;
  /** What the log names it by, most specific first: access key id, client/app id, service principal id, user id, e-mail/UPN, name. */
  ids: string[];
  /** The log's display name, when it has one. */
  name?: string;
}

export interface Observation {
  /** Event time, epoch milliseconds (UTC). */
  at: number;
  /** Who acted: the credential, app or principal. */
  actor: NodeRef;
  /** The object acted on, when the event names one (a bucket, a user, a file, an app, a record type). */
  target?: NodeRef;
  /** The platform's event name, verbatim (`GetObject`, `user.session.start`, `Add service principal credentials`). */
  action: string;
  /** API family or service (`s3`, `iam`, `okta.user`, `microsoft.graph`, `drive`, `repo`, `Case`). */
  family: string;
  category: ObservationCategory;
  outcome: ObservationOutcome;
  /** Records touched when the log says (`rowsProcessed`, `RowsProcessed`, a bulk job's count). */
  count?: number;
  ip?: string;
  userAgent?: string;
  /** The log importer: 'aws-cloudtrail', 'okta-system-log', 'entra-signin', 'entra-audit', 'google-reports', 'github-audit', 'salesforce-events', 'slack-audit'. */
  source: string;
  /** The event's own id in its log (for deduplication across overlapping exports). */
  eventId?: string;
}
