// Where a responder acts on a node in its platform's own admin console: one table keyed by platform and node
// kind (and credential type, identity subtype or resource type), read by findings so each names its place to act.
import type { GraphNode } from '../format/native.ts';

/**
 * One row of the table. `variant` matches a Credential's `type`, an Identity's `subtype` or a Resource's
 * `resourceType`; a row without it matches any. `where` is the path with placeholders filled per node:
 * `{name}` the node's name, `{principal}` the principal a credential acts as (else its holder), `{holder}`
 * the app or identity holding it, `{vendor}` the node's vendor; `{x.prop}` reads `properties.prop` of that
 * node and falls back to its name. `property` narrows a row to nodes whose `properties[key]` equals `value`,
 * `principalProperty` to credentials whose principal has it (the AWS root user's password).
 */
export interface ConsolePathRow {
  platform: string;
  kind: string;
  variant?: string;
  property?: { key: string; value: unknown };
  principalProperty?: { key: string; value: unknown };
  where: string;
}

const AWS_USER_KEYS = 'AWS console → IAM → Users → {principal.userName} → Security credentials';

export const CONSOLE_PATHS: readonly ConsolePathRow[] = [
  // AWS
  { platform: 'aws', kind: 'Credential', variant: 'api-key', where: `${AWS_USER_KEYS} → Access keys` },
  { platform: 'aws', kind: 'Credential', variant: 'password', principalProperty: { key: 'root', value: true }, where: 'AWS console signed in as the root user of account {principal.accountId} → account menu → Security credentials' },
  { platform: 'aws', kind: 'Credential', variant: 'password', where: `${AWS_USER_KEYS} → Console sign-in` },
  { platform: 'aws', kind: 'Credential', variant: 'federated', where: 'AWS console → IAM → Roles → {principal.roleName} → Trust relationships' },
  { platform: 'aws', kind: 'Identity', variant: 'workload', where: 'AWS console → IAM → Roles → {name.roleName} → Permissions and Trust relationships' },
  { platform: 'aws', kind: 'Identity', property: { key: 'root', value: true }, where: 'AWS console signed in as the root user → account menu → Security credentials' },
  { platform: 'aws', kind: 'Identity', where: 'AWS console → IAM → Users → {name.userName} → Security credentials and Permissions' },
  { platform: 'aws', kind: 'Role', where: 'AWS console → IAM → Policies → {name} → Entities attached' },
  { platform: 'aws', kind: 'Resource', variant: 'secret-store', where: 'AWS console → Secrets Manager → Secrets → {name} → Resource permissions' },
  { platform: 'aws', kind: 'Resource', variant: 'bucket', where: 'AWS console → S3 → Buckets → {name} → Permissions' },
  { platform: 'aws', kind: 'Platform', where: 'AWS console → IAM (account {name})' },
  // Okta
  { platform: 'okta', kind: 'Credential', variant: 'api-key', where: 'Okta Admin → Security → API → Tokens → {name}' },
  { platform: 'okta', kind: 'Credential', where: 'Okta Admin → Applications → Applications → {holder} → General (client credentials)' },
  { platform: 'okta', kind: 'App', where: 'Okta Admin → Applications → Applications → {name}' },
  { platform: 'okta', kind: 'Identity', where: 'Okta Admin → Directory → People → {name}' },
  { platform: 'okta', kind: 'Role', where: 'Okta Admin → Security → Administrators → {name}' },
  { platform: 'okta', kind: 'Group', where: 'Okta Admin → Directory → Groups → {name}' },
  // Google Workspace
  { platform: 'google-workspace', kind: 'Credential', property: { key: 'delegation', value: 'domain-wide' }, where: 'Google Admin → Security → Access and data control → API controls → Domain-wide delegation → client ID {name.clientId}' },
  { platform: 'google-workspace', kind: 'Credential', where: 'Google Admin → Security → Access and data control → API controls → App access control → {holder} (revoke: Directory → Users → the user → Security → Connected applications)' },
  { platform: 'google-workspace', kind: 'App', where: 'Google Admin → Security → Access and data control → API controls → App access control → {name}' },
  { platform: 'google-workspace', kind: 'Identity', where: 'Google Admin → Directory → Users → {name} → Security' },
  { platform: 'google-workspace', kind: 'Role', where: 'Google Admin → Account → Admin roles → {name}' },
  // Google Cloud
  { platform: 'gcp', kind: 'Credential', where: 'Google Cloud console → IAM & Admin → Service accounts → {principal} → Keys' },
  { platform: 'gcp', kind: 'Identity', where: 'Google Cloud console → IAM & Admin → Service accounts → {name}' },
  { platform: 'gcp', kind: 'Role', where: 'Google Cloud console → IAM & Admin → IAM → {name}' },
  // Salesforce
  { platform: 'salesforce', kind: 'Credential', where: 'Salesforce Setup → Apps → Connected Apps → Connected Apps OAuth Usage → {holder} → Revoke' },
  { platform: 'salesforce', kind: 'App', where: 'Salesforce Setup → Apps → Connected Apps → Connected Apps OAuth Usage → {name}' },
  { platform: 'salesforce', kind: 'Identity', where: 'Salesforce Setup → Users → Users → {name}' },
  { platform: 'salesforce', kind: 'Role', where: 'Salesforce Setup → Users → Permission Sets or Profiles → {name}' },
  { platform: 'salesforce', kind: 'Resource', variant: 'crm-record', where: 'Salesforce → {name} (delete the secret from the record and its feed)' },
  // GitHub
  { platform: 'github', kind: 'Credential', variant: 'deploy-key', where: 'GitHub → the repository → Settings → Deploy keys → {name}' },
  { platform: 'github', kind: 'Credential', variant: 'pat', where: 'GitHub → Organization settings → Personal access tokens (classic tokens: People → {principal} → SAML SSO credential authorizations)' },
  { platform: 'github', kind: 'Credential', variant: 'ssh-key', where: 'GitHub → Organization settings → People → {principal} → SAML SSO credential authorizations' },
  { platform: 'github', kind: 'Credential', where: 'GitHub → the repository or Organization settings → Secrets and variables → Actions → {name.secretName}' },
  { platform: 'github', kind: 'App', where: 'GitHub → Organization settings → Third-party access → GitHub Apps → {name} → Configure' },
  { platform: 'github', kind: 'Identity', variant: 'workload', where: 'GitHub → {name.repository} → Settings → Actions and Secrets and variables' },
  { platform: 'github', kind: 'Identity', where: 'GitHub → Organization settings → People → {name}' },
  { platform: 'github', kind: 'Role', where: 'GitHub → Organization settings → People (role: {name})' },
  { platform: 'github', kind: 'Resource', variant: 'repository', where: 'GitHub → {name} → Settings → Collaborators and teams' },
  // Slack
  { platform: 'slack', kind: 'Credential', where: 'Slack → Manage apps → {holder} → Remove app (revokes its tokens)' },
  { platform: 'slack', kind: 'App', where: 'Slack → Manage apps → {name}' },
  { platform: 'slack', kind: 'Identity', variant: 'service', where: 'Slack → Manage apps → {name}' },
  { platform: 'slack', kind: 'Identity', where: 'Slack → Manage members → {name}' },
  { platform: 'slack', kind: 'Resource', variant: 'channel', where: 'Slack → {name} (delete the message holding the secret)' },
  // Microsoft Entra
  { platform: 'entra', kind: 'Credential', variant: 'federated', where: 'Microsoft Entra admin center → App registrations → {holder} → Certificates & secrets → Federated credentials' },
  { platform: 'entra', kind: 'Credential', where: 'Microsoft Entra admin center → App registrations → {holder} → Certificates & secrets' },
  { platform: 'entra', kind: 'App', where: 'Microsoft Entra admin center → Enterprise applications → {name} → Permissions' },
  { platform: 'entra', kind: 'Identity', variant: 'human', where: 'Microsoft Entra admin center → Users → {name}' },
  { platform: 'entra', kind: 'Identity', where: 'Microsoft Entra admin center → Enterprise applications → {name}' },
  { platform: 'entra', kind: 'Role', where: 'Microsoft Entra admin center → Roles & admins → {name} → Assignments' },
  // n8n (an integration platform the customer runs: its console is the customer's own place to act)
  { platform: 'n8n', kind: 'App', where: 'n8n → Overview → Workflows → {name} → deactivate, then Settings → sharing (who may edit) and each node\'s credential' },
  { platform: 'n8n', kind: 'Credential', property: { key: 'hardcoded', value: true }, where: 'n8n → Workflows → {holder} → the node named in the finding → move the secret into a credential; rotate it where it was issued' },
  { platform: 'n8n', kind: 'Credential', where: 'n8n → Overview → Credentials → {name} → reconnect or delete (and revoke the token it holds where it was issued)' },
  { platform: 'n8n', kind: 'Resource', where: 'n8n → Projects → {name} → Project settings → members and roles' },
  { platform: 'n8n', kind: 'Identity', where: 'n8n → Settings → Users → {name} → role, or remove' },
  { platform: 'n8n', kind: 'Platform', where: 'n8n → Settings → Users (owners and admins) and Settings → n8n API (API keys)' },
  // Snowflake
  { platform: 'snowflake', kind: 'Credential', variant: 'pat', where: 'Snowsight → Admin → Users & Roles → {principal} → Programmatic access tokens (or ALTER USER … REMOVE PROGRAMMATIC ACCESS TOKEN)' },
  { platform: 'snowflake', kind: 'Credential', where: 'Snowsight → Admin → Users & Roles → {principal} (ALTER USER … UNSET RSA_PUBLIC_KEY / SET PASSWORD)' },
  { platform: 'snowflake', kind: 'Identity', where: 'Snowsight → Admin → Users & Roles → Users → {name}' },
  { platform: 'snowflake', kind: 'Role', where: 'Snowsight → Admin → Users & Roles → Roles → {name}' },
];

/** The nodes a path's placeholders may name, resolved by the caller (findings know the graph). */
export interface ConsoleContext {
  node: GraphNode;
  principal?: GraphNode;
  holder?: GraphNode;
}

function variantOf(node: GraphNode): string | undefined {
  return node.kind === 'Credential' ? node.type : node.kind === 'Identity' ? node.subtype : node.kind === 'Resource' ? node.resourceType : undefined;
}

/** The first matching row: same platform key (or `<key>-…`), same kind, variant and properties when the row sets them. */
export function consoleRow(context: ConsoleContext, rows: readonly ConsolePathRow[] = CONSOLE_PATHS): ConsolePathRow | undefined {
  const { node, principal } = context;
  const platform = node.platform.toLowerCase();
  const variant = variantOf(node);
  return rows.find((row) => (platform === row.platform || platform.startsWith(`${row.platform}-`))
    && row.kind === node.kind
    && (row.variant === undefined || row.variant === variant)
    && (row.property === undefined || node.properties?.[row.property.key] === row.property.value)
    && (row.principalProperty === undefined || principal?.properties?.[row.principalProperty.key] === row.principalProperty.value));
}

function fill(template: string, context: ConsoleContext): string {
  return template.replace(/\{(name|principal|holder|vendor)(?:\.([A-Za-z0-9_]+))?\}/g, (_match, which: string, prop: string | undefined) => {
    if (which === 'vendor') return context.node.vendor ?? context.node.platform;
    // The account id of an AWS principal is its tenant.
    if (prop === 'accountId') return (which === 'name' ? context.node : context.principal ?? context.node).tenant;
    const target = which === 'name' ? context.node : which === 'principal' ? (context.principal ?? context.holder) : context.holder;
    if (!target) return 'the holder';
    const value = prop === undefined ? undefined : target.properties?.[prop];
    return typeof value === 'string' && value.length > 0 ? value : target.name;
  });
}

/** Where to act on the node by the table, or undefined when its platform has no row (a vendor's environment). */
export function consoleRowPath(context: ConsoleContext, rows: readonly ConsolePathRow[] = CONSOLE_PATHS): string | undefined {
  const row = consoleRow(context, rows);
  return row ? fill(row.where, context) : undefined;
}

/**
 * Where to act on the node. A node on a platform without a row (a vendor's own environment) can only be
 * acted on by the vendor; `onYourSide` is the customer's own place to cut it off (e.g. the console path of
 * a credential it holds on one of the customer's platforms), found by the caller.
 */
export function consolePath(context: ConsoleContext, onYourSide?: string, rows: readonly ConsolePathRow[] = CONSOLE_PATHS): string {
  const path = consoleRowPath(context, rows);
  if (path !== undefined) return path;
  const node = context.node;
  const yours = onYourSide ?? 'revoke what it was granted on each of your platforms';
  if (node.vendor !== undefined || node.thirdParty === true) return `${node.vendor ?? node.platform} runs ${node.name}; on your side: ${yours}`;
  return onYourSide ?? `${node.platform} admin console → ${node.kind} ${node.name}`;
}
