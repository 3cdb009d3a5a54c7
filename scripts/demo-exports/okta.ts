// Corvid Labs' Okta org as the Okta Management API returns it (docs/importers/okta.md): users, groups and their
// members, admin roles, the apps with their assignments, and Peoplegrid's API token.
import { isActive, PEOPLE, PEOPLEGRID_SERVICE, firstName, lastName, type Person } from './people.ts';
import type { Files } from './write.ts';

const ORG = 'https://corvidlabs.okta.com';
const ORG_ID = '00o1cvdLabsPr0d4x7';

export const OKTA_GROUPS: Record<string, string> = {
  'All Employees': '00gL1Zt8ApJ6poA5DXeW',
  Leadership: '00gdnKQwX83ymUcyvmUl',
  Engineering: '00guY4T1kRAB7Flq7q7g',
  Data: '00gy2tXWmePeUJfbcQJ7',
  Sales: '00geJaIwjYMHsCiHofao',
  'Revenue Operations': '00g0fekzpbgxzZpR7pyx',
  'Customer Support': '00gQoOxk0ShBHsDMGa3s',
  'Finance & People': '00gHDBaaxYdDtRUlvd8v',
  Marketing: '00gO5VliQNrDVpKNC9Y8',
  'Product & Design': '00g3CQTI7W33S4APzkBj',
  'IT Admins': '00glRmCcPkJtbR6pxYMH',
  Contractors: '00gaI3ldj8oddzDgl6eK',
};

/**
 * Apps by catalog name: id, label, and who is assigned with which username on the target platform. `groups` are
 * assigned by group, each with the app user profile Okta gives its members; `features` the provisioning that is on.
 */
interface AppSpec {
  id: string; name: string; label: string; signOnMode: string; created: string; template: string; users: (p: Person) => string | undefined;
  groups?: Record<string, Record<string, unknown>>; features?: string[];
}

/** Salesforce profile ids (scripts/demo-exports/salesforce.ts): what Okta's Salesforce app creates a group's new members with. */
const SALESFORCE_PROFILE = { CorvidSales: '00eHs000000Cv02IAC', CorvidSupport: '00eHs000000Cv03IAC', CorvidMarketing: '00eHs000000Cv04IAC' };

export const OKTA_APPS: AppSpec[] = [
  { id: '0oa1gw5Kc2RkTq8Zs4d7', name: 'google', label: 'Google Workspace', signOnMode: 'SAML_2_0', created: '2022-02-14T10:00:00.000Z', template: '${source.email}', users: (p) => p.email, groups: { 'All Employees': {} } },
  // Okta provisions Salesforce: a department group's new member gets a Salesforce user with the group's profile.
  {
    id: '0oa1sf7Lm3PqWx2Yt5e8', name: 'salesforce', label: 'Salesforce', signOnMode: 'SAML_2_0', created: '2022-02-15T10:00:00.000Z', template: '${source.login}', users: (p) => (p.salesforce ? p.email : undefined),
    features: ['IMPORT_NEW_USERS', 'IMPORT_PROFILE_UPDATES', 'PUSH_NEW_USERS', 'PUSH_PROFILE_UPDATES', 'PUSH_USER_DEACTIVATION', 'REACTIVATE_USERS'],
    groups: {
      Sales: { profile: SALESFORCE_PROFILE.CorvidSales, role: null },
      'Customer Support': { profile: SALESFORCE_PROFILE.CorvidSupport, role: null },
      Marketing: { profile: SALESFORCE_PROFILE.CorvidMarketing, role: null },
    },
  },
  { id: '0oa1sl9Nn4RsYz3Au6f9', name: 'slack', label: 'Slack', signOnMode: 'SAML_2_0', created: '2022-02-15T11:00:00.000Z', template: '${source.email}', users: (p) => p.email, groups: { 'All Employees': {} } },
  { id: '0oa1gh2Pp5TuAb4Bv7g0', name: 'githubcloud', label: 'GitHub Enterprise Cloud - Organization', signOnMode: 'SAML_2_0', created: '2022-03-01T10:00:00.000Z', template: '${source.login}', users: (p) => p.github },
  { id: '0oa1aw4Rr6VwCd5Cw8h1', name: 'amazon_aws_sso', label: 'AWS IAM Identity Center', signOnMode: 'SAML_2_0', created: '2023-01-10T10:00:00.000Z', template: '${source.email}', users: (p) => (p.aws ? p.email : undefined) },
  { id: '0oa1ms6Tt7XyEf6Dx9i2', name: 'office365', label: 'Microsoft Office 365', signOnMode: 'WS_FEDERATION', created: '2024-04-02T10:00:00.000Z', template: '${source.login}', users: (p) => (p.entra ? p.email : undefined) },
  { id: '0oa1sn8Vv8ZaGh7Ey0j3', name: 'snowflake', label: 'Snowflake', signOnMode: 'SAML_2_0', created: '2023-05-20T10:00:00.000Z', template: '${source.email}', users: (p) => (p.snowflake ? p.email : undefined) },
];

const link = (path: string) => ({ href: `${ORG}${path}` });
const day = (n: number) => new Date(Date.UTC(2026, 10, 22) - n * 86_400_000).toISOString();

function user(p: { okta: string; login: string; email: string; first: string; last: string; title: string | null; dept: string | null; status: string }, i: number) {
  return {
    id: p.okta,
    status: p.status,
    created: '2022-02-14T09:00:00.000Z',
    activated: '2022-02-14T09:05:00.000Z',
    statusChanged: p.status === 'DEPROVISIONED' ? '2024-07-31T17:00:00.000Z' : '2022-02-14T09:05:00.000Z',
    lastLogin: p.status === 'ACTIVE' ? day(i % 9).replace('T00:00:00.000Z', `T0${i % 10}:1${i % 6}:00.000Z`) : '2024-07-31T16:02:00.000Z',
    lastUpdated: '2026-09-01T10:00:00.000Z',
    passwordChanged: '2026-03-01T10:00:00.000Z',
    type: { id: 'oty1cvdDefault0g7' },
    profile: { firstName: p.first, lastName: p.last, mobilePhone: null, secondEmail: null, login: p.login, email: p.email, title: p.title, department: p.dept },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: link(`/api/v1/users/${p.okta}`) },
  };
}

function personUser(p: Person, i: number) {
  return user({ okta: p.okta, login: p.email, email: p.email, first: firstName(p), last: lastName(p), title: p.title, dept: p.dept, status: isActive(p) ? 'ACTIVE' : 'DEPROVISIONED' }, i);
}

const serviceUser = () => user({ okta: PEOPLEGRID_SERVICE.okta, login: PEOPLEGRID_SERVICE.login, email: PEOPLEGRID_SERVICE.login, first: 'svc', last: 'peoplegrid', title: 'Peoplegrid provisioning (service account)', dept: null, status: 'ACTIVE' }, 3);

function role(id: string, type: string, label: string, assignee: string, assignmentType: 'USER' | 'GROUP', created: string) {
  return { id, label, type, status: 'ACTIVE', created, lastUpdated: created, assignmentType, _links: { assignee: link(`/api/v1/${assignmentType === 'USER' ? 'users' : 'groups'}/${assignee}`) } };
}

export function oktaExport(files: Files): void {
  const users = [...PEOPLE.map(personUser), serviceUser()];
  files['users.json'] = users;
  files['groups.json'] = Object.entries(OKTA_GROUPS).map(([name, id]) => ({
    id, created: '2022-02-14T09:00:00.000Z', lastUpdated: '2025-01-10T09:00:00.000Z', lastMembershipUpdated: '2026-10-01T09:00:00.000Z',
    objectClass: ['okta:user_group'], type: 'OKTA_GROUP', profile: { name, description: name === 'All Employees' ? 'Everyone employed by Corvid Labs (from Peoplegrid)' : `${name} (from Peoplegrid)` },
    _links: { users: link(`/api/v1/groups/${id}/users`), apps: link(`/api/v1/groups/${id}/apps`) },
  }));
  for (const [name, id] of Object.entries(OKTA_GROUPS)) {
    files[`groups/${id}/users.json`] = PEOPLE.filter((p) => isActive(p) && p.groups.includes(name)).map((p) => personUser(p, PEOPLE.indexOf(p)));
  }
  // Super Administrator through the IT Admins group; a read-only admin; the Peoplegrid service account moves
  // people between groups (department changes) and reads profiles.
  files[`groups/${OKTA_GROUPS['IT Admins']}/roles.json`] = [role('ra1cvdSuperAdmins0g7', 'SUPER_ADMIN', 'Super Administrator', OKTA_GROUPS['IT Admins']!, 'GROUP', '2022-02-14T09:30:00.000Z')];
  files['users/00uNVp78QZi1BjA4wBdq/roles.json'] = [role('ra1cvdReadOnlyNina0g7', 'READ_ONLY_ADMIN', 'Read-Only Administrator', '00uNVp78QZi1BjA4wBdq', 'USER', '2024-03-04T09:00:00.000Z')];
  files[`users/${PEOPLEGRID_SERVICE.okta}/roles.json`] = [role('ra1cvdPeoplegrid00g7', 'GROUP_MEMBERSHIP_ADMIN', 'Group Membership Administrator', PEOPLEGRID_SERVICE.okta, 'USER', '2024-06-18T13:55:00.000Z')];

  files['apps.json'] = OKTA_APPS.map((app) => ({
    id: app.id,
    orn: `orn:okta:idp:${ORG_ID}:apps:${app.name}:${app.id}`,
    name: app.name,
    label: app.label,
    status: 'ACTIVE',
    lastUpdated: '2025-05-01T10:00:00.000Z',
    created: app.created,
    accessibility: { selfService: false, errorRedirectUrl: null, loginRedirectUrl: null },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false } },
    features: app.features ?? [],
    signOnMode: app.signOnMode,
    credentials: { userNameTemplate: { template: app.template, type: 'BUILT_IN' }, signing: { kid: 'cvd-saml-signing-2025' } },
    settings: { app: {} },
    _links: { users: link(`/api/v1/apps/${app.id}/users`), groups: link(`/api/v1/apps/${app.id}/groups`), self: link(`/api/v1/apps/${app.id}`) },
  }));
  for (const app of OKTA_APPS) {
    // Deprovisioned users lose their app assignments, so they are not listed.
    files[`apps/${app.id}/users.json`] = PEOPLE.filter(isActive).flatMap((p) => {
      const userName = app.users(p);
      if (!userName) return [];
      const byGroup = Object.keys(app.groups ?? {}).some((g) => p.groups.includes(g));
      return [{
        id: p.okta, externalId: null, created: app.created, lastUpdated: app.created, scope: byGroup ? 'GROUP' : 'USER', status: 'ACTIVE', statusChanged: app.created,
        passwordChanged: null, syncState: 'DISABLED', lastSync: null, credentials: { userName }, profile: {},
        _links: { app: link(`/api/v1/apps/${app.id}`), user: link(`/api/v1/users/${p.okta}`) },
      }];
    });
    if (app.groups) {
      files[`apps/${app.id}/groups.json`] = Object.entries(app.groups).map(([name, profile], priority) => ({ id: OKTA_GROUPS[name], lastUpdated: app.created, priority, profile, _links: { app: link(`/api/v1/apps/${app.id}`), group: link(`/api/v1/groups/${OKTA_GROUPS[name]}`) } }));
    }
  }

  // Peoplegrid's token: it slides 30 days forward at each use, so expiresAt says it was used on 22 November.
  files['api-tokens.json'] = [{
    name: 'peoplegrid-provisioning', userId: PEOPLEGRID_SERVICE.okta, tokenWindow: 'P30D', network: { connection: 'ANYWHERE' },
    id: '00T1xKo4CcdvkavWgvGU', clientName: 'Okta API', expiresAt: '2026-12-22T02:00:43.000Z', created: '2024-06-18T14:02:11.000Z', lastUpdated: '2026-11-22T02:00:43.000Z',
    _links: { self: link('/api/v1/api-tokens/00T1xKo4CcdvkavWgvGU'), user: link(`/api/v1/users/${PEOPLEGRID_SERVICE.okta}`) },
  }];
}
