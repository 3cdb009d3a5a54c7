// The gcp importer: one Google Cloud project's service accounts, their keys and IAM policies (files saved from
// gcloud or the IAM REST API) and the pure transform to a Fragment. Workspace is importers/google-workspace.
import type { InputIssue } from '../../engine/errors.ts';
import { classifyFiles, emptyReport, missingFileIssues, recordCollector, type FileRole, type Importer, type ImporterOptions, type ImporterResult } from '../common/importer.ts';
import { parseJsonFile, parseRecords, type Located, type RawFile } from '../common/records.ts';
import { bindingSchema, serviceAccountKeySchema, serviceAccountSchema, type Binding, type ServiceAccount, type ServiceAccountKey } from './schema.ts';
import { buildGcp, projectOf } from './transform.ts';

const ACCOUNT_POLICY_PATH = /(?:^|\/)service-account-iam-polic(?:y|ies)\/([^/]+)\.json$/i;

/** Order matters: the first pattern that matches a file's path wins. */
export const GCP_FILES: readonly FileRole[] = [
  {
    role: 'service account IAM policies',
    pattern: ACCOUNT_POLICY_PATH,
    produce: 'gcloud iam service-accounts get-iam-policy EMAIL --format=json > service-account-iam-policy/EMAIL.json',
  },
  {
    role: 'service account keys',
    pattern: /keys[^/]*\.json$|(^|\/)keys\/[^/]+\.json$/,
    produce: 'gcloud iam service-accounts keys list --iam-account=EMAIL --format=json > keys/EMAIL.json',
    shape: { envelope: ['keys'], fields: ['name', 'validAfterTime'] },
  },
  {
    role: 'IAM policy',
    pattern: /iam-policy[^/]*\.json$/,
    produce: 'gcloud projects get-iam-policy PROJECT --format=json > iam-policy.json',
    shape: { keys: ['bindings'] },
  },
  {
    role: 'service accounts',
    pattern: /service-?accounts?[^/]*\.json$/,
    produce: 'gcloud iam service-accounts list --project=PROJECT --format=json > service-accounts.json',
    required: true,
    shape: { envelope: ['accounts'], fields: ['email', 'uniqueId'] },
  },
];

/** A policy with no bindings (`{"etag": "ACAB", "version": 1}`) is valid and grants nothing. */
function readBindings(file: RawFile, lenient: boolean): { records: Located<Binding>[]; issues: InputIssue[]; skipped: InputIssue[] } {
  const parsed = parseJsonFile(file);
  if (!parsed.ok) return { records: [], issues: [parsed.issue], skipped: [] };
  const doc = parsed.value;
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && !('bindings' in doc)) return { records: [], issues: [], skipped: [] };
  return parseRecords(bindingSchema, file, ['bindings'], { lenient });
}

export function transformGcp(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const { byRole, ignored, missing, unrecognised, notes: fileNotes } = classifyFiles(files, GCP_FILES);
  const issues: InputIssue[] = [...missingFileIssues(missing)];
  const report = emptyReport();
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  report.notes.push(...fileNotes);
  const lenient = options.lenient === true;
  const collect = recordCollector(byRole, issues, report);
  const accounts = collect<ServiceAccount>('service accounts', (file) => parseRecords(serviceAccountSchema, file, ['accounts'], { lenient }));
  const keys = collect<ServiceAccountKey>('service account keys', (file) => parseRecords(serviceAccountKeySchema, file, ['keys'], { lenient }));
  const projectBindings = collect<Binding>('IAM policy', (file) => readBindings(file, lenient));
  const accountBindings: { email: string; binding: Located<Binding> }[] = [];
  collect<Binding>('service account IAM policies', (file) => {
    const result = readBindings(file, lenient);
    const email = decodeURIComponent(ACCOUNT_POLICY_PATH.exec(file.path)![1]!);
    for (const binding of result.records) accountBindings.push({ email, binding });
    return result;
  });
  if (issues.length > 0) return { ok: false, issues };

  const project = projectOf({ accounts, keys }, options.tenant, options.tenantFallback);
  if (!project.ok) return { ok: false, issues: [project.issue] };
  const built = buildGcp({ accounts, keys, projectBindings, accountBindings }, project.project);
  return { ok: true, fragment: built.fragment, report: { ...built.report, records: report.records, skipped: report.skipped, ignoredFiles: report.ignoredFiles, unrecognised: report.unrecognised, notes: [...report.notes, ...built.report.notes] } };
}

export const gcpImporter: Importer = {
  source: 'gcp',
  title: 'Google Cloud (one project)',
  files: GCP_FILES,
  folders: ['keys', 'service-account-iam-policy', 'service-account-iam-policies'],
  transform: transformGcp,
};
