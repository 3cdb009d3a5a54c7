// What the integration-platform importers (n8n, Workato, Make, ServiceNow's stored credentials) share: the systems
// their connectors reach, how an action's name tells that it changes identity state or writes HR records, and
// connection-links.json, the hand-written file that says which account a connection signs in as.
import type { InputIssue } from '../../engine/errors.ts';
import { stubNode } from '../../engine/store/link.ts';
import type { FragmentBuilder } from './builder.ts';
import { parseJsonFile, type Located, type RawFile } from './records.ts';
import { parseNodeRef } from '../github/transform.ts';

/** What a connector's platform is for: identity providers and HR are where identity state is decided. */
export const SYSTEM_OF_PLATFORM: Readonly<Record<string, string>> = {
  okta: 'identity-provider', entra: 'identity-provider', 'google-workspace': 'identity-provider', onelogin: 'identity-provider', jumpcloud: 'identity-provider',
  bamboohr: 'hr', workday: 'hr', hibob: 'hr', rippling: 'hr', personio: 'hr',
  servicenow: 'itsm', atlassian: 'itsm', zendesk: 'support', freshservice: 'itsm',
  slack: 'messaging', salesforce: 'crm', hubspot: 'crm', github: 'source-code', gitlab: 'source-code',
  aws: 'cloud', gcp: 'cloud', azure: 'cloud', snowflake: 'data-warehouse', netsuite: 'erp',
};

/**
 * A connector name as the iPaaS spells it (Workato `okta`, `azure_active_directory`, `google_workspace_admin`;
 * Make `okta`, `microsoft-entra-id`, `google-workspace-admin`) to blastmap's platform key, or undefined.
 */
export function platformOfConnector(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  const rules: [RegExp, string][] = [
    [/^okta/, 'okta'], [/^(azureactivedirectory|azuread|microsoftentra|entra|microsoftgraph|office365|microsoft365)/, 'entra'],
    [/^(googleworkspace|gsuite|googleadmin|googledirectory|gmail|googledrive|googlesheets|googlecalendar)/, 'google-workspace'],
    [/^bamboohr/, 'bamboohr'], [/^workday/, 'workday'], [/^(hibob|bob)$/, 'hibob'], [/^rippling/, 'rippling'], [/^personio/, 'personio'],
    [/^servicenow/, 'servicenow'], [/^(jira|confluence|atlassian)/, 'atlassian'], [/^zendesk/, 'zendesk'], [/^freshservice/, 'freshservice'],
    [/^slack/, 'slack'], [/^salesforce/, 'salesforce'], [/^hubspot/, 'hubspot'], [/^github/, 'github'], [/^gitlab/, 'gitlab'],
    [/^(aws|amazon)/, 'aws'], [/^(googlecloud|gcp|bigquery)/, 'gcp'], [/^snowflake/, 'snowflake'], [/^netsuite/, 'netsuite'], [/^onelogin/, 'onelogin'], [/^jumpcloud/, 'jumpcloud'],
  ];
  return rules.find(([pattern]) => pattern.test(key))?.[1];
}

export type IdentityAction = 'create-identity' | 'change-identity' | 'remove-identity' | 'add-member' | 'remove-member' | 'change-group' | 'assign-role' | 'reset-credential' | 'write-hr-record';

/**
 * What an action does, from its name, on a platform whose system is known. A heuristic over the connector's action
 * name (`create_user`, `add_user_to_group`, `okta:createUser`, `deactivateUser`), documented as such: an action on an
 * identity provider whose name says it creates, changes or removes users, groups, memberships, roles or passwords
 * changes identity state; an action on an HR system whose name says it creates or updates workers writes the HR source.
 */
export function actionOfName(platform: string | undefined, actionName: string): IdentityAction | undefined {
  if (!platform) return undefined;
  const system = SYSTEM_OF_PLATFORM[platform];
  const name = actionName.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const words = new Set(name.split('_').filter(Boolean));
  const has = (...any: string[]): boolean => any.some((w) => words.has(w));
  if (system === 'hr') return has('create', 'add', 'update', 'hire', 'terminate', 'upsert', 'edit') && has('employee', 'worker', 'employees', 'workers', 'person', 'hire', 'termination', 'terminate') ? 'write-hr-record' : undefined;
  if (system !== 'identity-provider' && platform !== 'aws' && platform !== 'github' && platform !== 'servicenow' && platform !== 'atlassian') return undefined;
  if (has('password', 'reset', 'mfa', 'factor', 'factors') && has('reset', 'set', 'update', 'change', 'expire', 'clear')) return 'reset-credential';
  if (has('role', 'roles', 'admin') && has('assign', 'add', 'grant', 'create', 'set')) return 'assign-role';
  if (has('group', 'groups', 'member', 'members', 'membership', 'team', 'teams') && has('add', 'assign', 'invite', 'insert')) return 'add-member';
  if (has('group', 'groups', 'member', 'members', 'membership', 'team', 'teams') && has('remove', 'unassign', 'delete')) return words.has('user') || words.has('member') || words.has('members') || words.has('membership') ? 'remove-member' : 'change-group';
  if (has('group', 'groups') && has('create', 'update', 'delete')) return 'change-group';
  if (has('user', 'users', 'account', 'accounts', 'member', 'invitation') && has('create', 'invite', 'provision', 'add', 'insert')) return 'create-identity';
  if (has('user', 'users', 'account', 'accounts') && has('delete', 'deactivate', 'suspend', 'deprovision', 'disable', 'remove', 'terminate')) return 'remove-identity';
  if (has('user', 'users', 'account', 'accounts', 'profile') && has('update', 'activate', 'unsuspend', 'reactivate', 'enable', 'unlock', 'patch', 'upsert')) return 'change-identity';
  return undefined;
}

/** Actions that change identity state (what BM-GOV-IDENTITY-CONTROL-PLANE reads), as opposed to HR writes. */
export const IDENTITY_CHANGING: ReadonlySet<string> = new Set(['create-identity', 'change-identity', 'remove-identity', 'add-member', 'remove-member', 'change-group', 'assign-role', 'reset-credential']);

/** connection-links.json files: `{"<connection id>": "<platform>:Identity|App:<key>"}`, each an object. */
export function readConnectionLinks(files: readonly RawFile[], issues: InputIssue[]): Located<Record<string, unknown>>[] {
  const links: Located<Record<string, unknown>>[] = [];
  for (const file of files) {
    const parsed = parseJsonFile(file);
    if (!parsed.ok) { issues.push(parsed.issue); continue; }
    if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      issues.push({ file: file.path, path: '$', message: 'not an object of connection ids', expected: '{"<connection id>": "<platform>:Identity:<key>", ...}', found: Array.isArray(parsed.value) ? 'an array' : typeof parsed.value });
      continue;
    }
    links.push({ value: parsed.value as Record<string, unknown>, file: file.path, path: '$' });
  }
  return links;
}

/**
 * AUTHENTICATES_AS from each linked connection to the account it signs in as, through a stub resolved when that
 * platform is imported. Returns the connection node ids that were linked.
 */
export function linkConnections(b: FragmentBuilder, source: string, links: readonly Located<Record<string, unknown>>[], connections: ReadonlyMap<string, string>, problem: (issue: InputIssue) => void, what: string): Set<string> {
  const linked = new Set<string>();
  for (const { value, file } of links) {
    for (const [key, ref] of Object.entries(value).sort(([x], [y]) => x.localeCompare(y))) {
      const path = `$[${JSON.stringify(key)}]`;
      const credential = connections.get(key);
      const target = typeof ref === 'string' ? parseNodeRef(ref) : undefined;
      if (!credential) { problem({ file, path, message: `no such ${what} in the export`, expected: `the id of a ${what} in the export`, found: key }); continue; }
      if (!target || (target.kind !== 'Identity' && target.kind !== 'App')) { problem({ file, path, message: 'not a reference to an identity or app', expected: '"<platform>:Identity:<key>", "<platform>:App:<key>" or a node id of an Identity or App', found: typeof ref === 'string' ? ref : typeof ref }); continue; }
      const stub = b.node(stubNode(target.platform, target.kind, target.key, target.key, source));
      b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: stub, reason: `The ${what} ${b.nameOf(credential)} signs in as ${target.key} on ${target.platform} (connection-links.json).` });
      linked.add(credential);
    }
  }
  return linked;
}
