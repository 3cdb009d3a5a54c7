// Pure transform of ServiceNow Table API answers (users, roles, groups and their members, OAuth application
// registries, the tokens the instance issued, stored credential records) into the ITSM platform's part of the
// identity control plane: integration users and their roles, who can create users or change groups, OAuth clients
// and the users their tokens act as, and the credentials ServiceNow keeps for its own integrations.
import type { z } from 'zod';
import { nodeId } from '../../engine/format/native.ts';
import { importSession, type FileRole, type ImporterOptions, type ImporterResult } from '../common/importer.ts';
import { MAX_HOST } from '../common/bounds.ts';
import type { Located, RawFile } from '../common/records.ts';
import { linkConnections, readConnectionLinks } from '../common/ipaas.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import {
  credentialRecordSchema, oauthCredentialSchema, oauthEntitySchema, sysGroupHasRoleSchema, sysUserGrmemberSchema,
  sysUserGroupSchema, sysUserHasRoleSchema, sysUserRoleSchema, sysUserSchema,
} from './schema.ts';

export const PLATFORM = 'servicenow';
const SOURCE = 'servicenow';
const API = 'curl -s -u "$SN_USER:$SN_PASSWORD" -H "Accept: application/json"';
const table = (name: string, query = ''): string => `${API} "https://$SN_INSTANCE.service-now.com/api/now/table/${name}?sysparm_limit=10000${query}" > ${name}.json`;

export const SERVICENOW_FILES: readonly FileRole[] = [
  { role: 'userRoles', pattern: /(^|\/)sys_user_has_role[^/]*\.json$/, produce: table('sys_user_has_role', '&sysparm_query=state=active'), shape: { envelope: ['result'], fields: ['user', 'role', 'state'] } },
  { role: 'groupMembers', pattern: /(^|\/)sys_user_grmember[^/]*\.json$/, produce: table('sys_user_grmember'), shape: { envelope: ['result'], fields: ['user', 'group'], without: ['role'] } },
  { role: 'groupRoles', pattern: /(^|\/)sys_group_has_role[^/]*\.json$/, produce: table('sys_group_has_role'), shape: { envelope: ['result'], fields: ['group', 'role'], without: ['user'] } },
  { role: 'groups', pattern: /(^|\/)sys_user_group[^/]*\.json$/, produce: table('sys_user_group'), shape: { envelope: ['result'], fields: ['sys_id', 'name', 'manager'], without: ['user_name', 'client_id'] } },
  { role: 'roles', pattern: /(^|\/)sys_user_role[^/]*\.json$/, produce: table('sys_user_role'), shape: { envelope: ['result'], fields: ['sys_id', 'name', 'elevated_privilege'] } },
  { role: 'users', pattern: /(^|\/)sys_user[^/]*\.json$/, produce: table('sys_user'), shape: { envelope: ['result'], fields: ['sys_id', 'user_name', 'active'] } },
  { role: 'oauthEntities', pattern: /(^|\/)oauth_entity[^/]*\.json$/, produce: table('oauth_entity'), shape: { envelope: ['result'], fields: ['sys_id', 'name', 'client_id'] } },
  { role: 'oauthTokens', pattern: /(^|\/)oauth_credential[^/]*\.json$/, produce: table('oauth_credential'), shape: { envelope: ['result'], fields: ['sys_id', 'peer', 'expires'] } },
  { role: 'credentials', pattern: /(^|\/)(discovery_credentials|basic_auth_credentials|api_key_credentials|oauth_2_0_credentials)[^/]*\.json$/, produce: table('discovery_credentials'), shape: { envelope: ['result'], fields: ['sys_id', 'name', 'sys_class_name', 'active'], without: ['email', 'user', 'client_id'] } },
  { role: 'connectionLinks', pattern: /(^|\/)connection-links\.json$/, produce: 'written by you: which account on which platform each stored credential signs in as (docs/importers/servicenow.md)' },
];

/** Roles that administer the whole instance. */
const INSTANCE_ADMIN_ROLES = new Set(['admin', 'security_admin', 'maint']);
/** Roles that do not administer the instance but take over identities, registries or integrations. */
const PRIVILEGED_ROLES = new Set([...INSTANCE_ADMIN_ROLES, 'user_admin', 'oauth_admin', 'impersonator', 'web_service_admin', 'credential_admin', 'connection_admin']);
/** Roles that read and write the service records (incidents, requests, changes). */
const FULFILLER_ROLES = new Set(['itil', 'itil_admin', 'sn_request_write', 'catalog_admin']);

const lower = (value: string): string => value.toLowerCase();
const CREDENTIAL_TYPES: Record<string, 'password' | 'api-key' | 'oauth-grant' | 'ssh-key' | 'certificate'> = {
  basic_auth_credentials: 'password', api_key_credentials: 'api-key', oauth_2_0_credentials: 'oauth-grant', ssh_private_key_credentials: 'ssh-key', ssh_credentials: 'password', certificate_credentials: 'certificate',
};

export function transformServicenow(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const session = importSession(files, SERVICENOW_FILES, options);
  const { issues, byRole, note, problem } = session;
  const hosts: { host: string; file: string; path: string }[] = [];
  /** One table's records; their reference links name the instance: https://<instance>.service-now.com/api/now/table/... */
  function read<S extends z.ZodType>(role: string, schema: S): Located<z.output<S>>[] {
    const records = session.read(role, schema, ['result']);
    for (const record of records) {
      for (const [key, value] of Object.entries(record.value as Record<string, unknown>)) {
        const link = value && typeof value === 'object' && 'link' in value ? (value as { link?: string }).link : undefined;
        const host = link ? /^https?:\/\/([^/]+)\/api\/now\//i.exec(link)?.[1] : undefined;
        if (!host) continue;
        const path = `${record.path}.${key}.link`;
        // The instance host is the tenant, part of every node id: a host name has at most 253 characters (DNS).
        if (host.length > MAX_HOST) issues.push({ file: record.file, path, message: `instance host longer than ${MAX_HOST} characters`, expected: `a link to https://<instance>.service-now.com/api/now/... with a host of at most ${MAX_HOST} characters`, found: `a host of ${host.length} characters` });
        else hosts.push({ host: lower(host), file: record.file, path });
      }
    }
    return records;
  }

  const users = read('users', sysUserSchema);
  const roles = read('roles', sysUserRoleSchema);
  const userRoles = read('userRoles', sysUserHasRoleSchema);
  const groups = read('groups', sysUserGroupSchema);
  const members = read('groupMembers', sysUserGrmemberSchema);
  const groupRoles = read('groupRoles', sysGroupHasRoleSchema);
  const entities = read('oauthEntities', oauthEntitySchema);
  const tokens = read('oauthTokens', oauthCredentialSchema);
  const records = read('credentials', credentialRecordSchema);
  const links = readConnectionLinks(byRole.get('connectionLinks') ?? [], issues);

  // The instance: --tenant, else the host the reference links name, else the workspace folder.
  const optionTenant = options.tenant?.trim() ? lower(options.tenant.trim()) : undefined;
  const distinct = [...new Set(hosts.map((h) => h.host))];
  const clash = hosts.find((h) => h.host !== (optionTenant ?? distinct[0]));
  if (clash) issues.push({ file: clash.file, path: clash.path, message: optionTenant ? '--tenant does not match the export' : 'several ServiceNow instances in one export', expected: optionTenant ? `links to ${optionTenant}` : `one instance per import (${distinct[0]})`, found: clash.host });
  const instance = optionTenant ?? distinct[0] ?? (options.tenantFallback?.trim() ? lower(options.tenantFallback.trim()) : undefined);
  if (!instance) issues.push({ path: '$', message: 'no ServiceNow instance name', expected: 'reference fields with links (the Table API default), a workspace folder exports/servicenow/<instance host>/, or --tenant <instance>.service-now.com', found: 'none of them' });
  if (issues.length > 0 || !instance) return { ok: false, issues };

  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, instance, kind, native);
  const base = { platform: PLATFORM, tenant: instance };
  const platformId = b.node({ ...base, id: id('Platform', 'instance'), kind: 'Platform', vendor: 'ServiceNow', name: `ServiceNow instance ${instance}`, properties: { instance } });
  const recordsId = b.node({ ...base, id: id('Resource', 'records'), kind: 'Resource', resourceType: 'itsm-records', name: 'Service records (incidents, requests, changes, CMDB)', tags: ['internal'], sensitivity: 6 });
  b.edge({ kind: 'CONTAINS', from: platformId, to: recordsId });

  // (:Identity) accounts; integration users (web service access only, internal integration users) are service identities.
  const userId = (sysId: string): string => id('Identity', sysId);
  for (const { value: user } of [...users].sort((x, y) => x.value.sys_id.localeCompare(y.value.sys_id))) {
    const integration = user.web_service_access_only === true || user.internal_integration_user === true;
    b.node({
      ...base, id: userId(user.sys_id), kind: 'Identity', subtype: integration ? 'service' : 'human', name: user.name || user.user_name || `user ${user.sys_id}`,
      email: user.email ? lower(user.email) : undefined, enabled: user.active === false || user.locked_out === true ? false : undefined, lastUsedAt: undefined,
      properties: definedProperties({ sysId: user.sys_id, userName: user.user_name, webServiceAccessOnly: user.web_service_access_only, internalIntegrationUser: user.internal_integration_user, lastLogin: user.last_login_time, lockedOut: user.locked_out }),
    });
  }
  const knownUser = (ref: { value: string }): string => {
    const existing = userId(ref.value);
    if (!b.has(existing)) { b.node({ ...base, id: existing, kind: 'Identity', name: `user ${ref.value}`, properties: { sysId: ref.value } }); note('users referenced but not in sys_user.json (added by sys_id)'); }
    return existing;
  };

  // (:Role) roles with what each lets its holders do.
  const roleNames = new Map(roles.map((r) => [r.value.sys_id, r.value]));
  const roleId = (sysId: string): string | undefined => {
    const role = roleNames.get(sysId);
    if (!role) { note('role references to roles not in sys_user_role.json (skipped)'); return undefined; }
    const nodeIdOfRole = id('Role', lower(role.name));
    if (!b.has(nodeIdOfRole)) {
      const name = lower(role.name);
      b.node({ ...base, id: nodeIdOfRole, kind: 'Role', name: role.name, privileged: PRIVILEGED_ROLES.has(name) || role.elevated_privilege === true || undefined, properties: definedProperties({ sysId: role.sys_id, elevatedPrivilege: role.elevated_privilege }) });
      if (INSTANCE_ADMIN_ROLES.has(name)) b.edge({ kind: 'CAN_ADMIN', from: nodeIdOfRole, to: platformId, reason: `${role.name} administers the whole instance: every table, user, script and credential.` });
      if (FULFILLER_ROLES.has(name)) b.edge({ kind: 'CAN_WRITE', from: nodeIdOfRole, to: recordsId, reason: `${role.name} works incidents, requests and changes.` });
    }
    return nodeIdOfRole;
  };

  // (:Group) groups, members, group roles.
  const groupIds = new Map<string, string>();
  for (const { value: group } of groups) groupIds.set(group.sys_id, b.node({ ...base, id: id('Group', group.sys_id), kind: 'Group', name: group.name, properties: { sysId: group.sys_id } }));
  const groupId = (sysId: string): string => groupIds.get(sysId) ?? groupIds.set(sysId, b.node({ ...base, id: id('Group', sysId), kind: 'Group', name: `group ${sysId}`, properties: { sysId } })).get(sysId)!;
  for (const { value: m } of members) if (m.user && m.group) b.edge({ kind: 'MEMBER_OF', from: knownUser(m.user), to: groupId(m.group.value) });
  const groupsWithRoles = new Set<string>();
  for (const { value: gr } of groupRoles) {
    if (!gr.group || !gr.role) continue;
    const role = roleId(gr.role.value);
    if (role) { b.edge({ kind: 'HAS_ROLE', from: groupId(gr.group.value), to: role }); groupsWithRoles.add(gr.group.value); }
  }
  for (const { value: ur } of userRoles) {
    if (!ur.user || !ur.role || (ur.state && lower(ur.state) !== 'active')) continue;
    // An inherited row repeats a group's role: the group path carries it when the group roles are exported.
    if (ur.inherited === true && groupRoles.length > 0) continue;
    const role = roleId(ur.role.value);
    if (role) b.edge({ kind: 'HAS_ROLE', from: knownUser(ur.user), to: role });
  }

  // user_admin creates and changes users and groups, but not administrators: reset and membership edges to the rest.
  const userAdmin = b.has(id('Role', 'user_admin')) ? id('Role', 'user_admin') : undefined;
  if (userAdmin) {
    const admins = new Set<string>();
    for (const e of b.edges.values()) if (e.kind === 'HAS_ROLE' && b.nodes.get(e.to)?.privileged) admins.add(e.from);
    // Members of a group that holds an administrative role are administrators too.
    for (const e of b.edges.values()) if (e.kind === 'MEMBER_OF' && admins.has(e.to)) admins.add(e.from);
    for (const node of b.nodes.values()) {
      if (node.kind === 'Identity' && !admins.has(node.id)) b.edge({ kind: 'CAN_RESET_CREDENTIAL', from: userAdmin, to: node.id, reason: 'user_admin sets passwords and changes accounts of users who hold no administrative role.' });
      if (node.kind === 'Group' && !admins.has(node.id)) b.edge({ kind: 'CAN_ADD_MEMBER', from: userAdmin, to: node.id, reason: 'user_admin changes the members of groups that hold no administrative role.' });
    }
  }

  // (:App) OAuth application registries; tokens issued to them act as their users (scope useraccount: everything the user can do).
  const entityIds = new Map<string, string>();
  for (const { value: entity } of entities) {
    const app = b.node({ ...base, id: id('App', `oauth/${entity.client_id || entity.sys_id}`), kind: 'App', name: entity.name, properties: definedProperties({ sysId: entity.sys_id, clientId: entity.client_id, registryType: entity.type, active: entity.active, refreshTokenLifespan: entity.refresh_token_lifespan, accessTokenLifespan: entity.access_token_lifespan, createdBy: entity.sys_created_by, createdAt: entity.sys_created_on }), enabled: entity.active === false ? false : undefined });
    entityIds.set(entity.sys_id, app);
    b.edge({ kind: 'INSTALLED_IN', from: app, to: platformId });
    b.edge({ kind: 'MANAGES', from: platformId, to: app, reason: 'Instance administrators (and oauth_admin) edit application registries and their client secrets.' });
    const oauthAdmin = b.has(id('Role', 'oauth_admin')) ? id('Role', 'oauth_admin') : undefined;
    if (oauthAdmin) b.edge({ kind: 'CAN_ADD_CREDENTIAL', from: oauthAdmin, to: app, reason: 'oauth_admin manages application registries, client secrets included.' });
  }
  for (const { value: token } of tokens) {
    const type = lower(token.type ?? '').includes('refresh') ? 'refresh-token' : 'access-token';
    const credential = b.node({ ...base, id: id('Credential', `oauth-token/${token.sys_id}`), kind: 'Credential', type, name: `${type === 'refresh-token' ? 'Refresh' : 'Access'} token${token.name ? ` "${token.name}"` : ''}`, expiresAt: token.expires ?? undefined, createdAt: token.sys_created_on ?? undefined, scopes: token.scope ? token.scope.split(/[\s,]+/).filter(Boolean) : undefined, properties: { sysId: token.sys_id } });
    if (token.peer) {
      const app = entityIds.get(token.peer.value) ?? b.node({ ...base, id: id('App', `oauth/${token.peer.value}`), kind: 'App', name: `OAuth registry ${token.peer.value}`, properties: { sysId: token.peer.value } });
      b.edge({ kind: 'HOLDS', from: app, to: credential, reason: `Issued to the OAuth client ${b.nameOf(app)}.` });
    }
    if (token.user) b.edge({ kind: 'AUTHENTICATES_AS', from: credential, to: knownUser(token.user), reason: 'A ServiceNow OAuth token (scope useraccount) acts as its user with everything the user can do.' });
  }

  // (:Credential) credential records ServiceNow keeps for its own integrations (IntegrationHub, Discovery, MID servers).
  const credentialIds = new Map<string, string>();
  for (const { value: record } of records) {
    const cls = lower(record.sys_class_name ?? '');
    const credential = b.node({
      ...base, id: id('Credential', `record/${record.sys_id}`), kind: 'Credential', type: CREDENTIAL_TYPES[cls] ?? 'password', name: `stored credential "${record.name}"`,
      createdAt: record.sys_created_on ?? undefined, revoked: record.active === false ? true : undefined,
      properties: definedProperties({ sysId: record.sys_id, table: record.sys_class_name, credentialType: record.type, accountName: record.user_name, alias: record.credential_alias?.value }),
    });
    credentialIds.set(record.sys_id, credential);
    b.edge({ kind: 'MANAGES', from: platformId, to: credential, reason: 'Instance administrators (and credential_admin) use stored credentials in flows, scripts and Discovery.' });
  }
  linkConnections(b, SOURCE, links, credentialIds, problem, 'credential record');
  if (issues.length > 0) return { ok: false, issues };
  return session.finish(b.fragment());
}
