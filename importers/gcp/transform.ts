// Pure transform from Google Cloud IAM exports of one project to a Fragment: service accounts, their
// user-managed keys, and IAM bindings (project-wide and per service account). See docs/importers/gcp.md.
import type { InputIssue } from '../../engine/errors.ts';
import { nodeId, type Fragment } from '../../engine/format/native.ts';
import { stubNode } from '../../engine/store/link.ts';
import type { Level } from '../../engine/schema/index.ts';
import { emptyReport, type ImporterReport } from '../common/importer.ts';
import type { Located } from '../common/records.ts';
import { lookupScope, scopeCatalogSchema, UnknownScopes, type ScopeLookup } from '../common/scopes.ts';
import { definedProperties, FragmentBuilder, withoutPrototype } from '../common/builder.ts';
import roleData from './roles.json' with { type: 'json' };
import type { Binding, ServiceAccount, ServiceAccountKey } from './schema.ts';

export const PLATFORM = 'gcp';
export const SOURCE = 'gcp';
/** Null-prototype table: a scope named `constructor` or `toString` in an export must read as unknown. */
export const ROLE_CATALOG = withoutPrototype(scopeCatalogSchema.parse(roleData));

/** Per-project services the role catalogue reaches; anything else gets a resource named after its service. */
const SERVICES: Readonly<Record<string, { name: string; tags?: string[] }>> = {
  storage: { name: 'Cloud Storage', tags: ['internal'] },
  secrets: { name: 'Secret Manager secrets', tags: ['secrets'] },
  bigquery: { name: 'BigQuery datasets', tags: ['internal'] },
  compute: { name: 'Compute Engine', tags: ['production'] },
  kms: { name: 'Cloud KMS keys', tags: ['secrets'] },
  logging: { name: 'Cloud Logging' },
  iam: { name: 'IAM roles and policies' },
};

const KIND_OF_LEVEL: Record<Level, 'CAN_READ' | 'CAN_WRITE' | 'CAN_ADMIN'> = { read: 'CAN_READ', write: 'CAN_WRITE', admin: 'CAN_ADMIN' };
const VERB: Record<Level, string> = { read: 'read', write: 'write to', admin: 'fully control' };
/** `validBeforeTime` of a key that never expires. */
const NEVER_EXPIRES_YEAR = 9999;

export interface GcpInput {
  accounts: Located<ServiceAccount>[];
  keys: Located<ServiceAccountKey>[];
  /** Bindings of the project's own IAM policy. */
  projectBindings: Located<Binding>[];
  /** Bindings of each service account's IAM policy (who may act as that one account). */
  accountBindings: { email: string; binding: Located<Binding> }[];
}

/** The project: `--tenant`, else the one projectId of the service accounts, else the one project named in key names. */
export function projectOf(input: Pick<GcpInput, 'accounts' | 'keys'>, tenant: string | undefined, fallback?: string): { ok: true; project: string } | { ok: false; issue: InputIssue } {
  if (tenant) return { ok: true, project: tenant.toLowerCase() };
  const fromAccounts = [...new Set(input.accounts.map((a) => a.value.projectId).filter((p): p is string => !!p))].sort();
  const fromKeys = [...new Set(input.keys.map((k) => /^projects\/([^/]+)\//.exec(k.value.name)?.[1]).filter((p): p is string => !!p && p !== '-'))].sort();
  const candidates = fromAccounts.length > 0 ? fromAccounts : fromKeys;
  if (candidates.length === 1) return { ok: true, project: candidates[0]! };
  if (fallback?.trim()) return { ok: true, project: fallback.trim().toLowerCase() };
  return {
    ok: false,
    issue: {
      file: input.accounts[0]?.file ?? input.keys[0]?.file, path: '$', message: 'cannot tell the project',
      expected: 'service accounts (or key names) of one project, or --tenant <project id>',
      found: candidates.length === 0 ? 'no project id' : `several: ${candidates.join(', ')}`,
    },
  };
}

/** `projects/p/serviceAccounts/{email}/keys/{keyId}` -> email and key id. */
export function keyParts(name: string): { email: string; keyId: string } {
  const match = /serviceAccounts\/([^/]+)\/keys\/([^/]+)$/.exec(name)!;
  return { email: decodeURIComponent(match[1]!).toLowerCase(), keyId: match[2]! };
}

export function buildGcp(input: GcpInput, project: string): { fragment: Fragment; report: ImporterReport } {
  const report = emptyReport();
  const unknown = new UnknownScopes();
  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, project, kind, native);
  const base = { platform: PLATFORM, tenant: project };
  const skippedMembers = new Map<string, number>();
  const publicRoles = new Set<string>();

  // (:Platform) the project
  const platformId = b.node({ ...base, id: id('Platform', project), kind: 'Platform', name: `Google Cloud project ${project}`, vendor: 'Google' });

  const serviceResource = (service: string, assumed: boolean): string => {
    const rid = id('Resource', `service/${service}`);
    if (!b.has(rid)) {
      const known = Object.hasOwn(SERVICES, service) ? SERVICES[service] : undefined;
      b.node({ ...base, id: rid, kind: 'Resource', name: `${known?.name ?? `${service} (service of a role not in the catalogue)`} in ${project}`, resourceType: 'cloud-service', ...(known?.tags ? { tags: known.tags } : {}), properties: { service, ...(assumed ? { assumed: true } : {}) } });
      // (:Platform)-[:CONTAINS]->(:Resource)
      b.edge({ kind: 'CONTAINS', from: platformId, to: rid, reason: `The project ${project} holds it.` });
    }
    return rid;
  };

  // (:Identity {service account}); (:Platform)-[:MANAGES]->(:Identity): a project owner creates keys for it.
  const accounts = new Map<string, string>();
  for (const { value: account } of [...input.accounts].sort((a, c) => a.value.email.localeCompare(c.value.email))) {
    const email = account.email.toLowerCase();
    if (accounts.has(email)) continue;
    const sid = b.node({
      ...base, id: id('Identity', email), kind: 'Identity', subtype: 'service', name: account.displayName || email, email, enabled: account.disabled !== true,
      properties: definedProperties({ clientId: account.oauth2ClientId ?? account.uniqueId, uniqueId: account.uniqueId, projectId: account.projectId, description: account.description, disabled: account.disabled }),
    });
    accounts.set(email, sid);
    b.edge({ kind: 'MANAGES', from: platformId, to: sid, reason: `An owner or editor of ${project} can create keys for ${email} and act as it.` });
  }
  const accountId = (email: string): string => accounts.get(email.toLowerCase()) ?? b.node({ ...stubNode(PLATFORM, 'Identity', email, email, SOURCE), subtype: 'service' });

  // Keys: only USER_MANAGED keys leave Google; SYSTEM_MANAGED ones sign on Google's side and are never exported.
  let systemKeys = 0;
  for (const { value: key } of [...input.keys].sort((a, c) => a.value.name.localeCompare(c.value.name))) {
    if (key.keyType !== 'USER_MANAGED') { systemKeys++; continue; }
    const { email, keyId } = keyParts(key.name);
    const neverExpires = key.validBeforeTime != null && new Date(key.validBeforeTime).getUTCFullYear() >= NEVER_EXPIRES_YEAR;
    const kid = b.node({
      ...base, id: id('Credential', `${email}/keys/${keyId}`), kind: 'Credential', type: 'certificate', name: `Key ${keyId.slice(0, 8)} of ${email}`,
      createdAt: key.validAfterTime ?? undefined, expiresAt: neverExpires ? undefined : key.validBeforeTime ?? undefined,
      ...(key.disabled ? { revoked: true } : {}),
      properties: definedProperties({ keyId, serviceAccount: email, keyType: key.keyType, keyOrigin: key.keyOrigin, keyAlgorithm: key.keyAlgorithm, neverExpires: neverExpires || undefined, disabled: key.disabled }),
    });
    // (:Credential)-[:AUTHENTICATES_AS]->(:Identity)
    b.edge({ kind: 'AUTHENTICATES_AS', from: kid, to: accountId(email), reason: `Whoever has this exported private key signs in as ${email}${neverExpires ? '; it never expires' : ''}.` });
  }

  /** The principal behind an IAM member string, or why it is not mapped. */
  const member = (text: string, role: string): string | undefined => {
    const colon = text.indexOf(':');
    const type = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + 1).toLowerCase();
    if (type === 'user') return b.node(stubNode('google-workspace', 'Identity', value, value, SOURCE));
    if (type === 'serviceAccount') return accountId(value);
    if (type === 'group') return b.node(stubNode('google-workspace', 'Group', value, value, SOURCE));
    if (type === 'allUsers' || type === 'allAuthenticatedUsers') { publicRoles.add(`${role} to ${type}`); return undefined; }
    const reason = type === 'deleted' ? 'deleted principals' : type.startsWith('principal') ? 'workload identity federation principals' : `${type} members`;
    skippedMembers.set(reason, (skippedMembers.get(reason) ?? 0) + 1);
    return undefined;
  };

  const describeRole = (lookup: ScopeLookup): string => lookup.entry.risk ?? (lookup.assumed ? 'not in the role catalogue: level assumed from its name' : '');

  /** (:Identity|Group)-[:HAS_ROLE]->(:Role), conditions kept on the edge when the binding has one. */
  const bindMembers = (roleId: string, binding: Binding, on = ''): void => {
    for (const text of [...binding.members].sort()) {
      const principal = member(text, binding.role);
      if (!principal) continue;
      const condition = binding.condition ? (binding.condition.title ?? binding.condition.expression ?? 'condition') : undefined;
      b.edge({
        kind: 'HAS_ROLE', from: principal, to: roleId, reason: `${text.slice(text.indexOf(':') + 1)} holds ${binding.role}${on}${condition ? ` when ${condition}` : ''}.`,
        ...(condition ? { conditions: ['iam-condition'], properties: { condition } } : {}),
      });
    }
  };

  const takeoverReason = (lookup: ScopeLookup, target: string): string => lookup.entry.takeover === 'impersonate'
    ? `${lookup.scope} mints tokens for (or runs workloads as) ${target}.`
    : `${lookup.scope} can give ${target} a new key${lookup.entry.takeover === 'add-credential' ? '' : ' or grant itself a role on it'}.`;

  // Project bindings: one Role per role, with its authority from the catalogue.
  for (const { value: binding } of [...input.projectBindings].sort((a, c) => a.value.role.localeCompare(c.value.role))) {
    const lookup = lookupScope(ROLE_CATALOG, binding.role);
    unknown.note(lookup);
    const roleId = id('Role', binding.role);
    if (!b.has(roleId)) {
      b.node({ ...base, id: roleId, kind: 'Role', name: binding.role, privileged: lookup.entry.level === 'admin' || lookup.entry.takeover !== undefined, properties: definedProperties({ role: binding.role, risk: describeRole(lookup) || undefined, assumed: lookup.assumed || undefined }) });
      const service = /^roles\/([a-z0-9]+)\./.exec(binding.role)?.[1];
      const targets = lookup.assumed
        ? [service ? serviceResource(service, true) : platformId]
        : lookup.entry.resources.map((type) => (type === 'project' ? platformId : serviceResource(type, false)));
      for (const to of targets) {
        // (:Role)-[:CAN_READ|CAN_WRITE|CAN_ADMIN]->(:Platform|Resource)
        b.edge({ kind: KIND_OF_LEVEL[lookup.entry.level], from: roleId, to, scopes: [binding.role], reason: `${binding.role} can ${VERB[lookup.entry.level]} ${b.nameOf(to)}${lookup.assumed ? ' (level assumed: role not in the catalogue)' : ''}.`, ...(lookup.assumed ? { assumed: true } : {}) });
      }
      if (lookup.entry.takeover === 'add-credential' || lookup.entry.takeover === 'impersonate') {
        for (const [email, sid] of [...accounts.entries()].sort()) {
          // (:Role)-[:CAN_ADD_CREDENTIAL]->(:Identity): keys, tokens or actAs for every service account of the project
          b.edge({ kind: 'CAN_ADD_CREDENTIAL', from: roleId, to: sid, scopes: [binding.role], reason: takeoverReason(lookup, email) });
        }
      }
    }
    bindMembers(roleId, binding);
  }

  // Service account bindings: who may act as that one account. Any role that can mint keys or tokens, or admin.
  for (const { email, binding: { value: binding } } of [...input.accountBindings].sort((a, c) => `${a.email}|${a.binding.value.role}`.localeCompare(`${c.email}|${c.binding.value.role}`))) {
    const lookup = lookupScope(ROLE_CATALOG, binding.role);
    unknown.note(lookup);
    const target = accountId(email);
    const roleId = id('Role', `${email.toLowerCase()}/${binding.role}`);
    const takesOver = lookup.entry.takeover !== undefined || lookup.entry.level === 'admin';
    if (!b.has(roleId)) {
      b.node({ ...base, id: roleId, kind: 'Role', name: `${binding.role} on ${email}`, privileged: takesOver, properties: definedProperties({ role: binding.role, serviceAccount: email.toLowerCase(), assumed: lookup.assumed || undefined }) });
      if (takesOver) b.edge({ kind: 'CAN_ADD_CREDENTIAL', from: roleId, to: target, scopes: [binding.role], reason: takeoverReason(lookup, email.toLowerCase()), ...(lookup.assumed ? { assumed: true } : {}) });
    }
    bindMembers(roleId, binding, ` on ${email.toLowerCase()}`);
  }

  report.unknownScopes = unknown.list();
  if (systemKeys > 0) report.notes.push(`${systemKeys} Google-managed (SYSTEM_MANAGED) key${systemKeys === 1 ? '' : 's'} skipped: they never leave Google`);
  for (const [reason, count] of [...skippedMembers.entries()].sort()) report.notes.push(`${count} IAM binding member${count === 1 ? '' : 's'} not mapped (${reason})`);
  for (const grant of [...publicRoles].sort()) report.notes.push(`PUBLIC: ${grant} (${grant.endsWith('allUsers') ? 'anyone on the internet' : 'anyone with a Google account'} holds this role; not mapped)`);
  return { fragment: b.fragment(), report };
}
