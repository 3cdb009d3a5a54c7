// Per-platform wording of responder actions: how to block a vendor's app in one tenant, where to rotate a
// credential, what persistence to hunt for after an attacker held admin. Used by the containment plan.
import type { GraphNode } from '../format/native.ts';

export interface PlatformAction {
  /** What to do, in the platform's words. */
  action: string;
  /** Where it is done: console path and API. */
  where: string;
}

const prop = (node: GraphNode, key: string): string | undefined => {
  const value = node.properties?.[key];
  return typeof value === 'string' ? value : undefined;
};

/** The vendor-wide kill in one tenant: one action that revokes every credential the vendor holds there. */
export function vendorKillAction(platform: string, app: GraphNode | undefined, vendor: string, credentialCount: number): PlatformAction {
  const name = app ? `"${app.name}"` : `of ${vendor}`;
  const tokens = `${credentialCount} credential${credentialCount === 1 ? '' : 's'}`;
  switch (platform) {
    case 'google-workspace': {
      const client = app ? (prop(app, 'clientId') ?? app.id.split(':app:')[1]) : undefined;
      return {
        action: `Block OAuth client ${client ? `${client} (${app!.name})` : name} in Google Admin and revoke its tokens (${tokens})`,
        where: 'Google Admin console: Security > Access and data control > API controls > App access control > Change access: Blocked; then Admin SDK Directory tokens.delete for each user (or remove the client from domain-wide delegation)',
      };
    }
    case 'salesforce':
      return {
        action: `Block connected app ${name} and revoke its OAuth tokens (${tokens})`,
        where: 'Salesforce Setup: Connected Apps OAuth Usage > Block (revokes every token and refuses new ones); or Manage Connected Apps > Revoke All, then uninstall the package',
      };
    case 'github':
      return {
        action: `Suspend the GitHub App installation or deny the OAuth app ${name} (${tokens})`,
        where: 'GitHub organization settings: GitHub Apps > Configure > Suspend (installation tokens stop working); OAuth apps: Third-party access > Deny; API: DELETE /app/installations/{id}/suspended or the credential-authorizations endpoint',
      };
    case 'slack':
      return {
        action: `Remove the app ${name} from the workspace (${tokens})`,
        where: 'Slack workspace settings: Manage apps > app > Remove app (revokes its bot and user tokens); API: apps.uninstall / auth.revoke',
      };
    case 'okta':
      return {
        action: `Revoke the API tokens and deactivate the app ${name} (${tokens})`,
        where: 'Okta Admin console: Security > API > Tokens > Revoke; Applications > app > Deactivate; API: DELETE /api/v1/api-tokens/{id}',
      };
    case 'entra':
      return {
        action: `Disable the service principal ${name}, remove its credentials and revoke its consents (${tokens})`,
        where: 'Microsoft Entra admin center: Enterprise applications > app > Properties > Enabled for users to sign in: No; App registrations > Certificates & secrets > Delete; Graph API: PATCH servicePrincipal accountEnabled=false, DELETE oauth2PermissionGrants',
      };
    case 'aws':
      return {
        action: `Deactivate the access keys given to ${vendor} (${tokens})`,
        where: 'AWS IAM console: Users > Security credentials > Make inactive; CLI: aws iam update-access-key --status Inactive',
      };
    case 'snowflake':
      return {
        action: `Remove the keys and tokens given to ${vendor} (${tokens})`,
        where: 'Snowflake: ALTER USER ... UNSET RSA_PUBLIC_KEY / REMOVE PROGRAMMATIC ACCESS TOKEN; or ALTER USER ... SET DISABLED = TRUE',
      };
    default:
      return {
        action: `Revoke every credential ${vendor} holds on ${platform} (${tokens})`,
        where: `${platform} admin console or API: revoke each credential listed`,
      };
  }
}

/** Where to rotate one credential on its platform. */
export function rotateAction(credential: GraphNode): PlatformAction {
  const name = `"${credential.name}"`;
  switch (credential.platform) {
    case 'aws':
      return {
        action: `Rotate the AWS access key ${name}: create a new key, deploy it, then deactivate and delete this one`,
        where: 'AWS IAM console: Users > Security credentials > Create access key / Make inactive / Delete; CLI: aws iam create-access-key, update-access-key --status Inactive, delete-access-key',
      };
    case 'snowflake':
      return {
        action: `Rotate ${name}: remove it and issue a new one to its service`,
        where: 'Snowflake: ALTER USER ... REMOVE PROGRAMMATIC ACCESS TOKEN <name> (or ROTATE), ALTER USER ... SET RSA_PUBLIC_KEY_2 for key pairs',
      };
    case 'github':
      return {
        action: `Revoke ${name} and issue a new token or key where it is needed`,
        where: 'GitHub: organization settings > Personal access tokens > Revoke; repository Deploy keys > Delete; secret scanning alert > Revoke; API: DELETE /orgs/{org}/personal-access-tokens/{id}',
      };
    case 'slack':
      return { action: `Revoke ${name} and reinstall the app to mint a new token`, where: 'Slack: app settings > OAuth & Permissions > Revoke tokens / Reinstall; API: auth.revoke' };
    case 'google-workspace':
      return { action: `Revoke ${name}`, where: 'Google Admin console: Users > user > Security > Connected applications > Revoke; Admin SDK tokens.delete' };
    case 'gcp':
      return { action: `Delete the service-account key ${name} and create a new one`, where: 'Google Cloud console: IAM > Service accounts > Keys > Delete; gcloud iam service-accounts keys delete' };
    case 'salesforce':
      return { action: `Revoke ${name}`, where: 'Salesforce Setup: Connected Apps OAuth Usage > user > Revoke; or the user\'s OAuth Connected Apps > Revoke' };
    case 'okta':
      return { action: `Revoke ${name}`, where: 'Okta Admin console: Security > API > Tokens > Revoke' };
    case 'entra':
      return { action: `Remove ${name} and add a new secret or certificate`, where: 'Microsoft Entra admin center: App registrations > Certificates & secrets > Delete; Graph API: removePassword / removeKey' };
    default:
      return { action: `Rotate ${name}: issue a new value and revoke this one`, where: `${credential.platform} admin console or API` };
  }
}

/** Where an account is suspended and its sessions ended, where the platform's wording is known. */
export function suspendWhere(platform: string): string | undefined {
  switch (platform) {
    case 'okta': return 'Okta Admin console: Directory > People > Suspend; Clear user sessions';
    case 'google-workspace': return 'Google Admin console: Users > Suspend; Security > Sign-in cookies > Reset';
    case 'entra': return 'Microsoft Entra admin center: Users > Block sign-in; Revoke sessions';
    case 'aws': return 'AWS IAM: attach an explicit deny-all policy, deactivate the keys, revoke active role sessions';
    case 'github': return 'GitHub organization settings: People > Remove from organization (or the enterprise: Suspend)';
    case 'salesforce': return 'Salesforce Setup: Users > Freeze, then Deactivate';
    case 'slack': return 'Slack admin: Manage members > Deactivate account (signs out every session)';
    default: return undefined;
  }
}

/** What an attacker who held admin on a tenant or identity provider may have left behind, per platform. */
export function persistenceToHunt(platform: string): string[] {
  switch (platform) {
    case 'entra':
      return ['app registrations and service principals created or changed', 'new client secrets and certificates on existing apps', 'admin consents and app role assignments (Graph and Exchange application permissions)', 'users and guests created, directory role assignments', 'federated domains, identity providers and federated identity credentials', 'Conditional Access policy changes', 'mailbox rules, forwarding and delegated mailbox permissions'];
    case 'okta':
      return ['admin role assignments', 'new API tokens', 'identity providers and routing rules added', 'apps created or assigned, SAML/OIDC settings changed', 'MFA factors reset or enrolled', 'users created, reactivated or moved into admin groups', 'sign-on and network zone policy changes'];
    case 'google-workspace':
      return ['OAuth clients added to domain-wide delegation or allowed in App access control', 'admin role assignments', 'users created or unsuspended', 'Gmail forwarding, filters and delegates', 'SSO profile and SAML app changes', 'third-party tokens granted after the window opened'];
    case 'github':
      return ['organization owners and team maintainers added', 'deploy keys, SSH keys and personal access tokens approved', 'GitHub Apps and OAuth apps installed or authorised', 'webhooks added', 'Actions secrets, workflows and runners changed', 'branch protection and rulesets weakened'];
    case 'aws':
      return ['IAM users, access keys and login profiles created', 'roles created or trust policies changed (cross-account, OIDC providers)', 'policies attached or edited', 'identity providers added', 'CloudTrail or GuardDuty disabled', 'resource policies opened to other accounts'];
    case 'salesforce':
      return ['connected apps created or their policies relaxed', 'users created, profiles and permission sets assigned', 'API-enabled or Modify All Data grants', 'login IP ranges and session settings changed', 'named credentials and remote site settings'];
    case 'slack':
      return ['apps installed or approved', 'workspace admins or owners added', 'tokens issued to new apps', 'SSO and session settings changed'];
    case 'snowflake':
      return ['users and roles created or granted', 'new key pairs and programmatic access tokens', 'network policies dropped or widened', 'shares and external stages created'];
    default:
      return ['accounts and admin roles created or granted', 'new credentials (keys, tokens, secrets) on existing accounts', 'integrations and apps added or given consent', 'trust, federation and sign-in policy changes'];
  }
}
