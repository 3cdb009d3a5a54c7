// Pure transform of n8n public API answers (users, projects and their members, credential metadata, workflows
// with their nodes) into the integration platform's control plane: one App per workflow holding the credentials
// its nodes use, project roles that let people edit those workflows, and what each workflow does to identities.
import type { z } from 'zod';
import { nodeId } from '../../engine/format/native.ts';
import { isSecretFieldName, secretFingerprint } from '../../engine/secrets.ts';
import { importSession, type FileRole, type ImporterOptions, type ImporterResult } from '../common/importer.ts';
import type { RawFile } from '../common/records.ts';
import { linkConnections, readConnectionLinks } from '../common/ipaas.ts';
import { definedProperties, FragmentBuilder } from '../common/builder.ts';
import catalog from './nodes.json' with { type: 'json' };
import { credentialSchema, projectMemberSchema, projectSchema, userSchema, workflowSchema, type N8nWorkflow, type N8nWorkflowNode } from './schema.ts';

export const PLATFORM = 'n8n';
const SOURCE = 'n8n';
const API = 'curl -s -H "X-N8N-API-KEY: $N8N_API_KEY" -H "Accept: application/json"';

const PROJECT_PATH = /(?:^|\/)projects\/([^/]+)\/(?:users|members)[^/]*\.json$/i;

/** Input files by endpoint; a project's members come first so that `projects/<id>/users.json` is theirs. */
export const N8N_FILES: readonly FileRole[] = [
  { role: 'projectMembers', pattern: /(^|\/)projects\/[^/]+\/(users|members)[^/]*\.json$/, produce: `${API} "$N8N_URL/api/v1/projects/$PROJECT_ID/users" > projects/$PROJECT_ID/users.json`, shape: { envelope: ['data'], fields: ['id', 'email', 'role'], without: ['isPending', 'nodes', 'type'] } },
  { role: 'users', pattern: /(^|\/)users[^/]*\.json$/, produce: `${API} "$N8N_URL/api/v1/users?includeRole=true" > users.json`, shape: { envelope: ['data'], fields: ['id', 'email', 'isPending'] } },
  { role: 'credentials', pattern: /(^|\/)credentials[^/]*\.json$/, produce: `${API} "$N8N_URL/api/v1/credentials" > credentials.json`, shape: { envelope: ['data'], fields: ['id', 'name', 'type', 'shared'], without: ['nodes'] } },
  { role: 'projects', pattern: /(^|\/)projects[^/]*\.json$/, produce: `${API} "$N8N_URL/api/v1/projects" > projects.json`, shape: { envelope: ['data'], fields: ['id', 'name', 'type'], without: ['shared', 'nodes', 'email'] } },
  { role: 'workflows', pattern: /(^|\/)workflows[^/]*\.json$/, produce: `${API} "$N8N_URL/api/v1/workflows" > workflows.json`, shape: { envelope: ['data'], fields: ['id', 'name', 'nodes'] } },
  { role: 'connectionLinks', pattern: /(^|\/)connection-links\.json$/, produce: 'written by you: which account on which platform each n8n credential signs in as (docs/importers/n8n.md)' },
];

type IdentityAction = 'create-identity' | 'change-identity' | 'remove-identity' | 'add-member' | 'remove-member' | 'change-group' | 'write-hr-record';
interface NodeTypeEntry { platform: string; actions: Record<string, IdentityAction> }
interface CredentialTypeEntry { platform: string; system: string }
const NODE_TYPES = catalog.nodeTypes as Record<string, NodeTypeEntry>;
const CREDENTIAL_TYPES = catalog.credentialTypes as Record<string, CredentialTypeEntry>;
const ANY_CALL = new Set(catalog.anyCall);
/** Actions that change who exists, who belongs where or what an account may do: identity state. */
const IDENTITY_CHANGING = new Set<IdentityAction>(['create-identity', 'change-identity', 'remove-identity', 'add-member', 'remove-member', 'change-group']);

const lower = (value: string): string => value.toLowerCase();
const own = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** Instance-wide roles that see and use every credential and workflow. */
const INSTANCE_ADMIN_ROLES = new Set(['global:owner', 'global:admin', 'owner', 'admin']);
/** Project roles that can edit the project's workflows (and so run any node with its credentials). */
const PROJECT_EDIT_ROLES = new Set(['project:personalowner', 'project:admin', 'project:editor']);

/** The platform and the system class a credential type signs in to, from its name when the catalogue lacks it. */
function credentialTarget(type: string): CredentialTypeEntry | undefined {
  return own(CREDENTIAL_TYPES, type);
}

/** What one workflow node does to identities: `platform resource:operation` with its action class. */
function nodeActions(node: N8nWorkflowNode): { label: string; action: IdentityAction | 'any-call'; platform?: string }[] {
  const parameters = node.parameters ?? {};
  const resource = typeof parameters.resource === 'string' ? parameters.resource : undefined;
  const operation = typeof parameters.operation === 'string' ? parameters.operation : undefined;
  const entry = own(NODE_TYPES, node.type);
  if (entry && resource && operation) {
    const action = own(entry.actions, `${resource}:${operation}`);
    if (action) return [{ label: `${entry.platform} ${resource}:${operation}`, action, platform: entry.platform }];
  }
  if (ANY_CALL.has(node.type) && node.credentials && Object.keys(node.credentials).length > 0) {
    const method = typeof parameters.method === 'string' ? parameters.method.toUpperCase() : 'GET';
    const targets = Object.keys(node.credentials).map((type) => credentialTarget(type)?.platform).filter((p): p is string => p !== undefined);
    return [{ label: `${method} request${targets.length > 0 ? ` to ${targets.join(', ')}` : ''} with the node's credential`, action: 'any-call', platform: targets[0] }];
  }
  return [];
}

/** Header and query names whose value is a secret (`X-API-Key`, `Authorization`, `x-auth-token`). */
const SECRET_HEADER = /(api[-_ ]?key|token|secret|passw(or)?d|authorization)$/i;

/** What the input boundary (engine/secrets.ts scrubInput) leaves where a secret was: `[REDACTED:<rule>:<fingerprint>]`. */
const REDACTION_MARKER = /\[REDACTED:([A-Za-z0-9_.-]+):([0-9a-f]{16})\]/g;

/** Secrets typed into a node's parameters instead of a credential: rule name and fingerprint, never the value. */
function hardcodedSecrets(parameters: Record<string, unknown> | null | undefined): { rule: string; fingerprint: string; where: string }[] {
  const hits: { rule: string; fingerprint: string; where: string }[] = [];
  const visit = (value: unknown, where: string): void => {
    if (typeof value === 'string') {
      // The input boundary already replaced each recognised secret by a marker naming its rule and fingerprint.
      for (const marker of value.matchAll(REDACTION_MARKER)) hits.push({ rule: marker[1]!, fingerprint: marker[2]!, where });
      return;
    }
    if (Array.isArray(value)) { value.forEach((item, i) => visit(item, `${where}[${i}]`)); return; }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    // A header or query pair `{name: "X-Api-Key", value: "..."}` whose name says secret: the value is one, unless an expression.
    if (typeof record.name === 'string' && typeof record.value === 'string' && (isSecretFieldName(record.name) || SECRET_HEADER.test(record.name)) && record.value.trim() !== '' && !record.value.startsWith('=') && !record.value.includes('[REDACTED')) {
      if (!hits.some((hit) => hit.where === `${where}.value`)) hits.push({ rule: `secret-named-field`, fingerprint: secretFingerprint(record.value), where: `${where}.value` });
    }
    for (const [key, item] of Object.entries(record)) visit(item, `${where}.${key}`);
  };
  visit(parameters ?? {}, 'parameters');
  return hits;
}

export function transformN8n(files: readonly RawFile[], options: ImporterOptions): ImporterResult {
  const session = importSession(files, N8N_FILES, options);
  const { issues, byRole, note, problem } = session;
  const read = <S extends z.ZodType>(role: string, schema: S) => session.read(role, schema, ['data']);

  const users = read('users', userSchema);
  const projects = read('projects', projectSchema);
  const members = read('projectMembers', projectMemberSchema);
  const credentials = read('credentials', credentialSchema);
  const workflows = read('workflows', workflowSchema);
  const links = readConnectionLinks(byRole.get('connectionLinks') ?? [], issues);

  // The instance (tenant): --tenant, else the instance id the workflows carry (meta.instanceId), else the workspace folder.
  const instanceIds = [...new Set(workflows.map((w) => w.value.meta?.instanceId).filter((id): id is string => typeof id === 'string' && id !== ''))];
  const optionTenant = options.tenant?.trim() || undefined;
  if (!optionTenant && instanceIds.length > 1) {
    const clash = workflows.find((w) => w.value.meta?.instanceId === instanceIds[1])!;
    issues.push({ file: clash.file, path: `${clash.path}.meta.instanceId`, message: 'several n8n instances in one export', expected: `one instance per import (${instanceIds[0]})`, found: instanceIds[1]! });
  }
  const instance = optionTenant ?? instanceIds[0] ?? (options.tenantFallback?.trim() || undefined);
  if (!instance) issues.push({ path: '$', message: 'no n8n instance name', expected: 'workflows carrying meta.instanceId, a workspace folder exports/n8n/<instance>/, or --tenant <instance host>', found: 'none of them' });
  if (issues.length > 0 || !instance) return { ok: false, issues };

  const tenant = lower(instance);
  const b = new FragmentBuilder(SOURCE);
  const id = (kind: string, native: string): string => nodeId(PLATFORM, tenant, kind, native);
  const base = { platform: PLATFORM, tenant };
  const platformId = b.node({ ...base, id: id('Platform', 'instance'), kind: 'Platform', vendor: 'n8n', name: `n8n instance ${instance}`, properties: { instance } });

  // (:Identity) instance users; owners and admins administer the whole instance.
  const userById = new Map(users.map((u) => [u.value.id, u.value]));
  const userId = (native: string): string => id('Identity', native);
  for (const { value: user } of [...users].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
    b.node({ ...base, id: userId(user.id), kind: 'Identity', subtype: 'human', name, email: lower(user.email), enabled: user.isPending ? false : undefined, properties: definedProperties({ userId: user.id, role: user.role, pending: user.isPending ?? undefined, createdAt: user.createdAt }) });
    if (user.role && INSTANCE_ADMIN_ROLES.has(lower(user.role))) {
      b.edge({ kind: 'CAN_ADMIN', from: userId(user.id), to: platformId, reason: `${name} is the instance's ${user.role}: sees, edits and runs every workflow and uses every credential.` });
    }
  }

  // (:Resource {project}) projects; the platform contains them; members who can edit workflows administer them.
  const projectIds = new Map<string, string>();
  const projectNode = (native: string, name?: string | null, type?: string | null): string => {
    const existing = projectIds.get(native);
    if (existing) return existing;
    const resourceId = b.node({ ...base, id: id('Resource', `project/${native}`), kind: 'Resource', resourceType: 'workflow-project', name: name ? `n8n project ${name}` : `n8n project ${native}`, properties: definedProperties({ projectId: native, projectType: type ?? undefined }) });
    b.edge({ kind: 'CONTAINS', from: platformId, to: resourceId });
    projectIds.set(native, resourceId);
    return resourceId;
  };
  for (const { value: project } of projects) projectNode(project.id, project.name, project.type);
  /** A project's admins: the business owners of its workflows (n8n has no other owner field). */
  const projectAdmins = new Map<string, string[]>();
  for (const { value: member, file } of members) {
    const projectNative = PROJECT_PATH.exec(file)?.[1];
    if (!projectNative) { problem({ file, path: '$', message: 'cannot tell which project these members belong to', expected: 'a path such as projects/<project id>/users.json', found: file }); continue; }
    const project = projectNode(projectNative);
    const person = b.node({ ...base, id: userId(member.id), kind: 'Identity', subtype: 'human', name: [member.firstName, member.lastName].filter(Boolean).join(' ') || member.email || `user ${member.id}`, email: member.email ? lower(member.email) : undefined, properties: definedProperties({ userId: member.id }) });
    const role = lower(member.role ?? '');
    const who = b.nameOf(person);
    if (role === 'project:admin' || role === 'project:personalowner') (projectAdmins.get(projectNative) ?? projectAdmins.set(projectNative, []).get(projectNative)!).push(person);
    if (PROJECT_EDIT_ROLES.has(role)) {
      b.edge({ kind: 'CAN_ADMIN', from: person, to: project, reason: `${who} is ${member.role} of ${b.nameOf(project)}: editing a workflow runs any node with the credentials the project can use, so editing is taking them over.` });
    } else if (role) {
      b.edge({ kind: 'CAN_READ', from: person, to: project, reason: `${who} is ${member.role} of ${b.nameOf(project)}: sees its workflows and their executions' data.` });
    }
  }

  // (:Credential) connections, metadata only. The instance's administrators can use every one; the projects a
  // credential is shared with can use it in their workflows.
  const credentialIds = new Map<string, string>();
  const credentialNode = (native: string, name: string | null | undefined, type: string): string => {
    const existing = credentialIds.get(native);
    if (existing) return existing;
    const target = credentialTarget(type);
    const credential = b.node({
      ...base, id: id('Credential', native), kind: 'Credential', type: /oauth2/i.test(type) ? 'oauth-grant' : 'api-key',
      name: `n8n credential ${name ? `"${name}"` : native} (${type})`,
      properties: definedProperties({ credentialId: native, credentialType: type, targetPlatform: target?.platform, targetSystem: target?.system }),
    });
    b.edge({ kind: 'MANAGES', from: platformId, to: credential, reason: 'Owners and admins of the n8n instance can use every credential in a workflow of their own.' });
    credentialIds.set(native, credential);
    if (!target) note('credential types not in the n8n catalogue (their target system is not known)');
    return credential;
  };
  for (const { value: credential } of credentials) {
    const credentialId = credentialNode(credential.id, credential.name, credential.type);
    const node = b.nodes.get(credentialId)!;
    node.createdAt ??= credential.createdAt ?? undefined;
    for (const share of credential.shared ?? []) {
      const project = projectNode(share.id, share.name);
      b.edge({ kind: 'MANAGES', from: project, to: credentialId, reason: `The credential is shared with ${b.nameOf(project)} (${share.role ?? 'shared'}): whoever edits a workflow there can use it.` });
    }
    if (credential.projectId && !(credential.shared ?? []).some((s) => s.id === credential.projectId)) {
      b.edge({ kind: 'MANAGES', from: projectNode(credential.projectId), to: credentialId, reason: 'The credential belongs to this project: whoever edits a workflow there can use it.' });
    }
  }

  // (:App {workflow}) one per workflow: it holds the credentials its nodes use; its project manages it.
  const credentialUsers = new Map<string, Set<string>>();
  for (const { value: workflow, file, path } of [...workflows].sort((x, y) => x.value.id.localeCompare(y.value.id))) {
    const appId = id('App', `workflow/${workflow.id}`);
    // Each node's actions once: the workflow's properties count enabled nodes, each HOLDS reason names its node's.
    const actionsOfNode = workflow.nodes.map((node) => nodeActions(node));
    const actions = workflow.nodes.flatMap((node, i) => (node.disabled ? [] : actionsOfNode[i]!));
    const identityActions = [...new Set(actions.filter((a) => a.action !== 'any-call' && IDENTITY_CHANGING.has(a.action)).map((a) => a.label))].sort();
    const hrWrites = [...new Set(actions.filter((a) => a.action === 'write-hr-record').map((a) => a.label))].sort();
    const triggers = workflow.nodes.filter((node) => /trigger$/i.test(node.type) || node.type === 'n8n-nodes-base.webhook').map((node) => node.type);
    const owners = (workflow.shared ?? []).filter((s) => lower(s.role ?? '') === 'workflow:owner');
    const ownerProject = owners[0]?.projectId ?? owners[0]?.project?.id ?? undefined;
    b.node({
      ...base, id: appId, kind: 'App', vendor: 'n8n', name: `n8n workflow "${workflow.name}"`, thirdParty: false,
      ownerIds: ownerProject && projectAdmins.has(ownerProject) ? [...new Set(projectAdmins.get(ownerProject))].sort() : undefined,
      properties: definedProperties({
        workflowId: workflow.id, active: workflow.active ?? undefined, archived: workflow.isArchived ?? undefined, updatedAt: workflow.updatedAt,
        nodeCount: workflow.nodes.length, triggers: [...new Set(triggers)].sort(), publicWebhook: triggers.includes('n8n-nodes-base.webhook') || undefined,
        identityActions, hrWrites, anyCalls: [...new Set(actions.filter((a) => a.action === 'any-call').map((a) => a.label))].sort(),
        tags: (workflow.tags ?? []).map((t) => t.name).sort(), ownerProject,
      }),
    });
    b.edge({ kind: 'INSTALLED_IN', from: appId, to: platformId });
    b.edge({ kind: 'MANAGES', from: platformId, to: appId, reason: 'Owners and admins of the n8n instance can edit every workflow.' });
    for (const share of workflow.shared ?? []) {
      const projectNative = share.projectId ?? share.project?.id;
      if (!projectNative) continue;
      const project = projectNode(projectNative, share.project?.name, share.project?.type);
      b.edge({ kind: 'MANAGES', from: project, to: appId, reason: `The workflow lives in ${b.nameOf(project)} (${share.role ?? 'shared'}): whoever edits workflows there changes what it runs.` });
    }
    workflow.nodes.forEach((node, index) => {
      for (const [type, ref] of Object.entries(node.credentials ?? {}).sort(([x], [y]) => x.localeCompare(y))) {
        if (!ref.id) { note('workflow nodes naming a credential without its id (skipped)'); continue; }
        const credential = credentialNode(ref.id, ref.name, type);
        const usedBy = credentialUsers.get(credential) ?? credentialUsers.set(credential, new Set()).get(credential)!;
        usedBy.add(workflow.id);
        const does = actionsOfNode[index]!.map((a) => a.label);
        b.edge({ kind: 'HOLDS', from: appId, to: credential, reason: `Node "${node.name}" (${node.type}${does.length > 0 ? `: ${does.join(', ')}` : ''}) of the workflow uses the credential${node.disabled ? ' (the node is disabled: one click enables it)' : ''}.` });
      }
      // A secret typed into the node's parameters: a credential anyone who can read the workflow has.
      for (const hit of hardcodedSecrets(node.parameters)) {
        const secretId = b.node({ ...base, id: id('Credential', `hardcoded/${workflow.id}/${hit.fingerprint}`), kind: 'Credential', type: 'api-key', fingerprint: hit.fingerprint, name: `secret typed into node "${node.name}" of workflow "${workflow.name}" (${hit.rule})`, properties: { workflowId: workflow.id, node: node.name, rule: hit.rule, where: `nodes[${index}].${hit.where}`, hardcoded: true } });
        b.edge({ kind: 'HOLDS', from: appId, to: secretId, reason: `The secret is written into the workflow (node "${node.name}"), not kept in an n8n credential.` });
        for (const share of workflow.shared ?? []) {
          const projectNative = share.projectId ?? share.project?.id;
          if (projectNative) b.edge({ kind: 'CONTAINS_CREDENTIAL', from: projectNode(projectNative), to: secretId, reason: `Anyone who can open the workflow in ${b.nameOf(projectNode(projectNative))}, viewers included, reads the secret typed into node "${node.name}".` });
        }
        note('secrets typed into workflow node parameters (a Credential each, to rotate)');
      }
    });
    if (workflow.nodes.length === 0) problem({ file, path: `${path}.nodes`, message: 'a workflow without nodes', expected: 'the workflow as GET /workflows returns it (nodes included)', found: 'an empty nodes list' });
  }
  for (const [credential, usedBy] of credentialUsers) {
    const node = b.nodes.get(credential)!;
    node.properties = { ...node.properties, usedByWorkflows: [...usedBy].sort() };
  }

  // connection-links.json: which account each credential signs in as, through a stub resolved when that platform is imported.
  const linked = linkConnections(b, SOURCE, links, credentialIds, problem, 'n8n credential');
  if (issues.length > 0) return { ok: false, issues };
  const unlinked = [...credentialIds.values()].filter((c) => !linked.has(c));
  if (unlinked.length > 0) note('credentials not in connection-links.json: what they sign in as is not known, so the radius stops at them', unlinked.length);

  return session.finish(b.fragment());
}

export type { N8nWorkflow };
