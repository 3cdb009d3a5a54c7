// Pure transform of an AWS IAM export into blastmap's graph: the account, IAM users, groups, roles, managed
// policies, access keys and passwords, role trust (other accounts, GitHub/GitLab OIDC, SAML), and the access
// levels that identity policies grant on the account's resources (policy.ts evaluates them).
import { calendarInstant } from '../../engine/format/dates.ts';
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { nodeId } from '../../engine/format/native.ts';
import { fromZodIssues } from '../../engine/format/validate.ts';
import { LEVEL_CODE, type Level } from '../../engine/schema/index.ts';
import { scrubInput } from '../../engine/secrets.ts';
import { stubNode } from '../../engine/store/link.ts';
import { classifyFiles, emptyReport, type FileRole, type ImporterOptions, type ImporterReport, type ImporterResult } from '../common/importer.ts';
import { envelopeRecords, parseJsonFile, type Located, type RawFile } from '../common/records.ts';
import { UnknownScopes } from '../common/scopes.ts';
import { FragmentBuilder } from '../common/builder.ts';
import { parseCsv } from './csv.ts';
import { AWS_SERVICES, DEFAULT_CATALOGUE, type AwsCatalogue } from './catalog.ts';
import { accessKeyFingerprint, accessKeyHint } from './fingerprint.ts';
import {
  FRESH, PLATFORM as PLATFORM_TARGET, PolicyWorld, bestOf, containerKey, covers, decideBounded, decodePolicyDocument, emitGrants, evaluateTargets, globMatch, hasFresh,
  matchesAction, mergeReach, reachOf, statementsOf, withoutImplied,
  type Decision, type Emitted, type Reach, type Statement, type TargetLevel, type Variables,
} from './policy.ts';
import {
  accessKeyLastUsedSchema, accessKeySchema, bucketSchema, credentialReportEnvelopeSchema, credentialReportRowSchema, functionSchema, groupDetailSchema,
  managedPolicySchema, roleDetailSchema, secretSchema, tableNameSchema, userDetailSchema,
  type AccessKey, type CredentialReportRow, type GroupDetail, type ManagedPolicy, type RoleDetail, type UserDetail,
} from './schema.ts';
import { CI_ISSUERS, trustEntries, type TrustEntry } from './trust.ts';

export const PLATFORM = 'aws';
const SOURCE = 'aws';

/** The first columns of an IAM credential report (CSV). */
const CREDENTIAL_REPORT_HEADER = /^\uFEFF?\s*user,arn,/;

/** Input files by endpoint. The first matching pattern wins (last-used before access keys). */
export const AWS_FILES: readonly FileRole[] = [
  { role: 'credentialReport', pattern: /credential-?report[^/]*\.(csv|json|txt)$/, produce: 'aws iam generate-credential-report; aws iam get-credential-report > credential-report.json (or the decoded CSV as credential-report.csv)', shape: { keys: ['Content', 'ReportFormat'], text: /^\uFEFF?\s*user,arn,/ } },
  { role: 'accessKeyLastUsed', pattern: /last-?used[^/]*(\/[^/]+)?\.json$/, produce: 'aws iam get-access-key-last-used --access-key-id <id> > access-key-last-used/<id>.json', shape: { single: true, envelope: ['AccessKeyLastUsedList'], fields: ['AccessKeyLastUsed'] } },
  { role: 'accessKeys', pattern: /access-?keys?[^/]*(\/[^/]+)?\.json$/, produce: 'aws iam list-access-keys --user-name <user> > access-keys/<user>.json', shape: { envelope: ['AccessKeyMetadata'], fields: ['AccessKeyId', 'Status'] } },
  { role: 'authorizationDetails', pattern: /(authori[sz]ation[-_]?details|authz|gaad)[^/]*\.json$/, produce: 'aws iam get-account-authorization-details > account-authorization-details.json', shape: { envelope: ['UserDetailList', 'RoleDetailList', 'GroupDetailList', 'Policies'], fields: [] } },
  { role: 'buckets', pattern: /(^|\/)(list-)?buckets[^/]*\.json$/, produce: 'aws s3api list-buckets > buckets.json', shape: { envelope: ['Buckets'], fields: ['Name'] } },
  { role: 'secretLinks', pattern: /(^|\/)secret-links\.json$/, produce: 'written by you: which credential each Secrets Manager secret holds (docs/importers/aws.md)' },
  { role: 'secrets', pattern: /(^|\/)(list-)?secrets[^/]*\.json$/, produce: 'aws secretsmanager list-secrets > secrets.json', shape: { envelope: ['SecretList'], fields: ['ARN', 'Name'] } },
  { role: 'functions', pattern: /(^|\/)(list-)?(lambda-)?functions[^/]*\.json$/, produce: 'aws lambda list-functions > functions.json', shape: { envelope: ['Functions'], fields: ['FunctionName', 'FunctionArn'] } },
  { role: 'tables', pattern: /(^|\/)(list-)?(dynamodb-)?tables[^/]*\.json$/, produce: 'aws dynamodb list-tables > tables.json', shape: { envelope: ['TableNames'], fields: [] } },
];

const LEVEL_EDGE: Record<Level, string> = { read: 'CAN_READ', write: 'CAN_WRITE', admin: 'CAN_ADMIN' };
const AUTHZ_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,124}\b/;

/** Reads values of the credential report: `N/A`, `no_information`, `not_supported` and empty cells are "unknown". */
const reportValue = (row: CredentialReportRow, column: string): string | undefined => {
  const value = row[column]?.trim();
  return value && !/^(n\/a|no_information|not_supported)$/i.test(value) ? value : undefined;
};
const reportBool = (row: CredentialReportRow, column: string): boolean | undefined => {
  const value = reportValue(row, column)?.toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
};
const reportDate = (row: CredentialReportRow, column: string): string | undefined => {
  const value = reportValue(row, column);
  if (!value) return undefined;
  const time = calendarInstant(value.replace(' ', 'T'));
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
};

/** `<platform>:Credential:<key>` or a credential node id `<platform>:<tenant>:credential:<native id>`. */
function credentialRef(text: string): { platform: string; key: string } | undefined {
  const short = /^([a-z0-9][a-z0-9._-]*):credential:(.+)$/i.exec(text);
  if (short) return { platform: short[1]!.toLowerCase(), key: short[2]! };
  const full = /^([a-z0-9][a-z0-9._-]*):[^:]+:credential:(.+)$/i.exec(text);
  return full ? { platform: full[1]!.toLowerCase(), key: full[2]! } : undefined;
}

const accountOfArn = (arn: string): string | undefined => /^arn:aws[a-z-]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

interface PolicyDoc {
  arn: string;
  name: string;
  awsManaged: boolean;
  statements: Statement[];
  /** The export lists the policy's document (AWS-managed policies attached but not listed have none). */
  known: boolean;
  versions: number;
  record?: ManagedPolicy | undefined;
}

interface Principal {
  kind: 'user' | 'role' | 'group';
  id: string;
  name: string;
  arn: string;
  inline: Statement[];
  inlineNames: string[];
  managed: string[];
  groups: string[];
  boundary?: string | undefined;
  variables: Variables;
}

interface Escalation { decision: Decision; action: string; arn: string }

interface Evaluated {
  levels: Map<string, TargetLevel>;
  adminEquivalent?: Escalation | undefined;
  emitted: Emitted[];
  reach: Map<string, Reach>;
}

export function transformAws(files: readonly RawFile[], options: ImporterOptions, catalogue: AwsCatalogue = DEFAULT_CATALOGUE): ImporterResult {
  const report: ImporterReport = emptyReport();
  const issues: InputIssue[] = [];
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, AWS_FILES);
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  const problem = (issue: InputIssue): void => { (options.lenient ? report.skipped : issues).push(issue); };
  const count = (role: string, n: number): void => { if (n > 0) report.records[role] = (report.records[role] ?? 0) + n; };

  /** Validates records found in a parsed document under `keys` (or bare arrays / one object). */
  function records<S extends z.ZodType>(schema: S, file: RawFile, document: unknown, keys: readonly string[], single = false): Located<z.output<S>>[] {
    const { items, issues: envelopeIssues } = envelopeRecords(document, keys, { file: file.path, single });
    issues.push(...envelopeIssues);
    const out: Located<z.output<S>>[] = [];
    for (const item of items) {
      const result = schema.safeParse(item.value);
      if (result.success) { out.push({ value: result.data, file: file.path, path: item.path }); continue; }
      const segments = item.path === '$' ? [] : (item.path.slice(1).match(/[^.[\]]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      for (const issue of fromZodIssues(result.error.issues, item.value, file.path, segments)) problem(issue);
    }
    return out;
  }
  function json(file: RawFile): unknown {
    const parsed = parseJsonFile(file);
    if (!parsed.ok) { issues.push(parsed.issue); return undefined; }
    return parsed.value;
  }

  // --- GetAccountAuthorizationDetails: one response, several pages in one file, or one file per page.
  const users: Located<UserDetail>[] = [];
  const groups: Located<GroupDetail>[] = [];
  const roles: Located<RoleDetail>[] = [];
  const policies: Located<ManagedPolicy>[] = [];
  for (const file of byRole.get('authorizationDetails') ?? []) {
    const document = json(file);
    if (document === undefined) continue;
    const pages: [unknown, (string | number)[]][] = Array.isArray(document) ? document.map((page, i) => [page, [i]]) : [[document, []]];
    for (const [page, base] of pages) {
      const object = page !== null && typeof page === 'object' && !Array.isArray(page) ? (page as Record<string, unknown>) : undefined;
      const present = AUTHZ_LISTS.filter((key) => Array.isArray(object?.[key]));
      if (!object || present.length === 0) {
        issues.push({ file: file.path, path: base.length ? `$[${base[0]}]` : '$', message: 'no records found', expected: `a GetAccountAuthorizationDetails response (an object with ${AUTHZ_LISTS.join(', ')})`, found: object ? `an object with keys ${Object.keys(object).slice(0, 6).join(', ') || '(none)'}` : typeof page });
        continue;
      }
      const pageOf = (key: string): unknown => ({ [key]: object[key] });
      const at = <T>(list: Located<T>[]): Located<T>[] => list.map((r) => ({ ...r, path: base.length ? `$[${base[0]}]${r.path.slice(1)}` : r.path }));
      if (present.includes('UserDetailList')) users.push(...at(records(userDetailSchema, file, pageOf('UserDetailList'), ['UserDetailList'])));
      if (present.includes('GroupDetailList')) groups.push(...at(records(groupDetailSchema, file, pageOf('GroupDetailList'), ['GroupDetailList'])));
      if (present.includes('RoleDetailList')) roles.push(...at(records(roleDetailSchema, file, pageOf('RoleDetailList'), ['RoleDetailList'])));
      if (present.includes('Policies')) policies.push(...at(records(managedPolicySchema, file, pageOf('Policies'), ['Policies'])));
    }
  }
  count('users', users.length);
  count('groups', groups.length);
  count('roles', roles.length);
  count('policies', policies.length);

  // --- Access keys (ListAccessKeys, merged collector output, or CreateAccessKey's AccessKey) and their last use.
  const accessKeys: Located<AccessKey>[] = [];
  for (const file of byRole.get('accessKeys') ?? []) {
    const document = json(file);
    if (document === undefined) continue;
    const created = document !== null && typeof document === 'object' && !Array.isArray(document) && (document as Record<string, unknown>).AccessKey;
    if (created && typeof created === 'object') {
      const result = accessKeySchema.safeParse(created);
      if (result.success) accessKeys.push({ value: result.data, file: file.path, path: '$.AccessKey' });
      else for (const issue of fromZodIssues(result.error.issues, created, file.path, ['AccessKey'])) problem(issue);
      continue;
    }
    accessKeys.push(...records(accessKeySchema, file, document, ['AccessKeyMetadata']));
  }
  count('accessKeys', accessKeys.length);
  const lastUsed = new Map<string, { date?: string | undefined; service?: string | undefined; region?: string | undefined }>();
  for (const file of byRole.get('accessKeyLastUsed') ?? []) {
    const document = json(file);
    if (document === undefined) continue;
    const found = records(accessKeyLastUsedSchema, file, document, ['AccessKeyLastUsedList'], true);
    const fromPath = ACCESS_KEY_ID.exec(file.path)?.[0];
    for (const record of found) {
      const keyId = record.value.AccessKeyId ?? (found.length === 1 ? fromPath : undefined);
      if (!keyId) { problem({ file: file.path, path: record.path, message: 'cannot tell which access key this is', expected: 'an AccessKeyId field, or the key id in the file name (access-key-last-used/<AccessKeyId>.json)', found: 'neither' }); continue; }
      const used = record.value.AccessKeyLastUsed;
      lastUsed.set(keyId, { date: used.LastUsedDate ?? undefined, service: naValue(used.ServiceName), region: naValue(used.Region) });
    }
    count('accessKeyLastUsed', found.length);
  }

  // --- Credential report: the CSV, or GetCredentialReport's JSON with the CSV base64-encoded in Content.
  const reportRows: Located<CredentialReportRow>[] = [];
  for (const file of byRole.get('credentialReport') ?? []) {
    let text = file.text;
    if (/\.json$/i.test(file.path)) {
      const document = json(file);
      if (document === undefined) continue;
      const envelope = credentialReportEnvelopeSchema.safeParse(document);
      if (!envelope.success) { for (const issue of fromZodIssues(envelope.error.issues, document, file.path)) problem(issue); continue; }
      const content = envelope.data.Content;
      // Collectors such as cloudmapper save the report with Content already decoded (the CSV itself).
      if (CREDENTIAL_REPORT_HEADER.test(content)) text = content;
      else {
        try {
          text = new TextDecoder().decode(Uint8Array.from(atob(content.replace(/\s+/g, '')), (c) => c.charCodeAt(0)));
        } catch {
          problem({ file: file.path, path: '$.Content', message: 'neither base64 nor CSV', expected: 'the credential report CSV, base64-encoded (as get-credential-report returns it) or decoded', found: 'text that is neither' });
          continue;
        }
      }
    }
    // The input boundary for the CSV report: every cell is scrubbed before a header is lower-cased or a cell read.
    const rows = parseCsv(text).map((row) => ({ ...row, cells: row.cells.map((cell) => scrubInput(cell)) }));
    const header = rows[0]?.cells.map((cell) => cell.trim().toLowerCase());
    if (!header || !header.includes('user') || !header.includes('arn')) {
      problem({ file: file.path, path: '$', line: 1, message: 'not a credential report', expected: 'a CSV whose header names the columns user, arn, password_enabled, access_key_1_active, ...', found: header ? `a header ${JSON.stringify(header.slice(0, 4).join(','))}` : 'an empty file' });
      continue;
    }
    rows.slice(1).forEach((row, index) => {
      const record = Object.fromEntries(header.map((column, i) => [column, row.cells[i] ?? '']));
      const result = credentialReportRowSchema.safeParse(record);
      if (result.success) reportRows.push({ value: result.data, file: file.path, path: `$[${index}]` });
      else for (const issue of fromZodIssues(result.error.issues, record, file.path, [index])) problem({ ...issue, line: row.line });
    });
  }
  count('credentialReport', reportRows.length);

  // --- Resource inventories: names of buckets, secrets, tables and functions the policies may not spell out.
  const inventory = new Map<string, Set<string>>();
  const inventoried = (service: string, name: string): void => { inventory.set(service, inventory.get(service) ?? new Set()); inventory.get(service)!.add(name); };
  const functionRoles = new Map<string, string>();
  for (const file of byRole.get('buckets') ?? []) { const d = json(file); if (d === undefined) continue; const r = records(bucketSchema, file, d, ['Buckets']); r.forEach((b) => inventoried('s3', b.value.Name)); count('buckets', r.length); }
  const secretNameOf = new Map<string, string>();
  for (const file of byRole.get('secrets') ?? []) {
    const d = json(file); if (d === undefined) continue;
    const r = records(secretSchema, file, d, ['SecretList']);
    for (const s of r) { inventoried('secretsmanager', s.value.Name); secretNameOf.set(s.value.Name, s.value.Name); if (s.value.ARN) secretNameOf.set(s.value.ARN, s.value.Name); }
    count('secrets', r.length);
  }
  // secret-links.json: what a secret holds, which ListSecrets never says (the value is not in the export).
  const secretLinks: { secret: string; credential: { platform: string; key: string }; file: string; path: string }[] = [];
  for (const file of byRole.get('secretLinks') ?? []) {
    const d = json(file); if (d === undefined) continue;
    const expected = 'an object {"<secret name or ARN>": "<platform>:Credential:<key>" or a credential node id}';
    if (d === null || typeof d !== 'object' || Array.isArray(d)) { problem({ file: file.path, path: '$', message: 'not a map of secrets to credentials', expected, found: Array.isArray(d) ? 'a list' : String(d) }); continue; }
    for (const [key, ref] of Object.entries(d as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y))) {
      const path = `$[${JSON.stringify(key)}]`;
      const secret = secretNameOf.get(key);
      const credential = typeof ref === 'string' ? credentialRef(ref) : undefined;
      if (!secret) problem({ file: file.path, path, message: 'no such secret in the export', expected: 'the Name or ARN of a secret of secrets.json (list-secrets)', found: key });
      else if (!credential) problem({ file: file.path, path, message: 'not a reference to a credential', expected, found: typeof ref === 'string' ? ref : JSON.stringify(ref) });
      else secretLinks.push({ secret, credential, file: file.path, path });
    }
    count('secretLinks', Object.keys(d).length);
  }
  for (const file of byRole.get('tables') ?? []) { const d = json(file); if (d === undefined) continue; const r = records(tableNameSchema, file, d, ['TableNames']); r.forEach((t) => inventoried('dynamodb', t.value)); count('tables', r.length); }
  for (const file of byRole.get('functions') ?? []) {
    const d = json(file); if (d === undefined) continue;
    const r = records(functionSchema, file, d, ['Functions']);
    for (const f of r) { inventoried('lambda', f.value.FunctionName); if (f.value.Role) functionRoles.set(f.value.FunctionName, f.value.Role); }
    count('functions', r.length);
  }

  if (byRole.size === 0) {
    issues.push({ path: '$', message: 'no AWS IAM files', expected: `the responses of ${AWS_FILES.filter((f) => f.shape).map((f) => f.produce.split(' > ')[0]).slice(0, 4).join(', ')} (docs/importers/aws.md)`, found: files.length ? `only ${files.map((f) => f.path).slice(0, 3).join(', ')}` : 'no files' });
  }

  // --- The account: from the ARNs, or --tenant; one account per import.
  const seen = new Map<string, { file: string; path: string }>();
  const noteAccount = (arn: string, where: { file: string; path: string }): void => { const a = accountOfArn(arn); if (a && !seen.has(a)) seen.set(a, where); };
  for (const r of [...users, ...groups, ...roles]) noteAccount(r.value.Arn, { file: r.file, path: `${r.path}.Arn` });
  for (const r of policies) noteAccount(r.value.Arn, { file: r.file, path: `${r.path}.Arn` });
  for (const r of reportRows) noteAccount(r.value.arn, { file: r.file, path: `${r.path}.arn` });
  const accounts = [...seen.keys()];
  if (accounts.length > 1) {
    const other = seen.get(accounts[1]!)!;
    issues.push({ file: other.file, path: other.path, message: 'several AWS accounts in one export', expected: `one account per import (${accounts[0]}); import each account's folder separately`, found: accounts[1] });
  }
  const optionTenant = options.tenant?.trim();
  if (optionTenant && !/^\d{12}$/.test(optionTenant)) issues.push({ path: '$', message: '--tenant is not an AWS account id', expected: 'a 12-digit account id', found: optionTenant });
  if (optionTenant && accounts[0] && optionTenant !== accounts[0]) { const where = seen.get(accounts[0])!; issues.push({ file: where.file, path: where.path, message: '--tenant does not match the export', expected: `the account given with --tenant (${optionTenant})`, found: accounts[0] }); }
  const fallback = options.tenantFallback?.trim();
  const account = accounts[0] ?? optionTenant ?? (fallback && /^\d{12}$/.test(fallback) ? fallback : undefined);
  if (!account && issues.length === 0) issues.push({ path: '$', message: 'no account id', expected: 'ARNs in the export (get-account-authorization-details or a credential report) or --tenant <12-digit account id>', found: fallback ? `neither (the tenant folder ${JSON.stringify(fallback)} is not a 12-digit account id)` : 'neither' });

  // --- Policy documents, decoded and read now so that every bad document is reported with the others.
  const documentIssue = (file: string, path: string, reason: string): void => problem({ file, path, message: 'unreadable policy document', expected: 'a policy document: a JSON object, or URL-encoded JSON as the IAM API returns it', found: reason });
  function readDocument(raw: unknown, file: string, path: string, source: Statement['source']): Statement[] | undefined {
    const decoded = decodePolicyDocument(raw);
    if (!decoded.ok) { documentIssue(file, path, decoded.reason); return undefined; }
    const { statements, problems } = statementsOf(decoded.document, source);
    for (const p of problems) problem({ file, path: `${path}${p.path}`, message: 'unreadable policy statement', expected: p.expected, found: p.found });
    return statements;
  }
  const policyDocs = new Map<string, PolicyDoc>();
  for (const { value: policy, file, path } of policies) {
    if (policyDocs.has(policy.Arn)) continue;
    const versions = policy.PolicyVersionList ?? [];
    const index = versions.findIndex((v) => v.IsDefaultVersion === true || (policy.DefaultVersionId !== undefined && policy.DefaultVersionId !== null && v.VersionId === policy.DefaultVersionId));
    const awsManaged = /^arn:aws[a-z-]*:iam::aws:policy\//.test(policy.Arn);
    let statements: Statement[] | undefined = [];
    if (index < 0) problem({ file, path: `${path}.PolicyVersionList`, message: 'no default version', expected: 'the default version of the policy (IsDefaultVersion: true) with its Document', found: `${versions.length} version${versions.length === 1 ? '' : 's'}` });
    else statements = readDocument(versions[index]!.Document, file, `${path}.PolicyVersionList[${index}].Document`, { id: policy.Arn, name: policy.PolicyName, kind: 'managed' });
    policyDocs.set(policy.Arn, { arn: policy.Arn, name: policy.PolicyName, awsManaged, statements: statements ?? [], known: index >= 0 && statements !== undefined, versions: versions.length, record: policy });
  }
  const inlineOf = (list: { PolicyName: string; PolicyDocument: unknown }[] | null | undefined, owner: { arn: string; file: string; path: string; field: string }): { statements: Statement[]; names: string[] } => {
    const statements: Statement[] = [];
    (list ?? []).forEach((p, i) => statements.push(...(readDocument(p.PolicyDocument, owner.file, `${owner.path}.${owner.field}[${i}].PolicyDocument`, { id: `inline:${owner.arn}:${p.PolicyName}`, name: p.PolicyName, kind: 'inline' }) ?? [])));
    return { statements, names: (list ?? []).map((p) => p.PolicyName) };
  };
  const trustDocs = new Map<string, Record<string, unknown>>();
  for (const { value: role, file, path } of roles) {
    if (role.AssumeRolePolicyDocument === undefined || role.AssumeRolePolicyDocument === null) continue;
    const decoded = decodePolicyDocument(role.AssumeRolePolicyDocument);
    if (decoded.ok) trustDocs.set(role.Arn, decoded.document);
    else documentIssue(file, `${path}.AssumeRolePolicyDocument`, decoded.reason);
  }

  // Principals with their statements (documents are read here, so their problems are reported too).
  const principals: Principal[] = [];
  const byUserName = new Map<string, Principal>();
  const byRoleName = new Map<string, Principal>();
  const byGroupName = new Map<string, Principal>();
  const roleRecords = new Map<string, RoleDetail>();
  const userRecords = new Map<string, UserDetail>();
  const ident = (kind: string, native: string): string => nodeId(PLATFORM, account ?? 'unknown', kind, native);
  for (const { value: group, file, path } of groups) {
    if (byGroupName.has(group.GroupName)) continue;
    const inline = inlineOf(group.GroupPolicyList, { arn: group.Arn, file, path, field: 'GroupPolicyList' });
    const p: Principal = { kind: 'group', id: ident('Group', group.GroupName), name: group.GroupName, arn: group.Arn, inline: inline.statements, inlineNames: inline.names, managed: (group.AttachedManagedPolicies ?? []).map((m) => m.PolicyArn), groups: [], variables: {} };
    byGroupName.set(group.GroupName, p);
  }
  for (const { value: user, file, path } of users) {
    if (byUserName.has(user.UserName)) continue;
    const inline = inlineOf(user.UserPolicyList, { arn: user.Arn, file, path, field: 'UserPolicyList' });
    const p: Principal = {
      kind: 'user', id: ident('Identity', `user/${user.UserName}`), name: user.UserName, arn: user.Arn, inline: inline.statements, inlineNames: inline.names,
      managed: (user.AttachedManagedPolicies ?? []).map((m) => m.PolicyArn), groups: user.GroupList ?? [], boundary: user.PermissionsBoundary?.PermissionsBoundaryArn,
      variables: { 'aws:username': user.UserName, ...(user.UserId ? { 'aws:userid': user.UserId } : {}), 'aws:principaltype': 'User' },
    };
    principals.push(p);
    byUserName.set(user.UserName, p);
    userRecords.set(user.UserName, user);
  }
  for (const { value: role, file, path } of roles) {
    if (byRoleName.has(role.RoleName)) continue;
    const inline = inlineOf(role.RolePolicyList, { arn: role.Arn, file, path, field: 'RolePolicyList' });
    const p: Principal = {
      kind: 'role', id: ident('Identity', `role/${role.RoleName}`), name: role.RoleName, arn: role.Arn, inline: inline.statements, inlineNames: inline.names,
      managed: (role.AttachedManagedPolicies ?? []).map((m) => m.PolicyArn), groups: [], boundary: role.PermissionsBoundary?.PermissionsBoundaryArn,
      variables: { 'aws:principaltype': 'AssumedRole' },
    };
    principals.push(p);
    byRoleName.set(role.RoleName, p);
    roleRecords.set(role.RoleName, role);
  }

  if (issues.length > 0 || !account) return { ok: false, issues };

  // =========================================================================================================
  const accountId: string = account;
  const b = new FragmentBuilder(SOURCE);
  const notes = new Map<string, number>();
  const unknownScopes = new UnknownScopes();
  const note = (text: string, n = 1): void => { notes.set(text, (notes.get(text) ?? 0) + n); };
  const id = (kind: string, native: string, inAccount: string = account): string => nodeId(PLATFORM, inAccount, kind, native);
  const base = { platform: PLATFORM, tenant: account };
  const platformId = b.node({ ...base, id: id('Platform', 'account'), kind: 'Platform', name: `AWS account ${account}`, vendor: 'Amazon Web Services', properties: { accountId: account } });

  // Managed policies attached to someone; AWS-managed ones the export does not list cannot be evaluated.
  const attached = new Set<string>();
  for (const p of [...principals, ...byGroupName.values()]) for (const arn of p.managed) attached.add(arn);
  for (const arn of attached) {
    if (policyDocs.has(arn)) continue;
    note('attached managed policies whose document is not in the export: shown, not evaluated');
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    policyDocs.set(arn, { arn, name, awsManaged: /:iam::aws:policy\//.test(arn), statements: [], known: false, versions: 0 });
  }
  const boundaryOf = (p: Principal): Statement[] | undefined => {
    if (!p.boundary) return undefined;
    const doc = policyDocs.get(p.boundary);
    if (!doc?.known) { note('permissions boundaries whose policy is not in the export: not applied'); return undefined; }
    return doc.statements;
  };
  const managedStatements = (arns: readonly string[]): Statement[] => arns.flatMap((arn) => policyDocs.get(arn)?.statements ?? []);
  const fullCache = new Map<Principal, Statement[]>();
  const fullStatements = (p: Principal): Statement[] => {
    let cached = fullCache.get(p);
    if (!cached) { cached = allStatementsOf(p); fullCache.set(p, cached); }
    return cached;
  };
  const allStatementsOf = (p: Principal): Statement[] => [
    ...p.inline, ...managedStatements(p.managed),
    ...p.groups.flatMap((g) => { const group = byGroupName.get(g); return group ? [...group.inline, ...managedStatements(group.managed)] : []; }),
  ];
  for (const p of principals) for (const g of p.groups) if (!byGroupName.has(g)) note('group memberships naming groups not in the export: ignored');

  const allStatements = [
    ...principals.flatMap((p) => p.inline), ...[...byGroupName.values()].flatMap((g) => g.inline),
    ...[...policyDocs.values()].filter((d) => attached.has(d.arn) || principals.some((p) => p.boundary === d.arn)).flatMap((d) => d.statements),
  ];
  const world = new PolicyWorld(account, catalogue, allStatements, inventory);

  // --- Resources: the account's resource tree (Platform -> one node per service -> named resources).
  const targetNode = new Map<string, string>();
  targetNode.set(PLATFORM_TARGET, platformId);
  for (const key of world.order) {
    const target = world.targets.get(key)!;
    if (!target.service) continue;
    const model = catalogue.model(target.service);
    const spec = AWS_SERVICES.services[target.service];
    const resourceId = id('Resource', key);
    if (target.name === undefined) {
      b.node({ ...base, id: resourceId, kind: 'Resource', name: model.container!, resourceType: `${target.service}-all`, sensitivity: model.containerSensitivity, tags: model.tags.length ? model.tags : undefined, properties: { service: target.service, scope: 'account' } });
    } else {
      const arn = target.service === 's3' ? `arn:aws:s3:::${target.name}` : undefined;
      b.node({ ...base, id: resourceId, kind: 'Resource', name: `${model.noun ?? `${model.title} resource`} ${target.name}`, resourceType: model.resourceType ?? target.service, sensitivity: spec?.sensitivity ?? model.sensitivity, tags: model.tags.length ? model.tags : undefined, properties: { service: target.service, resourceName: target.name, arn, inventoried: inventory.get(target.service)?.has(target.name) || undefined } });
    }
    b.edge({ kind: 'CONTAINS', from: targetNode.get(target.parent!)!, to: resourceId });
    targetNode.set(key, resourceId);
  }

  // --- Evaluation: what each managed policy, group and principal reaches.
  const userArnFresh = `arn:aws:iam::${account}:user/${FRESH}`;
  const roleArnFresh = `arn:aws:iam::${account}:role/${FRESH}`;
  function escalation(identity: readonly Statement[], boundary: readonly Statement[] | undefined, variables: Variables, requestSets: readonly { action: string; arn: string }[][]): Escalation | undefined {
    let worst: Escalation | undefined;
    for (const set of requestSets) {
      let best: Escalation | undefined;
      for (const request of set) {
        const decision = decideBounded(identity, boundary, request.action, request.arn, variables);
        if (decision.status === 0) continue;
        if (!best || bestOf([best.decision, decision]) === decision) best = { decision, ...request };
      }
      if (!best) return undefined;
      if (!worst || best.decision.status < worst.decision.status) worst = best;
    }
    return worst;
  }
  const customerPolicies = (arns: readonly string[]): PolicyDoc[] => arns.map((a) => policyDocs.get(a)).filter((d): d is PolicyDoc => Boolean(d && !d.awsManaged));
  const policyRequests = (docs: readonly PolicyDoc[]) => docs.flatMap((d) => [{ action: 'iam:CreatePolicyVersion', arn: d.arn }, ...(d.versions > 1 ? [{ action: 'iam:SetDefaultPolicyVersion', arn: d.arn }] : [])]);
  function selfRequests(p: Principal): { action: string; arn: string }[] {
    if (p.kind === 'group') {
      return [
        { action: 'iam:PutGroupPolicy', arn: p.arn }, { action: 'iam:AttachGroupPolicy', arn: p.arn },
        { action: 'iam:PutUserPolicy', arn: userArnFresh }, { action: 'iam:AttachUserPolicy', arn: userArnFresh },
        ...policyRequests(customerPolicies(p.managed)),
      ];
    }
    const own = p.kind === 'user'
      ? [{ action: 'iam:PutUserPolicy', arn: p.arn }, { action: 'iam:AttachUserPolicy', arn: p.arn }]
      : [{ action: 'iam:PutRolePolicy', arn: p.arn }, { action: 'iam:AttachRolePolicy', arn: p.arn }];
    const groupArns = p.groups.map((g) => byGroupName.get(g)).filter((g): g is Principal => Boolean(g));
    return [
      ...own,
      ...groupArns.flatMap((g) => [{ action: 'iam:PutGroupPolicy', arn: g.arn }, { action: 'iam:AttachGroupPolicy', arn: g.arn }]),
      ...policyRequests(customerPolicies([...p.managed, ...groupArns.flatMap((g) => g.managed)])),
    ];
  }
  const boundaryEscape = (p: Principal): { action: string; arn: string }[] => (p.kind === 'user'
    ? [{ action: 'iam:DeleteUserPermissionsBoundary', arn: p.arn }, { action: 'iam:PutUserPermissionsBoundary', arn: p.arn }]
    : [{ action: 'iam:DeleteRolePermissionsBoundary', arn: p.arn }, { action: 'iam:PutRolePermissionsBoundary', arn: p.arn }]);

  function finish(levels: Map<string, TargetLevel>, adminEquivalent: Escalation | undefined): Evaluated {
    const emitted = emitGrants(world, levels, adminEquivalent?.decision);
    return { levels, adminEquivalent, emitted, reach: reachOf(world, emitted) };
  }
  function genericAdmin(statements: readonly Statement[], own?: PolicyDoc): Escalation | undefined {
    const rewriteOwn = own && !own.awsManaged ? policyRequests([own]) : [];
    return escalation(statements, undefined, {}, [
      [{ action: 'iam:PutUserPolicy', arn: userArnFresh }, { action: 'iam:AttachUserPolicy', arn: userArnFresh }, ...rewriteOwn],
      [{ action: 'iam:PutRolePolicy', arn: roleArnFresh }, { action: 'iam:AttachRolePolicy', arn: roleArnFresh }, ...rewriteOwn],
    ]);
  }
  const mergeLevels = (a: Map<string, TargetLevel>, extra: Map<string, TargetLevel>): Map<string, TargetLevel> => {
    const out = new Map(a);
    for (const [key, level] of extra) {
      const mine = out.get(key);
      if (!mine) { out.set(key, level); continue; }
      out.set(key, {
        u: Math.max(mine.u, level.u), a: Math.max(mine.a, level.a),
        tags: level.a > mine.a ? level.tags : mine.tags,
        grantU: level.u > mine.u ? level.grantU : mine.grantU, grantA: level.a > mine.a ? level.grantA : mine.grantA,
      });
    }
    return out;
  };

  const policyEval = new Map<string, Evaluated>();
  for (const arn of [...attached].sort()) {
    const doc = policyDocs.get(arn)!;
    policyEval.set(arn, finish(evaluateTargets(world, { identity: doc.statements }), genericAdmin(doc.statements, doc)));
  }
  const groupEval = new Map<string, Evaluated>();
  for (const group of byGroupName.values()) {
    const identity = [...group.inline, ...managedStatements(group.managed)];
    groupEval.set(group.name, finish(evaluateTargets(world, { identity }), escalation(identity, undefined, {}, [selfRequests(group)])));
  }

  /** Levels and self-escalation of a principal; takeover escalation is added once takeovers are known. */
  function evaluatePrincipal(p: Principal): { levels: Map<string, TargetLevel>; admin?: Escalation | undefined; escalated: boolean } {
    const identity = fullStatements(p);
    const boundary = boundaryOf(p);
    const levels = evaluateTargets(world, { identity, boundary, variables: p.variables });
    const self = escalation(identity, boundary, p.variables, [selfRequests(p)]);
    if (!self) return { levels, escalated: false };
    if (!boundary) return { levels, admin: self, escalated: false };
    // A boundary caps what rewriting one's own policies can reach, unless the boundary itself can be removed.
    const escape = escalation(identity, boundary, p.variables, [boundaryEscape(p)]);
    if (escape) {
      const status = Math.min(self.decision.status, escape.decision.status) as Decision['status'];
      return { levels, admin: { ...self, decision: { ...self.decision, status, tags: status === 2 ? [] : [...new Set([...self.decision.tags, ...escape.decision.tags])].sort() } }, escalated: false };
    }
    return { levels: mergeLevels(levels, evaluateTargets(world, { identity: boundary })), admin: genericAdmin(boundary), escalated: true };
  }

  // --- Principals' nodes.
  const reportByUser = new Map(reportRows.map((r) => [r.value.user, r.value]));
  for (const p of [...byGroupName.values()].sort((x, y) => x.name.localeCompare(y.name))) {
    const group = groups.find((g) => g.value.GroupName === p.name)!.value;
    b.node({ ...base, id: p.id, kind: 'Group', name: `IAM group ${p.name}`, properties: { arn: p.arn, groupId: group.GroupId ?? undefined, path: group.Path ?? undefined, createDate: group.CreateDate ?? undefined, inlinePolicies: p.inlineNames.length ? p.inlineNames : undefined } });
  }
  for (const p of principals) {
    if (p.kind === 'user') {
      const user = userRecords.get(p.name)!;
      const row = reportByUser.get(p.name);
      const password = row ? reportBool(row, 'password_enabled') : undefined;
      b.node({
        ...base, id: p.id, kind: 'Identity', subtype: password ? 'human' : 'service', name: `IAM user ${p.name}`,
        email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.name) ? p.name.toLowerCase() : undefined,
        mfa: row ? reportBool(row, 'mfa_active') : undefined,
        properties: {
          arn: p.arn, userName: p.name, userId: user.UserId ?? undefined, path: user.Path ?? undefined, createDate: user.CreateDate ?? undefined,
          passwordEnabled: password, groups: p.groups.length ? [...p.groups].sort() : undefined, inlinePolicies: p.inlineNames.length ? p.inlineNames : undefined,
          permissionsBoundary: p.boundary, tags: user.Tags?.length ? user.Tags.map((t) => `${t.Key}=${t.Value ?? ''}`) : undefined,
        },
      });
    } else {
      const role = roleRecords.get(p.name)!;
      const serviceLinked = (role.Path ?? '').startsWith('/aws-service-role/');
      b.node({
        ...base, id: p.id, kind: 'Identity', subtype: 'workload', name: `IAM role ${p.name}`, lastUsedAt: role.RoleLastUsed?.LastUsedDate ?? undefined,
        properties: {
          arn: p.arn, roleName: p.name, roleId: role.RoleId ?? undefined, path: role.Path ?? undefined, createDate: role.CreateDate ?? undefined,
          lastUsedRegion: role.RoleLastUsed?.Region ?? undefined, maxSessionDuration: role.MaxSessionDuration ?? undefined, description: role.Description ?? undefined,
          instanceProfiles: role.InstanceProfileList?.length ? role.InstanceProfileList.map((ip) => ip.InstanceProfileName ?? ip.Arn ?? '?') : undefined,
          serviceLinked: serviceLinked || undefined, inlinePolicies: p.inlineNames.length ? p.inlineNames : undefined, permissionsBoundary: p.boundary,
          tags: role.Tags?.length ? role.Tags.map((t) => `${t.Key}=${t.Value ?? ''}`) : undefined,
        },
      });
    }
    b.edge({ kind: 'MANAGES', from: platformId, to: p.id, reason: p.kind === 'user' ? 'An account administrator can create access keys or a console password for this user.' : 'An account administrator can rewrite the trust policy of this role and assume it.' });
  }
  const policyNode = (doc: PolicyDoc): string => b.node({
    ...base, id: id('Role', `${doc.awsManaged ? 'aws-policy' : 'policy'}/${doc.name}`), kind: 'Role',
    name: `${doc.awsManaged ? 'AWS managed policy' : 'Policy'} ${doc.name}`,
    privileged: (policyEval.get(doc.arn)?.emitted ?? []).some((e) => e.level === 'admin') || undefined,
    properties: { arn: doc.arn, policyId: doc.record?.PolicyId ?? undefined, defaultVersionId: doc.record?.DefaultVersionId ?? undefined, attachmentCount: doc.record?.AttachmentCount ?? undefined, awsManaged: doc.awsManaged, evaluated: doc.known, description: doc.record?.Description ?? undefined },
  });

  // --- Authority edges. Reasons name the policy, the action and the resource pattern of the witness.
  /** The highest level an action pattern can grant on resources (takeover actions grant none). */
  const patternLevels = new Map<string, number>();
  const patternLevel = (pattern: string): number => {
    let level = patternLevels.get(pattern);
    if (level === undefined) {
      const service = pattern.slice(0, Math.max(0, pattern.indexOf(':'))).toLowerCase();
      if (!/[*?]/.test(pattern)) { const info = catalogue.action(pattern); level = info.takeover ? 0 : LEVEL_CODE[info.level]; }
      else if (!service || /[*?]/.test(service) || /:\*$/.test(pattern)) level = LEVEL_CODE.admin;
      else level = Math.max(0, ...catalogue.actionsOf(service).filter((a) => globMatch(pattern, a, true) && !catalogue.action(a).takeover).map((a) => LEVEL_CODE[catalogue.action(a).level]));
      patternLevels.set(pattern, level);
    }
    return level;
  };
  const sameService = (pattern: string, action: string): boolean => {
    const colon = pattern.indexOf(':');
    return colon > 0 && pattern.slice(0, colon).toLowerCase() === action.slice(0, action.indexOf(':')).toLowerCase();
  };
  const describeGrant = (e: Emitted, boundaryName?: string): { reason: string; scopes: string[]; policies: string[]; assumed: boolean } => {
    const grant = e.grant;
    if (!grant) return { reason: 'Allowed by the identity policies.', scopes: [], policies: [], assumed: false };
    const allows = grant.decision.allows;
    const scopes = new Set<string>();
    const resources = new Set<string>();
    const level = LEVEL_CODE[e.level];
    for (const s of allows) {
      // The statement's actions that give this level (a read edge lists GetObject and ListBucket, not PutObject).
      if (s.actions) for (const p of s.actions) { if (globMatch(p, grant.action, true) || (sameService(p, grant.action) && patternLevel(p) >= level)) scopes.add(p); }
      else scopes.add(`NotAction ${s.notActions!.join(' ')}`);
      if (s.resources) for (const r of s.resources) resources.add(r);
      else resources.add(`every resource except ${s.notResources!.join(', ')}`);
    }
    // A wildcard or NotAction statement is quoted as written; a list of actions by the one that decided the level.
    const action = hasFresh(grant.action) || [...scopes].some((p) => /[*?]|^NotAction/.test(p)) ? [...scopes].join(', ') : catalogue.canonical(grant.action);
    const policies = [...new Set(allows.map((s) => s.source.name))].sort();
    const conditions = e.tags.length ? ` (only under conditions: ${e.tags.join(', ')})` : '';
    const bounded = boundaryName ? `, within the permissions boundary ${boundaryName}` : '';
    const resourceText = [...resources].slice(0, 3).join(', ') + (resources.size > 3 ? ', …' : '');
    return { reason: `${policies.length > 1 ? 'Policies' : 'Policy'} ${policies.join(', ')} ${policies.length > 1 ? 'allow' : 'allows'} ${action} on ${resourceText}${bounded}${conditions}.`, scopes: [...scopes].sort(), policies, assumed: grant.assumed };
  };
  const describeAdmin = (escalated: Escalation): { reason: string; scopes: string[]; policies: string[] } => {
    const allows = escalated.decision.allows;
    const policies = [...new Set(allows.map((s) => s.source.name))].sort();
    const scopes = [...new Set(allows.flatMap((s) => (s.actions ? s.actions.filter((p) => globMatch(p, escalated.action, true)) : [`NotAction ${s.notActions!.join(' ')}`])))].sort();
    const target = hasFresh(escalated.arn) ? 'any principal that holds it' : escalated.arn.slice(escalated.arn.indexOf(':', 13) + 1);
    const granted = scopes.includes(escalated.action) ? escalated.action : `${scopes.join(', ')} (which includes ${escalated.action})`;
    const resources = [...new Set(allows.flatMap((s) => s.resources ?? [`every resource except ${s.notResources!.join(', ')}`]))].slice(0, 3).join(', ');
    return { reason: `${policies.length > 1 ? 'Policies' : 'Policy'} ${policies.join(', ')} ${policies.length > 1 ? 'allow' : 'allows'} ${granted} on ${resources}, so ${target} can be granted any permission: administrator of the account.`, scopes, policies };
  };
  function writeAuthority(from: string, emitted: readonly Emitted[], admin: Escalation | undefined, boundaryName?: string): void {
    for (const e of emitted) {
      if (e.via === 'admin-equivalent' && admin) {
        const d = describeAdmin(admin);
        b.edge({ kind: 'CAN_ADMIN', from, to: platformId, reason: d.reason, scopes: d.scopes, conditions: e.tags, properties: { policies: d.policies, adminEquivalent: true } });
        continue;
      }
      const d = describeGrant(e, boundaryName);
      if (d.assumed && e.grant) unknownScopes.note({ scope: d.scopes.join(' ') || e.grant.action, entry: { level: e.level, resources: [], tenantWide: false }, assumed: true });
      b.edge({ kind: LEVEL_EDGE[e.level], from, to: targetNode.get(e.target)!, reason: d.reason, scopes: d.scopes, conditions: e.tags, assumed: d.assumed || undefined, properties: { policies: d.policies } });
    }
  }

  // Managed policies as shared Role nodes: one per attached policy, with the edges the policy grants alone.
  const policyNodes = new Map<string, string>();
  const policyNodeOf = (arn: string): string => {
    let node = policyNodes.get(arn);
    if (!node) {
      const doc = policyDocs.get(arn)!;
      node = policyNode(doc);
      policyNodes.set(arn, node);
      const evaluated = policyEval.get(arn)!;
      writeAuthority(node, evaluated.emitted, evaluated.adminEquivalent);
    }
    return node;
  };
  /** HAS_ROLE for each managed policy the holder's full evaluation covers; returns the reach they give. */
  function shareManaged(holder: string, arns: readonly string[], reach: ReadonlyMap<string, Reach>, admin: boolean): Map<string, Reach>[] {
    const shared: Map<string, Reach>[] = [];
    for (const arn of arns) {
      const evaluated = policyEval.get(arn);
      if (!evaluated) continue;
      const doc = policyDocs.get(arn)!;
      if (!covers(world, reach, evaluated.reach) || (evaluated.adminEquivalent && !admin)) {
        // The policy's own edges would over-state this holder's access (a Deny or boundary narrows it): its
        // effective grants are drawn from the holder itself, and the attachment is only listed.
        note('managed policies drawn as direct edges for a holder whose Deny statements or boundary narrow them');
        continue;
      }
      b.edge({ kind: 'HAS_ROLE', from: holder, to: policyNodeOf(arn), reason: `The managed policy ${doc.name} is attached.` });
      shared.push(evaluated.reach);
    }
    return shared;
  }

  // Groups: inline grants directly, managed policies through HAS_ROLE.
  for (const group of [...byGroupName.values()].sort((x, y) => x.name.localeCompare(y.name))) {
    const evaluated = groupEval.get(group.name)!;
    const shared = shareManaged(group.id, group.managed, evaluated.reach, Boolean(evaluated.adminEquivalent));
    writeAuthority(group.id, withoutImplied(evaluated.emitted, mergeReach(world, shared)), evaluated.adminEquivalent);
  }

  // Principals: evaluate, find takeovers, then draw what roles and groups do not already give.
  const takeoverActions = ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole', 'sts:AssumeRole', 'lambda:UpdateFunctionCode', 'iam:AddUserToGroup'];
  const intraAccountTrust = new Map<string, TrustEntry[]>();
  const serviceTrust = new Map<string, Set<string>>();
  for (const p of principals) {
    if (p.kind !== 'role') continue;
    const document = trustDocs.get(p.arn);
    if (!document) continue;
    const { entries } = trustEntries(document);
    intraAccountTrust.set(p.name, entries.filter((e) => e.principal.kind === 'account' && e.principal.account === account && e.actions.includes('sts:AssumeRole')));
    serviceTrust.set(p.name, new Set(entries.flatMap((e) => (e.principal.kind === 'service' ? [e.principal.service] : []))));
  }
  const roleByArn = new Map(principals.filter((p) => p.kind === 'role').map((p) => [p.arn, p]));
  const roleByArnLoose = (arn: string): Principal | undefined => roleByArn.get(arn) ?? byRoleName.get(arn.slice(arn.lastIndexOf('/') + 1));

  interface Takeover { kind: 'CAN_ADD_CREDENTIAL' | 'CAN_RESET_CREDENTIAL' | 'CAN_IMPERSONATE' | 'CAN_ADD_MEMBER'; to: Principal; decision: Decision; reason: string; scopes: string[]; family?: string }

  // Takeover hubs: a principal that may take over every member of a population (every user's access keys, every
  // role that trusts the account ...) gets one CAN_ADMIN edge to a hub that MANAGES the members, instead of one
  // edge per member (an account where every role may assume every other would otherwise have n² edges).
  const HUB_MIN = 5;
  const allUsers = principals.filter((q) => q.kind === 'user');
  const allRoles = principals.filter((q) => q.kind === 'role');
  const hubSpecs = new Map<string, { key: string; name: string; members: Principal[]; because: string } | undefined>();
  const hubSpec = (family: string) => {
    if (!hubSpecs.has(family)) hubSpecs.set(family, describeHub(family));
    return hubSpecs.get(family);
  };
  const describeHub = (family: string): { key: string; name: string; members: Principal[]; because: string } | undefined => {
    if (family === 'access-key') return { key: 'iam/all-users/access-keys', name: 'Access keys of every IAM user', members: allUsers, because: 'Whoever may create an access key for every user signs in as this one.' };
    if (family === 'console-password') return { key: 'iam/all-users/console-passwords', name: 'Console passwords of every IAM user', members: allUsers, because: "Whoever may set every user's console password signs in as this one." };
    if (family === 'assume-role') return { key: 'sts/roles-trusting-the-account', name: 'Every role whose trust policy trusts the whole account', members: allRoles.filter((r) => (intraAccountTrust.get(r.name) ?? []).length > 0), because: 'Whoever may call sts:AssumeRole on every role that trusts the account assumes this one.' };
    if (family === 'trust-policy') return { key: 'iam/all-roles/trust-policies', name: 'Trust policies of every IAM role', members: allRoles, because: 'Whoever may rewrite every trust policy trusts itself here and assumes this role.' };
    if (family.startsWith('pass-role:')) {
      const service = family.slice('pass-role:'.length);
      return { key: `iam/roles-passable-to/${service}`, name: `Every role ${service} may assume, passed to new compute`, members: allRoles.filter((r) => serviceTrust.get(r.name)?.has(service)), because: `Whoever may pass every role ${service} trusts, and start ${service} compute, runs code as this one.` };
    }
    return undefined;
  };
  const hubNode = (family: string): string => {
    const spec = hubSpec(family)!;
    const hubId = id('Resource', spec.key);
    if (!b.has(hubId)) {
      b.node({ ...base, id: hubId, kind: 'Resource', name: spec.name, resourceType: 'takeover-hub', sensitivity: 0, properties: { hub: family, members: spec.members.length } });
      for (const member of spec.members) b.edge({ kind: 'MANAGES', from: hubId, to: member.id, reason: spec.because });
    }
    return hubId;
  };
  /** Replaces per-member takeovers by hub edges where a principal covers a whole population unconditionally. */
  function withHubs(p: Principal, taken: Takeover[]): { direct: Takeover[]; hubs: { family: string; sample: Takeover }[] } {
    const hubs: { family: string; sample: Takeover }[] = [];
    const covered = new Set<Takeover>();
    const families = [...new Set(taken.flatMap((t) => (t.family ? [t.family] : [])))].sort();
    for (const family of families) {
      const spec = hubSpec(family);
      const members = spec?.members.filter((m) => m !== p) ?? [];
      if (members.length < HUB_MIN) continue;
      const mine = taken.filter((t) => t.family === family && t.decision.status === 2);
      const reached = new Set(mine.map((t) => t.to));
      if (!members.every((m) => reached.has(m))) continue;
      hubs.push({ family, sample: mine[0]! });
      for (const t of mine) covered.add(t);
    }
    const hubbed = new Set([...covered].map((t) => `${t.kind}|${t.to.id}`));
    return { direct: taken.filter((t) => !covered.has(t) && !(t.decision.status === 2 && hubbed.has(`${t.kind}|${t.to.id}`))), hubs };
  }
  function takeovers(p: Principal): Takeover[] {
    const identity = fullStatements(p);
    const boundary = boundaryOf(p);
    const possible = new Set(takeoverActions.filter((a) => identity.some((s) => s.effect === 'Allow' && matchesAction(s, a))));
    if (possible.size === 0) return [];
    const can = (action: string, arn: string): Decision => (possible.has(action) ? decideBounded(identity, boundary, action, arn, p.variables) : { status: 0, tags: [], allows: [] });
    /** `Policy x allows` / `Policies x, y allow`. */
    const policiesOf = (d: Decision): string => {
      const names = [...new Set(d.allows.map((s) => s.source.name))].sort();
      return `${names.length > 1 ? 'Policies' : 'Policy'} ${names.join(', ')} ${names.length > 1 ? 'allow' : 'allows'}`;
    };
    const out: Takeover[] = [];
    // (:Identity)-[:CAN_ADD_MEMBER]->(:Group): iam:AddUserToGroup on a group adds any user (itself, or one whose
    // keys it controls) to it, and so gets what the group gets. Groups it is in already give it that anyway.
    for (const group of byGroupName.values()) {
      if (p.groups.includes(group.name)) continue;
      const add = can('iam:AddUserToGroup', group.arn);
      if (add.status) out.push({ kind: 'CAN_ADD_MEMBER', to: group, decision: add, reason: `${policiesOf(add)} iam:AddUserToGroup on ${group.name}: it adds a user it controls${p.kind === 'user' ? ' (itself)' : ''} and gets what the group gets.`, scopes: ['iam:AddUserToGroup'] });
    }
    for (const target of principals) {
      if (target === p) continue;
      if (target.kind === 'user') {
        const key = can('iam:CreateAccessKey', target.arn);
        if (key.status) out.push({ kind: 'CAN_ADD_CREDENTIAL', to: target, decision: key, reason: `${policiesOf(key)} iam:CreateAccessKey on ${target.name}: a new access key signs in as that user.`, scopes: ['iam:CreateAccessKey'], family: 'access-key' });
        const login = bestOf([can('iam:UpdateLoginProfile', target.arn), can('iam:CreateLoginProfile', target.arn)]);
        if (login) out.push({ kind: 'CAN_RESET_CREDENTIAL', to: target, decision: login, reason: `${policiesOf(login)} setting the console password of ${target.name}.`, scopes: ['iam:CreateLoginProfile', 'iam:UpdateLoginProfile'].filter((a) => can(a, target.arn).status), family: 'console-password' });
        continue;
      }
      const candidates: { decision: Decision; reason: string; scopes: string[]; family?: string }[] = [];
      const rewrite = can('iam:UpdateAssumeRolePolicy', target.arn);
      if (rewrite.status) candidates.push({ decision: rewrite, reason: `${policiesOf(rewrite)} iam:UpdateAssumeRolePolicy on ${target.name}: it can trust itself and assume the role.`, scopes: ['iam:UpdateAssumeRolePolicy'], family: 'trust-policy' });
      const assume = can('sts:AssumeRole', target.arn);
      for (const trust of intraAccountTrust.get(target.name) ?? []) {
        if (!assume.status) break;
        const decision: Decision = { status: assume.status === 2 && trust.conditions.length === 0 ? 2 : 1, tags: [...new Set([...assume.tags, ...trust.conditions])].sort(), allows: assume.allows };
        candidates.push({ decision, reason: `${policiesOf(assume)} sts:AssumeRole on ${target.name}, whose trust policy trusts this account.`, scopes: ['sts:AssumeRole'], family: 'assume-role' });
      }
      const pass = can('iam:PassRole', target.arn);
      if (pass.status) {
        for (const compute of AWS_SERVICES.compute) {
          if (!serviceTrust.get(target.name)?.has(compute.trusts)) continue;
          const run = decideBounded(identity, boundary, compute.action, compute.witness.replaceAll('{fresh}', FRESH).replaceAll('{account}', accountId), p.variables);
          if (!run.status) continue;
          const decision: Decision = { status: pass.status === 2 && run.status === 2 ? 2 : 1, tags: [...new Set([...pass.tags, ...run.tags])].sort(), allows: [...pass.allows, ...run.allows] };
          candidates.push({ decision, reason: `${policiesOf(decision)} iam:PassRole on ${target.name} and ${compute.action}: code it starts runs as the role (trusted by ${compute.trusts}).`, scopes: ['iam:PassRole', compute.action], family: `pass-role:${compute.trusts}` });
          break;
        }
      }
      for (const [fn, roleArn] of functionRoles) {
        if (roleByArnLoose(roleArn) !== target) continue;
        const update = can('lambda:UpdateFunctionCode', `arn:aws:lambda:${FRESH}:${account}:function:${fn}`);
        if (update.status) candidates.push({ decision: update, reason: `${policiesOf(update)} lambda:UpdateFunctionCode on ${fn}, which runs as ${target.name}.`, scopes: ['lambda:UpdateFunctionCode'] });
      }
      // Every way in is kept for the hub check; withHubs then leaves one direct edge per role.
      for (const c of candidates) out.push({ kind: 'CAN_IMPERSONATE', to: target, ...c });
    }
    return out;
  }

  for (const p of principals) {
    const { levels, admin: selfAdmin, escalated } = evaluatePrincipal(p);
    let admin = selfAdmin;
    let taken: Takeover[] = [];
    if (!admin || admin.decision.status < 2) {
      taken = takeovers(p);
      // Taking over X and rewriting X's policies is administration too.
      if (!admin) {
        for (const t of taken) {
          // Only a user joins a group: a role that rewrites a group's policies still needs a user to act through.
          if (t.to.kind === 'group' && p.kind !== 'user') continue;
          const requests = t.to.kind === 'user' ? ['iam:PutUserPolicy', 'iam:AttachUserPolicy'] : t.to.kind === 'group' ? ['iam:PutGroupPolicy', 'iam:AttachGroupPolicy'] : ['iam:PutRolePolicy', 'iam:AttachRolePolicy'];
          const via = escalation(fullStatements(p), boundaryOf(p), p.variables, [requests.map((action) => ({ action, arn: t.to.arn }))]);
          if (via && t.decision.status > 0) { admin = { ...via, decision: via.decision.status === 2 && t.decision.status === 2 ? via.decision : { ...via.decision, status: 1, tags: [...new Set([...via.decision.tags, ...t.decision.tags])].sort() } }; break; }
        }
      }
    }
    const evaluated = finish(levels, admin);
    if (escalated) note('principals whose self-escalation is capped by their permissions boundary: drawn with the boundary\'s grants');
    // Groups first: a group is shared when everything it reaches, the member reaches too.
    const shared: Map<string, Reach>[] = [];
    for (const g of p.groups) {
      const group = byGroupName.get(g);
      if (!group) continue;
      const gEval = groupEval.get(g)!;
      const groupReach = mergeReach(world, [gEval.reach, ...group.managed.flatMap((arn) => (policyEval.has(arn) && b.edges.has(`${group.id}|HAS_ROLE|${policyNodes.get(arn)}`) ? [policyEval.get(arn)!.reach] : []))]);
      if (covers(world, evaluated.reach, groupReach) && (!gEval.adminEquivalent || Boolean(admin))) {
        b.edge({ kind: 'MEMBER_OF', from: p.id, to: group.id });
        shared.push(groupReach);
      } else {
        note('group memberships not drawn as MEMBER_OF because the member\'s Deny statements or boundary cut the group\'s grants (drawn directly)');
      }
    }
    shared.push(...shareManaged(p.id, p.managed, evaluated.reach, Boolean(admin)));
    const boundaryDoc = p.boundary ? policyDocs.get(p.boundary) : undefined;
    writeAuthority(p.id, withoutImplied(evaluated.emitted, mergeReach(world, shared)), evaluated.adminEquivalent, boundaryDoc?.known ? boundaryDoc.name : undefined);
    if (admin && admin.decision.status === 2) continue;
    const { direct, hubs } = withHubs(p, taken);
    for (const { family, sample } of hubs) {
      const spec = hubSpec(family)!;
      const policies = [...new Set(sample.decision.allows.map((s) => s.source.name))].sort();
      const reason = `${policies.length > 1 ? 'Policies' : 'Policy'} ${policies.join(', ')} ${policies.length > 1 ? 'allow' : 'allows'} ${sample.scopes.join(' and ')} on all ${spec.members.length} of: ${spec.name.charAt(0).toLowerCase()}${spec.name.slice(1)}.`;
      b.edge({ kind: 'CAN_ADMIN', from: p.id, to: hubNode(family), reason, scopes: sample.scopes, properties: { policies, members: spec.members.length } });
    }
    const bestDirect = new Map<string, Takeover>();
    for (const t of direct) {
      const key = `${t.kind}|${t.to.id}`;
      const before = bestDirect.get(key);
      if (!before || t.decision.status > before.decision.status || (t.decision.status === before.decision.status && t.decision.tags.length < before.decision.tags.length)) bestDirect.set(key, t);
    }
    for (const t of bestDirect.values()) b.edge({ kind: t.kind, from: p.id, to: t.to.id, reason: t.reason, scopes: t.scopes, conditions: t.decision.status === 1 ? t.decision.tags : undefined, properties: { policies: [...new Set(t.decision.allows.map((s) => s.source.name))].sort() } });
  }

  // --- Trust policies: who else may assume each role.
  for (const p of principals) {
    if (p.kind !== 'role') continue;
    const document = trustDocs.get(p.arn);
    if (!document) continue;
    const { entries, ignored: skippedParts } = trustEntries(document);
    for (const part of skippedParts) note(`${part}: ignored (the trust is shown as the Allow statements say)`);
    const roleNode = b.nodes.get(p.id)!;
    const services = [...(serviceTrust.get(p.name) ?? [])].sort();
    if (services.length) roleNode.properties = { ...roleNode.properties, trustedServices: services };
    const summary: string[] = [];
    for (const entry of entries) {
      const principal = entry.principal;
      // The claims an identity provider asserts (aud, sub) say who signs in, they are not a control against it.
      const controls = entry.conditions.filter((c) => c !== 'aws-condition' || (principal.kind !== 'oidc' && principal.kind !== 'saml'));
      switch (principal.kind) {
        case 'service': summary.push(principal.service); break;
        case 'any': {
          summary.push('*');
          note('roles whose trust policy lets any AWS account assume them');
          const credential = b.node({ ...base, id: id('Credential', `trust/${p.name}/any`), kind: 'Credential', type: 'federated', name: `Trust of any AWS principal to assume ${p.name}`, properties: { principal: '*', role: p.arn, publicTrust: true } });
          b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: p.id, conditions: entry.conditions, reason: `The trust policy of ${p.name} lets any AWS principal assume it${entry.conditions.length ? ' (under conditions)' : ''}.` });
          break;
        }
        case 'account': {
          summary.push(principal.account === account ? 'this account' : `account ${principal.account}`);
          if (principal.account === account) break;
          const credential = externalTrust(p, principal.account, undefined, entry);
          const external = externalPlatform(principal.account);
          b.edge({ kind: 'MANAGES', from: external, to: credential, reason: `Administrators of account ${principal.account} can let any of its principals assume ${p.name}.` });
          break;
        }
        case 'principal': {
          summary.push(principal.arn);
          if (principal.account === account) {
            const trusted = principal.principalType === 'user' ? byUserName.get(principal.name) : byRoleName.get(principal.name);
            if (!trusted) { note('trust policies naming principals of this account that are not in the export: ignored'); break; }
            if (trusted !== p) b.edge({ kind: 'CAN_IMPERSONATE', from: trusted.id, to: p.id, conditions: entry.conditions, reason: `The trust policy of ${p.name} names ${trusted.name}, which may assume it.` });
            break;
          }
          const credential = externalTrust(p, principal.account, principal, entry);
          const holder = b.node({ platform: PLATFORM, tenant: principal.account, id: id('Identity', `${principal.principalType}/${principal.name}`, principal.account), kind: 'Identity', subtype: principal.principalType === 'role' ? 'workload' : 'service', name: `IAM ${principal.principalType} ${principal.name} (account ${principal.account})`, properties: { arn: principal.arn, placeholder: true } });
          b.edge({ kind: 'HOLDS', from: holder, to: credential, reason: `${principal.arn} is named in the trust policy of ${p.name}.` });
          b.edge({ kind: 'MANAGES', from: externalPlatform(principal.account), to: holder, reason: `An administrator of account ${principal.account} controls this principal.` });
          break;
        }
        case 'unique-id': summary.push(principal.id); note('trust policies naming a deleted principal (a unique id such as AROA...): ignored'); break;
        case 'oidc': {
          summary.push(principal.provider);
          const credential = b.node({ ...base, id: id('Credential', `oidc/${principal.provider}/${p.name}`), kind: 'Credential', type: 'federated', name: `OIDC trust of ${principal.provider} for ${p.name}`, properties: { provider: principal.providerArn, webIdentity: true, audience: values(entry, `${principal.provider}:aud`), subject: values(entry, `${principal.provider}:sub`) } });
          b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: p.id, conditions: controls, reason: `AssumeRoleWithWebIdentity with a token from ${principal.provider}.` });
          const ci = CI_ISSUERS.find((c) => c.issuer.test(principal.provider));
          if (!ci) { note('OIDC trusts of issuers other than GitHub Actions and GitLab: the trust is shown, the workload behind it is not'); break; }
          const subjects = entry.conditionValues[`${principal.provider.toLowerCase()}:sub`] ?? [];
          if (subjects.length === 0) {
            note(`${ci.title} OIDC trusts without a sub condition: any repository anywhere can assume the role`);
            const anyRepo = b.node({ ...stubNode(ci.platform, 'Resource', '*', `any ${ci.title} repository (no sub condition)`, SOURCE) });
            b.edge({ kind: 'RUNS_AS', from: anyRepo, to: p.id, grant: credential, reason: `The trust policy of ${p.name} accepts ${ci.title} tokens with no subject condition: workflows of any repository can assume it.` });
            break;
          }
          for (const subject of subjects) {
            const match = ci.repo.exec(subject);
            if (!match) { note(`${ci.title} OIDC subjects that name no repository: ignored`); continue; }
            const repo = match[1]!;
            const repoNode = b.node(stubNode(ci.platform, 'Resource', repo, /[*?]/.test(repo) ? `every repository matching ${repo}` : repo, SOURCE));
            b.edge({ kind: 'RUNS_AS', from: repoNode, to: p.id, grant: credential, conditions: controls, reason: `${ci.title} workflows of ${repo}${match[2] ? ` (${match[2]})` : ''} assume ${p.name} through OIDC, without a secret.` });
          }
          break;
        }
        case 'saml': {
          summary.push(principal.provider);
          const credential = b.node({ ...base, id: id('Credential', `saml/${principal.provider}/${p.name}`), kind: 'Credential', type: 'federated', name: `SAML trust of ${principal.provider} for ${p.name}`, properties: { provider: principal.providerArn } });
          b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: p.id, conditions: controls, reason: `AssumeRoleWithSAML with an assertion from the ${principal.provider} identity provider.` });
          const idp = identityProvider(principal.provider);
          const idpNode = b.node(stubNode(idp.platform, 'Platform', principal.provider, `${idp.title} (SAML provider ${principal.provider})`, SOURCE));
          b.edge({ kind: 'MANAGES', from: idpNode, to: credential, reason: `An administrator of the ${idp.title} identity provider can issue assertions for ${p.name}.` });
          break;
        }
        case 'federated': {
          summary.push(principal.provider);
          note('web-identity trusts of other providers (Cognito, Google, ...): shown as a credential with no holder');
          const credential = b.node({ ...base, id: id('Credential', `federated/${principal.provider}/${p.name}`), kind: 'Credential', type: 'federated', name: `Federated trust of ${principal.provider} for ${p.name}`, properties: { provider: principal.provider, webIdentity: true, subject: values(entry, `${principal.provider}:sub`) } });
          b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: p.id, conditions: controls, reason: `AssumeRoleWithWebIdentity with a token from ${principal.provider}.` });
          break;
        }
      }
    }
    if (summary.length) roleNode.properties = { ...roleNode.properties, trust: [...new Set(summary)].sort() };
  }
  function externalPlatform(other: string): string {
    return b.node({ platform: PLATFORM, tenant: other, id: id('Platform', 'account', other), kind: 'Platform', name: `AWS account ${other}`, vendor: 'Amazon Web Services', properties: { accountId: other, placeholder: true } });
  }
  function externalTrust(role: Principal, other: string, principal: { principalType: string; name: string; arn: string } | undefined, entry: TrustEntry): string {
    const who = principal ? `${principal.principalType}/${principal.name}` : 'account';
    const credential = b.node({
      ...base, id: id('Credential', `trust/${role.name}/${other}${principal ? `/${who}` : ''}`), kind: 'Credential', type: 'federated',
      name: `Trust of ${principal ? principal.arn : `account ${other}`} to assume ${role.name}`,
      properties: { trustedAccount: other, trustedPrincipal: principal?.arn, role: role.arn, externalId: entry.conditionValues['sts:externalid'] ? true : undefined },
    });
    b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: role.id, conditions: entry.conditions, reason: `The trust policy of ${role.name} lets ${principal ? principal.arn : `principals of account ${other}`} assume it (cross-account).` });
    return credential;
  }

  // --- Credentials: access keys (ListAccessKeys, last use, credential report) and console passwords.
  const userNode = (name: string, arn?: string): string => {
    const known = byUserName.get(name);
    if (known) return known.id;
    const nodeKey = id('Identity', `user/${name}`);
    if (!b.has(nodeKey)) {
      note('users known only from access keys or the credential report: their policies are not in the export');
      const row = reportByUser.get(name);
      const password = row ? reportBool(row, 'password_enabled') : undefined;
      b.node({ ...base, id: nodeKey, kind: 'Identity', subtype: password ? 'human' : 'service', name: `IAM user ${name}`, mfa: row ? reportBool(row, 'mfa_active') : undefined, properties: { arn: arn ?? `arn:aws:iam::${account}:user/${name}`, userName: name, passwordEnabled: password } });
      b.edge({ kind: 'MANAGES', from: platformId, to: nodeKey, reason: 'An account administrator can create access keys or a console password for this user.' });
    }
    return nodeKey;
  };
  const keysByUser = new Map<string, AccessKey[]>();
  for (const { value: key } of accessKeys) {
    const list = keysByUser.get(key.UserName) ?? [];
    if (!list.some((k) => k.AccessKeyId === key.AccessKeyId)) list.push(key);
    keysByUser.set(key.UserName, list);
  }
  const sameSecond = (a?: string | null, b2?: string): boolean => Boolean(a && b2 && Math.abs(Date.parse(a) - Date.parse(b2)) < 1000);
  const slotUsed = new Set<string>();
  for (const [userName, keys] of [...keysByUser.entries()].sort(([a], [c]) => a.localeCompare(c))) {
    const owner = userNode(userName);
    const row = reportByUser.get(userName);
    for (const key of [...keys].sort((a, c) => a.AccessKeyId.localeCompare(c.AccessKeyId))) {
      // The credential report's slot for this key: the one created (last rotated) at the same second.
      const slot = row ? [1, 2].find((n) => sameSecond(key.CreateDate, reportDate(row, `access_key_${n}_last_rotated`))) : undefined;
      if (slot) slotUsed.add(`${userName}/${slot}`);
      const used = lastUsed.get(key.AccessKeyId) ?? { date: key.AccessKeyLastUsed?.LastUsedDate ?? key.LastUsedDate ?? undefined, service: naValue(key.AccessKeyLastUsed?.ServiceName ?? key.ServiceName), region: naValue(key.AccessKeyLastUsed?.Region ?? key.Region) };
      const fingerprint = accessKeyFingerprint(key.AccessKeyId);
      const hint = accessKeyHint(key.AccessKeyId);
      const credential = b.node({
        ...base, id: id('Credential', `access-key/${fingerprint.slice('sha256:'.length)}`), kind: 'Credential', type: 'api-key',
        name: `Access key of ${userName} (${hint}${key.Status === 'Active' ? '' : ', inactive'})`,
        hint, fingerprint, createdAt: key.CreateDate ?? undefined, lastUsedAt: used.date ?? (slot && row ? reportDate(row, `access_key_${slot}_last_used_date`) : undefined),
        revoked: key.Status === 'Active' ? undefined : true,
        properties: { status: key.Status, userName, lastUsedService: used.service ?? (slot && row ? reportValue(row, `access_key_${slot}_last_used_service`) : undefined), lastUsedRegion: used.region ?? (slot && row ? reportValue(row, `access_key_${slot}_last_used_region`) : undefined), reportSlot: slot },
      });
      b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: owner, reason: `The access key signs API requests as IAM user ${userName}.` });
    }
  }
  const rootId = id('Identity', 'root');
  for (const { value: row } of reportRows) {
    const root = row.user === '<root_account>' || /:root$/.test(row.arn);
    const owner = root
      ? b.node({ ...base, id: rootId, kind: 'Identity', subtype: 'human', name: `Root user of AWS account ${account}`, mfa: reportBool(row, 'mfa_active'), properties: { arn: row.arn, root: true } })
      : userNode(row.user, row.arn);
    const label = root ? 'the root user' : row.user;
    if (root) b.edge({ kind: 'CAN_ADMIN', from: owner, to: platformId, reason: 'The root user can do anything in the account (service control policies aside).' });
    const mfa = reportBool(row, 'mfa_active');
    if (reportBool(row, 'password_enabled') || (root && reportDate(row, 'password_last_used'))) {
      const password = b.node({
        ...base, id: id('Credential', `${root ? 'root' : `user/${row.user}`}/password`), kind: 'Credential', type: 'password', name: `Console password of ${label}`,
        lastUsedAt: reportDate(row, 'password_last_used'), rotatedAt: reportDate(row, 'password_last_changed'), expiresAt: reportDate(row, 'password_next_rotation'),
        properties: { mfaActive: mfa },
      });
      b.edge({ kind: 'AUTHENTICATES_AS', from: password, to: owner, conditions: mfa ? ['mfa'] : undefined, reason: `The console password signs in as ${label}${mfa ? ' together with its MFA device' : ' (no MFA device)'}.` });
    }
    for (const n of [1, 2]) {
      const active = reportBool(row, `access_key_${n}_active`);
      const rotated = reportDate(row, `access_key_${n}_last_rotated`);
      if (!active && !rotated) continue;
      if (!root && keysByUser.has(row.user)) { if (!slotUsed.has(`${row.user}/${n}`)) note('credential-report key slots matching no key of list-access-keys (told apart by creation date): ignored'); continue; }
      const credential = b.node({
        ...base, id: id('Credential', `${root ? 'root' : `user/${row.user}`}/access-key-${n}`), kind: 'Credential', type: 'api-key',
        name: `Access key ${n} of ${label}${active ? '' : ' (inactive)'}`, createdAt: rotated, lastUsedAt: reportDate(row, `access_key_${n}_last_used_date`), revoked: active ? undefined : true,
        properties: { status: active ? 'Active' : 'Inactive', userName: root ? undefined : row.user, reportSlot: n, lastUsedService: reportValue(row, `access_key_${n}_last_used_service`), lastUsedRegion: reportValue(row, `access_key_${n}_last_used_region`) },
      });
      b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: owner, reason: `The access key signs API requests as ${label}.` });
      if (root) note('root user access keys (critical: they administer the account)');
    }
  }

  // (:Resource {secret})-[:STORES_CREDENTIAL]->(:Credential): a secret store keeps the credential where it
  // belongs; reading the secret (secretsmanager:GetSecretValue, a read) yields it. Not a leak.
  for (const link of secretLinks) {
    const secretId = id('Resource', `secretsmanager/${link.secret}`);
    if (!b.has(secretId)) {
      const model = catalogue.model('secretsmanager');
      const spec = AWS_SERVICES.services.secretsmanager;
      const container = targetNode.get(containerKey('secretsmanager'));
      b.node({ ...base, id: secretId, kind: 'Resource', name: `${model.noun ?? 'Secret'} ${link.secret}`, resourceType: model.resourceType ?? 'secretsmanager', sensitivity: spec?.sensitivity, tags: model.tags.length ? model.tags : undefined, properties: { service: 'secretsmanager', resourceName: link.secret, inventoried: true } });
      b.edge({ kind: 'CONTAINS', from: container ?? platformId, to: secretId });
    }
    const stub = b.node(stubNode(link.credential.platform, 'Credential', link.credential.key, link.credential.key, SOURCE));
    b.edge({ kind: 'STORES_CREDENTIAL', from: secretId, to: stub, reason: `The secret ${link.secret} holds this credential (secret-links.json): whoever may read the secret's value gets it.` });
  }

  report.unknownScopes = unknownScopes.list();
  report.notes = [...fileNotes, ...[...notes.entries()].map(([text, n]) => `${n} ${text}`).sort()];
  return { ok: true, fragment: b.fragment(), report };
}

function naValue(value: string | null | undefined): string | undefined {
  return value && value !== 'N/A' ? value : undefined;
}

function values(entry: TrustEntry, key: string): string[] | undefined {
  const found = entry.conditionValues[key.toLowerCase()];
  return found?.length ? found : undefined;
}

/** Which identity provider a SAML provider name points at, by its usual names. */
function identityProvider(name: string): { platform: string; title: string } {
  const n = name.toLowerCase();
  if (n.startsWith('awssso_')) return { platform: 'aws-sso', title: 'IAM Identity Center' };
  if (n.includes('okta')) return { platform: 'okta', title: 'Okta' };
  if (/azure|entra|aad|microsoft/.test(n)) return { platform: 'entra', title: 'Microsoft Entra ID' };
  if (n.includes('google')) return { platform: 'google-workspace', title: 'Google Workspace' };
  return { platform: 'saml', title: name };
}
