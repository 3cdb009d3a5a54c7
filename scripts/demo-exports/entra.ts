// Corvid Labs' small Microsoft Entra tenant (Microsoft 365 for finance) as Microsoft Graph v1.0 returns it
// (docs/importers/entra.md): users, a group, a Global Administrator, and the Ledgerly AP inbox app registration
// whose client secret reads every mailbox with the Mail.Read application permission.
import { PEOPLE, personByEmail } from './people.ts';
import type { Files } from './write.ts';

export const ENTRA_TENANT = 'b7c4e0d2-3f19-4a6e-8c25-9d1f0e7a6b43';
const GRAPH = 'https://graph.microsoft.com/v1.0';
const list = (context: string, value: object[]) => [{ '@odata.context': `${GRAPH}/$metadata#${context}`, value }];

const MS_GRAPH = { id: 'e3a91c55-0b7d-4c2e-a1f6-5d8b9c0e7f21', appId: '00000003-0000-0000-c000-000000000000' };
const MAIL_READ_ROLE = '810c84a8-4a9e-49e6-bf7d-12d183f40d01';
const LEDGERLY = { objectId: '5f2b8d41-7c6e-4a93-b0d5-1e4f7a9c2b68', appId: '9d3e6f12-4b8a-4c71-a5e0-3b7c2d1f8e94', spId: '2a7c9e14-6d3b-4f85-9a1c-7e5d0b3f6c29' };
export const LEDGERLY_SECRET_KEY_ID = 'c41f7a2e-9b3d-4e68-8a15-6d2f0c9b7e53';
const FINANCE_GROUP = '0e6b2f94-1c7a-4d38-b5e2-8f3a9c6d1b70';

export function entraExport(files: Files): void {
  files['organization.json'] = list('organization', [{
    id: ENTRA_TENANT, displayName: 'Corvid Labs',
    verifiedDomains: [{ name: 'corvidlabs.onmicrosoft.com', isDefault: false, isInitial: true, type: 'Managed' }, { name: 'corvidlabs.com', isDefault: true, isInitial: false, type: 'Federated' }],
  }]);
  const people = PEOPLE.filter((p) => p.entra);
  files['users.json'] = list('users(id,displayName,userPrincipalName,mail,accountEnabled,userType)', people.map((p) => ({
    id: p.entra!, displayName: p.name, userPrincipalName: p.email, mail: p.email, accountEnabled: true, userType: 'Member',
  })));
  files['groups.json'] = list('groups', [{ id: FINANCE_GROUP, displayName: 'Finance', securityEnabled: true, mailEnabled: true, groupTypes: ['Unified'], isAssignableToRole: null }]);
  files[`groups/${FINANCE_GROUP}/members.json`] = list('directoryObjects', ['elena.sokolova@corvidlabs.com', 'paul.schneider@corvidlabs.com'].map((email) => {
    const p = personByEmail(email);
    return { '@odata.type': '#microsoft.graph.user', id: p.entra!, displayName: p.name, userPrincipalName: p.email };
  }));
  files['roleManagement/directory/roleDefinitions.json'] = list('roleManagement/directory/roleDefinitions', [
    { id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator', templateId: '62e90394-69f5-4237-9190-012177145e10', isBuiltIn: true, isEnabled: true },
  ]);
  files['roleManagement/directory/roleAssignments.json'] = list('roleManagement/directory/roleAssignments', [
    { id: 'lAPpYvVpN0KRkAEhdxReEOcvdPriya01', principalId: personByEmail('priya.raman@corvidlabs.com').entra!, roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', directoryScopeId: '/' },
  ]);
  files['applications.json'] = list('applications', [{
    id: LEDGERLY.objectId, appId: LEDGERLY.appId, displayName: 'Ledgerly AP Inbox Sync', createdDateTime: '2024-04-08T09:30:00Z',
    signInAudience: 'AzureADMyOrg', publisherDomain: 'corvidlabs.com', verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    requiredResourceAccess: [{ resourceAppId: MS_GRAPH.appId, resourceAccess: [{ id: MAIL_READ_ROLE, type: 'Role' }] }],
    // Graph never returns secretText after creation; hint, keyId and dates are what the list shows.
    passwordCredentials: [
      { customKeyIdentifier: null, displayName: 'ledgerly-2024', endDateTime: '2025-04-08T09:35:00Z', hint: 'xQ8', keyId: 'a9e2d7c4-3f61-4b8e-9d05-7c1b6e4f2a38', secretText: null, startDateTime: '2024-04-08T09:35:00Z' },
      { customKeyIdentifier: null, displayName: 'ledgerly-2025', endDateTime: '2027-04-07T11:02:00Z', hint: 'Lq7', keyId: LEDGERLY_SECRET_KEY_ID, secretText: null, startDateTime: '2025-04-07T11:02:00Z' },
    ],
    keyCredentials: [],
  }]);
  files[`applications/${LEDGERLY.objectId}/owners.json`] = list('directoryObjects', [(() => {
    const p = personByEmail('paul.schneider@corvidlabs.com');
    return { '@odata.type': '#microsoft.graph.user', id: p.entra!, displayName: p.name, userPrincipalName: p.email };
  })()]);
  files['servicePrincipals.json'] = list('servicePrincipals', [
    {
      id: MS_GRAPH.id, appId: MS_GRAPH.appId, displayName: 'Microsoft Graph', appDisplayName: 'Microsoft Graph', appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
      servicePrincipalType: 'Application', accountEnabled: true, appRoleAssignmentRequired: false, alternativeNames: [], tags: [],
      appRoles: [
        { allowedMemberTypes: ['Application'], description: 'Read mail in all mailboxes', displayName: 'Read mail in all mailboxes', id: MAIL_READ_ROLE, isEnabled: true, origin: 'Application', value: 'Mail.Read' },
        { allowedMemberTypes: ['Application'], description: 'Read all users\' full profiles', displayName: 'Read all users\' full profiles', id: 'df021288-bdef-4463-88db-98f22de89214', isEnabled: true, origin: 'Application', value: 'User.Read.All' },
      ],
      oauth2PermissionScopes: [
        { adminConsentDescription: 'Sign in and read user profile', adminConsentDisplayName: 'Sign in and read user profile', id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', isEnabled: true, type: 'User', value: 'User.Read' },
      ],
      passwordCredentials: [], keyCredentials: [],
    },
    {
      id: LEDGERLY.spId, appId: LEDGERLY.appId, displayName: 'Ledgerly AP Inbox Sync', appDisplayName: 'Ledgerly AP Inbox Sync', appOwnerOrganizationId: ENTRA_TENANT,
      servicePrincipalType: 'Application', accountEnabled: true, appRoleAssignmentRequired: false, alternativeNames: [], tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
      appRoles: [], oauth2PermissionScopes: [], passwordCredentials: [], keyCredentials: [],
    },
  ]);
  files[`servicePrincipals/${LEDGERLY.spId}/appRoleAssignments.json`] = list(`servicePrincipals('${LEDGERLY.spId}')/appRoleAssignments`, [{
    id: 'QZ4sKj1tT0y2cvdLedgerlyMailRead01', deletedDateTime: null, appRoleId: MAIL_READ_ROLE, createdDateTime: '2024-04-08T09:40:00Z',
    principalDisplayName: 'Ledgerly AP Inbox Sync', principalId: LEDGERLY.spId, principalType: 'ServicePrincipal', resourceDisplayName: 'Microsoft Graph', resourceId: MS_GRAPH.id,
  }]);
  files['oauth2PermissionGrants.json'] = list('oauth2PermissionGrants', []);
}

/** The delegated grant Ledgerly gets in the week after the demo (datasets/demo/README.md, "A week later"). */
export const LEDGERLY_DELEGATED_GRANT = 'q7Lm2Ty0hUeWc4nLedgerlyAllUsersGrant01';

/**
 * The later export set's Entra changes: Priya (Global Administrator) consents for every user to Ledgerly reading
 * their own mail (User.Read Mail.Read) on 26 November; two days later Tom widens the grant to Mail.ReadWrite
 * from Graph PowerShell, with no consent. directoryAudits.json holds the three events as Graph returns them.
 */
export function entraLater(files: Files): void {
  const priya = personByEmail('priya.raman@corvidlabs.com');
  const tom = personByEmail('tom.becker@corvidlabs.com');
  const consentedAt = '2026-11-26T10:14:03.1187452Z';
  const widenedAt = '2026-11-28T16:42:10.5529931Z';
  files['oauth2PermissionGrants.json'] = list('oauth2PermissionGrants', [{
    id: LEDGERLY_DELEGATED_GRANT, clientId: LEDGERLY.spId, consentType: 'AllPrincipals', principalId: null, resourceId: MS_GRAPH.id, scope: 'User.Read Mail.Read Mail.ReadWrite',
  }]);
  const quoted = (value: string): string => JSON.stringify(value);
  const user = (p: { entra?: string; name: string; email: string }, ip: string) => ({ user: { id: p.entra!, displayName: null, userPrincipalName: p.email, ipAddress: ip, homeTenantId: null, homeTenantName: null } });
  const ledgerly = { id: LEDGERLY.spId, displayName: 'Ledgerly AP Inbox Sync', type: 'ServicePrincipal', userPrincipalName: null, groupType: null };
  const graph = { id: MS_GRAPH.id, displayName: 'Microsoft Graph', type: 'ServicePrincipal', userPrincipalName: null, groupType: null };
  files['directoryAudits.json'] = list('auditLogs/directoryAudits', [
    {
      id: 'Directory_4f0d7b2e-8a61-4c3d-9e5f-1b2a3c4d5e60_2XK7T_48213377', category: 'ApplicationManagement', correlationId: '4f0d7b2e-8a61-4c3d-9e5f-1b2a3c4d5e60',
      result: 'success', resultReason: '', activityDisplayName: 'Consent to application', activityDateTime: consentedAt, loggedByService: 'Core Directory', operationType: 'Assign',
      initiatedBy: user(priya, '198.51.100.23'), userAgent: null,
      targetResources: [{
        ...ledgerly,
        modifiedProperties: [
          { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: quoted('True') },
          { displayName: 'ConsentContext.IsAppOnly', oldValue: null, newValue: quoted('False') },
          { displayName: 'ConsentContext.OnBehalfOfAll', oldValue: null, newValue: quoted('True') },
          { displayName: 'ConsentContext.Tags', oldValue: null, newValue: quoted('WindowsAzureActiveDirectoryIntegratedApp') },
          { displayName: 'ConsentAction.Permissions', oldValue: null, newValue: quoted(`[] => [[Id: ${LEDGERLY_DELEGATED_GRANT}, ClientId: ${LEDGERLY.spId}, PrincipalId: , ResourceId: ${MS_GRAPH.id}, ConsentType: AllPrincipals, Scope:  User.Read Mail.Read, CreatedDateTime: , LastModifiedDateTime ]]; `) },
          { displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: quoted(LEDGERLY.appId) },
        ],
      }],
      additionalDetails: [{ key: 'User-Agent', value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0' }],
    },
    {
      id: 'Directory_4f0d7b2e-8a61-4c3d-9e5f-1b2a3c4d5e60_2XK7T_48213378', category: 'ApplicationManagement', correlationId: '4f0d7b2e-8a61-4c3d-9e5f-1b2a3c4d5e60',
      result: 'success', resultReason: '', activityDisplayName: 'Add delegated permission grant', activityDateTime: consentedAt, loggedByService: 'Core Directory', operationType: 'Assign',
      initiatedBy: user(priya, '198.51.100.23'), userAgent: null,
      targetResources: [
        { ...graph, modifiedProperties: [
          { displayName: 'DelegatedPermissionGrant.Scope', oldValue: null, newValue: quoted(' User.Read Mail.Read') },
          { displayName: 'DelegatedPermissionGrant.ConsentType', oldValue: null, newValue: quoted('AllPrincipals') },
          { displayName: 'ServicePrincipal.ObjectID', oldValue: null, newValue: quoted(MS_GRAPH.id) },
        ] },
        { ...ledgerly, modifiedProperties: [] },
      ],
      additionalDetails: [],
    },
    {
      id: 'Directory_b81c2e4f-3d5a-4e6b-8c7d-9e0f1a2b3c4d_8RQ2M_48299105', category: 'ApplicationManagement', correlationId: 'b81c2e4f-3d5a-4e6b-8c7d-9e0f1a2b3c4d',
      result: 'success', resultReason: '', activityDisplayName: 'Update delegated permission grant', activityDateTime: widenedAt, loggedByService: 'Core Directory', operationType: 'Update',
      initiatedBy: user(tom, '198.51.100.41'), userAgent: null,
      targetResources: [
        { ...graph, modifiedProperties: [
          { displayName: 'DelegatedPermissionGrant.Scope', oldValue: quoted(' User.Read Mail.Read'), newValue: quoted('User.Read Mail.Read Mail.ReadWrite') },
        ] },
        { ...ledgerly, modifiedProperties: [] },
      ],
      additionalDetails: [{ key: 'User-Agent', value: 'Microsoft.Graph.PowerShell/2.25.0' }],
    },
  ]);
}
