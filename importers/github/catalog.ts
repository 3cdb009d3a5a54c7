// The GitHub importer's reference data: the fine-grained permission catalogue (GitHub Apps and fine-grained
// PATs), the classic OAuth scope catalogue, the resource types they name, and the secret-name hints.
import { z } from 'zod';
import { CREDENTIAL_TYPES } from '../../engine/schema/index.ts';
import { scopeCatalogSchema, type ScopeCatalog } from '../common/scopes.ts';
import oauthScopesJson from '../../engine/schema/scopes/github.json' with { type: 'json' };
import permissionsJson from './permissions.json' with { type: 'json' };
import secretHintsJson from './secret-hints.json' with { type: 'json' };

/** Fine-grained permissions as `<name>:<level>` (`contents:write`): GitHub App installations and fine-grained PATs. */
export const GITHUB_PERMISSIONS: ScopeCatalog = scopeCatalogSchema.parse(permissionsJson);
/** Classic OAuth scopes (`repo`, `admin:org` ...): classic PATs, OAuth app and GitHub app user tokens. */
export const GITHUB_OAUTH_SCOPES: ScopeCatalog = scopeCatalogSchema.parse(oauthScopesJson);

/**
 * What a catalogue resource type reaches. `repository`: each repository the grant covers (every repository
 * for an org-wide grant or a classic token); `public-repository`: the public ones among them; `organization`:
 * the organization's Platform node, which CONTAINS every repository; `packages`: the organization's packages.
 */
export const RESOURCE_TYPES = ['repository', 'public-repository', 'organization', 'packages'] as const;

export const secretHintsSchema = z.object({
  reference: z.string(),
  targets: z.array(z.object({ pattern: z.string(), target: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/) }).strict()),
  types: z.array(z.object({ pattern: z.string(), type: z.enum(CREDENTIAL_TYPES) }).strict()),
}).strict();

const SECRET_HINTS = secretHintsSchema.parse(secretHintsJson);
const targetRules = SECRET_HINTS.targets.map(({ pattern, target }) => ({ pattern: new RegExp(pattern, 'i'), target }));
const typeRules = SECRET_HINTS.types.map(({ pattern, type }) => ({ pattern: new RegExp(pattern, 'i'), type }));

/** The system a secret probably signs in to, guessed from its name (`AWS_ACCESS_KEY_ID` -> aws). */
export function secretTargetHint(name: string): string | undefined {
  return targetRules.find((rule) => rule.pattern.test(name))?.target;
}

/** The credential type a secret's name suggests; an API key when the name says nothing. */
export function secretCredentialType(name: string): (typeof CREDENTIAL_TYPES)[number] {
  return typeRules.find((rule) => rule.pattern.test(name))?.type ?? 'api-key';
}

/** Fine-grained permission names that act on the organization rather than on repositories. */
export const isOrganizationPermission = (name: string): boolean => name.startsWith('organization_') || name === 'members' || name === 'team_discussions';

/** The credential types GitHub reports in credential-authorizations, read case-insensitively. */
export const CREDENTIAL_AUTHORIZATION_TYPES: Readonly<Record<string, { type: (typeof CREDENTIAL_TYPES)[number]; label: string; prefix: string; heldByApp: boolean }>> = {
  'personal access token': { type: 'pat', label: 'Classic personal access token', prefix: 'classic-pat', heldByApp: false },
  'ssh key': { type: 'ssh-key', label: 'SSH key', prefix: 'ssh-key', heldByApp: false },
  'oauth app token': { type: 'oauth-grant', label: 'OAuth app token', prefix: 'oauth-token', heldByApp: true },
  'github app token': { type: 'oauth-grant', label: 'GitHub App user token', prefix: 'app-user-token', heldByApp: true },
};

/** Repository role names (team and collaborator permissions) -> blastmap level. */
export const REPOSITORY_ROLES: Readonly<Record<string, 'read' | 'write' | 'admin'>> = {
  pull: 'read', read: 'read', triage: 'read', push: 'write', write: 'write', maintain: 'write', admin: 'admin',
};

/** Sensitivity of the organization's packages (what others install from it). */
export const PACKAGES_SENSITIVITY = 6;
