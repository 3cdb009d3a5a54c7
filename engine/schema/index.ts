// The single source of blastmap's node kinds, edge kinds and their traversal semantics (graph-model.md).
// Everything else (zod schemas, JSON Schema, the compiled index, Cypher constraints, UI legends) reads this data.
import { BlastmapError } from '../errors.ts';

export const LEVELS = ['read', 'write', 'admin'] as const;
export type Level = (typeof LEVELS)[number];
/** Numeric level codes used by the compiled index: 0 = nothing, 1 = read, 2 = write, 3 = admin. */
export const LEVEL_CODE: Record<Level, 1 | 2 | 3> = { read: 1, write: 2, admin: 3 };
export const levelName = (code: number): Level => {
  const name = LEVELS[code - 1];
  if (!name) throw new RangeError(`engine/schema: level code ${code} is not 1, 2 or 3`);
  return name;
};

export interface NodeKindSpec {
  description: string;
  /**
   * `graded` nodes (Resource, Platform) can be reached at read, write or admin. Principals and
   * credentials are all-or-nothing: whoever controls them can do everything they can do, so every
   * traversable edge into them must grant admin.
   */
  graded: boolean;
  /** Counts toward "controlled principals" in the score. */
  principal: boolean;
  /** Colour used by legends and the UI; kept here so every view agrees. */
  color: string;
}

export type Grants = Level | 'same';

export interface EdgeKindSpec {
  description: string;
  from: readonly string[];
  to: readonly string[];
  traversable: boolean;
  /** Minimum level held on the source to use the edge (ignored when not traversable). */
  requires: Level;
  /** Level obtained on the target; `same` = the level held on the source. */
  grants: Grants;
  /**
   * Whether a responder can remove one such edge (a grant, a membership, a trust): default true. Structural
   * edges (a container's parts, an administrator's reach) are not cuts; the revocation plan cuts what leads
   * to them instead.
   */
  cuttable?: boolean;
  /**
   * The responder action that removes one such edge (`remove-membership`, `narrow-grant`, ...), shown in plans.
   * Absent on kinds no action removes: they state facts (a credential is that principal's, a container holds
   * its parts) and a plan acts on what leads to them instead.
   */
  action?: EdgeAction;
  /**
   * Delegation: using the edge is acting as the target principal. When the edge carries `scopes` that a
   * scope catalogue restricts, the graph builder replaces its authority by derived edges to exactly what the
   * scopes allow, intersected with what the target itself can do (docs/model.md, "Scoped delegation").
   */
  delegates?: boolean;
  /**
   * The target is minted by the source (an access token by its refresh token or grant): the target stays
   * usable as long as the source is, whatever its own expiry says, unless the target itself was revoked.
   */
  renews?: boolean;
}

/** What a responder does to remove one edge of a kind; `revoke-credential` and `rotate-credential` act on the credential. */
export const EDGE_ACTIONS = {
  'revoke-credential': 'Revoke the credential (or uninstall the app that holds it)',
  'rotate-credential': 'Rotate the credential: a copy was exposed, so the value must change',
  'remove-membership': 'Remove the member from the group',
  'remove-role': 'Remove the role assignment',
  'narrow-grant': 'Remove the scope or permission from the grant',
  'remove-delegation': 'Remove the delegation or impersonation right',
  'remove-permission': 'Remove the permission that allows the takeover',
  'unassign-sso': 'Remove the single sign-on assignment',
  'remove-trust': 'Remove the federation trust',
  'restrict-workload': 'Restrict what can run as the workload (branch protection, trust conditions, workflow triggers)',
} as const;
export type EdgeAction = keyof typeof EDGE_ACTIONS;

export interface Schema {
  readonly nodeKinds: Readonly<Record<string, NodeKindSpec>>;
  readonly edgeKinds: Readonly<Record<string, EdgeKindSpec>>;
}

const PRINCIPAL_KINDS = ['App', 'Identity', 'Group', 'Role'] as const;
const AUTHORITY_SOURCES = ['App', 'Identity', 'Group', 'Role', 'Credential'] as const;

export const NODE_KINDS = {
  Platform: {
    description: 'One tenant of one system: a Salesforce org, a GitHub org, a Workspace domain, an AWS account, a vendor environment.',
    graded: true, principal: false, color: '#6b7280',
  },
  App: {
    description: 'An integration, connector, OAuth client, connected app, GitHub App, Slack app or Entra application.',
    graded: false, principal: true, color: '#f97316',
  },
  Identity: {
    description: 'Something that can act: a human, a service account or principal, a bot, a workload.',
    graded: false, principal: true, color: '#3b82f6',
  },
  Group: {
    description: 'A set of identities that share grants.',
    graded: false, principal: true, color: '#06b6d4',
  },
  Role: {
    description: 'A named bundle of permissions (admin role, IAM role, Snowflake role).',
    graded: false, principal: true, color: '#8b5cf6',
  },
  Credential: {
    description: 'Anything that authenticates: OAuth grant, refresh token, API key, client secret, certificate, PAT, deploy key, session, federated trust.',
    graded: false, principal: false, color: '#eab308',
  },
  Resource: {
    description: 'Data or a capability on a platform: repository, mailbox, drive, CRM object set, channel, bucket, table, CI project, secret store.',
    graded: true, principal: false, color: '#10b981',
  },
} as const satisfies Record<string, NodeKindSpec>;

export type BuiltinNodeKind = keyof typeof NODE_KINDS;

const authority = (level: Level, meaning: string): EdgeKindSpec => ({
  description: meaning, from: AUTHORITY_SOURCES, to: ['Resource', 'Platform'],
  traversable: true, requires: 'admin', grants: level, action: 'narrow-grant',
});

const governance = (from: readonly string[], to: readonly string[], meaning: string): EdgeKindSpec => ({
  description: meaning, from, to, traversable: false, requires: 'admin', grants: 'admin',
});

export const EDGE_KINDS = {
  // (:App|Identity)-[:HOLDS]->(:Credential)
  HOLDS: { description: 'The holder stores or can use the credential.', from: ['App', 'Identity'], to: ['Credential'], traversable: true, requires: 'admin', grants: 'admin', action: 'revoke-credential' },
  // (:Resource)-[:CONTAINS_CREDENTIAL]->(:Credential)
  CONTAINS_CREDENTIAL: { description: 'A secret leaked into this data (a case, a channel, a page, a repository): reading the data yields the credential.', from: ['Resource'], to: ['Credential'], traversable: true, requires: 'read', grants: 'admin', action: 'rotate-credential' },
  // (:Credential)-[:AUTHENTICATES_AS]->(:App|Identity)
  AUTHENTICATES_AS: { description: 'Using the credential is acting as that principal with its full authority (or, with restricting scopes, only what they allow).', from: ['Credential'], to: ['App', 'Identity'], traversable: true, requires: 'admin', grants: 'admin', cuttable: false, delegates: true },
  // (:Identity|Group)-[:MEMBER_OF]->(:Group)
  MEMBER_OF: { description: "The member inherits the group's grants.", from: ['Identity', 'Group'], to: ['Group'], traversable: true, requires: 'admin', grants: 'admin', action: 'remove-membership' },
  // (:Identity|Group|App)-[:HAS_ROLE]->(:Role)
  HAS_ROLE: { description: 'The principal holds the role.', from: ['Identity', 'Group', 'App'], to: ['Role'], traversable: true, requires: 'admin', grants: 'admin', action: 'remove-role' },
  // (:App|Identity|Group|Role|Credential)-[:CAN_READ|CAN_WRITE|CAN_ADMIN]->(:Resource|Platform)
  CAN_READ: authority('read', 'Direct read authority, usually derived from scopes.'),
  CAN_WRITE: authority('write', 'Direct write authority, usually derived from scopes.'),
  CAN_ADMIN: authority('admin', 'Direct admin authority, usually derived from scopes.'),
  // (:Platform|Resource)-[:CONTAINS]->(:Resource)
  CONTAINS: { description: 'Authority on a container reaches its parts at the same level.', from: ['Platform', 'Resource'], to: ['Resource'], traversable: true, requires: 'read', grants: 'same', cuttable: false },
  // (:Platform|Resource)-[:MANAGES]->(:App|Identity|Credential)
  MANAGES: { description: 'An administrator of the container can take over the principal (reset, mint, add a secret).', from: ['Platform', 'Resource'], to: ['App', 'Identity', 'Credential'], traversable: true, requires: 'admin', grants: 'admin', cuttable: false },
  // (:App|Identity)-[:CAN_IMPERSONATE]->(:Identity)
  CAN_IMPERSONATE: { description: 'Acts as the identity, e.g. Google domain-wide delegation or Okta impersonation (with restricting scopes, only what they allow).', from: ['App', 'Identity'], to: ['Identity'], traversable: true, requires: 'admin', grants: 'admin', action: 'remove-delegation', delegates: true },
  // (:App|Identity|Role)-[:CAN_ADD_CREDENTIAL]->(:App|Identity)
  CAN_ADD_CREDENTIAL: { description: 'Can mint a new credential for the principal, e.g. owner of an Entra app or Application.ReadWrite.All.', from: ['App', 'Identity', 'Role'], to: ['App', 'Identity'], traversable: true, requires: 'admin', grants: 'admin', action: 'remove-permission' },
  // (:App|Identity|Role|Credential)-[:CAN_RESET_CREDENTIAL]->(:Identity)
  CAN_RESET_CREDENTIAL: { description: "Can reset the identity's password or other credential.", from: ['App', 'Identity', 'Role', 'Credential'], to: ['Identity'], traversable: true, requires: 'admin', grants: 'admin', action: 'remove-permission' },
  // (:Identity)-[:SSO_TO]->(:Identity)
  SSO_TO: { description: 'An identity-provider account signs in as the linked account on another platform.', from: ['Identity'], to: ['Identity'], traversable: true, requires: 'admin', grants: 'admin', action: 'unassign-sso' },
  // (:Platform)-[:FEDERATES_TO]->(:Platform)
  FEDERATES_TO: { description: "The target trusts the source's identity provider for every user.", from: ['Platform'], to: ['Platform'], traversable: true, requires: 'admin', grants: 'admin', action: 'remove-trust' },
  // (:Resource)-[:RUNS_AS]->(:Identity)
  RUNS_AS: { description: 'Writing to this repository or CI project runs code as that workload.', from: ['Resource'], to: ['Identity'], traversable: true, requires: 'write', grants: 'admin', action: 'restrict-workload' },
  // (:Identity)-[:OWNS]->(:App|Credential|Identity) — an owner of a service account is an Identity owning an Identity.
  OWNS: governance(['Identity'], ['App', 'Credential', 'Identity'], 'Business or technical owner; governance only.'),
  // (:App)-[:INSTALLED_IN]->(:Platform)
  INSTALLED_IN: governance(['App'], ['Platform'], 'Where the integration is installed; governance only.'),
  // (:Identity)-[:CONSENTED]->(:App)
  CONSENTED: governance(['Identity'], ['App'], 'Who approved the grant; governance only.'),
  // Kinds added in the second round of the model keep the codes of the kinds above (the generator and old snapshots use them).
  // (:App|Identity|Role|Credential)-[:CAN_ADD_MEMBER]->(:Group)
  CAN_ADD_MEMBER: { description: "Can change the group's members, so can add itself (or anyone) and get what the group gets: Okta group admins and provisioning connectors, Entra group writers and owners, team maintainers.", from: ['App', 'Identity', 'Role', 'Credential'], to: ['Group'], traversable: true, requires: 'admin', grants: 'admin', action: 'remove-permission' },
  // (:Resource)-[:STORES_CREDENTIAL]->(:Credential)
  STORES_CREDENTIAL: { description: 'A secret store keeps the credential where it belongs (AWS Secrets Manager, a vault): reading the secret through the store\'s API yields it. Not a leak.', from: ['Resource'], to: ['Credential'], traversable: true, requires: 'read', grants: 'admin', action: 'rotate-credential' },
  // (:Resource)-[:RUNS_AS_ON_TRIGGER]->(:Identity)
  RUNS_AS_ON_TRIGGER: { description: 'A workflow runs as that workload on events a reader or outsider can cause (pull_request_target, issue_comment, workflow_run): code execution from read.', from: ['Resource'], to: ['Identity'], traversable: true, requires: 'read', grants: 'admin', action: 'restrict-workload' },
  // (:Credential)-[:MINTS]->(:Credential)
  MINTS: { description: 'A refresh token or grant mints the access token: the family stays live while the refresh token is, and whoever holds the refresh token can mint new access tokens.', from: ['Credential'], to: ['Credential'], traversable: true, requires: 'admin', grants: 'admin', cuttable: false, renews: true },
  // (:App|Identity|Credential)-[:DELEGATED_AS]->(:App|Identity)
  DELEGATED_AS: { description: 'Acts as the principal only within restricting scopes (domain-wide delegation limited to drive.readonly, a delegated Mail.Read grant): its authority is the derived edges, not the principal.', from: ['App', 'Identity', 'Credential'], to: ['App', 'Identity'], traversable: false, requires: 'admin', grants: 'admin', action: 'remove-delegation', delegates: true },
} as const satisfies Record<string, EdgeKindSpec>;

export type BuiltinEdgeKind = keyof typeof EDGE_KINDS;

/** Whether the revocation plan may propose removing a single edge of this kind. */
export const isCuttable = (spec: EdgeKindSpec | undefined): boolean => spec !== undefined && spec.cuttable !== false;

export const PRINCIPAL_NODE_KINDS: readonly string[] = PRINCIPAL_KINDS;

/** Problems that make a schema unusable; checked by `defineSchema`. */
function schemaProblems(schema: Schema): string[] {
  const problems: string[] = [];
  const nodeKinds = new Set(Object.keys(schema.nodeKinds));
  for (const [kind, spec] of Object.entries(schema.edgeKinds)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(kind)) problems.push(`edge kind ${kind}: names are UPPER_SNAKE_CASE`);
    for (const end of [...spec.from, ...spec.to]) {
      if (!nodeKinds.has(end)) problems.push(`edge kind ${kind}: unknown node kind ${end}`);
    }
    if (spec.traversable && spec.grants !== 'admin') {
      for (const to of spec.to) {
        const target = schema.nodeKinds[to];
        if (target && !target.graded) problems.push(`edge kind ${kind}: grants ${spec.grants} on ${to}, which is only ever reached at admin`);
      }
    }
  }
  for (const kind of nodeKinds) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) problems.push(`node kind ${kind}: names are PascalCase`);
  }
  return problems;
}

/**
 * Builds a schema from node and edge kinds, checking that it is consistent. Extra kinds are how a
 * collector's own vocabulary (or a test) extends blastmap without touching the traversal.
 */
export function defineSchema(extra: Partial<Schema> = {}, base: Schema = DEFAULT_SCHEMA): Schema {
  const schema: Schema = {
    nodeKinds: Object.freeze({ ...base.nodeKinds, ...extra.nodeKinds }),
    edgeKinds: Object.freeze({ ...base.edgeKinds, ...extra.edgeKinds }),
  };
  const problems = schemaProblems(schema);
  if (problems.length > 0) throw new BlastmapError('INVALID_INPUT', `engine/schema: invalid schema: ${problems.join('; ')}`);
  return Object.freeze(schema);
}

export const DEFAULT_SCHEMA: Schema = Object.freeze({ nodeKinds: NODE_KINDS, edgeKinds: EDGE_KINDS });

/** Default sensitivity (0-10) of a node by tag, when the node does not state one. */
export const TAG_SENSITIVITY: Readonly<Record<string, number>> = {
  'crown-jewel': 10,
  secrets: 9,
  pii: 8,
  financial: 8,
  'source-code': 7,
  production: 7,
  customer: 6,
  internal: 3,
};
export const DEFAULT_SENSITIVITY = 1;

export function effectiveSensitivity(node: { sensitivity?: number | undefined; tags?: readonly string[] | undefined }): number {
  if (node.sensitivity !== undefined) return node.sensitivity;
  let best = -1;
  for (const tag of node.tags ?? []) best = Math.max(best, TAG_SENSITIVITY[tag] ?? -1);
  return best >= 0 ? best : DEFAULT_SENSITIVITY;
}

export const CREDENTIAL_TYPES = [
  'oauth-grant', 'refresh-token', 'access-token', 'api-key', 'client-secret', 'certificate', 'pat',
  'deploy-key', 'ssh-key', 'password', 'session', 'federated',
] as const;
export const IDENTITY_SUBTYPES = ['human', 'service', 'workload'] as const;
