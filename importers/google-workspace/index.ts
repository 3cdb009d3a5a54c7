// The google-workspace importer: which files it reads (one per Admin SDK endpoint, plus the hand-written
// domain-wide delegation list) and the pure transform from them to a Fragment. GCP is importers/gcp.
import type { InputIssue } from '../../engine/errors.ts';
import { classifyFiles, emptyReport, missingFileIssues, recordCollector, type FileRole, type Importer, type ImporterOptions, type ImporterResult } from '../common/importer.ts';
import { parseRecords, type RawFile } from '../common/records.ts';
import { grantHistories, readTokenFile, type LocatedToken } from './read.ts';
import { activitySchema, delegationSchema, groupSchema, memberSchema, userSchema, type Delegation, type GoogleActivity, type GoogleGroup, type GoogleMember, type GoogleUser } from './schema.ts';
import { buildWorkspace, primaryDomain } from './transform.ts';

const BEARER = 'curl -s -H "Authorization: Bearer $(gcloud auth print-access-token)"';

/** Order matters: the first pattern that matches a file's path wins. */
export const WORKSPACE_FILES: readonly FileRole[] = [
  {
    role: 'domain-wide delegation',
    pattern: /domain-wide-delegation[^/]*\.json$/,
    produce: 'written by hand from Admin console > Security > Access and data control > API controls > Manage domain-wide delegation: [{"clientId": "...", "scopes": ["..."], "name": "..."}]',
    shape: { fields: ['clientId', 'scopes'], without: ['displayText', 'userKey', 'kind'] },
  },
  {
    role: 'token activity',
    pattern: /(token-activit|activit[^/]*token|reports?[^/]*token)[^/]*\.json$/,
    produce: `${BEARER} "https://admin.googleapis.com/admin/reports/v1/activity/users/all/applications/token?maxResults=1000" > token-activity.json`,
    shape: { envelope: ['items'], fields: ['events', 'actor'] },
  },
  {
    role: 'tokens',
    pattern: /(^|\/)tokens\/[^/]+\.json$|tokens[^/]*\.json$/,
    produce: `${BEARER} "https://admin.googleapis.com/admin/directory/v1/users/{userKey}/tokens" > tokens/{userKey}.json`,
    shape: { envelope: ['items'], fields: ['clientId', 'scopes', 'userKey'] },
  },
  {
    role: 'group members',
    pattern: /(^|\/)groups\/[^/]+\/members[^/]*\.json$|(^|\/)group-members\/[^/]+\.json$/,
    produce: `${BEARER} "https://admin.googleapis.com/admin/directory/v1/groups/{groupKey}/members?maxResults=200" > groups/{groupKey}/members.json`,
  },
  {
    role: 'groups',
    pattern: /(^|\/)groups[^/]*\.json$/,
    produce: `${BEARER} "https://admin.googleapis.com/admin/directory/v1/groups?customer=my_customer&maxResults=200" > groups.json`,
    shape: { envelope: ['groups'], fields: ['email'], anyOf: ['directMembersCount', 'adminCreated'] },
  },
  {
    role: 'users',
    pattern: /users[^/]*\.json$/,
    produce: `${BEARER} "https://admin.googleapis.com/admin/directory/v1/users?customer=my_customer&maxResults=500" > users.json`,
    required: true,
    shape: { envelope: ['users'], fields: ['primaryEmail'] },
  },
];

export function transformWorkspace(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const { byRole, ignored, missing, unrecognised, notes: fileNotes } = classifyFiles(files, WORKSPACE_FILES);
  const issues: InputIssue[] = [...missingFileIssues(missing)];
  const report = emptyReport();
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  report.notes.push(...fileNotes);
  const lenient = options.lenient === true;
  const collect = recordCollector(byRole, issues, report);

  const users = collect<GoogleUser>('users', (file) => parseRecords(userSchema, file, ['users'], { lenient }));
  const activities = collect<GoogleActivity>('token activity', (file) => parseRecords(activitySchema, file, ['items'], { lenient }));
  const delegations = collect<Delegation>('domain-wide delegation', (file) => parseRecords(delegationSchema, file, ['clients', 'items'], { lenient }));
  const groups = collect<GoogleGroup>('groups', (file) => parseRecords(groupSchema, file, ['groups'], { lenient }));
  const members = collect<GoogleMember>('group members', (file) => parseRecords(memberSchema, file, ['members'], { lenient }));
  const tokens: LocatedToken[] = [];
  const tokensCovered = new Set<string>();
  for (const file of byRole.get('tokens') ?? []) {
    const result = readTokenFile(file, lenient);
    tokens.push(...result.tokens);
    for (const key of result.covered) tokensCovered.add(key);
    issues.push(...result.issues);
    report.skipped.push(...result.skipped);
  }
  if (byRole.has('tokens')) report.records.tokens = tokens.length;
  if (issues.length > 0) return { ok: false, issues };

  const domain = primaryDomain(users, options.tenant, options.tenantFallback);
  if (!domain.ok) return { ok: false, issues: [domain.issue] };
  const emailById = new Map(users.map((u) => [u.value.id, u.value.primaryEmail.toLowerCase()]));
  const { histories, unattributed } = grantHistories(activities.map((a) => a.value), (profileId) => emailById.get(profileId));
  const built = buildWorkspace({ users, tokens, tokensCovered, histories, delegations, groups, members }, domain.domain, { lenient });
  if (built.issues.length > 0) return { ok: false, issues: built.issues };
  const merged = {
    ...built.report,
    records: report.records,
    skipped: [...report.skipped, ...built.report.skipped],
    ignoredFiles: report.ignoredFiles,
    unrecognised: report.unrecognised,
    notes: [...report.notes, ...built.report.notes, ...(unattributed > 0 ? [`${unattributed} token activity event${unattributed === 1 ? '' : 's'} without a user or client id; ignored`] : [])],
  };
  return { ok: true, fragment: built.fragment, report: merged };
}

export const googleWorkspaceImporter: Importer = {
  source: 'google-workspace',
  title: 'Google Workspace',
  files: WORKSPACE_FILES,
  folders: ['tokens', 'groups', 'group-members'],
  transform: transformWorkspace,
};
