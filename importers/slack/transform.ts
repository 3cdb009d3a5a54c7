// Pure transform of a Slack export (admin.apps.* lists, team.integrationLogs, users.list, bots.info, team.info
// and an optional secret-findings file) into apps, their bot and user tokens, scope-derived authority and bots.
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import { nodeId, type Fragment } from '../../engine/format/native.ts';
import type { Level } from '../../engine/schema/index.ts';
import { stubNode } from '../../engine/store/link.ts';
import { classifyFiles, emptyReport, type FileRole, type ImporterOptions, type ImporterReport, type ImporterResult } from '../common/importer.ts';
import { parseJsonFile, parseRecords, type Located, type RawFile } from '../common/records.ts';
import { lookupScope, splitScopes, UnknownScopes } from '../common/scopes.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import { SLACK_RESOURCES, SLACK_SCOPES, WORKSPACE_TYPE } from './catalog.ts';
import {
  appRequestSchema, botInfoSchema, integrationLogSchema, memberSchema, resolvedAppSchema, secretFindingSchema, teamInfoSchema, usergroupSchema,
  type AppRequest, type CredentialReference, type IntegrationLog, type Member, type ResolvedApp, type SlackApp,
} from './schema.ts';

export const PLATFORM = 'slack';
const SOURCE = 'slack';
const API = 'curl -s -H "Authorization: Bearer $SLACK_TOKEN"';

/** Input files by endpoint; the first pattern that matches a file's lower-cased path wins. */
export const SLACK_FILES: readonly FileRole[] = [
  { role: 'approved', pattern: /admin[-_.]?apps[-_.]?approved[^/]*\.json$/, produce: `${API} "https://slack.com/api/admin.apps.approved.list?team_id=$TEAM&limit=1000" > admin-apps-approved-list.json`, shape: { envelope: ['approved_apps'], fields: ['app'] } },
  { role: 'restricted', pattern: /admin[-_.]?apps[-_.]?restricted[^/]*\.json$/, produce: `${API} "https://slack.com/api/admin.apps.restricted.list?team_id=$TEAM&limit=1000" > admin-apps-restricted-list.json`, shape: { envelope: ['restricted_apps'], fields: ['app'] } },
  { role: 'requests', pattern: /admin[-_.]?apps[-_.]?requests[^/]*\.json$/, produce: `${API} "https://slack.com/api/admin.apps.requests.list?team_id=$TEAM&limit=1000" > admin-apps-requests-list.json`, shape: { envelope: ['app_requests'], fields: ['app', 'user'] } },
  { role: 'integrationLogs', pattern: /integration[-_.]?logs[^/]*\.json$/, produce: `${API} "https://slack.com/api/team.integrationLogs?count=1000&page=1" > team-integration-logs.json`, shape: { envelope: ['logs'], fields: ['change_type', 'date'] } },
  { role: 'bots', pattern: /(^|\/)(bots?[-_.]info[^/]*|bots\/[^/]+)\.json$/, produce: `${API} "https://slack.com/api/bots.info?bot=$BOT_ID" > bots/$BOT_ID.json`, shape: { keys: ['bot'] } },
  { role: 'teamInfo', pattern: /(^|\/)team[-_.]info[^/]*\.json$/, produce: `${API} "https://slack.com/api/team.info" > team-info.json`, shape: { keys: ['team'] } },
  { role: 'secretFindings', pattern: /secret[-_]?findings[^/]*\.json$/, produce: 'written from a secret scanner\'s report: {"findings": [{"channel": "C...", "credential": "<node id>" | {"platform", "key"}}]}' },
  { role: 'usergroups', pattern: /(^|\/)usergroups([-_.][^/]*)?\.json$/, produce: `${API} "https://slack.com/api/usergroups.list?include_users=true&include_disabled=true" > usergroups-list.json`, shape: { envelope: ['usergroups'], fields: ['handle'] } },
  { role: 'users', pattern: /(^|\/)users([-_.][^/]*)?\.json$/, produce: `${API} "https://slack.com/api/users.list?limit=200" > users-list.json`, shape: { envelope: ['members'], fields: ['is_bot', 'team_id'] } },
];

const LEVEL_EDGE: Record<Level, 'CAN_READ' | 'CAN_WRITE' | 'CAN_ADMIN'> = { read: 'CAN_READ', write: 'CAN_WRITE', admin: 'CAN_ADMIN' };
/** Resource types only workspace admins and owners reach: a user token's scopes on them need its user's role. */
const ADMIN_ONLY_TYPES: ReadonlySet<string> = new Set([WORKSPACE_TYPE, 'admin-data']);
/** User tokens act within the installing user's own rights (the channels they are in, their admin role). */
export const USER_RIGHTS_CONDITION = 'signed-in-user-rights';

const lower = (value: string): string => value.toLowerCase();

type AppStatus = 'approved' | 'restricted' | 'requested' | 'installed' | 'removed';

/** Everything the export says about one app, gathered before any node is written. */
interface AppFacts {
  id: string;
  app?: SlackApp;
  name?: string;
  approved?: ResolvedApp;
  restricted?: ResolvedApp;
  requests: AppRequest[];
  logs: IntegrationLog[];
}

/** Install history from team.integrationLogs, oldest first. */
interface InstallHistory {
  installedAt?: string;
  removedAt?: string;
  disabled: boolean;
  installers: string[];
  scopes: string[];
}

function installHistory(logs: readonly IntegrationLog[]): InstallHistory {
  const history: InstallHistory = { disabled: false, installers: [], scopes: [] };
  const scopes = new Set<string>();
  for (const log of logs) {
    const change = lower(log.change_type ?? '');
    if (change === 'removed') {
      // Kept: the revoked token of the last installation is still worth showing (dormant).
      history.removedAt = log.date;
      continue;
    }
    if (history.removedAt !== undefined) {
      // Reinstalled after a removal: a new token with the scopes granted from now on.
      history.removedAt = undefined;
      history.installers = [];
      scopes.clear();
    }
    history.disabled = change === 'disabled';
    if (change === 'added') {
      history.installedAt = log.date;
      if (log.user_id && !history.installers.includes(log.user_id)) history.installers.push(log.user_id);
    }
    for (const scope of splitScopes(log.scope)) scopes.add(scope);
  }
  history.scopes = [...scopes];
  return history;
}

/** The workspace key: --tenant, or the one team id the files agree on. */
function resolveTenant(candidates: { id: string; file: string; path: string }[], option: string | undefined, fallback?: string): { tenant?: string; issue?: InputIssue } {
  if (option?.trim()) return { tenant: option.trim() };
  const distinct = [...new Set(candidates.map((c) => c.id))];
  if (distinct.length === 1) return { tenant: distinct[0] };
  if (fallback?.trim()) return { tenant: fallback.trim() };
  if (distinct.length === 0) {
    return { issue: { path: '$', message: 'no team id', expected: 'a team-info.json file (team.info), an admin.apps.requests.list answer naming its team, users.list members with team_id, or --tenant <team or enterprise id>', found: 'none of them' } };
  }
  const other = candidates.find((c) => c.id !== distinct[0])!;
  return { issue: { file: other.file, path: other.path, message: 'several workspaces in one export', expected: `one workspace per import (${distinct[0]}), or --tenant <team or enterprise id> to file them under one key`, found: other.id } };
}

export function transformSlack(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const report: ImporterReport = emptyReport();
  const issues: InputIssue[] = [];
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, SLACK_FILES);
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  const notes = new Map<string, number>();
  const note = (text: string, count = 1): void => { notes.set(text, (notes.get(text) ?? 0) + count); };

  function read<S extends z.ZodType>(role: string, schema: S, keys: readonly string[], single = false): Located<z.output<S>>[] {
    const out: Located<z.output<S>>[] = [];
    for (const file of byRole.get(role) ?? []) {
      // A Slack error answer ("ok": false with an error) fails in parseRecords. With an empty error it is a
      // value-blanked sample (java-slack-sdk's json-logs shapes blank every value, `ok` included): read as data.
      const parsed = parseJsonFile(file);
      const pages = parsed.ok ? (Array.isArray(parsed.value) ? parsed.value : [parsed.value]) : [];
      if (pages.some((page) => page !== null && typeof page === 'object' && (page as Record<string, unknown>).ok === false && !(page as Record<string, unknown>).error)) {
        note(`file(s) answering "ok": false without an error read as data (a value-blanked sample, not an error response): ${file.path}`);
      }
      const result = parseRecords(schema, file, keys, { lenient: options.lenient, single });
      issues.push(...result.issues);
      report.skipped.push(...result.skipped);
      out.push(...result.records);
    }
    if (out.length > 0) report.records[role] = out.length;
    return out;
  }

  const approved = read('approved', resolvedAppSchema, ['approved_apps']);
  const restricted = read('restricted', resolvedAppSchema, ['restricted_apps']);
  const requests = read('requests', appRequestSchema, ['app_requests']);
  const logs = read('integrationLogs', integrationLogSchema, ['logs']);
  const members = read('users', memberSchema, ['members']);
  const bots = read('bots', botInfoSchema, ['bots'], true);
  const teams = read('teamInfo', teamInfoSchema, ['teams'], true);
  const findings = read('secretFindings', secretFindingSchema, ['findings']);
  const usergroups = read('usergroups', usergroupSchema, ['usergroups']);

  const candidates = [
    ...teams.map((t) => ({ id: t.value.team.id, file: t.file, path: `${t.path}.team.id` })),
    ...requests.filter((r) => r.value.team).map((r) => ({ id: r.value.team!.id, file: r.file, path: `${r.path}.team.id` })),
    ...[...approved, ...restricted].filter((a) => a.value.team_id).map((a) => ({ id: a.value.team_id!, file: a.file, path: `${a.path}.team_id` })),
    ...members.filter((m) => m.value.team_id).map((m) => ({ id: m.value.team_id!, file: m.file, path: `${m.path}.team_id` })),
    ...usergroups.filter((g) => g.value.team_id).map((g) => ({ id: g.value.team_id!, file: g.file, path: `${g.path}.team_id` })),
  ];
  const { tenant: teamId, issue } = resolveTenant(candidates, options.tenant, options.tenantFallback);
  if (issue) issues.push(issue);
  if (issues.length > 0 || !teamId) return { ok: false, issues };

  const tenant = lower(teamId);
  const b = new FragmentBuilder(SOURCE);
  const unknownScopes = new UnknownScopes();
  const id = (kind: string, native: string): string => nodeId(PLATFORM, tenant, kind, native);
  const base = { platform: PLATFORM, tenant };

  // (:Platform) the workspace (or Enterprise Grid org) the export describes.
  const team = teams.find((t) => lower(t.value.team.id) === tenant)?.value.team ?? requests.find((r) => r.value.team && lower(r.value.team.id) === tenant)?.value.team ?? undefined;
  const platformId = b.node({
    ...base, id: id('Platform', 'workspace'), kind: 'Platform', vendor: 'Slack',
    name: team?.name ? `${team.name} (Slack)` : `Slack workspace ${teamId}`,
    properties: definedProperties({ teamId, domain: team?.domain, enterpriseId: teams[0]?.value.team.enterprise_id }),
  });

  // (:Resource) workspace-wide data the scopes reach; (:Platform)-[:CONTAINS]->(:Resource)
  function tenantResource(type: string): string {
    if (type === WORKSPACE_TYPE) return platformId;
    const resourceId = id('Resource', type);
    if (!b.has(resourceId)) {
      const spec = SLACK_RESOURCES[type];
      b.node({ ...base, id: resourceId, kind: 'Resource', name: spec?.name ?? type, resourceType: type, tags: spec?.tags.length ? spec.tags : undefined, sensitivity: spec?.sensitivity, properties: { scope: 'workspace' } });
      b.edge({ kind: 'CONTAINS', from: platformId, to: resourceId });
    }
    return resourceId;
  }

  // (:Identity) members and bots (users.list); workspace roles as (:Role)-[:CAN_ADMIN]->(:Platform).
  const memberById = new Map<string, Member>(members.map((m) => [m.value.id, m.value]));
  const botUserOfApp = new Map<string, string>();
  function workspaceRole(key: 'primary-owner' | 'workspace-owner' | 'workspace-admin'): string {
    const roleId = id('Role', key);
    if (!b.has(roleId)) {
      const name = { 'primary-owner': 'Primary Owner', 'workspace-owner': 'Workspace Owner', 'workspace-admin': 'Workspace Admin' }[key];
      b.node({ ...base, id: roleId, kind: 'Role', name, privileged: true });
      b.edge({ kind: 'CAN_ADMIN', from: roleId, to: platformId, reason: `${name}s manage members, channels and app installations of the workspace.` });
    }
    return roleId;
  }
  for (const { value: member } of members) {
    const memberId = id('Identity', member.id);
    const name = member.real_name || member.profile?.real_name || member.name || member.id;
    if (member.is_bot) {
      b.node({
        ...base, id: memberId, kind: 'Identity', subtype: 'service', name, enabled: member.deleted ? false : true,
        properties: definedProperties({ userId: member.id, handle: member.name, botId: member.profile?.bot_id, appId: member.profile?.api_app_id, bot: true }),
      });
      if (member.profile?.api_app_id) botUserOfApp.set(member.profile.api_app_id, memberId);
      continue;
    }
    b.node({
      ...base, id: memberId, kind: 'Identity', subtype: 'human', name, email: member.profile?.email ? lower(member.profile.email) : undefined, enabled: member.deleted ? false : true,
      properties: definedProperties({ userId: member.id, handle: member.name, guest: member.is_restricted || member.is_ultra_restricted || undefined }),
    });
    if (member.is_primary_owner) b.edge({ kind: 'HAS_ROLE', from: memberId, to: workspaceRole('primary-owner') });
    else if (member.is_owner) b.edge({ kind: 'HAS_ROLE', from: memberId, to: workspaceRole('workspace-owner') });
    else if (member.is_admin) b.edge({ kind: 'HAS_ROLE', from: memberId, to: workspaceRole('workspace-admin') });
  }
  // (:Identity {bot}) from bots.info when users.list does not list the bot user.
  for (const { value: { bot } } of bots) {
    if (!bot.app_id || !bot.user_id) continue;
    const botUser = id('Identity', bot.user_id);
    if (!b.has(botUser)) b.node({ ...base, id: botUser, kind: 'Identity', subtype: 'service', name: bot.name ?? bot.user_id, enabled: bot.deleted ? false : undefined, properties: definedProperties({ userId: bot.user_id, botId: bot.id, appId: bot.app_id, bot: true }) });
    botUserOfApp.set(bot.app_id, botUser);
  }
  // (:Identity)-[:MEMBER_OF]->(:Group {user group}); (:Role admin|owner)-[:CAN_ADD_MEMBER]->(:Group): workspace
  // admins and owners manage user groups (whoever else the workspace lets do it, the export does not say).
  const usergroupIds: string[] = [];
  for (const { value: group } of [...usergroups].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const groupId = id('Group', `usergroup/${group.id}`);
    if (b.has(groupId)) continue;
    const channels = [...(group.prefs?.channels ?? []), ...(group.prefs?.groups ?? [])];
    b.node({
      ...base, id: groupId, kind: 'Group', name: group.name ? `${group.name}${group.handle ? ` (@${group.handle})` : ''}` : `User group ${group.id}`,
      enabled: group.date_delete ? false : undefined,
      properties: definedProperties({ usergroupId: group.id, handle: group.handle, autoType: group.auto_type, external: group.is_external || undefined, defaultChannels: channels.length > 0 ? channels : undefined }),
    });
    usergroupIds.push(groupId);
    for (const userId of [...new Set(group.users ?? [])].sort()) b.edge({ kind: 'MEMBER_OF', from: userRef(userId), to: groupId });
  }
  if (usergroupIds.length > 0) {
    note('user groups read: their default channels are kept as properties (channels are not nodes), so joining one gains no modelled access yet');
    for (const role of ['primary-owner', 'workspace-owner', 'workspace-admin'] as const) {
      const roleId = id('Role', role);
      if (!b.has(roleId)) continue;
      for (const groupId of usergroupIds) b.edge({ kind: 'CAN_ADD_MEMBER', from: roleId, to: groupId, reason: `${b.nameOf(roleId)}s manage the members of every user group.` });
    }
  }

  function userRef(userId: string, hint: { name?: string | null; email?: string | null } = {}): string {
    const userNode = id('Identity', userId);
    if (b.has(userNode)) return userNode;
    if (!memberById.has(userId)) note('users named by logs, approvals or requests but not in users.list: created from what those records say');
    b.node({
      ...base, id: userNode, kind: 'Identity', subtype: 'human', name: hint.name || hint.email || `user ${userId}`, email: hint.email ? lower(hint.email) : undefined,
      properties: { userId, placeholder: true },
    });
    return userNode;
  }

  // Everything known per app, from the admin lists and the integration logs.
  const apps = new Map<string, AppFacts>();
  const factsOf = (appId: string): AppFacts => apps.get(appId) ?? apps.set(appId, { id: appId, requests: [], logs: [] }).get(appId)!;
  for (const { value } of approved) Object.assign(factsOf(value.app.id), { app: value.app, approved: value });
  for (const { value } of restricted) {
    const facts = factsOf(value.app.id);
    if (facts.approved) note('apps both approved and restricted: the later decision (date_updated) wins');
    Object.assign(facts, { app: facts.app ?? value.app, restricted: value });
  }
  for (const { value } of requests) {
    const facts = factsOf(value.app.id);
    facts.app ??= value.app;
    facts.requests.push(value);
  }
  const services: IntegrationLog[] = [];
  const orderedLogs = logs.map((log, i) => ({ log: log.value, i })).sort((a, b2) => a.log.date.localeCompare(b2.log.date) || a.i - b2.i).map(({ log }) => log);
  for (const log of orderedLogs) {
    if (log.app_id) factsOf(log.app_id).logs.push(log);
    else services.push(log);
  }

  function statusOf(facts: AppFacts, history: InstallHistory): AppStatus {
    const decided = [facts.approved && { status: 'approved' as const, at: facts.approved.date_updated ?? '' }, facts.restricted && { status: 'restricted' as const, at: facts.restricted.date_updated ?? '' }]
      .filter((d): d is { status: 'approved' | 'restricted'; at: string } => Boolean(d))
      .sort((x, y) => y.at.localeCompare(x.at));
    if (decided[0]) return decided[0].status;
    if (facts.logs.length > 0) return history.removedAt ? 'removed' : 'installed';
    return 'requested';
  }

  // (:App) per app id; (:App)-[:HOLDS]->(:Credential) bot and user tokens with scope-derived authority.
  for (const facts of [...apps.values()].sort((x, y) => x.id.localeCompare(y.id))) {
    const history = installHistory(facts.logs);
    const status = statusOf(facts, history);
    const app = facts.app;
    const name = app?.name || facts.logs.find((l) => l.app_type)?.app_type || facts.id;
    const decision = status === 'approved' ? facts.approved : status === 'restricted' ? facts.restricted : undefined;
    const scopeList = decision?.scopes ?? facts.requests.flatMap((r) => r.scopes ?? []);
    const sensitive = [...new Set(scopeList.filter((s) => s.is_sensitive).map((s) => s.name))].sort();
    const requesters = facts.requests.map((r) => (r.user ? userRef(r.user.id, { name: r.user.name, email: r.user.email }) : undefined)).filter((u): u is string => u !== undefined);
    const appId = b.node({
      ...base, id: id('App', facts.id), kind: 'App', name,
      thirdParty: app?.is_internal === undefined || app.is_internal === null ? undefined : !app.is_internal,
      publisherVerified: app?.is_app_directory_approved ?? undefined,
      enabled: history.disabled && status !== 'restricted' ? false : undefined,
      properties: definedProperties({
        appId: facts.id, approvalStatus: status, decidedAt: decision?.date_updated ?? undefined, decidedBy: decision?.last_resolved_by?.actor_id,
        appDirectoryUrl: app?.app_directory_url, description: app?.description || undefined,
        requestedScopes: (status === 'restricted' || status === 'requested') && scopeList.length > 0 ? [...new Set(scopeList.map((s) => s.name))].sort() : undefined,
        sensitiveScopes: sensitive.length > 0 ? sensitive : undefined,
        requestedBy: requesters.length > 0 ? [...new Set(requesters.map((u) => b.nodes.get(u)?.email ?? u))].sort() : undefined,
        requestedAt: facts.requests.map((r) => r.date_created ?? '').filter(Boolean).sort()[0],
        installedAt: history.installedAt, installedBy: history.installers.length > 0 ? history.installers : undefined, uninstalledAt: history.removedAt,
      }),
    });
    if (status === 'restricted') { note('restricted apps recorded without tokens or authority'); continue; }
    if (status === 'requested') { note('pending app requests recorded without tokens or authority'); continue; }
    if (status !== 'removed') b.edge({ kind: 'INSTALLED_IN', from: appId, to: platformId });
    // (:Identity)-[:CONSENTED]->(:App): the admin who approved it, and whoever installed it.
    const approver = facts.approved?.last_resolved_by;
    if (status === 'approved' && approver && (!approver.actor_type || approver.actor_type === 'user')) b.edge({ kind: 'CONSENTED', from: userRef(approver.actor_id), to: appId });
    for (const installer of history.installers) {
      const log = facts.logs.find((l) => l.user_id === installer);
      b.edge({ kind: 'CONSENTED', from: userRef(installer, { name: log?.user_name }), to: appId });
    }

    const fromApproval = facts.approved !== undefined && status === 'approved';
    const botScopes = fromApproval ? (facts.approved!.scopes ?? []).filter((s) => lower(s.token_type ?? 'bot') !== 'user').map((s) => s.name) : history.scopes;
    const userScopes = fromApproval ? (facts.approved!.scopes ?? []).filter((s) => lower(s.token_type ?? '') === 'user').map((s) => s.name) : [];
    if (!fromApproval && history.scopes.length > 0) note('apps known only from integration logs: their logged scopes are modelled as the app\'s bot token');
    if (botScopes.length === 0 && userScopes.length === 0) note('apps with no known scopes: no token modelled');
    const revoked = status === 'removed' ? { revoked: true, revokedAt: history.removedAt } : {};
    // Approval (docs/importers/slack.md): an admin's decision in admin.apps.approved.list approves the scopes it
    // lists; without one, the installing user approved what the integration logs say they added or expanded.
    const adminApproval = fromApproval && approver && (!approver.actor_type || approver.actor_type === 'user') && facts.approved!.date_updated
      ? { approvedBy: userRef(approver.actor_id), approvedAt: facts.approved!.date_updated } : undefined;
    const installLogs = facts.logs.filter((l) => l.user_id && ['added', 'expanded'].includes(lower(l.change_type ?? '')) && (!history.removedAt || l.date <= history.removedAt));
    const installApproval = (logs: readonly IntegrationLog[]) => {
      const last = logs.at(-1);
      return last ? { approvedBy: userRef(last.user_id!, { name: last.user_name }), approvedAt: last.date } : undefined;
    };
    if (adminApproval) b.nodes.get(appId)!.approvedBy = adminApproval.approvedBy;
    if (adminApproval) b.nodes.get(appId)!.approvedAt = adminApproval.approvedAt;
    const sensitiveOf = (scopes: string[]) => { const s = scopes.filter((x) => sensitive.includes(x)); return s.length > 0 ? s : undefined; };

    if (botScopes.length > 0) {
      const token = b.node({
        ...base, id: id('Credential', `bot-token/${facts.id}`), kind: 'Credential', type: 'api-key', name: `${name} bot token`,
        scopes: [...new Set(botScopes)], createdAt: history.installedAt, ...revoked,
        ...(adminApproval ? { ...adminApproval, approvedScopes: [...new Set(botScopes)] } : installApproval(installLogs) ? { ...installApproval(installLogs)!, approvedScopes: [...new Set(history.scopes)] } : {}),
        properties: definedProperties({ tokenType: 'bot', appId: facts.id, sensitiveScopes: sensitiveOf(botScopes) }),
      });
      b.edge({ kind: 'HOLDS', from: appId, to: token, reason: `${name} keeps the workspace's bot token (Slack bot tokens do not expire unless token rotation is on).` });
      const botUser = botUserOfApp.get(facts.id);
      if (botUser) b.edge({ kind: 'AUTHENTICATES_AS', from: token, to: botUser, reason: `The bot token acts as the ${name} bot user.` });
      authority(token, botScopes, `${name}'s bot token`, false);
    }
    if (userScopes.length > 0) {
      const holders = history.installers.length > 0 ? history.installers : [undefined];
      if (holders[0] === undefined) note('apps with user-token scopes whose installing users are not in the integration logs: one token stands for all of them');
      for (const installer of holders) {
        const who = installer ? (b.nodes.get(userRef(installer))?.email ?? installer) : undefined;
        const token = b.node({
          ...base, id: id('Credential', installer ? `user-token/${facts.id}/${installer}` : `user-token/${facts.id}`), kind: 'Credential', type: 'api-key',
          name: who ? `${name} user token of ${who}` : `${name} user tokens (installing users not in the export)`,
          scopes: [...new Set(userScopes)], createdAt: installer ? facts.logs.filter((l) => l.user_id === installer && lower(l.change_type ?? '') === 'added').at(-1)?.date : undefined, ...revoked,
          // A user token is approved by its own user, when they installed it; else by the admin's decision.
          ...(installer && installApproval(installLogs.filter((l) => l.user_id === installer)) ? installApproval(installLogs.filter((l) => l.user_id === installer)) : adminApproval ?? {}),
          properties: definedProperties({ tokenType: 'user', appId: facts.id, userId: installer, sensitiveScopes: sensitiveOf(userScopes) }),
        });
        b.edge({ kind: 'HOLDS', from: appId, to: token, reason: `${name} keeps the user token issued when ${who ?? 'a user'} installed it.` });
        // A user token acts as its user within its scopes. Admin scopes (admin.*, auditlogs:read, the legacy admin
        // and client scopes) work only for an admin or owner: when users.list says whether the installing user is
        // one, AUTHENTICATES_AS with the scopes lets the graph builder bound them by the user's own role. Channel
        // membership is not in the export, so the channel, file and directory scopes keep the conditioned approximation.
        const adminScoped = userScopes.some((scope) => { const lookup = lookupScope(SLACK_SCOPES, scope); return !lookup.assumed && lookup.entry.resources.some((type) => ADMIN_ONLY_TYPES.has(type)); });
        const actsAs = adminScoped && installer && memberById.has(installer) ? userRef(installer) : undefined;
        if (actsAs) b.edge({ kind: 'AUTHENTICATES_AS', from: token, to: actsAs, scopes: [...new Set(userScopes)].sort(), reason: `${name}'s user token acts as ${who} with its user scopes, within what ${who} may do.` });
        authority(token, userScopes, who ? `${name}'s user token of ${who}` : `${name}'s user tokens`, true, actsAs !== undefined);
      }
    }
  }

  // Scopes -> (:Credential)-[:CAN_*]->(:Resource|:Platform) through the catalogue; unknown scopes reach the
  // whole workspace at the level their name suggests, flagged `assumed`.
  function authority(token: string, scopes: readonly string[], holder: string, userBound: boolean, roleBounded = false): void {
    for (const scope of new Set(scopes)) {
      const lookup = lookupScope(SLACK_SCOPES, scope);
      unknownScopes.note(lookup);
      const types = lookup.assumed ? [WORKSPACE_TYPE] : lookup.entry.resources;
      if (lower(scope) === 'usergroups:write') {
        // (:Credential)-[:CAN_ADD_MEMBER]->(:Group): the token edits any user group's member list.
        for (const groupId of usergroupIds) {
          b.edge({ kind: 'CAN_ADD_MEMBER', from: token, to: groupId, scopes: [scope], grant: token, conditions: userBound ? [USER_RIGHTS_CONDITION] : undefined, reason: `${holder} has usergroups:write, which sets the members of any user group.` });
        }
      }
      for (const type of types) {
        // Admin-only resources of a known scope are bounded by the user's role (AUTHENTICATES_AS), not approximated.
        if (roleBounded && !lookup.assumed && ADMIN_ONLY_TYPES.has(type)) continue;
        const reason = lookup.assumed
          ? `${holder} has ${scope}, which the Slack scope catalogue does not know: level assumed from its name.`
          : `${holder} has ${scope}: ${lookup.entry.risk ?? 'see the Slack scope reference'}`;
        b.edge({
          kind: LEVEL_EDGE[lookup.entry.level], from: token, to: tenantResource(type), scopes: [scope], grant: token, reason,
          conditions: userBound ? [USER_RIGHTS_CONDITION] : undefined, assumed: lookup.assumed || undefined,
        });
      }
    }
  }

  // Legacy custom integrations (services) from the logs: recorded, without tokens (their webhook URLs are secrets).
  for (const log of services) {
    const serviceId = String(log.service_id);
    const appId = b.node({ ...base, id: id('App', `service/${serviceId}`), kind: 'App', name: log.service_type || `service ${serviceId}`, properties: { serviceId, legacyIntegration: true } });
    if (lower(log.change_type ?? '') === 'added' && log.user_id) b.edge({ kind: 'CONSENTED', from: userRef(log.user_id, { name: log.user_name }), to: appId });
  }
  const installedServices = new Map<string, IntegrationLog>();
  for (const log of services) installedServices.set(String(log.service_id), log);
  for (const [serviceId, last] of installedServices) {
    if (lower(last.change_type ?? '') !== 'removed') b.edge({ kind: 'INSTALLED_IN', from: id('App', `service/${serviceId}`), to: platformId });
  }
  if (services.length > 0) note('legacy custom integrations (services) recorded without tokens', services.length);

  // (:Resource {channel})-[:CONTAINS_CREDENTIAL]->(:Credential) from secret findings, the credential as a stub.
  for (const { value: finding } of findings) {
    const channel = id('Resource', finding.channel);
    if (!b.has(channel)) {
      const kind = finding.channel.startsWith('D') ? 'direct-messages' : finding.is_private ? 'private-channels' : 'public-channels';
      b.node({
        ...base, id: channel, kind: 'Resource', name: finding.channel_name || finding.channel, resourceType: kind === 'direct-messages' ? 'conversation' : 'channel',
        properties: definedProperties({ channelId: finding.channel, isPrivate: kind !== 'public-channels' }),
      });
      b.edge({ kind: 'CONTAINS', from: tenantResource(kind), to: channel });
    }
    const credential = credentialStub(b, finding.credential);
    b.edge({
      kind: 'CONTAINS_CREDENTIAL', from: channel, to: credential,
      reason: `A secret scanner${finding.detector ? ` (${finding.detector})` : ''} found this credential in ${finding.channel_name || finding.channel}.`,
      properties: definedProperties({ messageTs: finding.message_ts, detector: finding.detector }),
    });
  }

  report.unknownScopes = unknownScopes.list();
  report.notes = [...fileNotes, ...[...notes.entries()].map(([text, count]) => `${count} ${text}`)];
  const fragment: Fragment = b.fragment();
  return { ok: true, fragment, report };
}

/** A reference stub for a credential of any platform, resolved when that platform is (or was) imported. */
export function credentialStub(b: FragmentBuilder, reference: CredentialReference): string {
  if (typeof reference === 'string') {
    const [platform, , , ...rest] = reference.split(':');
    const native = rest.join(':');
    return b.node(stubNode(platform!, 'Credential', native, native, SOURCE));
  }
  return b.node(stubNode(reference.platform, 'Credential', reference.key, reference.name ?? reference.key, SOURCE));
}
