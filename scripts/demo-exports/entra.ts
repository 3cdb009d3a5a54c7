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
