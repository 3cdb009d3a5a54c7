// Pure transform of BambooHR API answers (the employee directory, the users who can sign in) into the HR source of
// truth: the employee records as a sensitive resource, the accounts that sign in, and the API users integrations
// hold, which usually carry full access (access levels are not in the API: assumed, and said so).
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { nodeId } from '../../engine/format/native.ts';
import { classifyFiles, emptyReport, type FileRole, type ImporterOptions, type ImporterReport, type ImporterResult } from '../common/importer.ts';
import { parseJsonFile, parseRecords, type Located, type RawFile } from '../common/records.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import { employeeSchema, userSchema } from './schema.ts';

export const PLATFORM = 'bamboohr';
const SOURCE = 'bamboohr';
const API = 'curl -s -u "$BAMBOOHR_API_KEY:x" -H "Accept: application/json"';

export const BAMBOOHR_FILES: readonly FileRole[] = [
  { role: 'directory', pattern: /(^|\/)(employees-?)?directory[^/]*\.json$/, produce: `${API} "https://api.bamboohr.com/api/gateway.php/$COMPANY/v1/employees/directory" > directory.json`, shape: { envelope: ['employees'], fields: ['id', 'displayName'] } },
  { role: 'users', pattern: /(^|\/)(meta-)?users[^/]*\.json$/, produce: `${API} "https://api.bamboohr.com/api/gateway.php/$COMPANY/v1/meta/users" > users.json` },
];

export function transformBamboohr(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const report: ImporterReport = emptyReport();
  const issues: InputIssue[] = [];
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, BAMBOOHR_FILES);
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  const notes: string[] = [];

  const employees: Located<z.output<typeof employeeSchema>>[] = [];
  for (const file of byRole.get('directory') ?? []) {
    const result = parseRecords(employeeSchema, file, ['employees'], { lenient: options.lenient });
    issues.push(...result.issues);
    report.skipped.push(...result.skipped);
    employees.push(...result.records);
  }
  if (byRole.has('directory')) report.records.directory = employees.length;
  // meta/users is an object keyed by user id, not a list: each value is one user.
  const users: Located<z.output<typeof userSchema>>[] = [];
  for (const file of byRole.get('users') ?? []) {
    const parsed = parseJsonFile(file);
    if (!parsed.ok) { issues.push(parsed.issue); continue; }
    const document = parsed.value;
    if (document === null || typeof document !== 'object' || Array.isArray(document)) { issues.push({ file: file.path, path: '$', message: 'not an object of users by id', expected: '{"<user id>": {id, employeeId, firstName, lastName, email, status, lastLogin}}', found: Array.isArray(document) ? 'an array' : typeof document }); continue; }
    for (const [key, value] of Object.entries(document as Record<string, unknown>)) {
      const result = userSchema.safeParse(value);
      const path = `$[${JSON.stringify(key)}]`;
      if (result.success) { users.push({ value: result.data, file: file.path, path }); continue; }
      const issue = result.error.issues[0]!;
      const problem = { file: file.path, path: `${path}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`, message: issue.message, expected: 'a BambooHR user', found: 'an invalid value' };
      (options.lenient ? report.skipped : issues).push(problem);
    }
  }
  if (byRole.has('users')) report.records.users = users.length;

  // The company: --tenant, the workspace folder, else the one email domain the accounts share (the API never names it).
  const domains = [...new Set([...users.map((u) => u.value.email), ...employees.map((e) => e.value.workEmail)].map((email) => email?.toLowerCase().split('@')[1]).filter((d): d is string => Boolean(d)))];
  const company = options.tenant?.trim() || options.tenantFallback?.trim() || (domains.length === 1 ? domains[0] : undefined);
  if (!company) issues.push({ path: '$', message: 'no BambooHR company', expected: 'a workspace folder exports/bamboohr/<company>/, --tenant <company> (the <company> of <company>.bamboohr.com), or accounts sharing one email domain', found: domains.length > 1 ? `several email domains (${domains.slice(0, 3).join(', ')})` : 'none of them' });
  if (issues.length > 0 || !company) return { ok: false, issues };

  const tenant = company.toLowerCase();
  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, tenant, kind, native);
  const base = { platform: PLATFORM, tenant };
  const platformId = b.node({ ...base, id: id('Platform', 'company'), kind: 'Platform', vendor: 'BambooHR', name: `BambooHR ${company}`, properties: { company } });
  const records = b.node({ ...base, id: id('Resource', 'employee-records'), kind: 'Resource', resourceType: 'hr-records', name: 'Employee records (job, manager, pay, personal and bank details)', tags: ['pii'], sensitivity: 8, properties: { employees: employees.length || undefined } });
  const directory = b.node({ ...base, id: id('Resource', 'directory'), kind: 'Resource', resourceType: 'directory', name: 'Employee directory', tags: ['internal'], sensitivity: 4 });
  b.edge({ kind: 'CONTAINS', from: platformId, to: records });
  b.edge({ kind: 'CONTAINS', from: platformId, to: directory });

  const employeeById = new Map(employees.map((e) => [e.value.id, e.value]));
  let apiUsers = 0;
  for (const { value: user } of [...users].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const employee = user.employeeId ? employeeById.get(user.employeeId) : undefined;
    const integration = !user.employeeId || user.employeeId === '0';
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email || `user ${user.id}`;
    const person = b.node({
      ...base, id: id('Identity', user.id), kind: 'Identity', subtype: integration ? 'service' : 'human', name, email: user.email ? user.email.toLowerCase() : undefined,
      enabled: user.status && user.status.toLowerCase() !== 'enabled' ? false : undefined,
      properties: definedProperties({ userId: user.id, employeeId: user.employeeId ?? undefined, status: user.status, lastLogin: user.lastLogin, jobTitle: employee?.jobTitle, department: employee?.department }),
    });
    b.edge({ kind: 'CAN_READ', from: person, to: directory, reason: 'Every BambooHR user sees the published employee directory.' });
    if (integration) {
      apiUsers++;
      b.edge({ kind: 'CAN_ADMIN', from: person, to: records, assumed: true, reason: `${name} is a user tied to no employee: an account made for an integration's API key, which usually carries full admin access (access levels are not in the API: assumed).` });
    }
  }
  if (apiUsers > 0) notes.push(`${apiUsers} users tied to no employee (integration accounts): assumed to administer the employee records`);
  notes.push('access levels are not in the BambooHR API: employees\' own access to the records is not imported');
  report.notes = [...fileNotes, ...notes];
  return { ok: true, fragment: b.fragment(), report };
}
