// What every log importer provides: the files it reads (recognised by content and by their origin's names) and a
// pure transform from raw log text to Observations (engine/evidence/types.ts). Same contract as the export
// importers (importers/common/importer.ts): zod schemas in the platform's field names, typed errors naming file,
// JSON path and line, every string through the scrubber before it becomes an Observation.
import type { InputIssue } from '../../engine/errors.ts';
import type { Observation } from '../../engine/evidence/types.ts';
import type { FileRole } from '../common/importer.ts';
import type { RawFile } from '../common/records.ts';

export interface LogImporterOptions {
  /** Skip bad events (reported as `skipped`) instead of failing the whole import. */
  lenient?: boolean;
  /** Tenant when the log does not say it (an Okta org host, a Workspace domain). */
  tenant?: string;
}

export interface LogImportReport {
  /** Events read per file role. */
  events: Record<string, number>;
  /** Bad events skipped under lenient. */
  skipped: InputIssue[];
  /** Files no role matched (ignored). */
  ignoredFiles: string[];
  notes: string[];
}

export type LogImportResult =
  | { ok: true; observations: Observation[]; report: LogImportReport }
  | { ok: false; issues: InputIssue[] };

export interface LogImporter {
  /** The log's name: `aws-cloudtrail`, `okta-system-log`, `entra-signin`, `entra-audit`, `google-reports`, `github-audit`, `salesforce-events`, `slack-audit`. */
  source: string;
  title: string;
  /** The platform whose nodes its observations name (NodeRef.platform). */
  platform: string;
  files: readonly FileRole[];
  transform(files: readonly RawFile[], options: LogImporterOptions): LogImportResult;
}
