// AWS CloudTrail events to Observations: who acted (the access key id, then the role or user ARN, then the
// principal id: the ids the AWS export importer keeps as a key's fingerprint and a principal's `arn`), on what
// (a bucket, IAM user, role, group, policy, secret or the first named resource), the event name, its service, the
// outcome from errorCode, the source IP and user agent. Pure; docs/importers/logs/aws-cloudtrail.md.
import { jsonPath, type InputIssue } from '../../../engine/errors.ts';
import type { NodeRef, Observation, ObservationCategory, ObservationOutcome } from '../../../engine/evidence/types.ts';
import { fromZodIssues } from '../../../engine/format/validate.ts';
import { scrubInput } from '../../../engine/secrets.ts';
import type { FileRole } from '../../common/importer.ts';
import type { RawFile } from '../../common/records.ts';
import { classifyLogFiles, parseLogJson } from '../parsed.ts';
import type { LogImporterOptions, LogImportReport, LogImportResult } from '../types.ts';
import { cloudTrailRecordSchema, lookupEventSchema, type CloudTrailRecord } from './schema.ts';

export const SOURCE = 'aws-cloudtrail';
const PLATFORM = 'aws';

export const CLOUDTRAIL_FILES: readonly FileRole[] = [
  {
    role: 'logFile', pattern: /(cloudtrail|_cloudtrail_).*\.json(\.gz)?$/,
    produce: 'aws s3 cp --recursive s3://<trail bucket>/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/ cloudtrail/',
    shape: { envelope: ['Records'], fields: ['eventTime', 'eventSource', 'eventName'] },
  },
  {
    role: 'lookupEvents', pattern: /lookup-?events[^/]*\.json(\.gz)?$/,
    produce: 'aws cloudtrail lookup-events --start-time <from> --end-time <to> --output json > lookup-events.json',
    shape: { envelope: ['Events'], fields: ['CloudTrailEvent'] },
  },
];

/** What an event did, by event name (any service): the first rule that matches wins; read and write are the fallbacks. */
export const CLOUDTRAIL_CATEGORY_RULES: readonly { category: ObservationCategory; names: RegExp }[] = [
  { category: 'auth', names: /^(ConsoleLogin|AssumeRole|AssumeRoleWithSAML|AssumeRoleWithWebIdentity|GetSessionToken|GetFederationToken|GetRoleCredentials|CheckMfa|SwitchRole|ExitRole|Federate)$/ },
  {
    category: 'persistence',
    names: /^(CreateUser|CreateAccessKey|UpdateAccessKey|CreateLoginProfile|UpdateLoginProfile|CreateServiceSpecificCredential|UploadSSHPublicKey|UploadSigningCertificate|CreateVirtualMFADevice|EnableMFADevice|AddUserToGroup|CreateRole|UpdateAssumeRolePolicy|AttachUserPolicy|AttachRolePolicy|AttachGroupPolicy|PutUserPolicy|PutRolePolicy|PutGroupPolicy|CreatePolicyVersion|SetDefaultPolicyVersion|CreateSAMLProvider|CreateOpenIDConnectProvider|AddClientIDToOpenIDConnectProvider|CreateInstanceProfile|AddRoleToInstanceProfile|CreateKeyPair|ImportKeyPair|CreateGrant|PutKeyPolicy|PutBucketPolicy|PutResourcePolicy|AddPermission|CreateFunctionUrlConfig|CreateAccount|InviteAccountToOrganization|CreateAccountAssignment|CreatePermissionSet)$/,
  },
  { category: 'bulk', names: /^(SelectObjectContent|CreateExportTask|StartExportTask|ExportTableToPointInTime|StartQueryExecution|BatchGetSecretValue|ModifySnapshotAttribute|ModifyDBSnapshotAttribute|ModifyDBClusterSnapshotAttribute|CopySnapshot|CopyDBSnapshot)$/ },
  { category: 'admin', names: /^(StopLogging|DeleteTrail|UpdateTrail|PutEventSelectors|DeleteFlowLogs|DeleteDetector|DisableSecurityHub|DisableKey|ScheduleKeyDeletion|LeaveOrganization|DeleteUser|DeleteRole|DeleteAccessKey|DeleteLoginProfile|DetachUserPolicy|DetachRolePolicy|DetachGroupPolicy|DeleteUserPolicy|DeleteRolePolicy|RemoveUserFromGroup|DeactivateMFADevice|DeletePolicy|DeleteBucketPolicy)$/ },
  { category: 'read', names: /^(Get|List|Describe|Head|Lookup|Search|Scan|Query|BatchGet|Select|Download|Export)/ },
];

/** CloudTrail's error codes for a request a policy refused (an SCP, an IAM or resource policy, a VPC endpoint policy). */
const BLOCKED_ERRORS = /AccessDenied|Unauthorized|Forbidden|NotAuthorized/i;

const categories = new Map<string, ObservationCategory | null>();

export function categoryOf(eventName: string, readOnly: boolean | undefined): ObservationCategory {
  // Event names repeat: the table is matched once per name (null: no rule, read or write by readOnly).
  let found = categories.get(eventName);
  if (found === undefined) {
    found = CLOUDTRAIL_CATEGORY_RULES.find((rule) => rule.names.test(eventName))?.category ?? null;
    if (categories.size < 10_000) categories.set(eventName, found);
  }
  return found ?? (readOnly === true ? 'read' : 'write');
}

export function outcomeOf(record: Pick<CloudTrailRecord, 'errorCode' | 'responseElements' | 'eventName'>): ObservationOutcome {
  const code = record.errorCode;
  if (code !== undefined && code !== null && code !== '') return BLOCKED_ERRORS.test(code) ? 'blocked' : 'failure';
  if (record.eventName === 'ConsoleLogin' && record.responseElements?.ConsoleLogin === 'Failure') return 'failure';
  return 'success';
}

/** `iam.amazonaws.com` → `iam`. */
export const familyOf = (eventSource: string): string => eventSource.replace(/\.amazonaws\.com$/, '');

const IP = /^(\d{1,3}\.){3}\d{1,3}$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/;
/**
 * scrubInput for the strings of one import, remembered: a log repeats its key ids, ARNs, user agents, event names and
 * IPs on every line, and scanning each for secrets again is most of the import's time. Bounded; cleared per import.
 */
const scrubbed = new Map<string, string>();
const SCRUB_MEMORY = 200_000;
function scrub(text: string): string {
  let clean = scrubbed.get(text);
  if (clean === undefined) {
    clean = scrubInput(text);
    if (scrubbed.size >= SCRUB_MEMORY) scrubbed.clear();
    scrubbed.set(text, clean);
  }
  return clean;
}
const clean = (text: string | null | undefined): string | undefined => (text === null || text === undefined || text === '' ? undefined : scrub(text));
const param = (record: CloudTrailRecord, key: string): string | undefined => {
  const value = record.requestParameters?.[key];
  return typeof value === 'string' && value !== '' ? scrub(value) : undefined;
};

/** An assumed-role session ARN's role: `arn:aws:sts::1:assumed-role/R/s` → `arn:aws:iam::1:role/R` (the issuer's ARN is used first: it keeps the path). */
function roleArnOfSession(arn: string): string | undefined {
  const match = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : undefined;
}

export function actorOf(record: CloudTrailRecord): NodeRef {
  const who = record.userIdentity;
  const ids: string[] = [];
  const push = (id: string | undefined): void => { if (id !== undefined && !ids.includes(id)) ids.push(id); };
  push(clean(who.accessKeyId));
  push(clean(who.sessionContext?.sessionIssuer?.arn));
  const arn = clean(who.arn);
  if (arn) push(roleArnOfSession(arn));
  push(arn);
  push(clean(who.principalId));
  push(clean(who.invokedBy));
  const tenant = clean(who.accountId) ?? clean(record.recipientAccountId);
  const name = clean(who.userName) ?? clean(who.sessionContext?.sessionIssuer?.userName) ?? arn ?? clean(who.invokedBy);
  return { platform: PLATFORM, ...(tenant ? { tenant } : {}), ids: ids.length > 0 ? ids : [clean(who.type) ?? 'unknown'], ...(name ? { name } : {}) };
}

/**
 * The object acted on: a bucket, an IAM user, role, group or policy (by ARN, then by name: the request gives no path,
 * and an ARN with one differs), a secret, or the first resource the event lists.
 */
export function targetOf(record: CloudTrailRecord): NodeRef | undefined {
  const account = clean(record.recipientAccountId) ?? clean(record.userIdentity.accountId);
  const partition = /^arn:(aws[a-z-]*):/.exec(record.userIdentity.arn ?? '')?.[1] ?? 'aws';
  const ref = (ids: string[], name: string): NodeRef => ({ platform: PLATFORM, ...(account ? { tenant: account } : {}), ids, name });
  const bucket = param(record, 'bucketName');
  if (bucket) return ref([`arn:${partition}:s3:::${bucket}`], bucket);
  if (familyOf(record.eventSource) === 'iam') {
    for (const [key, path] of [['userName', 'user'], ['roleName', 'role'], ['groupName', 'group']] as const) {
      const name = param(record, key);
      if (name && account) return ref([`arn:${partition}:iam::${account}:${path}/${name}`, name], name);
    }
    const policy = param(record, 'policyArn');
    if (policy) return ref([policy], policy);
  }
  const secret = param(record, 'secretId');
  if (secret) return ref([secret], secret);
  const first = record.resources?.find((r) => r.ARN);
  if (first?.ARN) return ref([scrub(first.ARN)], scrub(first.ARN));
  return undefined;
}

export function observationOf(record: CloudTrailRecord): Observation {
  const readOnly = typeof record.readOnly === 'string' ? record.readOnly === 'true' : record.readOnly ?? undefined;
  const target = targetOf(record);
  const ip = clean(record.sourceIPAddress);
  const userAgent = clean(record.userAgent);
  // Event ids are unique: remembering them would only fill the memory.
  const eventId = record.eventID ? scrubInput(record.eventID) : undefined;
  return {
    at: record.eventTime,
    actor: actorOf(record),
    ...(target ? { target } : {}),
    action: scrub(record.eventName),
    family: scrub(familyOf(record.eventSource)),
    category: categoryOf(record.eventName, readOnly),
    outcome: outcomeOf(record),
    ...(ip && IP.test(ip) ? { ip } : {}),
    ...(userAgent ? { userAgent } : {}),
    source: SOURCE,
    ...(eventId ? { eventId } : {}),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The records of one file: its `Records` (a log file), or each `Events[i].CloudTrailEvent` parsed (lookup-events). Pages saved as an array work too. */
function readFile(file: RawFile, role: string, lenient: boolean, out: Observation[], issues: InputIssue[], skipped: InputIssue[]): number {
  const parsed = parseLogJson(file);
  if (!parsed.ok) { issues.push(parsed.issue); return 0; }
  const document = parsed.value;
  const key = role === 'lookupEvents' ? 'Events' : 'Records';
  const pages: { page: unknown; base: (string | number)[] }[] = Array.isArray(document) ? document.map((page, i) => ({ page, base: [i] })) : [{ page: document, base: [] }];
  const problem = (issue: InputIssue): void => { (lenient ? skipped : issues).push(issue); };
  let read = 0;
  for (const { page, base } of pages) {
    const list = isObject(page) ? page[key] : undefined;
    if (!Array.isArray(list)) {
      issues.push({ file: file.path, path: jsonPath(base), message: `no ${key} list`, expected: `an object with a "${key}" array`, found: isObject(page) ? `an object with keys ${Object.keys(page).slice(0, 6).join(', ')}` : typeof page });
      continue;
    }
    for (let i = 0; i < list.length; i++) {
      const at = [...base, key, i];
      let raw: unknown = list[i];
      let recordPath = at;
      if (role === 'lookupEvents') {
        const entry = lookupEventSchema.safeParse(raw);
        if (!entry.success) { for (const issue of fromZodIssues(entry.error.issues, raw, file.path, at)) problem(issue); continue; }
        recordPath = [...at, 'CloudTrailEvent'];
        try {
          raw = JSON.parse(entry.data.CloudTrailEvent);
        } catch {
          problem({ file: file.path, path: jsonPath(recordPath), message: 'CloudTrailEvent is not JSON', expected: 'the event record as JSON text', found: 'text that does not parse' });
          continue;
        }
      }
      const record = cloudTrailRecordSchema.safeParse(raw);
      if (!record.success) { for (const issue of fromZodIssues(record.error.issues, raw, file.path, recordPath)) problem(issue); continue; }
      out.push(observationOf(record.data));
      read++;
    }
  }
  return read;
}

export function transformCloudTrail(files: readonly RawFile[], options: LogImporterOptions): LogImportResult {
  scrubbed.clear();
  // `x.json.gz` is read as JSON: the CLI hands over the decompressed text under the file's own name.
  const { byRole, ignored } = classifyLogFiles(files, CLOUDTRAIL_FILES);
  const report: LogImportReport = { events: {}, skipped: [], ignoredFiles: ignored, notes: [] };
  const issues: InputIssue[] = [];
  const observations: Observation[] = [];
  for (const role of CLOUDTRAIL_FILES) {
    const roleFiles = byRole.get(role.role);
    if (!roleFiles) continue;
    let count = 0;
    for (const file of roleFiles) count += readFile(file, role.role, options.lenient === true, observations, issues, report.skipped);
    report.events[role.role] = count;
  }
  scrubbed.clear();
  if (issues.length > 0) return { ok: false, issues };
  const unattributed = observations.filter((o) => !o.actor.ids.some((id) => /^(A[KS]IA|arn:)/.test(id))).length;
  if (unattributed > 0) report.notes.push(`${unattributed} events name no access key or ARN (AWS services acting on their own, anonymous requests)`);
  return { ok: true, observations, report };
}
