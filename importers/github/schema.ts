// zod schemas of the GitHub REST API objects the GitHub importer reads, with GitHub's own field names.
// Unknown fields are accepted and ignored (the API grows); secret fields (`token`, key bodies) are never kept.
import { z } from 'zod';
import { tenantIdText } from '../common/bounds.ts';
import { apiInstant } from '../common/records.ts';
import { sshFingerprint } from './fingerprint.ts';

/** GitHub date-times (`2011-01-26T19:06:43Z`, or with an offset) become UTC instants. */
const instant = apiInstant;

/**
 * Account logins (organizations, users, bots): GitHub's are at most 39 characters; accepted up to 256. The bound
 * matters: the organization's login is the tenant, part of every node id the import makes (a 300,000-character
 * login made 13 MB of ids out of a 46-node fixture).
 */
const login = tenantIdText.min(1);
const numericId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((value) => String(value));
/** Permission name -> `read` | `write` | `admin` (the values GitHub uses; anything else is kept and assumed). */
const permissionMap = z.record(z.string(), z.string());

const account = z.object({ login, id: z.number().nullish(), type: z.string().nullish() });

/** `GET /orgs/{org}`: the organization. */
export const organizationSchema = z.object({
  login,
  id: z.number().nullish(),
  name: z.string().nullish(),
  default_repository_permission: z.string().nullish(),
  two_factor_requirement_enabled: z.boolean().nullish(),
  plan: z.object({ name: z.string().nullish() }).nullish(),
});

/** A (minimal) repository: `GET /orgs/{org}/repos`, and the repository lists of installations, grants and secrets. */
export const repositorySchema = z.object({
  id: z.number().nullish(),
  name: z.string().nullish(),
  // An owner login (at most 39 characters) and a repository name (at most 100): accepted up to 256. It is part of the
  // id of every secret, key, environment and workflow identity of the repository.
  full_name: tenantIdText.regex(/^[^/\s]+\/[^/\s]+$/, { message: 'owner/name' }),
  owner: account.nullish(),
  private: z.boolean().nullish(),
  visibility: z.string().nullish(),
  archived: z.boolean().nullish(),
  disabled: z.boolean().nullish(),
  fork: z.boolean().nullish(),
  default_branch: z.string().nullish(),
  description: z.string().nullish(),
  role_name: z.string().nullish(),
  permissions: z.object({
    admin: z.boolean().nullish(), maintain: z.boolean().nullish(), push: z.boolean().nullish(), triage: z.boolean().nullish(), pull: z.boolean().nullish(),
  }).nullish(),
});

/** `GET /orgs/{org}/installations`: a GitHub App installed on the organization. */
export const installationSchema = z.object({
  id: numericId,
  app_id: z.number().nullish(),
  app_slug: z.string().min(1),
  account: account.nullish(),
  target_type: z.string().nullish(),
  repository_selection: z.string().min(1),
  permissions: permissionMap,
  events: z.array(z.string()).nullish(),
  created_at: instant.nullish(),
  updated_at: instant.nullish(),
  suspended_at: instant.nullish(),
  suspended_by: account.nullish(),
});

/** `GET /apps/{app_slug}`: the app itself (owner and OAuth client id). */
export const appSchema = z.object({
  id: z.number().nullish(),
  slug: z.string().min(1),
  client_id: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  external_url: z.string().nullish(),
  owner: account.nullish(),
  created_at: instant.nullish(),
});

const patPermissions = z.object({
  organization: permissionMap.nullish(),
  repository: permissionMap.nullish(),
  other: permissionMap.nullish(),
});

/** `GET /orgs/{org}/personal-access-tokens`: a fine-grained personal access token granted access to the org. */
export const patGrantSchema = z.object({
  id: numericId,
  owner: account,
  repository_selection: z.string().min(1),
  permissions: patPermissions,
  access_granted_at: instant.nullish(),
  token_id: z.number().nullish(),
  token_name: z.string().nullish(),
  token_expired: z.boolean().nullish(),
  token_expires_at: instant.nullish(),
  token_last_used_at: instant.nullish(),
});

/** `GET /orgs/{org}/personal-access-token-requests`: a pending request (no access yet). */
export const patRequestSchema = patGrantSchema.omit({ access_granted_at: true }).extend({
  reason: z.string().nullish(),
  created_at: instant.nullish(),
});

/** `GET /orgs/{org}/credential-authorizations` (SAML SSO orgs): classic PATs, OAuth and app tokens, SSH keys. */
export const credentialAuthorizationSchema = z.object({
  login,
  credential_id: numericId,
  credential_type: z.string().min(1),
  token_last_eight: z.string().nullish(),
  credential_authorized_at: instant.nullish(),
  credential_accessed_at: instant.nullish(),
  authorized_credential_id: numericId.nullish(),
  authorized_credential_title: z.string().nullish(),
  authorized_credential_note: z.string().nullish(),
  authorized_credential_expires_at: instant.nullish(),
  scopes: z.array(z.string()).nullish(),
  fingerprint: z.string().nullish(),
});

/**
 * `GET /repos/{owner}/{repo}/keys`: a deploy key. The public key is turned into its SHA-256 fingerprint while
 * parsing, so the parsed record never carries the key text.
 */
export const deployKeySchema = z
  .object({
    id: numericId,
    key: z.string().nullish(),
    title: z.string().nullish(),
    verified: z.boolean().nullish(),
    created_at: instant.nullish(),
    read_only: z.boolean(),
    added_by: z.string().nullish(),
    last_used: instant.nullish(),
    enabled: z.boolean().nullish(),
  })
  .transform(({ key, ...rest }) => ({ ...rest, fingerprint: key ? sshFingerprint(key) : undefined }));

/** An Actions secret's metadata (org, repository or environment level); the value is never returned by GitHub. */
export const actionsSecretSchema = z.object({
  name: z.string().min(1),
  created_at: instant.nullish(),
  updated_at: instant.nullish(),
  visibility: z.string().nullish(),
  selected_repositories_url: z.string().nullish(),
});

/** `GET /repos/{owner}/{repo}/environments`: deployment environments and their protection rules. */
export const environmentSchema = z.object({
  name: z.string().min(1),
  protection_rules: z.array(z.object({ type: z.string() })).nullish(),
  deployment_branch_policy: z.object({ protected_branches: z.boolean().nullish(), custom_branch_policies: z.boolean().nullish() }).nullish(),
  url: z.string().nullish(),
});

/** `GET /orgs/{org}/members` and `GET /orgs/{org}/teams/{slug}/members`: users. */
export const memberSchema = z.object({
  login,
  id: z.number().nullish(),
  type: z.string().nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});

/**
 * `GET /repos/{owner}/{repo}/collaborators?affiliation=direct`: people given access to one repository directly
 * (outside collaborators and members), with the role GitHub reports (`role_name`, or the `permissions` flags).
 */
export const collaboratorSchema = memberSchema.extend({
  role_name: z.string().nullish(),
  permissions: z.object({
    admin: z.boolean().nullish(), maintain: z.boolean().nullish(), push: z.boolean().nullish(), triage: z.boolean().nullish(), pull: z.boolean().nullish(),
  }).nullish(),
});

/**
 * `GET /repos/{owner}/{repo}/contents/{path}` for a workflow file: the file's metadata and its text in base64
 * (`encoding: base64`); the raw file (`Accept: application/vnd.github.raw+json`) is read as YAML directly.
 */
export const contentFileSchema = z.object({
  type: z.literal('file'),
  name: z.string().nullish(),
  path: z.string().nullish(),
  encoding: z.literal('base64', { message: 'base64 (the contents API answers files up to 1 MB in base64)' }),
  content: z.string(),
});

/** `GET /orgs/{org}/teams`. */
export const teamSchema = z.object({
  slug: z.string().min(1),
  name: z.string().nullish(),
  id: z.number().nullish(),
  privacy: z.string().nullish(),
  parent: z.object({ slug: z.string() }).nullish(),
});

/** `secret-links.json` (blastmap's own file): which node an Actions secret signs in as. */
export const secretLinksSchema = z.record(z.string().min(1), z.string().min(1));
/** `oidc-trusts.json` (blastmap's own file): which identities a repository's workflows assume through OIDC. */
export const oidcTrustsSchema = z.record(z.string().regex(/^[^/\s]+\/[^/\s]+(\/environments\/[^/]+)?$/, { message: 'owner/name or owner/name/environments/<environment>' }), z.union([z.string().min(1), z.array(z.string().min(1))]));

export type Organization = z.output<typeof organizationSchema>;
export type Repository = z.output<typeof repositorySchema>;
export type Installation = z.output<typeof installationSchema>;
export type App = z.output<typeof appSchema>;
export type PatGrant = z.output<typeof patGrantSchema>;
export type PatRequest = z.output<typeof patRequestSchema>;
export type CredentialAuthorization = z.output<typeof credentialAuthorizationSchema>;
export type DeployKey = z.output<typeof deployKeySchema>;
export type ActionsSecret = z.output<typeof actionsSecretSchema>;
export type Environment = z.output<typeof environmentSchema>;
export type Collaborator = z.output<typeof collaboratorSchema>;

/**
 * `GET /orgs/{org}/audit-log?phrase=action:personal_access_token` (GitHub Enterprise Cloud): the importer reads
 * `personal_access_token.access_granted` (an owner approved a fine-grained token's request); other events are
 * accepted and ignored. `@timestamp` and `created_at` are milliseconds since the epoch.
 */
export const auditEventSchema = z.object({
  action: z.string().min(1),
  '@timestamp': z.union([z.number(), z.string()]).nullish(),
  created_at: z.union([z.number(), z.string()]).nullish(),
  actor: z.string().nullish(),
  user: z.string().nullish(),
  org: z.string().nullish(),
  token_id: z.union([z.number(), z.string()]).nullish(),
  programmatic_access_type: z.string().nullish(),
});
export type AuditEvent = z.output<typeof auditEventSchema>;
