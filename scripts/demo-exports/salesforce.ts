// Corvid Labs' Salesforce org as SOQL query results (docs/importers/salesforce.md): users, profiles, permission
// sets and object permissions, connected apps with their users' refresh tokens, the setup audit trail, and a
// secret scanner's findings in support cases.
import { AWS_KEYS, awsKeyHint, awsKeyRef, SNOWFLAKE_PAT } from './keys.ts';
import { isActive, PEOPLE, personByEmail } from './people.ts';
import type { Files } from './write.ts';

export const SF_ORG_ID = '00DHs000000CvdLMAK';
const API = '/services/data/v61.0/sobjects';

const query = (type: string, records: object[], withUrl = true) => ({
  totalSize: records.length,
  done: true,
  records: records.map((r) => ({ attributes: { type, url: withUrl && 'Id' in r ? `${API}/${type}/${(r as { Id: string }).Id}` : null }, ...r })),
});

const PERMISSIONS = ['PermissionsApiEnabled', 'PermissionsApiUserOnly', 'PermissionsViewAllData', 'PermissionsModifyAllData', 'PermissionsManageUsers', 'PermissionsCustomizeApplication', 'PermissionsAuthorApex'] as const;
type Perm = (typeof PERMISSIONS)[number];
type ObjectAccess = 'R' | 'RE' | 'CRE' | 'CRED';

interface RoleSpec { key: string; id: string; permSetId: string; name: string; label?: string; perms: Perm[]; objects: Record<string, ObjectAccess> }

const PROFILES: RoleSpec[] = [
  { key: 'SystemAdministrator', id: '00eHs000000Cv01IAC', permSetId: '0PSHs000000Cv01GAC', name: 'System Administrator', perms: ['PermissionsApiEnabled', 'PermissionsViewAllData', 'PermissionsModifyAllData', 'PermissionsManageUsers', 'PermissionsCustomizeApplication', 'PermissionsAuthorApex'], objects: { Case: 'CRED', Account: 'CRED', Contact: 'CRED', Opportunity: 'CRED', Lead: 'CRED', Contract: 'CRED', User: 'CRE' } },
  { key: 'CorvidSales', id: '00eHs000000Cv02IAC', permSetId: '0PSHs000000Cv02GAC', name: 'Corvid Sales', perms: ['PermissionsApiEnabled'], objects: { Account: 'CRE', Contact: 'CRE', Opportunity: 'CRE', Lead: 'CRE', Contract: 'R' } },
  { key: 'CorvidSupport', id: '00eHs000000Cv03IAC', permSetId: '0PSHs000000Cv03GAC', name: 'Corvid Support', perms: ['PermissionsApiEnabled'], objects: { Case: 'CRE', Account: 'R', Contact: 'R' } },
  { key: 'CorvidMarketing', id: '00eHs000000Cv04IAC', permSetId: '0PSHs000000Cv04GAC', name: 'Corvid Marketing', perms: ['PermissionsApiEnabled'], objects: { Lead: 'CRE', Account: 'R' } },
  { key: 'ReadOnly', id: '00eHs000000Cv05IAC', permSetId: '0PSHs000000Cv05GAC', name: 'Read Only', perms: [], objects: { Account: 'R', Opportunity: 'R', Contract: 'R' } },
  { key: 'MinimumAccessApiOnly', id: '00eHs000000Cv06IAC', permSetId: '0PSHs000000Cv06GAC', name: 'Minimum Access - API Only Integrations', perms: ['PermissionsApiEnabled', 'PermissionsApiUserOnly'], objects: {} },
];

const PERMISSION_SETS: RoleSpec[] = [
  { key: 'Parley_Chat_Integration', id: '', permSetId: '0PSHs000000Cv11GAC', name: 'Parley_Chat_Integration', label: 'Parley Chat Integration', perms: ['PermissionsApiEnabled'], objects: { Case: 'RE', Lead: 'CRE', Contact: 'CRE', Account: 'RE', Opportunity: 'R', User: 'R' } },
  { key: 'Pipewell_Read_Only', id: '', permSetId: '0PSHs000000Cv12GAC', name: 'Pipewell_Read_Only', label: 'Pipewell Read Only', perms: ['PermissionsApiEnabled'], objects: { Account: 'R', Contact: 'R', Opportunity: 'R', Lead: 'R' } },
];

/** API-only integration users that connected apps authorise as. */
const INTEGRATION_USERS = [
  { Id: '005Hs00000JrW4FIAQ', Username: 'parley.integration@corvidlabs.com', Name: 'Parley Integration', permissionSets: ['Parley_Chat_Integration'], lastLogin: '2026-11-21T22:10:04.000+0000' },
  { Id: '005Hs00000Kh5jIIAR', Username: 'pipewell.sync@corvidlabs.com', Name: 'Pipewell Sync', permissionSets: ['Pipewell_Read_Only'], lastLogin: '2026-11-22T03:00:11.000+0000' },
];

/** Connected apps: the app, its menu item, and the refresh tokens users granted it. */
const APPS = [
  { id: '0H4Hs000000Cv01GAA', menu: '02uHs000000Cv01IAA', name: 'Parley_Chat', label: 'Parley Chat for Salesforce', created: '2024-03-12T16:05:00.000+0000', adminApproved: false, tokens: [{ user: '005Hs00000JrW4FIAQ', created: '2024-03-12T16:22:05.000+0000', lastUsed: '2026-11-21T22:10:04.000+0000', uses: 418_233 }] },
  { id: '0H4Hs000000Cv02GAA', menu: '02uHs000000Cv02IAA', name: 'InkPact_eSign', label: 'InkPact eSign', created: '2024-09-03T11:00:00.000+0000', adminApproved: true, namespace: 'inkp', tokens: [{ user: personByEmail('raj.mehta@corvidlabs.com').salesforce!, created: '2024-09-03T11:04:00.000+0000', lastUsed: '2026-11-18T17:21:40.000+0000', uses: 1_311 }] },
  { id: '0H4Hs000000Cv03GAA', menu: '02uHs000000Cv03IAA', name: 'SignFlow', label: 'SignFlow for Salesforce', created: '2021-05-10T09:41:00.000+0000', adminApproved: false, tokens: [{ user: personByEmail('victor.hale@corvidlabs.com').salesforce!, created: '2021-05-10T09:45:00.000+0000', lastUsed: '2023-04-18T12:03:00.000+0000', uses: 52 }] },
  { id: '0H4Hs000000Cv04GAA', menu: '02uHs000000Cv04IAA', name: 'Callnote', label: 'Callnote Call Recorder', created: '2024-11-05T14:50:00.000+0000', adminApproved: false, tokens: [{ user: personByEmail('laura.jensen@corvidlabs.com').salesforce!, created: '2024-11-05T14:52:00.000+0000', lastUsed: '2025-02-27T08:15:00.000+0000', uses: 97 }] },
  { id: '0H4Hs000000Cv05GAA', menu: '02uHs000000Cv05IAA', name: 'Pipewell_ELT', label: 'Pipewell for Salesforce', created: '2023-06-01T10:00:00.000+0000', adminApproved: true, tokens: [{ user: '005Hs00000Kh5jIIAR', created: '2023-06-01T10:12:00.000+0000', lastUsed: '2026-11-22T03:00:11.000+0000', uses: 61_020 }] },
];

/** The Salesforce id of the refresh token of a connected app (as the importer composes it). */
export function salesforceTokenId(label: string): string {
  const app = APPS.find((a) => a.label === label)!;
  const token = app.tokens[0]!;
  return `salesforce:${SF_ORG_ID.toLowerCase()}:credential:oauth-token/${app.id}/${token.user}/${token.created}`;
}
export const salesforceAppId = (label: string): string => `salesforce:${SF_ORG_ID.toLowerCase()}:app:${APPS.find((a) => a.label === label)!.id}`;

const ADMIN = personByEmail('isabel.romero@corvidlabs.com');

export function salesforceExport(files: Files): void {
  files['Organization.json'] = query('Organization', [{ Id: SF_ORG_ID, Name: 'Corvid Labs', InstanceName: 'NA231', OrganizationType: 'Enterprise Edition', IsSandbox: false }]);
  const profileOf = new Map(PROFILES.map((p) => [p.key, p]));
  const users = [
    ...PEOPLE.filter((p) => p.salesforce).map((p) => ({
      Id: p.salesforce!, Username: p.email, Email: p.email, Name: p.name, IsActive: isActive(p), ProfileId: profileOf.get(p.sfProfile!)!.id,
      UserType: 'Standard', FederationIdentifier: p.email, LastLoginDate: isActive(p) ? '2026-11-21T15:30:00.000+0000' : '2024-07-30T16:00:00.000+0000',
    })),
    ...INTEGRATION_USERS.map((u) => ({ Id: u.Id, Username: u.Username, Email: 'salesforce-admins@corvidlabs.com', Name: u.Name, IsActive: true, ProfileId: profileOf.get('MinimumAccessApiOnly')!.id, UserType: 'Standard', FederationIdentifier: null, LastLoginDate: u.lastLogin })),
  ];
  files['User.json'] = query('User', users);
  const perms = (spec: RoleSpec) => Object.fromEntries(PERMISSIONS.map((name) => [name, spec.perms.includes(name)]));
  files['Profile.json'] = query('Profile', PROFILES.map((p) => ({ Id: p.id, Name: p.name, ...perms(p) })));
  files['PermissionSet.json'] = query('PermissionSet', [
    ...PROFILES.map((p) => ({ Id: p.permSetId, Name: `X00e${p.id.slice(6, 10)}`, Label: null, IsOwnedByProfile: true, ProfileId: p.id, ...perms(p) })),
    ...PERMISSION_SETS.map((s) => ({ Id: s.permSetId, Name: s.name, Label: s.label, IsOwnedByProfile: false, ProfileId: null, ...perms(s) })),
  ]);
  files['PermissionSetAssignment.json'] = query('PermissionSetAssignment', INTEGRATION_USERS.flatMap((u) => u.permissionSets.map((name) => ({ AssigneeId: u.Id, PermissionSetId: PERMISSION_SETS.find((s) => s.key === name)!.permSetId }))), false);
  files['ObjectPermissions.json'] = query('ObjectPermissions', [...PROFILES, ...PERMISSION_SETS].flatMap((spec) => Object.entries(spec.objects).map(([object, access]) => ({
    ParentId: spec.permSetId, SobjectType: object,
    PermissionsRead: true, PermissionsCreate: access.includes('C'), PermissionsEdit: access.includes('E'), PermissionsDelete: access.includes('D'),
    PermissionsViewAllRecords: access === 'CRED', PermissionsModifyAllRecords: access === 'CRED',
  }))), false);
  files['ConnectedApplication.json'] = query('ConnectedApplication', APPS.map((a) => ({
    Id: a.id, Name: a.label, CreatedDate: a.created, OptionsAllowAdminApprovedUsersOnly: a.adminApproved,
    OptionsRefreshTokenValidityMetric: null, RefreshTokenValidityPeriod: null, StartUrl: null,
  })));
  files['AppMenuItem.json'] = query('AppMenuItem', APPS.map((a) => ({
    Id: a.menu, ApplicationId: a.id.slice(0, 15), Name: a.name, Label: a.label, Type: 'ConnectedApplication', NamespacePrefix: a.namespace ?? null, Description: null,
  })));
  // Never AccessToken, RequestToken or DeleteToken: the query selects metadata only (docs/importers/salesforce.md).
  files['OauthToken.json'] = query('OauthToken', APPS.flatMap((a) => a.tokens.map((t) => ({
    AppMenuItemId: a.menu, AppName: a.label, CreatedDate: t.created, Id: null, LastUsedDate: t.lastUsed, UseCount: t.uses, UserId: t.user,
    User: { attributes: { type: 'User', url: `${API}/User/${t.user}` }, Username: users.find((u) => u.Id === t.user)!.Username },
  }))), false);
  files['SetupEntityAccess.json'] = query('SetupEntityAccess', [
    { ParentId: PERMISSION_SETS[0]!.permSetId, SetupEntityId: APPS[0]!.id, SetupEntityType: 'ConnectedApplication' },
    { ParentId: PERMISSION_SETS[1]!.permSetId, SetupEntityId: APPS[4]!.id, SetupEntityType: 'ConnectedApplication' },
    { ParentId: PROFILES[1]!.permSetId, SetupEntityId: APPS[1]!.id, SetupEntityType: 'ConnectedApplication' },
  ], false);
  const audit = (action: string, section: string, display: string, at: string) => ({
    Action: action, Section: section, Display: display, CreatedDate: at, CreatedById: ADMIN.salesforce!,
    CreatedBy: { attributes: { type: 'User', url: null }, Username: ADMIN.email }, DelegateUser: null,
  });
  files['SetupAuditTrail.json'] = query('SetupAuditTrail', [
    audit('connectedAppInstalled', 'Connected Apps', 'Installed connected app SignFlow for Salesforce', '2021-05-10T09:41:00.000+0000'),
    audit('connectedAppInstalled', 'Connected Apps', 'Installed connected app Pipewell for Salesforce', '2023-06-01T10:00:00.000+0000'),
    audit('PermSetCreate', 'Manage Users', 'Created permission set Parley Chat Integration: with user license Salesforce Integration', '2024-03-12T16:00:00.000+0000'),
    audit('connectedAppInstalled', 'Connected Apps', 'Installed connected app Parley Chat for Salesforce', '2024-03-12T16:05:00.000+0000'),
    audit('connectedAppPolicyChanged', 'Connected Apps', 'Changed Parley Chat for Salesforce Permitted Users from Admin approved users are pre-authorized to All users may self-authorize', '2024-03-12T16:10:00.000+0000'),
    audit('connectedAppInstalled', 'Connected Apps', 'Installed connected app InkPact eSign', '2024-09-03T10:55:00.000+0000'),
  ], false);
  // A secret scanner's report over the exported cases, converted as the importer's page says (no secret in it).
  files['secret-findings.json'] = { findings: [
    { sObject: 'Case', recordId: '500Hs00000Cs1337IAE', name: 'Case 00031337: nightly export failing', field: 'CaseComment.CommentBody', detector: 'aws-access-key',
      credential: { platform: 'aws', key: awsKeyRef(AWS_KEYS.dataExport), name: `AWS access key ${awsKeyHint(AWS_KEYS.dataExport)}` } },
    { sObject: 'Case', recordId: '500Hs00000Cs1402IAE', name: 'Case 00031402: revenue dashboard stale, Snowflake sync auth errors', field: 'Description', detector: 'snowflake-pat',
      credential: SNOWFLAKE_PAT },
    { sObject: 'Case', recordId: '500Hs00000Cr9114IAE', name: 'Case 00029114: S3 export bucket access denied', field: 'CaseComment.CommentBody', detector: 'aws-access-key',
      credential: { platform: 'aws', key: awsKeyRef(AWS_KEYS.dataExportOld), name: `AWS access key ${awsKeyHint(AWS_KEYS.dataExportOld)}` } },
  ] };
}
